"""The change history as evidence: each audit row carries a hash of the row before it.

`chain` of row n is SHA-256 over the chain of row n-1 and row n's own fields, so changing,
removing or inserting any row of the history changes every chain after it. `check`
recomputes the chain, and compares each backup's history with the current one: a backup
taken before a row was reworded still holds the original chain, and no longer matches.

What this cannot do: there is no secret in the program, so someone who controls the file
can rewrite the history *and* recompute every chain after it; only copies kept out of their
reach (the backups on a USB stick, an auditor's export) show that. Nor does it tell if the
newest rows were cut off and no backup holds them yet.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

# The fields of an audit row, in the order they are hashed.
FIELDS = ("id", "at", "operator", "action", "table_name", "record_id", "changes", "summary")
SELECT_ROWS = f"SELECT {', '.join(FIELDS)} FROM audit_log ORDER BY id"


def link(previous: str, row: Iterable[Any]) -> str:
    """The chain value of one row (given as FIELDS, in order) after `previous` ("" for the first)."""
    payload = json.dumps([previous, *row], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def links(conn: sqlite3.Connection) -> Iterator[tuple[int, str]]:
    """(id, chain) of every audit row, computed from the rows as they are now."""
    previous = ""
    for row in conn.execute(SELECT_ROWS):
        previous = link(previous, row)
        yield row[0], previous


def has_chain(conn: sqlite3.Connection) -> bool:
    return any(col[1] == "chain" for col in conn.execute("PRAGMA table_info(audit_log)"))


def file_identity(conn: sqlite3.Connection) -> str | None:
    """The identity written into the data file when it was made (or upgraded); copies of
    it (backups) carry the same one. None for a file older than the identity."""
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = 'file_id'").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def first_link(conn: sqlite3.Connection) -> str | None:
    """The chain value of the first history row: a copy made before the identity existed
    belongs to a data file whose history starts with the same row."""
    try:
        return next(iter(links(conn)), (0, None))[1]
    except sqlite3.Error:
        return None
