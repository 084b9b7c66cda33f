"""月度考核: one month, every service worker × the criteria, with totals and grades as the
clerk enters deductions; the month's status 草稿 → 已定稿 → 已签字; the consequence rules of
the contract at the top; the sheets printed through `ui.printing.present_pdf`.

Scoring, locking and the rules live in app.assessment / app.consequences; this screen shows
them and passes the clerk's input on.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QFrame, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPlainTextEdit,
    QPushButton, QScrollArea, QSplitter, QVBoxLayout, QWidget,
)

from app import clock
from app.assessment import (
    Deduction, MonthView, Row, Status, add_deduction, back_to_draft, finalise, load_month, month_label,
    remove_deduction, score_all, score_worker, set_comment,
)
from app.assessment_roster import Suggestion, roster_available, suggested_deductions, undecided
from app.assessment_template import fmt_points, parse_points, template_for
from app.consequences import Fired, fired_rules
from app.errors import UserError
from app.store import Changes, Store
from ui.assessment.deduction_form import DeductionForm, LinesLabel, deduction_columns
from ui.assessment.grid import GridModel, grid_columns
from ui.buttons import add_button_bar
from ui.errors import show_error
from ui.models import RecordTableModel, make_table

TABLES = ("assessment_months", "assessment_scores", "assessment_deductions", "assessment_templates",
          "assessment_attachments", "district_rankings", "cure_notices", "replacement_demands", "workers")
BANNER = "color: #8c1d17; background: #fdf0ee; border: 1px solid #f0c9c4; padding: 6px;"
DEDUCTION_ROWS_SHOWN = 4  # the deduction list never shows fewer rows than this
REASON_SHOWN = 16  # characters of the 撤销签字 reason in the status line (all in its tooltip)


def _months(today: dt.date, start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    out = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month) and dt.date(year, month, 1) <= today:
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


class AssessmentPage(QWidget):
    """The tab's content, built the first time the tab is shown (see ui/assessment/tab.py)."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.view_data: MonthView | None = None
        self.suggestions: list[Suggestion] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(9, 6, 9, 4)
        layout.setSpacing(5)

        heading = QHBoxLayout()
        title = QLabel("月度服务考核")
        title.setObjectName("pageTitle")
        self.month_box = QComboBox()
        self.month_box.setToolTip("考核月份（Ctrl+PgUp / Ctrl+PgDown 切换）")
        self.status_label = QLabel()
        self.status_label.setObjectName("status")
        heading.addWidget(title)
        heading.addSpacing(12)
        heading.addWidget(QLabel("月份："))
        heading.addWidget(self.month_box)
        heading.addSpacing(12)
        heading.addWidget(self.status_label, 1)
        layout.addLayout(heading)

        self.buttons = add_button_bar(layout, [
            ("finalise", "定稿(&D)", "本月考核定稿：所有在服务期内的服务人员都已评分（Alt+D）", self.finalise),
            ("draft", "退回草稿(&C)", "已定稿、尚未签字的考核退回草稿以便修改（Alt+C）", self.back_to_draft),
            ("sign", "登记签字(&G)…", "双方在打印的考核表上签字后，登记签字日期和扫描件（Alt+G）", self.sign),
            ("reopen", "撤销签字(&U)…", "已签字的考核需要更正时撤销签字，须写明原因（Alt+U）", self.reopen),
            ("print", "打印本月(&P)…", "汇总表和全部考核表，一个文件（Ctrl+P）", self.print_month),
            ("print_one", "打印所选(&Y)…", "所选服务人员的考核表（Ctrl+Shift+P）", self.print_selected),
            ("scans", "扫描件(&S)…", "签字考核表的扫描件（PDF 或图片）", self.show_scans),
            ("trend", "趋势图(&T)…", "各服务人员、各岗位逐月得分", self.show_trend),
            ("registers", "排名与催告(&R)…", "区月考核排名（第七条第1款）和催告（第六条第1款）", self.show_registers),
            ("template", "考核标准(&B)…", "考核项目、分值、扣分规则、等级和合格分数线（修改后存为新版本）", self.show_template),
        ])

        self.rules_label = QLabel()
        self.rules_label.setObjectName("rules")
        self.rules_label.setWordWrap(True)
        self.rules_label.setStyleSheet(BANNER)
        self.rules_label.setTextFormat(Qt.TextFormat.RichText)
        # The letters' links by keyboard too (Shift+Tab from the table, Tab between links, Enter):
        # the 更换服务人员通知函 has no other way in.
        self.rules_label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                                 | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.rules_label.linkActivated.connect(self.print_letter)
        layout.addWidget(self.rules_label)

        self.grid = GridModel([], parent=self)
        self.table = make_table(self.grid, self, stretch_column=None)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())

        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self._build_panel())
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        self._divider_moved = False
        splitter.splitterMoved.connect(lambda *_: setattr(self, "_divider_moved", True))
        splitter.installEventFilter(self)
        layout.addWidget(splitter, 1)

        for keys, slot in [("Ctrl+P", self.print_month), ("Ctrl+Shift+P", self.print_selected),
                           ("Ctrl+PgUp", lambda: self._step_month(-1)), ("Ctrl+PgDown", lambda: self._step_month(1))]:
            QShortcut(QKeySequence(keys), self, activated=slot)
        self.month_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self._fill_months()
        self.refresh()

    # --- layout ---------------------------------------------------------------------------

    def _build_panel(self) -> QWidget:
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(6, 0, 0, 0)
        column.setSpacing(4)
        self.item_names: dict[int, str] = {}
        self.deduction_model: RecordTableModel[Deduction] = RecordTableModel(deduction_columns(self.item_names),
                                                                             parent=self)
        self.deduction_view = make_table(self.deduction_model, self)
        # The list keeps at least four deductions in sight, whatever shows below it.
        rows = self.deduction_view.verticalHeader().defaultSectionSize()
        self.deduction_view.setMinimumHeight(rows * (DEDUCTION_ROWS_SHOWN + 1) + 6)
        column.addWidget(self.deduction_view, 1)

        self.suggestion_box = QGroupBox("排班日历建议的扣分")
        suggestion_layout = QVBoxLayout(self.suggestion_box)
        suggestion_layout.setContentsMargins(8, 4, 8, 4)
        self.suggestion_label = LinesLabel(2)
        suggestion_layout.addWidget(self.suggestion_label)
        row = QHBoxLayout()
        self.accept_button = QPushButton("采纳(&E)")
        self.change_button = QPushButton("按扣分栏的分数采纳(&I)")
        self.change_button.setToolTip("先在下面的“扣分”栏填写分数，再按此按钮（Alt+I）：考核表写明排班建议的分数和改后的分数")
        self.reject_button = QPushButton("不采纳(&L)")
        self.accept_button.clicked.connect(lambda: self.decide_suggestion("accepted"))
        self.change_button.clicked.connect(lambda: self.decide_suggestion("changed"))
        self.reject_button.clicked.connect(lambda: self.decide_suggestion("rejected"))
        for b in (self.accept_button, self.change_button, self.reject_button):
            row.addWidget(b)
        row.addStretch(1)
        suggestion_layout.addLayout(row)
        column.addWidget(self.suggestion_box)

        self.form = DeductionForm()
        f = self.form
        self.criterion, self.points, self.date, self.reason = f.criterion, f.points, f.date, f.reason
        self.preview, self.error = f.preview, f.error
        self.add_button, self.remove_button, self.full_button, self.all_button = f.buttons()
        self.add_button.clicked.connect(self.add_deduction)
        self.remove_button.clicked.connect(self.remove_selected)
        self.full_button.clicked.connect(self.score_selected)
        self.all_button.clicked.connect(self.score_rest)
        column.addWidget(f)

        comment_row = QHBoxLayout()
        comment_label = QLabel("考核意见(&O)：")
        self.comment = QPlainTextEdit()
        self.comment.setTabChangesFocus(True)
        self.comment.setPlaceholderText("写在考核表“考核意见”一栏（可空）")
        self.comment.setFixedHeight(2 * self.fontMetrics().lineSpacing() + 14)
        comment_label.setBuddy(self.comment)
        self.save_comment_button = QPushButton("保存意见(&J)")
        self.save_comment_button.clicked.connect(self.save_comment)
        comment_row.addWidget(comment_label, 0, Qt.AlignmentFlag.AlignTop)
        comment_row.addWidget(self.comment, 1)
        comment_row.addWidget(self.save_comment_button, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(comment_row)

        for widget in (self.points, self.reason, self.date):
            for keys in ("Ctrl+Return", "Ctrl+Enter"):
                QShortcut(QKeySequence(keys), widget, activated=self.add_deduction,
                          context=Qt.ShortcutContext.WidgetShortcut)
        self.points.textChanged.connect(self._update_preview)
        self.criterion.currentIndexChanged.connect(self._update_preview)
        QWidget.setTabOrder(self.all_button, self.comment)
        QWidget.setTabOrder(self.comment, self.save_comment_button)

        # Below 580 px of height the panel scrolls rather than squeezing the list.
        scroll = QScrollArea()
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from the table straight to the list
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # As wide as the panel plus the scroll bar, which would otherwise cover its right edge.
        scroll.setMinimumWidth(panel.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
        self.panel, self.panel_scroll = panel, scroll
        return scroll

    # --- reading --------------------------------------------------------------------------

    def _fill_months(self) -> None:
        from app.contract import active_contract

        contract = active_contract(self.store)
        today = clock.today()
        months = _months(today, contract.start_date, contract.end_date) or [(contract.start_date.year,
                                                                             contract.start_date.month)]
        self.month_box.blockSignals(True)
        self.month_box.clear()
        for year, month in months:
            self.month_box.addItem(month_label(year, month), f"{year:04d}-{month:02d}")
        # Scores are for last month, usually: open it (the current month while it is the first).
        self.month_box.setCurrentIndex(max(0, len(months) - 2))
        self.month_box.blockSignals(False)

    def selected_month(self) -> tuple[int, int]:
        year, month = self.month_box.currentData().split("-")
        return int(year), int(month)

    def set_month(self, year: int, month: int) -> None:
        index = self.month_box.findData(f"{year:04d}-{month:02d}")
        if index >= 0:
            self.month_box.setCurrentIndex(index)

    def _step_month(self, step: int) -> None:
        index = self.month_box.currentIndex() + step
        if 0 <= index < self.month_box.count():
            self.month_box.setCurrentIndex(index)

    def _fit_table(self) -> None:
        """The table as wide as its columns (no sideways scrolling where the window allows
        it); the form takes the rest. Once the clerk drags the divider, her choice stays."""
        if self._divider_moved:
            return
        header = self.table.horizontalHeader()
        needed = sum(max(header.sectionSizeHint(c), self.table.sizeHintForColumn(c))
                     for c in range(self.grid.columnCount()))
        needed += 2 * self.table.frameWidth() + self.table.verticalScrollBar().sizeHint().width() + 2
        total = self.splitter.width() - self.splitter.handleWidth()  # the new width (sizes() are the old ones)
        # The panel's own minimum (its title names the worker) plus the scroll bar beside it.
        self.panel_scroll.setMinimumWidth(self.panel.minimumSizeHint().width()
                                          + self.panel_scroll.verticalScrollBar().sizeHint().width())
        panel = self.panel_scroll.minimumWidth() + 2
        table = max(0, min(needed, total - panel))
        self.splitter.blockSignals(True)
        self.splitter.setSizes([table, total - table])
        self.splitter.blockSignals(False)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.splitter and event.type() == QEvent.Type.Resize:
            self._fit_table()
        return super().eventFilter(watched, event)

    def refresh(self) -> None:
        if self.month_box.count() == 0:
            return
        year, month = self.selected_month()
        selected = self.selected_row()
        self.fired: list[Fired] = fired_rules(self.store)
        view = load_month(self.store, year, month)
        self.view_data = view
        self.suggestions = suggested_deductions(self.store, year, month, view) if roster_available() else None
        columns, tips = grid_columns(self.store, view, self.fired)
        self.grid.set_columns_and_rows(columns, list(view.rows), tips)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        # 岗位 gives way first when the window is narrower than the columns (1092 px): the
        # names are cut (whole in the tooltip) and 合计 and 等级 stay in sight.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        if (year, month) != self.date.month:
            self.form.set_month(year, month)
            self.form.clear_error()
        self._fit_table()
        self._show_status(view)
        self._show_rules()
        if selected is not None:
            self.select_worker(selected.assignment.worker_id)
        self._show_selected()

    def _show_status(self, view: MonthView) -> None:
        m = view.month
        scored = len(view.sheets)
        text = f"状态：{m.status.label}"
        tip = ""
        if m.revision > 1:
            # One line beside the title: a long reason is cut here and whole in the tooltip
            # (the whole line once made the window wider than the screen).
            reason = m.reopen_reason if len(m.reopen_reason) <= REASON_SHOWN else m.reopen_reason[:REASON_SHOWN] + "…"
            text += f"（第 {m.revision} 版，撤销签字原因：{reason}）"
            tip = f"第 {m.revision} 版，撤销签字原因：{m.reopen_reason}"
        self.status_label.setToolTip(tip)
        if m.finalised_on:
            text += f"    定稿 {m.finalised_on.isoformat()}"
        if m.signed_on:
            text += f"    签字 {m.signed_on.isoformat()}"
        text += f"    已评分 {scored} / {len(view.rows)} 人"
        failed = [s.worker_name for s in view.sheets if not s.passed]
        if failed:
            text += f"    不合格：{'、'.join(failed)}"
        self.status_label.setText(text)
        draft = m.status is Status.DRAFT
        self.buttons["finalise"].setEnabled(draft and bool(view.rows))
        self.buttons["draft"].setEnabled(m.status is Status.FINAL)
        self.buttons["sign"].setEnabled(m.status is Status.FINAL)
        self.buttons["reopen"].setEnabled(m.status is Status.SIGNED)
        self.buttons["print"].setEnabled(bool(view.sheets))
        self.buttons["scans"].setEnabled(m.status is Status.SIGNED)
        for w in (self.add_button, self.remove_button, self.full_button, self.all_button, self.save_comment_button,
                  self.accept_button, self.change_button, self.reject_button):
            w.setEnabled(draft)
        self.comment.setReadOnly(not draft)  # nothing typed there once locked could be saved
        if not draft:
            self.add_button.setToolTip(f"本月考核{m.status.label}，不能修改")

    def _show_rules(self) -> None:
        lines: list[str] = []
        tips: list[str] = []
        for f in self.fired:
            link = ""
            if f.rule == "replacement":
                months = f"{f.worker_id}:{f.months[0]}:{f.months[1]}"
                if f.demand:
                    link = f' <a href="replacement:{months}">重印通知函…</a> <a href="correct:{months}">更正函号…</a>'
                else:
                    link = f' <a href="replacement:{months}">登记发函并打印通知函…</a>'
            elif f.rule == "cure":
                link = f' <a href="cure:{f.notice_id}">打印催告函…</a>'
            months = "、".join(month_label(*map(int, m.split("-"))) for m in f.months if m.count("-") == 1)
            # One line a rule (the months, the letter); the whole finding is the tooltip and on 概览.
            sent = f"，{f.demand.describe()}" if f.demand else ""
            lines.append(f"<b>【合同{f.clause_text}】{f.title}</b>（{months}{sent}）{link}" if months
                         else f"<b>【合同{f.clause_text}】{f.title}</b>{link}")
            tips.append(f"【合同{f.clause_text}】{f.title}：{f.detail}")
        if self.suggestions is None:
            lines.append("（排班日历尚未提供各服务人员的缺岗数据，本月没有排班建议扣分。）")
        self.rules_label.setText("<br>".join(lines) if lines else "未触发合同约定的更换或解除情形。")
        self.rules_label.setToolTip("\n".join(tips))
        self.rules_label.setStyleSheet(BANNER if self.fired else "color: #4a4f57; padding: 6px;")

    def selected_row(self) -> Row | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.grid.row_at(rows[0].row()) if rows else None

    def select_worker(self, worker_id: int) -> None:
        for r, row in enumerate(self.grid.rows()):
            if row.assignment.worker_id == worker_id:
                self.table.selectRow(r)
                return

    def _show_selected(self) -> None:
        row = self.selected_row()
        self.form.clear_error()
        if row is None:
            self.form.setTitle("扣分：请在左侧选择服务人员")
            self.deduction_model.set_rows([])
            self.comment.setPlainText("")
            self.criterion.clear()
            self.suggestion_box.hide()
            return
        sheet = row.sheet
        template = sheet.template if sheet else template_for(self.store, row.assignment.post_code)
        total = f"{fmt_points(sheet.total)} 分，{sheet.grade}" if sheet else "未评分"
        self.form.setTitle(f"扣分：{row.assignment.worker_name}，{total}")
        self.form.setToolTip(f"{row.assignment.worker_name}（{row.post_name}）：{total}")
        self.item_names.clear()
        self.item_names.update({i: c.name for i, c in enumerate(template.criteria, start=1)})
        self.deduction_model.set_rows(list(sheet.deductions) if sheet else [])
        self.comment.setPlainText(sheet.comment if sheet else "")
        current = self.criterion.currentIndex()
        self.criterion.clear()
        for i, c in enumerate(template.criteria, start=1):
            self.criterion.addItem(f"{i}. {c.name}（{fmt_points(c.max)} 分）", i)
            self.criterion.setItemData(i - 1, c.rules, Qt.ItemDataRole.ToolTipRole)
        self.criterion.setCurrentIndex(max(0, current))
        mine = [s for s in undecided(self.view_data, self.suggestions) if s.worker_id == row.assignment.worker_id] \
            if self.view_data else []
        self.suggestion_box.setVisible(bool(mine))
        if mine:
            s = mine[0]
            self.suggestion_label.setText(f"{template.criteria[s.criterion - 1].name}：建议扣 {fmt_points(s.points)} 分"
                                          f"——{s.reason}")
            self.suggestion_label.setToolTip(self.suggestion_label.text())
        self._update_preview()

    def _update_preview(self) -> None:
        row = self.selected_row()
        if row is None or self.criterion.currentData() is None:
            self.preview.setText("")
            return
        month = self.view_data.month if self.view_data else None
        if month is not None and month.status is not Status.DRAFT:
            how = "撤销签字" if month.status is Status.SIGNED else "退回草稿"
            self.preview.setText(f"本月考核{month.status.label}，不能修改扣分；需要更正请先“{how}”。")
            return
        sheet = row.sheet
        template = sheet.template if sheet else template_for(self.store, row.assignment.post_code)
        i = self.criterion.currentData()
        typed = self.points.text().strip()
        try:  # read as the core will save it (１．５ is 1.5; NaN, 1e3 are not numbers)
            points = parse_points(typed, "扣分", allow_zero=True) if typed else Decimal(0)
        except UserError as err:
            self.preview.setText(str(err))
            return
        left = template.criteria[i - 1].max - (sheet.deducted(i) if sheet else 0)
        if points > left:
            self.preview.setText(f"此项还可扣 {fmt_points(left)} 分，扣 {fmt_points(points)} 分太多")
            return
        total = (sheet.total if sheet else Decimal(100)) - points
        self.preview.setText(f"此项还可扣 {fmt_points(left)} 分；扣后合计 {fmt_points(total)} 分（{template.grade(total)}）")

    # --- writing --------------------------------------------------------------------------

    def _run(self, work) -> bool:
        """A deduction-form action: a refusal shows in the form's message line, beside the
        field it names — never as a box over what she is typing."""
        try:
            work()
        except UserError as err:
            self.form.show_error(err)
            self.panel_scroll.ensureWidgetVisible(self.form.message, 0, 4)
            return False
        self.form.clear_error()
        return True

    def _run_month(self, work, title: str) -> bool:
        """A month-level action (定稿, 退回草稿, 考核意见): its refusal is the month's, shown
        through the one error path (ui.errors), and the form's line is left as it was."""
        try:
            work()
        except UserError as err:
            show_error(self, title, err)
            return False
        return True

    def _need_row(self) -> Row | None:
        row = self.selected_row()
        if row is None:
            QMessageBox.information(self, "月度考核", "请先在左侧表格中选择服务人员。")
        return row

    def add_deduction(self) -> None:
        row = self._need_row()
        if row is None:
            return
        year, month = self.selected_month()
        if self._run(lambda: add_deduction(self.store, year, month, row.assignment.worker_id,
                                           self.criterion.currentData(), self.points.text(), self.reason.text(),
                                           self.date.text())):
            self.form.remember_date()  # the next incident of the stack is usually the same day or later
            self.points.clear()
            self.reason.clear()
            self.points.setFocus()

    def remove_selected(self) -> None:
        rows = self.deduction_view.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, "月度考核", "请先在扣分表中选择要撤回的扣分。")
            return
        deduction = self.deduction_model.row_at(rows[0].row())
        self._run(lambda: remove_deduction(self.store, deduction.id))

    def score_selected(self) -> None:
        row = self._need_row()
        if row is not None:
            year, month = self.selected_month()
            self._run(lambda: score_worker(self.store, year, month, row.assignment.worker_id))

    def score_rest(self) -> None:
        year, month = self.selected_month()
        self._run(lambda: score_all(self.store, year, month))

    def save_comment(self) -> None:
        row = self._need_row()
        if row is not None:
            year, month = self.selected_month()
            self._run_month(lambda: set_comment(self.store, year, month, row.assignment.worker_id,
                                                self.comment.toPlainText()), "考核意见")

    def decide_suggestion(self, decision: str) -> None:
        from app.assessment import Decision

        row = self._need_row()
        if row is None or self.view_data is None:
            return
        mine = [s for s in undecided(self.view_data, self.suggestions) if s.worker_id == row.assignment.worker_id]
        if not mine:
            return
        s = mine[0]
        points = {"accepted": fmt_points(s.points), "changed": self.points.text(), "rejected": "0"}[decision]
        year, month = self.selected_month()
        self._run(lambda: add_deduction(self.store, year, month, s.worker_id, s.criterion, points, s.reason, s.date,
                                        decision=Decision(decision), suggested=s.points))

    def finalise(self) -> None:
        year, month = self.selected_month()
        self._run_month(lambda: finalise(self.store, year, month), "定稿")

    def back_to_draft(self) -> None:
        year, month = self.selected_month()
        self._run_month(lambda: back_to_draft(self.store, year, month), "退回草稿")

    def sign(self) -> None:
        from ui.assessment.dialogs import SignDialog

        SignDialog(self.store, *self.selected_month(), parent=self).exec()

    def reopen(self) -> None:
        from ui.assessment.dialogs import ReopenDialog

        ReopenDialog(self.store, *self.selected_month(), parent=self).exec()

    def show_scans(self) -> None:
        from ui.assessment.dialogs import ScansDialog

        ScansDialog(self.store, *self.selected_month(), parent=self).exec()

    def show_registers(self) -> None:
        from ui.assessment.dialogs import RegistersDialog

        RegistersDialog(self.store, self).exec()

    def show_template(self) -> None:
        from ui.assessment.dialogs import TemplateDialog

        TemplateDialog(self.store, self).exec()

    def show_trend(self) -> None:
        from ui.assessment.charts import TrendDialog

        TrendDialog(self.store, self).exec()

    # --- printing -------------------------------------------------------------------------

    def print_month(self) -> None:
        from app.assessment_print import file_name, month_pdf
        from ui.printing import present_pdf

        year, month = self.selected_month()
        try:
            pdf = month_pdf(self.store, year, month)
        except UserError as err:
            QMessageBox.information(self, "打印", str(err))
            return
        present_pdf(self, pdf, file_name(year, month))

    def print_selected(self) -> None:
        from app.assessment_print import sheet_pdf
        from ui.printing import present_pdf

        row = self._need_row()
        if row is None:
            return
        year, month = self.selected_month()
        try:
            sheet, pdf = sheet_pdf(self.store, year, month, row.assignment.worker_id)
        except UserError as err:
            QMessageBox.information(self, "打印", str(err))
            return
        present_pdf(self, pdf, f"考核表-{sheet.sheet_no}-{sheet.worker_name}.pdf")

    def print_letter(self, link: str) -> None:
        """A rule's letter: the 更换服务人员通知函 asks for its 函号 and date the first time
        (recorded, so the rule then says it was sent); a reprint, and the 催告函, print what
        was recorded."""
        from app.consequences import find_demand
        from app.letters import cure_letter, replacement_letter
        from app.reports.letter_pdf import render_letter
        from ui.assessment.dialogs import DemandForm, letterhead_variant
        from ui.printing import present_pdf

        kind, _, rest = link.partition(":")
        if kind == "correct":
            self.correct_demand(rest)
            return
        try:
            if kind == "replacement":
                worker_text, first, second = rest.split(":")
                worker = int(worker_text)
                if find_demand(self.store, worker, second) is None:
                    fired = next((f for f in self.fired if f.rule == "replacement" and f.worker_id == worker
                                  and f.months == (first, second)), None)
                    title = fired.title if fired else "连续两个月考核不合格"
                    if not DemandForm(self.store, worker, (first, second), title, self).exec():
                        return
                letter = replacement_letter(self.store, worker, (first, second))
                name = f"更换服务人员通知函-{second}.pdf"
            else:
                notice, letter = cure_letter(self.store, int(rest))
                name = f"催告函-{notice.issued_on.isoformat()}.pdf"
        except UserError as err:
            QMessageBox.warning(self, "打印", str(err))
            return
        present_pdf(self, render_letter(letter), name, variant=letterhead_variant(letter))

    def correct_demand(self, months: str) -> None:
        """The 函号 or date of a 更换服务人员通知函 already recorded, corrected (e.g. the number
        written by hand, once the document system has given it)."""
        from app.consequences import find_demand
        from ui.assessment.dialogs import DemandForm

        worker_text, first, second = months.split(":")
        worker = int(worker_text)
        demand = find_demand(self.store, worker, second)
        fired = next((f for f in self.fired if f.rule == "replacement" and f.worker_id == worker
                      and f.months == (first, second)), None)
        if demand is None or fired is None:
            QMessageBox.information(self, "更正函号", "这份通知函的登记已不存在，请刷新后重试。")
            return
        DemandForm(self.store, worker, (first, second), fired.title, self, demand).exec()

    def on_data_changed(self, changes: Changes) -> None:
        if changes.touches(*TABLES):
            self.refresh()
