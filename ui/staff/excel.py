"""The 人员 tab's Excel files: the vendor's list imported through a preview, the list exported,
the blank import template, and the refused rows saved to send back.

The vendor's workbook is read off the window's thread (ui.tasks: progress and 取消); only
checking the rows against the data file, which is quick, happens on it. Nothing is written
before the clerk has seen the preview and pressed 导入.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.reports.workbook import ReadCancelled
from app.reports.staff_xlsx import (ImportPreview, ImportRow, Roster, SheetChoice, SkippedRow, apply_import,
                                    check_roster, export_path, export_workers, read_roster)
from ui.folders import remember_folder, start_folder
from ui import tasks
from ui.models import Column, RecordTableModel, make_table

if TYPE_CHECKING:
    from ui.staff.tab import StaffTab

RED = "#b3261e"
GREY = "#8a8f98"
SKIPPED_WORDS = {"标题": "标题行", "表尾": "合计/制表人等", "重复表头": "重复的表头", "无人员信息": "没有人员信息"}


def _save_name(parent: QWidget, title: str, suggested: str) -> Path | None:
    """The .xlsx file the clerk chose to write (".xlsx" added when typed without it)."""
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(start_folder() / suggested), "Excel 工作簿 (*.xlsx)")
    if not chosen:
        return None
    from ui.folders import data_file_of, output_target

    path = output_target(parent, title, chosen, export_path(chosen), data_file_of(parent))
    if path is not None:
        remember_folder(path)
    return path


# --- import ---------------------------------------------------------------------------------

def import_excel(tab: StaffTab) -> None:
    path, _ = QFileDialog.getOpenFileName(tab, "选择乙方人员名单", str(start_folder()),
                                          "Excel 工作簿 (*.xlsx);;所有文件 (*)")
    if path:
        remember_folder(Path(path))
        read_in_background(tab, Path(path))


def read_in_background(tab: StaffTab, path: Path, sheet: str | None = None) -> tasks.Progress:
    """Read the workbook on a worker thread; then ask for the sheet, or show the preview."""

    def work(progress: tasks.Progress) -> Roster | SheetChoice:
        try:
            return read_roster(path, sheet=sheet, progress=progress)
        except SheetChoice as choice:  # not a failure: the clerk picks one
            return choice

    def done(result: Roster | SheetChoice) -> None:
        if isinstance(result, SheetChoice):
            name, ok = QInputDialog.getItem(tab, "选择工作表", f"{result}\n\n要导入的工作表：", result.candidates, 0, False)
            if ok and name:
                read_in_background(tab, path, name)
            return
        try:
            preview = check_roster(tab.store, result)
        except UserError as err:
            QMessageBox.warning(tab, "导入人员名单", str(err))
            return
        show_preview(tab, preview)

    def failed(message: str) -> None:
        if message != str(ReadCancelled()):  # 取消 needs no message of its own
            QMessageBox.warning(tab, "导入人员名单", message)

    progress = tasks.run_task(tab, f"正在读取“{path.name}”…", work, on_done=done, on_error=failed)
    tab.import_progress = progress
    return progress


def show_preview(tab: StaffTab, preview: ImportPreview) -> None:
    dialog = ImportPreviewDialog(preview, lambda: apply_import(tab.store, preview), parent=tab)
    tab.last_import = dialog
    if dialog.exec():
        QMessageBox.information(tab, "导入人员名单", f"已导入 {len(dialog.written)} 人。")


@dataclass(frozen=True)
class PreviewLine:
    """One row of the sheet as the preview lists it: a person, or a row that is not one."""

    line: int
    name: str
    post_text: str
    post_name: str
    result: str
    reasons: str
    colour: str | None
    person: ImportRow | None

    @classmethod
    def of_person(cls, row: ImportRow) -> PreviewLine:
        reasons = [p.rstrip("。") for p in row.problems] + [n.rstrip("。") for n in row.notes]
        return cls(row.line, row.name, str(row.data.get("post") or ""), row.post_name,
                   "可导入" if row.ok else "不导入", "；".join(reasons), None if row.ok else RED, row)

    @classmethod
    def of_skipped(cls, row: SkippedRow) -> PreviewLine:
        return cls(row.line, "", "", "", f"跳过：{SKIPPED_WORDS.get(row.kind, row.kind)}",
                   f"不是人员：{row.text}", GREY, None)


def _lines(preview: ImportPreview, refused_only: bool) -> list[PreviewLine]:
    people = [PreviewLine.of_person(r) for r in (preview.refused if refused_only else preview.rows)]
    skipped = [] if refused_only else [PreviewLine.of_skipped(s) for s in preview.roster.skipped]
    return sorted(people + skipped, key=lambda p: p.line)


class ImportPreviewDialog(QDialog):
    """Every row of the vendor's sheet with what becomes of it, before anything is written."""

    def __init__(self, preview: ImportPreview, apply: Callable[[], Any], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"导入预览：{preview.path.name}")
        self.resize(980, 560)  # fits a 1366×768 laptop at 125 %
        self.preview, self.apply = preview, apply
        layout = QVBoxLayout(self)
        self.summary = QLabel(f"<b>{preview.summary()}</b> 此时尚未写入任何内容。<br>{preview.sheet_line()}"
                              f"<br>{preview.accounting_line()}")
        self.columns = QLabel(preview.columns_line())
        self.columns.setObjectName("hint")
        for label in (self.summary, self.columns):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
        self.model: RecordTableModel[PreviewLine] = RecordTableModel([
            Column("行号", lambda r: str(r.line), lambda r: r.line, align=Qt.AlignmentFlag.AlignCenter),
            Column("姓名", lambda r: r.name),
            Column("表中岗位", lambda r: r.post_text),
            Column("合同岗位", lambda r: r.post_name, foreground=lambda r: None if r.post_name else GREY),
            Column("结果", lambda r: r.result, foreground=lambda r: r.colour),
            Column("问题 / 提示", lambda r: r.reasons, tooltip=lambda r: r.reasons.replace("；", "\n"),
                   foreground=lambda r: r.colour),
        ], _lines(preview, False), parent=self)
        self.view = make_table(self.model, self)
        layout.addWidget(self.view, 1)
        self.refused_only = QCheckBox(f"只显示不导入的行（{len(preview.refused)}）")
        self.refused_only.setEnabled(bool(preview.refused))
        self.refused_only.toggled.connect(lambda on: self.model.set_rows(_lines(preview, on)))
        layout.addWidget(self.refused_only)
        # Long reasons wrap here, in full, for the selected row.
        self.detail = QLabel("选中一行，在这里查看完整的原因。")
        self.detail.setObjectName("importDetail")
        self.detail.setWordWrap(True)
        self.detail.setMinimumHeight(54)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setStyleSheet("background: #f7f8fa; border: 1px solid #dcdfe4; padding: 6px;")
        layout.addWidget(self.detail)
        self.view.selectionModel().selectionChanged.connect(self._show_detail)

        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.save_refused_button = self.buttons.addButton(f"另存不导入的行(&S)…（{len(preview.refused)} 行）",
                                                          QDialogButtonBox.ButtonRole.ActionRole)
        self.save_refused_button.setToolTip("把不导入的行连同原因另存为 .xlsx，退回乙方改正（Alt+S）")
        self.save_refused_button.setEnabled(bool(preview.refused))
        self.save_refused_button.clicked.connect(self.save_refused)
        self.import_button = self.buttons.addButton(f"导入 {len(preview.good)} 人",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(bool(preview.good))
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save_refused)
        self.written: list[int] = []
        self.saved: Path | None = None
        first = next((i for i, line in enumerate(self.model.rows()) if line.person and not line.person.ok), None)
        if first is not None:
            self.view.selectRow(first)
        self.view.setFocus()

    def _show_detail(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return
        line = self.model.row_at(rows[0].row())
        if line.person is None:
            self.detail.setText(f"第 {line.line} 行{line.result}。{line.reasons}")
            return
        row = line.person
        post = f"，合同岗位：{row.post_name}" if row.post_name else ""
        text = f"第 {row.line} 行（{row.name}{post}）：{'可导入' if row.ok else '不导入'}。"
        items = [f"· {p}" for p in row.problems] + [f"· 提示：{n}" for n in row.notes]
        self.detail.setText("\n".join([text, *items]))

    def save_refused(self) -> None:
        from app.reports.vendor_files import write_refused

        if not self.preview.refused:
            return
        path = _save_name(self, "另存不导入的行", f"{self.preview.path.stem}-未导入的行.xlsx")
        if path is None:
            return
        try:
            self.saved = write_refused(self.preview, path)
        except UserError as err:
            QMessageBox.warning(self, "另存不导入的行", str(err))
            return
        QMessageBox.information(self, "另存不导入的行",
                                f"已把 {len(self.preview.refused)} 行连同原因保存到 {self.saved}，可以发给乙方改正。")

    def do_import(self) -> None:
        try:
            self.written = self.apply()
        except UserError as err:  # the data changed since the preview: nothing was written
            self.error.setText(str(err))
            self.error.show()
            self.import_button.setEnabled(False)
            return
        self.accept()


# --- export and template --------------------------------------------------------------------

def export_excel(tab: StaffTab) -> None:
    path = _save_name(tab, "导出服务人员名单", "服务人员名单.xlsx")
    if path is None:
        return
    unmasked = QMessageBox.question(
        tab, "导出服务人员名单", "是否导出完整的身份证号和手机号？\n选“否”则导出遮盖后的号码（推荐）。",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No) == QMessageBox.StandardButton.Yes
    try:
        count = export_workers(tab.store, path, unmasked=unmasked)
    except UserError as err:
        QMessageBox.warning(tab, "导出服务人员名单", str(err))
        return
    QMessageBox.information(tab, "导出服务人员名单", f"已导出 {count} 人到 {path}。")


def export_template(tab: StaffTab) -> None:
    from app.reports.vendor_files import write_template

    path = _save_name(tab, "导出导入模板", "服务人员名单导入模板.xlsx")
    if path is None:
        return
    try:
        written = write_template(tab.store, path)
    except UserError as err:
        QMessageBox.warning(tab, "导出导入模板", str(err))
        return
    QMessageBox.information(tab, "导出导入模板", f"已保存空白模板到 {written}。\n请乙方在“人员名单”工作表中逐行填写"
                            "（填写方法见“说明”工作表），发回后用“导入Excel”导入。")
