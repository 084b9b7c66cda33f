"""月度考核 core: templates, deductions, the month's status, verification codes."""
from __future__ import annotations

import re

import copy
import datetime as dt
from decimal import Decimal

import pytest

from app import assessment as a
from app import assessment_codes as codes
from app import staff
from app.assessment_template import (
    current_templates, load_default_templates, save_template, template_for, validate_template,
)
from app.errors import ValidationError
from tests.test_staff import audit_count, form, make_id


def default_data() -> dict:
    return copy.deepcopy(load_default_templates()[0].as_json())


@pytest.fixture
def two(store):
    """Two workers on reply_review: one all year, one who left on 2026-03-15."""
    w1 = staff.add_worker(store, form(name="吴雪梅", id_number=make_id(seq=202)))
    w2 = staff.add_worker(store, form(name="郑晓东", id_number=make_id(seq=203), gender="男",
                                      phone="13900001235", planned_end="2026-03-15"))
    return w1, w2


def test_default_template_sums_to_100_with_the_four_bands():
    template = load_default_templates()[0]
    assert sum(c.max for c in template.criteria) == 100
    assert [(b.name, b.low) for b in template.bands] == [("优秀", 90), ("良好", 80), ("合格", 60), ("不合格", 0)]
    assert [template.grade(Decimal(x)) for x in ("100", "90", "89.9", "80", "60", "59.9", "0")] == \
        ["优秀", "优秀", "良好", "良好", "合格", "不合格", "不合格"]
    assert template.criteria[0].name == "到岗与值守" and "缺岗" in template.criteria[0].rules


def test_maxima_not_summing_to_100_are_refused(store):
    data = default_data()
    data["criteria"][0]["max"] = "30"
    with pytest.raises(ValidationError, match="合计应为 100 分，现在是 105 分"):
        save_template(store, data)
    assert store.db["assessment_templates"].count == 0


@pytest.mark.parametrize("bands, message", [
    ([("优秀", 90, 100), ("良好", 75, 90), ("合格", 60, 80), ("不合格", 0, 60)], "重叠"),
    ([("优秀", 90, 100), ("良好", 80, 88), ("合格", 60, 80), ("不合格", 0, 60)], "空档：88 至 90 分"),
    ([("优秀", 90, 100), ("良好", 80, 90), ("合格", 60, 80), ("不合格", 10, 60)], "应从 0 分开始"),
    ([("优秀", 90, 99), ("良好", 80, 90), ("合格", 60, 80), ("不合格", 0, 60)], "应到 100 分为止"),
])
def test_bands_that_overlap_or_leave_a_gap_are_refused(store, bands, message):
    data = default_data()
    data["bands"] = [{"name": n, "from": lo, "to": hi} for n, lo, hi in bands]
    with pytest.raises(ValidationError, match=message):
        save_template(store, data)
    assert store.db["assessment_templates"].count == 0


def test_pass_mark_is_editable_but_must_be_a_band_boundary(store):
    data = default_data()
    data["pass_mark"] = "65"
    with pytest.raises(ValidationError, match="合格分数线 65 分应是某一等级的起始分"):
        validate_template(data)
    data["bands"] = [{"name": "优秀", "from": 90, "to": 100}, {"name": "良好", "from": 80, "to": 90},
                     {"name": "合格", "from": 65, "to": 80}, {"name": "不合格", "from": 0, "to": 65}]
    save_template(store, data)
    assert template_for(store, "dispatch").pass_mark == 65


def test_a_month_keeps_the_template_version_it_was_scored_with(store, two):
    w1, _ = two
    a.add_deduction(store, 2026, 2, w1, 1, "2", "缺岗 1 小时", "2026-02-10")
    data = default_data()
    data["criteria"][0]["max"] = "30"
    data["criteria"][5]["max"] = "5"
    data["criteria"][5]["rules"] = "不配合每次扣 1 分。"
    save_template(store, data)
    assert [t.version for t in current_templates(store)] == [2]
    feb = a.sheet_for(a.load_month(store, 2026, 2), w1)
    assert feb.template.version == 1 and feb.template.criteria[0].max == 25 and feb.total == 98
    a.score_worker(store, 2026, 3, w1)
    assert a.sheet_for(a.load_month(store, 2026, 3), w1).template.criteria[0].max == 30


