"""The vendor's roster as an Excel sheet: import with a preview, export with masking.

The vendor's sheets differ in layout, so columns are found by their header names
(姓名, 身份证号, 手机, 岗位, 到岗日期 …) in the first rows of the sheet. Every row is
checked by the same rules as the form (app.staff) before anything is written; rows with
problems are listed and left out, the good rows are written in one action.
"""
from __future__ import annotations

import datetime as dt
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import clock
from app.contract import active_contract
from app.errors import ValidationError
from app.staff import (COMPLIANCE_FIELDS, COMPLIANCE_LABELS, FIELD_LABELS, Worker, id_clash, list_workers,
                       worker_problems)
from app.reports.workbook import append_row
from app.store.store import Store, WriteFailed

if TYPE_CHECKING:
    from openpyxl import Workbook

# Header texts accepted for each field, compared after removing spaces and "*".
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "服务人员姓名", "人员姓名", "名字"),
    "gender": ("性别",),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码"),
    "phone": ("手机", "手机号", "手机号码", "联系电话", "电话", "联系方式"),
    "post": ("岗位", "服务岗位", "岗位名称"),
    "start_date": ("到岗日期", "上岗日期", "到岗时间", "开始日期", "服务开始日期"),
    "planned_end": ("计划离场日期", "离场日期", "结束日期", "服务结束日期", "计划离岗日期"),
    "hours_scheme": ("工时制度", "工时", "工时制"),
    "emergency_contact": ("紧急联系人",),
    "emergency_phone": ("紧急联系电话", "紧急联系人电话"),
    "labour_contract_on": ("劳动合同", "劳动合同核验日期", "劳动合同签订"),
    "social_insurance_on": ("社保", "社保核验日期", "社会保险"),
    "training_on": ("岗前培训", "岗前培训核验日期", "培训"),
    "notes": ("备注",),
}
REQUIRED_HEADERS = ("name", "id_number", "phone", "post", "start_date")
HEADER_SEARCH_ROWS = 10
MAX_ROWS = 2000


def _header_key(value: Any) -> str:
    return "".join(str(value or "").split()).replace("*", "").replace("＊", "")


def _match_header(value: Any) -> str | None:
    key = _header_key(value)
    for name, aliases in HEADER_ALIASES.items():
        if key in aliases:
            return name
    return None


@dataclass
class ImportRow:
    line: int  # the row number in Excel
    data: dict[str, Any]
    record: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def name(self) -> str:
        return str(self.data.get("name") or "").strip() or "（无姓名）"


@dataclass
class ImportPreview:
    path: Path
    sheet: str
    header_line: int
    columns: dict[str, str]  # field → header text found
    rows: list[ImportRow]

    @property
    def good(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok]

    @property
    def refused(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.ok]

    def summary(self) -> str:
        return f"共 {len(self.rows)} 行：可导入 {len(self.good)} 行，有问题 {len(self.refused)} 行（不导入）。"


def _open_workbook(path: Path) -> Workbook:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.exists():
        raise ValidationError(f"找不到文件 {path}。", "file")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise ValidationError(
            f"“{path.name}”不是 .xlsx 文件。请在 Excel 中打开它，“另存为”Excel 工作簿（*.xlsx）后再导入。", "file")
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except PermissionError as err:
        raise ValidationError(f"无法读取“{path.name}”：文件可能正在 Excel 或 WPS 中打开，请关闭后重试。", "file") from err
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise ValidationError(
            f"“{path.name}”无法作为 .xlsx 文件读取（文件损坏，或只是改了扩展名）。"
            f"请在 Excel 中“另存为”Excel 工作簿（*.xlsx）后再导入。（技术信息：{type(err).__name__}）", "file") from err


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[int, str]] | None:
    best: tuple[int, dict[int, str]] | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[int, str] = {}
        for col, value in enumerate(row):
            name = _match_header(value)
            if name and name not in found.values():
                found[col] = name
        if "name" in found.values() and (best is None or len(found) > len(best[1])):
            best = (index, found)
    return best


