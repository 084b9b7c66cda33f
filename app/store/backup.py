"""Consistent copies of the data file, made with SQLite's online backup API.

A copy only counts once it has been opened and has passed `integrity_check`.

Automatic copies are taken at start and at exit into the `backups` folder beside the
data file, named `<data file's name>-YYYYMMDD-HHMMSS-<reason>.sqlite3`. `prune` keeps the
newest 30 of them plus the newest of every calendar month; copies made for another reason
(before a schema upgrade, before a restore, by hand) are never pruned.

Two data files may share one folder (a practice file beside the real one). A copy belongs
to the data file whose identity it carries (settings `file_id`, see app.store.chain), not to
the one its name suggests: nothing offers, compares with or prunes another file's copies.
And "newest" means the copy holding the latest change (the longest history, restores
counted), not the newest name: a PC whose clock fell back stamps stale names.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from typing import Any
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
_NAME = re.compile(r"^(.+?)-(\d{8})-(\d{6})(?:-(\d+))?-([a-z-]+)\.sqlite3$")
DEFAULT_STEM = "dingshou"


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


def folder_read_only(path: Path) -> bool:
    """Whether nothing can be written beside `path` (a read-only share, a CD, a write-
    protected USB stick, or no permission)."""
    folder = Path(path).parent
    if not os.access(folder, os.W_OK):
        return True
    if os.name != "nt":
        return False
    # On Windows os.access reads only the read-only attribute, which folders ignore; the
    # permissions (ACLs) of a share tell only when something is written.
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            return False
    except PermissionError:
        return True
    except OSError:
        return False


def _wal_pending(path: Path) -> bool:
    try:
        return os.path.getsize(f"{path}-wal") > 0
    except OSError:
        return False


def connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection that never writes to the file (not even a journal).

    In a read-only folder SQLite cannot make the shared-memory file a WAL-mode file needs
    even for reading; there, where nothing can change the file, it is read as immutable.
    (A WAL with changes not yet folded in cannot be read that way: SQLite's error stands.)"""
    if os.path.exists(path) and not os.path.isfile(path):  # a named pipe would block for ever
        raise sqlite3.OperationalError(f"{path} is not a regular file")
    conn = sqlite3.connect(_ro_uri(path), uri=True)
    conn.text_factory = decode_text
    if not folder_read_only(path):
        return conn
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.OperationalError:
        if _wal_pending(path):
            raise
        conn.close()
        conn = sqlite3.connect(f"{_ro_uri(path)}&immutable=1", uri=True)
        conn.text_factory = decode_text
    return conn


