"""Working hours (clause 五.1) and 人力测算 from the vendor's plan."""
from __future__ import annotations

import datetime as dt

from app.labour import month_hours
from app.roster import set_cells

from .support import add_people, days


def test_october_24h_post_needs_744_hours_four_workers_are_beyond_the_law_five_are_not(store):
    people = add_people(store)
    dispatch = month_hours(store, 2026, 10).posts[0]
    assert dispatch.post.code == "dispatch" and dispatch.required_minutes == 744 * 60
    assert dispatch.working_days == 18 and dispatch.per_worker_minutes == (18 * 8 + 36) * 60
    assert dispatch.workers == 5 and dispatch.enough and dispatch.workers_needed == 5
    from app.staff import leave_worker

    leave_worker(store, people["周志强"], "2026-09-30")
    four = month_hours(store, 2026, 10).posts[0]
    assert four.workers == 4 and not four.enough
    assert "超出法定工时，至少需要 5 人" in four.describe()


def test_standard_worker_long_days_overtime_and_seven_days_in_a_row(store):
    people = add_people(store)
    w = people["吴雪梅"]
    set_cells(store, [(w, d, ["06:00-18:00"]) for d in days(dt.date(2026, 11, 2), dt.date(2026, 11, 8))])
    hours = {h.worker_id: h for h in month_hours(store, 2026, 11).workers}[w]
    assert hours.minutes == 7 * 12 * 60 and hours.days_in_a_row == 7
    assert hours.beyond_8_minutes == 7 * 4 * 60 and hours.beyond_11_minutes == 7 * 60
    assert hours.beyond_40_week_minutes == (7 * 12 - 40) * 60  # the week Mon 11-02 … Sun 11-08
    assert any("11月2日工作 12 小时，超过每日 11 小时" in x for x in hours.warnings)
    assert any("连续工作 7 天（11月2日至11月8日）" in x for x in hours.warnings)
    assert any("本月加班" in x for x in hours.warnings)  # 7 × 4 h beyond 8 + the weekend = 44 h


def test_comprehensive_worker_is_checked_on_the_month_only(store):
    people = add_people(store)
    w = people["赵文静"]  # 综合工时; November 2026 has 21 working days: 168 h + 36 h
    set_cells(store, [(w, d, ["16:00-次日08:00"]) for d in days(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
                      if d.day % 2])
    hours = {h.worker_id: h for h in month_hours(store, 2026, 11).workers}[w]
    assert hours.minutes == 15 * 16 * 60 and hours.allowed_minutes == (21 * 8 + 36) * 60
    assert hours.warnings == ["综合工时：本月 240 小时，超过上限 204 小时（21 个工作日×8 小时+36 小时）"]
