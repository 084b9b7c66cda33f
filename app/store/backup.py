"""Consistent copies of the data file, made with SQLite's online backup API.

A copy only counts once it has been opened and has passed `integrity_check`.

Automatic copies are taken at start and at exit into the `backups` folder beside the
data file, named `dingshou-YYYYMMDD-HHMMSS-<reason>.sqlite3`. `prune` keeps the newest
30 of them plus the newest of every calendar month; copies made for another reason
(before a schema upgrade, before a restore, by hand) are never pruned.
"""
from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.errors import UserError
from app.paths import user_path

BACKUP_DIRNAME = "backups"
AUTO_REASONS = frozenset({"start", "exit"})
REASON_LABELS = {
    "start": "启动时自动备份",
    "exit": "退出时自动备份",
    "manual": "手动备份",
    "before-migration": "升级数据格式前",
    "before-restore": "恢复备份前",
    "damaged": "恢复前保留的损坏文件",
}
_NAME = re.compile(r"^dingshou-(\d{8})-(\d{6})(?:-(\d+))?-([a-z-]+)\.sqlite3$")


def backup_dir_for(db_path: Path) -> Path:
    """Backups live in a `backups` folder beside the data file."""
    return Path(db_path).parent / BACKUP_DIRNAME


def _ro_uri(path: Path) -> str:
    return f"{Path(path).resolve().as_uri()}?mode=ro"


def decode_text(raw: bytes) -> str:
    """Text as SQLite stores it; a byte damaged on disk shows as � instead of stopping
    every read of that row (integrity_check cannot see damage inside a value, and its
    own report quotes damaged bytes)."""
    return raw.decode("utf-8", "replace")


def connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection that never writes to the file (not even a journal)."""
    conn = sqlite3.connect(_ro_uri(path), uri=True)
    conn.text_factory = decode_text
    return conn


def verify(path: Path) -> bool:
    """The copy opens and passes integrity_check."""
    try:
        conn = connect_ro(path)
        try:
            return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def copy_database(source: sqlite3.Connection, dest_path: Path) -> None:
    """A consistent copy of an open database into one self-contained file (no -wal)."""
    dest = sqlite3.connect(dest_path)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()


def backup_connection(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy an open database to `target` and verify the copy; remove it if it is bad."""
    target = Path(target)
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        copy_database(conn, partial)
    except (OSError, sqlite3.Error) as err:
        _discard(partial)
        raise UserError(f"无法写入备份 {target}：{_why(err)}") from err
    if not verify(partial):
        _discard(partial)
        raise UserError(f"备份文件 {target} 校验失败，已删除这份备份。请检查磁盘后重试。")
    try:
        partial.replace(target)
    except OSError as err:
        _discard(partial)
        raise UserError(f"无法写入备份 {target}：{_why(err)}") from err
    _copy_scans(conn, target)
    return target


def _copy_scans(conn: sqlite3.Connection, target: Path) -> None:
    """月度考核 (issue 11): the scanned signed sheets the file refers to go into the backup
    folder's `scans`, each once (named by content hash), so repeated backups copy nothing."""
    from app.scans import mirror_scans

    try:
        mirror_scans(conn, target.parent)
    except OSError as err:
        raise UserError(f"数据文件已备份到 {target}，但签字考核表扫描件没有全部复制：{_why(err)}") from err


