"""The contract's consequence rules (四.4, 七.1, 六.1) across month and year boundaries."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from app import assessment as a
from app import consequences as c
from app import staff
from app.errors import ValidationError
from tests.test_staff import audit_count, form, make_id


def result(year, month, total, worker=1, name="吴雪梅"):
    total = Decimal(total)
    return c.MonthResult(worker, name, year, month, total, "不合格" if total < 60 else "合格", total >= 60)


def ranking(year, month, rank, cause="yes", streets=17):
    return c.Ranking(None, year, month, rank, streets, None, c.Cause(cause))


def test_two_consecutive_failures_fire_across_a_year_boundary():
    fired = c.consecutive_failures([result(2026, 12, "58"), result(2027, 1, "55.5")])
    assert [(f.clause, f.months) for f in fired] == [("四.4", ("2026-12", "2027-01"))]
    assert "2026年12月 58 分（不合格），2027年1月 55.5 分（不合格）" in fired[0].detail


@pytest.mark.parametrize("results", [
    [result(2026, 3, "58"), result(2026, 5, "50")],  # not consecutive
    [result(2026, 3, "58"), result(2026, 4, "60")],  # 60 passes
    [result(2026, 3, "58"), result(2026, 4, "40", worker=2, name="郑晓东")],  # two people
    [result(2025, 12, "58"), result(2026, 2, "50")],  # January missing
])
def test_no_replacement_right_without_two_consecutive_failures_of_one_worker(results):
    assert c.consecutive_failures(results) == []


def test_three_failures_in_a_row_fire_twice():
    fired = c.consecutive_failures([result(2026, m, "50") for m in (10, 11, 12)])
    assert [f.months for f in fired] == [("2026-10", "2026-11"), ("2026-11", "2026-12")]


def test_bottom_three_with_vendor_cause_in_two_consecutive_months_fires_across_a_year():
    fired = c.bottom_three_runs([ranking(2026, 12, 15), ranking(2027, 1, 17)])
    assert [(f.rule, f.clause, f.months) for f in fired] == [("ranking", "七.1", ("2026-12", "2027-01"))]


@pytest.mark.parametrize("pair, expected", [
    ((ranking(2026, 5, 14), ranking(2026, 6, 17)), []),  # 14th of 17 is not bottom three
    ((ranking(2026, 5, 15), ranking(2026, 6, 16, "no")), []),
    ((ranking(2026, 5, 15), ranking(2026, 7, 16)), []),  # June missing
    ((ranking(2026, 5, 15), ranking(2026, 6, 16, "pending")), ["ranking_pending"]),
])
def test_bottom_three_needs_both_months_and_the_vendors_cause(pair, expected):
    assert [f.rule for f in c.bottom_three_runs(pair)] == expected


def test_a_ranking_worse_than_the_number_of_streets_is_refused(store):
    before = audit_count(store)
    with pytest.raises(ValidationError, match="排名第 18 名不能大于参评街道数 17 个"):
        c.record_ranking(store, 2026, 3, {"rank": 18, "streets": 17, "vendor_caused": "是"})
    with pytest.raises(ValidationError, match="不在合同服务期限内"):
        c.record_ranking(store, 2025, 12, {"rank": 1, "streets": 17})
    with pytest.raises(ValidationError, match="公布得分“九十”不是数字"):
        c.record_ranking(store, 2026, 3, {"rank": 1, "streets": 17, "score": "九十"})
    with pytest.raises(ValidationError, match="2026年11月还没有结束，区月考核排名要在月后公布"):
        c.record_ranking(store, 2026, 11, {"rank": 3, "streets": 17})  # today is 2026-11-25
    assert audit_count(store) == before


def test_rankings_from_the_data_file_fire_termination(store):
    c.record_ranking(store, 2026, 8, {"rank": 16, "streets": 17, "score": "88.12", "vendor_caused": "是"})
    c.record_ranking(store, 2026, 9, {"rank": 17, "streets": 17, "score": "85.40", "vendor_caused": "待定"})
    assert [f.rule for f in c.fired_rules(store)] == ["ranking_pending"]
    c.record_ranking(store, 2026, 9, {"rank": 17, "streets": 17, "score": "85.40", "vendor_caused": "是"})
    fired = c.fired_rules(store)
    assert [f.rule for f in fired] == ["ranking"] and "2026年9月第 17 名（共 17 个街道，得分 85.40）" in fired[0].detail


def test_cure_notice_deadline_status_and_overdue(store):
    notice_id = c.issue_notice(store, {"issued_on": "2026-10-30", "failure": "10月多次出现夜间脱岗"})
    notice = c.list_notices(store)[0]
    # The 函号 comes from the office's document system: none typed, none made up.
    assert notice.deadline == dt.date(2026, 11, 14) and notice.letter_no == ""
    assert notice.state(dt.date(2026, 11, 14)) is c.NoticeState.PENDING
    assert notice.state(dt.date(2026, 11, 15)) is c.NoticeState.OVERDUE
    fired = c.fired_rules(store)  # today is 2026-11-25
    assert [(f.rule, f.clause) for f in fired] == [("cure", "六.1")]
    c.mark_cured(store, notice_id, "2026-11-20")
    assert c.list_notices(store)[0].state() is c.NoticeState.CURED and c.list_notices(store)[0].cured_late
    assert c.fired_rules(store) == []


def test_a_cure_notice_dated_before_the_contract_is_refused(store):
    before = audit_count(store)
    with pytest.raises(ValidationError, match="催告日期 2025-12-20 早于合同开始日期 2026-01-01"):
        c.issue_notice(store, {"issued_on": "2025-12-20", "failure": "未按时到岗"})
    with pytest.raises(ValidationError, match="未按约履行的情形不能为空"):
        c.issue_notice(store, {"issued_on": "2026-03-02", "failure": ""})
    assert audit_count(store) == before and c.list_notices(store) == []


def test_the_replacement_right_from_scored_months_counts_finalised_months_only(store):
    w = staff.add_worker(store, form(name="吴雪梅", id_number=make_id(seq=202)))
    for month in (5, 6):
        for criterion, points in ((1, "25"), (2, "20")):
            a.add_deduction(store, 2026, month, w, criterion, points, "严重缺岗", f"2026-{month:02d}-10")
    a.finalise(store, 2026, 5)
    assert c.fired_rules(store) == []  # June is still a draft
    a.finalise(store, 2026, 6)
    fired = c.fired_rules(store)
    assert [(f.rule, f.worker_id, f.months) for f in fired] == [("replacement", w, ("2026-05", "2026-06"))]


# --- the 更换服务人员通知函 sent (四.4) and the 函号 of both letters -----------------------------

def fail(store, worker, *months):
    for month in months:
        for criterion, points in ((1, "25"), (2, "20")):
            a.add_deduction(store, 2026, month, worker, criterion, points, "严重缺岗", f"2026-{month:02d}-10")
        a.finalise(store, 2026, month)


def test_a_recorded_demand_turns_the_right_into_a_letter_sent(store):
    w = staff.add_worker(store, form(name="吴雪梅", id_number=make_id(seq=202)))
    fail(store, w, 9, 10)
    [fired] = c.fired_rules(store)
    assert fired.demand is None and "甲方有权要求乙方立即更换服务人员" in fired.detail
    before = audit_count(store)
    demand_id = c.record_demand(store, w, ("2026-09", "2026-10"),
                                {"letter_no": "  龙街函〔2026〕12号 ", "issued_on": "2026-11-03"})
    assert audit_count(store) == before + 1
    [fired] = c.fired_rules(store)
    assert fired.demand == c.Demand(demand_id, w, "2026-09", "2026-10", "龙街函〔2026〕12号", dt.date(2026, 11, 3))
    assert "已发函 2026-11-03 龙街函〔2026〕12号" in fired.detail and "有权" not in fired.detail
    assert fired.as_json()["sent"] == {"id": demand_id, "letter_no": "龙街函〔2026〕12号", "issued_on": "2026-11-03"}
    # Recorded again for the same months: a correction of that record, not a second one.
    assert c.record_demand(store, w, ("2026-09", "2026-10"), {"letter_no": "", "issued_on": "2026-11-04"}) == demand_id
    assert [d.letter_no for d in c.list_demands(store)] == [""]
    assert "已发函 2026-11-04（函号在纸面手写）" in c.fired_rules(store)[0].detail


def test_a_sent_demand_whose_months_change_stays_in_sight_with_what_changed(store):
    """A reopened month made the rule and the letter it led to vanish from every screen
    (hostile review): the office has sent the letter, so the clerk must see that its
    ground changed, and how."""
    w = staff.add_worker(store, form(name="吴雪梅", id_number=make_id(seq=202)))
    fail(store, w, 9, 10)
    c.record_demand(store, w, ("2026-09", "2026-10"), {"letter_no": "龙街函〔2026〕12号", "issued_on": "2026-11-03"})
    a.back_to_draft(store, 2026, 10)
    [fired] = c.fired_rules(store)
    assert (fired.rule, fired.worker_id, fired.months) == ("demand_changed", w, ("2026-09", "2026-10"))
    assert fired.title == "吴雪梅的更换服务人员通知函所依据的考核已变化"
    assert "已发函 2026-11-03 龙街函〔2026〕12号" in fired.detail
    assert "2026年10月考核已退回修改，尚未重新定稿" in fired.detail and "2026年9月现为 55 分（不合格）" in fired.detail
    [d] = [d for d in a.load_month(store, 2026, 10).sheets[0].deductions if d.points == Decimal("25")]
    a.remove_deduction(store, d.id)  # the correction: October passes after all
    a.finalise(store, 2026, 10)
    [fired] = c.fired_rules(store)
    assert fired.rule == "demand_changed" and "2026年10月现为 80 分（良好）" in fired.detail
    assert "应书面告知乙方撤回该通知函" in fired.detail



@pytest.mark.parametrize("months, data, message", [
    (("2026-09", "2026-10"), {"issued_on": "2026-10-31"},
     "发函日期 2026-10-31 早于第二个不合格月份（2026年10月）结束：2026-10-31 之后才有该月的考核结果"),
    (("2026-09", "2026-10"), {"issued_on": "2027-01-04"}, "发函日期 2027-01-04 不在合同期限内（2026-01-01 至 2026-12-31）"),
    (("2026-09", "2026-10"), {"issued_on": "2026-11-26"}, "发函日期 2026-11-26 在今天之后"),
    (("2026-09", "2026-10"), {"issued_on": ""}, "发函日期"),
    (("2026-09", "2026-10"), {"issued_on": "2026-11-03", "letter_no": "龙街函" * 11}, "函号太长：最多 30 个字"),
    (("2026-08", "2026-09"), {"issued_on": "2026-11-03"}, "没有连续两个月定稿的不合格考核结果"),
    (("2026-08", "2026-10"), {"issued_on": "2026-11-03"}, "没有连续两个月定稿的不合格考核结果"),
])
def test_a_demand_with_a_wrong_date_or_months_is_refused_and_nothing_written(store, months, data, message):
    w = staff.add_worker(store, form(name="吴雪梅", id_number=make_id(seq=202)))
    fail(store, w, 9, 10)
    a.add_deduction(store, 2026, 8, w, 1, "1", "交接班记录缺失", "2026-08-10")
    a.finalise(store, 2026, 8)  # August passed
    before = audit_count(store)
    with pytest.raises(ValidationError, match=re.escape(message)):
        c.record_demand(store, w, months, data)
    assert audit_count(store) == before and c.list_demands(store) == []


def test_a_letter_number_is_not_used_twice_across_both_letters(store):
    w = staff.add_worker(store, form(name="吴雪梅", id_number=make_id(seq=202)))
    fail(store, w, 9, 10)
    c.issue_notice(store, {"issued_on": "2026-11-02", "failure": "夜间无人值守", "letter_no": "龙街函〔2026〕12号"})
    with pytest.raises(ValidationError, match="函号“龙街函〔2026〕12号”已用于 2026-11-02 的催告函"):
        c.record_demand(store, w, ("2026-09", "2026-10"), {"letter_no": "龙街函〔2026〕12号", "issued_on": "2026-11-03"})
    c.record_demand(store, w, ("2026-09", "2026-10"), {"letter_no": "龙街函〔2026〕13号", "issued_on": "2026-11-03"})
    with pytest.raises(ValidationError, match="已用于 2026-11-03 的更换服务人员通知函"):
        c.issue_notice(store, {"issued_on": "2026-11-04", "failure": "夜间无人值守", "letter_no": " 龙街函〔2026〕13号"})
    # Blank numbers (written by hand) are many.
    c.issue_notice(store, {"issued_on": "2026-11-05", "failure": "夜间无人值守"})
    c.issue_notice(store, {"issued_on": "2026-11-06", "failure": "夜间无人值守", "letter_no": "  "})
    assert [n.letter_no for n in c.list_notices(store)] == ["龙街函〔2026〕12号", "", ""]


def test_a_file_with_demands_passes_check(db_path):
    from app.store import open_store
    from app.store.check import check_file

    store = open_store(db_path)
    w = staff.add_worker(store, form(name="吴雪梅", id_number=make_id(seq=202)))
    fail(store, w, 9, 10)
    c.record_demand(store, w, ("2026-09", "2026-10"), {"letter_no": "龙街函〔2026〕12号", "issued_on": "2026-11-03"})
    c.record_demand(store, w, ("2026-09", "2026-10"), {"letter_no": "龙街函〔2026〕14号", "issued_on": "2026-11-03"})
    store.close()
    report = check_file(db_path)
    assert report.ok, report.lines()


def test_a_cure_notice_number_written_by_hand_is_entered_later(store):
    first = c.issue_notice(store, {"issued_on": "2026-11-02", "failure": "夜间无人值守", "letter_no": "龙街函〔2026〕9号"})
    second = c.issue_notice(store, {"issued_on": "2026-11-05", "failure": "夜间无人值守"})
    before = audit_count(store)
    with pytest.raises(ValidationError, match="已用于 2026-11-02 的催告函"):
        c.set_notice_number(store, second, "龙街函〔2026〕9号")
    c.set_notice_number(store, first, " 龙街函〔2026〕9号 ")  # unchanged: nothing written
    assert audit_count(store) == before
    c.set_notice_number(store, second, "龙街函〔2026〕11号")
    assert audit_count(store) == before + 1
    assert [n.letter_no for n in c.list_notices(store)] == ["龙街函〔2026〕9号", "龙街函〔2026〕11号"]


@pytest.mark.parametrize("typed", [
    "龙街函〔2026〕1\u200b2号",  # a zero-width space pasted from the document system's web page
    "龙街函〔2026〕12\u00ad号",  # a soft hyphen
    "\ufeff龙街函〔2026〕12号",  # a byte-order mark at the start of a pasted line
    "龙街函〔2026〕 12号",  # a space typed inside
    "龙街函〔2026〕１２号",  # full-width digits (the input method's full-width mode)
])
def test_a_letter_number_that_prints_the_same_is_the_same_number(store, typed):
    """The duplicate check compared the stored strings: a number with an invisible mark or a
    different width of digit went through, and two letters went out under one 函号."""
    c.issue_notice(store, {"issued_on": "2026-11-02", "failure": "夜间无人值守", "letter_no": "龙街函〔2026〕12号"})
    with pytest.raises(ValidationError, match="已用于 2026-11-02 的催告函"):
        c.issue_notice(store, {"issued_on": "2026-11-03", "failure": "夜间无人值守", "letter_no": typed})
    second = c.issue_notice(store, {"issued_on": "2026-11-04", "failure": "夜间无人值守"})
    with pytest.raises(ValidationError, match="已用于 2026-11-02 的催告函"):
        c.set_notice_number(store, second, typed)


def test_the_trend_follows_a_worker_across_a_name_correction_and_keeps_namesakes_apart(store):
    """The trend was keyed by the sheets' names: since a finalised sheet keeps the name it
    was printed with, correcting a name split one worker's line in two (September as 吴雪梅,
    October as 吴雪玫), and two workers of the same name were drawn as one line."""
    w = staff.add_worker(store, form(name="吴雪梅", id_number=make_id(seq=202)))
    a.add_deduction(store, 2026, 9, w, 1, "3", "交接班记录缺失", "2026-09-10")
    a.finalise(store, 2026, 9)
    staff.update_worker(store, w, form(name="吴雪玫", id_number=make_id(seq=202)))
    a.score_worker(store, 2026, 10, w)
    assert c.trend(store).by_worker == {"吴雪玫": {"2026-09": Decimal(97), "2026-10": Decimal(100)}}
    # October is still a draft: the chart marks it (a new clerk read its totals as final).
    assert c.trend(store).drafts == {"2026-10"}
    namesake = staff.add_worker(store, form(name="吴雪玫", id_number=make_id(seq=204), post="flex",
                                            phone="13900001235"))
    a.add_deduction(store, 2026, 10, namesake, 1, "5", "交接班记录缺失", "2026-10-10")
    series = c.trend(store).by_worker
    assert len(series) == 2 and sorted(map(len, series.values())) == [1, 2]
    assert sorted(v for s in series.values() for v in s.values()) == [Decimal(95), Decimal(97), Decimal(100)]


def test_an_overdue_notice_reads_as_one_sentence_whether_or_not_the_failure_ends_with_a_full_stop(store):
    """'…后三名。；整改期限' on 概览 and the summary sheet: the failure's own 。 is not doubled by ；."""
    for failure in ("10月多次出现夜间脱岗。", "10月多次出现夜间脱岗"):
        c.issue_notice(store, {"issued_on": "2026-10-30", "failure": failure})
    details = [f.detail for f in c.fired_rules(store) if f.rule == "cure"]
    assert len(details) == 2
    for detail in details:
        assert "。；" not in detail and "10月多次出现夜间脱岗；整改期限 2026-11-14 已过仍未整改" in detail
