"""The data file: SQLite through sqlite-utils.

This package opens the file (or refuses it, leaving it untouched), migrates it, takes and
checks backups, restores, holds the one-window lock, and is the only way to write:
`Store.action` (one transaction per user action, every record change audited, listeners told
by a `Changes`). The modules that own tables (app.staff, app.contract, app.replacements,
app.workcalendar; app.audit reads the change history) read them with SQL through `store.db`;
tests/test_architecture.py keeps each table's SQL in its owner (`TABLE_OWNERS`) and all SQL
and database handles out of ui/.
"""
from __future__ import annotations

from app.store.database import APPLICATION_ID, create_database, inspect_file, open_memory_store, open_store
from app.store.store import Action, Changes, Note, Store, StoreClosed, WriteFailed

__all__ = [
    "APPLICATION_ID",
    "Action",
    "Changes",
    "Note",
    "Store",
    "StoreClosed",
    "WriteFailed",
    "create_database",
    "inspect_file",
    "open_memory_store",
    "open_store",
]
