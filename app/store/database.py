"""Opening the data file: create and seed a new one, or check an existing one first.

An existing file is inspected read-only before anything writes to it. A file that is
empty, not SQLite, not ours, damaged, or written by a newer build is refused with a
Chinese message and left byte-for-byte as it was. Pending schema steps run only after
a verified backup copy has been written.
"""
from __future__ import annotations

import functools
import os
import re
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from app.store.sqlite import database

from app.errors import DatabaseRefused
from app.store import backup
from app.store.migrations import MIGRATION_SET, known_names, migrations
from app.store.store import SYSTEM_OPERATOR, Store

# PRAGMA application_id marks the file as ours ("DSHT" in ASCII).
APPLICATION_ID = 0x44534854
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class Inspection:
    """What a read-only look at an existing file found."""
    applied: list[str]
    pending: list[str]


def _refuse(path: Path, reason: str) -> DatabaseRefused:
    return DatabaseRefused(f"无法打开数据文件 {path}：{reason}文件没有被改动。")


def inspect_file(path: Path) -> Inspection:
    """Check an existing file without writing to it; raise DatabaseRefused if it is not usable."""
    try:
        kind = os.stat(path).st_mode
    except (OSError, ValueError) as err:  # ValueError: a path with a NUL in it
        raise _refuse(path, f"读取失败（{getattr(err, 'strerror', None) or err}）。") from err
    if stat.S_ISDIR(kind):
        raise _refuse(path, "这是一个文件夹，不是数据文件。")
    if not stat.S_ISREG(kind):  # a named pipe would make the read below wait for ever
        raise _refuse(path, "它不是普通文件（是命名管道、设备或套接字），不是盯守台账的数据文件。")
    try:
        with open(path, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except (OSError, ValueError) as err:  # ValueError: a path with a NUL in it
        raise _refuse(path, f"读取失败（{getattr(err, 'strerror', None) or err}）。") from err
    if not header:
        raise _refuse(path, "这是一个空文件，不是盯守台账的数据文件。")
    if header != SQLITE_HEADER:
        raise _refuse(path, "它不是 SQLite 数据库，可能是其他类型的文件被改了扩展名。")
    try:
        conn = backup.connect_ro(path)
    except sqlite3.Error as err:
        raise _refuse(path, f"SQLite 无法读取它（{err}）。") from err
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise _refuse(path, "它是 SQLite 数据库，但不是盯守台账的数据文件。")
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
        if problems != ["ok"]:
            raise _refuse(path, "文件已损坏（完整性检查未通过）。请从备份恢复。")
        applied = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
                [MIGRATION_SET],
            )
        ]
        known = known_names()
        if applied == known[: len(applied)] and schema_of(conn) != expected_schema(len(applied)):
            raise _refuse(path, "文件已损坏（表结构与本程序写入的不一致）。请从备份恢复。")
    except (sqlite3.DatabaseError, UnicodeError) as err:
        raise _refuse(path, f"文件已损坏或无法识别（{err}）。请从备份恢复。") from err
    finally:
        conn.close()
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise _refuse(
            path, "它由更新版本的盯守台账写入，当前程序版本较旧。请安装最新版本后再打开。"
        )
    return Inspection(applied, [name for name in known if name not in applied])


def schema_of(conn: sqlite3.Connection) -> dict[tuple[str, str], object]:
    """What each table, index and trigger *does*, as SQLite reports it: a table's columns and
    foreign keys, an index's table, uniqueness, columns and condition, a trigger's or view's
    SQL (whitespace aside).

    integrity_check does not read the schema's SQL text, so a flipped byte there (a column
    called `kez` instead of `key`) passes it; comparing with the schema the applied steps
    make catches that before anything fails half-way through an action. Comparing what the
    entries do, not only their names, also catches an append-only trigger replaced by a
    same-named one that does nothing, or a unique index that lost its uniqueness.
    """
    entries: dict[tuple[str, str], object] = {}
    rows = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for kind, name, table, sql in rows:
        if kind == "table":
            entries[(kind, name)] = (
                tuple(tuple(col[1:6]) for col in conn.execute(f"PRAGMA table_info([{name}])")),
                tuple(sorted(tuple(fk[2:5]) for fk in conn.execute(f"PRAGMA foreign_key_list([{name}])"))),
            )
        elif kind == "index":
            listed = {row[1]: row for row in conn.execute(f"PRAGMA index_list([{table}])")}
            unique = listed[name][2] if name in listed else None
            columns = tuple(tuple(col[2:]) for col in conn.execute(f"PRAGMA index_xinfo([{name}])"))
            parts = re.split(r"\sWHERE\s", sql or "", maxsplit=1, flags=re.IGNORECASE)
            where = " ".join(parts[1].split()) if len(parts) == 2 else ""
            entries[(kind, name)] = (table, unique, columns, where)
        else:  # trigger, view
            entries[(kind, name)] = (table, " ".join((sql or "").split()))
    return entries


