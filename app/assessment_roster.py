"""What the roster (排班日历) suggests deducting: the one seam between the two parts.

Where the roster shows hours a worker left their post uncovered, or shifts they did not
serve, the template's rule (e.g. 缺岗每小时扣 2 分) gives a deduction the clerk accepts,
changes or rejects; the sheet says which. Only `suggested_deductions` reads the roster.
Without a roster for the month there is nothing to suggest (never invented figures).
"""
from __future__ import annotations

import datetime as dt

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app import clock
from app.assessment import Decision, MonthView, load_month, month_bounds
from app.assessment_template import Template, fmt_points, template_for
from app.store.store import Store


@dataclass(frozen=True)
class Suggestion:
    worker_id: int
    worker_name: str
    criterion: int  # 1-based
    points: Decimal
    reason: str
    date: str  # ISO: the first day the 值守记录 behind it name

    @property
    def key(self) -> str:
        return f"{self.worker_name}“{self.reason}”"


def _roster_api() -> Any | None:
    """排班日历's `app.duty.month_actuals` (issue 10): each worker's real figures for a month."""
    try:
        from app.duty import month_actuals
    except ImportError:  # a build without the roster part
        return None
    return month_actuals


def roster_available() -> bool:
    return _roster_api() is not None


def _days_text(days: list[dt.date]) -> str:
    """11月10日、12日 — the days of the 值守记录 behind a suggestion."""
    ordered = sorted(set(days))
    return f"{ordered[0].month}月" + "、".join(f"{d.day}日" for d in ordered) if ordered else "本月"


def _suggest_for(template: Template, worker_id: int, name: str, date: str, hours: Decimal,
                 absences: int, empty_days: list[dt.date], absent_days: list[dt.date]) -> list[Suggestion]:
    out = []
    for index, c in enumerate(template.criteria, start=1):
        points = Decimal(0)
        parts = []
        if c.per_uncovered_hour and hours > 0:
            points += c.per_uncovered_hour * hours
            parts.append(f"值守记录：{_days_text(empty_days)}岗位无人值守，共 {fmt_points(hours)} 小时")
        if c.per_absence and absences > 0:
            points += c.per_absence * absences
            parts.append(f"{_days_text(absent_days)}缺岗 {absences} 次")
        if points:
            points = min(points.quantize(Decimal("0.1")), c.max)
            out.append(Suggestion(worker_id, name, index, points, "，".join(parts) + f"（{c.rules.split('；')[0]}）",
                                  date))
    return out


def suggested_deductions(store: Store, year: int, month: int, view: MonthView | None = None) -> list[Suggestion] | None:
    """The deductions the roster's real uncovered hours and absences suggest for the month,
    or None when the roster part is not there to ask."""
    api = _roster_api()
    if api is None:
        return None
    view = view or load_month(store, year, month)
    actuals = api(store, year, month)
    absences: dict[int, int] = {}
    absent_days: dict[int, list[dt.date]] = {}
    empty_days: dict[int, list[dt.date]] = {}  # leave or absence nobody covered (替班)
    for record in actuals.records:  # 缺岗 records: one per shift not served
        if record.record_type == "absent":
            absences[record.worker_id] = absences.get(record.worker_id, 0) + 1
            absent_days.setdefault(record.worker_id, []).append(record.date)
        if record.record_type in ("leave", "absent") and not record.covered_by:
            empty_days.setdefault(record.worker_id, []).append(record.date)
    _, last = month_bounds(year, month)
    out: list[Suggestion] = []
    for row in view.rows:
        a = row.assignment
        figures = actuals.workers.get(a.worker_id)
        # Hours of their leave or absence that nobody covered (替班): the post stood empty.
        hours = Decimal(figures.uncovered_minutes if figures else 0) / 60
        count = absences.get(a.worker_id, 0)
        if not hours and not count:
            continue
        template = row.sheet.template if row.sheet else template_for(store, a.post_code)
        # Dated on the first day the records name (the reason names them all), never on a
        # day nothing happened: the sheet prints the date beside the reason.
        days = empty_days.get(a.worker_id, []) + absent_days.get(a.worker_id, [])
        date = (min(days) if days else min(last, a.end or last, clock.today())).isoformat()
        out += _suggest_for(template, a.worker_id, a.worker_name, date, hours, count,
                            empty_days.get(a.worker_id, []), absent_days.get(a.worker_id, []))
    return out


def undecided(view: MonthView, suggestions: list[Suggestion] | None) -> list[Suggestion]:
    """Suggestions the clerk has not yet accepted, changed or rejected on the worker's sheet."""
    if not suggestions:
        return []
    decided = {(r.sheet.worker_id, d.criterion) for r in view.rows if r.sheet
               for d in r.sheet.deductions if d.decision is not Decision.MANUAL}
    return [s for s in suggestions if (s.worker_id, s.criterion) not in decided]