def _discard(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _why(err: Exception) -> str:
    text = str(err).lower()
    if "full" in text or getattr(err, "errno", None) == 28:
        return "磁盘空间已满。"
    if "readonly" in text or "read-only" in text or isinstance(err, PermissionError):
        return "目标位置只读或没有写入权限。"
    return f"{getattr(err, 'strerror', None) or err}。"


def check_target(text: str) -> Path:
    """Where the clerk asked to back up to (a folder, e.g. a USB stick), checked before
    anything is written."""
    from app.validation import check_text

    text = check_text(text, "备份位置", 260, "target")
    if not text:
        raise UserError("请选择备份位置。")
    folder = user_path(text)
    try:
        exists, is_dir = folder.exists(), folder.is_dir()
    except (OSError, ValueError) as err:
        raise UserError(f"备份位置“{text}”无法使用（{err}）。") from err
    if exists and not is_dir:
        raise UserError(f"备份位置“{text}”是一个文件，请选择文件夹。")
    if not exists:
        raise UserError(f"文件夹“{text}”不存在。请插好U盘，或选择已有的文件夹。")
    return folder


def backup_name(reason: str, when: dt.datetime | None = None) -> str:
    stamp = (when or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"dingshou-{stamp}-{reason}.sqlite3"


def _free_target(folder: Path, reason: str, when: dt.datetime | None = None) -> Path:
    """A new name in `folder`. Copies within the same second, whatever their reason, get
    a rising counter, so the order of names is the order they were made in."""
    when = when or dt.datetime.now()
    stamp = when.strftime("%Y%m%d-%H%M%S")
    taken = [b.counter for b in map(parse_backup_name, Path(folder).glob(f"dingshou-{stamp}-*"))
             if b is not None] if Path(folder).is_dir() else []
    if not taken:
        return Path(folder) / backup_name(reason, when)
    return Path(folder) / f"dingshou-{stamp}-{max(taken) + 1}-{reason}.sqlite3"


def backup_file(db_path: Path, folder: Path, *, reason: str) -> Path:
    """Back up the file at `db_path` into `folder`, named by date, time and reason."""
    try:
        source = connect_ro(db_path)
    except sqlite3.Error as err:
        raise UserError(f"无法读取数据文件 {db_path}：{err}") from err
    try:
        return backup_connection(source, _free_target(Path(folder), reason))
    finally:
        source.close()


# --- which copies exist ------------------------------------------------------------------

@dataclass(frozen=True)
class BackupFile:
    """A file in the backup folder whose name this program gave it."""
    path: Path
    taken_at: dt.datetime
    reason: str
    counter: int = 1  # the second copy within one second is "-2", and so on

    @property
    def order(self) -> tuple[dt.datetime, int]:
        return (self.taken_at, self.counter)

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)

    @property
    def automatic(self) -> bool:
        return self.reason in AUTO_REASONS


def parse_backup_name(path: Path) -> BackupFile | None:
    match = _NAME.match(Path(path).name)
    if not match:
        return None
    try:
        taken = dt.datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return BackupFile(Path(path), taken, match.group(4), int(match.group(3) or 1))


def backups_in(folder: Path) -> list[BackupFile]:
    """The program's copies in `folder`, newest first (other files are ignored)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = [b for b in map(parse_backup_name, folder.iterdir()) if b is not None and b.path.is_file()]
    return sorted(found, key=lambda b: b.order, reverse=True)


def to_keep(backups: Iterable[BackupFile], keep_last: int = 30, keep_monthly: bool = True) -> set[Path]:
    """The automatic copies retention keeps: the newest `keep_last`, plus the newest of
    each calendar month. Copies made for another reason are always kept."""
    ordered = sorted(backups, key=lambda b: b.order, reverse=True)
    keep = {b.path for b in ordered if not b.automatic}
    automatic = [b for b in ordered if b.automatic]
    keep.update(b.path for b in automatic[:keep_last])
    if keep_monthly:
        seen: set[tuple[int, int]] = set()
        for b in automatic:
            month = (b.taken_at.year, b.taken_at.month)
            if month not in seen:
                seen.add(month)
                keep.add(b.path)
    return keep


def prune(folder: Path, keep_last: int = 30, keep_monthly: bool = True) -> list[Path]:
    """Delete the automatic copies retention does not keep; returns what was deleted."""
    backups = backups_in(folder)
    keep = to_keep(backups, keep_last, keep_monthly)
    removed = []
    for b in backups:
        if b.path not in keep:
            try:
                b.path.unlink()
                removed.append(b.path)
            except OSError:
                pass  # a copy someone holds open is pruned next time
    return removed


# --- automatic copies --------------------------------------------------------------------

Fingerprint = tuple[int, tuple, tuple]


def fingerprint(conn: sqlite3.Connection) -> Fingerprint | None:
    """What identifies the data's state: the schema version and the first and last audit
    rows. Every change goes through the append-only audit log, so equal fingerprints mean
    equal data; the first row (when the file was made) tells two data files apart that
    share one backup folder."""
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        ends = conn.execute(
            "SELECT id, at, operator, summary, changes FROM audit_log "
            "WHERE id IN ((SELECT min(id) FROM audit_log), (SELECT max(id) FROM audit_log)) ORDER BY id"
        ).fetchall()
    except sqlite3.Error:
        return None
    if not ends:
        return None
    return (version, tuple(ends[0]), tuple(ends[-1]))


def _fingerprint_of(path: Path) -> Fingerprint | None:
    try:
        conn = connect_ro(path)
    except sqlite3.Error:
        return None
    try:
        return fingerprint(conn)
    finally:
        conn.close()


@dataclass(frozen=True)
class AutoBackup:
    path: Path  # the copy that holds the data as it is now
    made: bool  # False: the newest copy already held exactly this data


def auto_backup(db_path: Path, reason: str, *, conn: sqlite3.Connection | None = None,
                keep_last: int = 30, keep_monthly: bool = True) -> AutoBackup:
    """Copy the data file into its backup folder unless the newest copy already holds
    the same data; then prune old automatic copies.

    `conn` is an open connection to the file (at exit the window's own); without it the
    file is opened read-only.
    """
    folder = backup_dir_for(db_path)
    own = conn is None
    if own:
        try:
            conn = connect_ro(db_path)
        except sqlite3.Error as err:
            raise UserError(f"无法读取数据文件 {db_path}：{err}") from err
    try:
        current = fingerprint(conn)
        newest = backups_in(folder)[:1]
        if current is not None and newest and _fingerprint_of(newest[0].path) == current:
            result = AutoBackup(newest[0].path, made=False)
        else:
            result = AutoBackup(backup_connection(conn, _free_target(folder, reason)), made=True)
    finally:
        if own:
            conn.close()
    prune(folder, keep_last, keep_monthly)
    return result
