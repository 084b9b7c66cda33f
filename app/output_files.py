"""May the program write this output file? The one answer for every command that writes a
PDF or a workbook to a name the user typed (export-staff, export-ledger, export-roster,
import-template, import-staff --refused, payment-request, ledger-statement, sheets).

- An existing file is never replaced silently: it is refused unless the user said
  `--overwrite` (an earlier export, a signed scan, a file a colleague sent would be lost).
- Even with `--overwrite`, only a file of the same kind is replaced (a PDF by a PDF, a
  workbook by a workbook); never a pipe or a device, never the data file, a backup or a
  scan — whatever their names: once `payment-request 2026Q4 <the data file>` turned the
  data file itself into a one-page PDF.
"""
from __future__ import annotations

import os
from pathlib import Path

from app.errors import UserError

OVERWRITE_FLAG = "--overwrite"
OVERWRITE_HELP = "目标文件已存在时替换它（只替换同类文件；数据文件、备份和扫描件在任何情况下都不会被替换）"

SQLITE_MAGIC = b"SQLite format 3\x00"
# What a file of each kind starts with; an existing file is replaced only by its own kind.
KINDS = {".pdf": (b"%PDF-", "PDF 文件"), ".xlsx": (b"PK\x03\x04", "Excel 工作簿（.xlsx）")}


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _protected(target: Path, db_path: Path | None) -> str | None:
    """Why `target` is one of the files the program keeps (the data file, its journal,
    a backup, a scan), or None."""
    if db_path is None:
        return None
    from app.scans import scans_dir
    from app.store.backup import backup_dir_for

    real = _resolved(target)
    db = _resolved(Path(db_path))
    if real in {db, *(db.with_name(db.name + tail) for tail in ("-wal", "-shm", "-journal"))}:
        return "是数据文件"
    if _inside(real, _resolved(backup_dir_for(db))):
        return "在备份文件夹里"
    if _inside(real, _resolved(scans_dir(db))):
        return "在签字扫描件的文件夹里"
    return None


def check_output(target: str | os.PathLike[str], *, overwrite: bool = False,
                 db_path: str | os.PathLike[str] | None = None) -> Path:
    """`target` if the program may write it (its suffix, .pdf or .xlsx, says the kind),
    else UserError saying why in Chinese. Call it before any work, so a refusal leaves
    nothing half-done."""
    from app.paths import check_new_file_name

    target = Path(target)
    check_new_file_name(target.with_name(f"~{target.name}.part"), "导出")  # with room for the temporary name
    magic, kind = KINDS.get(target.suffix.lower(), (b"", "文件"))
    if target.is_dir():
        raise UserError(f"{target} 是一个文件夹，请写要保存的文件名（{target.suffix or '.pdf / .xlsx'}）。")
    why = _protected(target, Path(db_path) if db_path is not None else None)
    if why:
        raise UserError(f"{target} {why}，程序在任何情况下都不会覆盖它。请换一个文件名或文件夹。")
    if not (target.exists() or target.is_symlink()):
        return target
    head = b""
    if target.is_file():  # never open a pipe or a device: reading it would wait for ever
        try:
            with open(target, "rb") as existing:
                head = existing.read(len(SQLITE_MAGIC))
        except OSError:
            head = b""
    if head.startswith(SQLITE_MAGIC):
        raise UserError(f"{target} 是一个数据文件（或它的备份），程序在任何情况下都不会覆盖它。请换一个文件名。")
    if not head.startswith(magic) or not magic:
        raise UserError(f"{target} 已经存在，而且不是 {kind}，程序不会覆盖它。请换一个文件名。")
    if not overwrite:
        raise UserError(f"{target} 已经存在，程序没有替换它。请换一个文件名；确实要替换它时，"
                        f"在命令后加上 {OVERWRITE_FLAG}。")
    return target
