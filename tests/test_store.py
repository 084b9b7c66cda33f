"""Opening, creating, refusing and writing the data file."""
from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from app.contract import active_contract
from app.errors import DatabaseRefused, UserError
from app.store import APPLICATION_ID, open_store
from app.store import backup as backup_mod
from app.store.migrations import known_names


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_refused_untouched(path, fragment):
    before = digest(path)
    with pytest.raises(DatabaseRefused) as info:
        open_store(path)
    assert fragment in str(info.value)
    assert "没有被改动" in str(info.value)
    assert digest(path) == before
    return info.value


def test_first_start_creates_and_seeds(db_path):
    assert not db_path.exists()
    store = open_store(db_path)
    try:
        contract = active_contract(store)
        assert contract.vendor.name == "北京自腾科技有限公司"
        pragmas = {p: store.db.execute(f"PRAGMA {p}").fetchone()[0]
                   for p in ("application_id", "journal_mode", "foreign_keys", "user_version", "busy_timeout")}
        assert pragmas == {"application_id": APPLICATION_ID, "journal_mode": "wal", "foreign_keys": 1,
                           "user_version": len(known_names()), "busy_timeout": 5000}
        seeded = store.db.execute("SELECT count(*), min(operator) FROM audit_log").fetchone()
        assert seeded[0] > 0 and seeded[1] == "系统"
    finally:
        store.close()
    assert not db_path.with_name(db_path.name + ".creating").exists()


def test_reopen_keeps_data_and_writes_no_backup(file_store, db_path):
    file_store.set_operator("李经办")
    file_store.close()
    again = open_store(db_path)
    assert again.operator == "李经办"
    again.close()
    assert not backup_mod.backup_dir_for(db_path).exists()


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.sqlite3"
    path.write_bytes(b"")
    assert_refused_untouched(path, "空文件")


def test_random_file_is_refused(tmp_path):
    path = tmp_path / "photo.sqlite3"
    path.write_bytes(bytes(range(256)) * 40)
    assert_refused_untouched(path, "不是 SQLite 数据库")


def test_other_programs_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.commit()
    conn.close()
    assert_refused_untouched(path, "不是盯守台账的数据文件")


def test_file_from_a_newer_version_is_refused(file_store, db_path):
    file_store.db["_sqlite_migrations"].insert(
        {"migration_set": "dingshou", "name": "step_from_the_future", "applied_at": "2027-01-01"}
    )
    file_store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    file_store.close()
    assert_refused_untouched(db_path, "更新版本")


def test_damaged_file_is_refused(file_store, db_path):
    file_store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    file_store.close()
    data = bytearray(db_path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    # Scribble over the second page onward (the schema stays readable, the b-trees do not).
    for offset in range(page_size, len(data), 7):
        data[offset] ^= 0x5A
    db_path.write_bytes(bytes(data))
    assert_refused_untouched(db_path, "损坏")


def test_truncated_file_is_refused(file_store, db_path):
    file_store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    file_store.close()
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 2])
    assert_refused_untouched(db_path, "损坏")


def test_pending_migration_runs_after_a_verified_backup(file_store, db_path):
    """A file one step behind (as an older build left it) is backed up, then upgraded."""
    last = "create_audit_log"  # by name: later steps (staff tables, …) stay applied
    file_store.db.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [last])
    file_store.db.execute("DROP TRIGGER audit_log_no_update")
    file_store.db.execute("DROP TRIGGER audit_log_no_delete")
    file_store.db["audit_log"].drop()
    file_store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    file_store.close()
    upgraded = open_store(db_path)
    try:
        assert upgraded.db["audit_log"].exists()
        assert [m["name"] for m in upgraded.db["_sqlite_migrations"].rows][-1] == last
    finally:
        upgraded.close()
    backups = list(backup_mod.backup_dir_for(db_path).glob("*before-migration.sqlite3"))
    assert len(backups) == 1 and backup_mod.verify(backups[0])
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT count(*) FROM sqlite_master WHERE name = 'audit_log'").fetchone()[0] == 0
    old.close()


def test_every_write_is_audited_with_operator_and_old_new_values(store):
    store.operator = "王经办"
    with store.action("修改电话") as act:
        act.update("parties", 2, {"phone": "13800000000"})
    row = next(store.db.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1"))
    assert (row["operator"], row["action"], row["table_name"], row["record_id"], row["summary"]) == (
        "王经办", "update", "parties", "2", "修改电话")
    assert json.loads(row["changes"]) == {"phone": ["18501358923", "13800000000"]}


def test_unchanged_update_writes_no_audit(store):
    before = store.db["audit_log"].count
    with store.action("无改动") as act:
        assert act.update("parties", 2, {"phone": "18501358923"}) == {}
    assert store.db["audit_log"].count == before


def test_a_failed_action_leaves_nothing(store):
    before = (store.db["audit_log"].count, store.db["parties"].count)
    with pytest.raises(RuntimeError), store.action("半途失败") as act:
        act.insert("parties", {"contract_id": 1, "role": "丙方", "name": "某公司"})
        raise RuntimeError("validation failed half-way")
    assert (store.db["audit_log"].count, store.db["parties"].count) == before


def test_audit_log_cannot_be_edited(store):
    with pytest.raises(sqlite3.DatabaseError):
        store.db.execute("UPDATE audit_log SET operator = 'x'")
    with pytest.raises(sqlite3.DatabaseError):
        store.db.execute("DELETE FROM audit_log")


def test_listeners_hear_which_tables_changed(store):
    heard = []
    store.subscribe(heard.append)
    store.set_operator("赵经办")
    assert len(heard) == 1 and heard[0].touches("settings")


def test_empty_operator_is_refused(store):
    with pytest.raises(UserError, match="不能为空"):
        store.set_operator("   ")


def test_read_only_file_write_fails_cleanly(file_store, db_path):
    """A write the disk refuses is reported in Chinese and leaves the data as it was."""
    file_store.close()
    ro = open_store(db_path)
    ro.db.conn.close()
    ro.db.conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    audit_before = ro.db["audit_log"].count
    with pytest.raises(UserError, match="只读"):
        ro.set_operator("钱经办")
    assert ro.setting("operator") is None
    assert ro.db["audit_log"].count == audit_before


def test_note_records_an_event_without_changing_data(store):
    store.operator = "王经办"
    store.note("reveal", "parties", 1, "查看完整电话号码")
    row = next(store.db.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1"))
    assert (row["action"], row["table_name"], row["record_id"], row["operator"]) == ("reveal", "parties", "1", "王经办")
