"""The Chinese working calendar: which days are 工作日 and which are 节假日.

The State Council announces each year's schedule in November of the year before:
statutory holidays, the weekdays given off to bridge them, and the weekend days worked
instead (调休上班). `holidays.China` knows the published years; the clerk's overrides,
kept in the database, correct or extend it (a new year before the package knows it).
"""
from __future__ import annotations

import calendar as _cal
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Iterator, Mapping


from app.errors import ValidationError
from app.validation import check_text

if TYPE_CHECKING:
    from app.store.store import Store


class DayKind(StrEnum):
    WORKDAY = "workday"
    RESTDAY = "restday"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def is_working(self) -> bool:
        return self in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)

    @classmethod
    def parse(cls, text: str) -> "DayKind":
        """Accept the code (`makeup_workday`) or the Chinese label (调休上班日)."""
        for kind in cls:
            if text in (kind.value, kind.label):
                return kind
        raise ValidationError(f"“{text}”不是日期类型，应为：" + "、".join(k.label for k in cls) + "。", "kind")


_LABELS = {
    DayKind.WORKDAY: "工作日",
    DayKind.RESTDAY: "休息日",
    DayKind.HOLIDAY: "法定节假日",
    DayKind.MAKEUP_WORKDAY: "调休上班日",
}
WEEKDAYS = "一二三四五六日"
# How `holidays.China` names a weekday given off in exchange for a make-up working day.
SWAPPED_PREFIX = "休息日"


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    kind: DayKind
    name: str = ""
    overridden: bool = False

    @property
    def is_working(self) -> bool:
        return self.kind.is_working

    @property
    def weekday_label(self) -> str:
        return "星期" + WEEKDAYS[self.date.weekday()]

    @property
    def short_name(self) -> str:
        """What fits under a day number on the grid and the printed roster: 班 on a make-up
        working day, the holiday's short name (国庆, 中秋, 除夕), 休 for a rest day inside a
        break; empty on an ordinary day."""
        if self.kind is DayKind.MAKEUP_WORKDAY:
            return "班"
        if self.kind is DayKind.HOLIDAY:
            name = self.name.split("（")[0]
            if len(name) > 2 and name.endswith("节"):
                name = name[:-1]
            return name[-2:]
        if self.kind is DayKind.RESTDAY and self.name:
            return "休"
        return ""

    def as_json(self) -> dict[str, str]:
        return {"date": self.date.isoformat(), "kind": self.kind.value, "name": self.name}


@dataclass(frozen=True)
class Override:
    """The clerk's correction of one day: its kind and, for a holiday, its name."""
    date: dt.date
    kind: DayKind
    name: str = ""


