"""Printed forms of the 付款台账: the 付款申请单 of one installment, as the office signs it,
and the year's ledger statement for leadership and the auditor. PDF bytes out; the UI
shows them through ui.printing.present_pdf, the command line writes them to a file."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app import clock
from app.errors import UserError
from app.ledger import EARLY_PAYMENT_NOTE, FISCAL_DELAY_NOTE, ZERO, Installment, Ledger, Stage, load_ledger
from app.money import capital_words, format_yuan
from app.reports.pdf import embedded_canvas, register_fonts, style
from app.reports.tables import CJKTable
from app.store.store import Store

SIGNATURES = ("经办人", "科室负责人", "财务审核", "分管领导", "主要领导")
LABEL_BG = colors.HexColor("#f2f3f5")
GRID = colors.HexColor("#333333")


def _p(text: str, size: float = 10.5, align: int = 0, **extra: Any) -> Paragraph:
    return Paragraph(text, style(size, align=align, **extra))


def _label(text: str) -> Paragraph:
    """A label cell of the form."""
    return _p(text, 10.5, TA_CENTER)


def _c(text: str, size: float = 9) -> Paragraph:
    return _p(text, size, TA_CENTER)


def _r(amount: Decimal, size: float = 9) -> Paragraph:
    return _p(format_yuan(amount, symbol=False), size, TA_RIGHT)


def _l(text: str, size: float = 9) -> Paragraph:
    return _p(text, size)


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def assessment_results(store: Store, inst: Installment, on: dt.date | None = None) -> list[tuple[int, str, bool]]:
    """Each month of the installment's service as the 月度考核 records it on `on` (四.4):
    (month, line, assessed). A month is assessed once its service is over and its scores
    are finalised (定稿 or 已签字); a month still running, not scored, or only a draft is
    said to be so — an early request (三) must not read as if the quarter were complete.
    The assessed months' sheets go with the request as attachments."""
    from app.assessment import Status, load_month

    on = on or clock.today()
    out = []
    not_over = set(inst.months_not_over(on))
    for year, month in _year_months(inst):
        if month in not_over:
            out.append((month, f"{month}月：服务尚未结束，尚未考核", False))
            continue
        try:
            view = load_month(store, year, month)
        except UserError:
            out.append((month, f"{month}月：—", False))
            continue
        sheets = view.sheets
        if not sheets:
            out.append((month, f"{month}月：尚未考核", False))
            continue
        failed = [f"{s.worker_name} {s.total.normalize():f} 分" for s in sheets if not s.passed]
        text = f"{month}月：考核 {len(sheets)} 人，" + (f"不合格 {len(failed)} 人（{'、'.join(failed)}）"
                                                          if failed else "均合格")
        if view.month.status is Status.DRAFT:
            out.append((month, f"{month}月：尚未定稿（草稿，已评 {len(sheets)} 人）", False))
            continue
        out.append((month, text + f"，{view.month.status.label}", True))
    return out


def _year_months(inst: Installment) -> list[tuple[int, int]]:
    out, day = [], inst.start_on.replace(day=1)
    while day <= inst.end_on:
        out.append((day.year, day.month))
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def request_figures(ledger: Ledger, inst: Installment) -> tuple[Decimal, Decimal]:
    """(paid before this request, this request): what is still to pay on the installment;
    for an installment already paid (a reprint), its payable and what was paid before it."""
    paid = ledger.totals().paid
    if inst.outstanding > 0:
        return paid, inst.outstanding
    return paid - inst.paid, inst.payable


