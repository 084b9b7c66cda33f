"""The coverage engine: does the vendor's plan (or what really happened) cover every post
of clause 四.2 on every day of the Chinese working calendar?

    report = coverage(store, 2026, 10)                 # the plan
    report = coverage(store, 2026, 10, actual=True)    # 值守记录 applied: leave, absence, 替班, extra
    report.gaps        # [Gap(date, post, rule "span"|"hours", spans | people+minutes, could_cover)]
    report.posts       # [PostCoverage(post, required_minutes, met_minutes, rate)]  覆盖率 per post
    report.days[post_code][i]   # DayCover(required, met) for the grid's coverage row

Rules by kind of day (make-up working days are working; holidays and rest days inside a
break are not): **span** — every minute of the interval needs the post's headcount on
duty; **hours** — that many people each working at least H hours that day; **as needed**
— nothing, unless the clerk added a one-off requirement for the date (`add_requirement`),
which adds to whatever the day already needs.

A shift counts for the post its worker served on the day the shift starts (from
`app.staff.assignments`), and covers every minute from its start to its end — a night shift
covers the next day too, across the month's and the year's end. The unpaid break is taken
on the post: it lowers the hours a shift gives (hours rules, working hours) but leaves no
hole in a span. For an hours rule a worker's hours on a day are the minutes of their shifts
that fall in that day, less the break of a shift that starts that day.

The engine itself (`evaluate`) is a pure function over plain data; `coverage` reads the
store and feeds it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Mapping, Sequence

from app.contract import CoverMode, DayType, Post, active_contract
from app.errors import ValidationError
from app.roster import PlannedShift, month_days, planned_shifts
from app.shifts import clock_text, format_range, parse_clock_text, span_minutes
from app.staff import Assignment, assignments
from app.store.store import Store
from app.workcalendar import CalendarDay, WorkCalendar, load_calendar

DAY = 24 * 60


@dataclass(frozen=True)
class Work:
    """A stretch of time a worker was (or is planned to be) on duty for a post."""
    worker_id: int
    post_id: int
    start: int  # absolute minutes: date.toordinal() * 1440 + minute
    end: int
    break_minutes: int = 0  # unpaid, charged to the day the work starts

    @property
    def start_day(self) -> dt.date:
        return dt.date.fromordinal(self.start // DAY)

    @property
    def paid_minutes(self) -> int:
        return max(0, self.end - self.start - self.break_minutes)

    def minutes_on(self, day: dt.date) -> int:
        """Paid minutes of this work that fall on `day`."""
        base = day.toordinal() * DAY
        inside = max(0, min(self.end, base + DAY) - max(self.start, base))
        if inside and self.start // DAY == day.toordinal():
            inside = max(0, inside - self.break_minutes)
        return inside


@dataclass(frozen=True)
class Requirement:
    """What one post needs on one day: a span (people on duty every minute of start..end)
    or hours (people each working at least `minutes`)."""
    post_id: int
    day: dt.date
    mode: CoverMode
    people: int
    start: int = 0  # span: minutes of the day; end may be 1440
    end: int = 0
    minutes: int = 0  # hours: each person at least this long
    one_off: bool = False

    @property
    def required_minutes(self) -> int:
        if self.mode is CoverMode.SPAN:
            return (self.end - self.start) * self.people
        return self.minutes * self.people


@dataclass(frozen=True)
class Gap:
    date: dt.date
    post_code: str
    post_name: str
    rule: str  # "span" | "hours"
    spans: tuple[tuple[int, int], ...] = ()  # uncovered minutes of the day (end may be 1440)
    people: int = 0  # hours rule: people missing (not reaching H hours)
    minutes: int = 0  # person-minutes missing (span: uncovered headcount × minutes)
    could_cover: tuple[str, ...] = ()  # hint for the vendor, not an assignment

    @property
    def hours(self) -> Decimal:
        return minutes_to_hours(self.minutes)

    def missing_json(self) -> Any:
        if self.rule == "span":
            return [f"{clock_text(s)}-{clock_text(e)}" for s, e in self.spans]
        return {"people": self.people, "hours": _number(self.hours)}

    def describe(self) -> str:
        if self.rule == "span":
            return "无人值守 " + "、".join(f"{clock_text(s)}-{clock_text(e)}" for s, e in self.spans)
        return f"缺 {self.people} 人，差 {self.hours.normalize():f} 小时"

    def as_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "post": self.post_name, "post_code": self.post_code,
                "rule": self.rule, "missing": self.missing_json()}


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def minutes_to_hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class DayCover:
    required: int  # person-minutes
    met: int

    @property
    def ok(self) -> bool:
        return self.met >= self.required


@dataclass(frozen=True)
class PostCoverage:
    post: Post
    required_minutes: int
    met_minutes: int

    @property
    def uncovered_minutes(self) -> int:
        return self.required_minutes - self.met_minutes

    @property
    def rate(self) -> Decimal | None:
        """覆盖率: required hours met / required hours; None when nothing was required."""
        if not self.required_minutes:
            return None
        return (Decimal(self.met_minutes) / Decimal(self.required_minutes)).quantize(Decimal("0.0001"), ROUND_HALF_UP)

    def rate_text(self) -> str:
        rate = self.rate
        return "—" if rate is None else f"{rate * 100:.2f}%"

    def as_json(self) -> dict[str, Any]:
        return {"post": self.post.name, "post_code": self.post.code,
                "required_hours": _number(minutes_to_hours(self.required_minutes)),
                "met_hours": _number(minutes_to_hours(self.met_minutes)),
                "uncovered_hours": _number(minutes_to_hours(self.uncovered_minutes)),
                "coverage": None if self.rate is None else float(self.rate)}


@dataclass
class CoverageReport:
    first: dt.date
    last: dt.date
    actual: bool
    gaps: list[Gap]
    posts: list[PostCoverage]
    days: dict[str, list[DayCover]] = field(default_factory=dict)  # post code → one per day

    @property
    def covered(self) -> bool:
        return not self.gaps

    def post(self, code: str) -> PostCoverage:
        return next(p for p in self.posts if p.post.code == code)


# --- the pure engine -------------------------------------------------------------------------

def day_requirements(posts: Sequence[Post], days: Sequence[CalendarDay],
                     one_offs: Iterable[Requirement] = (), in_service: Any = None) -> dict[tuple[int, dt.date], list[Requirement]]:
    """Each post's requirements per day, from its rule for the kind of day plus one-offs.
    `in_service(day)` (the contract's period) limits the days that need anything."""
    found: dict[tuple[int, dt.date], list[Requirement]] = {}
    for day in days:
        if in_service is not None and not in_service(day.date):
            continue
        day_type = DayType.WORKING if day.is_working else DayType.NONWORKING
        for post in posts:
            rule = post.rule_for(day_type)
            assert post.id is not None
            if rule.mode is CoverMode.SPAN:
                found.setdefault((post.id, day.date), []).append(Requirement(
                    post.id, day.date, CoverMode.SPAN, post.headcount, rule.start_minute or 0, rule.end_minute or 0))
            elif rule.mode is CoverMode.HOURS:
                found.setdefault((post.id, day.date), []).append(Requirement(
                    post.id, day.date, CoverMode.HOURS, post.headcount, minutes=rule.minutes or 0))
    dates = {d.date for d in days}
    for req in one_offs:
        if req.day in dates:
            found.setdefault((req.post_id, req.day), []).append(req)
    return found


def _span_gaps(reqs: Sequence[Requirement], works: Sequence[Work], base: int) -> tuple[list[tuple[int, int]], int, int]:
    """Uncovered spans (minutes of the day), missing person-minutes, required person-minutes."""
    bounds = {base + b for r in reqs for b in (r.start, r.end)}
    lo, hi = min(bounds), max(bounds)
    for w in works:
        for b in (w.start, w.end):
            if lo < b < hi:
                bounds.add(b)
    points = sorted(bounds)
    spans: list[tuple[int, int]] = []
    missing = required = 0
    for a, b in zip(points, points[1:]):
        need = sum(r.people for r in reqs if base + r.start <= a and b <= base + r.end)
        if not need:
            continue
        have = sum(1 for w in works if w.start <= a and b <= w.end)
        required += need * (b - a)
        if have < need:
            missing += (need - have) * (b - a)
            if spans and spans[-1][1] == a - base:
                spans[-1] = (spans[-1][0], b - base)
            else:
                spans.append((a - base, b - base))
    return spans, missing, required


def _hours_gap(reqs: Sequence[Requirement], works: Sequence[Work], day: dt.date) -> tuple[int, int, int]:
    """People missing, person-minutes missing, person-minutes required."""
    slots = sorted((r.minutes for r in reqs for _ in range(r.people)), reverse=True)
    per_worker: dict[int, int] = {}
    for w in works:
        per_worker[w.worker_id] = per_worker.get(w.worker_id, 0) + w.minutes_on(day)
    given = sorted(per_worker.values(), reverse=True)
    people = minutes = 0
    for i, need in enumerate(slots):
        have = given[i] if i < len(given) else 0
        if have < need:
            people += 1
            minutes += need - have
    return people, minutes, sum(slots)


def index_works(works: Iterable[Work]) -> dict[tuple[int, int], list[Work]]:
    """Works by (post id, day ordinal) for every day they touch."""
    index: dict[tuple[int, int], list[Work]] = {}
    for w in works:
        for ordinal in range(w.start // DAY, (w.end - 1) // DAY + 1):
            index.setdefault((w.post_id, ordinal), []).append(w)
    return index


def evaluate(posts: Sequence[Post], days: Sequence[CalendarDay], works: Iterable[Work],
             one_offs: Iterable[Requirement] = (), *, in_service: Any = None, actual: bool = False) -> CoverageReport:
    """Every gap and each post's 覆盖率 over `days`. `works` should include those that
    start the day before the first (a night shift reaching into it)."""
    requirements = day_requirements(posts, days, one_offs, in_service)
    by_post_day = index_works(works)
    gaps: list[Gap] = []
    totals = {p.id: [0, 0] for p in posts}
    per_day: dict[str, list[DayCover]] = {p.code: [] for p in posts}
    for day in days:
        ordinal = day.date.toordinal()
        for post in posts:
            assert post.id is not None
            reqs = requirements.get((post.id, day.date))
            if not reqs:
                per_day[post.code].append(DayCover(0, 0))
                continue
            day_works = by_post_day.get((post.id, ordinal), [])
            required = missing = 0
            spans_reqs = [r for r in reqs if r.mode is CoverMode.SPAN]
            hours_reqs = [r for r in reqs if r.mode is CoverMode.HOURS]
            if spans_reqs:
                spans, span_missing, span_required = _span_gaps(spans_reqs, day_works, ordinal * DAY)
                required += span_required
                missing += span_missing
                if spans:
                    gaps.append(Gap(day.date, post.code, post.name, "span", tuple(spans), minutes=span_missing))
            if hours_reqs:
                people, hours_missing, hours_required = _hours_gap(hours_reqs, day_works, day.date)
                required += hours_required
                missing += hours_missing
                if people:
                    gaps.append(Gap(day.date, post.code, post.name, "hours", people=people, minutes=hours_missing))
            totals[post.id][0] += required
            totals[post.id][1] += required - missing
            per_day[post.code].append(DayCover(required, required - missing))
    summary = [PostCoverage(p, totals[p.id][0], totals[p.id][1]) for p in posts]
    return CoverageReport(days[0].date, days[-1].date, actual, gaps, summary, per_day)


# --- from the store ----------------------------------------------------------------------------

def works_from_plan(plan: Mapping[int, Mapping[dt.date, Sequence[PlannedShift]]],
                    stretches: Sequence[Assignment]) -> list[Work]:
    """Planned shifts as works, each on the post its worker served the day it starts."""
    by_worker: dict[int, list[Assignment]] = {}
    for a in stretches:
        by_worker.setdefault(a.worker_id, []).append(a)
    works = []
    timing: dict[PlannedShift, tuple[int | None, int, int]] = {}  # a few dozen distinct shifts
    for worker_id, cells in plan.items():
        mine = by_worker.get(worker_id, ())
        for day, shifts in cells.items():
            if len(mine) == 1:
                post_id = mine[0].post_id if mine[0].covers(day) else None
            else:
                post_id = next((a.post_id for a in mine if a.covers(day)), None)
            if post_id is None:
                continue
            base = day.toordinal() * DAY
            for shift in shifts:
                times = timing.get(shift)
                if times is None:
                    times = timing[shift] = (shift.start, shift.duration, shift.break_minutes)
                if times[0] is not None:
                    start = base + times[0]
                    works.append(Work(worker_id, post_id, start, start + times[1], times[2]))
    return works


def _interval(day: dt.date, start: int, end: int) -> tuple[int, int]:
    base = day.toordinal() * DAY
    return base + start, base + start + span_minutes(start, end)


def subtract(work: Work, start: int, end: int) -> list[Work]:
    """The work less start..end (absolute minutes); the break stays with the part that
    keeps the work's start, never more than that part's length."""
    if end <= work.start or start >= work.end:
        return [work]
    parts = []
    if work.start < start:
        parts.append(Work(work.worker_id, work.post_id, work.start, start, min(work.break_minutes, start - work.start)))
    if end < work.end:
        parts.append(Work(work.worker_id, work.post_id, end, work.end, 0 if parts else
                          min(work.break_minutes, work.end - end)))
    return parts


def apply_records(works: list[Work], records: Iterable[Mapping[str, Any]],
                  post_of: Any) -> list[Work]:
    """What really happened: leave and absence taken out of the absent worker's works, the
    替班 worker's time put on the absent worker's post, extra hours added on the worker's
    own post. `post_of(worker_id, day)` is the post a worker served that day."""
    for rec in records:
        day = dt.date.fromisoformat(rec["date"])
        start, end = _interval(day, _minutes(rec["start_time"]), _minutes(rec["end_time"]))
        worker_id = rec["worker_id"]
        if rec["record_type"] in ("leave", "absent"):
            post_id = None
            kept: list[Work] = []
            for w in works:
                if w.worker_id == worker_id and w.start < end and start < w.end:
                    post_id = w.post_id
                    kept.extend(subtract(w, start, end))
                else:
                    kept.append(w)
            works = kept
            if rec.get("covered_by"):
                target = post_id if post_id is not None else post_of(worker_id, day)
                if target is not None:
                    works.append(Work(rec["covered_by"], target, start, end))
        elif rec["record_type"] == "extra":
            target = post_of(worker_id, day)
            if target is not None:
                works.append(Work(worker_id, target, start, end))
    return works


def _minutes(text: str) -> int:
    value = parse_clock_text(text)
    assert value is not None
    return value


@dataclass
class Inputs:
    """Everything the engine needs for a stretch of days, read once."""
    contract: Any
    calendar: WorkCalendar
    days: list[CalendarDay]
    stretches: list[Assignment]
    plan: dict[int, dict[dt.date, tuple[PlannedShift, ...]]]
    records: list[dict[str, Any]]
    one_offs: list[Requirement]

    def post_of(self, worker_id: int, day: dt.date) -> int | None:
        return next((a.post_id for a in self.stretches if a.worker_id == worker_id and a.covers(day)), None)

    def works(self, actual: bool) -> list[Work]:
        works = works_from_plan(self.plan, self.stretches)
        if actual:
            works = apply_records(works, self.records, self.post_of)
        return works


def load_inputs(store: Store, first: dt.date, last: dt.date, *, calendar: WorkCalendar | None = None) -> Inputs:
    contract = active_contract(store)
    calendar = calendar or load_calendar(store)
    before = first - dt.timedelta(days=1)
    stretches = assignments(store, before, last, contract)
    plan = planned_shifts(store, before, last)
    records = [dict(r) for r in store.db.query(
        "SELECT * FROM duty_records WHERE date BETWEEN ? AND ? ORDER BY id", [before.isoformat(), last.isoformat()])]
    posts = {p.id: p for p in contract.posts}
    one_offs = [
        Requirement(r["post_id"], dt.date.fromisoformat(r["date"]), CoverMode(r["mode"]), r["people"],
                    _minutes(r["start_time"]) if r["start_time"] else 0,
                    _minutes(r["end_time"]) if r["end_time"] else 0, r["minutes"] or 0, True)
        for r in store.db.query("SELECT * FROM extra_requirements WHERE date BETWEEN ? AND ?",
                                [first.isoformat(), last.isoformat()])
        if r["post_id"] in posts
    ]
    return Inputs(contract, calendar, list(calendar.days(first, last)), stretches, plan, records, one_offs)


def coverage_between(store: Store, first: dt.date, last: dt.date, *, actual: bool = False, hints: bool = False,
                     calendar: WorkCalendar | None = None) -> CoverageReport:
    inputs = load_inputs(store, first, last, calendar=calendar)
    works = inputs.works(actual)
    report = evaluate(inputs.contract.posts, inputs.days, works, inputs.one_offs,
                      in_service=inputs.contract.covers, actual=actual)
    if hints and report.gaps:
        from app.labour import CoverHints

        hints_for = CoverHints(inputs, works)
        report.gaps = [hints_for.for_gap(gap) for gap in report.gaps]
    return report


def coverage(store: Store, year: int, month: int, *, actual: bool = False, hints: bool = False,
             calendar: WorkCalendar | None = None) -> CoverageReport:
    """The month's gaps and 覆盖率, for the plan or (actual=True) for what really happened."""
    first, last = month_days(year, month)
    return coverage_between(store, first, last, actual=actual, hints=hints, calendar=calendar)


# --- one-off requirements ------------------------------------------------------------------------

def add_requirement(store: Store, post_code: str, day: dt.date, *, people: int = 1, hours: Decimal | int | str | None = None,
                    start: str | None = None, end: str | None = None, note: str = "") -> int:
    """A one-off requirement the clerk adds for a date, e.g. 10-01 审核岗 1 人 8 小时 (hours),
    or 网格岗 10:00-18:00 1 人 (span). It adds to the day's rule."""
    contract = active_contract(store)
    try:
        post = contract.post(post_code)
    except KeyError:
        raise ValidationError(f"“{post_code}”不是合同中的岗位。", "post") from None
    contract.check_in_period(day, "日期", "date")
    if not isinstance(people, int) or not 1 <= people <= 20:
        raise ValidationError("人数应为 1 到 20 之间的整数。", "people")
    record: dict[str, Any] = {"post_id": post.id, "date": day.isoformat(), "people": people, "note": note.strip()}
    if hours is not None:
        try:
            minutes = int(Decimal(str(hours).strip()) * 60)
        except (ArithmeticError, ValueError):
            raise ValidationError(f"每人时长“{hours}”应为小时数，例如 8 或 7.5。", "minutes") from None
        if not 0 < minutes <= DAY:
            raise ValidationError("每人时长应在 0 到 24 小时之间。", "minutes")
        record.update(mode="hours", minutes=minutes)
        text = f"{people} 人 {Decimal(str(hours)).normalize():f} 小时"
    else:
        s = parse_clock_text(start or "")
        e = parse_clock_text(end or "")
        if s is None or e is None or s >= (e or DAY) or s == DAY:
            raise ValidationError("时段应为同一天内的 开始-结束，例如 10:00-18:00。", "start_time")
        record.update(mode="span", start_time=clock_text(s), end_time=clock_text(e))
        text = f"{format_range(s, e)} {people} 人"
    with store.action(f"临时服务需求：{day.isoformat()} {post.name} {text}") as act:
        return int(act.insert("extra_requirements", record))


def delete_requirement(store: Store, requirement_id: int) -> None:
    row = store.db["extra_requirements"].get(requirement_id)
    with store.action(f"删除临时服务需求：{row['date']}") as act:
        act.delete("extra_requirements", requirement_id)
