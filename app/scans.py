"""Scanned signed assessment sheets (PDF or image) kept beside the data file.

Each file is stored once, named by the SHA-256 of its content, in a `scans` folder beside
the data file; the data file records which month it belongs to and whose signed sheet it
is (a worker scored that month, or none: the whole month's stack or the summary, 全月/汇总表). A backup copies only the
scans its folder does not have yet (same name = same content), so the automatic backups
at every start and exit do not copy all the scans again. A restore brings back the scans
the restored file refers to; `check` confirms each one is there and unchanged.
"""
from __future__ import annotations

import hashlib
import math
import shutil
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from app import clock
from app.errors import ValidationError
from app.store.store import Store

SCANS_DIRNAME = "scans"
MAX_BYTES = 20 * 1024 * 1024
WHOLE_MONTH = "全月/汇总表"
# What the file's first bytes must be for each accepted suffix.
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".tif": (b"II*\x00", b"MM\x00*"),
    ".tiff": (b"II*\x00", b"MM\x00*"),
    ".bmp": (b"BM",),
}


@dataclass(frozen=True)
class Scan:
    id: int
    file_name: str
    sha256: str
    suffix: str
    size: int
    added_on: str
    worker_id: int | None = None  # None: the whole month (全月/汇总表)
    worker_name: str = ""

    @property
    def whose(self) -> str:
        return self.worker_name or WHOLE_MONTH

    @property
    def stored_name(self) -> str:
        return self.sha256 + self.suffix


def scans_dir(db_path: Path) -> Path:
    return Path(db_path).parent / SCANS_DIRNAME


def check_scan_file(path: Path) -> tuple[str, bytes]:
    """The file's suffix and content, or ValidationError saying why it is not accepted."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SIGNATURES:
        raise ValidationError(f"“{path.name}”不是 PDF 或图片（可以是 PDF、JPG、PNG、TIF、BMP）。请扫描成 PDF 或图片后再添加。",
                              "file")
    try:
        info = path.stat()
    except OSError as err:
        raise ValidationError(f"无法读取“{path.name}”：{err.strerror or err}", "file") from None
    if not stat.S_ISREG(info.st_mode):  # a folder, a pipe (opening it would wait for ever), a device
        raise ValidationError(f"“{path.name}”不是一个普通文件，请选择扫描得到的 PDF 或图片文件。", "file")
    too_big = ValidationError(f"“{path.name}”有 {math.ceil(max(info.st_size, MAX_BYTES + 1) / 1024 / 1024 * 10) / 10:.1f} MB，"
                              "超过 20 MB。请降低扫描分辨率（200 dpi 即可）或分成几个文件。", "file")
    if info.st_size > MAX_BYTES:
        raise too_big
    if info.st_size == 0:
        raise ValidationError(f"“{path.name}”是空文件。", "file")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)  # never more, however the file grew since stat
    except OSError as err:
        raise ValidationError(f"无法读取“{path.name}”：{err.strerror or err}", "file") from None
    if len(data) > MAX_BYTES:
        raise too_big
    if not data.startswith(SIGNATURES[suffix]):
        raise ValidationError(f"“{path.name}”的内容不是{suffix[1:].upper()}文件（可能已损坏或扩展名被改过）。", "file")
    return (".jpg" if suffix == ".jpeg" else ".tif" if suffix == ".tiff" else suffix), data


def scan_owners(store: Store, year: int, month: int) -> list[tuple[int, str]]:
    """Whose signed sheet a scan of the month may be: the workers scored that month
    (worker id, name), in the order of the month's table."""
    from app.assessment import load_month

    return [(s.worker_id, s.worker_name) for s in load_month(store, year, month).sheets]


def _check_owner(store: Store, year: int, month: int, worker_id: int | None) -> str:
    """The worker's name ('' for the whole month), or ValidationError if the worker has no
    sheet that month: a scan belongs to a sheet that was printed."""
    from app.assessment import month_label

    if worker_id is None:
        return ""
    names = dict(scan_owners(store, year, month))
    if worker_id not in names:
        from app.staff import get_worker

        who = get_worker(store, worker_id).name  # refuses an unknown worker in its own words
        raise ValidationError(f"{who}在{month_label(year, month)}没有考核评分，没有这份考核表，不能添加其签字扫描件。"
                              f"请选择本月已评分的服务人员，或选“{WHOLE_MONTH}”。", "worker_id")
    return names[worker_id]


def attach_scan(store: Store, year: int, month: int, path: Path, *, worker_id: int | None = None,
                require_signed: bool = True) -> int:
    """Keep a scanned signed sheet for the month: one worker's (`worker_id`, who must be
    scored that month) or the whole month's (None). The file and the worker are checked
    first, then the file is copied (under its content hash, once) and then recorded; a
    failed record leaves at most an unreferenced copy, never a reference to a missing file."""
    from app.assessment import Status, get_month, month_label

    if store.path is None:
        raise ValidationError("内存数据库不能保存扫描件。")
    suffix, data = check_scan_file(path)
    the_month = get_month(store, year, month)
    if require_signed and the_month.status is not Status.SIGNED:
        raise ValidationError(f"{month_label(year, month)}的考核尚未登记签字，请在登记签字时添加签字考核表的扫描件。", "file")
    if the_month.id is None:
        raise ValidationError(f"{month_label(year, month)}还没有考核记录。", "file")
    name = _check_owner(store, year, month, worker_id)
    digest = hashlib.sha256(data).hexdigest()
    if store.db["assessment_attachments"].count_where("month_id = ? AND sha256 = ?", [the_month.id, digest]):
        raise ValidationError(f"这个文件已经添加过了（{Path(path).name}）。", "file")
    folder = scans_dir(store.path)
    target = folder / (digest + suffix)
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.part"):  # left by an attach that was killed; we hold the write lock
            stale.unlink(missing_ok=True)
        partial = target.with_name(target.name + ".part")
        try:
            partial.write_bytes(data)
            partial.replace(target)
        except OSError as err:
            partial.unlink(missing_ok=True)
            raise ValidationError(f"无法保存扫描件到 {folder}：{err.strerror or err}", "file") from None
    whose = f"{name}的" if name else "全月"
    with store.action(f"{month_label(year, month)}考核：添加{whose}签字考核表扫描件 {Path(path).name}") as act:
        record: dict[str, object] = {
            "month_id": the_month.id, "sha256": digest, "file_name": Path(path).name[:200], "suffix": suffix,
            "size": len(data), "added_on": clock.today().isoformat()}
        if worker_id is not None:
            record["worker_id"] = worker_id
        return int(act.insert("assessment_attachments", record))


