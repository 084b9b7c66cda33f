"""sqlite-utils' `Database`, opened the one way this program opens it.

sqlite-utils loads its plugins on every new `Database` unless told not to: it scans the
entry points of every installed package (importlib.metadata, about 17 ms of each start and
each command) and lets any package that declares itself a plugin run code on the
connection — on the clerk's data file. The program uses no plugins, so none are loaded.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database


def database(target: str | Path | sqlite3.Connection | None = None) -> Database:
    """A file, an open connection, or (None) a new database in memory."""
    if target is None:
        return Database(memory=True, execute_plugins=False)
    return Database(target, execute_plugins=False)
