"""The vendor's roster as Excel: the import preview (in the style of the staff import's)
and the export, for the 排班日历 tab. Reading and checking are the core's
(`app.reports.roster_xlsx`); nothing is written until the clerk confirms."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.errors import UserError
from app.store import Store
from ui.models import Column, RecordTableModel, make_table

RED = "#b3261e"


def read_preview(store: Store, path: Path, month: tuple[int, int] | None, progress: Any,
                 sheet: str | None = None) -> Any:
    """The preview, read on a worker thread with its own read-only connection (sqlite3
    refuses a connection made on another thread); an in-memory store is read in place.
    A workbook with several roster sheets gives back the RosterSheetChoice: not a failure,
    the clerk picks one (as the staff import asks)."""
    from app.reports.roster_xlsx import RosterSheetChoice, preview_import

    with store.reader() as reader:
        try:
            return preview_import(reader, path, month=month, sheet=sheet, progress=progress)
        except RosterSheetChoice as choice:
            return choice


def choose_sheet(parent: QWidget, choice: Any, shown: tuple[int, int]) -> str | None:
    """Ask which roster sheet to import; the one of the month on screen comes first chosen."""
    from PySide6.QtWidgets import QInputDialog

    items = [choice.describe(name) for name in choice.candidates]
    start = next((n for n, name in enumerate(choice.candidates) if choice.month_of(name) == shown), 0)
    picked, ok = QInputDialog.getItem(parent, "选择工作表", f"{choice}\n\n要导入的工作表：", items, start, False)
    if not ok or picked not in items:
        return None
    return choice.candidates[items.index(picked)]


class RosterImportDialog(QDialog):
    """Every row of the vendor's sheet with what was read and each problem, by row and day,
    before anything is written. A file with problems is not imported at all: the vendor's
    plan for a month is taken whole or not (the clerk sends the file back)."""

    def __init__(self, preview: Any, apply: Callable[[], int], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"导入预览：{preview.path.name}")
        self.resize(960, 520)
        self.preview, self.apply = preview, apply
        layout = QVBoxLayout(self)
        text = (f"工作表“{preview.sheet}”，表头在第 {preview.header_line} 行。{preview.summary()}\n"
                f"导入后，文件中这些服务人员 {preview.year} 年 {preview.month} 月的乙方排班以文件为准"
                "（一次操作，记入修改记录）。")
        self.summary = QLabel(text)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = RecordTableModel([
            Column("行号", lambda r: str(r.line), lambda r: r.line),
            Column("姓名", lambda r: r.name),
            Column("班次数", lambda r: str(sum(len(e) for e in r.cells.values())),
                   lambda r: sum(len(e) for e in r.cells.values())),
            Column("结果", lambda r: "可导入" if r.ok else "有问题", foreground=lambda r: None if r.ok else RED),
            Column("问题", lambda r: "；".join(p.rstrip("。") for p in r.problems),
                   tooltip=lambda r: "\n".join(r.problems), foreground=lambda r: None if r.ok else RED),
        ], preview.rows, parent=self)
        self.view = make_table(self.model, self)
        layout.addWidget(self.view, 1)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {RED}; font-weight: bold;")
        layout.addWidget(self.error)
        if not preview.ok:
            self.error.setText(f"有 {len(preview.problems)} 处问题，整张表都没有导入。请乙方改好后重新发来，"
                               "或在排班日历中直接录入。")
        else:
            self.error.hide()
        buttons = QDialogButtonBox()
        people = len(preview.worker_ids)
        self.import_button = buttons.addButton(f"导入 {people} 人的排班", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(preview.ok and people > 0)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.do_import)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(buttons)
        self.written = 0

    def do_import(self) -> None:
        try:
            self.written = self.apply()
        except UserError as err:  # the data changed since the preview: nothing was written
            self.error.setText(str(err))
            self.error.show()
            self.import_button.setEnabled(False)
            return
        self.accept()
