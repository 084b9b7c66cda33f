"""Files written by earlier builds open in this one, upgraded, with nothing lost."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from app.contract import active_contract
from app.staff import list_workers
from app.store import backup, open_store
from app.store.check import check_file
from app.store.migrations import known_names
from app.workcalendar import DayKind, load_calendar

DATA = Path(__file__).parent / "data"


def test_foundation_file_upgrades_after_a_backup(tmp_path):
    path = tmp_path / "dingshou.sqlite3"
    shutil.copyfile(DATA / "foundation-v1.sqlite3", path)
    store = open_store(path)
    try:
        applied = [row["name"] for row in store.db["_sqlite_migrations"].rows]
        assert applied == known_names()
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(known_names())
        assert store.operator == "王经办"
        day = load_calendar(store).day(dt.date(2026, 2, 14))
        assert (day.kind, day.name, day.overridden) == (DayKind.MAKEUP_WORKDAY, "春节调休上班", True)
        assert active_contract(store).total_words == "人民币壹佰贰拾玖万柒仟叁佰元捌角贰分"
        assert list_workers(store) == []
        old_audit = store.db.execute("SELECT count(*) FROM audit_log WHERE at < '2026-11-26'").fetchone()[0]
        assert old_audit > 0
    finally:
        store.close()
    kept = list(backup.backup_dir_for(path).glob("*before-migration*.sqlite3"))
    assert len(kept) == 1 and backup.verify(kept[0])
    old = backup.connect_ro(kept[0])
    try:  # the copy is the file as it was before the upgrade
        tables = {r[0] for r in old.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "workers" not in tables and "calendar_overrides" in tables
        assert old.execute("SELECT name FROM calendar_overrides").fetchone()[0] == "春节调休上班"
    finally:
        old.close()
    assert check_file(path).ok
