"""The vendor's roster as an Excel sheet: import with a preview, export with masking.

The vendor's sheets differ in layout, so columns are found by their header names
(姓名, 身份证号, 手机, 岗位, 到岗日期 …) in the first rows of the sheet, a two-level header
included. The workbook is untrusted input and is read through app.reports.workbook
(bounded memory, one sentence per damaged file). Every row of the sheet is accounted for:
title, header, a person (checked by the same rules as the form, app.staff), a 合计 or
制表人 line, or blank. Nothing is written before the clerk has seen the preview; the good
rows are then written in one action.

Reading (`read_roster`) touches no database, so the window runs it off its thread with
progress and 取消; checking (`check_roster`) needs the data file and is quick.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app import clock
from app.contract import active_contract
from app.errors import ValidationError
from app.paths import check_new_file_name, workbook_not_written
from app.reports.workbook import (HEADER_SEARCH_ROWS, Header, HeaderColumn, ReadProgress, Row, UnreadableCell,
                                  WorkbookError, append_row, find_header, header_key, open_workbook)
from app.staff import (COMPLIANCE_FIELDS, COMPLIANCE_LABELS, FIELD_LABELS, Worker, id_clash, insert_worker,
                       list_workers, worker_problems)
from app.store.store import Store, WriteFailed

# Header texts accepted for each field, compared after removing spaces, "*", a trailing
# colon and, failing that, a remark in brackets (身份证号（18位）).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "服务人员姓名", "人员姓名", "名字"),
    "gender": ("性别",),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码", "身份证件号码"),
    "phone": ("手机", "手机号", "手机号码", "联系电话", "电话", "联系方式", "移动电话", "联系方式手机", "本人手机"),
    "post": ("岗位", "服务岗位", "岗位名称"),
    "start_date": ("到岗日期", "上岗日期", "到岗时间", "开始日期", "服务开始日期", "上岗时间"),
    "planned_end": ("计划离场日期", "结束日期", "服务结束日期", "计划离岗日期"),
    "hours_scheme": ("工时制度", "工时", "工时制"),
    "emergency_contact": ("紧急联系人", "紧急联系人姓名", "紧急联系人名字"),
    "emergency_phone": ("紧急联系电话", "紧急联系人电话", "紧急联系人手机", "紧急联系人联系电话",
                        "联系方式紧急联系电话"),
    "labour_contract_on": ("劳动合同", "劳动合同核验日期", "劳动合同签订"),
    "social_insurance_on": ("社保", "社保核验日期", "社会保险"),
    "training_on": ("岗前培训", "岗前培训核验日期", "培训"),
    "notes": ("备注",),
}
# The export's 离场日期: understood, so that a worker who has left is not registered as serving.
LEFT_ALIASES = ("离场日期", "实际离场日期", "离职日期", "离岗日期")
REQUIRED_HEADERS = ("name", "id_number", "phone", "post", "start_date")
MAX_ROWS = 2000

_CHECKED_ON = "是{what}，不是甲方核验的日期，未导入；甲方核验后在人员资料中填写“{label}”"
# Headers close to a field but meaning something else: the preview says why they are not read.
NEAR_MISSES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"劳动合同.*(签订|签署|起始|开始|期限|到期|终止)"),
     _CHECKED_ON.format(what="劳动合同的签订或期限日期", label="劳动合同核验日期")),
    (re.compile(r"(社保|社会保险).*(缴纳|缴费|参保|起始|开始|日期|时间)|参保(日期|时间)"),
     _CHECKED_ON.format(what="社保的缴纳或参保日期", label="社保核验日期")),
    (re.compile(r"培训.*(日期|时间)|培训(完成|结束)"),
     _CHECKED_ON.format(what="培训的日期", label="岗前培训核验日期")),
    (re.compile(r"入职|录用|聘用"), "是乙方招用此人的日期，不是到岗日期；请用“到岗日期”列"),
    (re.compile(r"出生|年龄"), "由身份证号得出，不需要这一列"),
    (re.compile(r"^(序号|编号|No\.?)$", re.IGNORECASE), "序号，不需要"),
    (re.compile(r"^状态$|在岗状态"), "状态由到岗日期和离场日期得出"),
)


def _classify(text: str) -> str | None:
    for name, aliases in HEADER_ALIASES.items():
        if text in aliases:
            return name
    return "left_on" if text in LEFT_ALIASES else None


def _why_not_used(column: HeaderColumn) -> str:
    if column.note:
        return column.note
    key = header_key(column.text.split(" / ")[-1])
    for pattern, reason in NEAR_MISSES:
        if pattern.search(key) or pattern.search(header_key(column.text)):
            return reason
    return "本程序不记录这一列"


FOOTER_WORDS = ("合计", "总计", "小计", "共计", "制表人", "制表", "填表人", "填报人", "审核人", "审核", "复核",
                "负责人", "单位负责人", "经办人", "联系人", "盖章", "单位盖章", "日期:", "日期：", "备注:", "备注：",
                "说明", "注:", "注：")


@dataclass
class ImportRow:
    line: int  # the row number in Excel
    data: dict[str, Any]
    record: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    values: tuple[Any, ...] = ()  # the row as the vendor wrote it, for the file sent back
    post_name: str = ""  # the contract post the row was matched to

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def name(self) -> str:
        return str(self.data.get("name") or "").strip() or "（无姓名）"

    @property
    def reasons(self) -> str:
        return "；".join(p.rstrip("。") for p in self.problems) + ("。" if self.problems else "")


@dataclass(frozen=True)
class SkippedRow:
    line: int
    kind: str  # 标题 / 表尾 / 重复表头 / 无人员信息
    text: str  # what the row says, shortened


@dataclass
class Roster:
    """What the sheet holds, read but not yet checked against the data file."""

    path: Path
    sheet: str
    sheets: list[str]  # the visible sheets
    hidden: list[str]
    header: Header
    people: list[tuple[Row, dict[str, Any], dict[str, str]]]  # row, values by field, cell problems
    skipped: list[SkippedRow]
    blank_lines: int
    last_line: int
    unnamed: dict[str, list[int]] = field(default_factory=dict)  # column letter → lines with values but no header


class SheetChoice(WorkbookError):
    """More than one visible sheet could hold the list: the clerk chooses (`--sheet`)."""

    def __init__(self, path: Path, candidates: list[str]):
        self.candidates = candidates
        super().__init__(f"“{path.name}”中有 {len(candidates)} 个工作表都像人员名单："
                         + "、".join(f"“{c}”" for c in candidates) + "，请选择要导入的一个。")


def _row_text(row: Row, limit: int = 40) -> str:
    text = " ".join(str(v).strip() for v in row.values if v is not None and str(v).strip())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _choose_sheet(book: Any, path: Path, sheet: str | None) -> str:
    if sheet:
        return book.sheet_info(sheet).name
    if len(book.sheets) == 1:
        return book.sheets[0].name
    candidates = []
    for info in book.sheets:
        first = book.read(info, first_rows=HEADER_SEARCH_ROWS)
        if find_header(first.rows, _classify, key_field="name", merged=first.merged):
            candidates.append(info.name)
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise SheetChoice(path, candidates)
    hidden = f"（隐藏的工作表{'、'.join(f'“{h}”' for h in book.hidden)}不读取）" if book.hidden else ""
    raise WorkbookError(f"“{path.name}”的工作表" + "、".join(f"“{s.name}”" for s in book.sheets)
                        + f"中都找不到表头行{hidden}。{_HEADER_HINT}")


_HEADER_HINT = (f"第一行（或前{HEADER_SEARCH_ROWS}行之一）应是列名，至少包括："
                + "、".join(FIELD_LABELS[f] for f in REQUIRED_HEADERS) + "。")


def read_roster(path: str | Path, *, sheet: str | None = None, progress: ReadProgress | None = None) -> Roster:
    """Read the vendor's sheet (no database): which sheet, the header, and what each row is."""
    path = Path(path)
    with open_workbook(path) as book:
        name = _choose_sheet(book, path, sheet)
        data = book.read(name, progress=progress)
        sheets, hidden = [s.name for s in book.sheets], list(book.hidden)
    header = find_header(data.rows, _classify, key_field="name", merged=data.merged)
    if header is None:
        others = f"（隐藏的工作表{'、'.join(f'“{h}”' for h in hidden)}不读取）" if hidden else ""
        raise WorkbookError(f"“{path.name}”的工作表“{name}”中找不到表头行{others}。{_HEADER_HINT}")
    header = replace(header, columns=tuple(c if c.field else replace(c, note=_why_not_used(c))
                                           for c in header.columns))
    missing = [f for f in REQUIRED_HEADERS if f not in header.fields.values()]
    if missing:
        raise WorkbookError(f"工作表“{name}”的表头缺少这些列：{'、'.join(FIELD_LABELS[f] for f in missing)}。"
                            f"请在第 {header.line} 行补上列名后再导入。")
    fields = header.fields
    id_column = next(i for i, f in fields.items() if f == "id_number")
    people: list[tuple[Row, dict[str, Any], dict[str, str]]] = []
    skipped: list[SkippedRow] = []
    named = {c.index for c in header.columns}
    unnamed: dict[str, list[int]] = {}
    for row in data.rows:
        if row.line < header.first_line:
            skipped.append(SkippedRow(row.line, "标题", _row_text(row)))
            continue
        if row.line <= header.line:
            continue
        keys = [header_key(v) for v in row.values if isinstance(v, str)]
        if _blank(row.get(id_column)) and any(k.startswith(FOOTER_WORDS) for k in keys):
            skipped.append(SkippedRow(row.line, "表尾", _row_text(row)))
            continue
        if sum(1 for k in keys if _classify(k)) >= 3:
            skipped.append(SkippedRow(row.line, "重复表头", _row_text(row)))
            continue
        if all(_blank(row.get(i)) for i in fields):
            skipped.append(SkippedRow(row.line, "无人员信息", _row_text(row)))
            continue
        cell_problems: dict[str, str] = {}
        if row.hidden:  # often a worker who left, kept out of sight rather than deleted
            cell_problems["hidden"] = "这一行在 Excel 中是隐藏的（或被筛选掉），不导入；如确需导入，请在 Excel 中取消隐藏后保存"
        values = {f: _cell_value(f, row.get(i), row.line, header.columns, i, cell_problems) for i, f in fields.items()}
        people.append((row, values, cell_problems))
        for index, value in enumerate(row.values):
            if index not in named and not _blank(value):
                unnamed.setdefault(_letter(index + 1), []).append(row.line)
    if not people:
        raise WorkbookError(f"“{path.name}”的工作表“{name}”的表头下面没有人员数据。")
    if len(people) > MAX_ROWS:
        raise WorkbookError(f"表中有 {len(people)} 行人员数据，一次最多导入 {MAX_ROWS} 行，请分成几个文件导入。")
    last = data.rows[-1].line if data.rows else 0
    return Roster(path, name, sheets, hidden, header, people, skipped, last - len(data.rows), last, unnamed)


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_value(name: str, value: Any, line: int, columns: tuple[HeaderColumn, ...], index: int,
                problems: dict[str, str]) -> Any:
    label = next((c.text for c in columns if c.index == index), FIELD_LABELS.get(name, name))
    if isinstance(value, UnreadableCell):
        problems[name] = f"“{label}”列的 {value}"
        return ""
    if value is None:
        return ""
    if name == "id_number" and isinstance(value, (int, float)):
        problems[name] = "身份证号在 Excel 中被存成了数字，末几位已丢失。请把该列设为“文本”格式，重新填写后再导入。"
        return ""
    if name in ("phone", "emergency_phone") and isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():  # also inf and nan
            return str(value)
        return str(int(value))
    if name in ("start_date", "planned_end", "left_on", *COMPLIANCE_FIELDS) and isinstance(value, (int, float)) \
            and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel
        try:
            return from_excel(value)
        except (ValueError, OverflowError):
            return str(value)
    return value


