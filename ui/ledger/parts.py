"""What the 付款台账 tab shows: its table columns and the totals bar. Imported when the tab
is first shown (ui/ledger/tab.py), so the daily start does not load the ledger."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from app.ledger import EARLY_PAYMENT_NOTE, FISCAL_DELAY_NOTE, ZERO, Deduction, Installment, Invoice, Ledger, Payment, Stage, Step, Supplement
from app.money import format_yuan
from ui.models import Column

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter
RED = "#b3261e"
AMBER = "#a15c00"  # late is information (三: a fiscal delay is not a breach), not an alarm
GREY = "#8a8f98"
GREEN = "#2e7d32"


def yuan(amount) -> str:
    return format_yuan(amount, symbol=False)


def _voided(record) -> str:
    return f"已作废（{record.voided_on.isoformat()}：{record.void_reason}）" if record.voided_on else ""


def _grey_if_void(record) -> str | None:
    return GREY if record.voided_on else None


def state_tip(i: Installment, today) -> str:
    """Why the state reads as it does: how late, and the contract's words on it."""
    lines = []
    if i.submitted_early:
        lines.append(f"服务期至 {i.end_on.isoformat()}，尚未结束时送审（提前支付）。{EARLY_PAYMENT_NOTE}")
    paid_late = i.paid_late_days()
    if paid_late:
        step = i.last_step(Stage.PAID)
        assert step is not None
        lines.append(f"{step.stepped_on.isoformat()} 付清，比付款期限 {i.due_on.isoformat()} 晚 {paid_late} 天。")
    if i.late_days(today):
        lines.append(FISCAL_DELAY_NOTE)
    return "\n".join(lines)


def installment_columns(today) -> list[Column[Installment]]:
    def state_colour(i: Installment) -> str | None:
        if i.late_days(today()):  # late, or paid late: information, never 违约 (三)
            return AMBER
        return GREEN if i.outstanding == 0 and i.paid > 0 else None

    return [
        Column("付款期", lambda i: i.label),
        Column("服务期间", lambda i: f"{i.start_on:%m-%d} 至 {i.end_on:%m-%d}", align=CENTER),
        Column("原期限", lambda i: i.original_due_on.isoformat(), align=CENTER),
        Column("付款期限", lambda i: f"{i.due_on.isoformat()} 前", lambda i: i.due_on, CENTER,
               foreground=lambda i: AMBER if i.due_on != i.original_due_on else None,
               tooltip=lambda i: "合同第三条：次季度的 10 日前支付上季度服务费" if i.due_on == i.original_due_on
               else f"补充协议变更，原期限 {i.original_due_on.isoformat()}"),
        Column("原计划金额", lambda i: yuan(i.original_planned), lambda i: i.original_planned, RIGHT),
        Column("计划金额", lambda i: yuan(i.planned), lambda i: i.planned, RIGHT,
               foreground=lambda i: AMBER if i.planned != i.original_planned else None),
        Column("扣减", lambda i: yuan(i.deductions) if i.deductions else "—", lambda i: i.deductions, RIGHT),
        Column("应付", lambda i: yuan(i.payable), lambda i: i.payable, RIGHT),
        Column("已付", lambda i: yuan(i.paid), lambda i: i.paid, RIGHT),
        Column("已开票", lambda i: yuan(i.invoiced), lambda i: i.invoiced, RIGHT,
               foreground=lambda i: RED if i.uninvoiced > 0 else None,
               tooltip=lambda i: f"已付 {yuan(i.paid)}，发票只有 {yuan(i.invoiced)}（合同第五条第5款：足额发票）"
               if i.uninvoiced > 0 else ""),
        Column("未付", lambda i: yuan(i.outstanding), lambda i: i.outstanding, RIGHT),
        Column("状态", lambda i: i.state_text(today()), align=CENTER, foreground=state_colour,
               tooltip=lambda i: state_tip(i, today())),
    ]


