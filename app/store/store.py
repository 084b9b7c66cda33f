"""The one place every write goes through: a transaction per user action, audited.

    with store.action("新增服务人员") as act:
        worker_id = act.insert("workers", {...})

Either everything in the block is written, with one audit row per record changed, or
nothing is. After a commit, listeners get a `Changes`: which tables changed, which audited
events changed no data (a number revealed, a list exported), who made the change and from
which screen (the window refreshes the screens that show those tables).
"""
from __future__ import annotations

import datetime as dt
import getpass
import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from sqlite_utils import Database

from app.store.sqlite import database

from app.errors import UserError

if TYPE_CHECKING:
    from app.store.backup import AutoBackup

SYSTEM_OPERATOR = "系统"


class WriteFailed(UserError):
    """A write the disk refused; the transaction was rolled back, nothing was changed."""


@dataclass(frozen=True)
class Note:
    """An audited event that changes no data: `reveal` of a masked number, `export`."""
    action: str
    table: str
    record_id: str


@dataclass(frozen=True)
class Changes:
    """What one committed action did, for screens deciding whether to refresh.

    `tables`: the tables whose rows changed. `notes`: audited events that changed no data
    (only the change history grew). `origin`: what the caller passed as `origin=` to
    `Store.action` / `Store.note` — the screen that made the change, which may already show
    it and skip a reload; None when not given. `operator`: the 经办人 who made it.
    """
    tables: frozenset[str]
    summary: str = ""
    notes: tuple[Note, ...] = ()
    origin: object | None = None
    operator: str = ""

    def touches(self, *tables: str) -> bool:
        """Rows changed in any of these tables (what a screen showing them must reload)."""
        return bool(self.tables.intersection(tables))

    def audited(self, *tables: str) -> bool:
        """The change history of these tables grew: rows changed, or a note about them."""
        return self.touches(*tables) or any(note.table in tables for note in self.notes)

    def merged(self, later: Changes) -> Changes:
        """This and a later notice as one (for a screen that was hidden in between)."""
        return Changes(self.tables | later.tables, later.summary, self.notes + later.notes,
                       self.origin if self.origin is later.origin else None, later.operator)


def now_text() -> str:
    return dt.datetime.now().isoformat(sep=" ", timespec="seconds")


def append_audit(db: Database, operator: str, action: str, table: str, record_id: Any,
                 changes: dict[str, Any], summary: str) -> None:
    """One row of the change history, chained to the row before it (see app.store.chain).
    The id is the next one, so the chain's order is the rows' order whatever the clock says."""
    from app.store import chain

    last = db.execute("SELECT id, chain FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    row = {
        "id": (last[0] + 1) if last else 1,
        "at": now_text(),
        "operator": operator,
        "action": action,
        "table_name": table,
        "record_id": str(record_id),
        "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
        "summary": summary,
    }
    row["chain"] = chain.link(last[1] if last else "", [row[f] for f in chain.FIELDS])
    db["audit_log"].insert(row)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def describe_write_error(err: sqlite3.Error) -> str:
    text = str(err).lower()
    if "disk is full" in text or "disk i/o" in text:
        return "保存失败：磁盘空间已满或磁盘无法写入。请清理磁盘空间后重试，刚才的操作没有保存，之前的数据不受影响。"
    if "readonly" in text or "read-only" in text:
        return "保存失败：数据文件是只读的（可能在光盘、写保护的U盘上，或没有写入权限）。刚才的操作没有保存，之前的数据不受影响。"
    if "malformed" in text or "not a database" in text:
        return "保存失败：数据文件已损坏。刚才的操作没有保存。请关闭程序后重新打开，按提示从备份恢复。"
    if "locked" in text or "busy" in text:
        return "保存失败：数据文件正被另一个程序占用。请关闭其他打开此文件的程序后重试，刚才的操作没有保存。"
    return f"保存失败，刚才的操作没有保存，之前的数据不受影响。（技术信息：{err}）"