def payment_request_pdf(store: Store, period: str, on: dt.date | None = None) -> bytes:
    """付款申请单 of one installment, A4 portrait, for the five signatures."""
    ledger = load_ledger(store)
    inst = ledger.installment(period)
    on = on or clock.today()
    contract = ledger.contract
    payee = ledger.payee
    before, request = request_figures(ledger, inst)
    total = ledger.total
    after_pct = ((before + request) * 100 / total).quantize(Decimal("0.01")) if total else ZERO
    before_pct = (before * 100 / total).quantize(Decimal("0.01")) if total else ZERO
    invoices = [inv for inv in ledger.invoices_of(inst.period) if inv.active]
    invoiced = sum((a for inv in invoices for p, a in inv.items if p == inst.period), ZERO)

    audit = [f"{s.to_stage.label} {s.stepped_on.isoformat()}" for s in inst.steps if not s.backwards
             and s.to_stage in (Stage.SUBMITTED, Stage.AUDITED, Stage.APPROVED)]
    deductions = [d for d in ledger.deductions_of(inst.period) if d.active]
    results = assessment_results(store, inst, on)
    assessed = [f"{m}月" for m, _, done in results if done]
    pending = [f"{m}月" for m, _, done in results if not done]
    early = inst.submitted_early or not inst.ended(on)
    sheets_note = ("（考核表附后）" if not pending else
                   f"（{'、'.join(assessed)}考核表附后；{'、'.join(pending)}考核后补附）" if assessed else
                   f"（{'、'.join(pending)}考核后补附考核表）")
    reason = [f"支付{inst.label}（{inst.start_on:%Y.%m.%d}—{inst.end_on:%Y.%m.%d}）接诉即办平台盯守服务费。"
              f"依据合同第三条：按季度支付，次季度的10日前支付上季度服务费，付款期限 {inst.due_on.isoformat()} 前。"]
    if early:
        reason.append(f"<b>提前支付</b>：本期服务期至 {inst.end_on.isoformat()}，"
                      + (f"申请日尚未结束（还有 {(inst.end_on - on).days + 1} 天）" if not inst.ended(on)
                         else "送审时尚未结束")
                      + f"，{'、'.join(pending) + '尚未考核' if pending else '各月均已考核'}。{EARLY_PAYMENT_NOTE}")
    reason += [f"月度服务考核：{'；'.join(line for _, line, _ in results)}{sheets_note}。",
              ("本期扣减 " + "；".join(f"{format_yuan(d.amount)}（{d.reason.rstrip('。')}"
                                     + (f"，{d.reference}" if d.reference else "") + "）" for d in deductions) + "。"
               if deductions else "本期无扣减。")]
    if audit:
        reason.append("审计审核及审批：" + "，".join(audit) + "。")
    if inst.amended:
        reason.append(f"按补充协议，本期计划金额由 {format_yuan(inst.original_planned)} 调整为 {format_yuan(inst.planned)}。")
    late = inst.overdue_days(on)
    if late:
        reason.append(f"本期已逾期 {late} 天。{FISCAL_DELAY_NOTE}")
    elif inst.paid_late_days():
        reason.append(f"本期逾期 {inst.paid_late_days()} 天付清。{FISCAL_DELAY_NOTE}")

    if invoices:
        numbers = "；".join(f"{inv.display_number}（{inv.issued_on.isoformat()}，{format_yuan(inv.amount)}，"
                           f"{inv.tax_label}）" for inv in invoices)
        invoice_text = f"{numbers}<br/>共 {len(invoices)} 张，本期合计 {format_yuan(invoiced)}"
        if invoiced < request + (inst.paid if inst.outstanding > 0 else ZERO):
            invoice_text += "<br/><b>发票金额不足本次付款金额（合同第五条第5款：乙方应开具正规足额发票）</b>"
    else:
        invoice_text = "尚未收到发票（合同第五条第5款：乙方应在甲方付款的同时开具正规足额发票）"
    sheets_line = (f"3. 月度服务考核表 {len(assessed)} 份（{'、'.join(assessed)}）" if assessed
                   else "3. 月度服务考核表：本期尚无已考核的月份")
    if pending:
        sheets_line += f"，{'、'.join(pending)}考核后补附"
    attachments = (f"1. 服务合同（复印件）1 份；2. 发票 {len(invoices)} 张；"
                   f"{sheets_line}；4. 审计审核意见 1 份")
    department = payee.department if payee and payee.department else ""
    blank = "（未录入，请在“收款账户”中录入）"

    L = _label  # noqa: N806 - reads as the form's label column
    rows: list[list[Any]] = [
        [L("申请部门"), _p(department or "&nbsp;"), L("申请日期"), _p(_cn_date(on))],
        [L("合同名称"), _p(contract.name), "", ""],
        [L("合同编号"), _p(contract.code), L("合同总额"),
         _p(format_yuan(total) + (f"<br/>（原合同 {format_yuan(contract.total)}）" if total != contract.total else ""))],
        [L("累计已付<br/>（本次前）"), _p(f"{format_yuan(before)}（{before_pct}%）"), L("本次申请后<br/>累计已付"),
         _p(f"{format_yuan(before + request)}（{after_pct}%）")],
        [L("付款事由"), _p("<br/>".join(reason)), "", ""],
        [L("收款单位"), _p(payee.account_name if payee else contract.vendor.name), "", ""],
        [L("开户银行"), _p(payee.bank if payee else blank), L("银行账号"), _p(payee.account_display if payee else blank)],
        [L("申请金额<br/>（大写）"), _p(f"<b>{capital_words(request)}</b>", 13), "", ""],
        [L("申请金额<br/>（小写）"), _p(f"<b>{format_yuan(request)}</b>", 13), L("付款期限"),
         _p(f"{inst.due_on.isoformat()} 前" + (f"（原 {inst.original_due_on.isoformat()}）"
                                               if inst.due_on != inst.original_due_on else ""))],
        [L("发票"), _p(invoice_text, 9.5), "", ""],
        [L("附件"), _p(attachments), "", ""],
    ]
    widths = [28 * mm, 62 * mm, 26 * mm, 64 * mm]
    table = CJKTable(rows, colWidths=widths)
    spans = [1, 4, 5, 7, 9, 10]
    commands: list[Any] = (
        [("GRID", (0, 0), (-1, -1), 0.7, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
         ("BACKGROUND", (0, 0), (0, -1), LABEL_BG), ("TOPPADDING", (0, 0), (-1, -1), 6),
         ("BOTTOMPADDING", (0, 0), (-1, -1), 7)]
        + [("BACKGROUND", (2, r), (2, r), LABEL_BG) for r in (0, 2, 3, 6, 8)]
        + [("SPAN", (1, r), (3, r)) for r in spans])
    table.setStyle(TableStyle(commands))

    sign_head = [_p(s, 10.5, TA_CENTER) for s in SIGNATURES]
    sign_box = [_p("<br/>" * 5 + "&nbsp;", 9) for _ in SIGNATURES]
    sign_date = [_p("年　　月　　日", 9, TA_RIGHT) for _ in SIGNATURES]
    signatures = CJKTable([sign_head, sign_box, sign_date], colWidths=[36 * mm] * 5)
    signatures.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.7, GRID), ("BACKGROUND", (0, 0), (-1, 0), LABEL_BG),
        ("LINEBELOW", (0, 1), (-1, 1), 0, colors.white), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    signatures.setStyle(TableStyle([("LINEABOVE", (0, 2), (-1, 2), 0, colors.white)]))

    request_no = f"{contract.code}-FK{inst.seq:02d}"
    story = [
        _p(contract.client.name, 12, TA_CENTER),
        Spacer(1, 2 * mm),
        _p("付 款 申 请 单", 20, TA_CENTER, leading=28),
        Spacer(1, 3 * mm),
        CJKTable([[_p(f"申请编号：{request_no}", 10),
                _p(f"付款期：{inst.label}" + ("<b>（提前支付）</b>" if early else ""), 10, TA_CENTER),
                _p("金额单位：人民币元", 10, TA_RIGHT)]], colWidths=[62 * mm, 72 * mm, 46 * mm],
              style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]),
        Spacer(1, 1.5 * mm),
        table,
        Spacer(1, 5 * mm),
        KeepTogether([_p("审批签字", 11), Spacer(1, 1.5 * mm), signatures]),
        Spacer(1, 4 * mm),
        _p("说明：费用支付以甲方审计审核及内部审批程序后再按合同履行（合同第三条）。本单由付款台账生成，"
           f"打印于 {on.isoformat()}。", 8.5, textColor=colors.HexColor("#555555")),
    ]
    return _build(story, A4, f"付款申请单 {inst.label}", (25 * mm, 18 * mm, 15 * mm, 15 * mm))


