"""The one place the grid reads the core: a month's plan, its coverage and its hours,
turned into the words and colours the grid shows (no rule is decided here)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.roster import MonthRoster, cell_label, month_roster
from app.shifts import format_range
from app.store import Store
from app.workcalendar import WorkCalendar, load_calendar
from ui.roster.grid import DayMark, GridPost, GridWorker, MonthData


HINT_GAPS = 40


@dataclass
class MonthState:
    """What the tab knows of the month on screen: the core's roster, its coverage and
    hours (whatever the core offers), and the grid's view of them."""
    roster: MonthRoster
    grid: MonthData
    coverage: Any = None  # app.coverage result, when the core has it
    hours: Any = None  # app.hours result
    gaps: list[Any] = field(default_factory=list)
    records: list[Any] = field(default_factory=list)  # app.duty.DutyRecord of the month
    calendar: WorkCalendar | None = None


def load_month(store: Store, year: int, month: int, *, actual: bool = False, hours: bool = True) -> MonthState:
    """The month as the grid shows it. With hours=False the working hours and 人力测算 are
    left for `add_hours` (the grid and its coverage rows are painted first; the hours
    follow a moment later, so switching months stays quick with a hundred workers)."""
    calendar = load_calendar(store)  # built once: the roster, coverage and hours share it
    roster = month_roster(store, year, month, calendar=calendar)
    posts = []
    workers: dict[str, list[GridWorker]] = {}
    cells: dict[tuple[int, dt.date], str] = {}
    planned: dict[int, int] = {}
    for group in roster.groups:
        post = group.post
        posts.append(GridPost(post.code, post.name, f"{post.describe_rules()}　{post.headcount} 人"))
        rows = workers.setdefault(post.code, [])
        for row in group.rows:
            rows.append(GridWorker(row.worker_id, row.name, post.code, row.start, row.end, row.hours_scheme.label))
            planned[row.worker_id] = planned.get(row.worker_id, 0) + row.planned_minutes()
            for index, shifts in enumerate(row.cells):
                if shifts:
                    cells[(row.worker_id, roster.days[index].date)] = cell_label(shifts)
    colours = {t.code: t.colour for t in roster.shift_types}
    titles = {t.code: f"{t.name} {t.times_text()}" + (f"（休息 {t.break_minutes} 分钟）" if t.break_minutes else "")
              for t in roster.shift_types}
    grid = MonthData(year, month, list(roster.days), posts, workers, cells, colours, titles,
                     hours={w: _hours_short(m) for w, m in planned.items()}, actual=actual)
    state = MonthState(roster, grid, calendar=calendar)
    _add_coverage(store, state, actual, calendar)
    _add_records(store, state)
    if hours:
        add_hours(store, state)
    return state


def _hours_short(minutes: int) -> str:
    hours = minutes / 60
    return f"{hours:.0f}" if minutes % 60 == 0 else f"{hours:.1f}"


def _add_coverage(store: Store, state: MonthState, actual: bool, calendar: WorkCalendar) -> None:
    """Each post's day marks (green ✓ / red 缺N时) and the gaps with who could cover them,
    from the core's engine, for the plan or for what really happened."""
    from app.coverage import coverage

    roster = state.roster
    report = coverage(store, roster.year, roster.month, actual=actual, calendar=calendar)
    if 0 < len(report.gaps) <= HINT_GAPS:
        # Who could cover each gap: worth reading for a few gaps, not for a month not yet
        # planned (and costly there: the hint is worked out gap by gap).
        report = coverage(store, roster.year, roster.month, actual=actual, hints=True, calendar=calendar)
    state.coverage, state.gaps = report, list(report.gaps)
    by_day: dict[tuple[str, dt.date], list] = {}
    for gap in report.gaps:
        by_day.setdefault((gap.post_code, gap.date), []).append(gap)
    marks: dict[tuple[str, dt.date], DayMark] = {}
    for post_code, covers in report.days.items():
        for day, cover in zip(roster.days, covers):
            if not cover.required:
                continue
            gaps = by_day.get((post_code, day.date), [])
            if cover.ok and not gaps:
                marks[(post_code, day.date)] = DayMark(True, "✓", "已按合同覆盖")
            else:
                missing = sum(g.minutes for g in gaps) or max(0, cover.required - cover.met)
                detail = "；".join(g.describe() for g in gaps) or "有缺口"
                hint = "、".join(sorted({n for g in gaps for n in g.could_cover}))
                if hint:
                    detail += f"\n可补位（供乙方参考）：{hint}"
                # 缺 / 8时 on two lines: the hours short with their unit (a bare 缺16 read as 16
                # people or 16:00), whole in a day column of a 1366-pixel screen.
                detail = f"缺 {_hours_short(missing)} 小时：{detail}"
                marks[(post_code, day.date)] = DayMark(False, f"缺\n{_hours_short(missing)}时", detail)
    state.grid.coverage = marks


def add_hours(store: Store, state: MonthState) -> None:
    """Working hours (the 工时 column with its 提示) and 人力测算 in the post headings."""
    from app.labour import month_hours

    roster = state.roster
    hours = month_hours(store, roster.year, roster.month, actual=state.grid.actual, calendar=state.calendar)
    state.hours = hours
    capacity = {p.post.code: p for p in hours.posts}
    state.grid.posts = [
        GridPost(p.code, p.name, p.rule_text,
                 "" if p.code not in capacity or capacity[p.code].enough
                 else f"⚠ 人力测算：{capacity[p.code].workers} 人超出法定工时，至少需要 {capacity[p.code].workers_needed} 人")
        for p in state.grid.posts]
    for worker in hours.workers:
        state.grid.hours[worker.worker_id] = _hours_short(worker.minutes)
        if worker.warnings:
            state.grid.hours_alert[worker.worker_id] = "工时提示（合同第五条第1款，供与乙方沟通）：\n" + "\n".join(
                worker.warnings)


def _add_records(store: Store, state: MonthState) -> None:
    """值守记录 marked on their cells (a * and the record in the tooltip)."""
    from app.duty import list_records

    roster = state.roster
    state.records = list_records(store, roster.first, roster.last)
    notes = state.grid.notes
    for record in state.records:
        key = (record.worker_id, record.date)
        notes[key] = "；".join(filter(None, [notes.get(key, ""), record.describe() + (
            f"（{record.note}）" if record.note else "")]))
        if record.covered_by:
            key = (record.covered_by, record.date)
            notes[key] = "；".join(filter(None, [notes.get(key, ""), f"替{record.worker_name}值守 "
                                                 f"{format_range(record.start, record.end)}"]))
