"""Automatic copies, retention, restore, and the refusal that offers the newest copy."""
from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import time

import pytest

from app.errors import DatabaseRefused, UserError
from app.store import open_store
from app.store import backup as backup_mod
from app.store.restore import describe_backup, newest_good_backup, restore_backup


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_start_backup_is_verified_and_named_with_date_and_time(db_path):
    open_store(db_path).close()
    store = open_store(db_path, backup_reason="start")
    store.close()
    [made] = backup_mod.backups_in(backup_mod.backup_dir_for(db_path))
    assert made.reason == "start" and made.automatic
    assert abs((dt.datetime.now() - made.taken_at).total_seconds()) < 60
    assert backup_mod.verify(made.path)
    assert made.path.name.startswith(f"dingshou-{made.taken_at:%Y%m%d-%H%M%S}")


def test_no_second_copy_when_nothing_changed_but_a_copy_after_a_change(file_store, db_path):
    first = backup_mod.auto_backup(db_path, "exit", conn=file_store.db.conn)
    again = backup_mod.auto_backup(db_path, "start")
    assert first.made and not again.made and again.path == first.path
    file_store.set_operator("李经办")
    after = backup_mod.auto_backup(db_path, "exit", conn=file_store.db.conn)
    assert after.made and after.path != first.path
    assert describe_backup(after.path).last_change.startswith("李经办")


def test_backup_of_the_live_file_holds_uncheckpointed_writes(file_store, db_path, tmp_path):
    file_store.set_operator("赵经办")  # still only in the WAL
    target = backup_mod.backup_file(db_path, tmp_path / "usb", reason="manual")
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT value FROM settings WHERE key='operator'").fetchone() == ("赵经办",)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()


def _fake(folder, when: dt.datetime, reason="start"):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / backup_mod.backup_name(reason, when)
    path.write_bytes(b"x")
    return path


def test_prune_keeps_the_last_30_and_one_per_month(tmp_path):
    folder = tmp_path / "backups"
    start = dt.datetime(2026, 1, 1, 9, 0, 0)
    made = [_fake(folder, start + dt.timedelta(days=3 * i), "start" if i % 2 else "exit") for i in range(100)]
    manual = _fake(folder, start, "manual")
    migration = _fake(folder, start + dt.timedelta(hours=1), "before-migration")
    (folder / "notes.txt").write_text("not ours")
    removed = backup_mod.prune(folder)
    left = {b.path for b in backup_mod.backups_in(folder)}
    assert set(made[-30:]) <= left
    assert {manual, migration} <= left and (folder / "notes.txt").exists()
    months = {(b.taken_at.year, b.taken_at.month) for b in backup_mod.backups_in(folder) if b.automatic}
    assert months == {(p.year, p.month) for p in (start + dt.timedelta(days=3 * i) for i in range(100))}
    assert len(left) == len(made) + 2 - len(removed)
    # Each month keeps its newest copy.
    for b in backup_mod.backups_in(folder):
        if b.automatic and b.path not in made[-30:]:
            same_month = [p for p in made if backup_mod.parse_backup_name(p).taken_at.month == b.taken_at.month
                          and backup_mod.parse_backup_name(p).taken_at.year == b.taken_at.year]
            assert b.path == same_month[-1]


def test_two_backups_in_one_second_do_not_overwrite_and_sort_in_order(file_store, db_path, monkeypatch):
    class SameSecond(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2026, 11, 25, 8, 0, 0)

    monkeypatch.setattr(backup_mod.dt, "datetime", SameSecond)
    folder = backup_mod.backup_dir_for(db_path)
    made = []
    for name, reason in (("甲", "exit"), ("乙", "exit"), ("丙", "start")):
        file_store.set_operator(name)
        made.append(backup_mod.auto_backup(db_path, reason, conn=file_store.db.conn).path)
    assert [p.name for p in made] == ["dingshou-20261125-080000-exit.sqlite3",
                                      "dingshou-20261125-080000-2-exit.sqlite3",
                                      "dingshou-20261125-080000-3-start.sqlite3"]
    assert [b.path for b in backup_mod.backups_in(folder)] == made[::-1]
    assert describe_backup(backup_mod.backups_in(folder)[0].path).last_change.startswith("丙")


