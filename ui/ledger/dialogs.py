"""Dialogs of the 付款台账: a status step, a payment, an invoice, a deduction, the split,
a supplementary agreement, the payee's account, and voiding a record. Each collects what
the clerk typed, in the order of the paper, and hands it to app.ledger_records, which
decides; a refusal is shown in the dialog, naming the field, and nothing is saved."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialogButtonBox, QFormLayout, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QWidget)

from app.errors import UserError
from app.ledger import EARLY_PAYMENT_NOTE, Installment, Ledger, RefKind, Stage
from app.ledger_records import (TAX_RATES, add_deduction, proposed_split, record_invoice, record_payment,
                                record_supplement, set_payee, set_split, step_stage, void_record)
from app.money import capital_words, format_yuan, parse_amount
from app.store import Store
from ui.forms import DateField, FormDialog

INVOICE_KINDS = (("digital", "数电发票（20 位号码）"), ("coded", "增值税发票（发票代码 + 8 位号码）"))


def amount_text(amount: Decimal) -> str:
    return format_yuan(amount, symbol=False)


class AmountField(QLineEdit):
    """An amount typed as the clerk writes it (324,325.20); the capitals shown beneath as
    they will be printed, or why the text is not an amount."""

    def __init__(self, amount: Decimal | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText("例如 324,325.20")
        self.words = QLabel()
        self.words.setObjectName("amountWords")
        self.textChanged.connect(self._show_words)
        if amount is not None:
            self.setText(amount_text(amount))
        self._show_words()

    def _show_words(self) -> None:
        try:
            amount = parse_amount(self.text())
            self.words.setText(capital_words(amount) if amount >= 0 else "")
        except UserError:
            self.words.setText("")


def _form(dialog: FormDialog) -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    dialog.layout_.addLayout(form)
    return form


def _period_combo(ledger: Ledger, selected: str) -> QComboBox:
    combo = QComboBox()
    for inst in ledger.installments:
        combo.addItem(f"{inst.label}（{inst.due_on.isoformat()} 前）", inst.period)
    combo.setCurrentIndex(max(0, ledger.periods.index(selected)) if selected in ledger.periods else 0)
    return combo


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


class StageDialog(FormDialog):
    """办理 the next step of an installment, or take it back (with a reason)."""

    def __init__(self, store: Store, inst: Installment, parent: QWidget | None = None):
        super().__init__(f"办理付款状态：{inst.label}", parent)
        self.store, self.inst = store, inst
        self.setMinimumWidth(460)
        form = _form(self)
        form.addRow("现在状态", QLabel(inst.stage.label + (f"（{inst.steps[-1].stepped_on.isoformat()}，"
                                                           f"{inst.steps[-1].operator}）" if inst.steps else "")))
        self.stage = QComboBox()
        following = [s for s in Stage if s.rank == inst.stage.rank + 1 and s is not Stage.PAID]
        for stage in following:
            self.stage.addItem(f"办理：{stage.label}", stage.value)
        if not following:  # 审批通过 → 已支付 is the payments' business, never a click
            self.stage.addItem("（录入付款，付清时自动转为“已支付”）" if inst.stage is Stage.APPROVED
                               else "（已支付）", None)
        for stage in reversed([s for s in Stage if s.rank < inst.stage.rank]):
            self.stage.addItem(f"退回到：{stage.label}（须填写原因）", stage.value)
        self.on = DateField()
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("退回时必填，例如：审计要求补充3月值守记录")
        self.reason.setFixedHeight(64)
        self.reason.setTabChangesFocus(True)
        # 送审 before the quarter is over is an early payment (三): allowed, but confirmed.
        self.early = QCheckBox("确认提前支付（财政国库支付要求，合同第三条）(&Y)")
        self.early_note = _hint("")
        self.early_note.setStyleSheet("color: #6b3d00; background: #fff6e5; border: 1px solid #f0d9a8; padding: 4px;")
        form.addRow("办理", self.stage)
        form.addRow("办理日期", self.on)
        form.addRow("", self.early)
        form.addRow("", self.early_note)
        form.addRow("原因", self.reason)
        self.fields = {"stage": self.stage, "stepped_on": self.on, "reason": self.reason, "early": self.early}
        self.layout_.addWidget(_hint("顺序：" + " → ".join(s.label for s in Stage)
                                     + "。付清后自动转为“已支付”。合同第三条：经甲方审计审核及内部审批程序后支付。"))
        self.finish_layout()
        self.stage.currentIndexChanged.connect(self._show_early)
        self.on.dateChanged.connect(self._show_early)
        self.on.textChanged.connect(self._show_early)
        self._show_early()

    def _sends_early(self) -> bool:
        """送审 chosen on a day the quarter's service is not over yet."""
        if self.stage.currentData() != Stage.SUBMITTED.value or self.inst.stage.rank >= Stage.SUBMITTED.rank:
            return False
        try:
            return not self.inst.ended(self.on.value())
        except UserError:
            return False

    def _show_early(self) -> None:
        early = self._sends_early()
        self.early.setVisible(early)
        self.early_note.setVisible(early)
        if early:
            months = "、".join(f"{m}月" for m in self.inst.months_not_over(self.on.value()))
            self.early_note.setText(
                f"{self.inst.label}的服务期到 {self.inst.end_on.isoformat()} 才结束，现在送审就是提前支付。"
                f"{EARLY_PAYMENT_NOTE}确认后，台账标为“提前支付”，付款申请单注明尚未考核的月份"
                + (f"（{months}）" if months else "") + "。")

    def save(self) -> Installment:
        if self.stage.currentData() is None:
            raise UserError("审批通过后请录入付款（Ctrl+N），付清时自动转为“已支付”；要退回请选择退回到哪一步并填写原因。")
        return step_stage(self.store, self.inst.period, Stage(self.stage.currentData()), self.on.value(),
                          self.reason.toPlainText(), early=self._sends_early() and self.early.isChecked())



