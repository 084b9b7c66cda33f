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
    from sqlite_utils import Database

    from app.contract import active_contract
    from app.store.store import Store
    from app.workcalendar import load_overrides

    problems = []
    store = Store(Database(conn), None, operator="检查")
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
    ("合同期限与金额", check_contract),
    ("记录内容可读", check_readable),
]


def _check_scans(conn: sqlite3.Connection) -> list[str]:
    """月度考核 (issue 11): the scanned signed sheets beside the data file."""
    from app.scans import check_scans

    return check_scans(conn)


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
    finally:
        conn.close()
    return CheckReport(path, results)
