"""The vendor's month plan (乙方排班): worker × day → no shift, one or two shifts.

The vendor plans its staff's time (clauses 四.1, 九.3); the office receives the plan,
records it and checks it. Nothing here assigns anybody.

API for the 排班日历 grid (ui/roster/) and the importer::

    roster = month_roster(store, 2026, 10, calendar=cal)   # one call, everything the grid shows
    # (load the WorkCalendar once with load_calendar(store) and pass it on: the first costs ~60 ms)
    roster.days            # tuple[CalendarDay]: kind, holiday name (班 on make-up days)
    roster.groups          # tuple[PostGroup]: post, rows (RosterRow) in the contract's order
    row.cells[day - 1]     # tuple[PlannedShift, ...]: () empty, (休,), (早,), (早, 中)
    row.serves[day - 1]    # False outside this stretch of service (grey, not editable)
    roster.shift_types     # codes, names, colours for the cells

    changes = set_cells(store, [(worker_id, date, ["早"]), (worker_id, date2, [])])
    # validates every edit first (unknown code, outside service, double-booking, more
    # than two shifts, 休 with a shift) and raises RosterRefused (a ValidationError with
    # .problems, each naming worker and day) without writing anything; otherwise one
    # audited store.action. Returns list[CellChange] with .before/.after — hand
    # `[(c.worker_id, c.day, c.before) for c in changes]` back to set_cells to undo.
    # An entry is a shift code ("早"), a time range ("8:00-16:00", "16:00-次日8:00"),
    # "休", or a PlannedShift (as returned, so undo restores exact times).

    parse_cell_text("早/中")  -> list[str]      # a typed or pasted cell into entries
    parse_tsv(clipboard_text) -> list[list[str]] # Excel/WPS copy (quoted line breaks kept)
    paste_edits(roster, worker_ids, first_day, block)   # refuses a paste past month end
    rotation_edits(roster, worker_ids, first_day, last_day, "早早中中夜夜休休", types)
    copy_month_edits(store, 2026, 11, by="weekday" | "rotation")  # last month carried forward
    replace_plan(store, worker_ids, first, last, cells, summary)  # an import: the month becomes `cells`

Related: app.shifts (shift types), app.coverage (gaps, 覆盖率, one-off requirements),
app.duty (值守记录, month_actuals), app.labour (working hours, 人力测算, cover hints),
app.reports.roster_xlsx (Excel import/export).

Who served on which post when comes only from `app.staff.assignments`. A row is one
stretch of service on one post, so a worker who changes post mid-month has a row under
each post; their cells are shared (one person, one plan).
"""
from __future__ import annotations

import calendar as _cal
import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from app.staff import worker_names
from app.contract import Contract, Post, active_contract
from app.errors import ValidationError
from app.shifts import REST_CODE, ShiftType, clock_text, format_range, list_shift_types, parse_time_range, span_minutes
from app.staff import Assignment, HoursScheme, assignments
from app.store.store import Store
from app.workcalendar import CalendarDay, WorkCalendar, load_calendar

MAX_SHIFTS_PER_DAY = 2
DAY = 24 * 60
# Problems listed in one message before "……等 N 处"
MESSAGE_PROBLEMS = 5


@dataclass(frozen=True)
class PlannedShift:
    """One planned shift (or the 休 mark) with its own times, as planned."""
    code: str  # the type's code; "" for a time range that matches no type
    start: int | None  # minutes after midnight of the cell's day; None for 休
    end: int | None  # 1..1440; at or before start = the next day
    break_minutes: int = 0
    type_id: int | None = None

    @property
    def is_rest(self) -> bool:
        return self.start is None

    @property
    def duration(self) -> int:
        return 0 if self.start is None or self.end is None else span_minutes(self.start, self.end)

    @property
    def paid_minutes(self) -> int:
        return max(0, self.duration - self.break_minutes)

    @property
    def crosses_midnight(self) -> bool:
        return self.start is not None and self.end is not None and self.end <= self.start

    @property
    def label(self) -> str:
        """What the cell shows and the export writes: the code, else the time range."""
        if self.code:
            return self.code
        assert self.start is not None and self.end is not None
        return format_range(self.start, self.end)

    def interval(self, day: dt.date) -> tuple[int, int]:
        """Absolute minutes (day ordinal × 1440 + minute): comparable across days."""
        assert self.start is not None
        base = day.toordinal() * DAY
        return base + self.start, base + self.start + self.duration

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code or None, "label": self.label,
                "start": None if self.start is None else clock_text(self.start),
                "end": None if self.end is None else clock_text(self.end),
                "hours": self.paid_minutes / 60}