class PaymentDialog(FormDialog):
    confirm_discard = True

    def __init__(self, store: Store, ledger: Ledger, period: str, parent: QWidget | None = None):
        super().__init__("登记付款", parent)
        self.store, self.ledger = store, ledger
        self.setMinimumWidth(480)
        form = _form(self)
        chosen = ledger.period_to_pay(period)
        inst = ledger.installment(chosen)
        self.period = _period_combo(ledger, chosen)
        self.paid_on = DateField()
        self.amount = AmountField(inst.outstanding if inst.outstanding > 0 else None)
        self.voucher = QLineEdit()
        self.voucher.setPlaceholderText("例如 记-0412")
        self.early = QCheckBox("提前支付（财政国库支付要求，合同第三条）")
        self.note = QLineEdit()
        form.addRow("付款期", self.period)
        if chosen != period:  # say why it is not the row selected in the table
            selected = ledger.installment(period)
            why = "已付清" if selected.outstanding <= 0 else f"现在是“{selected.stage.label}”，尚未审批通过"
            self.switched = _hint(f"表格中选中的{selected.label}{why}，这里是待付款的{inst.label}。")
            form.addRow("", self.switched)
        form.addRow("付款日期", self.paid_on)
        form.addRow("金额（元）", self.amount)
        form.addRow("", self.amount.words)
        form.addRow("凭证号", self.voucher)
        form.addRow("", self.early)
        form.addRow("备注", self.note)
        self.fields = {"period": self.period, "paid_on": self.paid_on, "amount": self.amount,
                       "voucher": self.voucher, "note": self.note}
        self.period.currentIndexChanged.connect(self._fill_amount)
        self.finish_layout()

    def _fill_amount(self) -> None:
        inst = self.ledger.installment(self.period.currentData())
        self.amount.setText(amount_text(inst.outstanding) if inst.outstanding > 0 else "")

    def save(self) -> int:
        return record_payment(self.store, self.period.currentData(), self.amount.text(), self.paid_on.value(),
                              self.voucher.text(), early=self.early.isChecked(), note=self.note.text())


