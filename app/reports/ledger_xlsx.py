"""The 付款台账 as an .xlsx workbook for finance and the auditor: one sheet per kind of record.

Every cell is a value, never a formula: amounts are numbers (to the fen, formatted with
thousands separators), and any text the clerk or the vendor typed that starts like a
formula (= + - @, or a tab/newline) is written as text, so opening the file runs nothing."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from app import clock
from app.ledger import FISCAL_DELAY_NOTE, load_ledger
from app.reports.workbook import save_workbook, set_value
from app.store.store import Store

AMOUNT_FORMAT = "#,##0.00"


def export_path(path: str | Path) -> Path:
    path = Path(path)
    return path if path.suffix.lower() == ".xlsx" else path.with_suffix(".xlsx")


def put(ws: Any, row: int, column: int, value: Any) -> Any:
    """Write one cell as data: Decimal → number to the fen, date → date, text → text even
    when it looks like a formula."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, Decimal):
        cell.value = value  # openpyxl writes a Decimal's own digits: no float on the way
        cell.number_format = AMOUNT_FORMAT
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, str):
        set_value(cell, value)  # text stays text even when it starts like a formula
    else:
        cell.value = value
    return cell


def _sheet(wb: Any, title: str, headers: list[str], rows: list[list[Any]], widths: list[int]) -> Any:
    from openpyxl.styles import Font, PatternFill

    ws = wb.create_sheet(title)
    for col, header in enumerate(headers, start=1):
        cell = put(ws, 1, col, header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F3F5")
    for r, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            put(ws, r, col, value)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = width
    ws.freeze_panes = "A2"
    return ws


def export_ledger(store: Store, path: str | Path) -> Path:
    """Write the ledger to `export_path(path)` (temporary name, then rename) and note the
    export in the change history. Returns the file written."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    path = export_path(path)
    today = clock.today()
    ledger = load_ledger(store, today)
    t = ledger.totals()
    wb = Workbook()
    summary = wb.active
    assert summary is not None  # a new workbook has its one sheet
    summary.title = "合计"
    lines: list[tuple[str, Any]] = [
        ("合同名称", ledger.contract.name), ("合同编号", ledger.contract.code), ("截至", today),
        ("合同总额", t.total), ("原合同总额", t.original_total), ("扣减", t.deductions), ("应付", t.payable),
        ("已付", t.paid), ("已付比例（%）", t.paid_percent), ("已开票", t.invoiced), ("未付", t.outstanding),
        ("下一笔付款期限", t.next_due.due_on if t.next_due else "无"),
    ]
    if any(i.late_days(today) for i in ledger.installments):
        lines.append(("逾期说明", FISCAL_DELAY_NOTE))
    for r, (label, value) in enumerate(lines, start=1):
        put(summary, r, 1, label).font = Font(bold=True)
        put(summary, r, 2, value)
    summary.column_dimensions["A"].width = 16
    summary.column_dimensions["B"].width = 60

    _sheet(wb, "分期", ["付款期", "服务开始", "服务结束", "付款期限", "原计划金额", "原付款期限", "计划金额", "扣减",
                       "应付", "已付", "已开票", "未付", "状态", "逾期天数"],
           [[i.label, i.start_on, i.end_on, i.due_on, i.original_planned, i.original_due_on, i.planned, i.deductions,
             i.payable, i.paid, i.invoiced, i.outstanding, i.stage.label, i.late_days(today) or None]
            for i in ledger.installments], [16, 12, 12, 12, 14, 12, 14, 12, 14, 14, 14, 14, 10, 9])
    _sheet(wb, "付款", ["编号", "付款期", "付款日期", "金额", "凭证号", "提前支付", "发票未覆盖", "备注", "作废日期", "作废原因"],
           [[p.id, ledger.installment(p.period).label, p.paid_on, p.amount, p.voucher, "是" if p.early else "",
             p.uncovered if p.active else None, p.note, p.voided_on, p.void_reason] for p in ledger.payments],
           [6, 16, 12, 14, 12, 9, 12, 30, 12, 20])
    _sheet(wb, "发票", ["编号", "发票种类", "发票代码", "发票号码", "开票日期", "金额", "税率", "对应付款期", "备注",
                       "作废日期", "作废原因"],
           [[inv.id, inv.kind_label, inv.code, inv.number, inv.issued_on, inv.amount, inv.tax_label, inv.periods_label,
             inv.note, inv.voided_on, inv.void_reason] for inv in ledger.invoices],
           [6, 20, 14, 24, 12, 14, 8, 30, 30, 12, 20])
    _sheet(wb, "扣减", ["编号", "付款期", "登记日期", "金额", "原因", "关联", "作废日期", "作废原因"],
           [[d.id, ledger.installment(d.period).label, d.recorded_on, d.amount, d.reason, d.reference, d.voided_on,
             d.void_reason] for d in ledger.deductions], [6, 16, 12, 12, 50, 30, 12, 20])
    _sheet(wb, "办理记录", ["付款期", "原状态", "新状态", "办理日期", "经办人", "原因"],
           [[i.label, s.from_stage.label, s.to_stage.label, s.stepped_on, s.operator, s.reason]
            for i in ledger.installments for s in i.steps], [16, 10, 10, 12, 12, 40])
    _sheet(wb, "补充协议", ["编号", "协议编号", "签订日期", "协议名称", "原合同总额", "合同总额", "变更内容", "备注"],
           [[s.id, s.agreement_no, s.signed_on, s.title, s.previous_total, s.total, s.changes, s.note]
            for s in ledger.supplements], [6, 14, 12, 30, 14, 14, 60, 30])
    save_workbook(wb, path)
    store.note("export", "ledger_installments", "*", "导出付款台账到 Excel", {"file": path.name})
    return path
