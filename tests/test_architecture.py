"""The shape of the program: the core never imports Qt; the window never touches the database;
the core's SQL stays with the tables' owners."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def test_no_module_in_app_imports_qt():
    offenders = []
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in QT_MODULES]
    assert offenders == []


def test_running_the_cli_loads_no_qt():
    code = (
        "import sys, app.cli, app.store, app.contract, app.workcalendar, app.money;"
        "print(any(m.split('.')[0] in ('PySide6', 'shiboken6') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


# --- SQL lives in the core, in the module that owns the table --------------------------------

# SQL as this codebase writes it: upper-case keywords, in a string or an f-string.
SQL = re.compile(r"\b(SELECT\b.+?\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|PRAGMA\s+\w+"
                 r"|CREATE\s+(TABLE|INDEX|TRIGGER|VIEW)|DROP\s+(TABLE|INDEX|TRIGGER|VIEW)|ALTER\s+TABLE)\b", re.S)
MAIN_TABLE = re.compile(r"\b(?:FROM|INTO|UPDATE)\s+\[?(\w+)")
# Which module's SQL may name a table as the one it reads or writes (a JOIN may read another's
# table for a name). app/store/ (the database layer itself: migrations, check, backup) may
# name any. A new table gets its line here, next to the module that owns it.
TABLE_OWNERS = {
    "settings": "app/store/store.py",
    "audit_log": "app/audit.py",
    "contracts": "app/contract.py",
    "parties": "app/contract.py",
    "posts": "app/contract.py",
    "post_rules": "app/contract.py",
    "calendar_overrides": "app/workcalendar.py",
    "workers": "app/staff.py",
    "worker_posts": "app/staff.py",
    "replacements": "app/replacements.py",
    "system_accounts": "app/replacements.py",
    # 付款台账: the ledger's records and its schedule; the payee is shared by both modules
    **dict.fromkeys(("ledger_deductions", "ledger_installments", "ledger_invoice_items", "ledger_invoices",
                     "ledger_payments", "ledger_stage_steps", "ledger_supplements"), "app/ledger.py"),
    # 排班日历
    "shift_types": "app/shifts.py",
    "roster_shifts": "app/roster.py",
    "duty_records": "app/duty.py",
    "extra_requirements": "app/coverage.py",
    # 月度考核
    "assessment_templates": "app/assessment_template.py",
    **dict.fromkeys(("assessment_months", "assessment_scores", "assessment_deductions"), "app/assessment.py"),
    "assessment_attachments": "app/scans.py",
}
# A table two modules of one part share.
SHARED_OWNERS = {
    "ledger_payee": {"app/ledger.py", "app/ledger_records.py"},
    "roster_shifts": {"app/roster.py", "app/shifts.py"},  # a shift type in use is the plan's fact
    "duty_records": {"app/duty.py", "app/coverage.py"},  # coverage reads what really happened
}
# The change history names the record a change was about, whatever its table.
ANY_TABLE = {"app/audit.py"}
# Hooks app.store calls with its raw connection during backup, restore and check (the scanned
# sheets live beside the data file, so they need to know where the file is).
STORE_HOOKS = {"app/scans.py"}
# What only the store layer touches: the database itself.
DATABASE_NAMES = {"sqlite3", "sqlite_utils"}
DATABASE_ATTRIBUTES = {"db", "conn", "execute", "executemany", "executescript", "query", "cursor"}


def _strings(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):
            yield node.lineno, "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)


def _python_files(folder: str):
    for path in sorted((ROOT / folder).rglob("*.py")):
        yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def test_the_window_holds_no_sql_and_no_database_handle():
    offenders = []
    for name, tree in _python_files("ui"):
        offenders += [f"{name}:{line}: SQL {text[:60]!r}" for line, text in _strings(tree) if SQL.search(text)]
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in DATABASE_ATTRIBUTES:
                offenders.append(f"{name}:{node.lineno}: .{node.attr}")
            elif isinstance(node, ast.Import | ast.ImportFrom):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                offenders += [f"{name}:{node.lineno}: import {m}" for m in modules if m.split(".")[0] in DATABASE_NAMES]
    assert offenders == [], "ui/ asks app/ for data; SQL and the database handle stay in the core"


def test_sql_in_the_core_stays_in_the_module_that_owns_the_table():
    offenders = []
    for name, tree in _python_files("app"):
        if name.startswith("app/store/"):
            continue
        for line, text in _strings(tree):
            if not SQL.search(text):
                continue
            tables = MAIN_TABLE.findall(text)
            if not tables and name not in ANY_TABLE | STORE_HOOKS:
                offenders.append(f"{name}:{line}: no table named in {text[:60]!r}")
            for table in tables:
                if name in SHARED_OWNERS.get(table, ()):
                    continue
                owner = TABLE_OWNERS.get(table)
                if owner is None and name in ANY_TABLE and "[{}" in text:
                    continue
                if owner is None:
                    offenders.append(f"{name}:{line}: table {table} has no owner in TABLE_OWNERS")
                elif owner != name:
                    offenders.append(f"{name}:{line}: {table} belongs to {owner}")
    assert offenders == []


def test_the_architecture_checks_find_what_they_look_for():
    """The two checks above are only worth something if they catch the real thing."""
    assert SQL.search("SELECT id FROM workers WHERE name = ?")
    assert SQL.search('UPDATE workers SET name = ? WHERE id = ?') and SQL.search("PRAGMA integrity_check")
    assert not SQL.search("Select the worker from the list") and not SQL.search("显示所选人员")
    assert MAIN_TABLE.findall("SELECT r.* FROM replacements r JOIN posts p ON p.id = r.post_id") == ["replacements"]
    tree = ast.parse("rows = store.db.execute('SELECT * FROM workers')")
    assert [t for _, t in _strings(tree) if SQL.search(t)] and any(
        isinstance(n, ast.Attribute) and n.attr in DATABASE_ATTRIBUTES for n in ast.walk(tree))


def test_the_store_says_what_is_true():
    import app.store

    doc = app.store.__doc__
    assert "only layer that knows it is SQLite" not in doc
    assert "Store.action" in doc and "TABLE_OWNERS" in doc


def test_a_tab_folder_imports_no_other_tab_folder():
    """What several tabs share (FormDialog, DateField …) lives in ui/ itself: 月度考核 and
    付款台账 reaching into ui/staff for their dialogs' base made the 人员 tab everyone's."""
    tabs = {p.name for p in (ROOT / "ui").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    offenders = []
    for tab in tabs:
        for path in (ROOT / "ui" / tab).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                module = node.module if isinstance(node, ast.ImportFrom) and node.module else ""
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [module]
                offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names
                              if n.startswith("ui.") and n.split(".")[1] in tabs - {tab}]
    assert offenders == []


def test_every_database_is_opened_without_sqlite_utils_plugins():
    """app/store/sqlite.database is the one way to open one: a bare sqlite_utils.Database
    scans every installed package for plugins and lets them run code on the data file."""
    offenders = []
    for folder in ("app", "ui"):
        for name, tree in _python_files(folder):
            if name == "app/store/sqlite.py":
                continue
            offenders += [f"{name}:{node.lineno}" for node in ast.walk(tree)
                          if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None))
                          == "Database"]
    assert offenders == []
    import sqlite_utils
    from sqlite_utils.plugins import pm

    from app.store.sqlite import database

    class Plugin:
        calls: list[object] = []

        @sqlite_utils.hookimpl
        def prepare_connection(self, conn):
            self.calls.append(conn)

    plugin = Plugin()
    pm.register(plugin, name="test-plugin")
    try:
        database().execute("select 1")
        assert plugin.calls == []
        sqlite_utils.Database(memory=True)  # what the check above keeps out of the program
        assert len(plugin.calls) == 1
    finally:
        pm.unregister(plugin)