def _cell_value(name: str, value: Any, notes: list[str]) -> Any:
    if value is None:
        return ""
    if name == "id_number" and isinstance(value, (int, float)):
        return _NUMERIC_ID
    if name in ("phone", "emergency_phone") and isinstance(value, (int, float)):
        return str(int(value))
    if name in ("start_date", "planned_end", *COMPLIANCE_FIELDS) and isinstance(value, (int, float)) \
            and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel
        try:
            return from_excel(value)
        except (ValueError, OverflowError):
            return str(value)
    if name in COMPLIANCE_FIELDS and isinstance(value, str):
        text = value.strip()
        if text and not any(ch.isdigit() for ch in text):
            if text not in ("否", "无", "未", "-", "—"):
                notes.append(f"“{COMPLIANCE_LABELS[name]}”列是“{text}”而不是核验日期，未记为已核验；"
                             "请甲方核验后在人员资料中填写核验日期。")
            return ""
    return value


_NUMERIC_ID = object()  # marks an ID number Excel has turned into a number


def preview_import(store: Store, path: str | Path) -> ImportPreview:
    """Read the sheet and check every row; writes nothing."""
    path = Path(path)
    workbook = _open_workbook(path)
    try:
        # The active sheet first; a chart sheet (which has no cells) is never read.
        active = workbook.active
        sheets = sorted(workbook.worksheets, key=lambda ws: ws is not active)
        for sheet in sheets:
            # Sheets saved by WPS or scripts often carry a wrong size record (A1:A1);
            # read-only mode would trust it and miss rows.
            sheet.reset_dimensions()
            rows = list(sheet.iter_rows(values_only=True))
            header = _find_header(rows)
            if header:
                break
        else:
            raise ValidationError(
                f"“{path.name}”中找不到表头行。第一行（或前{HEADER_SEARCH_ROWS}行之一）应是列名，至少包括："
                + "、".join(FIELD_LABELS[f] for f in REQUIRED_HEADERS) + "。", "file")
    finally:
        workbook.close()
    header_index, columns = header
    missing = [f for f in REQUIRED_HEADERS if f not in columns.values()]
    if missing:
        raise ValidationError(
            f"表头缺少这些列：{'、'.join(FIELD_LABELS[f] for f in missing)}。请在第 {header_index + 1} 行补上列名后再导入。",
            "file")
    filled = [row for row in rows[header_index + 1:] if any(v is not None and str(v).strip() for v in row)]
    if len(filled) > MAX_ROWS:
        raise ValidationError(f"表中有 {len(filled)} 行人员数据，一次最多导入 {MAX_ROWS} 行，请分成几个文件导入。", "file")
    contract = active_contract(store)
    today = clock.today()
    claimed: dict[str, str] = {}
    result: list[ImportRow] = []
    for offset, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        notes: list[str] = []
        data = {name: _cell_value(name, row[col] if col < len(row) else None, notes) for col, name in columns.items()}
        numeric_id = data.get("id_number") is _NUMERIC_ID
        if numeric_id:
            data["id_number"] = ""
        record, problems = worker_problems(store, data, contract=contract, today=today, known_ids=claimed)
        messages = [str(p) for p in problems]
        if numeric_id:
            messages = [m for m in messages if not m.startswith("身份证号不能为空")]
            messages.insert(0, "身份证号在 Excel 中被存成了数字，末几位已丢失。请把该列设为“文本”格式，重新填写后再导入。")
        if record.get("id_number") and record["id_number"] not in claimed:
            claimed[record["id_number"]] = f"本表第 {offset} 行"
        result.append(ImportRow(offset, data, record, messages, notes))
    if not result:
        raise ValidationError(f"“{path.name}”的表头下面没有人员数据。", "file")
    found = {name: _header_key(rows[header_index][col]) for col, name in columns.items()}
    return ImportPreview(path, sheet.title, header_index + 1, found, result)


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
        return [act.insert("workers", dict(row.record)) for row in good]


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
        raise ValidationError(f"无法写入 {path}（{err.strerror}）。文件可能正在 Excel 中打开，请关闭后重试。"
                              "没有导出任何文件。", "file") from err
    return len(workers)
