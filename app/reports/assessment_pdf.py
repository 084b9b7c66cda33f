"""The monthly assessment sheets (one per worker, A4 portrait) and the month's summary.

The sheet is the evidence if the contract is ever disputed: it prints the record exactly,
the clause 四.4 sentence that the result only judges the vendor's performance, three
signature blocks with date lines and a seal area, and a footer with the sheet's number and
its content-derived verification code, also as a QR code. Every text wraps inside its box
(`app.reports.layout`); a criterion's reasons too long for its cell move to a 扣分明细
table below, whose rows continue on the next page with the header repeated.
"""
from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.assessment import MonthView, Sheet
from app.assessment_template import fmt_points
from app.reports.layout import Cell, Pager, Row, Text, draw_row, reused_form, row_height, table, wrap
from app.reports.pdf import embedded_canvas, printable, register_fonts

TITLE = "龙潭街道接诉即办平台盯守服务人员月度考核表"
CLAUSE_4_4 = ("依据《2026 年龙潭街道接诉即办平台盯守服务合同》第四条第 4 款：甲方对乙方派至甲方的服务人员每月进行考核，"
              "评估结果仅作为判断乙方是否按约履行服务义务的依据。本表不涉及服务人员的劳动管理、工作时间安排和薪酬核算，"
              "上述事项由乙方自行负责。")
CELL_REASON_LIMIT = 150  # characters of reasons that fit a criterion's cell; beyond, see 扣分明细
MARGIN = 15 * mm
QR_SIZE = 18 * mm
FOOTER = QR_SIZE + 4 * mm
COLUMNS = [9 * mm, 20 * mm, 61 * mm, 10 * mm, 10 * mm, 58 * mm, 12 * mm]


def _qrencoder() -> Any:
    """reportlab's QR encoder (a plain module: re, itertools). Importing it the usual way runs
    `reportlab.graphics.barcode`'s package set-up, which loads every barcode widget and the
    graphics library (≈ 90 ms of a 0.4 s `sheets` run); loaded from its file it costs nothing.
    In a frozen build without the source file, the usual import is the fallback."""
    import importlib.util
    import sys

    import reportlab

    name = "_dingshou_qrencoder"
    if name in sys.modules:
        return sys.modules[name]
    path = Path(reportlab.__file__).parent / "graphics" / "barcode" / "qrencoder.py"
    spec = importlib.util.spec_from_file_location(name, path) if path.is_file() else None
    if spec is None or spec.loader is None:
        from reportlab.graphics.barcode import qrencoder
        return qrencoder
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules[name] = module
    return module


def qr_modules(text: str) -> list[list[bool]]:
    """The QR code's modules (level M). A fixed mask pattern is as valid as the "best" one
    (the mask is written into the code) and saves choosing among eight per sheet."""
    qrencoder = _qrencoder()
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(text)
    qr.version = qr.calculate_version()
    qr.makeImpl(False, 0)
    return [[bool(v) for v in row] for row in qr.modules]


def draw_qr(canvas: Any, text: str, x: float, y: float, size: float) -> None:
    modules = qr_modules(text)
    n = len(modules) + 2  # one module of quiet zone each side
    box = size / n
    path = canvas.beginPath()
    for r, row in enumerate(modules):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                path.rect(x + (start + 1) * box, y + size - (r + 2) * box, (c - start) * box, box)
            else:
                c += 1
    canvas.drawPath(path, stroke=0, fill=1)


