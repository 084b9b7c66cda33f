"""值守记录: what really happened against the vendor's plan — 请假/缺岗 with the hours
missed, 替班 (who served instead), extra hours — and the month's real figures that
月度考核 and 付款台账 read.

    add_record(store, worker_id, day, "leave", "08:00", "16:00", covered_by=other_id, note="病假")
    month_actuals(store, 2026, 10) -> MonthActuals
        .workers[worker_id]  WorkerActuals: planned / absent / covered-for-others / extra / actual minutes
        .posts[post_code]    PostActuals: required, met (plan), met (actual), 覆盖率 both, uncovered minutes
        .gaps                the real gaps (as coverage(..., actual=True))

This is a record of the service delivered under the contract (值守记录), not the vendor's
attendance of its own staff.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.staff import worker_names
from app.contract import active_contract
from app.coverage import DAY, Gap, PostCoverage, Work, evaluate, load_inputs, minutes_to_hours
from app.errors import ValidationError
from app.roster import day_text, month_days
from app.shifts import clock_text, format_range, parse_clock_text, span_minutes
from app.staff import assignments
from app.store.store import Store
from app.validation import check_text

RECORD_TYPES = {"leave": "请假", "absent": "缺岗", "extra": "加班"}


def _interval(day: dt.date, start: int, end: int) -> tuple[int, int]:
    base = day.toordinal() * DAY
    return base + start, base + start + span_minutes(start, end)


def add_record(store: Store, worker_id: int, day: dt.date, record_type: str, start: str, end: str, *,
               covered_by: int | None = None, note: str = "") -> int:
    """Record one deviation from the plan (one audited action). Leave and absence must fall
    inside the worker's planned shifts; a 替班 worker and extra hours must not clash with
    that person's own shifts (nobody is in two places at once)."""
    if record_type not in RECORD_TYPES:
        raise ValidationError("记录类型应为 请假、缺岗 或 加班。", "record_type")
    s, e = parse_clock_text(str(start or "")), parse_clock_text(str(end or ""))
    if s is None or e is None or s == DAY:
        raise ValidationError("时间格式不对，应为 时:分，例如 08:00。", "start_time")
    if e == 0:
        e = DAY
    if s == e:
        raise ValidationError("结束时间不能与开始时间相同。", "end_time")
    note = check_text(note, "说明", 200, "note")
    contract = active_contract(store)
    contract.check_in_period(day, "日期", "date")
    inputs = load_inputs(store, day - dt.timedelta(days=1), day + dt.timedelta(days=1))
    names = worker_names(store)
    if worker_id not in names:
        raise ValidationError("找不到这位服务人员。", "worker_id")
    name = names[worker_id]
    if inputs.post_of(worker_id, day) is None:
        raise ValidationError(f"{name} {day_text(day)}不在服务期内。", "date")
    lo, hi = _interval(day, s, e)
    works = inputs.works(actual=True)
    own = [w for w in works if w.worker_id == worker_id]
    what = f"{day_text(day)} {format_range(s, e)}"
    if record_type in ("leave", "absent"):
        inside = sum(max(0, min(w.end, hi) - max(w.start, lo)) for w in own)
        if inside < hi - lo:
            raise ValidationError(f"{name} {what} 不在此人的排班时间内（或已记过），{RECORD_TYPES[record_type]}"
                                  "只能记在排了班的时间里。", "start_time")
    else:
        if covered_by is not None:
            raise ValidationError("加班记录没有替班人员。", "covered_by")
        if _clashes(own, lo, hi):
            raise ValidationError(f"{name} {what} 已在排班或值守记录中，不能再记加班（同一人不能同时在两处）。", "start_time")
    if covered_by is not None:
        if covered_by == worker_id:
            raise ValidationError("替班人员不能是本人。", "covered_by")
        if covered_by not in names:
            raise ValidationError("找不到替班人员。", "covered_by")
        if not any(a.worker_id == covered_by and a.covers(day) for a in assignments(store, day, day, contract)):
            raise ValidationError(f"替班人员 {names[covered_by]} {day_text(day)}不在服务期内。", "covered_by")
        if _clashes([w for w in works if w.worker_id == covered_by], lo, hi):
            raise ValidationError(f"替班人员 {names[covered_by]} {what} 自己有班（同一人不能同时在两处）。", "covered_by")
    record = {"worker_id": worker_id, "date": day.isoformat(), "record_type": record_type,
              "start_time": clock_text(s), "end_time": clock_text(e), "covered_by": covered_by, "note": note}
    summary = f"值守记录：{name} {what} {RECORD_TYPES[record_type]}"
    if covered_by is not None:
        summary += f"，{names[covered_by]}替班"
    with store.action(summary) as act:
        return int(act.insert("duty_records", record))


