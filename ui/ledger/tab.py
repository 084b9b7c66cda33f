"""付款台账: the installments of the contract (三), their audit and approval, payments,
invoices (五.5), deductions and supplementary agreements (九.1), with the totals always in
view. The rules and sums live in app.ledger / app.ledger_records; this only shows them.

The ledger (core, columns, dialogs) is imported when the tab is first shown: the clerk's
daily start opens on 概览 and should not load a tab visited once a quarter."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QMessageBox, QSplitter, QTabWidget,
                               QTableView, QVBoxLayout, QWidget)

from app import clock
from app.errors import UserError
from app.money import format_yuan
from app.store import Changes, Store
from ui.buttons import add_button_bar
from ui.models import RecordTableModel, make_table
from ui.printing import present_pdf

if TYPE_CHECKING:
    from app.ledger import Deduction, Installment, Invoice, Ledger, Payment, Step, Supplement

LEDGER_TABLES = ("ledger_installments", "ledger_stage_steps", "ledger_deductions", "ledger_payments",
                 "ledger_invoices", "ledger_invoice_items", "ledger_supplements", "ledger_payee", "contracts")


class LedgerTab(QWidget):
    key = "ledger"
    title = "付款台账"

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.ledger: Ledger | None = None
        self.built = False
        QVBoxLayout(self)

    def showEvent(self, event) -> None:
        """The tab is built the first time it is shown: the clerk's daily start opens on 概览
        and should not pay ~150 ms of widgets for a tab visited once a quarter."""
        self.build()
        super().showEvent(event)
        focus = self.focusWidget()
        if focus is None or not self.isAncestorOf(focus):  # the keyboard in the schedule: Ctrl+T/N/I act at once
            self.view.setFocus()

    def build(self) -> None:
        if self.built:
            return
        self.built = True
        from ui.ledger.parts import (DEDUCTION_COLUMNS, INVOICE_COLUMNS, PAYMENT_COLUMNS, STEP_COLUMNS,
                                     SUPPLEMENT_COLUMNS, TotalsBar, installment_columns)

        layout = self.layout()

        heading = QHBoxLayout()
        title = QLabel("付款台账")
        title.setObjectName("pageTitle")
        terms = QLabel("合同第三条：按季度支付，次季度的 10 日前支付上季度服务费；经甲方审计审核及内部审批后支付。")
        terms.setObjectName("hint")
        heading.addWidget(title)
        heading.addSpacing(12)
        heading.addWidget(terms, 1)
        layout.addLayout(heading)
        self.totals = TotalsBar()
        layout.addWidget(self.totals)
        self.notice = QLabel()
        self.notice.setObjectName("ledgerNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #6b3d00; background: #fff6e5; border: 1px solid #f0d9a8; padding: 6px;")
        layout.addWidget(self.notice)

        self.buttons = add_button_bar(layout, [
            ("stage", "办理状态(&T)…", "送审、审计通过、审批通过，或退回（Ctrl+T）", self.step_selected),
            ("pay", "登记付款(&N)…", "登记一笔付款，可部分或提前支付（Ctrl+N）", self.pay_selected),
            ("invoice", "登记发票(&I)…", "登记乙方开具的发票（Ctrl+I；合同第五条第5款）", self.invoice_selected),
            ("deduct", "登记扣减(&D)…", "登记扣减并说明原因（Ctrl+D）", self.deduct_selected),
            ("request", "付款申请单(&Q)…", "打印所选一期的付款申请单（Ctrl+P）", self.print_request),
            ("statement", "打印台账(&L)…", "打印本年度付款台账（Ctrl+Shift+P）", self.print_statement),
            ("export", "导出Excel(&E)…", "把付款台账导出为 .xlsx（Ctrl+E）", self.export_excel),
            ("split", "修改分期(&S)…", "修改各期金额（合计须等于合同总额）", self.edit_split),
            ("supplement", "补充协议(&B)…", "登记改变合同总额或付款安排的补充协议（合同第九条第1款）", self.add_supplement),
            ("payee", "收款账户(&A)…", "乙方开户银行和账号、申请部门（付款申请单用）", self.edit_payee),
        ])

        self.model: RecordTableModel[Installment] = RecordTableModel(installment_columns(clock.today), parent=self)
        self.view = make_table(self.model, self)
        self.view.doubleClicked.connect(lambda _index: self.step_selected())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._show_details())

        self.details = QTabWidget()
        self.payment_model: RecordTableModel[Payment] = RecordTableModel(PAYMENT_COLUMNS, parent=self)
        self.invoice_model: RecordTableModel[Invoice] = RecordTableModel(INVOICE_COLUMNS, parent=self)
        self.deduction_model: RecordTableModel[Deduction] = RecordTableModel(DEDUCTION_COLUMNS, parent=self)
        self.step_model: RecordTableModel[Step] = RecordTableModel(STEP_COLUMNS, parent=self)
        self.supplement_model: RecordTableModel[Supplement] = RecordTableModel(SUPPLEMENT_COLUMNS, parent=self)
        self.payment_view = self._detail_view(self.payment_model, "payment", "付款")
        self.invoice_view = self._detail_view(self.invoice_model, "invoice", "发票")
        self.deduction_view = self._detail_view(self.deduction_model, "deduction", "扣减")
        self.step_view = make_table(self.step_model, self)
        self.supplement_view = make_table(self.supplement_model, self)
        for view, caption in ((self.payment_view, "付款记录"), (self.invoice_view, "发票"),
                              (self.deduction_view, "扣减"), (self.step_view, "办理记录"),
                              (self.supplement_view, "补充协议")):
            self.details.addTab(view, caption)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.details)
        splitter.setSizes([220, 260])
        layout.addWidget(splitter, 1)

        for keys, slot in [("Ctrl+T", self.step_selected), ("Ctrl+N", self.pay_selected),
                           ("Ctrl+I", self.invoice_selected), ("Ctrl+D", self.deduct_selected),
                           ("Ctrl+P", self.print_request), ("Ctrl+Shift+P", self.print_statement),
                           ("Ctrl+E", self.export_excel)]:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.refresh()

    def _detail_view(self, model: RecordTableModel, kind: str, label: str) -> QTableView:
        view = make_table(model, self)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        action = QAction(f"作废所选{label}…\tDelete", view)
        action.triggered.connect(lambda: self.void_selected(view, kind, label))
        view.addAction(action)
        shortcut = QShortcut(QKeySequence("Delete"), view)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(lambda: self.void_selected(view, kind, label))
        return view

    # --- showing -------------------------------------------------------------------------

    def on_data_changed(self, changes: Changes) -> None:
        if self.built and changes.touches(*LEDGER_TABLES):
            self.refresh()

    def refresh(self) -> None:
        selected = self.selected_period()
        from app.ledger import load_ledger

        self.ledger = ledger = load_ledger(self.store)
        self.model.set_rows(ledger.installments)
        amended = any(i.amended for i in ledger.installments) or bool(ledger.supplements)
        for header in ("原计划金额", "原期限"):
            self.view.setColumnHidden(self._column(header), not amended)
        self.totals.show_ledger(ledger)
        self._show_notice(ledger)
        periods = ledger.periods
        row = periods.index(selected) if selected in periods else self._default_row(ledger)
        self.view.selectRow(row)
        self.supplement_model.set_rows(ledger.supplements)
        self.details.setTabText(4, f"补充协议（{len(ledger.supplements)}）")
        self._show_details()

    def _column(self, header: str) -> int:
        return next(c for c in range(self.model.columnCount())
                    if self.model.headerData(c, Qt.Orientation.Horizontal) == header)

    @staticmethod
    def _default_row(ledger: Ledger) -> int:
        """The installment the clerk is working on: the first not yet paid."""
        for n, inst in enumerate(ledger.installments):
            if inst.outstanding > 0:
                return n
        return 0

    def _show_notice(self, ledger: Ledger) -> None:
        from app.ledger import FISCAL_DELAY_NOTE

        lines = []
        late = [i for i in ledger.installments if i.overdue_days(ledger.today)]
        if late:
            lines.append("逾期：" + "；".join(f"{i.label}（{i.due_on.isoformat()} 前，未付 {format_yuan(i.outstanding)}，"
                                           f"已逾期 {i.overdue_days(ledger.today)} 天）" for i in late)
                         + "。" + FISCAL_DELAY_NOTE)
        uncovered = ledger.uncovered_payments
        if uncovered:
            lines.append("发票未足额（合同第五条第5款）：" + "；".join(
                f"{p.paid_on.isoformat()} 凭证号 {p.voucher} 付款 {format_yuan(p.amount)}，缺发票 {format_yuan(p.uncovered)}"
                for p in uncovered) + "。")
        if ledger.payee is None:
            lines.append("尚未录入乙方收款账户：打印付款申请单前请点“收款账户”（Alt+A）录入一次。")
        self.notice.setText("\n".join(lines))
        self.notice.setVisible(bool(lines))

    def selected_period(self) -> str | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.row_at(rows[0].row()).period if rows else None

    def selected(self) -> Installment | None:
        period = self.selected_period()
        return self.ledger.installment(period) if self.ledger and period else None

    def _show_details(self) -> None:
        inst = self.selected()
        if self.ledger is None or inst is None:
            return
        payments = self.ledger.payments_of(inst.period)
        invoices = self.ledger.invoices_of(inst.period)
        deductions = self.ledger.deductions_of(inst.period)
        self.payment_model.set_rows(payments)
        self.invoice_model.set_rows(invoices)
        self.deduction_model.set_rows(deductions)
        self.step_model.set_rows(inst.steps)
        for index, (caption, rows) in enumerate((("付款记录", payments), ("发票", invoices), ("扣减", deductions),
                                                  ("办理记录", inst.steps))):
            self.details.setTabText(index, f"{inst.label} {caption}（{len(rows)}）")
        self.buttons["stage"].setText(f"办理状态(&T)…（{inst.stage.label}）")

    # --- actions ---------------------------------------------------------------------------

    def _need_selection(self) -> Installment | None:
        inst = self.selected()
        if inst is None:
            QMessageBox.information(self, self.title, "请先在表格中选择一期。")
        return inst

    def step_selected(self) -> None:
        inst = self._need_selection()
        if inst is not None:
            from ui.ledger.dialogs import StageDialog

            StageDialog(self.store, inst, self).exec()

    def pay_selected(self) -> None:
        inst = self._need_selection()
        if inst is not None and self.ledger is not None:
            from ui.ledger.dialogs import PaymentDialog

            PaymentDialog(self.store, self.ledger, inst.period, self).exec()

    def invoice_selected(self) -> None:
        inst = self._need_selection()
        if inst is not None and self.ledger is not None:
            from ui.ledger.dialogs import InvoiceDialog

            InvoiceDialog(self.store, self.ledger, inst.period, self).exec()

    def deduct_selected(self) -> None:
        inst = self._need_selection()
        if inst is not None and self.ledger is not None:
            from ui.ledger.dialogs import DeductionDialog

            DeductionDialog(self.store, self.ledger, inst.period, self).exec()

    def edit_split(self) -> None:
        if self.ledger is not None:
            from ui.ledger.dialogs import SplitDialog

            SplitDialog(self.store, self.ledger, self).exec()

    def add_supplement(self) -> None:
        if self.ledger is not None:
            from ui.ledger.dialogs import SupplementDialog

            SupplementDialog(self.store, self.ledger, self).exec()

    def edit_payee(self) -> None:
        if self.ledger is not None:
            from ui.ledger.dialogs import PayeeDialog

            PayeeDialog(self.store, self.ledger, self).exec()

    def void_selected(self, view: QTableView, kind: str, label: str) -> None:
        rows = view.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, "作废", f"请先选择要作废的{label}。")
            return
        record = view.model().row_at(rows[0].row())
        if record.voided_on:
            QMessageBox.information(self, "作废", f"这笔{label}已经作废。")
            return
        from ui.ledger.dialogs import VoidDialog

        what = {"payment": lambda p: f"付款 {p.paid_on.isoformat()} {format_yuan(p.amount)}（凭证号 {p.voucher}）",
                "invoice": lambda v: f"发票 {v.display_number}（{format_yuan(v.amount)}）",
                "deduction": lambda d: f"扣减 {format_yuan(d.amount)}：{d.reason}"}[kind](record)
        VoidDialog(self.store, kind, record.id, f"作废{what}", self).exec()

    def print_request(self) -> None:
        inst = self._need_selection()
        if inst is None:
            return
        from app.reports.ledger_pdf import payment_request_pdf

        try:
            pdf = payment_request_pdf(self.store, inst.period)
        except UserError as err:
            QMessageBox.warning(self, "付款申请单", str(err))
            return
        present_pdf(self, pdf, f"付款申请单-{inst.period}.pdf")

    def print_statement(self) -> None:
        from app.reports.ledger_pdf import ledger_statement_pdf

        year = self.ledger.contract.start_date.year if self.ledger else clock.today().year
        present_pdf(self, ledger_statement_pdf(self.store), f"付款台账-{year}.pdf")

    def export_excel(self) -> None:
        from app.reports.ledger_xlsx import export_ledger

        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        start = Path(documents) if documents and Path(documents).is_dir() else Path.home()
        chosen, _ = QFileDialog.getSaveFileName(self, "导出付款台账", str(start / "付款台账.xlsx"),
                                                "Excel 工作簿 (*.xlsx)")
        if not chosen:
            return
        from app.reports.ledger_xlsx import export_path
        from ui.folders import output_target

        target = output_target(self, "导出付款台账", chosen, export_path(chosen), self.store.path)
        if target is None:
            return
        try:
            written = export_ledger(self.store, target)
        except UserError as err:
            QMessageBox.warning(self, "导出付款台账", str(err))
            return
        QMessageBox.information(self, "导出付款台账", f"已导出到 {written}")
