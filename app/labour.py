"""Working hours (clause 五.1: the vendor complies with labour law) and 人力测算.

    month_hours(store, 2026, 10) -> MonthHours
        .workers  [WorkerHours]: hours, standard hours, overtime, 提示 (warnings)
        .posts    [PostCapacity]: required hours vs what the post's workers can lawfully give

The findings are 提示 for the clerk to raise with the vendor, who plans its staff's time.
Rules (REFERENCE.md, 劳动法 §36/§38/§41, 劳社部发〔2008〕3号):
- 标准工时: 8 h a day, 40 h a week; overtime at most 3 h a day (so 11 h) and 36 h a month;
  a rest day each week (seven days in a row without one is flagged). A week's standard is
  8 h × its working days when the State Council's schedule gives it more than five (调休).
  Overtime in a month is the largest of: hours beyond 8 on each day, hours beyond the week's
  standard (weeks whose Thursday is in the month), hours beyond the month's standard.
- 综合工时: checked on the month only: working days × 8 h, plus at most 36 h.
- A worker serving part of the month has the working days of their part, and a part of the
  36 h in proportion to the days served.
Hours count in the month and on the day a shift starts (a night shift on 10-31 is October's).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Sequence

from app.contract import CoverMode, Post
from app.coverage import DAY, Gap, Inputs, Work, day_requirements, load_inputs, minutes_to_hours
from app.roster import day_text, month_days
from app.staff import HoursScheme
from app.store.store import Store
from app.workcalendar import WorkCalendar

STANDARD_DAY = 8 * 60
MAX_DAY = 11 * 60  # 8 h + at most 3 h overtime (劳动法 §41)
MONTH_OVERTIME = 36 * 60
STANDARD_WEEK = 40 * 60
MAX_DAYS_IN_A_ROW = 6
YEAR_AVERAGE_DAYS = Decimal("20.83")  # 劳社部发〔2008〕3号
YEAR_AVERAGE_HOURS = Decimal("166.64")


@dataclass
class WorkerHours:
    worker_id: int
    name: str
    post_code: str
    scheme: HoursScheme
    minutes: int  # paid minutes of shifts starting in the month
    standard_minutes: int  # working days served × 8 h
    overtime_minutes: int
    allowed_minutes: int  # standard + the (prorated) 36 h
    daily: dict[dt.date, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    beyond_8_minutes: int = 0  # Σ over days of the hours beyond 8 (标准工时)
    beyond_11_minutes: int = 0  # Σ over days of the hours beyond 11: never lawful (标准工时)
    beyond_40_week_minutes: int = 0  # Σ over the month's weeks of the hours beyond the week's standard
    days_in_a_row: int = 0  # the longest run of days worked ending in the month

    def as_json(self) -> dict[str, Any]:
        return {"worker_id": self.worker_id, "name": self.name, "post_code": self.post_code,
                "hours_scheme": self.scheme.label, "hours": _num(self.minutes),
                "standard_hours": _num(self.standard_minutes), "overtime_hours": _num(self.overtime_minutes),
                "max_hours": _num(self.allowed_minutes), "beyond_8_hours": _num(self.beyond_8_minutes),
                "beyond_11_hours": _num(self.beyond_11_minutes),
                "beyond_40_week_hours": _num(self.beyond_40_week_minutes),
                "days_in_a_row": self.days_in_a_row, "warnings": self.warnings}


@dataclass(frozen=True)
class PostCapacity:
    """人力测算: the month's required hours against what the post's workers can lawfully give."""
    post: Post
    required_minutes: int
    workers: int
    capacity_minutes: int  # Σ over the post's workers of (working days × 8 h + 36 h), prorated
    per_worker_minutes: int  # one worker serving the whole month
    working_days: int

    @property
    def enough(self) -> bool:
        return self.capacity_minutes >= self.required_minutes

    @property
    def workers_needed(self) -> int:
        return math.ceil(self.required_minutes / self.per_worker_minutes) if self.per_worker_minutes else 0

    def describe(self) -> str:
        need = minutes_to_hours(self.required_minutes).normalize()
        can = minutes_to_hours(self.capacity_minutes).normalize()
        each = minutes_to_hours(self.per_worker_minutes).normalize()
        verdict = "在法定工时内可以完成" if self.enough else f"超出法定工时，至少需要 {self.workers_needed} 人"
        return (f"{self.post.name}：需 {need:f} 小时；{self.workers} 人最多 {can:f} 小时"
                f"（每人 {self.working_days} 天×8 小时+36 小时={each:f} 小时）——{verdict}")

    def as_json(self) -> dict[str, Any]:
        return {"post": self.post.name, "post_code": self.post.code, "required_hours": _num(self.required_minutes),
                "workers": self.workers, "capacity_hours": _num(self.capacity_minutes),
                "per_worker_hours": _num(self.per_worker_minutes), "working_days": self.working_days,
                "enough": self.enough, "workers_needed": self.workers_needed}


@dataclass
class MonthHours:
    year: int
    month: int
    working_days: int
    workers: list[WorkerHours]
    posts: list[PostCapacity]

    def as_json(self) -> dict[str, Any]:
        return {"month": f"{self.year:04d}-{self.month:02d}", "working_days": self.working_days,
                "year_average": {"days": float(YEAR_AVERAGE_DAYS), "hours": float(YEAR_AVERAGE_HOURS)},
                "workers": [w.as_json() for w in self.workers], "posts": [p.as_json() for p in self.posts]}


def _num(minutes: int) -> int | float:
    value = minutes_to_hours(minutes)
    return int(value) if value == value.to_integral_value() else float(value)


def _daily(works: Sequence[Work]) -> dict[int, dict[dt.date, int]]:
    found: dict[int, dict[dt.date, int]] = {}
    for w in works:
        days = found.setdefault(w.worker_id, {})
        days[w.start_day] = days.get(w.start_day, 0) + w.paid_minutes
    return found


def _hours_for(inputs: Inputs, works: Sequence[Work], first: dt.date, last: dt.date) -> list[WorkerHours]:
    calendar = inputs.calendar
    monday = first - dt.timedelta(days=first.weekday())
    working = {d.date: d.is_working for d in calendar.days(monday, last + dt.timedelta(days=6))}
    daily = _daily(works)
    month_length = (last - first).days + 1
    result = []
    seen: set[int] = set()
    for stretch in inputs.stretches:
        if stretch.worker_id in seen or not (stretch.start <= last and (stretch.end is None or stretch.end >= first)):
            continue
        seen.add(stretch.worker_id)
        mine = [a for a in inputs.stretches if a.worker_id == stretch.worker_id]
        served = [d for d in inputs.days if any(a.covers(d.date) for a in mine) and inputs.contract.covers(d.date)]
        standard = sum(STANDARD_DAY for d in served if d.is_working)
        allowed = standard + MONTH_OVERTIME * len(served) // month_length
        days = daily.get(stretch.worker_id, {})
        in_month = {d: m for d, m in days.items() if first <= d <= last}
        minutes = sum(in_month.values())
        warnings: list[str] = []
        over_8 = over_11 = week_over = 0
        if stretch.hours_scheme is HoursScheme.STANDARD:
            over_8 = sum(max(0, m - STANDARD_DAY) for m in in_month.values())
            over_11 = sum(max(0, m - MAX_DAY) for m in in_month.values())
            for day, m in sorted(in_month.items()):
                if m > MAX_DAY:
                    warnings.append(f"{day_text(day)}工作 {minutes_to_hours(m).normalize():f} 小时，"
                                    "超过每日 11 小时（8 小时加最多 3 小时加班）")
            week_over = _week_excess(days, working, first, last)
            overtime = max(over_8, week_over, minutes - standard)
            if overtime > MONTH_OVERTIME:
                warnings.append(f"本月加班 {minutes_to_hours(overtime).normalize():f} 小时，超过每月 36 小时")
        else:
            overtime = max(0, minutes - standard)
            if minutes > allowed:
                warnings.append(f"综合工时：本月 {minutes_to_hours(minutes).normalize():f} 小时，超过上限 "
                                f"{minutes_to_hours(allowed).normalize():f} 小时（{len([d for d in served if d.is_working])}"
                                " 个工作日×8 小时+36 小时）")
        run = _longest_run(days, first, last)
        if run and run[0] > MAX_DAYS_IN_A_ROW:
            warnings.append(f"连续工作 {run[0]} 天（{day_text(run[1])}至{day_text(run[2])}），中间没有休息日")
        result.append(WorkerHours(stretch.worker_id, stretch.worker_name, stretch.post_code, stretch.hours_scheme,
                                  minutes, standard, overtime, allowed, in_month, warnings, over_8, over_11,
                                  week_over, run[0] if run else 0))
    return result


def _week_excess(days: dict[dt.date, int], working: dict[dt.date, bool], first: dt.date, last: dt.date) -> int:
    excess = 0
    monday = first - dt.timedelta(days=first.weekday())
    while monday <= last:
        thursday = monday + dt.timedelta(days=3)
        if first <= thursday <= last:
            week = [monday + dt.timedelta(days=i) for i in range(7)]
            worked = sum(days.get(d, 0) for d in week)
            standard = max(STANDARD_WEEK, STANDARD_DAY * sum(1 for d in week if working[d]))
            excess += max(0, worked - standard)
        monday += dt.timedelta(days=7)
    return excess


def _longest_run(days: dict[dt.date, int], first: dt.date, last: dt.date) -> tuple[int, dt.date, dt.date] | None:
    """The longest run of days worked that ends in the month (looking back a week)."""
    best = None
    run_start = None
    day = first - dt.timedelta(days=MAX_DAYS_IN_A_ROW)
    while day <= last + dt.timedelta(days=1):
        if days.get(day, 0) > 0 and day <= last:
            run_start = run_start or day
        else:
            if run_start is not None:
                end = day - dt.timedelta(days=1)
                length = (end - run_start).days + 1
                if end >= first and (best is None or length > best[0]):
                    best = (length, run_start, end)
            run_start = None
        day += dt.timedelta(days=1)
    return best


def capacity(inputs: Inputs, first: dt.date, last: dt.date) -> list[PostCapacity]:
    posts = inputs.contract.posts
    days = [d for d in inputs.days if first <= d.date <= last]
    requirements = day_requirements(posts, days, inputs.one_offs, inputs.contract.covers)
    working_days = sum(1 for d in days if d.is_working)
    per_worker = working_days * STANDARD_DAY + MONTH_OVERTIME
    month_length = len(days)
    result = []
    for post in posts:
        required = sum(r.required_minutes for (post_id, _), reqs in requirements.items() if post_id == post.id
                       for r in reqs)
        workers = 0
        can = 0
        for a in inputs.stretches:
            if a.post_id != post.id:
                continue
            served = [d for d in days if a.covers(d.date)]
            if not served:
                continue
            workers += 1
            can += sum(STANDARD_DAY for d in served if d.is_working) + MONTH_OVERTIME * len(served) // month_length
        result.append(PostCapacity(post, required, workers, can, per_worker, working_days))
    return result


def month_hours(store: Store, year: int, month: int, *, actual: bool = False,
                calendar: WorkCalendar | None = None) -> MonthHours:
    first, last = month_days(year, month)
    inputs = load_inputs(store, first - dt.timedelta(days=7), last + dt.timedelta(days=6), calendar=calendar)
    inputs.days = [d for d in inputs.days if first <= d.date <= last]
    works = inputs.works(actual)
    return MonthHours(year, month, sum(1 for d in inputs.days if d.is_working),
                      _hours_for(inputs, works, first, last), capacity(inputs, first, last))


class CoverHints:
    """Who could cover a gap: workers of that post serving that day who are free then and whose
    hours stay within the law with the gap added (a hint for the vendor, not an assignment).
    Built once for a report's works; `for_gap` is then cheap (a month not yet planned has
    a hundred gaps)."""

    def __init__(self, inputs: Inputs, works: Sequence[Work]):
        self.inputs = inputs
        self.daily = _daily(works)
        self.by_worker: dict[int, list[Work]] = {}
        for w in works:
            self.by_worker.setdefault(w.worker_id, []).append(w)
        self._allowed: dict[tuple[int, int, int], tuple[int, int]] = {}

    def _month(self, worker_id: int, day: dt.date) -> tuple[int, int]:
        """(minutes worked, minutes allowed) in the month of `day` for the worker."""
        key = (worker_id, day.year, day.month)
        if key not in self._allowed:
            first, last = month_days(day.year, day.month)
            mine = [a for a in self.inputs.stretches if a.worker_id == worker_id]
            served = [d for d in self.inputs.calendar.days(first, last) if any(a.covers(d.date) for a in mine)]
            allowed = (sum(STANDARD_DAY for d in served if d.is_working)
                       + MONTH_OVERTIME * len(served) // ((last - first).days + 1))
            worked = sum(m for d, m in self.daily.get(worker_id, {}).items() if first <= d <= last)
            self._allowed[key] = (worked, allowed)
        return self._allowed[key]

    def for_gap(self, gap: Gap) -> Gap:
        from dataclasses import replace

        inputs = self.inputs
        post = next(p for p in inputs.contract.posts if p.code == gap.post_code)
        base = gap.date.toordinal() * DAY
        per_person = 0
        if gap.rule == "span":
            windows = [(base + s, base + e) for s, e in gap.spans]
            added = sum(e - s for s, e in gap.spans)
        else:
            rule = post.rule_for(_day_type(inputs, gap.date))
            per_person = rule.minutes if rule.mode is CoverMode.HOURS and rule.minutes else gap.minutes
            windows = []
            added = per_person  # a new person gives the day's hours
        names = []
        for a in inputs.stretches:
            if a.post_id != post.id or not a.covers(gap.date):
                continue
            if any(w.start < e and s < w.end for w in self.by_worker.get(a.worker_id, ()) for s, e in windows):
                continue
            that_day = self.daily.get(a.worker_id, {}).get(gap.date, 0)
            if gap.rule == "hours" and that_day > 0:
                continue  # already on duty that day (or the one who fell short): not a new pair of hands
            worked, allowed = self._month(a.worker_id, gap.date)
            if worked + added > allowed:
                continue
            if a.hours_scheme is HoursScheme.STANDARD and that_day + added > MAX_DAY:
                continue
            names.append(a.worker_name)
        return replace(gap, could_cover=tuple(names))


def who_could_cover(inputs: Inputs, works: Sequence[Work], gap: Gap) -> Gap:
    """One gap's hint; for many gaps build one `CoverHints`."""
    return CoverHints(inputs, works).for_gap(gap)


def _day_type(inputs: Inputs, day: dt.date) -> Any:
    from app.contract import DayType

    return DayType.WORKING if inputs.calendar.is_working_day(day) else DayType.NONWORKING
