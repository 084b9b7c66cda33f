"""Workbooks the clerk sends to the vendor: the blank import template and the rows an import
refused, each with its reason. Both are read back by the import as they are."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from app import clock
from app.contract import active_contract
from app.errors import ValidationError
from app.reports.staff_xlsx import MAX_ROWS, REQUIRED_HEADERS, ImportPreview, export_path
from app.reports.workbook import UnreadableCell, append_row, save_workbook
from app.staff import FIELD_LABELS, FORM_FIELDS
from app.store.store import Store

TEMPLATE_SHEET = "人员名单"
TEXT_FIELDS = ("id_number", "phone", "emergency_phone")  # digits Excel must not turn into numbers
DATE_FIELDS = ("start_date", "planned_end", "labour_contract_on", "social_insurance_on", "training_on")
HOW_TO_FILL = {
    "name": "与身份证上的姓名一致；少数民族姓名中的间隔号写“·”",
    "gender": "男 或 女；可不填，按身份证号判断",
    "id_number": "18 位公民身份号码。本列已设为“文本”格式，请不要改成数字格式（Excel 会把末几位变成 0）",
    "phone": "本人 11 位手机号",
    "post": "从下拉列表中选，或写能唯一认出岗位的一部分（如“机动”）；合同岗位见下方",
    "start_date": "在本岗位开始提供服务的日期，如 2026-01-01，须在合同服务期限内",
    "planned_end": "已知要离场时填写；不填表示服务到合同期满",
    "hours_scheme": "标准工时 或 综合工时（24 小时岗位常用综合计算工时制）；不填按标准工时",
    "emergency_contact": "姓名",
    "emergency_phone": "手机或座机（座机可带区号和 -）",
    "labour_contract_on": "甲方核验劳动合同的日期；由甲方填写，乙方请留空（填“是”不算已核验）",
    "social_insurance_on": "甲方核验社保缴纳的日期；由甲方填写，乙方请留空",
    "training_on": "甲方核验岗前培训的日期；由甲方填写，乙方请留空",
    "notes": "其他需要说明的情况",
}


def _header_label(name: str) -> str:
    return FIELD_LABELS[name] + ("*" if name in REQUIRED_HEADERS else "")


def write_template(store: Store, path: str | Path) -> Path:
    """The blank list with the columns the import reads, and a 说明 sheet; returns the file."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    path = export_path(path)
    contract = active_contract(store)
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = TEMPLATE_SHEET
    append_row(ws, [_header_label(f) for f in FORM_FIELDS])
    last = MAX_ROWS + 1
    for index, name in enumerate(FORM_FIELDS, start=1):
        letter = get_column_letter(index)
        head = ws.cell(row=1, column=index)
        head.font = Font(bold=True, color="B3261E" if name in REQUIRED_HEADERS else "000000")
        head.fill = PatternFill("solid", fgColor="F2F3F5")
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[letter].width = {"id_number": 22, "post": 26, "notes": 30}.get(name, 14)
        if name in TEXT_FIELDS or name in DATE_FIELDS:
            number_format = "@" if name in TEXT_FIELDS else "yyyy-mm-dd"
            for row in range(2, last + 1):
                ws.cell(row=row, column=index).number_format = number_format
    choices = {
        "post": [p.name for p in contract.posts],
        "gender": ["男", "女"],
        "hours_scheme": ["标准工时", "综合工时"],
    }
    for name, values in choices.items():
        letter = get_column_letter(FORM_FIELDS.index(name) + 1)
        rule = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                              showErrorMessage=True, errorTitle=FIELD_LABELS[name],
                              error="请从下拉列表中选择。")
        rule.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(rule)
    ws.freeze_panes = "B2"

    notes = wb.create_sheet("说明")
    append_row(notes, [f"服务人员名单导入模板（{contract.name}）"])
    notes["A1"].font = Font(bold=True, size=13)
    append_row(notes, [f"在“{TEMPLATE_SHEET}”工作表中从第 2 行起每行填一人；第 1 行的列名请不要修改。"
                       "带 * 的列必须填写。请保存为 .xlsx 文件发回。"])
    append_row(notes, [])
    append_row(notes, ["列", "必填", "怎么填"])
    for cell in notes[4]:
        cell.font = Font(bold=True)
    for name in FORM_FIELDS:  # in quotes, so this sheet is never taken for the list itself
        append_row(notes, [f"“{FIELD_LABELS[name]}”", "必填" if name in REQUIRED_HEADERS else "", HOW_TO_FILL[name]])
    append_row(notes, [])
    append_row(notes, ["合同约定的岗位（合同第四条第 2 款）"])
    notes.cell(row=notes.max_row, column=1).font = Font(bold=True)
    for post in contract.posts:
        append_row(notes, [post.name, f"{post.headcount} 人", post.describe_rules()])
    append_row(notes, [])
    append_row(notes, ["导入前程序会先显示预览，逐行说明能否导入及原因；有问题的行可以另存后退回乙方改正。"])
    notes.column_dimensions["A"].width = 26
    notes.column_dimensions["B"].width = 8
    notes.column_dimensions["C"].width = 80
    for row in notes.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return save_workbook(wb, path)


def write_refused(preview: ImportPreview, path: str | Path) -> Path:
    """The refused rows as the vendor wrote them, each with its reason, to send back. The
    columns the import reads get their usual names, so the corrected file imports as it is."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    rows = preview.refused
    if not rows:
        raise ValidationError("没有不导入的行，不需要另存。", "file")
    path = export_path(path)
    columns = preview.header.columns
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = "未导入的行"
    append_row(ws, [f"“{preview.path.name}”工作表“{preview.sheet}”中未能导入的 {len(rows)} 行"
                    f"（{clock.today():%Y年%m月%d日}）：请按最后一列的原因改正后重新发送。"])
    ws["A1"].font = Font(bold=True)
    append_row(ws, ["原行号"] + [_header_label(c.field) if c.field and c.field in FIELD_LABELS and c.field != "left_on"
                                 else c.text for c in columns] + ["不导入的原因"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F3F5")
    for row in rows:
        values: list[Any] = [row.line]
        for column in columns:
            value = row.values[column.index] if column.index < len(row.values) else None
            values.append(None if isinstance(value, UnreadableCell) else value)
        append_row(ws, values + [row.reasons])
    reason_column = len(columns) + 2
    for index, column in enumerate(columns, start=2):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = {"id_number": 22, "post": 24}.get(column.field or "", 13)
        for cells in ws.iter_rows(min_row=3, min_col=index, max_col=index):
            if column.field in TEXT_FIELDS:
                cells[0].number_format = "@"
            elif isinstance(cells[0].value, (dt.date, dt.datetime)):
                cells[0].number_format = "yyyy-mm-dd"
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions[get_column_letter(reason_column)].width = 60
    for cells in ws.iter_rows(min_row=3, min_col=reason_column, max_col=reason_column):
        cells[0].alignment = Alignment(wrap_text=True, vertical="top")
        cells[0].font = Font(color="B3261E")
    ws.freeze_panes = "B3"
    return save_workbook(wb, path)
