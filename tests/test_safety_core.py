"""One instance, where the file lives, `check`, and the audit history."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import PureWindowsPath

import pytest
from openpyxl import load_workbook

from app import audit
from app.errors import UserError
from app.store.check import check_file
from app.store.location import location_warning, synced_service
from app.workcalendar import DayKind, set_override


# --- one instance: see tests/test_lock.py -----------------------------------------------


# --- where the file lives -----------------------------------------------------------------

MOUNTS = """/dev/sda1 / ext4 rw 0 0
//nas/台账 /mnt/share cifs rw 0 0
server:/export /mnt/nfs nfs4 rw 0 0
/dev/sdb1 /mnt/share/local ext4 rw 0 0
"""


@pytest.mark.parametrize("path, expected", [
    ("/home/wang/dingshou/dingshou.sqlite3", None),
    ("/mnt/share/dingshou.sqlite3", "cifs"),
    ("/mnt/nfs/a/dingshou.sqlite3", "nfs4"),
    ("/mnt/share/local/dingshou.sqlite3", None),
    ("/mnt/sharex/dingshou.sqlite3", None),
])
def test_network_mounts_on_linux(path, expected):
    warning = location_warning(path, platform="linux", mounts=MOUNTS)
    if expected is None:
        assert warning is None
    else:
        assert expected in warning and "不在本机硬盘上" in warning and "网络" in warning


def test_unc_path_on_windows_is_a_network_share():
    warning = location_warning(r"\\server\台账\dingshou.sqlite3", platform="win32", mounts="")
    assert warning and "网络共享" in warning


@pytest.mark.parametrize("path, service", [
    (r"C:\Users\wang\OneDrive\台账\dingshou.sqlite3", "OneDrive"),
    (r"C:\Users\wang\OneDrive - 龙潭街道\dingshou.sqlite3", "OneDrive"),
    (r"D:\我的坚果云\dingshou.sqlite3", "坚果云"),
    (r"D:\BaiduNetdisk\dingshou.sqlite3", "百度网盘"),
    (r"C:\Users\wang\Dropbox\dingshou.sqlite3", "Dropbox"),
    (r"C:\Users\wang\iCloudDrive\dingshou.sqlite3", "iCloud"),
    (r"C:\Users\wang\AppData\Local\dingshou\dingshou.sqlite3", None),
])
def test_synced_folders_are_recognised(path, service):
    assert synced_service(PureWindowsPath(path)) == service
    if service:
        assert service in location_warning(path, platform="win32", mounts="")


def test_local_temp_folder_gets_no_warning(tmp_path):
    assert location_warning(tmp_path / "dingshou.sqlite3") is None


# --- check --------------------------------------------------------------------------------

def test_check_passes_on_a_good_file(file_store, db_path):
    set_override(file_store, dt.date(2026, 12, 31), DayKind.HOLIDAY, "测试")
    report = check_file(db_path)
    assert report.ok, report.lines()
    assert report.lines()[-1] == "结论：全部检查通过。"


def test_check_finds_a_record_written_around_the_audit_log(file_store, db_path):
    file_store.db.execute("INSERT INTO settings (key, value) VALUES ('sneaky', 'x')")
    file_store.db.conn.commit()
    report = check_file(db_path)
    assert not report.ok
    failed = [r for r in report.results if not r.ok]
    assert [r.name for r in failed] == ["修改记录与数据一致"]
    assert "settings" in failed[0].problems[0] and "没有修改记录" in failed[0].problems[0]


def test_check_finds_a_broken_foreign_key(file_store, db_path):
    file_store.db.execute("PRAGMA foreign_keys = OFF")
    file_store.db.execute("UPDATE post_rules SET post_id = 999 WHERE id = 1")
    file_store.db.conn.commit()
    names = [r.name for r in check_file(db_path).results if not r.ok]
    assert "外键检查（PRAGMA foreign_key_check）" in names


def test_check_reports_a_refused_file(tmp_path):
    path = tmp_path / "empty.sqlite3"
    path.write_bytes(b"")
    report = check_file(path)
    assert not report.ok and "空文件" in report.results[0].problems[0]


# --- audit history ------------------------------------------------------------------------

def test_every_change_is_listed_with_operator_and_time(file_store):
    file_store.set_operator("王经办")
    set_override(file_store, dt.date(2026, 12, 31), DayKind.HOLIDAY, "测试假日")
    entries = audit.list_changes(file_store, audit.AuditFilter(operator="王经办"))
    assert [(e.table_name, e.action) for e in entries] == [
        ("calendar_overrides", "insert"), ("settings", "insert")]
    assert all(dt.datetime.fromisoformat(e.at) for e in entries)
    assert "类型：法定节假日" in entries[0].describe_changes()


def test_history_of_one_record_oldest_first(store):
    store.operator = "王经办"
    with store.action("修改电话") as act:
        act.update("parties", 2, {"phone": "13800000000"})
    store.operator = "李经办"
    with store.action("再改电话") as act:
        act.update("parties", 2, {"phone": "13900000000"})
    history = audit.record_history(store, "parties", 2)
    assert [e.action for e in history] == ["insert", "update", "update"]
    assert history[-1].operator == "李经办"
    assert history[-1].describe_changes() == "电话：13800000000 → 13900000000"


def test_history_of_a_post_includes_its_cover_rules(store):
    post = store.db.execute("SELECT id FROM posts WHERE code = 'grid_watch'").fetchone()[0]
    rule = store.db.execute("SELECT id FROM post_rules WHERE post_id = ? AND day_type = 'working'", [post]).fetchone()[0]
    with store.action("调整网格岗时间") as act:
        act.update("post_rules", rule, {"end_time": "19:00"})
    history = audit.record_history(store, "posts", post)
    assert [(e.table_name, e.action) for e in history] == [
        ("posts", "insert"), ("post_rules", "insert"), ("post_rules", "insert"), ("post_rules", "update")]
    assert history[-1].describe_changes() == "结束时间：18:30 → 19:00"
    assert "日期类型：工作日" in history[1].describe_changes() and "方式：固定时段" in history[1].describe_changes()


def test_filters_by_table_date_and_text(store):
    with store.action("修改电话") as act:
        act.update("parties", 2, {"phone": "13800000000"})
    today = dt.date.today()
    assert {e.table_name for e in audit.list_changes(store, audit.AuditFilter(table="posts"))} == {"posts"}
    assert audit.list_changes(store, audit.AuditFilter(since=today + dt.timedelta(days=1))) == []
    assert len(audit.list_changes(store, audit.AuditFilter(until=today))) == store.db["audit_log"].count
    [hit] = audit.list_changes(store, audit.AuditFilter(text="13800000000"))
    assert hit.summary == "修改电话"
    assert audit.list_changes(store, audit.AuditFilter(text="100%_")) == []
    with pytest.raises(UserError, match="开始日期不能晚于结束日期"):
        audit.list_changes(store, audit.AuditFilter(since=today, until=today - dt.timedelta(days=1)))


def test_export_xlsx_for_an_auditor_and_the_export_is_logged(file_store, tmp_path):
    file_store.set_operator("王经办")
    target = tmp_path / "修改记录.xlsx"
    count = audit.export_xlsx(file_store, target)
    ws = load_workbook(target).active
    assert [c.value for c in ws[1]] == audit.EXPORT_HEADERS
    assert ws.max_row == count + 1
    last = audit.list_changes(file_store, limit=1)[0]
    assert (last.action, last.operator, last.table_name) == ("export", "王经办", "audit_log")


def test_the_audit_table_cannot_be_edited(file_store):
    with pytest.raises(UserError), file_store.action("篡改") as act:
        act.update("audit_log", 1, {"operator": "别人"})
    with pytest.raises(UserError), file_store.action("删除历史") as act:
        act.delete("audit_log", 1)
    with pytest.raises(sqlite3.IntegrityError):
        file_store.db.execute("DELETE FROM audit_log")
    assert audit.list_changes(file_store)[-1].operator == "系统"


# --- disk full ----------------------------------------------------------------------------

def test_disk_full_write_fails_with_a_message_and_keeps_what_was_there(file_store, db_path):
    from app.store import WriteFailed

    file_store.set_operator("甲经办")
    before = file_store.db["audit_log"].count
    pages = file_store.db.execute("PRAGMA page_count").fetchone()[0]
    file_store.db.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full now
    with pytest.raises(WriteFailed, match="磁盘空间已满") as info:
        file_store.note("export", "audit_log", "", "大量数据", {"blob": "数" * 200_000})
    assert "之前的数据不受影响" in str(info.value)
    assert not file_store.db.conn.in_transaction
    assert file_store.db["audit_log"].count == before
    file_store.db.execute("PRAGMA max_page_count = 1073741823")
    file_store.set_operator("乙经办")  # the store keeps working once there is space
    file_store.close()
    assert check_file(db_path).ok


def test_history_of_a_worker_keeps_personal_numbers_masked(store, tmp_path):
    """The history and its export show 110101********1234, never the whole number."""
    from openpyxl import load_workbook

    from app.audit import export_xlsx, record_history
    from app.demo import fill_demo

    fill_demo(store)
    worker = next(store.db.query("SELECT id, id_number, phone FROM workers LIMIT 1"))
    history = record_history(store, "workers", worker["id"])
    text = "\n".join(e.describe_changes() for e in history)
    assert "身份证号：" in text and worker["id_number"][:6] + "********" in text
    assert worker["id_number"] not in text and worker["phone"] not in text
    path = tmp_path / "history.xlsx"
    export_xlsx(store, path)
    cells = "\n".join(str(c.value) for row in load_workbook(path).active.iter_rows() for c in row)
    assert worker["id_number"] not in cells and "服务人员" in cells


def test_history_search_does_not_confirm_a_guessed_id_number(store):
    """The mask hides the birth date; searching the history must not reveal it either."""
    from app.audit import AuditFilter, list_changes
    from app.demo import fill_demo

    fill_demo(store)
    worker = next(store.db.query("SELECT name, id_number, phone FROM workers LIMIT 1"))
    assert list_changes(store, AuditFilter(text=worker["id_number"][:14])) == []
    assert list_changes(store, AuditFilter(text=worker["phone"])) == []
    assert list_changes(store, AuditFilter(text=worker["id_number"][-4:]))  # visible in the mask
    assert list_changes(store, AuditFilter(text=worker["name"]), limit=1)


def test_history_names_records_and_speaks_the_forms_words(store):
    """Ids become names, codes become the clerk's words, fields come in form order."""
    from app.audit import AuditFilter, list_changes, record_history
    from app.demo import fill_demo

    fill_demo(store)
    worker = next(store.db.query("SELECT id, name FROM workers ORDER BY id LIMIT 1"))
    created = record_history(store, "workers", worker["id"])[0].describe_changes()
    assert created.startswith("岗位：接派单、退单、案件核实；姓名：" + worker["name"])
    assert "手机号：139****" in created and "到岗日期：2026-01-01" in created and "合同：" not in created
    assert "工时制度：综合工时" in created
    replacement = list_changes(store, AuditFilter(table="replacements"))[-1].describe_changes()
    assert "被更换人员：郑晓东" in replacement and "：#" not in replacement and "提出方：乙方申请" in replacement
    contract = list_changes(store, AuditFilter(table="contracts"))[-1].describe_changes()
    assert "付款周期：按季度" in contract


def test_check_finds_a_value_changed_around_the_audit_log(db_path):
    """A value changed on disk (or by a tool outside the program) passes integrity_check;
    the audit log, replayed field by field, no longer agrees with it."""
    import sqlite3

    from app.demo import fill_demo
    from app.replacements import accounts_to_revoke, revoke_account
    from app.store import open_store
    from app.store.check import check_file
    from app.workcalendar import clear_override

    store = open_store(db_path)
    fill_demo(store)
    account = accounts_to_revoke(store)[0]
    revoke_account(store, account.id, "2026-11-25")
    set_override(store, dt.date(2026, 12, 31), DayKind.RESTDAY, "测试")
    clear_override(store, dt.date(2026, 12, 31))
    store.set_operator("丙经办")
    store.close()
    assert check_file(db_path).ok, check_file(db_path).lines()

    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE workers SET name = '赵文锦' WHERE name = '赵文静'")
    conn.commit()
    conn.close()
    report = check_file(db_path)
    assert not report.ok
    assert any("内容与修改记录不一致" in line and "name" in line for line in report.lines())