def shift_of_type(shift_type: ShiftType) -> PlannedShift:
    return PlannedShift(shift_type.code, shift_type.start, shift_type.end, shift_type.break_minutes, shift_type.id)


def cell_label(shifts: Sequence[PlannedShift]) -> str:
    """The text of a cell: 早, 早/中, 08:00-15:00, or "" for no entry."""
    return "/".join(s.label for s in shifts)


class EntryError(ValueError):
    """An entry that is neither a shift code nor a readable time range (message in Chinese)."""


def parse_entry(text: str, types: dict[str, ShiftType]) -> PlannedShift:
    """A shift code (or a type's full name, 早班), or a time range; a range equal to a type's
    times takes that type (and its break), any other counts in full."""
    text = unicodedata.normalize("NFKC", text).strip()
    if text in types:
        return shift_of_type(types[text])
    named = [t for t in types.values() if t.name == text]  # 早班 for 早: vendors write either
    if len(named) == 1:
        return shift_of_type(named[0])
    times = parse_time_range(text)
    if times is None:
        if any(ch.isdigit() for ch in text):
            raise EntryError(f"时间“{_short(text)}”无法识别（应写成 08:00-16:00 或 16:00-次日08:00）")
        raise EntryError(f"“{_short(text)}”不是班次代码（可用：{'、'.join(types)}）")
    start, end = times
    for shift_type in types.values():
        if (shift_type.start, shift_type.end) == (start, end):
            return shift_of_type(shift_type)
    return PlannedShift("", start, end, 0, None)


def parse_cell_text(text: Any) -> list[str]:
    """The entries of a cell as typed, pasted or read from Excel: "早/中", "早\\n中",
    "08:00-16:00"; blank → []. A blank cell and 休 are both no shift; 休 is kept as the
    vendor's explicit rest-day mark."""
    if text is None:
        return []
    text = unicodedata.normalize("NFKC", str(text)).strip()
    if not text:
        return []
    parts = [p.strip() for p in text.replace("\r", "\n").replace("、", "/").replace("\n", "/").split("/")]
    return [p for p in parts if p]


def _short(text: str, limit: int = 20) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= limit else text[:limit] + "…"