def check_roster(store: Store, roster: Roster) -> ImportPreview:
    """Check every person row against the data file, as the form does; writes nothing."""
    contract = active_contract(store)
    posts = {post.id: post.name for post in contract.posts}
    today = clock.today()
    claimed: dict[str, str] = {}
    result: list[ImportRow] = []
    for row, values, cell_problems in roster.people:
        notes: list[str] = []
        data = {k: v for k, v in values.items() if k != "left_on"}
        for name in COMPLIANCE_FIELDS:
            data[name] = _compliance(name, data.get(name), notes)
        record, problems = worker_problems(store, data, contract=contract, today=today, known_ids=claimed)
        messages = [str(p) for p in problems if p.field not in cell_problems]
        messages[:0] = list(cell_problems.values())
        left = values.get("left_on")
        if not _blank(left):
            day = left.date() if isinstance(left, dt.datetime) else left
            messages.append(f"离场日期是 {day.isoformat() if isinstance(day, dt.date) else day}：已离场的人员不通过导入登记，"
                            "请在人员页逐个登记后办理离场")
        if record.get("id_number") and record["id_number"] not in claimed:
            claimed[record["id_number"]] = f"本表第 {row.line} 行"
        result.append(ImportRow(row.line, data, record, messages, notes, row.values,
                                posts.get(record.get("post_id"), "")))
    return ImportPreview(roster, result)


