"""`python -m app check`: is the data file whole, and do its records agree?

Read-only: the file is inspected as on open, then opened with `mode=ro`. Each check is a
small function returning problems in Chinese; later features (the payment ledger's
installments that must sum to the contract total) add theirs to CHECKS.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import DatabaseRefused
from app.store import backup
from app.store.database import inspect_file
from app.store.migrations import known_names

# Tables the program writes without the audit log (SQLite's own and the migrations').
UNAUDITED = frozenset({"audit_log", "_sqlite_migrations"})


@dataclass(frozen=True)
class CheckResult:
    name: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class CheckReport:
    path: Path
    results: list[CheckResult]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    def lines(self) -> list[str]:
        out = [f"数据文件：{self.path}"]
        for r in self.results:
            out.append(f"{'通过' if r.ok else '未通过'}  {r.name}")
            out += [f"      · {p}" for p in r.problems]
        out.append("结论：全部检查通过。" if self.ok else "结论：发现问题。请从备份恢复，或把数据文件交给技术人员检查。")
        return out


def check_integrity(conn: sqlite3.Connection) -> list[str]:
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    return [] if rows == ["ok"] else rows


def check_foreign_keys(conn: sqlite3.Connection) -> list[str]:
    return [f"表 {table} 第 {rowid} 行引用的 {parent} 记录不存在"
            for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")]


def check_schema_version(conn: sqlite3.Connection) -> list[str]:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    problems = []
    if applied != known_names()[: len(applied)]:
        problems.append("数据格式升级记录与本程序不一致")
    if version != len(applied):
        problems.append(f"数据格式版本 {version} 与已完成的升级步骤数 {len(applied)} 不一致")
    return problems


def _replay(conn: sqlite3.Connection, table: str) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The records the audit log says the table holds, field by field, and any log row
    that cannot be read."""
    expected: dict[str, dict[str, Any]] = {}
    unreadable: list[str] = []
    for entry_id, action, record_id, changes in conn.execute(
        "SELECT id, action, record_id, changes FROM audit_log WHERE table_name = ? "
        "AND action IN ('insert', 'update', 'delete') ORDER BY id", [table]):
        try:
            fields = {k: v[1] for k, v in json.loads(changes or "{}").items()
                      if isinstance(v, list) and len(v) == 2}
        except (ValueError, AttributeError):
            unreadable.append(str(entry_id))
            fields = {}
        if action == "insert":
            expected[record_id] = fields
        elif action == "update":
            expected.setdefault(record_id, {}).update(fields)
        else:
            expected.pop(record_id, None)
    return expected, unreadable


def check_audit_agrees(conn: sqlite3.Connection) -> list[str]:
    """Replaying the audit log must give exactly the records each table holds, with the
    values it holds: a record written around the log, a lost one, or a value changed on
    disk (a flipped byte inside a name or a date, which integrity_check cannot see) shows
    here. The log itself damaged shows the same way, from the other side."""
    problems = []
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    for table in tables:
        if table in UNAUDITED:
            continue
        pks = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])") if r[5]]
        key = pks[0] if len(pks) == 1 else "rowid"
        cursor = conn.execute(f"SELECT [{key}] AS _key, * FROM [{table}]")
        names = [d[0] for d in cursor.description]
        actual = {str(row[0]): dict(zip(names[1:], row[1:])) for row in cursor}
        expected, unreadable = _replay(conn, table)
        if unreadable:
            problems.append(f"表 {table}：有 {len(unreadable)} 条修改记录无法读取（如第 {unreadable[0]} 条）")
        missing, unlogged = sorted(set(expected) - set(actual)), sorted(set(actual) - set(expected))
        if missing:
            problems.append(f"表 {table}：修改记录中有 {len(missing)} 条记录在数据中不存在（如 {missing[0]}）")
        if unlogged:
            problems.append(f"表 {table}：有 {len(unlogged)} 条记录没有修改记录（如 {unlogged[0]}）")
        differ = [(record_id, name) for record_id, fields in expected.items() if record_id in actual
                  for name, value in fields.items()
                  if name not in actual[record_id] or actual[record_id][name] != value]
        if differ:
            record_id, name = differ[0]
            problems.append(f"表 {table}：有 {len(differ)} 处内容与修改记录不一致（如记录 {record_id} 的 {name}），"
                            "文件可能部分损坏")
    return problems


def check_audit_chain(conn: sqlite3.Connection) -> list[str]:
    """Each history row's chain must be the hash over the row before it and its own fields:
    a row reworded, removed or slipped in shows here (see app.store.chain)."""
    from app.store import chain

    if not chain.has_chain(conn):
        return ["修改记录没有防篡改链（数据格式未升级）"]
    stored = dict(conn.execute("SELECT id, chain FROM audit_log"))
    bad = [row_id for row_id, value in chain.links(conn) if stored.get(row_id) != value]
    if not bad:
        return []
    return [f"修改记录的防篡改链从第 {bad[0]} 条起对不上（共 {len(bad)} 条）：这条或它之前的记录被改动、删除或插入过"]