def verify(path: Path) -> bool:
    """The copy opens and passes integrity_check."""
    try:
        conn = connect_ro(path)
        try:
            return bool(conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
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


class TargetExists(UserError):
    """A backup only ever makes a new file; the target is already there."""


def _exists_message(target: Path) -> str:
    return (f"{target} 已经存在。备份只会新建文件，不会覆盖已有的文件（它可能是另一份数据或备份）。"
            "请换一个文件名，或只选择文件夹（程序会自动起名）。")


def place_new(partial: Path, target: Path) -> None:
    """Move the finished `partial` to `target`, which must not exist: never replace a file.

    A hard link is atomic and fails if the name is taken; where the file system has no
    hard links (a FAT32 USB stick) the name is checked and the file renamed (Windows'
    rename refuses an existing name by itself)."""
    try:
        os.link(partial, target)
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(target):
            raise FileExistsError(target) from None
        os.rename(partial, target)
        return
    partial.unlink()


def backup_connection(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy an open database to `target` (a new file) and verify the copy; remove it if
    it is bad. An existing `target` is refused (TargetExists) and left untouched."""
    target = Path(target)
    if os.path.lexists(target):
        raise TargetExists(_exists_message(target))
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
        place_new(partial, target)
    except FileExistsError:
        _discard(partial)
        raise TargetExists(_exists_message(target)) from None
    except OSError as err:
        _discard(partial)
        raise UserError(f"无法写入备份 {target}：{_why(err)}") from err
    _copy_scans(conn, target)
    return target


def _copy_scans(conn: sqlite3.Connection, target: Path) -> None:
    """月度考核 (issue 11): the scanned signed sheets the file refers to go into the backup
    folder's `scans`, each once (named by content hash), so repeated backups copy nothing."""
    from app.scans import mirror_scans

    row = conn.execute("PRAGMA database_list").fetchone()
    if not row or not row[2]:  # an in-memory database has no folder beside it
        return
    try:
        mirror_scans(conn, Path(row[2]), target.parent)
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


def stem_of(db_path: Path | None) -> str:
    """What a copy's name starts with: the data file's name without its extension."""
    stem = Path(db_path).stem if db_path else ""
    return stem or DEFAULT_STEM


def backup_name(reason: str, when: dt.datetime | None = None, stem: str = DEFAULT_STEM) -> str:
    stamp = (when or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"{stem}-{stamp}-{reason}.sqlite3"


def _free_target(folder: Path, reason: str, when: dt.datetime | None = None,
                 stem: str = DEFAULT_STEM) -> Path:
    """A new name in `folder`. Copies within the same second, whatever their reason, get
    a rising counter, so the order of names is the order they were made in."""
    when = when or dt.datetime.now()
    stamp = when.strftime("%Y%m%d-%H%M%S")
    taken = [b.counter for b in map(parse_backup_name, Path(folder).glob(f"{glob_escape(stem)}-{stamp}-*"))
             if b is not None and b.stem == stem] if Path(folder).is_dir() else []
    if not taken:
        return Path(folder) / backup_name(reason, when, stem)
    return Path(folder) / f"{stem}-{stamp}-{max(taken) + 1}-{reason}.sqlite3"


def glob_escape(text: str) -> str:
    import glob

    return glob.escape(text)


def backup_file(db_path: Path, folder: Path, *, reason: str) -> Path:
    """Back up the file at `db_path` into `folder`, named by its name, date, time and reason."""
    try:
        source = connect_ro(db_path)
    except sqlite3.Error as err:
        raise UserError(f"无法读取数据文件 {db_path}：{err}") from err
    try:
        for _ in range(5):  # another copy took the generated name meanwhile: take the next
            try:
                return backup_connection(source, _free_target(Path(folder), reason, stem=stem_of(db_path)))
            except TargetExists:
                continue
        return backup_connection(source, _free_target(Path(folder), reason, stem=stem_of(db_path)))
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
    stem: str = DEFAULT_STEM  # the data file's name it was made from (a hint, not its owner)
    # What the copy holds, once read (own_backups): restores in its history, last history
    # row. Orders copies by their contents before their names.
    rank: tuple[int, int] = (0, 0)

    @property
    def order(self) -> tuple[tuple[int, int], dt.datetime, int]:
        return (self.rank, self.taken_at, self.counter)

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
        taken = dt.datetime.strptime(match.group(2) + match.group(3), "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return BackupFile(Path(path), taken, match.group(5), int(match.group(4) or 1), match.group(1))


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


@dataclass(frozen=True)
class Owner:
    """What tells a data file's copies from another file's: its identity, and for copies
    made before identities existed, its first history row."""
    file_id: str | None
    first_link: str | None
    stem: str

    @classmethod
    def of(cls, db_path: Path, conn: sqlite3.Connection | None = None) -> "Owner":
        from app.store import chain

        own = conn is None
        file_id = first = None
        try:
            reader = connect_ro(db_path) if conn is None else conn
            try:
                file_id, first = chain.file_identity(reader), chain.first_link(reader)
            finally:
                if own:
                    reader.close()
        except (sqlite3.Error, OSError, ValueError):
            pass  # missing or unreadable: only the name can tell
        return cls(file_id, first, stem_of(db_path))

    def owns(self, copy: "CopyState", named: BackupFile) -> bool:
        if self.file_id is None and self.first_link is None:
            return named.stem == self.stem  # the data file is missing or unreadable
        if copy.file_id is not None:
            return copy.file_id == self.file_id
        return copy.first_link is not None and copy.first_link == self.first_link


@dataclass(frozen=True)
class CopyState:
    file_id: str | None
    first_link: str | None
    rank: tuple[int, int]  # (restores in its history, last history row)


# One query per copy, each part by an index: the identity, the last history row, and the
# restores recorded (restore notes are filed under table "audit_log", record "").
_STATE = ("SELECT (SELECT value FROM settings WHERE key = 'file_id'), "
          "(SELECT coalesce(max(id), 0) FROM audit_log), "
          "(SELECT count(*) FROM audit_log WHERE table_name = 'audit_log' AND record_id = '' "
          "AND action = 'restore')")


def copy_state(path: Path) -> CopyState | None:
    """What a copy holds, read-only; None if it cannot be read as one of ours."""
    from app.store import chain

    try:
        conn = connect_ro(path)
    except sqlite3.Error:
        return None
    try:
        file_id, last, restores = conn.execute(_STATE).fetchone()
        first = None if file_id else chain.first_link(conn)  # a copy older than identities
        return CopyState(file_id, first, (int(restores), int(last)))
    except sqlite3.Error:
        return None
    finally:
        conn.close()


class _StateCache:
    """What each copy holds, remembered in `backups/.copies.json` by name, size and time: a
    copy never changes once made, so the daily start reads only the copies made since.
    The cache decides nothing a fresh read would not: a copy whose size or time changed is
    read again, and a cache that cannot be read or written is simply not used."""

    NAME = ".copies.json"

    def __init__(self, folder: Path):
        self.path = Path(folder) / self.NAME
        self.entries: dict[str, list[Any]] = {}
        self.seen: set[str] = set()
        self.changed = False

    def __enter__(self) -> "_StateCache":
        import json

        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            self.entries = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            self.entries = {}
        return self

    def state(self, path: Path) -> "CopyState | None":
        try:
            info = path.stat()
        except OSError:
            return None
        key = f"{path.name}|{info.st_size}|{info.st_mtime_ns}"
        self.seen.add(key)
        entry = self.entries.get(key)
        if isinstance(entry, list) and len(entry) == 4:
            return None if entry[0] == "unreadable" else CopyState(entry[1], entry[2], tuple(entry[3]))
        state = copy_state(path)
        self.entries[key] = (["unreadable", None, None, [0, 0]] if state is None else
                             ["ok", state.file_id, state.first_link, list(state.rank)])
        self.changed = True
        return state

    def __exit__(self, *exc: object) -> None:
        import json

        stale = set(self.entries) - self.seen
        if not (self.changed or stale) or exc[0] is not None:
            return
        for key in stale:
            del self.entries[key]
        partial = self.path.with_name(self.NAME + ".partial")
        try:
            partial.write_text(json.dumps(self.entries, ensure_ascii=False), encoding="utf-8")
            os.replace(partial, self.path)
        except OSError:
            _discard(partial)


def own_backups(db_path: Path, conn: sqlite3.Connection | None = None,
                folder: Path | None = None, *, fresh: bool = False) -> list[BackupFile]:
    """The copies in the data file's backup folder that belong to it, the one holding the
    latest change first. `conn`: an open connection to the data file, if there is one.
    `fresh`: read every copy, not trusting the cache (for `check`, which weighs evidence)."""
    owner = Owner.of(db_path, conn)
    folder = folder or backup_dir_for(db_path)
    found = []
    if fresh:
        states = [(named, copy_state(named.path)) for named in backups_in(folder)]
    else:
        with _StateCache(folder) as cache:
            states = [(named, cache.state(named.path)) for named in backups_in(folder)]
    for named, state in states:
        if state is None:
            if named.stem == owner.stem and named.reason == "damaged":
                found.append(named)  # kept raw by a restore: shown as what it is, never pruned
            continue
        if owner.owns(state, named):
            found.append(BackupFile(named.path, named.taken_at, named.reason, named.counter,
                                    named.stem, state.rank))
    return sorted(found, key=lambda b: b.order, reverse=True)


def prune(folder: Path, keep_last: int = 30, keep_monthly: bool = True,
          backups: list[BackupFile] | None = None) -> list[Path]:
    """Delete the automatic copies retention does not keep; returns what was deleted.
    `backups`: one data file's own copies (own_backups); others are never touched."""
    backups = backups_in(folder) if backups is None else backups
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

Fingerprint = tuple[int, tuple[Any, ...], tuple[Any, ...]]


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
    if conn is None:
        try:
            conn = connect_ro(db_path)
        except sqlite3.Error as err:
            raise UserError(f"无法读取数据文件 {db_path}：{err}") from err
    try:
        current = fingerprint(conn)
        mine = own_backups(db_path, conn, folder)
        newest = [b for b in mine if b.reason != "damaged"][:1]
        if current is not None and newest and _fingerprint_of(newest[0].path) == current:
            result = AutoBackup(newest[0].path, made=False)
        else:
            made = backup_connection(conn, _free_target(folder, reason, stem=stem_of(db_path)))
            result = AutoBackup(made, made=True)
            mine = own_backups(db_path, conn, folder)
    finally:
        if own:
            conn.close()
    prune(folder, keep_last, keep_monthly, backups=mine)
    return result