def worker_on(store: Store, name: str, day: dt.date) -> int:
    """The worker of that name serving on that day (for the command line and scripts)."""
    found = sorted({a.worker_id for a in assignments(store, day, day) if a.worker_name == name.strip()})
    if not found:
        raise ValidationError(f"“{name}”不是 {day.isoformat()} 在服务期内的服务人员。", "worker_id")
    if len(found) > 1:
        raise ValidationError(f"“{name}”对应 {len(found)} 位服务人员，请在窗口中选择。", "worker_id")
    return found[0]


def parse_kind(text: str) -> str:
    for code, label in RECORD_TYPES.items():
        if text in (code, label):
            return code
    raise ValidationError(f"“{text}”不是值守记录的类型，应为：请假、缺岗、加班。", "record_type")


def _clashes(works: list[Work], lo: int, hi: int) -> bool:
    return any(w.start < hi and lo < w.end for w in works)


def delete_record(store: Store, record_id: int) -> None:
    row = next(store.db.query("SELECT * FROM duty_records WHERE id = ?", [record_id]), None)
    if row is None:
        raise ValidationError("找不到这条值守记录，可能已被删除。")
    with store.action(f"删除值守记录：{row['date']}") as act:
        act.delete("duty_records", record_id)


@dataclass(frozen=True)
class DutyRecord:
    id: int
    worker_id: int
    worker_name: str
    date: dt.date
    record_type: str
    start: int
    end: int
    covered_by: int | None
    covered_by_name: str
    note: str

    @property
    def minutes(self) -> int:
        return span_minutes(self.start, self.end)

    @property
    def type_label(self) -> str:
        return RECORD_TYPES[self.record_type]

    def describe(self) -> str:
        text = f"{day_text(self.date)} {self.worker_name} {self.type_label} {format_range(self.start, self.end)}"
        return text + (f"，{self.covered_by_name}替班" if self.covered_by_name else "")


def list_records(store: Store, first: dt.date, last: dt.date) -> list[DutyRecord]:
    rows = store.db.query(
        "SELECT d.*, w.name AS worker_name, c.name AS covered_by_name FROM duty_records d "
        "JOIN workers w ON w.id = d.worker_id LEFT JOIN workers c ON c.id = d.covered_by "
        "WHERE d.date BETWEEN ? AND ? ORDER BY d.date, d.id", [first.isoformat(), last.isoformat()])
    return [DutyRecord(r["id"], r["worker_id"], r["worker_name"], dt.date.fromisoformat(r["date"]), r["record_type"],
                       parse_clock_text(r["start_time"]) or 0, parse_clock_text(r["end_time"]) or 0, r["covered_by"],
                       r["covered_by_name"] or "", r["note"] or "") for r in rows]


# --- the month's real figures ----------------------------------------------------------------

@dataclass(frozen=True)
class WorkerActuals:
    worker_id: int
    name: str
    planned_minutes: int
    leave_minutes: int
    absent_minutes: int
    covered_minutes: int  # 替班 for others
    extra_minutes: int
    uncovered_minutes: int = 0  # their leave and absence nobody covered (替班)

    @property
    def actual_minutes(self) -> int:
        return self.planned_minutes - self.leave_minutes - self.absent_minutes + self.covered_minutes + self.extra_minutes

    def as_json(self) -> dict[str, Any]:
        h = _hours
        return {"worker_id": self.worker_id, "name": self.name, "planned_hours": h(self.planned_minutes),
                "leave_hours": h(self.leave_minutes), "absent_hours": h(self.absent_minutes),
                "covered_hours": h(self.covered_minutes), "extra_hours": h(self.extra_minutes),
                "actual_hours": h(self.actual_minutes), "uncovered_hours": h(self.uncovered_minutes)}