def check_backups_agree(path: Path, conn: sqlite3.Connection) -> list[str]:
    """Each backup of this file holds the history as it was then: it must be the start of
    the current history, row for row. A history reworded and re-chained on the file itself
    still differs from the copies taken before. (A copy whose later rows were given up by a
    restore agrees up to the row where the current history records that restore.)"""
    from app.store import chain

    current = dict(chain.links(conn))
    restores = {r[0] for r in conn.execute("SELECT id FROM audit_log WHERE action = 'restore'")}
    problems = []
    for info in backup.own_backups(path, conn, fresh=True):
        if info.reason == "damaged":
            continue
        try:
            copy = backup.connect_ro(info.path)
            try:
                theirs = list(chain.links(copy))
            finally:
                copy.close()
        except sqlite3.Error:
            continue  # a damaged copy says nothing about the history
        agreed = 0
        for row_id, value in theirs:
            if current.get(row_id) != value:
                break
            agreed = row_id
        if agreed == (theirs[-1][0] if theirs else 0) or agreed + 1 in restores:
            continue
        problems.append(f"备份 {info.path.name}（{info.taken_at:%Y-%m-%d %H:%M}，共 {len(theirs)} 条修改记录）"
                        f"与当前文件的修改记录从第 {agreed + 1} 条起不一致：备份之后有记录被改动或删除")
    return problems


def check_contract(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT code, start_date, end_date, total_fen FROM contracts WHERE active = 1").fetchall()
    if len(rows) != 1:
        return [f"生效的合同应有 1 份，实际 {len(rows)} 份"]
    code, start, end, total = rows[0]
    problems = []
    if not (start and end and start <= end):
        problems.append(f"合同 {code} 的服务期限 {start} 至 {end} 不成立")
    if not isinstance(total, int) or total <= 0:
        problems.append(f"合同 {code} 的金额 {total} 不是正的整数分")
    return problems


def check_readable(conn: sqlite3.Connection) -> list[str]:
    """Damage inside a value (a flipped byte in a name or a date) passes integrity_check;
    reading the records the way the window does, and looking for undecodable text, finds it."""
    from app.contract import active_contract
    from app.store.sqlite import database
    from app.store.store import Store
    from app.workcalendar import load_overrides

    problems = []
    store = Store(database(conn), None, operator="检查")
    for what, read in (("合同", active_contract), ("工作日历调整", load_overrides)):
        try:
            read(store)
        except Exception as err:  # noqa: BLE001 - any failure is the finding
            problems.append(f"读取{what}时出错：{err}")
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    for table in tables:
        try:
            damaged = sum(
                any(isinstance(v, str) and "\ufffd" in v for v in row)
                for row in conn.execute(f"SELECT * FROM [{table}]")
            )
        except (sqlite3.Error, UnicodeDecodeError) as err:  # e.g. a column name damaged in the schema
            problems.append(f"读取表 {table} 时出错（文件可能部分损坏）：{err}")
            continue
        if damaged:
            problems.append(f"表 {table} 有 {damaged} 行文字含有无法识别的字节（文件可能部分损坏）")
    return problems


CHECKS: list[tuple[str, Callable[[sqlite3.Connection], list[str]]]] = [
    ("完整性检查（PRAGMA integrity_check）", check_integrity),
    ("外键检查（PRAGMA foreign_key_check）", check_foreign_keys),
    ("数据格式版本", check_schema_version),
    ("修改记录与数据一致", check_audit_agrees),
    ("修改记录防篡改链", check_audit_chain),
    ("合同期限与金额", check_contract),
    ("记录内容可读", check_readable),
    ("付款台账：分期合计与合同总额、付款与台账一致", lambda conn: _check_ledger(conn)),
]


def _check_ledger(conn: sqlite3.Connection) -> list[str]:
    from app.ledger import check_ledger  # issue 12: the ledger's own rules, kept beside it

    return check_ledger(conn)


def _check_scans(conn: sqlite3.Connection) -> list[str]:
    """月度考核 (issue 11): the scanned signed sheets beside the data file."""
    from app.scans import check_scans

    row = conn.execute("PRAGMA database_list").fetchone()
    return check_scans(conn, Path(row[2])) if row and row[2] else []


CHECKS.append(("签字考核表扫描件", _check_scans))


def check_file(path: Path) -> CheckReport:
    """Run every check without writing to the file."""
    path = Path(path)
    try:
        inspect_file(path)
    except DatabaseRefused as err:
        return CheckReport(path, [CheckResult("打开数据文件", [str(err)])])
    results = []
    conn = backup.connect_ro(path)
    try:
        for name, check in CHECKS:
            try:
                results.append(CheckResult(name, check(conn)))
            except (sqlite3.Error, UnicodeDecodeError) as err:
                results.append(CheckResult(name, [f"检查时出错：{err}"]))
        try:
            results.append(CheckResult("备份中的修改记录是当前修改记录的开头", check_backups_agree(path, conn)))
        except (sqlite3.Error, OSError) as err:
            results.append(CheckResult("备份中的修改记录是当前修改记录的开头", [f"检查时出错：{err}"]))
    finally:
        conn.close()
    return CheckReport(path, results)