def _footer_drawer(left: str, code: str, qr_text: str) -> Any:
    first_page: list[int] = []

    def draw(canvas: Any, page: int) -> None:
        first_page.append(page)
        font = register_fonts()
        width = A4[0]
        canvas.saveState()
        canvas.setFont(font, 8.5)
        canvas.setStrokeGray(0.5)
        canvas.line(MARGIN, MARGIN + FOOTER - 2 * mm, width - MARGIN, MARGIN + FOOTER - 2 * mm)
        canvas.drawString(MARGIN, MARGIN + 12 * mm, printable(left))
        if code:
            canvas.drawString(MARGIN, MARGIN + 7 * mm, f"校验码：{code}    （甲方可在盯守台账中据此核对本表与系统记录是否一致）")
        canvas.drawString(MARGIN, MARGIN + 2 * mm, f"第 {page - first_page[0] + 1} 页    打印件与系统记录一致方为有效；"
                                                   "记录的任何改动都会使校验码不符。")
        if qr_text:
            draw_qr(canvas, qr_text, width - MARGIN - QR_SIZE, MARGIN, QR_SIZE)
        canvas.restoreState()
    return draw


def _pager(canvas: Canvas) -> Pager:
    return Pager(canvas, A4[0], A4[1], MARGIN, MARGIN, MARGIN, MARGIN + FOOTER)


def _title(pager: Pager, text: str) -> None:
    part = Text(text, 16, "center", leading=22)
    height = part.line_height * len(wrap(text, 16, pager.frame_width))
    reused_form(pager, ("title", text), height, lambda: pager.text_block(part))
    pager.skip(3 * mm)


def _reasons(sheet: Sheet, criterion: int) -> tuple[str, bool]:
    mine = [d for d in sheet.deductions if d.criterion == criterion]
    lines = [d.describe() + (f"，扣 {fmt_points(d.points)} 分" if d.points and len(mine) > 1 else "") for d in mine]
    text = "\n".join(lines)
    if len(text) <= CELL_REASON_LIMIT:
        return text or "—", False
    return f"共 {len(lines)} 条，见下方扣分明细。", True


def _info_rows(sheet: Sheet, contract_name: str, client: str, vendor: str) -> list[Row]:
    def pair(a: str, b: str, c: str, d: str) -> Row:
        return Row([Cell.of(a, align="center"), Cell.of(b), Cell.of(c, align="center"), Cell.of(d)])
    return [pair("合同", contract_name, "考核月份", sheet.month.label), pair("甲方", client, "乙方", vendor),
            pair("服务人员", sheet.worker_name, "服务岗位", sheet.post_name),
            pair("考核标准", sheet.template.label, "考核表编号", sheet.sheet_no)]


def qr_text(sheet: Sheet) -> str:
    """What the sheet's QR code holds (`verify` accepts it as scanned)."""
    return f"{sheet.sheet_no} {sheet.code}"