def test_a_post_may_have_its_own_template(store, two):
    data = default_data()
    data["post"] = "reply_review"
    data["name"] = "回复意见审核岗考核标准"
    save_template(store, data)
    assert template_for(store, "reply_review").name == "回复意见审核岗考核标准"
    assert template_for(store, "dispatch").name == "盯守服务人员月度考核标准"


def test_deductions_give_live_totals_and_grades(store, two):
    w1, _ = two
    a.add_deduction(store, 2026, 3, w1, 1, "2", "3月3日缺岗 1 小时", "2026-03-03")
    a.add_deduction(store, 2026, 3, w1, 2, "0.5", "派单说明不清被退回", "2026-03-04")
    sheet = a.sheet_for(a.load_month(store, 2026, 3), w1)
    assert (sheet.criterion_score(1), sheet.criterion_score(2), sheet.total, sheet.grade) == \
        (Decimal(23), Decimal("19.5"), Decimal("97.5"), "优秀")


def test_a_deduction_larger_than_the_criterions_maximum_is_refused(store, two):
    w1, _ = two
    before = audit_count(store)
    with pytest.raises(ValidationError, match="超过“服务规范与保密”的分值 10 分"):
        a.add_deduction(store, 2026, 3, w1, 5, "12", "泄露信息", "2026-03-05")
    assert audit_count(store) == before and store.db["assessment_months"].count == 0
    a.add_deduction(store, 2026, 3, w1, 5, "8", "违反操作规范", "2026-03-05")
    with pytest.raises(ValidationError, match="已扣 8 分，最多还能扣 2 分"):
        a.add_deduction(store, 2026, 3, w1, 5, "3", "又一次", "2026-03-06")
    with pytest.raises(ValidationError, match="最多保留一位小数"):
        a.add_deduction(store, 2026, 3, w1, 5, "0.25", "又一次", "2026-03-06")
    with pytest.raises(ValidationError, match="扣分事由不能为空"):
        a.add_deduction(store, 2026, 3, w1, 5, "1", "  ", "2026-03-06")
    with pytest.raises(ValidationError, match="不在2026年3月内"):
        a.add_deduction(store, 2026, 3, w1, 5, "1", "又一次", "2026-04-01")
    with pytest.raises(ValidationError, match="在今天之后"):
        a.add_deduction(store, 2026, 11, w1, 5, "1", "还没发生", "2026-11-26")



@pytest.mark.parametrize("typed, day", [
    ("8", "2026-03-08"), ("08", "2026-03-08"), ("8日", "2026-03-08"), ("８号", "2026-03-08"), ("3-8", "2026-03-08"),
    ("3.8", "2026-03-08"), ("3/8", "2026-03-08"), ("3月8日", "2026-03-08"), ("2026-03-31", "2026-03-31"),
    ("20260308", "2026-03-08"),
])
def test_a_deduction_date_may_be_written_as_the_day_of_the_assessed_month(store, two, typed, day):
    w1, _ = two
    a.add_deduction(store, 2026, 3, w1, 1, "1", "迟到", typed)
    [sheet] = a.load_month(store, 2026, 3).sheets[:1]
    assert [d.date.isoformat() for d in sheet.deductions] == [day]