def _compliance(name: str, value: Any, notes: list[str]) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if text and not any(ch.isdigit() for ch in text):
            if text not in ("否", "无", "未", "-", "—"):
                notes.append(f"“{COMPLIANCE_LABELS[name]}”列是“{text}”而不是核验日期，未记为已核验；"
                             "请甲方核验后在人员资料中填写核验日期。")
            return ""
    return value


@dataclass
class ImportPreview:
    roster: Roster
    rows: list[ImportRow]

    @property
    def path(self) -> Path:
        return self.roster.path

    @property
    def sheet(self) -> str:
        return self.roster.sheet

    @property
    def header(self) -> Header:
        return self.roster.header

    @property
    def header_line(self) -> int:
        return self.roster.header.line

    @property
    def columns(self) -> dict[str, str]:
        """field → the header text it was read from."""
        return {c.field: c.text for c in self.roster.header.columns if c.field}

    @property
    def good(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok]

    @property
    def refused(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.ok]

    def summary(self) -> str:
        return f"人员 {len(self.rows)} 行：可导入 {len(self.good)} 行，有问题 {len(self.refused)} 行（不导入）。"

    def sheet_line(self) -> str:
        r = self.roster
        header = (f"第 {r.header.line} 行" if r.header.first_line == r.header.line
                  else f"第 {r.header.first_line}–{r.header.line} 行（两级）")
        others = [s for s in r.sheets if s != r.sheet]
        text = f"读取的工作表：“{r.sheet}”，表头在{header}。"
        if others:
            text += "未读取的工作表：" + "、".join(f"“{s}”" for s in others) + "。"
        if r.hidden:
            text += "隐藏的工作表不读取：" + "、".join(f"“{s}”" for s in r.hidden) + "。"
        return text

    def columns_line(self) -> str:
        used = "、".join(f"{c.letter}“{c.text}”" + ("" if c.text == FIELD_LABELS[c.field] else f"→{FIELD_LABELS[c.field]}")
                         for c in self.header.columns if c.field and c.field != "left_on")
        unused = self.header.unused
        text = f"导入的列：{used}。"
        by_reason: dict[str, list[str]] = {}  # columns with the same reason named together
        for c in unused:
            by_reason.setdefault(c.note, []).append(f"{c.letter}“{c.text}”")
        if by_reason:
            text += "不导入的列：" + "；".join(f"{'、'.join(cols)}（{reason}）" for reason, cols in by_reason.items()) + "。"
        for letter, lines in self.roster.unnamed.items():
            shown = "、".join(map(str, lines[:5])) + ("…" if len(lines) > 5 else "")
            text += f"{letter} 列没有列名，第 {shown} 行的内容未导入。"
        return text

    def accounting_line(self) -> str:
        """Every row of the sheet, counted by what it is."""
        r = self.roster
        header_rows = r.header.line - r.header.first_line + 1
        parts = [f"工作表共 {r.last_line} 行", f"表头 {header_rows} 行"]
        kinds: dict[str, list[int]] = {}
        for s in r.skipped:
            kinds.setdefault(s.kind, []).append(s.line)
        labels = {"标题": "标题", "表尾": "合计、制表人等表尾", "重复表头": "重复的表头", "无人员信息": "没有人员信息"}
        for kind, lines in kinds.items():
            parts.append(f"{labels[kind]} {len(lines)} 行（第 {'、'.join(map(str, lines[:8]))}"
                         f"{'…' if len(lines) > 8 else ''} 行）")
        parts.append(f"人员 {len(self.rows)} 行（可导入 {len(self.good)}，不导入 {len(self.refused)}）")
        if r.blank_lines:
            parts.append(f"空行 {r.blank_lines} 行")
        return "，".join(parts) + "。"