@dataclass(frozen=True)
class PostActuals:
    plan: PostCoverage
    actual: PostCoverage

    @property
    def uncovered_minutes(self) -> int:
        return self.actual.uncovered_minutes

    @property
    def rate(self) -> Decimal | None:
        """The month's real 覆盖率."""
        return self.actual.rate

    def as_json(self) -> dict[str, Any]:
        return {"post": self.plan.post.name, "post_code": self.plan.post.code,
                "required_hours": _hours(self.plan.required_minutes),
                "plan_coverage": None if self.plan.rate is None else float(self.plan.rate),
                "actual_coverage": None if self.actual.rate is None else float(self.actual.rate),
                "uncovered_hours": _hours(self.uncovered_minutes)}


@dataclass
class MonthActuals:
    """What 月度考核 and 付款台账 read: per worker the hours missed and given, per post the
    real 覆盖率 and uncovered hours, and every real gap."""
    year: int
    month: int
    workers: dict[int, WorkerActuals]
    posts: dict[str, PostActuals]
    gaps: list[Gap]
    records: list[DutyRecord]

    @property
    def uncovered_minutes(self) -> int:
        return sum(p.uncovered_minutes for p in self.posts.values())

    def as_json(self) -> dict[str, Any]:
        return {"month": f"{self.year:04d}-{self.month:02d}", "uncovered_hours": _hours(self.uncovered_minutes),
                "posts": [p.as_json() for p in self.posts.values()],
                "workers": [w.as_json() for w in self.workers.values()],
                "gaps": [g.as_json() for g in self.gaps],
                "records": [r.describe() for r in self.records]}


def _hours(minutes: int) -> int | float:
    value = minutes_to_hours(minutes)
    return int(value) if value == value.to_integral_value() else float(value)


def month_actuals(store: Store, year: int, month: int) -> MonthActuals:
    first, last = month_days(year, month)
    inputs = load_inputs(store, first, last)
    plan_works = inputs.works(actual=False)
    posts, days = inputs.contract.posts, inputs.days
    plan = evaluate(posts, days, plan_works, inputs.one_offs, in_service=inputs.contract.covers)
    actual = evaluate(posts, days, inputs.works(actual=True), inputs.one_offs, in_service=inputs.contract.covers,
                      actual=True)
    records = list_records(store, first, last)
    planned: dict[int, int] = {}
    for w in plan_works:
        if first <= w.start_day <= last:
            planned[w.worker_id] = planned.get(w.worker_id, 0) + w.paid_minutes
    figures: dict[int, dict[str, int]] = {}
    for r in records:
        mine = figures.setdefault(r.worker_id, {})
        mine[r.record_type] = mine.get(r.record_type, 0) + r.minutes
        if r.covered_by:
            theirs = figures.setdefault(r.covered_by, {})
            theirs["covered"] = theirs.get("covered", 0) + r.minutes
        elif r.record_type in ("leave", "absent"):
            mine["uncovered"] = mine.get("uncovered", 0) + r.minutes
    workers = {}
    for a in inputs.stretches:
        if a.worker_id in workers or not (a.start <= last and (a.end is None or a.end >= first)):
            continue
        f = figures.get(a.worker_id, {})
        workers[a.worker_id] = WorkerActuals(a.worker_id, a.worker_name, planned.get(a.worker_id, 0),
                                             f.get("leave", 0), f.get("absent", 0), f.get("covered", 0),
                                             f.get("extra", 0), f.get("uncovered", 0))
    posts = {p.post.code: PostActuals(p, actual.post(p.post.code)) for p in plan.posts}
    return MonthActuals(year, month, workers, posts, actual.gaps, records)


__all__ = ["add_record", "delete_record", "list_records", "month_actuals", "MonthActuals", "WorkerActuals",
           "PostActuals", "DutyRecord", "RECORD_TYPES", "minutes_to_hours"]
