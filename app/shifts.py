"""Shift types (班次): the codes the vendor's roster is written in.

API (for the 排班日历 grid and the importer)::

    list_shift_types(store) -> list[ShiftType]          # in display order
    shift_types_by_code(store) -> dict[str, ShiftType]
    add_shift_type(store, data) -> int                 # data: code, name, start, end, break_minutes, colour
    update_shift_type(store, type_id, data, from_month=(2026, 11)) -> dict
    delete_shift_type(store, type_id)                  # refused while any roster cell uses it
    parse_time_range("16:00-次日8:00") -> (960, 480)    # minutes; end <= start means next morning

Times are minutes after midnight; an end at or before the start means the next day
(16:00–次日08:00 is start 960, end 480); "24:00" is the end of the day (1440). A shift type
whose start is None is a day off (休): it marks a rest day in the vendor's plan and counts no
hours. The roster keeps a snapshot of each shift's times (see app.roster), so a type whose
times are changed from a month on never changes what was planned for earlier months, and a
type in use cannot be deleted.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Mapping

from app.staff import worker_names
from app import clock
from app.errors import ValidationError
from app.store.store import Store
from app.validation import check_text

DAY = 24 * 60
REST_CODE = "休"
MAX_CODE_LENGTH = 4
MAX_BREAK_MINUTES = 4 * 60

# code, name, start, end, unpaid break (minutes), colour: the defaults that fit the posts of 四.2.
DEFAULT_SHIFT_TYPES = (
    ("早", "早班", "08:00", "16:00", 0, "#CFE8FF"),
    ("中", "中班", "16:00", "24:00", 0, "#FFE2B8"),
    ("夜", "夜班", "00:00", "08:00", 0, "#D9D2F0"),
    ("白", "白班", "08:30", "17:30", 60, "#D5F0D2"),
    ("网", "网格班", "08:00", "18:30", 0, "#C8EDE6"),
    ("节", "节假日班", "10:00", "16:30", 0, "#FAD4D8"),
    (REST_CODE, "休息", None, None, 0, "#EEEEEE"),
)


@dataclass(frozen=True)
class ShiftType:
    id: int
    code: str
    name: str
    start: int | None  # minutes after midnight; None for a day off
    end: int | None  # minutes after midnight, 1..1440; <= start means the next day
    break_minutes: int
    colour: str
    sort_order: int = 0

    @property
    def is_rest(self) -> bool:
        return self.start is None

    @property
    def crosses_midnight(self) -> bool:
        return self.start is not None and self.end is not None and self.end <= self.start

    @property
    def duration(self) -> int:
        return span_minutes(self.start, self.end) if self.start is not None and self.end is not None else 0

    @property
    def paid_minutes(self) -> int:
        return max(0, self.duration - self.break_minutes)

    def times_text(self) -> str:
        if self.start is None or self.end is None:
            return "不上班"
        return format_range(self.start, self.end)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name,
                "start": None if self.start is None else clock_text(self.start),
                "end": None if self.end is None else clock_text(self.end),
                "break_minutes": self.break_minutes, "hours": self.paid_minutes / 60, "colour": self.colour}


def span_minutes(start: int, end: int) -> int:
    """Length of start..end, where an end at or before the start is on the next day."""
    return end - start if end > start else end + DAY - start


def clock_text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_range(start: int, end: int) -> str:
    """08:00-16:00, or 16:00-次日08:00 for a shift that ends the next day."""
    if end <= start:
        return f"{clock_text(start)}-次日{clock_text(end)}"
    return f"{clock_text(start)}-{clock_text(end)}"


def parse_clock_text(text: str) -> int | None:
    """'8', '08', '8:00', '08:30', '8点', '8点30', '8时30分', '24:00' → minutes, else None."""
    text = text.strip()
    match = re.fullmatch(r"(\d{1,2})(?:[:：.点时](\d{1,2})?分?)?", text)
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        return None
    return hours * 60 + minutes


_RANGE = re.compile(r"^(.+?)\s*(?:-|~|～|—|–|－|至|到)+\s*(次日|翌日)?\s*(.+)$")


def parse_time_range(text: str) -> tuple[int, int] | None:
    """A time range as vendors write it: 08:00-16:00, 8:00～16:00, 8-16, 16:00-次日8:00,
    20:00-08:00 (until the next morning). Returns (start, end) in minutes, end in 1..1440
    and at or before the start when the range runs into the next day; None if unreadable.
    An end equal to the start (8:00-8:00) is unreadable: it is no shift at all."""
    text = unicodedata.normalize("NFKC", text).strip()
    match = _RANGE.match(text)
    if not match:
        return None
    start, end = parse_clock_text(match.group(1)), parse_clock_text(match.group(3))
    if start is None or end is None or start == DAY:
        return None
    if end == 0:
        end = DAY  # 16:00-0:00 is 16:00-24:00
    if end == start or (match.group(2) and end > start):
        return None
    return start, end


# --- reading -------------------------------------------------------------------------------

def _clock_or_none(text: str | None) -> int | None:
    if text is None or text == "":
        return None
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _type(row: Mapping[str, Any]) -> ShiftType:
    return ShiftType(row["id"], row["code"], row["name"], _clock_or_none(row["start_time"]),
                     _clock_or_none(row["end_time"]), row["break_minutes"] or 0, row["colour"] or "",
                     row["sort_order"] or 0)


def list_shift_types(store: Store) -> list[ShiftType]:
    return [_type(r) for r in store.db.query("SELECT * FROM shift_types ORDER BY sort_order, id")]


def shift_types_by_code(store: Store) -> dict[str, ShiftType]:
    return {t.code: t for t in list_shift_types(store)}


def get_shift_type(store: Store, type_id: int) -> ShiftType:
    row = next(store.db.query("SELECT * FROM shift_types WHERE id = ?", [type_id]), None)
    if row is None:
        raise ValidationError("找不到这个班次，可能已被删除。请刷新后重试。")
    return _type(row)


# --- validating and writing ------------------------------------------------------------------

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def validate_shift_type(store: Store, data: Mapping[str, Any], type_id: int | None = None) -> dict[str, Any]:
    """The record to store, or ValidationError naming the field."""
    code = unicodedata.normalize("NFKC", check_text(data.get("code"), "班次代码", MAX_CODE_LENGTH, "code",
                                                     required=True))
    if re.search(r"[\s/,，;；\d:：\-~～]", code):
        raise ValidationError("班次代码不能含空格、数字、斜杠或时间符号（这些用来写时间段和两个班次）。", "code")
    name = check_text(data.get("name"), "班次名称", 20, "name", required=True)
    start_text = str(data.get("start") or "").strip()
    end_text = str(data.get("end") or "").strip()
    if not start_text and not end_text:
        start = end = None
    else:
        start = parse_clock_text(start_text)
        end = parse_clock_text(end_text)
        if start is None or start == DAY:
            raise ValidationError(f"开始时间“{start_text}”格式不对，应为 时:分，例如 08:00。", "start")
        if end is None:
            raise ValidationError(f"结束时间“{end_text}”格式不对，应为 时:分，例如 16:00 或 24:00。", "end")
        if end == 0:
            end = DAY
        if end == start:
            raise ValidationError("结束时间不能与开始时间相同（跨夜的班次请写次日的结束时间，例如 16:00 至 08:00）。", "end")
    try:
        break_minutes = int(data.get("break_minutes") or 0)
    except (TypeError, ValueError):
        raise ValidationError("休息时间应为分钟数，例如 60。", "break_minutes") from None
    duration = span_minutes(start, end) if start is not None and end is not None else 0
    if break_minutes < 0 or break_minutes > MAX_BREAK_MINUTES or (duration and break_minutes >= duration):
        raise ValidationError("休息时间应在 0 分钟到班次时长之间。", "break_minutes")
    colour = str(data.get("colour") or "#FFFFFF").strip()
    if not _COLOUR.match(colour):
        raise ValidationError(f"颜色“{colour}”格式不对，应为 #RRGGBB。", "colour")
    clash = store.db.execute("SELECT id FROM shift_types WHERE code = ? AND id IS NOT ?", [code, type_id]).fetchone()
    if clash:
        raise ValidationError(f"班次代码“{code}”已经有了，请换一个。", "code")
    return {"code": code, "name": name, "start_time": None if start is None else clock_text(start),
            "end_time": None if end is None else clock_text(end), "break_minutes": break_minutes,
            "colour": colour.upper()}


def add_shift_type(store: Store, data: Mapping[str, Any]) -> int:
    record = validate_shift_type(store, data)
    order = store.db.execute("SELECT COALESCE(MAX(sort_order), 0) + 1 FROM shift_types").fetchone()[0]
    with store.action(f"新增班次：{record['code']}") as act:
        return int(act.insert("shift_types", {**record, "sort_order": order}))


def uses_of(store: Store, type_id: int) -> tuple[int, str | None, str | None]:
    """How many roster cells use the type, and the first and last date."""
    count, first, last = store.db.execute(
        "SELECT COUNT(*), MIN(date), MAX(date) FROM roster_shifts WHERE shift_type_id = ?", [type_id]).fetchone()
    return count, first, last


def update_shift_type(store: Store, type_id: int, data: Mapping[str, Any], *,
                      from_month: tuple[int, int] | None = None) -> dict[str, list[Any]]:
    """Change a type. Code, name and colour change everywhere (they are how it is shown).
    New times for a type already in the roster apply from `from_month` on — never to a month
    before the current one — and the shifts already planned from then on take them, in the
    same audited action; earlier months keep the times they were planned with."""
    old = get_shift_type(store, type_id)
    record = validate_shift_type(store, data, type_id)
    times_change = (record["start_time"], record["end_time"], record["break_minutes"]) != (
        None if old.start is None else clock_text(old.start), None if old.end is None else clock_text(old.end),
        old.break_minutes)
    count, _, last = uses_of(store, type_id)
    first_day: str | None = None
    if times_change and count:
        if (old.start is None) != (record["start_time"] is None):
            raise ValidationError(f"班次“{old.code}”已在排班中使用，不能在“休息”和上班班次之间改变。", "start")
        if from_month is None:
            raise ValidationError(
                f"班次“{old.code}”已在排班中使用（最后一天 {last}）。修改时间须指定从哪个月起生效，"
                "之前月份的排班保持原来的时间。", "start")
        today = clock.today()
        if from_month < (today.year, today.month):
            raise ValidationError(f"不能修改过去月份的班次时间：最早从 {today.year} 年 {today.month} 月起生效。", "start")
        first_day = dt.date(from_month[0], from_month[1], 1).isoformat()
    with store.action(f"修改班次：{record['code']}") as act:
        diff = act.update("shift_types", type_id, record)
        if first_day is not None:
            affected = list(store.db.query(
                "SELECT id, worker_id, date FROM roster_shifts WHERE shift_type_id = ? AND date >= ?",
                [type_id, first_day]))
            for row in affected:
                act.update("roster_shifts", row["id"], {"start_time": record["start_time"],
                                                        "end_time": record["end_time"],
                                                        "break_minutes": record["break_minutes"]})
            _refuse_new_overlaps(store, record["code"], affected)  # raising rolls the whole change back
    return diff


def _refuse_new_overlaps(store: Store, code: str, affected: list[dict[str, Any]]) -> None:
    """New times must not put anybody in two places at once on a day already planned."""
    from app.roster import day_text, overlaps, planned_shifts

    if not affected:
        return
    first = dt.date.fromisoformat(min(r["date"] for r in affected)) - dt.timedelta(days=1)
    last = dt.date.fromisoformat(max(r["date"] for r in affected)) + dt.timedelta(days=1)
    plan = planned_shifts(store, first, last)
    names = worker_names(store)
    for worker_id in sorted({r["worker_id"] for r in affected}):
        clash = overlaps(plan.get(worker_id, {}))
        if clash:
            raise ValidationError(f"按新的时间，{names.get(worker_id, '')} {day_text(clash[0][1])}的班次会与"
                                  f"{day_text(clash[0][0])}的班次重叠（同一人不能同时在两处），班次“{code}”没有修改。",
                                  "end")


def delete_shift_type(store: Store, type_id: int) -> None:
    shift_type = get_shift_type(store, type_id)
    count, first, last = uses_of(store, type_id)
    if count:
        raise ValidationError(f"班次“{shift_type.code}”已在排班中使用 {count} 次（{first} 至 {last}），不能删除。")
    with store.action(f"删除班次：{shift_type.code}") as act:
        act.delete("shift_types", type_id)