class InvoiceDialog(FormDialog):
    confirm_discard = True

    def __init__(self, store: Store, ledger: Ledger, period: str, parent: QWidget | None = None):
        super().__init__("登记发票", parent)
        self.store, self.ledger = store, ledger
        self.setMinimumWidth(520)
        form = _form(self)
        inst = ledger.installment(period)
        self.kind = QComboBox()
        for code, label in INVOICE_KINDS:
            self.kind.addItem(label, code)
        self.code = QLineEdit()
        self.code.setPlaceholderText("10 位或 12 位")
        self.number = QLineEdit()
        self.number.setPlaceholderText("数电发票 20 位，例如 26112000000000012345")
        self.issued_on = DateField()
        due = max(Decimal(0), inst.payable - inst.invoiced)
        self.amount = AmountField(due if due > 0 else None)
        self.tax_rate = QComboBox()
        for rate in TAX_RATES:
            self.tax_rate.addItem(rate if rate == "免税" else f"{rate}%", rate)
        self.periods: dict[str, QCheckBox] = {}
        boxes = QWidget()
        grid = QGridLayout(boxes)
        grid.setContentsMargins(0, 0, 0, 0)
        for n, i in enumerate(ledger.installments):
            box = QCheckBox(i.label)
            box.setChecked(i.period == inst.period)
            self.periods[i.period] = box
            grid.addWidget(box, n // 2, n % 2)
        self.note = QLineEdit()
        form.addRow("发票种类", self.kind)
        form.addRow("发票代码", self.code)
        form.addRow("发票号码", self.number)
        form.addRow("开票日期", self.issued_on)
        form.addRow("金额（价税合计）", self.amount)
        form.addRow("", self.amount.words)
        form.addRow("税率", self.tax_rate)
        form.addRow("对应付款期", boxes)
        form.addRow("备注", self.note)
        self.fields = {"invoice_code": self.code, "invoice_no": self.number, "issued_on": self.issued_on,
                       "amount": self.amount, "tax_rate": self.tax_rate, "periods": boxes, "note": self.note}
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.layout_.addWidget(_hint("合同第五条第5款：乙方应当在甲方付款的同时开具正规足额发票。"))
        self.finish_layout()

    def _kind_changed(self) -> None:
        coded = self.kind.currentData() == "coded"
        self.code.setEnabled(coded)
        if not coded:
            self.code.clear()
        self.number.setPlaceholderText("8 位" if coded else "数电发票 20 位，例如 26112000000000012345")

    def save(self) -> int:
        periods = [p for p, box in self.periods.items() if box.isChecked()]
        return record_invoice(self.store, self.number.text(), self.issued_on.value(), self.amount.text(), periods,
                              code=self.code.text() if self.code.isEnabled() else None,
                              tax_rate=self.tax_rate.currentData(), note=self.note.text())


class DeductionDialog(FormDialog):
    confirm_discard = True

    def __init__(self, store: Store, ledger: Ledger, period: str, parent: QWidget | None = None):
        super().__init__("登记扣减", parent)
        self.store = store
        self.setMinimumWidth(500)
        form = _form(self)
        self.period = _period_combo(ledger, period)
        self.amount = AmountField()
        self.reason = QPlainTextEdit()
        self.reason.setFixedHeight(64)
        self.reason.setTabChangesFocus(True)
        self.ref_kind = QComboBox()
        self.ref_kind.addItem("（不关联）", "")
        for kind in RefKind:
            self.ref_kind.addItem(kind.label, kind.value)
        self.ref_key = QLineEdit()
        self.ref_key.setPlaceholderText("月份 2026-05，或催告通知编号")
        self.ref_text = QLineEdit()
        self.on = DateField()
        form.addRow("付款期", self.period)
        form.addRow("扣减金额（元）", self.amount)
        form.addRow("", self.amount.words)
        form.addRow("扣减原因", self.reason)
        form.addRow("关联", self.ref_kind)
        form.addRow("关联记录", self.ref_key)
        form.addRow("关联说明", self.ref_text)
        form.addRow("登记日期", self.on)
        self.fields = {"period": self.period, "amount": self.amount, "reason": self.reason, "ref_kind": self.ref_kind,
                       "ref_key": self.ref_key, "ref_text": self.ref_text, "recorded_on": self.on}
        self.finish_layout()

    def save(self) -> int:
        return add_deduction(self.store, self.period.currentData(), self.amount.text(), self.reason.toPlainText(),
                             ref_kind=self.ref_kind.currentData(), ref_key=self.ref_key.text(),
                             ref_text=self.ref_text.text(), on=self.on.value())


class _SplitEditor(QWidget):
    """One amount per installment and their sum against the total, live."""

    def __init__(self, ledger: Ledger, amounts: dict[str, Decimal], parent: QWidget | None = None):
        super().__init__(parent)
        self.ledger = ledger
        self.total = ledger.total
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.edits: dict[str, QLineEdit] = {}
        for row, inst in enumerate(ledger.installments):
            edit = QLineEdit(amount_text(amounts[inst.period]))
            edit.textChanged.connect(self.update_sum)
            self.edits[inst.period] = edit
            floor = inst.deductions + max(inst.paid, inst.invoiced)
            grid.addWidget(QLabel(inst.label), row, 0)
            grid.addWidget(edit, row, 1)
            if floor:
                edit.setToolTip(f"已扣减、已付或已开票：本期不能少于 {amount_text(floor)}")
            original = QLabel(f"原 {amount_text(inst.original_planned)}" + ("（已付）" if floor else ""))
            original.setObjectName("hint")
            grid.addWidget(original, row, 2)
        self.sum = QLabel()
        grid.addWidget(QLabel("合计"), len(self.edits), 0)
        grid.addWidget(self.sum, len(self.edits), 1, 1, 2)
        self.update_sum()

    def set_total(self, total: Decimal, amounts: dict[str, Decimal]) -> None:
        self.total = total
        for period, edit in self.edits.items():
            edit.setText(amount_text(amounts[period]))
        self.update_sum()

    def values(self) -> dict[str, str]:
        return {p: e.text() for p, e in self.edits.items()}

    def update_sum(self) -> None:
        try:
            summed = sum((parse_amount(e.text()) for e in self.edits.values()), Decimal("0.00"))
        except UserError:
            self.sum.setText("有金额填写不对")
            self.sum.setStyleSheet("color: #b3261e;")
            return
        diff = summed - self.total
        ok = diff == 0
        self.sum.setText(f"{amount_text(summed)}（合同总额 {amount_text(self.total)}"
                         + ("，相符）" if ok else f"，{'多' if diff > 0 else '少'} {amount_text(abs(diff))}）"))
        self.sum.setStyleSheet("" if ok else "color: #b3261e; font-weight: bold;")


class SplitDialog(FormDialog):
    confirm_discard = True

    def __init__(self, store: Store, ledger: Ledger, parent: QWidget | None = None):
        super().__init__("修改分期金额", parent)
        self.store = store
        self.setMinimumWidth(520)
        self.editor = _SplitEditor(ledger, {i.period: i.planned for i in ledger.installments})
        self.layout_.addWidget(self.editor)
        self.fields = {f"planned:{p}": e for p, e in self.editor.edits.items()}
        self.fields["split"] = next(iter(self.editor.edits.values()))
        self.layout_.addWidget(_hint("各期金额之和必须等于合同总额（精确到分）。合同总额的变更请登记补充协议。"))
        self.finish_layout()

    def save(self) -> object:
        return set_split(self.store, self.editor.values())


class SupplementDialog(FormDialog):
    """补充协议 (九.1): a new total and/or new amounts and due dates per installment."""

    confirm_discard = True

    def __init__(self, store: Store, ledger: Ledger, parent: QWidget | None = None):
        super().__init__("登记补充协议", parent)
        self.store, self.ledger = store, ledger
        self.setMinimumWidth(620)
        form = _form(self)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("例如 补充协议（一）：增加夜间值守")
        self.number = QLineEdit()
        self.signed_on = DateField()
        self.total = AmountField(ledger.total)
        form.addRow("协议名称", self.title_edit)
        form.addRow("协议编号", self.number)
        form.addRow("签订日期", self.signed_on)
        form.addRow("合同总额（元）", self.total)
        form.addRow("", self.total.words)
        self.editor = _SplitEditor(ledger, {i.period: i.planned for i in ledger.installments})
        form.addRow("各期金额", self.editor)
        dues = QWidget()
        due_row = QHBoxLayout(dues)
        due_row.setContentsMargins(0, 0, 0, 0)
        self.dues: dict[str, DateField] = {}
        for inst in ledger.installments:
            field = DateField(inst.due_on)
            field.setToolTip(f"{inst.label}的付款期限")
            self.dues[inst.period] = field
            due_row.addWidget(field)
        form.addRow("付款期限", dues)
        self.note = QLineEdit()
        form.addRow("备注", self.note)
        self.fields = {"title": self.title_edit, "agreement_no": self.number, "signed_on": self.signed_on,
                       "total": self.total, "note": self.note, "split": self.editor,
                       **{f"planned:{p}": e for p, e in self.editor.edits.items()},
                       **{f"due:{p}": d for p, d in self.dues.items()}}
        self.total.editingFinished.connect(self._respread)
        self.layout_.addWidget(_hint("合同第九条第1款：补充协议与本协议不一致处，以补充协议为准。台账保留原合同的金额和期限，"
                                     "与变更后的并列显示。改变总额后，已支付的各期不变，其余各期按默认方式重新分配，可再修改。"))
        self.finish_layout()

    def _respread(self) -> None:
        try:
            total = parse_amount(self.total.text())
        except UserError:
            return
        if total != self.editor.total:
            self.editor.set_total(total, proposed_split(self.ledger, total))

    def save(self) -> int:
        dues = {p: d.value() for p, d in self.dues.items()
                if d.value() != self.ledger.installment(p).due_on}
        return record_supplement(self.store, title=self.title_edit.text(), signed_on=self.signed_on.value(),
                                 agreement_no=self.number.text(), new_total=self.total.text(),
                                 split=self.editor.values(), due_dates=dues, note=self.note.text())


class PayeeDialog(FormDialog):
    """The vendor's bank account, entered once for every 付款申请单."""

    confirm_discard = True

    def __init__(self, store: Store, ledger: Ledger, parent: QWidget | None = None):
        super().__init__("收款账户与申请部门", parent)
        self.store = store
        self.setMinimumWidth(480)
        form = _form(self)
        payee = ledger.payee
        self.account_name = QLineEdit(payee.account_name if payee else ledger.contract.vendor.name)
        self.bank = QLineEdit(payee.bank if payee else "")
        self.bank.setPlaceholderText("例如 中国工商银行北京望京支行")
        self.account_no = QLineEdit(payee.account_display if payee else "")
        self.account_no.setPlaceholderText("按乙方提供的开户证明填写")
        self.department = QLineEdit(payee.department if payee else "")
        self.department.setPlaceholderText("付款申请单上的申请部门")
        form.addRow("收款单位", self.account_name)
        form.addRow("开户银行", self.bank)
        form.addRow("银行账号", self.account_no)
        form.addRow("申请部门", self.department)
        self.fields = {"account_name": self.account_name, "bank": self.bank, "account_no": self.account_no,
                       "department": self.department}
        self.layout_.addWidget(_hint("合同未载明乙方银行账户：请按乙方盖章的开户证明录入一次，付款申请单都用这里的信息。"))
        self.finish_layout()

    def save(self) -> None:
        set_payee(self.store, account_name=self.account_name.text(), bank=self.bank.text(),
                  account_no=self.account_no.text(), department=self.department.text())


class VoidDialog(FormDialog):
    """作废 a record entered by mistake: it stays on the ledger, struck out, with the reason."""

    def __init__(self, store: Store, kind: str, record_id: int, description: str, parent: QWidget | None = None):
        super().__init__("作废记录", parent)
        self.store, self.kind, self.record_id = store, kind, record_id
        self.setMinimumWidth(440)
        self.layout_.addWidget(QLabel(description))
        form = _form(self)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("例如 金额录错，已重新登记")
        self.on = DateField()
        form.addRow("作废原因", self.reason)
        form.addRow("作废日期", self.on)
        self.fields = {"void_reason": self.reason, "voided_on": self.on}
        self.layout_.addWidget(_hint("作废的记录不删除，仍在台账和修改记录中，显示为“已作废”。"))
        self.finish_layout()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("作废")

    def save(self) -> None:
        void_record(self.store, self.kind, self.record_id, self.reason.text(), self.on.value())
