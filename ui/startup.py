"""Start and end of a session on the data file: open (or recover), exit backup, restore.

Kept apart from ui/__main__ so tests drive each step; every dialog goes through this
module's QMessageBox / `ask_recovery`, which tests replace.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from app import APP_NAME
from app.errors import DatabaseRefused, UserError
from app.store import Store, backup, open_store
from app.store.restore import BackupInfo, newest_good_backup, restore_backup

NEWEST, OTHER, QUIT = "newest", "other", "quit"


def ask_recovery(message: str, newest: BackupInfo | None) -> str:
    """The refusal, with 从备份恢复 (the newest good copy) / 选择其他备份… / 退出."""
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, message)
    restore = box.addButton("从备份恢复(&R)", QMessageBox.ButtonRole.AcceptRole) if newest else None
    other = box.addButton("选择其他备份(&O)…", QMessageBox.ButtonRole.ActionRole)
    box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if restore is not None and clicked is restore:
        return NEWEST
    if clicked is other:
        return OTHER
    return QUIT


def _pick_backup(db_path: Path) -> BackupInfo | None:
    from ui.backup_dialogs import RestoreDialog

    dialog = RestoreDialog(db_path)
    dialog.exec()
    return dialog.chosen


def restore_and_report(backup_path: Path, db_path: Path, parent: QWidget | None = None) -> bool:
    """Restore with the data file closed; tell the clerk what happened. True if restored."""
    try:
        kept = restore_backup(backup_path, db_path)
    except UserError as err:
        QMessageBox.warning(parent, "从备份恢复", str(err))
        return False
    kept_text = f"\n恢复前的数据文件已另存为：\n{kept}" if kept else ""
    QMessageBox.information(parent, "从备份恢复", f"已从备份恢复：\n{backup_path}{kept_text}")
    return True


def recover(db_path: Path, message: str, newest: BackupInfo | None) -> bool:
    """Offer a backup for a file that cannot be used; True if one was restored."""
    choice = ask_recovery(message, newest)
    if choice == NEWEST and newest is not None:
        return restore_and_report(newest.path, db_path)
    if choice == OTHER:
        chosen = _pick_backup(db_path)
        return chosen is not None and restore_and_report(chosen.path, db_path)
    return False


def open_or_recover(db_path: Path) -> Store | None:
    """The data file opened (after the start backup), or None if the clerk gave up.

    A refused file is left untouched; the clerk may restore a backup in its place (the
    refused file is kept in the backup folder first) and it is opened again.
    """
    while True:
        try:
            return open_store(db_path, backup_reason="start")
        except DatabaseRefused as err:
            if not recover(db_path, str(err), err.newest_backup):
                return None
        except UserError as err:
            QMessageBox.critical(None, APP_NAME, str(err))
            return None


def build_window(store: Store, db_path: Path):
    """The main window, or None if the file's contents cannot be shown (damage inside a
    value that integrity_check cannot see). The store is closed in that case."""
    from ui.main_window import MainWindow

    try:
        return MainWindow(store)
    except Exception as err:  # noqa: BLE001 - a damaged file must never crash the program
        store.close()
        newest = newest_good_backup(db_path)
        message = (f"数据文件 {db_path} 中有无法读取的内容（{type(err).__name__}：{err}）。"
                   "文件可能部分损坏；文件没有被改动。")
        if newest:
            message += (f"\n\n最新的完好备份是 {newest.taken_at:%Y-%m-%d %H:%M}（{newest.reason_label}）：\n"
                        f"{newest.path}\n可以从这份备份恢复。")
        if recover(db_path, message, newest):
            return "retry"
        return None


def exit_backup(store: Store) -> Path | None:
    """The copy taken when the window closes; a failure is reported, never fatal."""
    if store.path is None:
        return None
    try:
        return backup.auto_backup(store.path, "exit", conn=store.db.conn).path
    except UserError as err:
        QMessageBox.warning(None, APP_NAME, f"退出时自动备份没有完成：{err}\n数据文件本身不受影响。")
        return None