PAYMENT_COLUMNS: list[Column[Payment]] = [
    Column("付款日期", lambda p: p.paid_on.isoformat(), foreground=_grey_if_void),
    Column("金额", lambda p: yuan(p.amount), lambda p: p.amount, RIGHT, foreground=_grey_if_void),
    Column("凭证号", lambda p: p.voucher, foreground=_grey_if_void),
    Column("提前支付", lambda p: "是" if p.early else "", align=CENTER, foreground=_grey_if_void),
    Column("发票", lambda p: "—" if p.voided_on else ("足额" if p.uncovered == 0 else f"缺 {yuan(p.uncovered)}"),
           foreground=lambda p: GREY if p.voided_on else (RED if p.uncovered > 0 else GREEN),
           tooltip=lambda p: "合同第五条第5款：乙方应当在甲方付款的同时开具正规足额发票" if p.uncovered > 0 else ""),
    Column("备注", lambda p: " ".join(x for x in (_voided(p), p.note) if x), foreground=_grey_if_void),
]
INVOICE_COLUMNS: list[Column[Invoice]] = [
    Column("开票日期", lambda v: v.issued_on.isoformat(), foreground=_grey_if_void),
    Column("发票号码", lambda v: v.display_number, foreground=_grey_if_void),
    Column("种类", lambda v: v.kind_label, foreground=_grey_if_void),
    Column("金额", lambda v: yuan(v.amount), lambda v: v.amount, RIGHT, foreground=_grey_if_void),
    Column("税率", lambda v: v.tax_label, align=CENTER, foreground=_grey_if_void),
    Column("对应付款期", lambda v: "、".join(f"{p[:4]}Q{p[5:]} {yuan(a)}" for p, a in v.items),
           foreground=_grey_if_void),
    Column("备注", lambda v: " ".join(x for x in (_voided(v), v.note) if x), foreground=_grey_if_void),
]
DEDUCTION_COLUMNS: list[Column[Deduction]] = [
    Column("登记日期", lambda d: d.recorded_on.isoformat(), foreground=_grey_if_void),
    Column("金额", lambda d: yuan(d.amount), lambda d: d.amount, RIGHT, foreground=_grey_if_void),
    Column("原因", lambda d: d.reason, foreground=_grey_if_void, tooltip=lambda d: d.reason),
    Column("关联", lambda d: d.reference, foreground=_grey_if_void),
    Column("备注", _voided, foreground=_grey_if_void),
]
STEP_COLUMNS: list[Column[Step]] = [
    Column("办理", lambda s: f"{s.from_stage.label} → {s.to_stage.label}" + ("（退回）" if s.backwards else ""),
           foreground=lambda s: AMBER if s.backwards else None),
    Column("日期", lambda s: s.stepped_on.isoformat(), align=CENTER),
    Column("经办人", lambda s: s.operator, align=CENTER),
    Column("原因", lambda s: s.reason),
]
SUPPLEMENT_COLUMNS: list[Column[Supplement]] = [
    Column("签订日期", lambda s: s.signed_on.isoformat()),
    Column("协议编号", lambda s: s.agreement_no),
    Column("协议名称", lambda s: s.title),
    Column("原合同总额", lambda s: yuan(s.previous_total), align=RIGHT),
    Column("合同总额", lambda s: yuan(s.total), align=RIGHT),
    Column("变更内容", lambda s: s.changes, tooltip=lambda s: s.changes),
]


class TotalsBar(QFrame):
    """合同总额, 已付, 已开票, 扣减, 未付, 下一笔 — always at the top of the tab."""

    FIELDS = (("total", "合同总额"), ("paid", "已付"), ("invoiced", "已开票"), ("deductions", "扣减"),
              ("outstanding", "未付"), ("next_due", "下一笔付款期限"))

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("totalsBar")
        self.setStyleSheet("QFrame#totalsBar { background: #f7f8fa; border: 1px solid #d0d4da; border-radius: 4px; }"
                           "QLabel[role='value'] { font-size: 16px; font-weight: bold; color: #222222; }"
                           "QLabel[role='caption'] { color: #666666; }")
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 8, 12, 8)
        grid.setHorizontalSpacing(28)
        self.values: dict[str, QLabel] = {}
        self.notes: dict[str, QLabel] = {}
        for col, (key, caption) in enumerate(self.FIELDS):
            cap = QLabel(caption)
            cap.setProperty("role", "caption")
            value = QLabel()
            value.setProperty("role", "value")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            note = QLabel()
            note.setProperty("role", "caption")
            grid.addWidget(cap, 0, col)
            grid.addWidget(value, 1, col)
            grid.addWidget(note, 2, col)
            self.values[key], self.notes[key] = value, note
        grid.setColumnStretch(len(self.FIELDS), 1)

    def show_ledger(self, ledger: Ledger) -> None:
        t = ledger.totals()
        self.values["total"].setText(format_yuan(t.total))
        self.notes["total"].setText(f"原合同 {format_yuan(t.original_total)}" if t.total != t.original_total
                                    else f"{len(ledger.installments)} 期，按季度支付")
        self.values["paid"].setText(format_yuan(t.paid))
        self.notes["paid"].setText(f"占合同总额 {t.paid_percent}%")
        self.values["invoiced"].setText(format_yuan(t.invoiced))
        short = sum((i.uninvoiced for i in ledger.installments), ZERO)
        self.notes["invoiced"].setText(f"已付未开票 {format_yuan(short)}" if short else "发票足额")
        self.notes["invoiced"].setStyleSheet(f"color: {RED};" if short else "")
        self.values["deductions"].setText(format_yuan(t.deductions))
        self.notes["deductions"].setText(f"应付 {format_yuan(t.payable)}")
        self.values["outstanding"].setText(format_yuan(t.outstanding))
        self.notes["outstanding"].setText("")
        if t.next_due:
            self.values["next_due"].setText(f"{t.next_due.due_on.isoformat()} 前")
            late = t.next_due.overdue_days(ledger.today)
            self.notes["next_due"].setText(f"{t.next_due.label} {format_yuan(t.next_due.outstanding)}"
                                           + (f"，逾期 {late} 天" if late else ""))
            self.notes["next_due"].setStyleSheet(f"color: {AMBER};" if late else "")
        else:
            self.values["next_due"].setText("已全部付清")
            self.notes["next_due"].setText("")