@pytest.mark.parametrize("typed, message", [
    ("", "请填写扣分日期：发生扣分情形的那一天（2026-03-01 至 2026-03-31，可只写几日，如 8）"),
    ("32", "扣分日期“32”不是真实的日期：2026年3月没有 32 日"),
    ("2-30", "2026年2月没有 30 日"),
    ("4-1", "扣分日期 2026-04-01 不在2026年3月内（应在 2026-03-01 至 2026-03-31 之间）"),
    ("2025-03-08", "扣分日期 2025-03-08 不在2026年3月内"),
    ("三月八日", "扣分日期“三月八日”格式不对"),
])
def test_a_deduction_date_outside_the_month_or_unreadable_is_refused_clearly(store, two, typed, message):
    w1, _ = two
    before = audit_count(store)
    with pytest.raises(ValidationError, match=re.escape(message)):
        a.add_deduction(store, 2026, 3, w1, 1, "1", "迟到", typed)
    assert audit_count(store) == before

def test_scoring_a_worker_outside_their_service_is_refused(store, two):
    _, w2 = two
    before = audit_count(store)
    with pytest.raises(ValidationError, match="郑晓东在2026年4月不在服务期内（2026-01-01 至 2026-03-15）"):
        a.score_worker(store, 2026, 4, w2)
    with pytest.raises(ValidationError, match="不在服务期内"):
        a.add_deduction(store, 2026, 3, w2, 1, "1", "缺岗", "2026-03-20")
    with pytest.raises(ValidationError, match="不在合同服务期限内"):
        a.score_worker(store, 2027, 1, w2)
    assert audit_count(store) == before
    assert [r.assignment.worker_name for r in a.load_month(store, 2026, 4).rows] == ["吴雪梅"]


def test_finalising_with_a_missing_score_is_refused(store, two):
    w1, w2 = two
    a.score_worker(store, 2026, 3, w1)
    with pytest.raises(ValidationError, match="还有 1 位服务人员没有评分：郑晓东"):
        a.finalise(store, 2026, 3)
    assert a.get_month(store, 2026, 3).status is a.Status.DRAFT
    a.score_worker(store, 2026, 3, w2)
    assert a.finalise(store, 2026, 3).status is a.Status.FINAL


def test_a_month_is_finalised_only_once_its_service_is_over(store, two, monkeypatch):
    """On 2026-11-25 November still has five days in which a worker can fail: its scores
    may be entered, not finalised (a hostile tester finalised November on the 25th)."""
    w1, _ = two
    a.score_worker(store, 2026, 11, w1)
    with pytest.raises(ValidationError, match="2026年11月还没有结束（最后一天是 2026-11-30）"):
        a.finalise(store, 2026, 11)
    with pytest.raises(ValidationError, match="应在考核月份结束之后"):
        a.finalise(store, 2026, 10, on=dt.date(2026, 10, 20))
    assert a.get_month(store, 2026, 11).status is a.Status.DRAFT
    monkeypatch.setenv("DINGSHOU_TODAY", "2026-11-30")  # its last day and night are still to be served
    with pytest.raises(ValidationError, match="还没有结束"):
        a.finalise(store, 2026, 11)
    monkeypatch.setenv("DINGSHOU_TODAY", "2026-12-01")
    assert a.finalise(store, 2026, 11).status is a.Status.FINAL