def preview_import(store: Store, path: str | Path, *, sheet: str | None = None,
                   progress: ReadProgress | None = None) -> ImportPreview:
    """Read the sheet and check every row; writes nothing."""
    return check_roster(store, read_roster(path, sheet=sheet, progress=progress))


def apply_import(store: Store, preview: ImportPreview) -> list[int]:
    """Write exactly the good rows the clerk saw in `preview`, as one action.

    The file is not read again: it may have been edited since the preview, and the clerk
    approved what was shown, not what the file holds now. Only what the database can have
    changed in the meantime is checked again (the contract in force, an ID number registered
    since), inside the same transaction; if a row no longer holds, nothing is written.
    """
    good = preview.good
    if not good:
        return []
    with store.action(f"导入乙方人员名单：{preview.path.name}（{len(good)} 人）") as act:
        _recheck(store, good)
        return [insert_worker(act, row.record) for row in good]


def _recheck(store: Store, rows: list[ImportRow]) -> None:
    contract = active_contract(store)
    posts = {post.id for post in contract.posts}
    stale: list[str] = []
    for row in rows:
        record = row.record
        if record["contract_id"] != contract.id or record["post_id"] not in posts:
            raise ValidationError("预览之后当前合同已变更，请重新选择文件导入。没有导入任何人员。", "file")
        clash = id_clash(store, contract, record["id_number"], None, None)
        if clash:
            stale.append(f"第 {row.line} 行（{row.name}）的身份证号与{clash}重复")
    if stale:
        raise ValidationError(
            "预览之后数据已有变化：" + "；".join(stale) + "。没有导入任何人员，请重新选择文件导入。", "file")


