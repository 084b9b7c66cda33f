"""`python -m app check`: is the data file whole, and do its records agree?

Read-only: the file is inspected as on open, then opened with `mode=ro`. Each check is a
small function returning problems in Chinese; later features (the payment ledger's
installments that must sum to the contract total) add theirs to CHECKS.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

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


def check_audit_agrees(conn: sqlite3.Connection) -> list[str]:
    """Replaying the audit log (inserts add a record, deletes remove it) must give exactly
    the records each table holds: a record written around the audit log, or a lost one,
    shows here."""
    problems = []
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    for table in tables:
        if table in UNAUDITED:
            continue
        pks = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])") if r[5]]
        key = f"[{pks[0]}]" if len(pks) == 1 else "rowid"
        actual = {str(r[0]) for r in conn.execute(f"SELECT {key} FROM [{table}]")}
        logged: set[str] = set()
        for action, record_id in conn.execute(
            "SELECT action, record_id FROM audit_log WHERE table_name = ? "
            "AND action IN ('insert', 'delete') ORDER BY id", [table]):
            (logged.add if action == "insert" else logged.discard)(record_id)
        missing, unlogged = sorted(logged - actual), sorted(actual - logged)
        if missing:
            problems.append(f"表 {table}：修改记录中有 {len(missing)} 条记录在数据中不存在（如 {missing[0]}）")
        if unlogged:
            problems.append(f"表 {table}：有 {len(unlogged)} 条记录没有修改记录（如 {unlogged[0]}）")
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