class WorkCalendar:
    """The kind of every date, from `holidays.China` corrected by the clerk's overrides."""

    def __init__(self, overrides: Mapping[dt.date, Override] | None = None):
        # Imported here, not at the top: the package loads every country it knows (~100 ms),
        # and the window paints before it first asks what kind of day it is.
        import holidays

        self._overrides = dict(overrides or {})
        self._china = holidays.country_holidays("CN", language="zh_CN")

    def day(self, date: dt.date) -> CalendarDay:
        override = self._overrides.get(date)
        if override is not None:
            return CalendarDay(date, override.kind, override.name or override.kind.label, True)
        return self._published_day(date)

    def _published_day(self, date: dt.date) -> CalendarDay:
        name = self._china.get(date)  # first: the lookup loads the year's data, 调休 included
        if date in self._china.weekend_workdays:
            return CalendarDay(date, DayKind.MAKEUP_WORKDAY, "调休上班")
        if name and not name.startswith(SWAPPED_PREFIX):
            return CalendarDay(date, DayKind.HOLIDAY, name)
        if name or date.weekday() >= 5:
            # A day off that is not a statutory holiday: a weekday given off in exchange
            # for a make-up day, or a weekend. Inside a festival's break it carries the
            # break's name; labour law treats it as a rest day, not a statutory holiday.
            festival = self._festival_around(date)
            if festival:
                return CalendarDay(date, DayKind.RESTDAY, f"{festival}假期" + ("（调休）" if name else ""))
            return CalendarDay(date, DayKind.RESTDAY, "调休" if name else "")
        return CalendarDay(date, DayKind.WORKDAY)

    def _festival_around(self, date: dt.date) -> str:
        """The festival whose break (a run of days off) contains this day, or "".

        The State Council announces a break as one run (2月15–23日 春节); the package
        names only its statutory days. The break is named after the festival most of
        those days belong to (春节, not 农历除夕), without a 补假 suffix.
        """
        names: list[str] = []
        for step in (-1, 1):
            current = date + dt.timedelta(days=step)
            while current not in self._china.weekend_workdays:
                name = self._china.get(current)
                if name and not name.startswith(SWAPPED_PREFIX):
                    names.append(name.split("（")[0])
                elif not name and current.weekday() < 5:
                    break
                current += dt.timedelta(days=step)
        if not names:
            return ""
        return max(dict.fromkeys(names), key=names.count)  # ties: the first met

    def kind(self, date: dt.date) -> DayKind:
        return self.day(date).kind

    def is_working_day(self, date: dt.date) -> bool:
        return self.day(date).is_working

    def days(self, start: dt.date, end: dt.date) -> Iterator[CalendarDay]:
        """Every day from start to end, both included."""
        current = start
        while current <= end:
            yield self.day(current)
            current += dt.timedelta(days=1)

    def month(self, year: int, month: int) -> list[CalendarDay]:
        last = _cal.monthrange(year, month)[1]
        return list(self.days(dt.date(year, month, 1), dt.date(year, month, last)))

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The Nth working day after `start` (before it for negative N); N=0 is `start`."""
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        current = start
        while remaining:
            current += dt.timedelta(days=step)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days from start to end, both included."""
        return sum(1 for day in self.days(start, end) if day.is_working)

    def knows_year(self, year: int) -> bool:
        """Whether the package carries that year's published schedule (its 调休 days).

        A year without any makeup working day has not been published in this build of
        `holidays`: its statutory days are estimated and bridge days are missing, so the
        clerk should enter the State Council's notice as overrides.
        """
        _ = dt.date(year, 1, 1) in self._china  # expands the package's data to that year
        return any(d.year == year for d in self._china.weekend_workdays) or any(
            o.year == year for o in self._overrides
        )


# --- the clerk's overrides, kept in the data file ---------------------------------------

def load_overrides(store: "Store") -> dict[dt.date, Override]:
    return {
        dt.date.fromisoformat(row["date"]): Override(
            dt.date.fromisoformat(row["date"]), DayKind(row["kind"]), row["name"] or ""
        )
        for row in store.db["calendar_overrides"].rows
    }


def load_calendar(store: "Store") -> WorkCalendar:
    return WorkCalendar(load_overrides(store))


def override_years(store: "Store") -> tuple[int, int]:
    """The years a calendar correction may fall in: those of the contracts' service periods,
    and the next (the State Council's notice for it comes out in the last weeks of the year)."""
    from app.contract import service_years  # contract reads the calendar; import when used

    years = service_years(store)
    if years is None:
        year = dt.date.today().year
        return year, year + 1
    return years[0], years[1] + 1


def set_override(store: "Store", date: dt.date, kind: DayKind, name: str = "", note: str = "") -> None:
    """Record the clerk's correction of one day (one audited action)."""
    if not isinstance(date, dt.date):
        raise ValidationError("请选择日期。", "date")
    first, last = override_years(store)
    if not first <= date.year <= last:
        raise ValidationError(
            f"{date.year} 年不在合同的年份内：只能更正 {first} 至 {last} 年的日期"
            "（合同服务期限所在的年份和下一年）。请检查年份是否输错。", "date")
    name, note = check_text(name, "名称", 40, "name"), check_text(note, "备注", 500, "note", multiline=True)
    with store.action(f"修改工作日历：{date.isoformat()}") as act:
        record = {"date": date.isoformat(), "kind": kind.value, "name": name.strip(), "note": note.strip()}
        if store.db["calendar_overrides"].count_where("date = ?", [record["date"]]):
            act.update("calendar_overrides", record["date"], record)
        else:
            act.insert("calendar_overrides", record, pk="date")


def clear_override(store: "Store", date: dt.date) -> None:
    with store.action(f"恢复工作日历：{date.isoformat()}") as act:
        if store.db["calendar_overrides"].count_where("date = ?", [date.isoformat()]):
            act.delete("calendar_overrides", date.isoformat())