def test_backup_to_a_place_that_cannot_be_written_says_so(file_store, db_path, tmp_path):
    not_a_folder = tmp_path / "stick"
    not_a_folder.write_text("a file where a folder should be")
    with pytest.raises(UserError, match="无法写入备份"):
        backup_mod.backup_file(db_path, not_a_folder / "sub", reason="manual")


def test_describe_backup_shows_date_contract_and_last_change(file_store, db_path):
    file_store.set_operator("王经办")
    made = backup_mod.auto_backup(db_path, "exit", conn=file_store.db.conn).path
    info = describe_backup(made)
    assert info.contract == "2026 年龙潭街道接诉即办平台盯守服务合同"
    assert info.last_change.startswith("王经办：修改设置")
    assert info.reason_label == "退出时自动备份"
    assert "备份时间" in info.describe()


def test_restore_brings_back_the_old_data_and_keeps_the_current_file(file_store, db_path):
    file_store.set_operator("甲经办")
    old = backup_mod.auto_backup(db_path, "exit", conn=file_store.db.conn).path
    file_store.set_operator("乙经办")
    file_store.close()
    kept = restore_backup(old, db_path)
    assert kept is not None and "before-restore" in kept.name
    again = open_store(db_path)
    assert again.operator == "甲经办"
    from app.audit import list_changes

    note = list_changes(again, limit=1)[0]
    assert note.action_label == "从备份恢复" and old.name in note.summary
    assert str(kept) in note.describe_changes()
    again.close()
    assert describe_backup(kept).last_change.startswith("乙经办")


def test_restoring_a_foreign_file_is_refused(file_store, db_path, tmp_path):
    file_store.close()
    before = digest(db_path)
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    photo = tmp_path / "photo.sqlite3"
    photo.write_bytes(b"\xff\xd8\xff" * 1000)
    for bad in (other, photo):
        with pytest.raises(DatabaseRefused, match="不是盯守台账的可用备份"):
            restore_backup(bad, db_path)
    assert digest(db_path) == before
    assert not backup_mod.backup_dir_for(db_path).exists()


def test_restore_over_a_damaged_file_keeps_its_bytes(file_store, db_path):
    good = backup_mod.auto_backup(db_path, "exit", conn=file_store.db.conn).path
    file_store.close()
    db_path.write_bytes(b"garbage" * 500)
    damaged = digest(db_path)
    kept = restore_backup(good, db_path)
    assert "damaged" in kept.name and digest(kept) == damaged
    open_store(db_path).close()


def test_refused_file_offers_the_newest_good_backup(file_store, db_path):
    older = backup_mod.auto_backup(db_path, "exit", conn=file_store.db.conn).path
    time.sleep(1.05)
    file_store.set_operator("新经办")
    newer = backup_mod.auto_backup(db_path, "exit", conn=file_store.db.conn).path
    file_store.close()
    # The newest file in the folder is damaged: it must be skipped.
    broken = backup_mod.backup_dir_for(db_path) / backup_mod.backup_name("exit", dt.datetime.now() + dt.timedelta(days=1))
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    db_path.write_bytes(b"")
    with pytest.raises(DatabaseRefused) as info:
        open_store(db_path)
    assert info.value.newest_backup is not None
    assert info.value.newest_backup.path == newer != older
    assert str(newer) in str(info.value) and "可以从这份备份恢复" in str(info.value)
    assert newest_good_backup(db_path).path == newer


def test_refusal_without_backups_says_only_why(tmp_path):
    path = tmp_path / "empty.sqlite3"
    path.write_bytes(b"")
    with pytest.raises(DatabaseRefused) as info:
        open_store(path)
    assert info.value.newest_backup is None and "备份" not in str(info.value)


def test_two_data_files_in_one_folder_do_not_share_a_copy(tmp_path, monkeypatch):
    class SameSecond(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2026, 11, 25, 8, 0, 0)

    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    open_store(a, operator="甲").close()
    monkeypatch.setattr(backup_mod.dt, "datetime", SameSecond)
    open_store(b, operator="乙").close()  # same number of audit rows as a
    first = backup_mod.auto_backup(a, "start")
    second = backup_mod.auto_backup(b, "start")
    assert first.made and second.made and first.path != second.path