def _build(story: list[Any], pagesize: tuple[float, float], title: str,
           margins: tuple[float, float, float, float]) -> bytes:
    """margins: left, top, right, bottom."""
    register_fonts()
    buffer = BytesIO()
    left, top, right, bottom = margins
    doc = SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=left, rightMargin=right, topMargin=top,
                            bottomMargin=bottom, title=title, author="盯守台账")

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(register_fonts(), 8)
        canvas.drawCentredString(pagesize[0] / 2, 8 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer, canvasmaker=embedded_canvas)
    return buffer.getvalue()


def _grid(rows: list[list[Any]], widths: list[float], *, right_cols: tuple[int, ...] = (), total_row: bool = False) -> Table:
    table = CJKTable(rows, colWidths=widths, repeatRows=1)
    commands: list[Any] = [("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (-1, 0), LABEL_BG),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    if total_row:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), LABEL_BG))
    table.setStyle(TableStyle(commands))
    return table


def ledger_statement_pdf(store: Store, on: dt.date | None = None) -> bytes:
    """The year's ledger: installments, payments, invoices, deductions, agreements, steps."""
    on = on or clock.today()
    ledger = load_ledger(store, on)
    contract = ledger.contract
    t = ledger.totals()
    c, r, l = _c, _r, _l  # noqa: E741 - centred, right (amounts), left

    amended = any(i.amended for i in ledger.installments) or bool(ledger.supplements)
    fs = 8 if amended else 9  # two more columns, original beside amended, on the same width

    def cc(text: str) -> Paragraph:
        return _c(text, fs)

    def rr(amount: Decimal) -> Paragraph:
        return _r(amount, fs)

    # Original beside amended (九.1): 原期限 | 付款期限, 原计划金额 | 计划金额.
    head = ["付款期", "服务期间"] + (["原期限"] if amended else []) + ["付款期限（此日前）"] + \
        (["原计划金额"] if amended else []) + ["计划金额", "扣减", "应付", "已付", "已开票", "未付", "状态"]
    rows: list[list[Any]] = [[cc(h) for h in head]]
    for i in ledger.installments:
        late = i.late_days(on)
        rows.append([cc(i.label), cc(f"{i.start_on:%m.%d}—{i.end_on:%m.%d}")]
                    + ([cc(i.original_due_on.isoformat())] if amended else []) + [cc(i.due_on.isoformat())]
                    + ([rr(i.original_planned)] if amended else [])
                    + [rr(i.planned), rr(i.deductions), rr(i.payable), rr(i.paid), rr(i.invoiced), rr(i.outstanding),
                       cc(i.stage.label + ("<br/>提前支付" if i.submitted_early else "")
                          + (f"<br/>逾期 {late} 天" if late else ""))])  # under 已支付: paid that late
    rows.append([cc("合计"), cc("")] + ([cc("")] if amended else []) + [cc("")]
                + ([rr(sum((i.original_planned for i in ledger.installments), ZERO))] if amended else [])
                + [rr(t.planned), rr(t.deductions), rr(t.payable), rr(t.paid), rr(t.invoiced), rr(t.outstanding),
                   cc(f"已付<br/>{t.paid_percent}%")])
    widths = [30, 24] + ([22] if amended else []) + [24] + ([26] if amended else []) + \
        [26, 22, 26, 26, 26, 26, 22]
    scale = 267 / sum(widths)
    story: list[Any] = [
        _p(f"{contract.name}", 15, TA_CENTER, leading=20),
        _p("付 款 台 账", 18, TA_CENTER, leading=26),
        _p(f"合同编号 {contract.code}　甲方 {contract.client.name}　乙方 {contract.vendor.name}　"
           f"截至 {_cn_date(on)}　金额单位：人民币元", 9, TA_CENTER),
        Spacer(1, 3 * mm),
        _p(f"合同总额 <b>{format_yuan(t.total)}</b>（{capital_words(t.total)}）"
           + (f"；原合同 {format_yuan(t.original_total)}" if t.total != t.original_total else "")
           + f"；已付 <b>{format_yuan(t.paid)}</b>（{t.paid_percent}%）；已开票 {format_yuan(t.invoiced)}；"
           f"扣减 {format_yuan(t.deductions)}；未付 <b>{format_yuan(t.outstanding)}</b>"
           + (f"；下一笔 {t.next_due.label}，{t.next_due.due_on.isoformat()} 前" if t.next_due else "") + "。", 9.5),
        Spacer(1, 2 * mm),
        _grid(rows, [w * scale * mm for w in widths], total_row=True),
    ]
    if any(i.late_days(on) for i in ledger.installments):
        story += [Spacer(1, 1.5 * mm), _p(f"逾期说明：{FISCAL_DELAY_NOTE}", 8.5)]

    payments: list[list[Any]] = [[c(h) for h in ("付款日期", "付款期", "金额", "凭证号", "提前支付", "发票覆盖", "备注")]]
    for p in ledger.payments:
        cover = "足额" if p.uncovered == 0 else f"缺 {format_yuan(p.uncovered, symbol=False)}"
        note = p.note + (f"（已作废 {p.voided_on.isoformat()}：{p.void_reason}）" if p.voided_on else "")
        payments.append([c(p.paid_on.isoformat()), c(ledger.installment(p.period).label), r(p.amount), c(p.voucher),
                         c("是" if p.early else ""), c(cover if p.active else "—"), l(note)])
    story += [Spacer(1, 4 * mm), KeepTogether([_p("付款记录", 11),
              _grid(payments, [w * mm for w in (24, 30, 30, 26, 18, 30, 109)])
              if len(payments) > 1 else _p("尚无付款。", 9)])]

    invoices: list[list[Any]] = [[c(h) for h in ("开票日期", "发票号码", "种类", "金额", "税率", "对应付款期", "备注")]]
    for inv in ledger.invoices:
        note = inv.note + (f"（已作废 {inv.voided_on.isoformat()}：{inv.void_reason}）" if inv.voided_on else "")
        invoices.append([c(inv.issued_on.isoformat()), c(inv.display_number), c(inv.kind_label), r(inv.amount),
                         c(inv.tax_label), c(inv.periods_label), l(note)])
    story += [Spacer(1, 4 * mm), KeepTogether([_p("发票（合同第五条第5款）", 11),
              _grid(invoices, [w * mm for w in (24, 52, 40, 30, 14, 40, 67)])
              if len(invoices) > 1 else _p("尚无发票。", 9)])]

    if ledger.deductions:
        ded: list[list[Any]] = [[c(h) for h in ("登记日期", "付款期", "金额", "原因", "关联")]]
        for d in ledger.deductions:
            reason = d.reason + (f"（已作废：{d.void_reason}）" if d.voided_on else "")
            ded.append([c(d.recorded_on.isoformat()), c(ledger.installment(d.period).label), r(d.amount), l(reason),
                        l(d.reference)])
        story += [Spacer(1, 4 * mm), KeepTogether([_p("扣减", 11), _grid(ded, [w * mm for w in (24, 30, 26, 117, 70)])])]
    if ledger.supplements:
        sup: list[list[Any]] = [[c(h) for h in ("签订日期", "协议编号", "协议名称", "变更内容")]]
        for agreement in ledger.supplements:
            sup.append([c(agreement.signed_on.isoformat()), c(agreement.agreement_no), l(agreement.title),
                        l(agreement.changes)])
        story += [Spacer(1, 4 * mm), KeepTogether([_p("补充协议（合同第九条第1款：与本协议不一致处，以补充协议为准）", 11),
                  _grid(sup, [w * mm for w in (24, 30, 70, 143)])])]

    steps: list[list[Any]] = [[c(h) for h in ("付款期", "办理", "日期", "经办人", "原因")]]
    for i in ledger.installments:
        for s in i.steps:
            steps.append([c(i.label), c(f"{s.from_stage.label} → {s.to_stage.label}" + ("（退回）" if s.backwards else "")),
                          c(s.stepped_on.isoformat()), c(s.operator), l(s.reason)])
    if len(steps) > 1:
        story += [Spacer(1, 4 * mm), KeepTogether([_p("审计审核与审批办理记录", 11),
                  _grid(steps, [w * mm for w in (30, 50, 26, 30, 131)])])]
    story += [Spacer(1, 8 * mm),
              CJKTable([[_p("编制：", 10), _p("复核：", 10), _p("科室负责人：", 10), _p("日期：　　年　　月　　日", 10)]],
                    colWidths=[60 * mm, 60 * mm, 70 * mm, 77 * mm])]
    return _build(story, landscape(A4), f"付款台账 {contract.code}", (15 * mm, 12 * mm, 15 * mm, 14 * mm))
