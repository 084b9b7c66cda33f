"""The one place the grid reads the core: a month's plan, its coverage and its hours,
turned into the words and colours the grid shows (no rule is decided here)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.roster import MonthRoster, cell_label, month_roster
from app.store import Store
from ui.roster.grid import DayMark, GridPost, GridWorker, MonthData


@dataclass
class MonthState:
    """What the tab knows of the month on screen: the core's roster, its coverage and
    hours (whatever the core offers), and the grid's view of them."""
    roster: MonthRoster
    grid: MonthData
    coverage: Any = None  # app.coverage result, when the core has it
    hours: Any = None  # app.hours result
    gaps: list[Any] = field(default_factory=list)


def _hours_text(minutes: int) -> str:
    hours = minutes / 60
    return f"{hours:.0f}" if minutes % 60 == 0 else f"{hours:.1f}"


def load_month(store: Store, year: int, month: int, *, actual: bool = False) -> MonthState:
    roster = month_roster(store, year, month)
    posts = []
    workers: dict[str, list[GridWorker]] = {}
    cells: dict[tuple[int, dt.date], str] = {}
    hours: dict[int, str] = {}
    for group in roster.groups:
        post = group.post
        posts.append(GridPost(post.code, post.name, f"{post.describe_rules()}　{post.headcount} 人"))
        rows = workers.setdefault(post.code, [])
        for row in group.rows:
            rows.append(GridWorker(row.worker_id, row.name, post.code, row.start, row.end, row.hours_scheme.label))
            for index, shifts in enumerate(row.cells):
                if shifts:
                    cells[(row.worker_id, roster.days[index].date)] = cell_label(shifts)
            hours[row.worker_id] = _hours_text(
                sum(s.paid_minutes for r in roster.rows() if r.worker_id == row.worker_id for c in r.cells for s in c))
    colours = {t.code: t.colour for t in roster.shift_types}
    titles = {t.code: f"{t.name} {t.times_text()}" + (f"（休息 {t.break_minutes} 分钟）" if t.break_minutes else "")
              for t in roster.shift_types}
    grid = MonthData(year, month, list(roster.days), posts, workers, cells, colours, titles, hours=hours,
                     actual=actual)
    state = MonthState(roster, grid)
    _add_coverage(store, state, actual)
    return state


def _add_coverage(store: Store, state: MonthState, actual: bool) -> None:
    """Coverage marks per post and day (filled in once the core's engine is merged)."""
    try:
        from app import coverage  # noqa: F401 — the core's engine (issue 10 core)
    except ImportError:
        return
    marks: dict[tuple[str, dt.date], DayMark] = {}
    state.grid.coverage = marks