def day_text(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


# --- reading -------------------------------------------------------------------------------

def _clock(text: str | None) -> int | None:
    if not text:
        return None
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def planned_shifts(store: Store, first: dt.date, last: dt.date) -> dict[int, dict[dt.date, tuple[PlannedShift, ...]]]:
    """Every planned cell from first to last (inclusive): worker id → day → shifts."""
    codes = {t.id: t.code for t in list_shift_types(store)}
    found: dict[int, dict[dt.date, list[PlannedShift]]] = {}
    # A month of 100 workers is ~3,000 rows of a few dozen distinct shifts and 31 dates:
    # each distinct value is parsed once (the grid and the coverage engine read this often).
    shifts: dict[tuple[Any, ...], PlannedShift] = {}
    dates: dict[int, dt.date] = {}
    current_id, current = None, {}  # rows come worker by worker
    # Times and dates come back as numbers (no text decoding for thousands of rows).
    for worker_id, ordinal, type_id, start, end, break_minutes in store.db.execute(
            "SELECT worker_id, CAST(julianday(date) - 1721424.5 AS INTEGER), shift_type_id, "
            "CAST(substr(start_time, 1, 2) AS INTEGER) * 60 + CAST(substr(start_time, 4, 2) AS INTEGER), "
            "CAST(substr(end_time, 1, 2) AS INTEGER) * 60 + CAST(substr(end_time, 4, 2) AS INTEGER), "
            "break_minutes FROM roster_shifts WHERE date BETWEEN ? AND ? ORDER BY worker_id, date, seq",
            [first.isoformat(), last.isoformat()]):
        key = (type_id, start, end, break_minutes)
        shift = shifts.get(key)
        if shift is None:
            shift = shifts[key] = PlannedShift(codes.get(type_id, "") if type_id else "", start, end,
                                               break_minutes or 0, type_id)
        day = dates.get(ordinal)
        if day is None:
            day = dates[ordinal] = dt.date.fromordinal(ordinal)
        if worker_id != current_id:
            current_id, current = worker_id, found.setdefault(worker_id, {})
        cell = current.get(day)
        if cell is None:
            current[day] = [shift]
        else:
            cell.append(shift)
    return {w: {d: tuple(s) for d, s in days.items()} for w, days in found.items()}


@dataclass(frozen=True)
class RosterRow:
    worker_id: int
    name: str
    post_code: str
    hours_scheme: HoursScheme
    start: dt.date  # this stretch of service
    end: dt.date | None
    cells: tuple[tuple[PlannedShift, ...], ...]  # index = day - 1
    serves: tuple[bool, ...]

    def planned_minutes(self) -> int:
        return sum(s.paid_minutes for cell in self.cells for s in cell)


@dataclass(frozen=True)
class PostGroup:
    post: Post
    rows: tuple[RosterRow, ...]


@dataclass(frozen=True)
class MonthRoster:
    year: int
    month: int
    days: tuple[CalendarDay, ...]
    groups: tuple[PostGroup, ...]
    shift_types: tuple[ShiftType, ...]
    contract: Contract = field(repr=False)

    @property
    def first(self) -> dt.date:
        return self.days[0].date

    @property
    def last(self) -> dt.date:
        return self.days[-1].date

    def rows(self) -> list[RosterRow]:
        return [row for group in self.groups for row in group.rows]

    def as_json(self) -> dict[str, Any]:
        return {
            "month": f"{self.year:04d}-{self.month:02d}",
            "days": [{**d.as_json(), "weekday": d.weekday_label} for d in self.days],
            "shift_types": [t.as_json() for t in self.shift_types],
            "posts": [
                {"post": g.post.name, "post_code": g.post.code, "workers": [
                    {"worker_id": r.worker_id, "name": r.name, "hours_scheme": r.hours_scheme.label,
                     "hours": r.planned_minutes() / 60,
                     "cells": {self.days[i].date.isoformat(): cell_label(c) for i, c in enumerate(r.cells) if c}}
                    for r in g.rows]}
                for g in self.groups
            ],
        }


def month_days(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, _cal.monthrange(year, month)[1])


def month_roster(store: Store, year: int, month: int, *, calendar: WorkCalendar | None = None) -> MonthRoster:
    """Everything the month grid shows, in one call (a few queries)."""
    first, last = month_days(year, month)
    contract = active_contract(store)
    calendar = calendar or load_calendar(store)
    days = tuple(calendar.days(first, last))
    plan = planned_shifts(store, first, last)
    stretches = assignments(store, first, last, contract)
    groups = []
    for post in contract.posts:
        rows = []
        for a in stretches:
            if a.post_id != post.id:
                continue
            cells_of = plan.get(a.worker_id, {})
            rows.append(RosterRow(
                a.worker_id, a.worker_name, post.code, a.hours_scheme, a.start, a.end,
                tuple(cells_of.get(d.date, ()) if a.covers(d.date) else () for d in days),
                tuple(a.covers(d.date) and contract.covers(d.date) for d in days)))
        groups.append(PostGroup(post, tuple(rows)))
    return MonthRoster(year, month, days, tuple(groups), tuple(list_shift_types(store)), contract)


# --- writing ---------------------------------------------------------------------------------

Entry = "str | PlannedShift"
CellEdit = tuple[int, dt.date, Sequence[Any]]  # (worker id, day, entries)


@dataclass(frozen=True)
class CellProblem:
    worker_id: int
    day: dt.date
    message: str  # Chinese, naming the worker and the day


class RosterRefused(ValidationError):
    """Edits refused as a whole; nothing was written. `problems` lists each cell's reason."""

    def __init__(self, problems: list[CellProblem]):
        shown = "；".join(p.message for p in problems[:MESSAGE_PROBLEMS])
        more = f"……等 {len(problems)} 处" if len(problems) > MESSAGE_PROBLEMS else ""
        super().__init__(f"排班没有保存：{shown}{more}。", "roster")
        self.problems = problems


@dataclass(frozen=True)
class CellChange:
    worker_id: int
    day: dt.date
    before: tuple[PlannedShift, ...]
    after: tuple[PlannedShift, ...]


def _resolve(entries: Sequence[Any], types: dict[str, ShiftType]) -> tuple[PlannedShift, ...]:
    shifts = []
    for entry in entries:
        if isinstance(entry, PlannedShift):
            shifts.append(entry)
        else:
            for text in parse_cell_text(entry):
                shifts.append(parse_entry(text, types))
    if len(shifts) > MAX_SHIFTS_PER_DAY:
        raise EntryError(f"一天最多两个班次，这里有 {len(shifts)} 个")
    if any(s.is_rest for s in shifts) and len(shifts) > 1:
        raise EntryError(f"“{REST_CODE}”不能与其他班次写在同一天")
    return tuple(shifts)


def overlaps(cells: dict[dt.date, tuple[PlannedShift, ...]]) -> list[tuple[dt.date, dt.date]]:
    """Pairs of days (same day twice for two shifts in one cell) whose shifts overlap in
    time: the same person in two places at once."""
    intervals = sorted((s.interval(day), day) for day, shifts in cells.items() for s in shifts if not s.is_rest)
    found = []
    for (a, day_a), (b, day_b) in zip(intervals, intervals[1:]):
        if b[0] < a[1]:
            found.append((day_a, day_b))
    return found


def check_edits(store: Store, edits: Iterable[CellEdit], *,
                types: dict[str, ShiftType] | None = None) -> tuple[list[tuple[int, dt.date, tuple[PlannedShift, ...]]],
                                                                   list[CellProblem]]:
    """Resolve and check a batch of edits against each other and what is stored.
    Returns the resolved edits (the last edit of a cell wins) and every problem found."""
    edits = list(edits)
    types = types if types is not None else {t.code: t for t in list_shift_types(store)}
    problems: list[CellProblem] = []
    if not edits:
        return [], problems
    days = [e[1] for e in edits]
    first, last = min(days), max(days)
    contract = active_contract(store)
    stretches: dict[int, list[Assignment]] = {}
    for a in assignments(store, first, last, contract):
        stretches.setdefault(a.worker_id, []).append(a)
    names = worker_names(store)
    resolved: dict[tuple[int, dt.date], tuple[PlannedShift, ...]] = {}
    for worker_id, day, entries in edits:
        name = names.get(worker_id)
        if name is None:
            problems.append(CellProblem(worker_id, day, f"找不到编号为 {worker_id} 的服务人员"))
            continue
        where = f"{name} {day_text(day)}"
        try:
            shifts = _resolve(entries, types)
        except EntryError as err:
            problems.append(CellProblem(worker_id, day, f"{where}：{err}"))
            continue
        if shifts and not contract.covers(day):
            problems.append(CellProblem(worker_id, day, f"{where}：不在合同服务期限内"))
            continue
        if shifts and not any(a.covers(day) for a in stretches.get(worker_id, ())):
            problems.append(CellProblem(worker_id, day, f"{where}：不在此人的服务期内（到岗至离场之外），不能排班"))
            continue
        resolved[(worker_id, day)] = shifts
    # Double-booking: each edited worker's plan around the edited days, edits applied.
    by_worker: dict[int, set[dt.date]] = {}
    for worker_id, day in resolved:
        by_worker.setdefault(worker_id, set()).add(day)
    if by_worker:
        stored = planned_shifts(store, first - dt.timedelta(days=1), last + dt.timedelta(days=1))
        for worker_id, edited in by_worker.items():
            cells = dict(stored.get(worker_id, {}))
            cells.update({d: resolved[(worker_id, d)] for d in edited})
            reported = set()
            for day_a, day_b in overlaps(cells):
                day = day_b if day_b in edited else day_a
                if (day_a in edited or day_b in edited) and day not in reported:
                    reported.add(day)
                    other = "同一天的两个班次" if day_a == day_b else f"与{day_text(day_a if day == day_b else day_b)}的班次"
                    problems.append(CellProblem(worker_id, day, f"{names[worker_id]} {day_text(day)}：{other}时间重叠"
                                                "（同一人不能同时在两处）"))
    return [(w, d, s) for (w, d), s in resolved.items()], problems


def set_cells(store: Store, edits: Iterable[CellEdit], summary: str | None = None) -> list[CellChange]:
    """Write a batch of cells as one audited action, or refuse all of it (RosterRefused)."""
    resolved, problems = check_edits(store, edits)
    if problems:
        raise RosterRefused(problems)
    if not resolved:
        return []
    first = min(d for _, d, _ in resolved)
    last = max(d for _, d, _ in resolved)
    before = planned_shifts(store, first, last)
    changes = [CellChange(w, d, before.get(w, {}).get(d, ()), s) for w, d, s in resolved]
    changes = [c for c in changes if c.before != c.after]
    if not changes:
        return []
    if summary is None:
        summary = (f"修改乙方排班：{first.isoformat()}" if len(changes) == 1
                   else f"修改乙方排班：{len(changes)} 格（{first.isoformat()} 至 {last.isoformat()}）")
    with store.action(summary) as act:
        _write(store, act, changes)
    return changes


def _record(worker_id: int, day: dt.date, seq: int, shift: PlannedShift) -> dict[str, Any]:
    return {"worker_id": worker_id, "date": day.isoformat(), "seq": seq, "shift_type_id": shift.type_id,
            "start_time": None if shift.start is None else clock_text(shift.start),
            "end_time": None if shift.end is None else clock_text(shift.end),
            "break_minutes": shift.break_minutes}


def _write(store: Store, act: Any, changes: Sequence[CellChange]) -> None:
    existing: dict[tuple[int, str], dict[int, int]] = {}
    if any(c.before for c in changes):
        first = min(c.day for c in changes).isoformat()
        last = max(c.day for c in changes).isoformat()
        for row_id, worker_id, date, seq in store.db.execute(
                "SELECT id, worker_id, date, seq FROM roster_shifts WHERE date BETWEEN ? AND ?", [first, last]):
            existing.setdefault((worker_id, date), {})[seq] = row_id
    inserts = []
    for change in changes:
        mine = existing.get((change.worker_id, change.day.isoformat()), {})
        for seq in range(1, MAX_SHIFTS_PER_DAY + 1):
            new = change.after[seq - 1] if seq <= len(change.after) else None
            if new is None and seq in mine:
                act.delete("roster_shifts", mine[seq])
            elif new is not None and seq in mine:
                act.update("roster_shifts", mine[seq], _record(change.worker_id, change.day, seq, new))
            elif new is not None:
                inserts.append(_record(change.worker_id, change.day, seq, new))
    act.insert_many("roster_shifts", inserts)


def replace_plan(store: Store, worker_ids: Iterable[int], first: dt.date, last: dt.date,
                 cells: Iterable[CellEdit], summary: str, *, days: Iterable[dt.date] | None = None) -> list[CellChange]:
    """The plan of these workers for first..last becomes exactly `cells` (an import):
    cells not given are cleared — only on `days` when given (the days the file has a column
    for). One audited action, validated as a whole first."""
    wanted = {(w, d): entries for w, d, entries in cells}
    stored = planned_shifts(store, first, last)
    only = set(days) if days is not None else None
    edits: list[CellEdit] = [(w, d, e) for (w, d), e in wanted.items()]
    for worker_id in set(worker_ids):
        for day in stored.get(worker_id, {}):
            if (worker_id, day) not in wanted and (only is None or day in only):
                edits.append((worker_id, day, []))
    return set_cells(store, edits, summary)


# --- paste and rotation (the grid's batch edits, checked here) --------------------------------

def parse_tsv(text: str) -> list[list[str]]:
    """Cells copied from Excel or WPS: tab-separated, a quoted cell may hold a line break."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    return list(csv.reader(io.StringIO(text), delimiter="\t", quotechar='"'))


def paste_edits(roster: MonthRoster, worker_ids: Sequence[int], first_day: dt.date,
                block: Sequence[Sequence[str]]) -> list[CellEdit]:
    """A block pasted at (worker_ids[0], first_day): row i goes to worker_ids[i]. Refused if it
    runs past the month's end or below the last row."""
    width = max((len(r) for r in block), default=0)
    last_day = first_day + dt.timedelta(days=width - 1)
    if width and last_day > roster.last:
        raise ValidationError(
            f"粘贴的内容有 {width} 列，从{day_text(first_day)}起会超出本月最后一天（{day_text(roster.last)}），"
            "没有粘贴。请少选几列或从更早的日期开始。", "paste")
    if len(block) > len(worker_ids):
        raise ValidationError(f"粘贴的内容有 {len(block)} 行，超出了下面的服务人员行数，没有粘贴。", "paste")
    return [(worker_ids[i], first_day + dt.timedelta(days=j), [value])
            for i, row in enumerate(block) for j, value in enumerate(row)]


def parse_rotation(pattern: str, types: dict[str, ShiftType]) -> list[str]:
    """早早中中夜夜休休 → ["早", "早", …]; codes may also be separated by spaces or commas."""
    text = unicodedata.normalize("NFKC", pattern).strip()
    if not text:
        raise ValidationError("请填写轮班规律，例如 早早中中夜夜休休。", "rotation")
    separated = any(ch in text for ch in " ,，/、")
    parts = [p for p in text.replace("，", ",").replace("、", ",").replace("/", ",").replace(" ", ",").split(",") if p] \
        if separated else _split_codes(text, types)
    unknown = [p for p in parts if p not in types]
    if unknown:
        raise ValidationError(f"轮班规律中的“{unknown[0]}”不是班次代码（可用：{'、'.join(types)}）。", "rotation")
    return parts


def _split_codes(text: str, types: dict[str, ShiftType]) -> list[str]:
    """Greedy split of a run of codes (codes may be longer than one character)."""
    parts, i = [], 0
    codes = sorted(types, key=len, reverse=True)
    while i < len(text):
        match = next((c for c in codes if text.startswith(c, i)), None)
        if match is None:
            parts.append(text[i])
            i += 1
        else:
            parts.append(match)
            i += len(match)
    return parts


def rotation_edits(roster: MonthRoster, worker_ids: Sequence[int], first_day: dt.date, last_day: dt.date,
                   pattern: str, types: dict[str, ShiftType], *, offsets: Sequence[int] | None = None) -> list[CellEdit]:
    """Fill first_day..last_day for each worker from the rotation; worker i starts at
    position offsets[i] of the pattern (default: each the next one along, so a team of four
    on 早早中中夜夜休休 covers each other)."""
    codes = parse_rotation(pattern, types)
    if last_day < first_day or first_day < roster.first or last_day > roster.last:
        raise ValidationError("轮班的日期须在本月之内。", "rotation")
    offsets = list(offsets) if offsets is not None else [i * 2 for i in range(len(worker_ids))]
    edits: list[CellEdit] = []
    for worker_id, offset in zip(worker_ids, offsets):
        day = first_day
        while day <= last_day:
            edits.append((worker_id, day, [codes[(offset + (day - first_day).days) % len(codes)]]))
            day += dt.timedelta(days=1)
    return edits


def copy_month_edits(store: Store, year: int, month: int, *, by: str = "weekday") -> list[CellEdit]:
    """Last month's plan carried into this month, for workers serving in both: `by="weekday"`
    puts each day on the same weekday of the same week-of-month (Monday onto Monday);
    `by="rotation"` continues the day sequence (the day after last month's end follows it)."""
    first, last = month_days(year, month)
    prev_last = first - dt.timedelta(days=1)
    prev_first = prev_last.replace(day=1)
    plan = planned_shifts(store, prev_first, prev_last)
    serving = assignments(store, first, last)
    edits: list[CellEdit] = []
    for worker_id, cells in plan.items():
        day = first
        while day <= last:
            if not any(a.worker_id == worker_id and a.covers(day) for a in serving):
                day += dt.timedelta(days=1)
                continue
            if by == "weekday":
                source = day - dt.timedelta(days=28)
                while source > prev_last:
                    source -= dt.timedelta(days=7)
            else:
                # continue a cycle: find the cycle length from the repeating pattern, else 7
                source = _rotation_source(cells, day, prev_first, prev_last)
            entries = cells.get(source, ())
            if entries:
                edits.append((worker_id, day, list(entries)))
            day += dt.timedelta(days=1)
    return edits


def _rotation_source(cells: dict[dt.date, tuple[PlannedShift, ...]], day: dt.date,
                     prev_first: dt.date, prev_last: dt.date) -> dt.date:
    labels = [cell_label(cells.get(prev_first + dt.timedelta(days=i), ()))
              for i in range((prev_last - prev_first).days + 1)]
    period = next((p for p in range(2, 15) if all(labels[i] == labels[i - p] for i in range(p, len(labels)))), 7)
    source = day - dt.timedelta(days=period)
    while source > prev_last:
        source -= dt.timedelta(days=period)
    while source < prev_first:
        source += dt.timedelta(days=period)
    return source