# --- export --------------------------------------------------------------------------------

EXPORT_HEADERS = ("序号", "姓名", "性别", "身份证号", "手机号", "岗位", "到岗日期", "计划离场日期", "离场日期",
                  "状态", "工时制度", "紧急联系人", "紧急联系电话", "劳动合同", "社保", "岗前培训", "备注")


def _export_row(number: int, w: Worker, unmasked: bool, today: dt.date) -> list[Any]:
    return [
        number, w.name, w.gender, w.id_number if unmasked else w.masked_id,
        w.phone if unmasked else w.masked_phone, w.post_name, w.start_date, w.planned_end, w.left_on,
        w.status(today).value, w.hours_scheme.label, w.emergency_contact,
        w.emergency_phone if unmasked else _mask_other(w.emergency_phone),
        w.labour_contract_on, w.social_insurance_on, w.training_on, w.notes,
    ]


def _mask_other(phone: str) -> str:
    from app.idcard import mask_phone

    return mask_phone(phone)


def export_path(path: str | Path) -> Path:
    """The file an export really writes: the name typed, with .xlsx added if it was left off."""
    path = Path(path)
    return path if path.suffix.lower() == ".xlsx" else path.with_suffix(".xlsx")


def export_workers(store: Store, path: str | Path, *, unmasked: bool = False) -> int:
    """Write the list to `export_path(path)`; ID and phone numbers masked unless `unmasked`.

    The file never exists without its note: the note is committed first, so a note the data
    file refuses means no file, and a process killed at any moment afterwards leaves at most a
    note whose file is missing. A file that cannot be written gets a second note saying so.
    The file is written under a temporary name and renamed, so a failed save leaves no
    half-written list of personal numbers on disk."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = export_path(path)
    check_new_file_name(path.with_name(f"~{path.name}.part"), "导出")
    contract = active_contract(store)
    workers = list_workers(store, contract)
    today = clock.today()
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = "服务人员名单"
    append_row(ws, [f"{contract.name} 服务人员名单（{today:%Y年%m月%d日}导出"
               + ("，含完整身份证号，注意保密）" if unmasked else "）")])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(list(EXPORT_HEADERS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F3F5")
        cell.alignment = Alignment(horizontal="center")
    for number, worker in enumerate(workers, start=1):
        append_row(ws, _export_row(number, worker, unmasked, today))  # notes are typed text: never a formula
    widths = (6, 10, 6, 22, 15, 26, 12, 13, 12, 8, 10, 11, 15, 12, 12, 12, 30)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for row in ws.iter_rows(min_row=3):
        row[3].number_format = "@"
        row[4].number_format = "@"
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "C3"
    partial = path.with_name(f"~{path.name}.part")
    summary = f"导出服务人员名单（{'完整身份证号' if unmasked else '已遮盖'}）"
    details = {"file": str(path), "count": len(workers), "unmasked": unmasked}
    try:
        # The note is committed before a byte of the file exists: killed at any moment
        # after this, a file may be missing for its note, never a note for its file.
        store.note("export", "workers", "*", summary, details)
    except WriteFailed as err:
        raise WriteFailed(f"{err}\n导出个人信息必须记入修改记录，记录写不进去，所以没有导出文件。") from err
    try:
        wb.save(partial)
        os.replace(partial, path)
    except OSError as err:
        partial.unlink(missing_ok=True)
        try:  # the history says the file was not written after all
            store.note("export", "workers", "*", f"{summary}未完成：没有写出文件",
                       {**details, "failed": err.strerror or str(err)})
        except WriteFailed:
            pass
        raise ValidationError(workbook_not_written(path, err) + "没有导出任何文件。", "file") from err
    return len(workers)
