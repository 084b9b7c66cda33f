from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.workcalendar import DayKind, Override, WorkCalendar, load_calendar, set_override, clear_override

D = dt.date


def span(a: D, b: D) -> set[D]:
    return {a + dt.timedelta(days=i) for i in range((b - a).days + 1)}


# REFERENCE.md: the State Council's 2026 schedule.
NON_WORKING_BLOCKS = [
    (D(2026, 1, 1), D(2026, 1, 3)), (D(2026, 2, 15), D(2026, 2, 23)),
    (D(2026, 4, 4), D(2026, 4, 6)), (D(2026, 5, 1), D(2026, 5, 5)),
    (D(2026, 6, 19), D(2026, 6, 21)), (D(2026, 9, 25), D(2026, 9, 27)),
    (D(2026, 10, 1), D(2026, 10, 7)),
]
MAKEUP = {D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)}


def test_2026_matches_the_state_council_notice():
    cal = WorkCalendar()
    holidays = set().union(*(span(a, b) for a, b in NON_WORKING_BLOCKS))
    for day in cal.days(D(2026, 1, 1), D(2026, 12, 31)):
        if day.date in MAKEUP:
            assert day.kind is DayKind.MAKEUP_WORKDAY, day
        elif day.date in holidays:
            assert day.kind in (DayKind.HOLIDAY, DayKind.RESTDAY) and not day.is_working, day
            assert day.name, day
        elif day.date.weekday() >= 5:
            assert day.kind is DayKind.RESTDAY, day
        else:
            assert day.kind is DayKind.WORKDAY, day


@pytest.mark.parametrize("date", sorted(MAKEUP))
def test_a_fresh_calendar_knows_a_makeup_day_asked_first(date):
    assert WorkCalendar().kind(date) is DayKind.MAKEUP_WORKDAY


def test_holiday_names_are_chinese():
    cal = WorkCalendar()
    assert cal.day(D(2026, 10, 1)).name == "国庆节"
    assert cal.day(D(2026, 2, 17)).name == "春节"


@pytest.mark.parametrize("date,kind,name", [
    (D(2026, 2, 15), DayKind.RESTDAY, "春节假期"),          # the Sunday that opens the break
    (D(2026, 2, 16), DayKind.HOLIDAY, "农历除夕"),          # statutory
    (D(2026, 2, 20), DayKind.RESTDAY, "春节假期（调休）"),  # given off for Saturday 2月14日
    (D(2026, 10, 4), DayKind.RESTDAY, "国庆节假期"),        # the Sunday inside National Day
    (D(2026, 10, 5), DayKind.HOLIDAY, "国庆节（补假）"),
    (D(2026, 10, 7), DayKind.RESTDAY, "国庆节假期（调休）"),
    (D(2026, 3, 7), DayKind.RESTDAY, ""),                   # an ordinary Saturday
])
def test_statutory_holidays_are_told_from_rest_days_inside_a_break(date, kind, name):
    """Labour law pays work on a statutory holiday differently from work on a rest day."""
    day = WorkCalendar().day(date)
    assert (day.kind, day.name) == (kind, name)


def test_working_day_count_of_2026():
    # 365 days − 104 weekend days − 23 weekdays off + 6 make-up days … counted independently:
    cal = WorkCalendar()
    holidays = set().union(*(span(a, b) for a, b in NON_WORKING_BLOCKS))
    expected = sum(
        1 for d in span(D(2026, 1, 1), D(2026, 12, 31))
        if d in MAKEUP or (d.weekday() < 5 and d not in holidays)
    )
    assert cal.working_days_between(D(2026, 1, 1), D(2026, 12, 31)) == expected == 248


def test_add_working_days_skips_the_national_day_break():
    cal = WorkCalendar()
    assert cal.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert cal.add_working_days(D(2026, 10, 8), 2) == D(2026, 10, 10)  # a make-up Saturday
    assert cal.add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert cal.add_working_days(D(2026, 10, 8), 0) == D(2026, 10, 8)


@given(st.dates(D(2025, 1, 1), D(2027, 12, 31)), st.integers(-40, 40))
def test_add_working_days_lands_on_a_working_day_and_counts(start, n):
    cal = WorkCalendar()
    end = cal.add_working_days(start, n)
    if n == 0:
        assert end == start
        return
    assert cal.is_working_day(end)
    lo, hi = sorted((start, end))
    between = cal.working_days_between(lo, hi)
    assert between - (1 if cal.is_working_day(start) else 0) == abs(n)


def test_override_corrects_the_package_and_is_audited(store):
    set_override(store, D(2027, 2, 6), DayKind.MAKEUP_WORKDAY, "春节调休上班")
    cal = load_calendar(store)
    day = cal.day(D(2027, 2, 6))
    assert (day.kind, day.name, day.overridden) == (DayKind.MAKEUP_WORKDAY, "春节调休上班", True)
    audit = list(store.db.query("SELECT * FROM audit_log WHERE table_name = 'calendar_overrides'"))
    assert [a["action"] for a in audit] == ["insert"]
    set_override(store, D(2027, 2, 6), DayKind.RESTDAY)
    assert load_calendar(store).kind(D(2027, 2, 6)) is DayKind.RESTDAY
    clear_override(store, D(2027, 2, 6))
    assert not load_calendar(store).day(D(2027, 2, 6)).overridden


def test_knows_year():
    cal = WorkCalendar()
    assert cal.knows_year(2026)
    assert not cal.knows_year(2031)
    assert WorkCalendar({D(2031, 1, 1): Override(D(2031, 1, 1), DayKind.HOLIDAY, "元旦")}).knows_year(2031)


@pytest.mark.parametrize("text,kind", [("makeup_workday", DayKind.MAKEUP_WORKDAY), ("法定节假日", DayKind.HOLIDAY)])
def test_day_kind_parse(text, kind):
    assert DayKind.parse(text) is kind