@functools.lru_cache(maxsize=8)
def expected_schema(steps_applied: int) -> dict[tuple[str, str], object]:
    """The schema a file has after the first `steps_applied` known migration steps."""
    db = database()
    names = known_names()
    if steps_applied < len(names):
        migrations.apply(db, stop_before=names[steps_applied])
    else:
        migrations.apply(db)
    return schema_of(db.conn)


def _configure(db: Database) -> None:
    db.conn.text_factory = backup.decode_text
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA journal_mode = WAL")
    # FULL: a committed action survives a power cut, not only a crash of the program.
    db.execute("PRAGMA synchronous = FULL")


def _migrate(db: Database) -> None:
    migrations.apply(db)
    db.execute(f"PRAGMA user_version = {len(known_names())}")


def create_database(path: Path) -> None:
    """Create a new, migrated and seeded data file at `path` (which must not exist).

    It is built under a temporary name and renamed into place, so a crash half-way
    never leaves a half-made file where the program would find it.
    """
    from app.contract import load_seed_contract, seed_contract

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".creating")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    db = database(partial)
    try:
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        _migrate(db)
        store = Store(db, partial, operator=SYSTEM_OPERATOR)
        seed_contract(store, load_seed_contract())
        db.execute("PRAGMA journal_mode = DELETE")  # one self-contained file to rename
    finally:
        db.close()
    os.replace(partial, path)


def _create_under_lock(path: Path) -> None:
    """Create the missing file holding the data file's lock, so that of several processes
    starting at once exactly one creates it and the others open what it made."""
    from app.store.lock import InstanceLock, held_here

    if held_here(path):
        if not path.exists():
            create_database(path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with InstanceLock(path, holder="新建数据文件", wait=30.0):
        if not path.exists():
            create_database(path)


def open_store(path: Path, *, operator: str | None = None, create: bool = True,
               backup_reason: str | None = None) -> Store:
    """Open (creating and seeding if absent) the data file at `path`.

    With `backup_reason` (the window passes "start") a verified copy is taken into the
    backup folder before anything writes to the file; pending schema steps always get one.
    A refused file's error carries the newest good backup.
    """
    path = Path(path)
    if not path.exists():
        if not create:
            raise _with_newest_backup(DatabaseRefused(
                f"数据文件 {path} 不存在（没有新建：只有写入数据的命令或窗口的“新建数据文件”才会新建）。"), path)
        _create_under_lock(path)
    try:
        inspection = inspect_file(path)
    except DatabaseRefused as err:
        raise _with_newest_backup(err, path) from err.__cause__
    if backup.folder_read_only(path):
        return _open_read_only(path, inspection, operator)
    if inspection.pending:
        backup.backup_file(path, backup.backup_dir_for(path), reason="before-migration")
    elif backup_reason:
        backup.auto_backup(path, backup_reason)
    db = database(path)
    try:
        _configure(db)
        if inspection.pending:
            _migrate(db)
        return Store(db, path, operator=operator)
    except (sqlite3.DatabaseError, UnicodeError) as err:
        db.close()
        raise _with_newest_backup(
            DatabaseRefused(f"无法打开数据文件 {path}：打开时发现文件已损坏（{err}）。请从备份恢复。"), path
        ) from err


READ_ONLY_FOLDER = ("数据文件所在的文件夹 {folder} 是只读的（只读的共享文件夹、光盘、写保护的U盘，或没有写入权限）。"
                    "文件本身是完好的：可以查看、检查（check），也可以备份到其他文件夹（backup --to）；"
                    "要修改数据，请把它复制到可以写入的文件夹，或请管理员开放写入权限。")


def read_only_folder_message(path: Path) -> str:
    return READ_ONLY_FOLDER.format(folder=Path(path).parent)


def _open_read_only(path: Path, inspection: Inspection, operator: str | None) -> Store:
    """A healthy file in a folder nothing can be written to: opened for reading only."""
    if inspection.pending:
        raise DatabaseRefused(f"无法打开数据文件 {path}：它需要升级数据格式，但{read_only_folder_message(path)}")
    db = database(backup.connect_ro(path))
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return Store(db, path, operator=operator)


def _with_newest_backup(err: DatabaseRefused, path: Path) -> DatabaseRefused:
    from app.store.restore import newest_good_backup

    try:
        newest = newest_good_backup(path)
    except Exception:  # noqa: BLE001 - looking for a backup must never hide why the file was refused
        newest = None
    if newest is None:
        return err
    offer = DatabaseRefused(
        f"{err}\n\n最新的完好备份是 {newest.taken_at:%Y-%m-%d %H:%M}（{newest.reason_label}，"
        f"最后一次修改 {newest.last_change_at}）：\n{newest.path}\n可以从这份备份恢复。"
    )
    offer.newest_backup = newest
    return offer


def open_memory_store(operator: str = "测试") -> Store:
    """A seeded in-memory database, for tests and throwaway checks."""
    from app.contract import load_seed_contract, seed_contract

    db = database()
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    _migrate(db)
    store = Store(db, None, operator=operator)
    seed_contract(store, load_seed_contract())
    return store
