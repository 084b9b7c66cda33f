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


def test_workers_of_an_earlier_file_get_one_post_stretch_each_and_the_file_passes_check(tmp_path):
    """A file of the build before post history (issue 8): each worker served on their one post
    from their first day; the upgrade writes that down, with audit rows, and `check` agrees."""
    from sqlite_utils import Database

    from app.contract import load_seed_contract, seed_contract
    from app.staff import assignments
    from app.store.database import APPLICATION_ID
    from app.store.migrations import migrations
    from app.store.store import Store

    path = tmp_path / "old.sqlite3"
    db = Database(path)
    migrations.apply(db, stop_before="create_worker_posts")
    steps = known_names().index("create_worker_posts")
    db.execute(f"PRAGMA user_version = {steps}")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    old = Store(db, path, operator="王经办")
    seed_contract(old, load_seed_contract())
    post = db.execute("SELECT id FROM posts WHERE code = 'flex'").fetchone()[0]
    contract = db.execute("SELECT id FROM contracts").fetchone()[0]
    with old.action("新增服务人员：李娜") as act:
        act.insert("workers", {"contract_id": contract, "post_id": post, "name": "李娜", "id_number": "x1",
                               "phone": "13900000001", "start_date": "2026-03-01", "hours_scheme": "standard"})
    db.close()
    store = open_store(path)
    try:
        found = assignments(store, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        assert [(a.worker_name, a.post_code, a.start, a.end) for a in found] == [
            ("李娜", "flex", dt.date(2026, 3, 1), None)]
        assert store.db["worker_posts"].count == 1
    finally:
        store.close()
    report = check_file(path)
    assert report.ok, report.lines()


def _file_before_kept_names(path: Path) -> tuple[int, str]:
    """A file of the build before `keep_names_on_fixed_sheets`: 吴雪梅 scored in March 2026,
    her sheet printed (its code registered), the month finalised and signed — and then, as
    that build allowed, her name corrected to 吴雪玫 in the staff record. Returns her id and
    the printed sheet's code."""
    from sqlite_utils import Database

    from app import assessment, assessment_codes as codes, staff
    from app.contract import load_seed_contract, seed_contract
    from app.store.database import APPLICATION_ID
    from app.store.migrations import migrations
    from app.store.store import Store
    from tests.test_staff import form, make_id

    db = Database(path)
    migrations.apply(db, stop_before="keep_names_on_fixed_sheets")
    db.execute(f"PRAGMA user_version = {known_names().index('keep_names_on_fixed_sheets')}")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    old = Store(db, path, operator="王经办")
    seed_contract(old, load_seed_contract())
    w = staff.add_worker(old, form(name="吴雪梅", id_number=make_id(seq=202)))
    assessment.add_deduction(old, 2026, 3, w, 1, "2", "交接班记录缺失", "2026-03-10")
    [sheet] = assessment.load_month(old, 2026, 3).sheets  # printed while in draft: same code
    codes.register_printed(old, [sheet])
    month = assessment.get_month(old, 2026, 3)
    with old.action("2026年3月考核定稿") as act:
        act.update("assessment_months", month.id, {"status": "final", "finalised_on": "2026-04-02"})
    with old.action("2026年3月考核表签字") as act:
        act.update("assessment_months", month.id, {"status": "signed", "signed_on": "2026-04-03"})
    with old.action("修改服务人员：吴雪玫") as act:
        act.update("workers", w, {"name": "吴雪玫"})
    db.close()
    return w, sheet.code


def test_a_file_with_signed_months_upgrades_and_passes_check(tmp_path):
    from app import assessment

    path = tmp_path / "old.sqlite3"
    w, _ = _file_before_kept_names(path)
    store = open_store(path)
    try:
        [sheet] = assessment.load_month(store, 2026, 3).sheets
        assert sheet.worker_id == w and sheet.worker_name
        assert store.db["assessment_scores"].get(sheet.score_id)["worker_name"] == sheet.worker_name
    finally:
        store.close()
    report = check_file(path)
    assert report.ok, report.lines()


def test_a_name_corrected_before_the_upgrade_is_not_the_one_the_signed_sheet_keeps(tmp_path):
    from app import assessment, assessment_codes as codes

    path = tmp_path / "old.sqlite3"
    _, code = _file_before_kept_names(path)
    store = open_store(path)
    try:
        assert assessment.load_month(store, 2026, 3).sheets[0].worker_name == "吴雪梅"
        assert codes.verify_code(store, code).matches
    finally:
        store.close()
