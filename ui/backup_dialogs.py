"""备份到… and 从备份恢复…: copies to a chosen folder, and the restore picker.

The restore picker lists the copies in the backup folder (or one picked anywhere, e.g.
on a USB stick) with their date, contract and last change. The restore itself happens
with the data file closed: the window records the choice and closes, and the start-up
loop in ui/__main__ restores and reopens (see ui/startup.py).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.scans import backup_note
from app.store import backup
from app.store.restore import BackupInfo, describe_backup, of_another_file
from ui import tasks
from ui.models import Column, RecordTableModel, make_table

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

BACKUP_COLUMNS: list[Column[BackupInfo]] = [
    Column("备份时间", lambda b: f"{b.taken_at:%Y-%m-%d %H:%M:%S}", lambda b: b.taken_at),
    Column("类型", lambda b: b.reason_label),
    Column("合同", lambda b: b.contract, tooltip=lambda b: b.contract),
    Column("最后一次修改", lambda b: f"{b.last_change_at} {b.last_change}",
           lambda b: b.last_change_at, tooltip=lambda b: b.last_change),
    Column("大小", lambda b: f"{b.size / 1024:.0f} KB", lambda b: b.size, RIGHT),
]


def backup_to_chosen_folder(parent: QWidget, db_path: Path | None) -> None:
    """文件 → 备份到…: a verified copy in a folder the clerk picks (a USB stick)."""
    if db_path is None:
        QMessageBox.information(parent, "备份", "内存中的数据库没有数据文件，无法备份。")
        return
    chosen = QFileDialog.getExistingDirectory(parent, "选择备份位置（例如U盘）", str(Path.home()))
    if not chosen:
        return
    try:
        folder = backup.check_target(chosen)
    except UserError as err:
        QMessageBox.warning(parent, "备份", str(err))
        return
    tasks.run_task(
        parent, "正在备份…",
        lambda progress: (backup.backup_file(db_path, folder, reason="manual"), backup_note(db_path)),
        on_done=lambda done: (QMessageBox.warning if done[1] else QMessageBox.information)(
            parent, "备份完成", f"备份完成，已校验（能打开，完整性检查通过）：\n{done[0]}\n\n{done[1]}".strip()),
    )


def _describe_all(db_path: Path, progress: tasks.Progress) -> tuple[list[BackupInfo], int]:
    """Every usable copy of this data file in its backup folder (the one holding the latest
    change first; another data file's copies are not listed), and how many could not be used."""
    found, unusable = [], 0
    candidates = [b for b in backup.own_backups(db_path) if b.reason != "damaged"]
    for done, candidate in enumerate(candidates, start=1):
        if progress.cancelled:
            break
        try:
            found.append(describe_backup(candidate.path))
        except (UserError, OSError):
            unusable += 1
        progress.report(done, len(candidates))
    return found, unusable


class RestoreDialog(QDialog):
    """Pick a backup; `chosen` is set when the clerk confirmed a restore."""

    def __init__(self, db_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.chosen: BackupInfo | None = None
        self.setWindowTitle("从备份恢复")
        self.resize(900, 480)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"备份文件夹：{backup.backup_dir_for(self.db_path)}\n"
            "选择一份备份查看它的内容。列表按备份包含的最后一次修改排列，最新的在上（不按文件名里的时间："
            "电脑时钟被调回过时它不可靠）；只列出这个数据文件自己的备份。"
            "恢复前，当前的数据文件会先另存到备份文件夹，不会丢失。")
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(intro)

        self.model: RecordTableModel[BackupInfo] = RecordTableModel(BACKUP_COLUMNS, parent=self)
        self.view = make_table(self.model, stretch_column=3)
        self.view.selectionModel().selectionChanged.connect(self._show_selected)
        self.view.doubleClicked.connect(lambda _: self.confirm())
        layout.addWidget(self.view, 1)

        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setObjectName("backupDetails")
        # A backup picked under 其他位置 that belongs to another data file (the CLI's --other-file).
        self.other_file = QLabel()
        self.other_file.setWordWrap(True)
        self.other_file.setStyleSheet("color: #8c1d17; background: #fdf0ee; border: 1px solid #f0c9c4; padding: 6px;"
                                      " font-weight: bold;")
        self.other_file.hide()
        layout.addWidget(self.other_file)
        layout.addWidget(self.details)

        buttons = QHBoxLayout()
        self.other = QPushButton("其他位置的备份(&O)…")
        self.other.clicked.connect(self.pick_other)
        buttons.addWidget(self.other)
        buttons.addStretch(1)
        box = QDialogButtonBox()
        self.restore_button = box.addButton("恢复所选备份(&R)", QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.confirm)
        box.rejected.connect(self.reject)
        buttons.addWidget(box)
        layout.addLayout(buttons)
        self.restore_button.setEnabled(False)
        self.details.setText("正在读取备份…")
        tasks.run_task(self, "正在读取备份…",
                       lambda progress: _describe_all(self.db_path, progress),
                       on_done=self._show_backups)

    def _show_backups(self, result: tuple[list[BackupInfo], int]) -> None:
        found, unusable = result
        self.model.set_rows(found)
        note = f"另有 {unusable} 个文件无法使用（已损坏或不是本程序的备份），未列出。" if unusable else ""
        if found:
            self.view.selectRow(0)
            if note:
                self.details.setText(self.details.text() + "\n" + note)
        else:
            self.details.setText("备份文件夹中没有可用的备份。可以点“其他位置的备份…”选择U盘上的备份。" + note)

    def selected(self) -> BackupInfo | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _show_selected(self) -> None:
        info = self.selected()
        self.restore_button.setEnabled(info is not None)
        other = of_another_file(info.path, self.db_path) if info else None
        self.other_file.setText(f"注意：{other}" if other else "")
        self.other_file.setVisible(bool(other))
        self.details.setText(info.describe() if info else "")

    def pick_other(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择备份文件", str(Path.home()),
                                              "盯守台账备份 (*.sqlite3 *.sqlite *.db *.bak);;所有文件 (*)")
        if not path:
            return
        try:
            info = describe_backup(Path(path))
        except UserError as err:
            QMessageBox.warning(self, "从备份恢复", str(err))
            return
        self.model.set_rows([info] + [b for b in self.model.rows() if b.path != info.path])
        self.view.selectRow(0)

    def _replace_with_other_file(self, why: str) -> bool:
        """The window's --other-file: said plainly, asked once more, 否 the default."""
        answer = QMessageBox.warning(
            self, "这是另一个数据文件的备份",
            f"{why}\n\n当前数据文件：{self.db_path}\n只想查看那份数据的，请点“否”，"
            "请技术人员把它恢复到一个新文件。\n\n确实要用另一个数据文件的备份替换当前数据吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def confirm(self) -> None:
        info = self.selected()
        if info is None:
            return
        other = of_another_file(info.path, self.db_path)
        if other and not self._replace_with_other_file(other):
            return
        answer = QMessageBox.question(
            self, "从备份恢复",
            f"用 {info.taken_at:%Y-%m-%d %H:%M} 的备份替换当前数据？\n\n{info.describe()}\n\n"
            "当前的数据文件会先另存到备份文件夹；恢复后程序会重新打开数据文件。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.chosen = info
            self.accept()
