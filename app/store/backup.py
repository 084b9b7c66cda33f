"""Consistent copies of the data file, made with SQLite's online backup API.

A copy only counts once it has been opened and has passed `integrity_check`.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from app.errors import UserError

BACKUP_DIRNAME = "backups"


def backup_dir_for(db_path: Path) -> Path:
    """Backups live in a `backups` folder beside the data file."""
    return Path(db_path).parent / BACKUP_DIRNAME


def verify(path: Path) -> bool:
    """The copy opens and passes integrity_check."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def backup_connection(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy an open database to `target` and verify the copy; remove it if it is bad."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    dest = sqlite3.connect(partial)
    try:
        conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    if not verify(partial):
        partial.unlink(missing_ok=True)
        raise UserError(f"备份文件 {target} 校验失败，已删除这份备份。请检查磁盘后重试。")
    partial.replace(target)
    return target


def backup_file(db_path: Path, folder: Path, *, reason: str) -> Path:
    """Back up the file at `db_path` into `folder`, named by date, time and reason."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = Path(folder) / f"dingshou-{stamp}-{reason}.sqlite3"
    source = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return backup_connection(source, target)
    finally:
        source.close()
