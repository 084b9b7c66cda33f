"""The vendor's month roster (乙方排班表) as Excel: import with a preview, export in the same
layout so that a round trip through Excel loses nothing.

The layout vendors send: a title row or two ("2026年10月盯守人员排班表"), a header row with
姓名 (序号, 岗位, 工号 may be there) and one column per day headed by the day number (1…31,
"1日", or a date cell), often a row of weekdays under it, one row per worker, notes below.
A cell holds a shift code, a time range (08:00-16:00, 8-16, 16:00-次日8:00, 20:00-08:00),
休 or blank, or two shifts separated by "/" or a line break.

    preview = preview_import(store, path, month=(2026, 10), progress=p)   # reads, writes nothing
    preview.problems     # every cell or row that cannot be read, named by row and day
    apply_import(store, preview)   # refused while there are problems; else one audited action
                                   # replacing the month's plan of the workers in the file
    export_roster(store, 2026, 10, path)

The file is read through `app.reports.workbook` (untrusted files: bounded memory, damaged
or encrypted files refused in one sentence, visible sheets only, formulas without values).
"""
from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from app.contract import active_contract
from app.errors import ValidationError
from app.reports.workbook import (Header, ReadProgress, Row, UnreadableCell, append_row, find_header, save_workbook,
                                  open_workbook)
from app.roster import (CellEdit, EntryError, MonthRoster, _resolve, cell_label, check_edits, month_roster,
                        parse_cell_text, replace_plan)
from app.shifts import ShiftType, list_shift_types
from app.staff import assignments, clean_name
from app.store.store import Store
from app.workcalendar import WEEKDAYS

