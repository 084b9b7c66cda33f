"""Looking inside backups, and putting one back in place of the data file.

A backup is this program's data file under another name, so it is checked exactly as
an opened file is (`inspect_file`): a file that is not ours, damaged, or from a newer
version is refused. The current file is itself copied into the backup folder first —
if it is too damaged for SQLite to copy, its raw bytes are kept instead — so a restore
never loses anything.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.errors import DatabaseRefused, UserError
from app.store import backup
from app.store.database import inspect_file


@dataclass(frozen=True)
class BackupInfo:
    """What the restore picker shows about one backup."""
    path: Path
    taken_at: dt.datetime  # from the name the program gave it, else the file's time
    reason_label: str
    contract: str
    last_change_at: str
    last_change: str  # operator and summary of the newest audit row
    changes: int
    size: int

    def describe(self) -> str:
        return (f"备份时间：{self.taken_at:%Y-%m-%d %H:%M:%S}（{self.reason_label}）\n"
                f"合同：{self.contract}\n"
                f"最后一次修改：{self.last_change_at} {self.last_change}\n"
                f"修改记录：{self.changes} 条    文件大小：{self.size / 1024:.0f} KB")


def _refuse_backup(path: Path, err: DatabaseRefused) -> DatabaseRefused:
    reason = str(err).split("：", 1)[-1]
    return DatabaseRefused(f"“{path}”不是盯守台账的可用备份，不能用来恢复：{reason}")


def describe_backup(path: Path) -> BackupInfo:
    """Read what a backup holds, read-only; DatabaseRefused if it is not a usable backup."""
    path = Path(path)
    try:
        inspect_file(path)
    except DatabaseRefused as err:
        raise _refuse_backup(path, err) from err
    named = backup.parse_backup_name(path)
    stat = path.stat()
    taken = named.taken_at if named else dt.datetime.fromtimestamp(stat.st_mtime)
    conn = backup.connect_ro(path)
    try:
        contract = conn.execute(
            "SELECT name FROM contracts WHERE active = 1 ORDER BY start_date DESC, id DESC LIMIT 1"
        ).fetchone()
        last = conn.execute(
            "SELECT at, operator, summary FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        count = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    except sqlite3.Error as err:
        raise DatabaseRefused(f"“{path}”无法读取：{err}") from err
    finally:
        conn.close()
    return BackupInfo(
        path=path,
        taken_at=taken,
        reason_label=named.reason_label if named else "其他位置的备份",
        contract=contract[0] if contract else "（没有合同）",
        last_change_at=last[0] if last else "",
        last_change=f"{last[1]}：{last[2] or ''}" if last else "（没有修改记录）",
        changes=count,
        size=stat.st_size,
    )


def of_another_file(backup_path: Path, db_path: Path) -> str | None:
    """Why restoring `backup_path` over `db_path` would replace this data file with another
    one's data (a practice file's backup, a colleague's U盘), or None when it is this
    file's own copy or cannot be told. The command line refuses it unless --other-file;
    the window warns and asks."""
    db_path = Path(db_path)
    if not db_path.exists():
        return None  # restoring to a new file: nothing is replaced
    mine, theirs = backup.Owner.of(db_path).file_id, backup.copy_state(Path(backup_path))
    if not (mine and theirs and theirs.file_id and theirs.file_id != mine):
        return None
    return (f"{Path(backup_path).name} 是另一个数据文件的备份，不是 {db_path} 的备份：恢复会用另一份数据"
            "（例如练习用的文件）替换当前的全部数据。")


def newest_good_backup(db_path: Path) -> BackupInfo | None:
    """The newest copy in the backup folder that passes every check, or None."""
    for candidate in backup.own_backups(db_path):
        if candidate.reason == "damaged":
            continue
        try:
            return describe_backup(candidate.path)
        except (DatabaseRefused, OSError):
            continue
    return None


def _sidecars(path: Path) -> list[Path]:
    return [Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")]


def keep_current(db_path: Path) -> Path | None:
    """Copy the current data file into the backup folder before it is replaced.

    A healthy file is copied with the backup API; one SQLite cannot read is kept byte
    for byte (with its WAL) under a `damaged` name, so nothing is ever thrown away.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        return None
    folder = backup.backup_dir_for(db_path)
    try:
        inspect_file(db_path)
        return backup.backup_file(db_path, folder, reason="before-restore")
    except (DatabaseRefused, UserError):
        pass
    target = backup._free_target(folder, "damaged", stem=backup.stem_of(db_path))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(db_path, target)
        for side in _sidecars(db_path):
            if side.exists():
                shutil.copy2(side, Path(f"{target}{side.name[len(db_path.name):]}"))
    except OSError as err:
        raise UserError(f"无法先保留当前数据文件（{err.strerror}），没有恢复。") from err
    return target


def _checkpoint(db_path: Path) -> None:
    """Fold a healthy file's WAL into it, so removing the WAL below loses nothing even
    if the final rename fails."""
    if not db_path.exists():
        return
    try:
        conn = sqlite3.connect(db_path)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # a damaged file: its raw bytes and WAL were kept by keep_current


def restore_backup(backup_path: Path, db_path: Path, operator: str | None = None) -> Path | None:
    """Put `backup_path` in place of the data file. Every connection to the data file
    must be closed first. Returns where the replaced file was kept (None if there was none).

    The restored file's history then records the restore (when, by whom, from which
    copy, where the replaced file was kept), so an auditor sees why changes vanished.
    """
    backup_path, db_path = Path(backup_path), Path(db_path)
    info = describe_backup(backup_path)  # refuses what is not a usable backup
    if backup_path.resolve() == db_path.resolve():
        raise UserError("不能用数据文件本身来恢复。")
    kept = keep_current(db_path)
    _checkpoint(db_path)
    partial = db_path.with_name(db_path.name + ".restoring")
    try:
        partial.unlink(missing_ok=True)
        source = backup.connect_ro(backup_path)
        try:
            backup.copy_database(source, partial)
        finally:
            source.close()
        if not backup.verify(partial):
            raise UserError(f"从 {backup_path} 复制出的文件校验失败，没有恢复。")
        # The old file's WAL belongs to the old file: left behind, SQLite would replay it
        # onto the restored one. It has been kept above.
        for side in _sidecars(db_path):
            side.unlink(missing_ok=True)
        os.replace(partial, db_path)
    except (OSError, sqlite3.Error) as err:
        partial.unlink(missing_ok=True)
        raise UserError(f"恢复失败：{backup._why(err)}数据文件没有改变。") from err
    except UserError:
        partial.unlink(missing_ok=True)
        raise
    _restore_scans(backup_path, db_path)
    _note_restore(db_path, info, kept, operator)
    return kept


def _restore_scans(backup_path: Path, db_path: Path) -> None:
    """月度考核 (issue 11): the scans the restored file refers to, from the backup's folder."""
    from app.scans import restore_scans

    try:
        restore_scans(backup_path.parent, db_path)
    except (OSError, sqlite3.Error):
        pass  # the data is restored; `check` names any scan still missing


def _note_restore(db_path: Path, info: BackupInfo, kept: Path | None, operator: str | None) -> None:
    from app.store.database import open_store

    try:
        store = open_store(db_path, operator=operator)
    except UserError:
        return  # the restore stands; the note is a courtesy
    try:
        store.note("restore", "audit_log", "", f"从备份恢复：{info.path.name}（{info.taken_at:%Y-%m-%d %H:%M:%S}）",
                   {"backup": str(info.path), "kept": str(kept) if kept else None})
    except UserError:
        pass
    finally:
        store.close()
