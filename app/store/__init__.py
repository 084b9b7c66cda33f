"""The data file: SQLite through sqlite-utils. The only layer that knows it is SQLite."""
from __future__ import annotations

from app.store.database import APPLICATION_ID, create_database, inspect_file, open_memory_store, open_store
from app.store.store import Action, Changes, Store, WriteFailed

__all__ = [
    "APPLICATION_ID",
    "Action",
    "Changes",
    "Store",
    "WriteFailed",
    "create_database",
    "inspect_file",
    "open_memory_store",
    "open_store",
]
