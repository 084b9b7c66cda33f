"""历史记录: every change, filterable, and the history of one record; export for an auditor.

Read-only by construction: the views show `app.audit` queries; nothing here can edit
the audit log (its triggers would refuse anyway).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import audit, clock
from app.audit import AuditEntry, AuditFilter
from app.errors import UserError
from app.store import Changes, Store
from ui import tasks
from ui.dates import DateField
from ui.models import Column, RecordTableModel, make_table
from ui.tabs import main_window

MAX_ROWS = 5000
TYPING_PAUSE_MS = 250  # the window shows the newest; the export writes all that match

ENTRY_COLUMNS: list[Column[AuditEntry]] = [
    Column("时间", lambda e: e.at, lambda e: e.id),
    Column("经办人", lambda e: e.operator),
    Column("操作", lambda e: e.action_label),
    Column("对象", lambda e: e.table_label),
    Column("记录", lambda e: e.record_label, lambda e: (e.table_name, e.record_id.zfill(12))),
    Column("事由", lambda e: e.summary, tooltip=lambda e: e.summary),
    Column("修改内容", lambda e: e.describe_changes(), tooltip=lambda e: e.describe_changes().replace("；", "\n")),
]


# One record's history: what changed matters more than the action's title.
TOP = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
RECORD_COLUMNS: list[Column[AuditEntry]] = [
    *(replace(column, align=TOP) for column in ENTRY_COLUMNS[:4]),
    Column("修改内容", lambda e: e.describe_changes().replace("；", "\n"),
           tooltip=lambda e: e.summary, align=TOP),
]


def export_to_chosen_file(parent: QWidget, store: Store, filt: AuditFilter, name: str,
                          entries: list[AuditEntry] | None = None) -> None:
    """导出 Excel…: the rows are read here, the workbook is written on a worker thread
    (ui/tasks), and the export is noted in the history back on this thread."""
    path, _ = QFileDialog.getSaveFileName(parent, "导出修改记录", str(Path.home() / f"{name}.xlsx"),
                                          "Excel 工作簿 (*.xlsx)")
    if not path:
        return
    if not path.lower().endswith(".xlsx"):
        path += ".xlsx"
    try:
        rows = entries if entries is not None else audit.list_changes(store, filt)
    except UserError as err:
        QMessageBox.warning(parent, "导出修改记录", str(err))
        return

    def done(count: int) -> None:
        try:
            audit.note_export(store, Path(path), count)
        except UserError as err:
            # Every export is in the history; one that cannot be recorded is not kept.
            Path(path).unlink(missing_ok=True)
            QMessageBox.warning(parent, "导出修改记录", f"导出没有完成，文件已删除：{err}")
            return
        QMessageBox.information(parent, "导出修改记录", f"已导出 {count} 条修改记录：\n{path}")

    tasks.run_task(parent, "正在导出修改记录…", lambda progress: audit.write_xlsx(rows, Path(path)),
                   on_done=done)


class RecordHistoryDialog(QDialog):
    """The history of one record, oldest first."""

    def __init__(self, store: Store, table: str, record_id: object, title: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.table, self.record_id = store, table, str(record_id)
        label = title or f"{audit.table_label(table)} {record_id}"
        self.setWindowTitle(f"历史记录 — {label}")
        self.resize(900, 420)
        layout = QVBoxLayout(self)
        heading = QLabel(f"{label}：从创建起的每一次修改（谁、何时、改了什么）")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.model: RecordTableModel[AuditEntry] = RecordTableModel(RECORD_COLUMNS, parent=self)
        self.view = make_table(self.model)
        self.view.setWordWrap(True)
        layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        self.count = QLabel()
        self.count.setObjectName("hint")
        bottom.addWidget(self.count, 1)
        export = QPushButton("导出 Excel(&E)…")
        export.setAutoDefault(False)  # Enter closes the viewer; it never starts an export
        export.clicked.connect(lambda: export_to_chosen_file(
            self, store, AuditFilter(table=table, record_id=self.record_id), f"历史记录-{label}",
            entries=self.model.rows()))
        bottom.addWidget(export)
        close = QPushButton("关闭")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self.refresh()

    def refresh(self) -> None:
        entries = audit.record_history(self.store, self.table, self.record_id)
        self.model.set_rows(entries)
        self.view.resizeRowsToContents()
        self.count.setText(f"共 {len(entries)} 条修改记录")

    def on_data_changed(self, changes: Changes) -> None:
        if changes.audited(*audit.history_tables(self.table)):  # a worker's accounts too; notes too
            self.refresh()


class HistoryWindow(QDialog):
    """全部修改记录: every change, newest first, with filters."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("全部修改记录")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(1100, 600)
        layout = QVBoxLayout(self)

        filters = QHBoxLayout()
        self.table = QComboBox()
        self.operator = QComboBox()
        self.action = QComboBox()
        self.action.addItem("全部操作", None)
        for code, label in audit.ACTION_LABELS.items():
            self.action.addItem(label, code)
        self.by_date = QCheckBox("日期")
        today = clock.today()
        self.since = DateField(today.replace(day=1))
        self.until = DateField(today)
        for edit in (self.since, self.until):
            edit.setEnabled(False)
        self.text = QLineEdit()
        self.text.setPlaceholderText("搜索事由、内容或经办人")
        self.text.setClearButtonEnabled(True)
        for caption, widget in (("对象：", self.table), ("经办人：", self.operator), ("", self.action)):
            if caption:
                filters.addWidget(QLabel(caption))
            filters.addWidget(widget)
        filters.addSpacing(8)
        filters.addWidget(self.by_date)
        filters.addWidget(self.since)
        filters.addWidget(QLabel("至"))
        filters.addWidget(self.until)
        filters.addSpacing(8)
        filters.addWidget(self.text, 1)
        layout.addLayout(filters)

        self.model: RecordTableModel[AuditEntry] = RecordTableModel(ENTRY_COLUMNS, parent=self)
        self.view = make_table(self.model)
        self.view.doubleClicked.connect(lambda _: self.show_record_history())
        layout.addWidget(self.view, 1)

        bottom = QHBoxLayout()
        self.count = QLabel()
        self.count.setObjectName("hint")
        bottom.addWidget(self.count, 1)
        self.record_button = QPushButton("此记录的历史(&R)")
        self.record_button.clicked.connect(self.show_record_history)
        bottom.addWidget(self.record_button)
        export = QPushButton("导出 Excel(&E)…")
        export.clicked.connect(lambda: export_to_chosen_file(
            self, store, self.current_filter(), f"修改记录-{clock.today():%Y%m%d}"))
        bottom.addWidget(export)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        # No button answers Enter: in the search box Enter searches at once, and a stray
        # Enter must not open a record's history or an export.
        for button in (self.record_button, export, close):
            button.setAutoDefault(False)
        self.text.returnPressed.connect(self.refresh)

        self._fill_choices()
        for combo in (self.table, self.operator, self.action):
            combo.currentIndexChanged.connect(self.refresh)
        self.by_date.toggled.connect(self._toggle_dates)
        self.since.dateChanged.connect(self.refresh)
        self.until.dateChanged.connect(self.refresh)
        # Typing refreshes once the clerk pauses, not on every key.
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.refresh)
        self.text.textChanged.connect(self._typing.start)
        self.refresh()

    def _fill_choices(self) -> None:
        for combo, first, values, label in (
            (self.table, "全部对象", audit.tables(self.store), audit.table_label),
            (self.operator, "全部经办人", audit.operators(self.store), str),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, None)
            for value in values:
                combo.addItem(label(value), value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def _toggle_dates(self, on: bool) -> None:
        self.since.setEnabled(on)
        self.until.setEnabled(on)
        self.refresh()

    def current_filter(self) -> AuditFilter:
        def date(edit: DateField) -> dt.date | None:
            return edit.date().toPython() if self.by_date.isChecked() else None

        return AuditFilter(table=self.table.currentData(), operator=self.operator.currentData(),
                           action=self.action.currentData(), since=date(self.since),
                           until=date(self.until), text=self.text.text())

    def refresh(self) -> None:
        try:
            entries = audit.list_changes(self.store, self.current_filter(), limit=MAX_ROWS + 1)
        except UserError as err:
            self.model.set_rows([])
            self.count.setText(str(err))
            return
        shown = entries[:MAX_ROWS]
        self.model.set_rows(shown)
        more = f"（只显示最新的 {MAX_ROWS} 条，导出时包含全部）" if len(entries) > MAX_ROWS else ""
        self.count.setText(f"共 {len(shown)} 条修改记录{more}。双击一行查看该记录的全部历史。")

    def on_data_changed(self, changes: Changes) -> None:
        self._fill_choices()
        self.refresh()

    def selected(self) -> AuditEntry | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def show_record_history(self) -> RecordHistoryDialog | None:
        entry = self.selected()
        if entry is None:
            return None
        window = main_window(self)
        if window is not None:  # one window per record, kept up to date
            return window.show_record_history(entry.table_name, entry.record_id)
        dialog = RecordHistoryDialog(self.store, entry.table_name, entry.record_id, parent=self)
        dialog.show()
        return dialog