TITLE = "乙方排班表"
NOTE_PREFIXES = ("注", "备注", "说明", "制表", "审核", "签字", "负责人", "乙方", "甲方", "合计", "填表", "核验")
_MONTH_IN_TITLE = re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月")
_DATE_HEADER = re.compile(r"^(20\d\d)[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_DAY_HEADER = re.compile(r"^(?:(\d{1,2})[月/.-])?(\d{1,2})(?:日|号)?$")
_WEEKDAY = re.compile(r"^(?:星期|周|礼拜)?[一二三四五六日天]$")


def classify(text: str) -> str | None:
    """What a header text stands for: name, post, number, seq, or day:N / date:YYYY-MM-DD."""
    text = unicodedata.normalize("NFKC", text)
    if text in ("姓名", "服务人员", "人员姓名", "名字"):
        return "name"
    if text in ("岗位", "岗位名称", "所在岗位"):
        return "post"
    if text in ("工号", "编号", "员工号"):  # the vendor's own header, read but never written or shown
        return "number"
    if text in ("序号", "No.", "NO", "No"):
        return "seq"
    date = _DATE_HEADER.match(text)
    if date:
        try:
            return "date:" + dt.date(int(date[1]), int(date[2]), int(date[3])).isoformat()
        except ValueError:
            return None
    day = _DAY_HEADER.match(text)
    if day and 1 <= int(day[2]) <= 31 and (day[1] is None or 1 <= int(day[1]) <= 12):
        return f"day:{int(day[2])}" if day[1] is None else f"mday:{int(day[1])}:{int(day[2])}"
    return None


@dataclass
class PreviewRow:
    line: int  # the Excel row
    name: str
    worker_id: int | None
    cells: dict[int, list[str]]  # day of month → entries as written
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class RosterPreview:
    path: Path
    sheet: str
    year: int
    month: int
    header_line: int
    rows: list[PreviewRow]
    edits: list[CellEdit]
    days: list[int] = field(default_factory=list)  # the days the file has a column for

    @property
    def problems(self) -> list[str]:
        return [f"第 {r.line} 行（{r.name}）：{p}" for r in self.rows for p in r.problems]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def worker_ids(self) -> list[int]:
        return [r.worker_id for r in self.rows if r.worker_id is not None]

    def summary(self) -> str:
        shifts = sum(1 for _, _, entries in self.edits for _ in entries)
        text = f"{self.year} 年 {self.month} 月，{len(self.rows)} 人，{shifts} 个班次（含休）"
        if self.problems:
            text += f"；有 {len(self.problems)} 处问题，改好后才能导入"
        return text + "。"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _excel_time(value: Any) -> Any:
    """Excel keeps a typed 8:00 as a time: show it as text for the error message."""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value


def _day_columns(header: Header, month: tuple[int, int] | None) -> tuple[int, int, dict[int, int]]:
    """(year, month, column → day) from the header, checked against the month."""
    dates: dict[int, dt.date] = {}
    days: dict[int, int] = {}
    month_days: dict[int, tuple[int, int]] = {}
    for col, name in header.fields.items():
        if name.startswith("date:"):
            dates[col] = dt.date.fromisoformat(name[5:])
        elif name.startswith("day:"):
            days[col] = int(name[4:])
        elif name.startswith("mday:"):
            m, d = name[5:].split(":")
            month_days[col] = (int(m), int(d))
    if dates:
        found = sorted({(d.year, d.month) for d in dates.values()})
        year, mon = month or found[0]
        if len(found) > 1 or found[0] != (year, mon):
            raise ValidationError(f"表头的日期不都在 {year} 年 {mon} 月（有 "
                                  + "、".join(f"{y} 年 {m} 月" for y, m in found) + "），请检查后再导入。", "file")
        month = (year, mon)  # day-number columns beside the dates are read too, never dropped
    if month is None:
        raise ValidationError("无法从文件中确定月份（标题里没有“2026年10月”这样的字样，表头也不是日期）。"
                              "请指定月份，例如 --month 2026-10。", "month")
    year, mon = month
    if month_days:
        wrong = sorted({m for m, _ in month_days.values() if m != mon})
        if wrong:
            raise ValidationError(f"表头写的是 {wrong[0]} 月，不是要导入的 {mon} 月，请检查月份。", "file")
        days.update({col: d for col, (_, d) in month_days.items()})
    days.update({col: d.day for col, d in dates.items()})
    columns_of: dict[int, list[int]] = {}
    for col, day in sorted(days.items()):
        columns_of.setdefault(day, []).append(col)
    twice = {day: cols for day, cols in columns_of.items() if len(cols) > 1}
    if twice:  # one cell per worker and day, or one of them would be dropped unseen
        from openpyxl.utils import get_column_letter

        raise ValidationError("表头中" + "、".join(
            f"{day} 日有 {len(cols)} 列（" + "、".join(f"{get_column_letter(c + 1)} 列" for c in cols) + "）"
            for day, cols in sorted(twice.items())) + "，每天只能有一列。请改好后再导入，没有导入。", "file")
    return year, mon, days


def _find_month(rows: Sequence[Row], before_line: int) -> tuple[int, int] | None:
    for row in rows:
        if row.line >= before_line:
            break
        for value in row.values:
            match = _MONTH_IN_TITLE.search(_text(value))
            if match and 1 <= int(match[2]) <= 12:
                return int(match[1]), int(match[2])
    return None


def _is_note(name: str) -> bool:
    return name.startswith(NOTE_PREFIXES)


def _sheet_month(sheet: Any, header: Header) -> tuple[int, int] | None:
    """The month a roster sheet names: in its title, or in date headers all of one month."""
    dated = {(d.year, d.month) for d in (dt.date.fromisoformat(f[5:]) for f in header.fields.values()
                                         if f.startswith("date:"))}
    return _find_month(sheet.rows, header.first_line) or (dated.pop() if len(dated) == 1 else None)


class RosterSheetChoice(ValidationError):
    """Several visible sheets hold a roster and neither a sheet nor a month was asked for:
    the clerk chooses (the window asks; the command line says --sheet / --month). Taking
    the first would import last month's plan under a name the clerk did not pick."""

    def __init__(self, path: Path, sheets: list[tuple[str, tuple[int, int] | None]]):
        self.sheets = sheets
        self.candidates = [name for name, _ in sheets]
        super().__init__(f"“{path.name}”中有 {len(sheets)} 个工作表都是排班表："
                         + "、".join(self.describe(name) for name in self.candidates) + "，请选择要导入的一个。",
                         "sheet")

    def describe(self, name: str) -> str:
        """“11月”（2026 年 11 月）"""
        named = dict(self.sheets)[name]
        return f"“{name}”" + (f"（{named[0]} 年 {named[1]} 月）" if named else "（标题中没有写月份）")

    def month_of(self, name: str) -> tuple[int, int] | None:
        return dict(self.sheets)[name]


def preview_import(store: Store, path: str | Path, *, month: tuple[int, int] | None = None,
                   sheet: str | None = None, progress: ReadProgress | None = None) -> RosterPreview:
    """Read the file and check every cell and row; writes nothing.

    The sheet: the one named, else the first visible sheet holding a roster of `month`
    (a vendor's workbook often keeps last month's sheet in front of this month's), else
    the only visible sheet holding a roster; several such sheets and neither asked for:
    RosterSheetChoice (the clerk chooses)."""
    path = Path(path)
    with open_workbook(path, what="排班表") as book:
        found = None
        candidates = [book.sheet_info(sheet)] if sheet else book.sheets
        other_months: list[str] = []
        rosters: list[tuple[str, tuple[int, int] | None]] = []
        for info in candidates:
            read = book.read(info, progress=progress)
            header = find_header(read.rows, classify, key_field="name", merged=read.merged)
            if not (header and any(f.startswith(("day:", "date:", "mday:")) for f in header.fields.values())):
                continue
            named = _sheet_month(read, header)
            if month and not sheet and named and named != month:
                other_months.append(f"“{info.name}”（{named[0]} 年 {named[1]} 月）")
                continue
            rosters.append((info.name, named))
            if found is None:
                found = (read, header)
            if sheet or month:
                break
        if len(rosters) > 1:
            raise RosterSheetChoice(path, rosters)
        if found is None and other_months and month:
            raise ValidationError(f"“{path.name}”中没有 {month[0]} 年 {month[1]} 月的排班表，只有"
                                  + "、".join(other_months) + "。", "month")
        if found is None:
            raise ValidationError(f"“{path.name}”中找不到排班表的表头：应有“姓名”一列和按日期排列的列"
                                  "（1、2、3……或 1日、2日……或日期）。", "file")
    data, header = found
    title_month = _find_month(data.rows, header.first_line)
    year, mon, day_cols = _day_columns(header, month or title_month)
    if month and title_month and title_month != month:
        raise ValidationError(f"文件标题写的是 {title_month[0]} 年 {title_month[1]} 月，"
                              f"与指定的 {month[0]} 年 {month[1]} 月不一致。", "month")
    length = _cal.monthrange(year, mon)[1]
    too_far = sorted(d for d in day_cols.values() if d > length)
    if too_far:
        raise ValidationError(f"文件有 {max(day_cols.values())} 日这一列，但 {year} 年 {mon} 月只有 {length} 天，"
                              "日期与月份对不上（是否选错了月份或文件？）。没有导入。", "file")
    twice = [c for c in header.unused if c.note and (classify(c.text) or "").startswith(("day:", "date:", "mday:"))]
    if twice:  # the reader keeps the first of two same columns: the other's shifts would be dropped unseen
        raise ValidationError("表头中" + "、".join(f"{c.letter} 列“{c.text}”{c.note.split('，')[0]}" for c in twice)
                              + "，每天只能有一列。请改好后再导入，没有导入。", "file")
    name_col = next(c for c, f in header.fields.items() if f == "name")
    post_col = next((c for c, f in header.fields.items() if f == "post"), None)
    contract = active_contract(store)
    first, last = dt.date(year, mon, 1), dt.date(year, mon, length)
    stretches = assignments(store, first, last, contract)
    posts = {p.id: p for p in contract.posts}
    by_name: dict[str, list[tuple[int, set[int]]]] = {}
    for a in stretches:
        entry = next((e for e in by_name.get(a.worker_name, []) if e[0] == a.worker_id), None)
        if entry is None:
            by_name.setdefault(a.worker_name, []).append((a.worker_id, {a.post_id}))
        else:
            entry[1].add(a.post_id)
    types = {t.code: t for t in list_shift_types(store)}
    rows: list[PreviewRow] = []
    edits: list[CellEdit] = []
    where: dict[tuple[int, dt.date], PreviewRow] = {}
    seen: dict[int, int] = {}
    for row in data.rows:
        if row.line <= header.line:
            continue
        raw_name = row.get(name_col)
        name_text = _text(raw_name)
        day_values = {day: row.get(col) for col, day in day_cols.items()}
        if not name_text:
            texts = [_text(v) for v in day_values.values() if _text(v)]
            if texts and all(_WEEKDAY.match(t) for t in texts):
                continue  # the weekday row under the header
            if texts:
                rows.append(PreviewRow(row.line, "（无姓名）", None, {}, ["有排班但没有姓名"]))
            continue
        if _WEEKDAY.match(name_text) or name_text in ("星期", "周次"):
            continue
        if _is_note(name_text):
            continue
        try:
            name = clean_name(name_text)
        except ValidationError:
            name = name_text
        preview_row = PreviewRow(row.line, name, None, {})
        rows.append(preview_row)
        if row.hidden:  # a draft or an old row the vendor hid: the clerk would not see what is taken
            preview_row.problems.append("这一行在 Excel 中是隐藏的（或被筛选掉），请乙方删除它或取消隐藏后再发来")
        matches = by_name.get(name, [])
        if post_col is not None and len(matches) > 1:
            post_text = _text(row.get(post_col))
            narrowed = [m for m in matches if any(post_text and post_text in (posts[p].name, posts[p].code)
                                                  for p in m[1])]
            matches = narrowed or matches
        if not matches:
            preview_row.problems.append(f"“{name}”不是 {year} 年 {mon} 月在服务期内的服务人员（请核对姓名）")
        elif len(matches) > 1:
            preview_row.problems.append(f"“{name}”对应 {len(matches)} 位服务人员，无法区分（请在文件中加上岗位列）")
        else:
            worker_id = matches[0][0]
            if worker_id in seen:
                preview_row.problems.append(f"与第 {seen[worker_id]} 行是同一位服务人员")
            else:
                seen[worker_id] = row.line
                preview_row.worker_id = worker_id
        for day, value in sorted(day_values.items()):
            if isinstance(value, UnreadableCell):
                preview_row.problems.append(f"{day} 日：{value}")
                continue
            value = _excel_time(value)
            entries = parse_cell_text(value)
            try:
                _resolve(entries, types)
            except EntryError as err:
                preview_row.problems.append(f"{day} 日：{err}")
                continue
            if entries:
                preview_row.cells[day] = entries
                if preview_row.worker_id is not None:
                    date = dt.date(year, mon, day)
                    edits.append((preview_row.worker_id, date, entries))
                    where[(preview_row.worker_id, date)] = preview_row
    if not rows:
        raise ValidationError(f"“{path.name}”的表头下面没有服务人员的排班。", "file")
    _, problems = check_edits(store, edits, types=types)
    for problem in problems:
        target = where.get((problem.worker_id, problem.day))
        if target is not None:
            target.problems.append(f"{problem.day.day} 日：" + problem.message.split("：", 1)[-1])
    return RosterPreview(path, data.name, year, mon, header.line, rows, edits, sorted(set(day_cols.values())))


def apply_import(store: Store, preview: RosterPreview) -> int:
    """Replace the month's plan of the workers in the file with what the preview showed, as
    one audited action. Refused (nothing written) while the preview lists problems; the file
    is not read again, and everything is checked again inside the write."""
    if not preview.ok:
        raise ValidationError(f"文件中有 {len(preview.problems)} 处问题，没有导入。请改好后重新导入："
                              + "；".join(preview.problems[:3]) + ("……" if len(preview.problems) > 3 else "") + "。",
                              "file")
    first = dt.date(preview.year, preview.month, 1)
    last = dt.date(preview.year, preview.month, _cal.monthrange(preview.year, preview.month)[1])
    changes = replace_plan(store, preview.worker_ids, first, last, preview.edits,
                           f"导入乙方排班：{preview.year}年{preview.month}月（{preview.path.name}，"
                           f"{len(preview.worker_ids)} 人）",
                           days=[dt.date(preview.year, preview.month, d) for d in preview.days])
    return len(changes)


# --- export -----------------------------------------------------------------------------------

def export_path(path: str | Path) -> Path:
    path = Path(path)
    return path if path.suffix.lower() == ".xlsx" else path.with_suffix(".xlsx")


def roster_rows(roster: MonthRoster) -> list[list[Any]]:
    """The sheet as values: title, header, weekdays, one row per worker, notes."""
    contract = roster.contract
    length = len(roster.days)
    values: list[list[Any]] = [
        [f"{contract.name} {TITLE}（{roster.year}年{roster.month}月）"],
        ["序号", "姓名", "岗位", *range(1, length + 1)],
        ["", "", "", *(WEEKDAYS[d.date.weekday()] for d in roster.days)],
    ]
    number = 0
    seen: set[int] = set()
    for group in roster.groups:
        for row in group.rows:
            if row.worker_id in seen:
                continue  # a worker who changed post: one row, under the first post
            seen.add(row.worker_id)
            number += 1
            cells = _worker_cells(roster, row.worker_id)
            values.append([number, row.name, group.post.name, *cells])
    values.append([])
    values.append(["注：" + "；".join(f"{t.code} {t.times_text()}" + (f"（休息 {t.break_minutes} 分钟）"
                                                                   if t.break_minutes else "")
                                    for t in roster.shift_types) + "。两个班次用“/”分开。"])
    holidays = [d for d in roster.days if d.name and not d.is_working or d.kind.value == "makeup_workday"]
    if holidays:
        values.append(["注：" + "；".join(f"{d.date.day} 日 {d.name or d.kind.label}" for d in holidays) + "。"])
    return values


def _worker_cells(roster: MonthRoster, worker_id: int) -> list[str]:
    cells = [""] * len(roster.days)
    for row in roster.rows():
        if row.worker_id == worker_id:
            for i, cell in enumerate(row.cells):
                if cell:
                    cells[i] = cell_label(cell)
    return cells


def export_roster(store: Store, year: int, month: int, path: str | Path) -> Path:
    """Write the month in the vendor's layout; every cell is text or a number, never a
    formula. Written under a temporary name and renamed: no half-written file."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = export_path(path)
    roster = month_roster(store, year, month)
    types = {t.code: t for t in roster.shift_types}
    wb = Workbook()
    ws: Any = wb.active
    ws.title = f"{year}年{month}月"
    for values in roster_rows(roster):
        append_row(ws, values)
    ws["A1"].font = Font(bold=True, size=13)
    grey = PatternFill("solid", fgColor="F2F3F5")
    rest_fill = PatternFill("solid", fgColor="FDE7E9")
    for line in (2, 3):
        for cell in ws[line]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
            cell.fill = grey
    for i, day in enumerate(roster.days):
        if not day.is_working:
            ws.cell(row=2, column=4 + i).fill = rest_fill
            ws.cell(row=3, column=4 + i).fill = rest_fill
    last_row = 3 + sum(1 for _ in {r.worker_id for r in roster.rows()})
    for row in ws.iter_rows(min_row=4, max_row=last_row, min_col=4):
        for cell in row:
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            shift_type = types.get(str(cell.value or "").split("/")[0])
            if shift_type is not None and shift_type.colour:
                cell.fill = PatternFill("solid", fgColor=shift_type.colour.lstrip("#"))
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions["C"].width = 22
    for col in range(4, 4 + len(roster.days)):
        ws.column_dimensions[get_column_letter(col)].width = 6
    ws.freeze_panes = "D4"
    save_workbook(wb, path)
    return path


__all__ = ["preview_import", "apply_import", "export_roster", "RosterPreview", "PreviewRow", "roster_rows",
           "classify", "ShiftType"]