@dataclass
class Action:
    """The writes of one user action. Use only inside `Store.action()`."""
    store: "Store"
    summary: str
    tables: set[str] = field(default_factory=set)  # rows changed
    notes: list[Note] = field(default_factory=list)  # audited, no data changed
    origin: object | None = None

    def _audit(self, action: str, table: str, record_id: Any, changes: dict[str, Any]) -> None:
        append_audit(self.store.db, self.store.operator, action, table, record_id, changes, self.summary)

    def insert(self, table: str, record: dict[str, Any], *, pk: str = "id") -> Any:
        row = {k: _jsonable(v) for k, v in record.items()}
        tbl = self.store.db[table]
        tbl.insert(row, pk=pk)
        record_id = row.get(pk, tbl.last_pk)
        self._audit("insert", table, record_id, {k: [None, v] for k, v in row.items() if v is not None})
        self.tables.add(table)
        return record_id

    def insert_many(self, table: str, records: list[dict[str, Any]]) -> list[int]:
        """`insert` for many records of an integer-keyed table at once (a month's roster:
        thousands of cells), with the same audit rows; returns the new ids in order."""
        if not records:
            return []
        columns = sorted({k for r in records for k in r})
        conn = self.store.db.conn
        next_id = conn.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM [{table}]").fetchone()[0]
        rows = [{k: _jsonable(r.get(k)) for k in columns} for r in records]
        ids = list(range(next_id, next_id + len(rows)))
        names = ", ".join(f"[{c}]" for c in ["id", *columns])
        conn.executemany(f"INSERT INTO [{table}] ({names}) VALUES ({', '.join('?' * (len(columns) + 1))})",
                         [[i, *(row[c] for c in columns)] for i, row in zip(ids, rows)])
        # The same audit rows `append_audit` writes, each chained to the one before it.
        from app.store import chain

        last = conn.execute("SELECT id, chain FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        audit_id, previous = (last[0], last[1]) if last else (0, "")
        at = now_text()
        audit_rows = []
        for record_id, row in zip(ids, rows):
            audit_id += 1
            fields = [audit_id, at, self.store.operator, "insert", table, str(record_id),
                      json.dumps({k: [None, v] for k, v in row.items() if v is not None},
                                 ensure_ascii=False, sort_keys=True), self.summary]
            previous = chain.link(previous, fields)
            audit_rows.append([*fields, previous])
        conn.executemany(f"INSERT INTO audit_log ({', '.join(chain.FIELDS)}, chain) VALUES "
                         f"({', '.join('?' * (len(chain.FIELDS) + 1))})", audit_rows)
        self.tables.add(table)
        return ids

    def update(self, table: str, record_id: Any, changes: dict[str, Any]) -> dict[str, list[Any]]:
        """Change some fields of one record; returns {field: [old, new]} of what really changed."""
        tbl = self.store.db[table]
        old = tbl.get(record_id)
        diff = {
            k: [old.get(k), _jsonable(v)]
            for k, v in changes.items()
            if old.get(k) != _jsonable(v)
        }
        if diff:
            tbl.update(record_id, {k: new for k, (_, new) in diff.items()})
            self._audit("update", table, record_id, diff)
            self.tables.add(table)
        return diff

    def delete(self, table: str, record_id: Any) -> None:
        tbl = self.store.db[table]
        old = tbl.get(record_id)
        tbl.delete(record_id)
        self._audit("delete", table, record_id, {k: [v, None] for k, v in old.items() if v is not None})
        self.tables.add(table)

    def note(self, action: str, table: str, record_id: Any, details: dict[str, Any] | None = None) -> None:
        """Audit something done that changes no data (see `Store.note`)."""
        self._audit(action, table, record_id, details or {})
        self.notes.append(Note(action, table, str(record_id)))


class Store:
    """An open data file: the sqlite-utils database plus who is working on it."""

    def __init__(self, db: Database, path: Path | None, operator: str | None = None):
        self.db = db
        self.path = path
        self.operator = operator or self.setting("operator") or _os_user()
        self._listeners: list[Callable[[Changes], None]] = []
        self._current: Action | None = None  # the action under way, for nesting

    def setting(self, key: str, default: str | None = None) -> str | None:
        if not self.db["settings"].exists():
            return default
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def subscribe(self, listener: Callable[[Changes], None]) -> None:
        self._listeners.append(listener)

    @contextmanager
    def action(self, summary: str, *, origin: object | None = None) -> Iterator[Action]:
        """One user action, one transaction. Nested actions join the outer one.

        `origin` (the screen acting) is handed back in the `Changes` listeners receive."""
        act = Action(self, summary, origin=origin)
        outermost = not self.db.conn.in_transaction
        outer, self._current = self._current, act
        try:
            with self.db.atomic():
                yield act
        except sqlite3.IntegrityError as err:
            if "append-only" in str(err):
                raise WriteFailed("修改记录只能追加，不能修改或删除。刚才的操作没有保存。") from err
            raise WriteFailed(f"保存失败：数据不符合规则，刚才的操作没有保存，之前的数据不受影响。（技术信息：{err}）") from err
        except sqlite3.DatabaseError as err:  # OperationalError (full, read-only, locked) and damage
            raise WriteFailed(describe_write_error(err)) from err
        finally:
            self._current = outer
        if outer is not None and not outermost:
            outer.tables |= act.tables  # listeners hear of a nested action's writes with the outer one
            outer.notes += act.notes
        if outermost and (act.tables or act.notes):
            changes = Changes(frozenset(act.tables), summary, tuple(act.notes), act.origin, self.operator)
            for listener in list(self._listeners):
                listener(changes)

    def note(self, action: str, table: str, record_id: Any, summary: str,
             details: dict[str, Any] | None = None, *, origin: object | None = None) -> None:
        """Record in the audit log something done that changes no data (e.g. `reveal`
        of a masked ID number, `export` of personal data). Listeners get a `Changes` with
        this note and no changed table: no screen reloads its rows for it."""
        with self.action(summary, origin=origin) as act:
            act.note(action, table, record_id, details)

    def set_setting(self, key: str, value: str) -> None:
        with self.action("修改设置") as act:
            if self.db["settings"].count_where("key = ?", [key]):
                act.update("settings", key, {"value": value})
            else:
                act.insert("settings", {"key": key, "value": value}, pk="key")

    def set_operator(self, name: str) -> None:
        from app.validation import check_text

        name = check_text(name, "经办人姓名", 20, "operator", required=True)
        previous, self.operator = self.operator, name  # listeners already see the new name
        try:
            self.set_setting("operator", name)
        except Exception:
            self.operator = previous
            raise

    def backup_copy(self, reason: str) -> AutoBackup:
        """A verified copy of the open file through this connection (the exit backup),
        skipped when the newest copy already holds the same data."""
        from app.store import backup

        if self.path is None:
            raise UserError("内存中的数据库没有数据文件，无法备份。")
        return backup.auto_backup(self.path, reason, conn=self.db.conn)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def reader(self) -> Iterator["Store"]:
        """The same data file for another thread to read: its own read-only connection
        (sqlite3 refuses a connection made on another thread). An in-memory store, which no
        other connection can see, is handed back as it is."""
        if self.path is None:
            yield self
            return
        from app.store.backup import connect_ro

        conn = connect_ro(self.path)
        try:
            yield Store(database(conn), self.path, operator=self.operator)
        finally:
            conn.close()


# What reading a data file that has been closed raises (a window closing while a deferred
# read was still queued): screens that read late catch this and nothing else.
StoreClosed = sqlite3.ProgrammingError


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some service contexts
        return "未知"