def draw_sheet(pager: Pager, sheet: Sheet, contract_name: str, client: str, vendor: str) -> None:
    pager.on_page_end = _footer_drawer(f"考核表编号：{sheet.sheet_no}    {sheet.month.label}    {sheet.worker_name}",
                                       sheet.code, qr_text(sheet))
    _title(pager, TITLE)
    table(pager, [20 * mm, 70 * mm, 22 * mm, 68 * mm], _info_rows(sheet, contract_name, client, vendor))
    pager.skip(3 * mm)
    header = Row([Cell.of(h, align="center") for h in ("序号", "考核项目", "考核标准", "分值", "扣分", "扣分事由", "得分")],
                 shade=True)
    rows: list[Row] = []
    overflow = False
    total_deducted = Decimal(0)
    for i, c in enumerate(sheet.template.criteria, start=1):
        reasons, moved = _reasons(sheet, i)
        overflow |= moved
        deducted = sheet.deducted(i)
        total_deducted += deducted
        standard = [Text(c.standard, 9)] + ([Text(f"扣分规则：{c.rules}", 7.5, grey=True)] if c.rules else [])
        rows.append(Row([Cell.of(str(i), align="center"), Cell.of(c.name), Cell(standard),
                         Cell.of(fmt_points(c.max), align="center"),
                         Cell.of(fmt_points(deducted) if deducted else "—", align="center"), Cell.of(reasons),
                         Cell.of(fmt_points(sheet.criterion_score(i)), align="center")]))
    rows.append(Row([Cell.of("合计", align="center", span=2),
                     Cell.of(f"等级：{sheet.grade}（合格分数线 {fmt_points(sheet.template.pass_mark)} 分）"),
                     Cell.of("100", align="center"),
                     Cell.of(fmt_points(total_deducted) if total_deducted else "—", align="center"), Cell.of(""),
                     Cell.of(fmt_points(sheet.total), align="center")]))
    _criteria_table(pager, sheet, header, rows)
    if overflow:
        pager.skip(3 * mm)
        pager.ensure(40)
        pager.text_block(Text("扣分明细", 10))
        pager.skip(1 * mm)
        detail = [Row([Cell.of(str(n), align="center"), Cell.of(d.date.isoformat(), align="center"),
                       Cell.of(sheet.template.criteria[d.criterion - 1].name), Cell.of(fmt_points(d.points), align="center"),
                       Cell.of(d.describe())]) for n, d in enumerate(sheet.deductions, start=1)]
        table(pager, [10 * mm, 22 * mm, 26 * mm, 12 * mm, 110 * mm], detail,
              Row([Cell.of(h, align="center") for h in ("序号", "日期", "考核项目", "扣分", "扣分事由")], shade=True))
    pager.skip(3 * mm)
    table(pager, [20 * mm, 160 * mm], [Row([Cell.of("考核意见", align="center"), Cell.of(sheet.comment or "（无）")])])
    pager.skip(2.5 * mm)
    clause = Text(CLAUSE_4_4, 8, leading=10.5, grey=True)
    clause_h = clause.line_height * len(wrap(CLAUSE_4_4, 8, pager.frame_width)) + 3 * mm
    tail = clause_h + sum(row_height(r, SIGNATURE_WIDTHS) for r in SIGNATURE_ROWS)
    pager.ensure(tail)  # the sentence of 四.4 and the signatures stay together

    def draw_tail() -> None:
        pager.text_block(clause)
        pager.skip(3 * mm)
        _signatures(pager)
    reused_form(pager, "tail", tail, draw_tail)
    pager.end_page()


# The fixed texts of a criteria row (序号, 考核项目, 考核标准, 分值) and of the total row.
_FIXED = {False: frozenset({0, 1, 2, 3}), True: frozenset({0, 2})}


def _criteria_table(pager: Pager, sheet: Sheet, header: Row, rows: list[Row]) -> None:
    """The criteria table; where it fits the page, its grid and fixed texts come from a form
    shared by every sheet of the same template whose rows have the same heights."""
    heights = [row_height(r, COLUMNS) for r in [header, *rows]]
    if sum(heights) > pager.space_left():
        table(pager, COLUMNS, rows, header)
        return
    top = pager.y
    key = ("criteria", sheet.template.id, sheet.template.version, sheet.template.name,
           tuple(round(h, 2) for h in heights))

    def fixed() -> None:
        draw_row(pager, header, COLUMNS, heights[0])
        for n, (row, h) in enumerate(zip(rows, heights[1:])):
            draw_row(pager, row, COLUMNS, h, cells=_FIXED[n == len(rows) - 1])
    reused_form(pager, key, sum(heights), fixed)
    pager.y = top - heights[0]
    for n, (row, h) in enumerate(zip(rows, heights[1:])):
        last = n == len(rows) - 1
        draw_row(pager, row, COLUMNS, h, boxes=False,
                 cells=[i for i in range(len(row.cells)) if i not in _FIXED[last]])


def _signatures(pager: Pager) -> None:
    for r in SIGNATURE_ROWS:
        draw_row(pager, r, SIGNATURE_WIDTHS, row_height(r, SIGNATURE_WIDTHS))


def _signature_block(who: str) -> Cell:
    return Cell([Text(f"{who}（签字）："), Text("\n\n", leading=12), Text("日期：＿＿＿＿年＿＿月＿＿日")], valign="top")