def list_scans(store: Store, year: int, month: int) -> list[Scan]:
    from app.assessment import get_month

    the_month = get_month(store, year, month)
    if the_month.id is None:
        return []
    return [Scan(r["id"], r["file_name"], r["sha256"], r["suffix"], r["size"], r["added_on"] or "", r["worker_id"],
                 r["worker_name"] or "")
            for r in store.db.query(
                # The name the worker's sheet shows: kept on a finalised or signed sheet
                # (app.assessment.finalise), else the staff record's.
                "SELECT a.*, COALESCE(s.worker_name, w.name) AS worker_name FROM assessment_attachments a "
                "LEFT JOIN workers w ON w.id = a.worker_id "
                "LEFT JOIN assessment_scores s ON s.month_id = a.month_id AND s.worker_id = a.worker_id "
                "WHERE a.month_id = ? ORDER BY a.id", [the_month.id])]


def scan_path(store: Store, scan: Scan) -> Path:
    assert store.path is not None
    return scans_dir(store.path) / scan.stored_name


# --- backup, restore and check hooks (called from app.store) ----------------------------------

def _referenced(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    try:
        return conn.execute("SELECT sha256, suffix, file_name FROM assessment_attachments").fetchall()
    except sqlite3.OperationalError:  # a file from before the table existed
        return []


def _sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _copy_checked(source: Path, target: Path, digest: str) -> bool:
    """Copy `source` to `target` (through a partial file) only if the copy has the content
    its name promises; False (nothing written) when it has not."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    try:
        shutil.copyfile(source, partial)
        if _sha256(partial) != digest:
            return False
        partial.replace(target)
        return True
    finally:
        partial.unlink(missing_ok=True)


def mirror_scans(conn: sqlite3.Connection, db_path: Path, backup_folder: Path) -> int:
    """Copy into `backup_folder/scans` the scans the backed-up file (at `db_path`) refers to
    and the folder does not hold yet; returns how many were copied (usually none). A scan
    whose content is no longer the one recorded is not copied (`check` names it), so the
    backup never keeps an altered file under the original's name."""
    copied = 0
    for digest, suffix, _ in _referenced(conn):
        source = scans_dir(db_path) / (digest + suffix)
        target = Path(backup_folder) / SCANS_DIRNAME / (digest + suffix)
        if target.exists() or not source.exists():
            continue
        copied += _copy_checked(source, target, digest)
    return copied


def restore_scans(backup_folder: Path, db_path: Path) -> int:
    """After a restore: bring back from the backup's folder the scans the restored file
    refers to and the data folder lacks or holds altered (an altered one is kept beside,
    renamed `….altered`, not thrown away)."""
    conn = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        wanted = _referenced(conn)
    finally:
        conn.close()
    copied = 0
    for digest, suffix, _ in wanted:
        target = scans_dir(db_path) / (digest + suffix)
        source = Path(backup_folder) / SCANS_DIRNAME / (digest + suffix)
        if not source.exists() or (target.exists() and _sha256(target) == digest):
            continue
        if target.exists():
            target.replace(target.with_name(target.name + ".altered"))
        copied += _copy_checked(source, target, digest)
    return copied


def check_scans(conn: sqlite3.Connection, db_path: Path) -> list[str]:
    """Every scan the file (at `db_path`) refers to is beside it, with the content it had
    when added."""
    problems = []
    for digest, suffix, name in _referenced(conn):
        path = scans_dir(db_path) / (digest + suffix)
        if not path.exists():
            problems.append(f"签字考核表扫描件“{name}”不见了（应在 {path}）")
            continue
        if _sha256(path) != digest:
            problems.append(f"签字考核表扫描件“{name}”的内容已改变（{path}）")
    return problems


def backup_note(db_path: Path) -> str:
    """What a finished backup must add (empty when nothing): the scans it could not take
    along because they are missing or altered beside the data file."""
    conn = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        problems = check_scans(conn, db_path)
    finally:
        conn.close()
    if not problems:
        return ""
    return ("但以下签字考核表扫描件没有备份：" + "；".join(problems) +
            "。请从以前的备份恢复，或重新添加扫描件；“检查数据文件”（check）会列出全部问题。")


def sign_with_scan(store: Store, year: int, month: int, signed_on: object, path: Path | None, *,
                   worker_id: int | None = None) -> None:
    """登记签字, with the scanned signed sheets if the clerk chose a file (one worker's, or
    the whole month's when `worker_id` is None): the file and the worker are checked before
    anything is written, and the status and the scan are one action."""
    from app.assessment import month_label, sign

    if path is not None:
        check_scan_file(path)
        _check_owner(store, year, month, worker_id)
    with store.action(f"{month_label(year, month)}考核表签字"):
        sign(store, year, month, signed_on)
        if path is not None:
            attach_scan(store, year, month, path, worker_id=worker_id)
