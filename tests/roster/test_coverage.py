"""The coverage engine: rules by kind of day on the Chinese calendar, midnight, month and
year ends, one-off requirements, plan and reality (值守记录)."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from app import coverage as cov
from app.contract import CoverageRule, CoverMode, DayType, Post
from app.duty import add_record, month_actuals
from app.errors import ValidationError
from app.roster import set_cells
from app.workcalendar import WorkCalendar

from .support import add_people, days

CAL = WorkCalendar()
DISPATCH = Post("dispatch", "接派单、退单、案件核实", 1, (
    CoverageRule(DayType.WORKING, CoverMode.SPAN, 0, 1440), CoverageRule(DayType.NONWORKING, CoverMode.SPAN, 0, 1440)), id=1)
REVIEW = Post("reply_review", "接诉即办案件回复意见审核", 2, (
    CoverageRule(DayType.WORKING, CoverMode.HOURS, minutes=480), CoverageRule(DayType.NONWORKING, CoverMode.AS_NEEDED)), id=2)
GRID = Post("grid_watch", "城市管理网格平台盯守", 1, (
    CoverageRule(DayType.WORKING, CoverMode.SPAN, 480, 1110), CoverageRule(DayType.NONWORKING, CoverMode.SPAN, 600, 990)),
    id=4)


def at(day: dt.date, hhmm: str) -> int:
    h, m = hhmm.split(":")
    return day.toordinal() * 1440 + int(h) * 60 + int(m)


def work(post: Post, day: dt.date, start: str, end: str, worker: int = 1, next_day: bool = False, brk: int = 0):
    end_day = day + dt.timedelta(days=1) if next_day else day
    return cov.Work(worker, post.id, at(day, start), at(end_day, end), brk)


def one_day(post, day, works, one_offs=()):
    return cov.evaluate([post], [CAL.day(day)], works, one_offs)


def test_grid_post_needs_the_longer_span_on_working_days_and_the_shorter_on_holidays():
    national_day, working = dt.date(2026, 10, 1), dt.date(2026, 10, 9)
    assert one_day(GRID, national_day, [work(GRID, national_day, "10:00", "16:30")]).gaps == []
    report = one_day(GRID, working, [work(GRID, working, "10:00", "16:30")])
    assert [g.as_json() for g in report.gaps] == [{"date": "2026-10-09", "post": GRID.name, "post_code": "grid_watch",
                                                  "rule": "span", "missing": ["08:00-10:00", "16:30-18:30"]}]
    assert report.post("grid_watch").rate_text() == "61.90%"  # 6.5 of 10.5 hours


def test_make_up_working_day_needs_the_working_day_rule():
    saturday, sunday = dt.date(2026, 10, 10), dt.date(2026, 10, 11)  # 10-10 is 调休上班
    report = one_day(REVIEW, saturday, [])
    assert [g.as_json()["missing"] for g in report.gaps] == [{"people": 2, "hours": 16}]
    assert one_day(REVIEW, sunday, []).gaps == []
    spring_festival_weekday = dt.date(2026, 2, 18)  # a Wednesday inside the 春节 break
    assert one_day(REVIEW, spring_festival_weekday, []).gaps == []


def test_an_hour_short_is_one_person_and_one_hour():
    day = dt.date(2026, 11, 5)
    works = [work(REVIEW, day, "08:30", "17:30", 1, brk=60), work(REVIEW, day, "08:30", "16:30", 2, brk=60)]
    report = one_day(REVIEW, day, works)
    assert [g.missing_json() for g in report.gaps] == [{"people": 1, "hours": 1}]
    assert report.post("reply_review").met_minutes == 15 * 60


def test_night_shift_covers_the_next_morning_across_month_end():
    first_nov = dt.date(2026, 11, 1)
    works = [work(DISPATCH, dt.date(2026, 10, 31), "16:00", "08:00", next_day=True),
             work(DISPATCH, first_nov, "08:00", "16:00", 2)]
    report = cov.evaluate([DISPATCH], [CAL.day(first_nov)], works)
    assert [g.missing_json() for g in report.gaps] == [["16:00-24:00"]]


def test_night_shift_on_new_years_eve_covers_new_years_day_of_the_next_calendar():
    new_year = dt.date(2027, 1, 1)
    works = [work(DISPATCH, dt.date(2026, 12, 31), "20:00", "08:00", next_day=True),
             work(DISPATCH, new_year, "08:00", "20:00", 2), work(DISPATCH, new_year, "20:00", "24:00", 3)]
    report = cov.evaluate([DISPATCH], [CAL.day(new_year)], works)
    assert report.gaps == [] and report.post("dispatch").rate_text() == "100.00%"
    eve = cov.evaluate([DISPATCH], [CAL.day(dt.date(2026, 12, 31))], works[:1])
    assert [g.missing_json() for g in eve.gaps] == [["00:00-20:00"]]  # the morning after is not the eve's


def test_one_off_requirement_on_an_as_needed_day():
    day = dt.date(2026, 10, 1)
    need = cov.Requirement(REVIEW.id, day, CoverMode.HOURS, 1, minutes=480, one_off=True)
    assert [g.missing_json() for g in one_day(REVIEW, day, [], [need]).gaps] == [{"people": 1, "hours": 8}]
    assert one_day(REVIEW, day, [work(REVIEW, day, "08:30", "17:30", brk=60)], [need]).gaps == []


spans = st.lists(st.tuples(st.integers(0, 47), st.integers(1, 48)), max_size=6)


@settings(max_examples=150, deadline=None)
@given(spans, st.integers(1, 3), st.integers(0, 40), st.integers(1, 48))
def test_span_gaps_agree_with_counting_every_minute(pieces, headcount, rule_start, rule_len):
    """The sweep gives, minute by minute, exactly the people missing (quarter hours; a piece
    may run into the next day)."""
    day = dt.date(2026, 12, 31)
    base = day.toordinal() * 1440
    start, end = rule_start * 30, min(1440, rule_start * 30 + rule_len * 30)
    if start >= end:
        return
    post = Post("p", "岗", headcount, (CoverageRule(DayType.WORKING, CoverMode.SPAN, start, end),
                                        CoverageRule(DayType.NONWORKING, CoverMode.SPAN, start, end)), id=9)
    works = [cov.Work(i, 9, base + a * 30, base + a * 30 + n * 30) for i, (a, n) in enumerate(pieces)]
    report = cov.evaluate([post], [CAL.day(day)], works)
    missing = [max(0, headcount - sum(1 for w in works if w.start <= base + m < w.end)) for m in range(start, end)]
    assert report.post("p").uncovered_minutes == sum(missing)
    uncovered = {m for s, e in (report.gaps[0].spans if report.gaps else ()) for m in range(s, e)}
    assert uncovered == {start + i for i, n in enumerate(missing) if n}
    assert 0 <= report.post("p").met_minutes <= report.post("p").required_minutes


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 40), st.integers(1, 20)), max_size=8), st.integers(1, 3))
def test_hours_gap_matches_the_people_who_reach_the_hours(pieces, people):
    day = dt.date(2026, 10, 9)
    base = day.toordinal() * 1440
    post = Post("h", "岗", people, (CoverageRule(DayType.WORKING, CoverMode.HOURS, minutes=480),), id=8)
    works = [cov.Work(w, 8, base + a * 30, base + a * 30 + n * 30) for w, a, n in pieces]
    totals = {}
    for w in works:
        totals[w.worker_id] = totals.get(w.worker_id, 0) + w.minutes_on(day)
    best = sorted(totals.values(), reverse=True)[:people]
    best += [0] * (people - len(best))
    report = cov.evaluate([post], [CAL.day(day)], works)
    assert report.post("h").uncovered_minutes == sum(max(0, 480 - m) for m in best)
    assert sum(g.people for g in report.gaps) == sum(1 for m in best if m < 480)


# --- through the store ---------------------------------------------------------------------

@pytest.fixture
def people(store):
    return add_people(store)


def test_month_coverage_from_the_plan_and_hints_who_could_cover(store, people):
    team = [people[n] for n in ("赵文静", "钱立新", "孙海波")]
    codes = ("早", "中", "夜")
    set_cells(store, [(w, d, [c]) for w, c in zip(team, codes) for d in days(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
                      if not (w == team[2] and d == dt.date(2026, 10, 20))])
    report = cov.coverage(store, 2026, 10, hints=True)
    dispatch = [g for g in report.gaps if g.post_code == "dispatch"]
    assert [(g.date.isoformat(), g.missing_json()) for g in dispatch] == [("2026-10-20", ["00:00-08:00"])]
    assert "李佳怡" in dispatch[0].could_cover and "赵文静" not in dispatch[0].could_cover
    assert report.post("dispatch").uncovered_minutes == 8 * 60
    # 18 working days × 2 × 8 h on the review post, none planned
    assert report.post("reply_review").required_minutes == 18 * 2 * 480
    assert report.post("reply_review").rate == 0


def test_actual_coverage_and_month_actuals_with_leave_cover_and_absence(store, people):
    a, b, c, spare = (people[n] for n in ("赵文静", "钱立新", "孙海波", "李佳怡"))
    day = dt.date(2026, 10, 15)
    set_cells(store, [(a, day, ["早"]), (b, day, ["中"]), (c, day, ["夜"]), (spare, day, ["休"])])
    add_record(store, a, day, "leave", "08:00", "16:00", covered_by=spare, note="病假")
    add_record(store, c, day, "absent", "07:00", "08:00")
    plan = cov.coverage_between(store, day, day)
    real = cov.coverage_between(store, day, day, actual=True)
    assert plan.post("dispatch").rate_text() == "100.00%"
    assert [g.missing_json() for g in real.gaps if g.post_code == "dispatch"] == [["07:00-08:00"]]
    figures = month_actuals(store, 2026, 10)
    assert figures.workers[a].leave_minutes == 480 and figures.workers[a].actual_minutes == 0
    assert figures.workers[spare].covered_minutes == 480 and figures.workers[spare].actual_minutes == 480
    assert figures.workers[c].absent_minutes == 60 and figures.workers[c].uncovered_minutes == 60
    assert figures.workers[a].uncovered_minutes == 0  # 替班 served instead
    assert figures.posts["dispatch"].uncovered_minutes == 31 * 1440 - 23 * 60


def test_duty_records_refuse_what_cannot_have_happened(store, people):
    a, b = people["赵文静"], people["钱立新"]
    day = dt.date(2026, 10, 15)
    set_cells(store, [(a, day, ["早"]), (b, day, ["白"])])
    before = store.db["duty_records"].count
    with pytest.raises(ValidationError, match="不在此人的排班时间内"):
        add_record(store, a, day, "leave", "16:00", "18:00")
    with pytest.raises(ValidationError, match="自己有班"):
        add_record(store, a, day, "leave", "08:00", "16:00", covered_by=b)
    with pytest.raises(ValidationError, match="不能再记加班"):
        add_record(store, a, day, "extra", "15:00", "17:00")
    with pytest.raises(ValidationError, match="结束时间不能与开始时间相同"):
        add_record(store, a, day, "extra", "17:00", "17:00")
    assert store.db["duty_records"].count == before


def test_demo_year_is_fully_covered_and_within_the_law(store):
    """The vendor's demo plan covers every post on every day of the year, within the law."""
    from app.demo import fill_demo
    from app.labour import month_hours

    fill_demo(store)
    year = cov.coverage_between(store, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert year.gaps == [] and all(p.rate_text() == "100.00%" for p in year.posts)
    for month in range(1, 13):
        assert [w.warnings for w in month_hours(store, 2026, month).workers if w.warnings] == []
    real = month_actuals(store, 2026, 11)
    assert [g.as_json()["missing"] for g in real.gaps] == [{"people": 1, "hours": 1}]
    assert real.posts["exclusion"].rate < 1 and real.posts["dispatch"].rate == 1
    october = month_actuals(store, 2026, 10)
    assert any("替班" in r for r in october.as_json()["records"]) and october.gaps == []


def test_hint_for_an_hours_gap_names_who_is_free_and_within_the_law(store, people):
    review = [people["吴雪梅"], people["郑晓东"], people["王丽娜"]]
    day = dt.date(2026, 11, 5)
    set_cells(store, [(review[0], day, ["白"])])
    gap = next(g for g in cov.coverage(store, 2026, 11, hints=True).gaps
               if g.post_code == "reply_review" and g.date == day)
    assert gap.missing_json() == {"people": 1, "hours": 8}
    assert set(gap.could_cover) == {"郑晓东", "王丽娜"}  # 吴雪梅 already gives her 8 hours
    add_record(store, review[0], day, "absent", "16:30", "17:30")
    set_cells(store, [(review[1], day, ["白"])])
    real = next(g for g in cov.coverage(store, 2026, 11, actual=True, hints=True).gaps
                if g.post_code == "reply_review" and g.date == day)
    assert real.missing_json() == {"people": 1, "hours": 1}
    assert real.could_cover == ("王丽娜",)  # not 吴雪梅, who left early, nor 郑晓东, on duty


def test_a_worker_who_changes_post_counts_for_each_post_on_its_days(store, people, tmp_path):
    """调岗 on 10-16: 蒋明辉's 白 counts for 机动岗 until 10-15 and for the review post after;
    the grid shows a row under each post, the Excel export one row."""
    from app.reports.roster_xlsx import export_roster, preview_import
    from app.roster import month_roster
    from app.staff import change_post

    w = people["蒋明辉"]
    set_cells(store, [(w, dt.date(2026, 10, 15), ["白"]), (w, dt.date(2026, 10, 16), ["白"])])
    change_post(store, w, "reply_review", "2026-10-16", "审核岗缺人，乙方调整")
    report = cov.coverage_between(store, dt.date(2026, 10, 15), dt.date(2026, 10, 16))
    assert report.post("flex").met_minutes == 480 and report.post("reply_review").met_minutes == 480
    month = month_roster(store, 2026, 10)
    flex = next(g for g in month.groups if g.post.code == "flex").rows
    review = next(g for g in month.groups if g.post.code == "reply_review").rows
    assert [r.name for r in flex] == ["蒋明辉"] and "蒋明辉" in [r.name for r in review]
    mine = next(r for r in review if r.worker_id == w)
    assert not mine.serves[14] and mine.serves[15] and mine.cells[15][0].code == "白"
    preview = preview_import(store, export_roster(store, 2026, 10, tmp_path / "x.xlsx"))
    assert preview.ok and [r.name for r in preview.rows].count("蒋明辉") == 1