SIGNATURE_WIDTHS = [60 * mm] * 3
SIGNATURE_ROWS = [
    Row([_signature_block("考核人（甲方）"), _signature_block("乙方负责人"), _signature_block("服务人员确认")],
        min_height=22 * mm),
    Row([Cell([Text("甲方（盖章）", align="center")], valign="top"),
         Cell([Text("乙方（盖章）", align="center")], valign="top"),
         Cell([Text("服务人员已阅知本月考核结果。", 8, grey=True)], valign="top")], min_height=16 * mm),
]


def _draw_summary(pager: Pager, view: MonthView, extra: dict[str, Any]) -> None:
    pager.on_page_end = _footer_drawer(f"月度考核汇总表    {view.month.label}    第 {view.month.revision} 版", "", "")
    _title(pager, f"龙潭街道接诉即办平台盯守服务人员月度考核汇总表（{view.month.label}）")
    status = view.month.status.label + (f"，签字日期 {view.month.signed_on.isoformat()}" if view.month.signed_on else "")
    pager.text_block(Text(f"合同：{view.contract.name}　　状态：{status}", 10))
    pager.skip(2 * mm)
    header = Row([Cell.of(h, align="center") for h in ("序号", "服务人员", "服务岗位", "扣分条数", "合计得分", "等级",
                                                       "考核表编号", "校验码")], shade=True)
    rows = []
    for n, r in enumerate(view.rows, start=1):
        sh = r.sheet
        rows.append(Row([Cell.of(str(n), align="center"), Cell.of(r.assignment.worker_name), Cell.of(r.post_name),
                         Cell.of(str(len([d for d in sh.deductions if d.points])) if sh else "—", align="center"),
                         Cell.of(fmt_points(sh.total) if sh else "未评分", align="center"),
                         Cell.of(sh.grade if sh else "—", align="center"),
                         Cell.of(sh.sheet_no if sh else "—", align="center"),
                         Cell.of(sh.code if sh else "—", align="center")]))
    # 考核表编号 wide enough for a reprint's KH-202611-001-R2 on one line
    table(pager, [10 * mm, 24 * mm, 38 * mm, 16 * mm, 16 * mm, 14 * mm, 36 * mm, 26 * mm], rows, header)
    pager.skip(4 * mm)
    ranking = extra.get("ranking")
    pager.text_block(Text("区月考核排名：" + (ranking or "本月尚未登记。"), 10))
    pager.skip(2 * mm)
    rules = extra.get("rules") or []
    pager.text_block(Text("合同约定情形提示：" + ("无。" if not rules else ""), 10))
    for rule in rules:
        pager.text_block(Text(f"· 【合同{rule.clause_text}】{rule.title}：{rule.detail}", 9))
    pager.skip(3 * mm)
    pager.text_block(Text(CLAUSE_4_4, 8, leading=10.5, grey=True))
    pager.end_page()


def _canvas(buffer: io.BytesIO, title: str) -> Canvas:
    rl_config.useA85 = 0  # binary streams: smaller files, and no pure-Python ASCII85 pass per page
    canvas = embedded_canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("龙潭街道办事处")
    canvas.setCreator("盯守台账")
    return canvas


def render_sheets(sheets: Iterable[Sheet], contract_name: str, client: str, vendor: str,
                  summary: MonthView | None = None, summary_extra: dict[str, Any] | None = None) -> bytes:
    """Sheets (and optionally the month's summary first) as one PDF."""
    buffer = io.BytesIO()
    canvas = _canvas(buffer, TITLE)
    pager = _pager(canvas)
    if summary is not None:
        _draw_summary(pager, summary, summary_extra or {})
    for sheet in sheets:
        draw_sheet(pager, sheet, contract_name, client, vendor)
    canvas.save()
    return buffer.getvalue()


def render_summary(view: MonthView, extra: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    canvas = _canvas(buffer, "月度考核汇总表")
    _draw_summary(_pager(canvas), view, extra)
    canvas.save()
    return buffer.getvalue()


__all__ = ["render_sheets", "render_summary", "draw_qr", "qr_modules", "wrap"]
