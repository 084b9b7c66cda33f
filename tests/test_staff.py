"""Service workers: validation, add/edit/leave, replacements (五.4, 四.4), accounts (四.6)."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from app import staff
from app.errors import ValidationError
from app.idcard import check_char
from app.replacements import (accounts_to_revoke, add_account, decide_replacement, list_accounts,
                              list_replacements, record_replacement, revoke_account)
from app.staff import Status


def make_id(birth: str = "19900307", seq: int = 123, area: str = "110101") -> str:
    first17 = f"{area}{birth}{seq:03d}"
    return first17 + check_char(first17)


def form(**changes):
    data = {"name": "王晓燕", "gender": "女", "id_number": make_id(seq=124), "phone": "13900001234",
            "post": "reply_review", "start_date": "2026-01-01", "hours_scheme": "标准工时"}
    data.update(changes)
    return data


def worker_count(store) -> int:
    return store.db["workers"].count


def audit_count(store) -> int:
    return store.db["audit_log"].count


def test_add_worker_is_stored_and_audited(store):
    before = audit_count(store)
    worker_id = staff.add_worker(store, form(labour_contract_on="2026-01-05"))
    worker = staff.get_worker(store, worker_id)
    assert (worker.name, worker.post_name, worker.gender) == ("王晓燕", "接诉即办案件回复意见审核", "女")
    assert worker.masked_id == "110101********" + worker.id_number[-4:]
    assert worker.missing_compliance() == ["社保", "岗前培训"]
    rows = list(store.db.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT 2"))
    assert audit_count(store) == before + 2  # the worker and their first post stretch, one action
    assert {(r["table_name"], r["summary"]) for r in rows} == {("workers", "新增服务人员：王晓燕"),
                                                               ("worker_posts", "新增服务人员：王晓燕")}


@pytest.mark.parametrize("changes,field,fragment", [
    ({"id_number": make_id()[:-1] + ("0" if make_id()[-1] != "0" else "1")}, "id_number", "校验位不对"),
    ({"id_number": make_id(birth="19900231")}, "id_number", "不是真实的日期"),
    ({"phone": "1390000123"}, "phone", "11位数字，“1390000123”是10位"),
    ({"phone": "23900001234"}, "phone", "不是手机号：手机号以1开头"),
    ({"phone": "1390000abcd"}, "phone", "只能包含数字"),
    ({"name": "   "}, "name", "姓名不能为空"),
    ({"name": "王😀"}, "name", "姓名中不能有"),
    ({"start_date": "2026-06-01", "planned_end": "2026-05-31"}, "planned_end", "早于到岗日期"),
    ({"start_date": "2025-12-31"}, "start_date", "不在合同服务期限内"),
    ({"planned_end": "2027-01-01"}, "planned_end", "不在合同服务期限内"),
    ({"start_date": "2026-02-30"}, "start_date", "不是真实的日期"),
    ({"start_date": "明天"}, "start_date", "格式不对"),
    ({"post": "保洁岗"}, "post", "不是合同约定的岗位"),
    ({"gender": "男"}, "gender", "与身份证号不符"),
    ({"id_number": make_id(birth="20110101", seq=124)}, "id_number", "未满16周岁"),
    ({"hours_scheme": "弹性"}, "hours_scheme", "标准工时"),
    ({"labour_contract_on": "2026-12-01"}, "labour_contract_on", "核验日期不能在将来"),
    ({"notes": "a\x00b"}, "notes", "控制字符"),
    ({"emergency_phone": "abc"}, "emergency_phone", "7至12位数字"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(store, changes, field, fragment):
    before = (worker_count(store), audit_count(store))
    with pytest.raises(ValidationError) as info:
        staff.add_worker(store, form(**changes))
    assert fragment in str(info.value)
    assert info.value.field == field
    assert (worker_count(store), audit_count(store)) == before


def test_duplicate_id_in_the_same_contract_is_refused(store):
    staff.add_worker(store, form())
    with pytest.raises(ValidationError) as info:
        staff.add_worker(store, form(name="李四", phone="13900009999"))
    assert "重复" in str(info.value) and "王晓燕" in str(info.value)
    assert worker_count(store) == 1


def test_input_is_tidied(store):
    worker_id = staff.add_worker(store, form(name=" 买买提·艾力 ", phone="139-0000-1234", id_number=" " + make_id(seq=124).lower(),
                                             post="审核", start_date="2026/3/2", hours_scheme="综合计算工时制",
                                             gender=""))
    w = staff.get_worker(store, worker_id)
    assert (w.name, w.phone, w.post_code, w.start_date, w.hours_scheme.label, w.gender) == (
        "买买提·艾力", "13900001234", "reply_review", dt.date(2026, 3, 2), "综合工时", "女")


def test_every_problem_of_a_form_is_listed(store):
    _, problems = staff.worker_problems(store, form(name="", phone="12", post="x", start_date="2027-01-01"))
    assert {p.field for p in problems} == {"name", "phone", "post", "start_date"}


def test_edit_keeps_own_id_and_audits_the_change(store):
    worker_id = staff.add_worker(store, form())
    diff = staff.update_worker(store, worker_id, form(phone="13911112222"))
    assert diff == {"phone": ["13900001234", "13911112222"]}
    assert staff.get_worker(store, worker_id).phone == "13911112222"


def test_status_follows_dates_and_today(store):
    worker_id = staff.add_worker(store, form(start_date="2026-12-01"))
    w = staff.get_worker(store, worker_id)
    assert w.status(dt.date(2026, 11, 25)) is Status.WAITING
    assert w.status(dt.date(2026, 12, 1)) is Status.ON_DUTY
    staff.leave_worker(store, worker_id, "2026-12-10", "合同期满")
    w = staff.get_worker(store, worker_id)
    assert w.status(dt.date(2026, 12, 10)) is Status.ON_DUTY
    assert w.status(dt.date(2026, 12, 11)) is Status.LEFT
    assert "离场：合同期满" in w.notes


def test_leaving_before_start_is_refused(store):
    worker_id = staff.add_worker(store, form(start_date="2026-03-01"))
    with pytest.raises(ValidationError, match="早于到岗日期"):
        staff.leave_worker(store, worker_id, "2026-02-28")
    assert staff.get_worker(store, worker_id).left_on is None


def test_delete_only_without_history(store):
    mistaken = staff.add_worker(store, form())
    staff.delete_worker(store, mistaken)
    assert worker_count(store) == 0
    kept = staff.add_worker(store, form())
    add_account(store, kept, {"platform": "接诉即办工作平台", "account_name": "ltjd01", "granted_on": "2026-01-04"})
    with pytest.raises(ValidationError, match="不能删除"):
        staff.delete_worker(store, kept)
    assert worker_count(store) == 1


def test_post_fill_counts_people_on_duty_today(store):
    staff.add_worker(store, form())
    fills = {f.post.code: f for f in staff.post_fills(store, dt.date(2026, 11, 25))}
    assert fills["reply_review"].state == "缺 1 人"
    assert fills["dispatch"].state == "缺 1 人"
    assert [w.name for w in fills["reply_review"].on_duty] == ["王晓燕"]


# --- replacements -------------------------------------------------------------------------

@pytest.fixture
def pair(store):
    leaving = staff.add_worker(store, form(name="郑晓东", id_number=make_id(seq=125), gender="男",
                                           phone="13900000007"))
    incoming = staff.add_worker(store, form(name="王丽娜", start_date="2026-12-01"))
    return leaving, incoming


def test_vendor_replacement_with_short_notice_is_flagged_and_waits_for_consent(store, pair):
    leaving, incoming = pair
    rep_id = record_replacement(store, {"leaving": leaving, "incoming": incoming, "requested_by": "vendor",
                                        "notified_on": "2026-11-25", "effective_on": "2026-12-01",
                                        "reason": "本人辞职"})
    rep = list_replacements(store)[0]
    assert rep.notice_days == 6 and rep.short_notice
    assert "不足一周" in rep.notice_text()
    assert staff.get_worker(store, leaving).left_on is None  # not in force until the office agrees
    decide_replacement(store, rep_id, "agreed", "2026-11-25")
    assert staff.get_worker(store, leaving).left_on == dt.date(2026, 11, 30)
    with pytest.raises(ValidationError, match="已有甲方意见"):
        decide_replacement(store, rep_id, "refused", "2026-11-25")


def test_a_week_of_notice_is_not_flagged(store, pair):
    leaving, incoming = pair
    record_replacement(store, {"leaving": leaving, "incoming": incoming, "requested_by": "vendor",
                               "notified_on": "2026-11-24", "effective_on": "2026-12-01", "consent": "agreed",
                               "consent_on": "2026-11-25", "reason": "调岗"})
    rep = list_replacements(store)[0]
    assert not rep.short_notice and rep.notice_text() == "提前 7 天"
    assert staff.get_worker(store, leaving).left_on == dt.date(2026, 11, 30)


def test_office_demand_is_effective_at_once_and_cites_assessments(store, pair):
    leaving, _ = pair
    record_replacement(store, {"leaving": leaving, "requested_by": "office", "notified_on": "2026-11-20",
                               "reason": "连续两个月考核不合格", "grounds": "2026年9月、10月服务考核不合格"})
    rep = list_replacements(store)[0]
    assert (rep.effective_on, rep.consent.value, rep.short_notice) == (dt.date(2026, 11, 20), "agreed", False)
    assert rep.grounds == "2026年9月、10月服务考核不合格"
    assert staff.get_worker(store, leaving).left_on == dt.date(2026, 11, 19)


@pytest.mark.parametrize("changes,fragment", [
    ({"reason": ""}, "更换原因不能为空"),
    ({"notified_on": "2026-12-01"}, "晚于今天"),
    ({"effective_on": "2027-01-05"}, "不在合同服务期限内"),
    ({"requested_by": "someone"}, "请选择提出方"),
    ({"consent": "agreed"}, "甲方意见日期不能为空"),
])
def test_bad_replacement_is_refused_and_nothing_written(store, pair, changes, fragment):
    leaving, incoming = pair
    data = {"leaving": leaving, "incoming": incoming, "requested_by": "vendor", "notified_on": "2026-11-20",
            "effective_on": "2026-12-01", "reason": "辞职"}
    data.update(changes)
    before = audit_count(store)
    with pytest.raises(ValidationError, match=fragment):
        record_replacement(store, data)
    assert audit_count(store) == before and list_replacements(store) == []


def test_worker_with_replacement_history_cannot_be_deleted(store, pair):
    leaving, _ = pair
    record_replacement(store, {"leaving": leaving, "requested_by": "office",
                               "notified_on": "2026-11-20", "reason": "严重失职"})
    assert staff.history_of(store, leaving) == {"replacements": 1}
    with pytest.raises(ValidationError):
        staff.delete_worker(store, leaving)


# --- accounts -------------------------------------------------------------------------------

def test_open_accounts_of_a_leaver_are_a_reminder_until_revoked(store, pair):
    leaving, _ = pair
    account = add_account(store, leaving, {"platform": "接诉即办工作平台", "account_name": "ltjd07",
                                           "granted_on": "2026-01-04"})
    assert accounts_to_revoke(store) == []
    staff.leave_worker(store, leaving, "2026-11-20")
    assert [a.account_name for a in accounts_to_revoke(store)] == ["ltjd07"]
    revoke_account(store, account, "2026-11-21")
    assert accounts_to_revoke(store) == []
    assert list_accounts(store, leaving)[0].revoked_on == dt.date(2026, 11, 21)


def test_account_refusals(store, pair):
    leaving, incoming = pair
    with pytest.raises(ValidationError, match="账号不能为空"):
        add_account(store, leaving, {"platform": "接诉即办工作平台", "account_name": " ", "granted_on": "2026-01-04"})
    add_account(store, leaving, {"platform": "接诉即办工作平台", "account_name": "ltjd07", "granted_on": "2026-01-04"})
    with pytest.raises(ValidationError, match="尚未注销"):
        add_account(store, incoming, {"platform": "接诉即办工作平台", "account_name": "ltjd07",
                                      "granted_on": "2026-01-04"})


# --- the schema step ------------------------------------------------------------------------

def test_a_file_from_before_the_staff_tables_is_upgraded(file_store, db_path):
    from app.store import open_store

    for table in ("system_accounts", "replacements", "workers"):
        file_store.db[table].drop()
    file_store.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'create_staff_tables'")
    file_store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    file_store.close()
    upgraded = open_store(db_path)
    try:
        staff.add_worker(upgraded, form())
        assert [w.name for w in staff.list_workers(upgraded)] == ["王晓燕"]
    finally:
        upgraded.close()


def test_the_database_refuses_a_duplicate_id_even_behind_the_core(store):
    import sqlite3

    staff.add_worker(store, form())
    row = dict(next(store.db.query("SELECT * FROM workers")))
    row.pop("id")
    with pytest.raises(sqlite3.IntegrityError):
        store.db["workers"].insert(row)


# --- fuzz: anything typed is either accepted or refused in Chinese ----------------------------

junk = st.one_of(st.text(max_size=40), st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
                 st.sampled_from(["", " ", "\x00", "\u202e", "😀", "１３９００００１２３４", "2026-02-30",
                                  "9" * 40, "null", "None"]),
                 st.none(), st.integers(), st.floats(allow_nan=True))


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.dictionaries(st.sampled_from(staff.FORM_FIELDS), junk))
def test_fuzz_worker_validation_never_crashes(store, data):
    merged = form(**data)
    try:
        record = staff.validate_worker(store, merged)
    except ValidationError as err:
        assert err.field in staff.FORM_FIELDS
        assert str(err) and any("\u4e00" <= ch <= "\u9fff" for ch in str(err))
    else:
        assert record["name"] and len(record["phone"]) == 11


def test_worker_json_is_masked_by_default(store):
    worker_id = staff.add_worker(store, form())
    text = json.dumps(staff.get_worker(store, worker_id).as_json())
    assert make_id(seq=124) not in text and "13900001234" not in text


def test_nested_actions_are_one_transaction_and_one_notification(store):
    heard = []
    store.subscribe(heard.append)
    with store.action("外层"):
        staff.add_worker(store, form())
        staff.add_worker(store, form(name="李四", id_number=make_id(seq=125), gender="男", phone="13900009999"))
    assert len(heard) == 1 and heard[0].touches("workers") and heard[0].summary == "外层"


rep_fields = ["leaving", "incoming", "requested_by", "notified_on", "effective_on", "consent", "consent_on",
              "reason", "grounds"]


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.dictionaries(st.sampled_from(rep_fields),
                       st.one_of(junk, st.sampled_from(["vendor", "office", "agreed", "pending", "1", "2"]))))
def test_fuzz_replacement_never_crashes(store, data):
    if not staff.list_workers(store):
        staff.add_worker(store, form())
    merged = {"leaving": 1, "requested_by": "vendor", "notified_on": "2026-11-20", "effective_on": "2026-12-01",
              "reason": "辞职"}
    merged.update(data)
    try:
        record_replacement(store, merged)
    except ValidationError as err:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err))


def test_assignments_name_who_served_on_which_post_in_a_month(store):
    from app.demo import fill_demo
    from app.staff import assignments

    fill_demo(store)
    october = assignments(store, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert october, "the demo staff serve in October"
    assert all(a.start <= dt.date(2026, 10, 31) and (a.end is None or a.end >= dt.date(2026, 10, 1))
               for a in october)
    # a worker who left in June serves in June but not in October
    june = assignments(store, dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    left_in_june = {a.worker_id for a in june if a.end and a.end.month == 6}
    assert left_in_june and not left_in_june & {a.worker_id for a in october}


# --- 调岗: a post changes from a date, the past stays on the old post ---------------------

def stretches_of(store, worker_id):
    return sorted(((a.post_code, a.start, a.end) for a in staff.assignments(
        store, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) if a.worker_id == worker_id), key=lambda s: s[1])


def test_a_post_change_from_a_date_keeps_the_days_before_on_the_old_post(store):
    worker_id = staff.add_worker(store, form())
    staff.change_post(store, worker_id, "flex", "2026-12-01", "乙方调整")
    assert stretches_of(store, worker_id) == [("reply_review", dt.date(2026, 1, 1), dt.date(2026, 11, 30)),
                                              ("flex", dt.date(2026, 12, 1), None)]
    assert staff.get_worker(store, worker_id).post_code == "reply_review"  # today is 2026-11-25
    november = {f.post.code: [w.name for w in f.on_duty] for f in staff.post_fills(store, dt.date(2026, 11, 25))}
    assert november["reply_review"] == ["王晓燕"] and november["flex"] == []
    staff.leave_worker(store, worker_id, "2026-12-10")
    assert stretches_of(store, worker_id)[-1] == ("flex", dt.date(2026, 12, 1), dt.date(2026, 12, 10))
    summaries = {r["summary"] for r in store.db["audit_log"].rows_where("table_name = 'worker_posts'")}
    assert "调岗：王晓燕 自 2026-12-01 起到“机动岗”" in summaries


def test_editing_the_post_of_someone_who_has_served_is_refused_and_names_the_way(store):
    worker_id = staff.add_worker(store, form())
    before = audit_count(store)
    with pytest.raises(ValidationError, match="调岗") as err:
        staff.update_worker(store, worker_id, form(post="flex"))
    assert err.value.field == "post" and audit_count(store) == before
    assert stretches_of(store, worker_id) == [("reply_review", dt.date(2026, 1, 1), None)]


def test_the_post_of_someone_who_has_not_started_can_be_corrected_in_the_form(store):
    worker_id = staff.add_worker(store, form(start_date="2026-12-01"))
    staff.update_worker(store, worker_id, form(post="flex", start_date="2026-12-02"))
    assert stretches_of(store, worker_id) == [("flex", dt.date(2026, 12, 2), None)]


@pytest.mark.parametrize("post,day,reason,fragment", [
    ("flex", "2025-12-01", "调整", "合同"),
    ("flex", "2026-01-01x", "调整", "格式不对"),
    ("reply_review", "2026-12-01", "调整", "不需要调岗"),
    ("flex", "2026-12-01", "  ", "调岗原因不能为空"),
    ("保洁", "2026-12-01", "调整", "不是合同约定的岗位"),
])
def test_a_refused_post_change_says_why_and_writes_nothing(store, post, day, reason, fragment):
    worker_id = staff.add_worker(store, form())
    before = audit_count(store)
    with pytest.raises(ValidationError, match=fragment):
        staff.change_post(store, worker_id, post, day, reason)
    assert audit_count(store) == before


def test_a_post_change_on_its_own_start_day_corrects_it_and_leaving_before_it_is_refused(store):
    worker_id = staff.add_worker(store, form())
    staff.change_post(store, worker_id, "flex", "2026-12-01", "乙方调整")
    staff.change_post(store, worker_id, "grid_watch", "2026-12-01", "选错了")
    assert stretches_of(store, worker_id)[-1] == ("grid_watch", dt.date(2026, 12, 1), None)
    assert len(stretches_of(store, worker_id)) == 2
    with pytest.raises(ValidationError, match="离场日期不能早于调岗日期"):
        staff.leave_worker(store, worker_id, "2026-11-20")
    staff.change_post(store, worker_id, "reply_review", "2026-12-01", "不调了")
    assert stretches_of(store, worker_id) == [("reply_review", dt.date(2026, 1, 1), None)]


def test_a_worker_with_a_post_history_cannot_be_deleted_only_its_own_stretch_does_not_count(store):
    worker_id = staff.add_worker(store, form())
    assert staff.history_of(store, worker_id) == {}
    staff.delete_worker(store, worker_id)
    assert store.db["worker_posts"].count == 0