def test_sign_lock_reopen_and_a_new_code(store, two):
    w1, w2 = two
    a.add_deduction(store, 2026, 3, w1, 1, "4", "缺岗 2 小时", "2026-03-03")
    assert a.score_all(store, 2026, 3) == 1
    with pytest.raises(ValidationError, match="先定稿"):
        a.sign(store, 2026, 3, "2026-11-25")
    a.finalise(store, 2026, 3)
    with pytest.raises(ValidationError, match="已定稿，不能修改"):
        a.set_comment(store, 2026, 3, w1, "好")
    with pytest.raises(ValidationError, match="早于考核月份"):
        a.sign(store, 2026, 3, "2026-02-27")
    a.sign(store, 2026, 3, "2026-11-25")
    printed = a.sheet_for(a.load_month(store, 2026, 3), w1)
    codes.register_printed(store, [printed])
    before = audit_count(store)
    for edit in (lambda: a.add_deduction(store, 2026, 3, w1, 2, "1", "超时派单", "2026-03-09"),
                 lambda: a.set_comment(store, 2026, 3, w1, "改"),
                 lambda: a.remove_deduction(store, printed.deductions[0].id),
                 lambda: a.score_worker(store, 2026, 3, w2)):
        with pytest.raises(ValidationError, match="已签字，已锁定.*撤销签字"):
            edit()
    assert audit_count(store) == before
    with pytest.raises(ValidationError, match="撤销签字的原因不能为空"):
        a.reopen(store, 2026, 3, "")
    month = a.reopen(store, 2026, 3, "缺岗时长核对有误，应为 1 小时")
    assert (month.status, month.revision, month.signed_on) == (a.Status.DRAFT, 2, None)
    history = [r["summary"] for r in store.db.query("SELECT summary FROM audit_log ORDER BY id DESC LIMIT 1")]
    assert history == ["2026年3月考核撤销签字：缺岗时长核对有误，应为 1 小时"]
    again = a.sheet_for(a.load_month(store, 2026, 3), w1)
    assert again.total == printed.total and again.code != printed.code and again.sheet_no.endswith("-R2")
    check = codes.verify_code(store, printed.code.replace("-", "").lower())
    assert check.found and not check.matches and "记录已在打印后修改" in check.message
    codes.register_printed(store, [again])
    assert codes.verify_code(store, again.code).matches
    assert not codes.verify_code(store, "AAAAA-AAAAA").found


def test_any_change_to_a_sheet_changes_its_code(store, two):
    w1, _ = two
    a.score_worker(store, 2026, 3, w1)
    codes = {a.sheet_for(a.load_month(store, 2026, 3), w1).code}
    a.set_comment(store, 2026, 3, w1, "服务规范")
    codes.add(a.sheet_for(a.load_month(store, 2026, 3), w1).code)
    a.add_deduction(store, 2026, 3, w1, 3, "1", "核实不实", "2026-03-10")
    codes.add(a.sheet_for(a.load_month(store, 2026, 3), w1).code)
    assert len(codes) == 3


def test_back_to_draft_from_final_only(store, two):
    w1, _ = two
    with pytest.raises(ValidationError, match="只有已定稿的才能退回草稿"):
        a.back_to_draft(store, 2026, 3)
    a.score_all(store, 2026, 3)
    a.finalise(store, 2026, 3)
    assert a.back_to_draft(store, 2026, 3).status is a.Status.DRAFT
    a.set_comment(store, 2026, 3, w1, "可以修改了")


def test_signing_date_cannot_be_in_the_future(store, two):
    a.score_all(store, 2026, 10)
    a.finalise(store, 2026, 10)
    with pytest.raises(ValidationError, match="在今天之后"):
        a.sign(store, 2026, 10, dt.date(2026, 11, 26))


def test_correcting_a_name_after_finalising_leaves_the_printed_sheet_as_it_was(store, two, monkeypatch):
    """The printed sheet is the evidence: a typo corrected on the staff record afterwards made
    every signed sheet's code change and `verify` call the paper altered (hostile review)."""
    w1, _ = two
    a.add_deduction(store, 2026, 2, w1, 1, "2", "缺岗 1 小时", "2026-02-03")
    a.score_all(store, 2026, 2)
    a.finalise(store, 2026, 2)
    printed = a.sheet_for(a.load_month(store, 2026, 2), w1)
    codes.register_printed(store, [printed])
    a.sign(store, 2026, 2, "2026-11-25")
    staff.update_worker(store, w1, form(name="吴雪玫", id_number=make_id(seq=202)))
    kept = a.sheet_for(a.load_month(store, 2026, 2), w1)
    assert (kept.worker_name, kept.code) == ("吴雪梅", printed.code)
    assert codes.verify_code(store, printed.code).matches
    a.reopen(store, 2026, 2, "姓名更正后重新签字")  # a correction: the draft shows the record's name
    assert a.sheet_for(a.load_month(store, 2026, 2), w1).worker_name == "吴雪玫"
