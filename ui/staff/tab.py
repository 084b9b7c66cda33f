"""人员: the vendor's service workers, per post, their replacements and system accounts.

ID and phone numbers are masked on screen; 显示 reveals the selected worker's numbers
and is written to the audit log. The rules live in app.staff / app.replacements.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.contract import active_contract
from app.errors import UserError
from app.labels import field_label
from app.replacements import (LABELS, Account, Consent, Level, Replacement, accounts_to_revoke, can_withdraw, decide_replacement,
                              list_accounts, list_replacements, withdraw_decision)
from app.staff import Outlook, PostFill, Status, Worker, delete_worker, get_worker, list_workers, post_fills, post_outlook
from app.store import Changes, Store
from app.validation import without_spaces
from ui.buttons import add_button_bar
from ui.models import Column, RecordTableModel, make_table
from ui.staff import excel
from ui.staff.dialogs import (ACCOUNT_COLUMNS, AccountsDialog, LeaveDialog, PostChangeDialog, ReplacementDialog,
                              WorkerDialog)

CENTER = Qt.AlignmentFlag.AlignCenter
RED = "#b3261e"
GREY = "#8a8f98"
STAFF_TABLES = ("workers", "replacements", "system_accounts", "posts", "contracts")



def _date(day) -> str:
    return day.isoformat() if day else ""


def _compliance(w: Worker) -> str:
    missing = w.missing_compliance()
    return "齐全" if not missing else "缺：" + "、".join(missing)


def _end(w: Worker) -> str:
    if w.left_on:
        return w.left_on.isoformat()
    return f"{w.planned_end.isoformat()}（计划）" if w.planned_end else ""


def _pending_text(r: Replacement) -> str:
    if r.consent is Consent.PENDING:
        return r.consent.label
    return f"{r.consent.label}（{_date(r.consent_on)}）"


REPLACEMENT_COLUMNS: list[Column[Replacement]] = [
    Column(field_label("replacements", "post_id"), lambda r: r.post_name),
    Column(LABELS["leaving"], lambda r: r.leaving_name),
    Column(LABELS["incoming"], lambda r: r.incoming_name or "（尚未确定）"),
    Column(LABELS["requested_by"], lambda r: r.requested_by.label),
    Column(LABELS["notified_on"], lambda r: r.notified_on.isoformat()),
    Column(LABELS["effective_on"], lambda r: r.effective_on.isoformat()),
    Column("提前告知", lambda r: r.notice.text,
           foreground=lambda r: RED if r.notice.level is Level.WARNING else None),
    Column(LABELS["consent"], _pending_text, foreground=lambda r: RED if r.consent is Consent.PENDING else None),
    Column(LABELS["reason"], lambda r: r.reason + (f"（依据：{r.grounds}）" if r.grounds else ""),
           tooltip=lambda r: r.reason + ("\n依据：" + r.grounds if r.grounds else "")),
]

@dataclass(frozen=True)
class FillRow:
    """One post in 岗位配置: who fills it today, and what the coming weeks hold for it."""
    fill: PostFill
    outlook: Outlook
    pending: tuple[Replacement, ...] = ()

    @property
    def warning(self) -> bool:
        return self.outlook.short or any(r.notice.level is Level.WARNING for r in self.pending)


def _coming(row: FillRow) -> str:
    """The coming month in words: a gap after a planned departure, a change awaiting consent."""
    o = row.outlook
    parts = []
    if o.short:
        assert o.first_short is not None
        who = "、".join(f"{name}（{day:%m月%d日}离场）" for name, day in o.leaving)
        parts.append(f"⚠ {o.first_short:%m月%d日}起缺 {o.short_by} 人" + (f"：{who}" if who else ""))
    elif o.leaving:
        parts.append("离场：" + "、".join(f"{name}（{day:%m月%d日}）" for name, day in o.leaving))
    for r in row.pending:
        parts.append(f"待甲方同意：{r.leaving_name}→{r.incoming_name or '（接替人员未定）'}，"
                     f"{r.effective_on:%m月%d日}生效，{r.notice.text}")
    if o.arriving and not row.pending:
        parts.append("到岗：" + "、".join(f"{name}（{day:%m月%d日}）" for name, day in o.arriving))
    return "；".join(parts) or "无变化"


FILL_COLUMNS: list[Column[FillRow]] = [
    Column("岗位", lambda r: r.fill.post.name),
    Column("合同人数", lambda r: str(r.fill.post.headcount), lambda r: r.fill.post.headcount, CENTER),
    Column("在岗人数", lambda r: str(len(r.fill.on_duty)), lambda r: len(r.fill.on_duty), CENTER),
    Column("情况", lambda r: r.fill.state, foreground=lambda r: RED if r.fill.shortfall else None),
    Column("在岗服务人员", lambda r: "、".join(w.name for w in r.fill.on_duty)
           + ("；未到岗：" + "、".join(f"{w.name}（{w.start_date:%m月%d日}到岗）" for w in r.fill.waiting)
              if r.fill.waiting else ""),
           tooltip=lambda r: "历任：" + "；".join(
               f"{w.name}（{w.start_date.isoformat()} 至 {_date(w.end_date) or '今'}）" for w in r.fill.holders)),
    Column("未来30天", _coming, foreground=lambda r: RED if r.warning else None, tooltip=_coming),
]


class WorkerFilter(QSortFilterProxyModel):
    """Search text over name, post and numbers, and a status choice."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = ""
        self.status: str = ""
        self.setSortRole(RecordTableModel.SortRole)

    def set_filter(self, text: str, status: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.9 deprecates invalidateFilter()
            self.beginFilterChange()
            self.text, self.status = text.strip().lower(), status
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.text, self.status = text.strip().lower(), status
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        worker: Worker = self.sourceModel().row_at(row)
        if self.status and worker.status(clock.today()).value != self.status:
            return False
        if not self.text:
            return True
        # Masked numbers only: searching must not become a way to guess a hidden number.
        # Spaces do not count: 李娜 finds “李 娜” (the fields stay apart: \x00 between them).
        haystack = "\x00".join(without_spaces(text) for text in (
            worker.name, worker.post_name, worker.masked_phone, worker.masked_id, worker.hours_scheme.label,
            worker.notes)).lower()
        return all(part in haystack for part in self.text.split())


class StaffTab(QWidget):
    key = "staff"
    title = "人员"

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.revealed: set[int] = set()
        layout = QVBoxLayout(self)

        # Two rows so the tab fits a 1366×768 laptop at 125 % (1092 logical pixels): the title,
        # counts and search on top, the buttons below.
        heading = QHBoxLayout()
        title = QLabel("乙方服务人员")
        title.setObjectName("pageTitle")
        self.counts = QLabel()
        self.counts.setObjectName("hint")
        self.counts.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索姓名、岗位、手机号（Ctrl+F）")
        self.search.setToolTip("不区分空格；Esc 清除")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.status_filter = QComboBox()
        self.status_filter.addItem("全部状态", "")
        for status in Status:
            self.status_filter.addItem(status.value, status.value)
        heading.addWidget(title)
        heading.addSpacing(12)
        heading.addWidget(self.counts, 1)
        heading.addWidget(self.search)
        heading.addWidget(self.status_filter)
        layout.addLayout(heading)

        # Alt letters for the clerk's keyboard; F, V and H open the menus, so they are not used here.
        # 历史记录 has no button: Ctrl+Shift+H and the table's right-click menu, which shows the key.
        self.buttons = add_button_bar(layout, [
            ("add", "新增（Ctrl+N）", "新增服务人员（Ctrl+N）", self.add_worker),
            ("edit", "编辑（Ctrl+E）", "编辑所选人员（Enter 或 Ctrl+E）", self.edit_selected),
            ("reveal", "显示(&S)", "显示所选人员的完整身份证号和手机号（Alt+S，记入修改记录）", self.toggle_reveal),
            ("replace", "人员更换(&R)…", "登记人员更换（Alt+R；合同第五条第4款、第四条第4款）", self.replace_selected),
            ("leave", "离场(&L)…", "办理所选人员离场（Alt+L；保留资料和历史）", self.leave_selected),
            ("accounts", "系统账号(&A)…", "所选人员的系统账号（Alt+A；合同第四条第6款）", self.accounts_selected),
            ("import", "导入Excel(&I)…", "导入乙方发来的人员名单（Alt+I；.xlsx）", self.import_excel),
            ("export", "导出Excel(&X)…", "把人员名单导出为 .xlsx（Alt+X）", self.export_excel),
        ])
        # In the heading, not the bar (the bar must fit the window): sent to the vendor once.
        template = QPushButton("导出导入模板(&T)…")
        template.setFlat(True)
        template.setToolTip("导出空白的人员名单导入模板（含“说明”工作表），发给乙方填写后导入（Alt+T）")
        template.clicked.connect(self.export_template)
        self.buttons["template"] = template
        heading.addWidget(template)

        self.model: RecordTableModel[Worker] = RecordTableModel(self._worker_columns(), parent=self)
        self.proxy = WorkerFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table(self.proxy, self)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.doubleClicked.connect(lambda _index: self.edit_selected())
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, slot in [("编辑…\tCtrl+E", self.edit_selected), ("显示/隐藏号码", self.toggle_reveal),
                           ("调岗…", self.move_selected),
                           ("人员更换…", self.replace_selected), ("离场…", self.leave_selected),
                           ("系统账号…", self.accounts_selected), ("历史记录…\tCtrl+Shift+H", self.history_selected),
                           ("删除（仅限误录、无任何记录的人员）", self.delete_selected)]:
            # The key after the tab is only shown: the tab's QShortcut does the work (one owner per key).
            action = QAction(text, self.view)
            action.triggered.connect(slot)
            self.view.addAction(action)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.reminder = QLabel()
        self.reminder.setObjectName("reminder")
        self.reminder.setWordWrap(True)
        self.reminder.setStyleSheet("color: #8c1d17; background: #fdf0ee; border: 1px solid #f0c9c4; padding: 6px;")

        self.details = QTabWidget()
        self.fill_model: RecordTableModel[FillRow] = RecordTableModel(FILL_COLUMNS, parent=self)
        self.fill_view = make_table(self.fill_model, self)
        self.replacement_model: RecordTableModel[Replacement] = RecordTableModel(REPLACEMENT_COLUMNS, parent=self)
        self.replacement_view = make_table(self.replacement_model, self)
        replacements = QWidget()
        rep_layout = QVBoxLayout(replacements)
        rep_layout.setContentsMargins(0, 4, 0, 0)
        rep_bar = QHBoxLayout()
        self.agree_button = QPushButton("甲方同意所选更换")
        self.refuse_button = QPushButton("甲方不同意")
        self.withdraw_button = QPushButton("撤回甲方意见…")
        self.withdraw_button.setToolTip("甲方意见录错时撤回（更换生效前），须填写原因，记入修改记录")
        self.agree_button.clicked.connect(lambda: self.decide_selected(Consent.AGREED))
        self.refuse_button.clicked.connect(lambda: self.decide_selected(Consent.REFUSED))
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        rep_note = QLabel("乙方更换人员应提前一周与甲方协商，经甲方同意后更换（第五条第4款）。")
        rep_note.setObjectName("hint")
        for widget in (self.agree_button, self.refuse_button, self.withdraw_button):
            rep_bar.addWidget(widget)
        rep_bar.addWidget(rep_note, 1)
        rep_layout.addLayout(rep_bar)
        rep_layout.addWidget(self.replacement_view)
        self.replacement_view.selectionModel().selectionChanged.connect(lambda *_: self._update_decision_buttons())
        self.account_model: RecordTableModel[Account] = RecordTableModel(ACCOUNT_COLUMNS, parent=self)
        self.account_view = make_table(self.account_model, self)
        self.details.addTab(self.fill_view, "岗位配置")
        self.details.addTab(replacements, "更换记录")
        self.details.addTab(self.account_view, "系统账号登记")

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.reminder)
        # 月度考核 (issue 11): the office's replacement right (四.4), on the workers it concerns.
        self.replacement_right = QLabel()
        self.replacement_right.setObjectName("replacementRight")
        self.replacement_right.setWordWrap(True)
        self.replacement_right.setStyleSheet(self.reminder.styleSheet())
        self.replacement_right.hide()
        lower_layout.addWidget(self.replacement_right)
        lower_layout.addWidget(self.details)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([400, 250])
        layout.addWidget(splitter, 1)

        self.search.textChanged.connect(self._apply_filter)
        self.status_filter.currentIndexChanged.connect(self._apply_filter)
        # Ctrl+H is the whole program's history window; Ctrl+Shift+H is the selected worker's.
        for keys, slot in [("Ctrl+N", self.add_worker), ("Ctrl+E", self.edit_selected), ("Ctrl+F", self.focus_search),
                           ("Ctrl+Shift+H", self.history_selected)]:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        escape = QShortcut(QKeySequence("Escape"), self.search)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        escape.activated.connect(self.escape_search)
        # From the table, Tab goes to the search box and the buttons before the lower tabs.
        order = [self.view, self.search, self.status_filter, *self.buttons.values(), self.details]
        for first, second in zip(order, order[1:]):
            self.setTabOrder(first, second)
        for keys in ("Return", "Enter"):  # on the table only: Enter in the search box stays a search
            shortcut = QShortcut(QKeySequence(keys), self.view)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.edit_selected)
        self.refresh()

    # --- showing -----------------------------------------------------------------------

    def _worker_columns(self) -> list[Column[Worker]]:
        today = clock.today
        return [
            Column("姓名", lambda w: w.name),
            Column("性别", lambda w: w.gender, align=CENTER),
            Column("岗位", lambda w: w.post_name, lambda w: (w.post_id, w.start_date)),
            Column("手机号", lambda w: w.phone if w.id in self.revealed else w.masked_phone),
            Column("身份证号", lambda w: w.id_number if w.id in self.revealed else w.masked_id),
            Column("到岗日期", lambda w: w.start_date.isoformat()),
            Column("离场日期", _end, lambda w: w.end_date.isoformat() if w.end_date else "9999"),
            Column("状态", lambda w: w.status(today()).value, align=CENTER, foreground=self._status_colour),
            Column("工时制度", lambda w: w.hours_scheme.label, align=CENTER),
            Column("乙方承诺核验", _compliance, tooltip=lambda w: "劳动合同、社保、岗前培训（第五条第6、7款）",
                   foreground=lambda w: RED if w.missing_compliance() and w.status(today()) is not Status.LEFT
                   else None),
        ]

    def showEvent(self, event) -> None:
        """Coming to the tab puts the keyboard in the table, so Ctrl+N/Ctrl+F/Enter work at once."""
        super().showEvent(event)
        focus = self.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            self.view.setFocus()
            if self.proxy.rowCount() and not self.view.selectionModel().hasSelection():
                self.view.selectRow(0)

    @staticmethod
    def _status_colour(w: Worker) -> str | None:
        status = w.status(clock.today())
        return GREY if status is Status.LEFT else ("#1d5fa8" if status is Status.WAITING else None)

    def on_data_changed(self, changes: Changes) -> None:
        if changes.touches(*STAFF_TABLES):
            self.refresh()
        elif changes.touches("assessment_months", "assessment_scores", "assessment_deductions",
                             "replacement_demands"):
            self.show_replacement_right()

    def show_replacement_right(self) -> None:
        """Workers with two consecutive failed months (app.consequences), after the first paint."""
        from app.consequences import fired_rules

        fired = [f for f in fired_rules(self.store) if f.rule == "replacement"]
        self.replacement_right.setText("；".join(f"{f.title}：{f.detail}" for f in fired)
                                       + ("（通知函在“月度考核”页登记和打印）" if fired else ""))
        self.replacement_right.setVisible(bool(fired))

    def refresh(self) -> None:
        today = clock.today()
        selected = self.selected_worker()
        contract = active_contract(self.store)
        workers = list_workers(self.store, contract)
        self.model.set_rows(workers)
        counts = {s: sum(1 for w in workers if w.status(today) is s) for s in Status}
        self.counts.setText("　".join(f"{s.value} {n} 人" for s, n in counts.items())
                            + f"　（{today:%Y年%m月%d日}）")
        replacements = list_replacements(self.store)
        outlooks = {o.post.id: o for o in post_outlook(self.store, today, contract)}
        self.fill_model.set_rows([
            FillRow(fill, outlooks[fill.post.id], tuple(
                r for r in replacements if r.post_id == fill.post.id and r.consent is Consent.PENDING))
            for fill in post_fills(self.store, today, contract, workers)])
        self.replacement_model.set_rows(replacements)
        self.account_model.set_rows(list_accounts(self.store))
        open_accounts = accounts_to_revoke(self.store, today)
        if open_accounts:
            items = "；".join(f"{a.worker_name}：{a.platform} {a.account_name}" for a in open_accounts)
            self.reminder.setText(f"提醒：以下已离场（或已定离场日期）的服务人员仍有系统账号未注销，"
                                  f"请及时注销（第四条第6款）—— {items}")
        else:
            self.reminder.clear()
        self.reminder.setVisible(bool(open_accounts))
        if selected:
            self.select_worker(selected.id)
        self._update_buttons()
        self._update_decision_buttons()
        QTimer.singleShot(0, self.show_replacement_right)

    def _apply_filter(self) -> None:
        self.proxy.set_filter(self.search.text(), self.status_filter.currentData())

    def _update_buttons(self) -> None:
        worker = self.selected_worker()
        for key in ("edit", "reveal", "replace", "leave", "accounts"):
            self.buttons[key].setEnabled(worker is not None)
        self.buttons["reveal"].setText("隐藏(&S)" if worker and worker.id in self.revealed else "显示(&S)")

    def selected_replacement(self) -> Replacement | None:
        rows = self.replacement_view.selectionModel().selectedRows()
        return self.replacement_model.row_at(rows[0].row()) if rows else None

    def _update_decision_buttons(self) -> None:
        """同意/不同意 only on a pending request; 撤回 only on a decision not yet in effect."""
        rep = self.selected_replacement()
        pending = rep is not None and rep.consent is Consent.PENDING
        self.agree_button.setEnabled(pending)
        self.refuse_button.setEnabled(pending)
        self.withdraw_button.setEnabled(rep is not None and can_withdraw(rep, clock.today()))

    def history_selected(self):
        """历史记录 of the selected worker, with their system accounts (numbers stay masked)."""
        worker = self.selected_worker()
        window = self.window()
        if worker is None or not hasattr(window, "show_record_history"):
            return None
        return window.show_record_history("workers", worker.id, f"服务人员：{worker.name}")

    def selected_worker(self) -> Worker | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        if not rows:
            return None
        return self.model.row_at(self.proxy.mapToSource(rows[0]).row())

    def select_worker(self, worker_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if self.model.row_at(self.proxy.mapToSource(index).row()).id == worker_id:
                self.view.selectRow(row)
                return

    def escape_search(self) -> None:
        """Esc in the search box clears it; pressed again, it goes back to the table."""
        if self.search.text():
            self.search.clear()
        else:
            self.view.setFocus()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # --- actions ---------------------------------------------------------------------------

    def _warn(self, title: str, err: Exception) -> None:
        QMessageBox.warning(self, title, str(err))

    def add_worker(self) -> None:
        dialog = WorkerDialog(self.store, active_contract(self.store), parent=self)
        if dialog.exec():
            self.select_worker(dialog.result_value)

    def edit_selected(self) -> None:
        worker = self.selected_worker()
        if worker is None:
            return
        WorkerDialog(self.store, active_contract(self.store), get_worker(self.store, worker.id), parent=self).exec()

    def toggle_reveal(self) -> None:
        worker = self.selected_worker()
        if worker is None:
            return
        if worker.id in self.revealed:
            self.revealed.discard(worker.id)
        else:
            self.store.note("reveal", "workers", worker.id, f"显示身份证号和手机号：{worker.name}")
            self.revealed.add(worker.id)
        self.model.set_rows(self.model.rows())
        self.select_worker(worker.id)

    def move_selected(self) -> None:
        worker = self.selected_worker()
        if worker is not None:
            PostChangeDialog(self.store, active_contract(self.store), get_worker(self.store, worker.id),
                             parent=self).exec()

    def leave_selected(self) -> None:
        worker = self.selected_worker()
        if worker is None:
            return
        if not worker.left_on and QMessageBox.question(
                self, "办理离场", f"“{worker.name}”没有人员更换记录。如果是乙方更换人员，请用“人员更换”登记。"
                "\n仍要直接办理离场吗？") != QMessageBox.StandardButton.Yes:
            return
        if LeaveDialog(self.store, worker, parent=self).exec():
            self._remind_accounts(worker.id)

    def _remind_accounts(self, worker_id: int) -> None:
        open_ones = [a for a in list_accounts(self.store, worker_id) if a.is_open]
        if open_ones:
            QMessageBox.information(self, "请注销系统账号", "此人仍有以下系统账号未注销（第四条第6款）：\n"
                                    + "\n".join(f"· {a.platform}：{a.account_name}" for a in open_ones)
                                    + "\n\n请通知平台管理员注销，并在“系统账号…”中登记注销日期。")

    def replace_selected(self) -> None:
        worker = self.selected_worker()
        dialog = ReplacementDialog(self.store, list_workers(self.store), worker, parent=self)
        if dialog.exec() and worker is not None:
            if get_worker(self.store, worker.id).left_on:
                self._remind_accounts(worker.id)
            self.details.setCurrentIndex(1)

    def withdraw_selected(self) -> None:
        replacement = self.selected_replacement()
        if replacement is None:
            return
        reason, ok = QInputDialog.getText(
            self, "撤回甲方意见", f"撤回对“{replacement.leaving_name}”更换的甲方意见（{replacement.consent.label}），"
            "这条更换将回到“待甲方同意”。\n撤回原因（必填）：")
        if not ok:
            return
        try:
            withdraw_decision(self.store, replacement.id, reason)
        except UserError as err:
            self._warn("撤回甲方意见", err)

    def decide_selected(self, consent: Consent) -> None:
        replacement = self.selected_replacement()
        if replacement is None:
            QMessageBox.information(self, "人员更换", "请先在“更换记录”中选择一条待甲方同意的更换。")
            return
        try:
            decide_replacement(self.store, replacement.id, consent.value, clock.today())
        except UserError as err:
            self._warn("人员更换", err)
            return
        if consent is Consent.AGREED:
            self._remind_accounts(replacement.leaving_id)

    def accounts_selected(self) -> None:
        worker = self.selected_worker()
        if worker is not None:
            AccountsDialog(self.store, worker, parent=self).exec()

    def delete_selected(self) -> None:
        """Only for a record entered by mistake (no history); in the context menu only."""
        worker = self.selected_worker()
        if worker is None:
            return
        if QMessageBox.question(self, "删除服务人员", f"确定删除误录的“{worker.name}”吗？\n"
                                "已有更换、账号等记录的人员不能删除，请办理离场。") != QMessageBox.StandardButton.Yes:
            return
        try:
            delete_worker(self.store, worker.id)
        except UserError as err:
            self._warn("删除服务人员", err)

    def import_excel(self) -> None:
        excel.import_excel(self)

    def export_excel(self) -> None:
        excel.export_excel(self)

    def export_template(self) -> None:
        excel.export_template(self)
