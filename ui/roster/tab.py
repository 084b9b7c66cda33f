"""排班日历: the vendor's month plan (乙方排班) as the clerk receives and checks it.

The vendor plans its staff's time (clauses 四.1, 九.3); this screen records that plan and
shows, live, whether every post is covered on every day of the working calendar. Every
edit is one audited action through `app.roster.set_cells`; undo and redo are too.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QInputDialog,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.contract import active_contract
from app.errors import UserError
from app.roster import CellEdit, copy_month_edits, paste_edits, parse_tsv, set_cells
from app.store import Changes, Store, StoreClosed
from ui.buttons import add_button_bar
from ui.roster.commands import EditCells
from ui.roster.dialogs import CopyForwardDialog, DutyRecordDialog, RequirementDialog, RotationDialog
from ui.roster.files import RosterImportDialog, choose_sheet, read_preview
from ui.roster.grid import RosterModel, RosterView
from ui.roster.panels import RosterPanels
from ui.roster.source import MonthState, add_hours, load_month

ROSTER_TABLES = ("roster_shifts", "shift_types", "duty_records", "extra_requirements", "workers", "posts",
                 "post_rules", "calendar_overrides", "contracts")
PREFETCH_AFTER_MS = 250
RED = "#b3261e"
GREEN = "#1e6b2e"


class RosterTab(QWidget):
    key = "roster"
    title = "排班日历"

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        contract = active_contract(store)
        self.first_month = (contract.start_date.year, contract.start_date.month)
        self.last_month = (contract.end_date.year, contract.end_date.month)
        today = clock.today()
        self.year, self.month = min(max((today.year, today.month), self.first_month), self.last_month)
        self.actual = False
        self.state: MonthState | None = None
        self._hours_due: MonthState | None = None
        self._hours_timer = QTimer(self)  # owned by the tab: it dies with it
        self._hours_timer.setSingleShot(True)
        self._hours_timer.setInterval(0)
        self._hours_timer.timeout.connect(self.finish_hours)
        self._cache: dict[tuple[int, int, bool], MonthState] = {}  # neighbours read ahead
        self._prefetch_timer = QTimer(self)
        self._prefetch_timer.setSingleShot(True)
        self._prefetch_timer.setInterval(PREFETCH_AFTER_MS)
        self._prefetch_timer.timeout.connect(self.prefetch_neighbours)
        self._writing = False  # our own write: its data_changed must not clear the undo stack
        self.undo_group = QUndoGroup(self)
        self.undo_stacks: dict[tuple[int, int], QUndoStack] = {}

        layout = QVBoxLayout(self)
        heading = QHBoxLayout()
        title = QLabel("乙方排班")
        title.setObjectName("pageTitle")
        self.prev_button = QPushButton("◀ 上月")
        self.prev_button.setToolTip("上一个月（PageUp 或 Ctrl+←）")
        self.prev_button.clicked.connect(lambda: self.step_month(-1))
        self.month_label = QLabel()
        self.month_label.setObjectName("pageTitle")
        self.next_button = QPushButton("下月 ▶")
        self.next_button.setToolTip("下一个月（PageDown 或 Ctrl+→）")
        self.next_button.clicked.connect(lambda: self.step_month(1))
        self.plan_button = QPushButton("按乙方排班")
        self.actual_button = QPushButton("按实际值守")
        self.plan_button.setToolTip("覆盖情况按乙方的排班计算（Ctrl+Shift+A 切换）")
        self.actual_button.setToolTip("覆盖情况按值守记录（请假、缺岗、替班、加班）计算（Ctrl+Shift+A 切换）")
        self.basis = QButtonGroup(self)
        for button in (self.plan_button, self.actual_button):
            button.setCheckable(True)
            self.basis.addButton(button)
        self.plan_button.setChecked(True)
        self.basis.buttonClicked.connect(lambda b: self.set_actual(b is self.actual_button))
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        heading.addWidget(title)
        heading.addSpacing(12)
        heading.addWidget(self.prev_button)
        heading.addWidget(self.month_label)
        heading.addWidget(self.next_button)
        heading.addSpacing(12)
        heading.addWidget(QLabel("覆盖情况："))
        heading.addWidget(self.plan_button)
        heading.addWidget(self.actual_button)
        heading.addSpacing(12)
        heading.addWidget(self.summary, 1)
        layout.addLayout(heading)

        self.buttons = add_button_bar(layout, [
            ("rotation", "轮换填充(&T)…", "按轮班规律填充所选格子，例如 早早中中夜夜休休（Alt+T）", self.fill_rotation),
            ("copy", "沿用上月(&L)…", "把上月的排班按星期或按轮换顺延到本月（Alt+L）", self.copy_last_month),
            ("duty", "值守记录(&D)…", "登记所选格子的请假/缺岗、替班或加班（Alt+D）", self.record_duty),
            ("undo", "撤销", "撤销上一步修改（Ctrl+Z）", self.undo),
            ("redo", "重做", "重做（Ctrl+Y）", self.redo),
            ("import", "导入Excel(&I)…", "导入乙方发来的排班表（Alt+I；.xlsx）", self.import_excel),
            ("export", "导出Excel(&X)…", "把本月排班导出为 .xlsx，版式与导入相同（Alt+X）", self.export_excel),
            ("print", "打印(&P)…", "乙方排班表（甲方核验），A4 横向 PDF（Alt+P 或 Ctrl+P）", self.print_month),
        ])

        self.legend = QLabel()
        self.legend.setObjectName("hint")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        legend_row = QHBoxLayout()
        legend_row.addWidget(self.legend, 1)
        self.buttons["shift_types"] = QPushButton("班次设置(&S)…")
        self.buttons["shift_types"].setToolTip("班次的代码、名称、时间、休息和颜色（Alt+S）")
        self.buttons["shift_types"].clicked.connect(self.edit_shift_types)
        legend_row.addWidget(self.buttons["shift_types"])
        layout.addLayout(legend_row)
        self.message = QLabel()
        self.message.setObjectName("formError")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {RED}; font-weight: bold;")
        self.message.hide()
        layout.addWidget(self.message)

        self.model = RosterModel(self)
        self.view = RosterView(self)
        self.view.setModel(self.model)
        self.view.cells_edited.connect(self.edit_cells)
        self.view.edit_text_requested.connect(self.type_cell_text)
        self.view.paste_requested.connect(self.paste)
        self.view.refused.connect(self.show_message)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, slot in [
            ("录入班次或时间段…\tEnter", self.type_cell_text),
            ("复制\tCtrl+C", self.view.copy_selection),
            ("粘贴\tCtrl+V", self.paste),
            ("清除\tDelete", lambda: self.view.clear_selection_cells()),
            ("按轮班规律填充…\tAlt+T", self.fill_rotation),
            ("登记值守记录…\tAlt+D", self.record_duty),
            ("临时服务需求…\tCtrl+R", self.add_requirement),
            ("撤销\tCtrl+Z", self.undo),
            ("重做\tCtrl+Y", self.redo),
        ]:
            # The key after the tab is only shown: the view and the tab's shortcuts do the work.
            action = QAction(text, self.view)
            action.triggered.connect(slot)
            self.view.addAction(action)

        self.details = RosterPanels(self)
        self.details.gap_chosen.connect(self.show_gap)
        self.details.record_delete_requested.connect(self.delete_record)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([460, 150])
        layout.addWidget(splitter, 1)

        self._shortcuts()
        # The month is read when the tab is first shown, not while the window opens: the
        # clerk's daily start does not wait for a roster she may not look at today.
        self._stale = True
        self.month_label.setText(f"{self.year} 年 {self.month} 月")

    def showEvent(self, event) -> None:
        """Coming to the tab puts the keyboard in the grid, on a cell, so a code typed at once
        lands there (and the arrow keys move in the grid, not along the tabs)."""
        super().showEvent(event)
        first = self.state is None
        if self._stale:
            self.reload(same_month=False)
        elif self.state is not None and self.state.hours is None:
            self._hours_due = self.state  # the hours were left for later when the tab was hidden
            self._hours_timer.start()
        if first:
            self._place_cursor_on_today()
        focus = self.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            self.view.setFocus()

    def hideEvent(self, event) -> None:
        # Nothing is read for a tab nobody looks at; and a window that closes (its data
        # file closed right after) leaves no read pending.
        self._hours_timer.stop()
        self._prefetch_timer.stop()
        super().hideEvent(event)

    def _place_cursor_on_today(self) -> None:
        """Ready to type: the cursor on the first worker's cell of today (or the 1st)."""
        rows = self.model.worker_rows()
        if not rows:
            return
        today = clock.today()
        column = today.day - 1 if (today.year, today.month) == (self.year, self.month) else 0
        self.view.setCurrentIndex(self.model.index(rows[0], column))
        self.view.setFocus()

    # --- keys ------------------------------------------------------------------------------
    def _shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in [
            (("PgUp", "Ctrl+Left"), lambda: self.step_month(-1)),
            (("PgDown", "Ctrl+Right"), lambda: self.step_month(1)),
            (("Ctrl+Z",), self.undo),
            (("Ctrl+Y", "Ctrl+Shift+Z"), self.redo),
            (("Ctrl+Shift+A",), lambda: self.set_actual(not self.actual)),
            (("Ctrl+P",), self.print_month),
            (("Ctrl+R",), self.add_requirement),
        ]:
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(context)
                shortcut.activated.connect(slot)

    # --- month -----------------------------------------------------------------------------
    def step_month(self, step: int) -> None:
        index = self.year * 12 + self.month - 1 + step
        target = (index // 12, index % 12 + 1)
        if not (self.first_month <= target <= self.last_month):
            self.show_message(f"合同服务期限是 {self.first_month[0]} 年 {self.first_month[1]} 月至 "
                              f"{self.last_month[0]} 年 {self.last_month[1]} 月，没有更{'早' if step < 0 else '晚'}的月份。")
            return
        self.show_month(*target)

    def show_month(self, year: int, month: int) -> None:
        self.year, self.month = year, month
        self.reload(same_month=False)

    def set_actual(self, actual: bool) -> None:
        self.actual = actual
        (self.actual_button if actual else self.plan_button).setChecked(True)
        self.reload()

    def reload(self, *, same_month: bool = True) -> None:
        self._stale = False
        current = self.view.currentIndex()
        cached = None if same_month else self._cache.pop((self.year, self.month, self.actual), None)
        self.state = cached or load_month(self.store, self.year, self.month, actual=self.actual, hours=False)
        if self.state.hours is None:
            self._hours_due = self.state
            self._hours_timer.start()
        if not same_month:
            # The months either side are read while the clerk looks at this one, so that
            # PageUp/PageDown shows them at once (any change to the data forgets them).
            self._prefetch_timer.start()
        grid = self.state.grid
        if same_month:
            self.model.update_month(grid)
        else:
            self.model.set_month(grid)
        self.view.apply_spans()
        self.view.codes = list(grid.colours)
        if same_month and current.isValid():
            self.view.setCurrentIndex(self.model.index(current.row(), current.column()))
        self.month_label.setText(f"{self.year} 年 {self.month} 月")
        self.prev_button.setEnabled((self.year, self.month) > self.first_month)
        self.next_button.setEnabled((self.year, self.month) < self.last_month)
        stack = self.undo_stacks.get((self.year, self.month))
        if stack is None:
            stack = self.undo_stacks[(self.year, self.month)] = QUndoStack(self.undo_group)
        self.undo_group.setActiveStack(stack)
        self._show_legend()
        self._show_summary()

    def prefetch_neighbours(self) -> None:
        """Read the previous and the next month (with hours) ahead, one per idle moment."""
        for step in (1, -1):
            index = self.year * 12 + self.month - 1 + step
            key = (index // 12, index % 12 + 1, self.actual)
            if key in self._cache or not (self.first_month <= key[:2] <= self.last_month):
                continue
            try:
                self._cache[key] = load_month(self.store, key[0], key[1], actual=self.actual)
            except StoreClosed:
                return  # the window is closing
            self._prefetch_timer.start()  # the other neighbour at the next idle moment
            return

    def finish_hours(self) -> None:
        """Second half of a reload, after the grid is painted: working hours and 人力测算."""
        state, self._hours_due = self._hours_due, None
        if state is None or state is not self.state:
            return  # another reload came first and scheduled its own
        try:
            add_hours(self.store, state)
        except StoreClosed:
            return  # the window is closing and its data file was closed first
        self.model.update_month(state.grid)
        self._show_summary()

    def _show_legend(self) -> None:
        assert self.state is not None
        chips, tips = [], []
        for number, shift_type in enumerate(self.state.roster.shift_types, start=1):
            key = f"{number}" if number <= 9 else ""
            chips.append(f"<span style='background:{shift_type.colour}'>&nbsp;{shift_type.code}&nbsp;</span>{key}")
            tips.append(f"{key} {shift_type.code} {shift_type.name} {shift_type.times_text()}")
        self.legend.setText("班次：" + " ".join(chips) + "　数字键或代码录入 · Enter 时间段或两个班次 · "
                            "Delete 清除 · Ctrl+C/V 复制粘贴 · Ctrl+Z 撤销 · PageUp/Down 换月")
        self.legend.setToolTip("\n".join(tips))

    def _show_summary(self) -> None:
        assert self.state is not None
        report = self.state.coverage
        self.details.show_month(report, self.state.hours, self.state.records)
        if report is None:
            self.summary.setText("")
            return
        rates = [p for p in report.posts if p.rate is not None]
        met = sum(p.met_minutes for p in rates)
        required = sum(p.required_minutes for p in rates)
        rate = f"{met / required * 100:.2f}%" if required else "—"
        basis = "实际值守" if self.actual else "乙方排班"
        if report.gaps:
            days = len({g.date for g in report.gaps})
            self.summary.setText(f"<span style='color:{RED}'>按{basis}：{days} 天有缺口，共 {len(report.gaps)} 处；"
                                 f"覆盖率 {rate}</span>")
        else:
            self.summary.setText(f"<span style='color:{GREEN}'>按{basis}：各岗位每天均已覆盖；覆盖率 {rate}</span>")
        self.summary.setToolTip("\n".join(f"{p.post.name}：覆盖率 {p.rate_text()}" for p in report.posts))

    def show_gap(self, gap) -> None:
        """Put the cursor on the gap's day in its post's 覆盖情况 row."""
        row = self.model.coverage_row(gap.post_code)
        index = self.model.index(row, gap.date.day - 1)
        self.view.scrollTo(index)
        self.view.setCurrentIndex(index)
        self.view.setFocus()

    # --- edits -----------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def clear_message(self) -> None:
        self.message.hide()
        self.message.clear()

    def _write(self, edits: list[CellEdit], summary: str):
        self._writing = True
        try:
            return set_cells(self.store, edits, summary)
        finally:
            self._writing = False

    def apply_edits(self, edits: list[CellEdit], what: str) -> bool:
        """Write `edits` as one audited action and put it on the undo stack; a refusal is
        shown in Chinese and nothing changes."""
        try:
            changes = self._write(edits, f"乙方排班（{self.year}年{self.month}月）：{what}")
        except UserError as err:
            self.show_message(str(err))
            return False
        self.clear_message()
        if changes:
            self.undo_group.activeStack().push(EditCells(self._replay, changes, what))
        self.reload()
        return True

    def _replay(self, edits: list[CellEdit], summary: str) -> None:
        """Undo/redo: a refusal (the plan changed meanwhile) is shown, and the stack that
        no longer matches the data is emptied."""
        try:
            self._write(edits, f"乙方排班（{self.year}年{self.month}月）：{summary}")
        except UserError as err:
            self.show_message(f"无法{summary[:2]}：{err}")
            stack = self.undo_group.activeStack()
            QTimer.singleShot(0, stack.clear)
        else:
            self.clear_message()
        self.reload()

    def edit_cells(self, cells: dict, verb: str) -> None:
        edits = [(worker, day, [text] if text else []) for (worker, day), text in cells.items()]
        texts = set(cells.values())
        what = f"{verb}{'“' + texts.pop() + '”' if len(texts) == 1 and verb == '录入' else ''}" \
               f"（{len(cells)} 格）" if len(cells) > 1 else f"{verb}{self._where(next(iter(cells)))}"
        self.apply_edits(edits, what)

    def _where(self, cell) -> str:
        worker_id, day = cell
        name = next((r.name for r in self.state.roster.rows() if r.worker_id == worker_id), "") if self.state else ""
        return f" {name} {day.month}月{day.day}日"

    def type_cell_text(self) -> None:
        cells = self.view.selected_cells()
        if not cells:
            return
        current = self.model.text_of(cells[0]) if len(cells) == 1 else ""
        text, ok = QInputDialog.getText(
            self, "录入排班", "班次代码、时间段或两个班次，例如 早、08:00-12:00、16:00-次日08:00、早/夜；"
            "留空为不排班：", text=current)
        if ok:
            self.edit_cells({cell: text.strip() for cell in cells}, "录入")

    def paste(self) -> None:
        text = QGuiApplication.clipboard().text()
        rows, columns = self.view.selected_block()
        if not rows or not self.state:
            self.show_message("请先选中要粘贴到的格子（左上角）。")
            return
        try:
            block = parse_tsv(text)
            if not block or not any(any(c.strip() for c in row) for row in block):
                self.show_message("剪贴板里没有可以粘贴的排班。")
                return
            if len(block) == 1 and len(block[0]) == 1 and (len(rows) > 1 or len(columns) > 1):
                block = [[block[0][0]] * len(columns) for _ in rows]  # one code into a whole selection
            worker_ids = [self.model.rows[r].worker.id for r in self.model.worker_rows() if r >= rows[0]]
            first_day = self.model.day_of(columns[0])
            edits = paste_edits(self.state.roster, worker_ids, first_day, block)
        except UserError as err:
            self.show_message(str(err))
            return
        self.apply_edits(edits, f"粘贴（{len(block)} 行 × {max(len(r) for r in block)} 列）")

    def undo(self) -> None:
        stack = self.undo_group.activeStack()
        if stack is not None and stack.canUndo():
            stack.undo()

    def redo(self) -> None:
        stack = self.undo_group.activeStack()
        if stack is not None and stack.canRedo():
            stack.redo()

    # --- the rest of the bar (filled in below) ---------------------------------------------
    def fill_rotation(self) -> None:
        rows, columns = self.view.selected_block()
        if not rows or self.state is None:
            self.show_message("请先在表格中选中要填充的服务人员和日期（可以选一块）。")
            return
        seen: dict[int, str] = {}
        for row in rows:
            worker = self.model.rows[row].worker
            if worker is not None:
                seen.setdefault(worker.id, worker.name)
        first, last = self.model.day_of(columns[0]), self.model.day_of(columns[-1])
        dialog = RotationDialog(self.state.roster, list(seen.items()), first, last, self)
        self.last_dialog = dialog
        if dialog.exec() and dialog.edits:
            self.apply_edits(dialog.edits, f"轮换填充“{dialog.pattern.text().strip()}”（{len(seen)} 人）")

    def copy_last_month(self) -> None:
        if (self.year, self.month) <= self.first_month:
            self.show_message("这是合同的第一个月，没有上月的排班可以沿用。")
            return
        filled = len(self.state.grid.cells) if self.state else 0
        dialog = CopyForwardDialog(self.year, self.month, filled, self)
        self.last_dialog = dialog
        if not dialog.exec():
            return
        try:
            edits = copy_month_edits(self.store, self.year, self.month, by=dialog.by)
        except UserError as err:
            self.show_message(str(err))
            return
        if not edits:
            self.show_message("上月没有可以沿用的排班（或上月的服务人员本月都不在岗）。")
            return
        self.apply_edits(edits, "沿用上月排班（" + ("按星期对齐" if dialog.by == "weekday" else "按轮换续排") + "）")

    def record_duty(self) -> None:
        cells = self.view.selected_cells()
        if len(cells) != 1 or self.state is None:
            self.show_message("请先选中一位服务人员某一天的格子（一格），再登记值守记录。")
            return
        worker_id, day = cells[0]
        rows = self.state.roster.rows()
        index = (day - self.state.roster.first).days
        name = next(r.name for r in rows if r.worker_id == worker_id)
        planned = [(s.start, s.end) for r in rows if r.worker_id == worker_id for s in r.cells[index]
                   if s.start is not None and s.end is not None]
        post = next(r.post_code for r in rows if r.worker_id == worker_id and r.serves[index])
        others = sorted({(r.worker_id, r.name, r.post_code != post) for r in rows
                         if r.worker_id != worker_id and r.serves[index]}, key=lambda o: (o[2], o[1]))
        dialog = DutyRecordDialog(self.store, (worker_id, name), day, planned, [(o[0], o[1]) for o in others], self)
        self.last_dialog = dialog
        if dialog.exec():
            self.clear_message()
            self.details.setCurrentWidget(self.details.records_page)

    def edit_shift_types(self) -> None:
        from ui.roster.shift_types import ShiftTypesDialog

        dialog = ShiftTypesDialog(self.store, self)
        self.last_dialog = dialog
        dialog.exec()

    def add_requirement(self) -> None:
        if self.state is None:
            return
        index = self.view.currentIndex()
        row = self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None
        day = self.model.day_of(index.column()) if index.isValid() else None
        posts = [(g.post.code, g.post.name) for g in self.state.roster.groups]
        dialog = RequirementDialog(self.store, posts, row.post.code if row else posts[0][0],
                                   day or self.state.roster.first, self)
        self.last_dialog = dialog
        dialog.exec()

    def delete_record(self, record) -> None:
        from app.duty import delete_record

        if QMessageBox.question(self, "删除值守记录", f"删除这条值守记录？\n{record.describe()}",
                                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return
        try:
            delete_record(self.store, record.id)
        except UserError as err:
            self.show_message(str(err))

    def import_excel(self) -> None:
        from ui.folders import remember_folder, start_folder

        chosen, _ = QFileDialog.getOpenFileName(self, "选择乙方发来的排班表", str(start_folder()),
                                                "Excel 工作簿 (*.xlsx);;所有文件 (*)")
        if not chosen:
            return
        path = Path(chosen)
        remember_folder(path)
        self._read_import(path)

    def _read_import(self, path: Path, sheet: str | None = None) -> None:
        from ui import tasks

        tasks.run_task(self, "正在读取排班表…",
                       lambda progress: read_preview(self.store, path, None, progress, sheet=sheet),
                       on_done=lambda result: self._show_import_preview(result, path),
                       on_error=self.show_message)

    def _show_import_preview(self, preview, path: Path | None = None) -> None:
        from app.reports.roster_xlsx import RosterSheetChoice, apply_import

        if isinstance(preview, RosterSheetChoice):  # several months in one workbook: the clerk picks
            sheet = choose_sheet(self, preview, (self.year, self.month))
            if sheet is not None and path is not None:
                self._read_import(path, sheet)
            return

        dialog = RosterImportDialog(preview, lambda: apply_import(self.store, preview), self)
        self.last_dialog = dialog
        if dialog.exec():
            self.show_month(preview.year, preview.month)
            self.clear_message()
            QMessageBox.information(self, "导入乙方排班",
                                    f"已导入 {len(preview.worker_ids)} 人 {preview.year} 年 {preview.month} 月的排班"
                                    f"（{dialog.written} 格有变化）。")

    def export_excel(self) -> None:
        from app.reports.roster_xlsx import export_path, export_roster
        from ui.folders import remember_folder, start_folder

        name = f"乙方排班表{self.year}年{self.month:02d}月.xlsx"
        chosen, _ = QFileDialog.getSaveFileName(self, "导出乙方排班表", str(start_folder() / name),
                                                "Excel 工作簿 (*.xlsx)")
        if not chosen:
            return
        from ui.folders import output_target

        path = output_target(self, "导出乙方排班表", chosen, export_path(chosen), self.store.path)
        if path is None:
            return
        remember_folder(path)
        try:
            written = export_roster(self.store, self.year, self.month, path)
        except UserError as err:
            self.show_message(str(err))
            return
        QMessageBox.information(self, "导出乙方排班表", f"已导出 {self.year} 年 {self.month} 月的排班到 {written}。")

    def print_month(self) -> None:
        from app.reports.roster_pdf import roster_pdf  # reportlab only when printing
        from ui.printing import present_pdf

        try:
            pdf = roster_pdf(self.store, self.year, self.month, actual=self.actual, printed_on=clock.today())
        except UserError as err:
            self.show_message(str(err))
            return
        present_pdf(self, pdf, f"乙方排班表（甲方核验）{self.year}年{self.month:02d}月.pdf")

    # --- refresh ---------------------------------------------------------------------------
    def on_data_changed(self, changes: Changes) -> None:
        if not changes.touches(*ROSTER_TABLES):
            return
        self._cache.clear()  # a night shift on the 31st changes the next month's coverage too
        if self._writing:
            return  # our own write reloads once it is on the undo stack
        # Someone else changed the plan (an import, another screen): the undo steps of this
        # screen would now overwrite it, so they are let go.
        for stack in self.undo_stacks.values():
            stack.clear()
        if self.isVisible():
            self.reload()
        else:
            self._stale = True  # read again when the clerk comes back to this tab
