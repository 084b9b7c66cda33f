"""Start and end of a session on the data file: open (or recover), exit backup, restore.

Kept apart from ui/__main__ so tests drive each step; every dialog goes through this
module's QMessageBox / `ask_recovery`, which tests replace.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from app import APP_NAME
from app.errors import DatabaseRefused, UserError
from app.store import Store, backup, open_store
from app.store.restore import BackupInfo, newest_good_backup, restore_backup

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger("dingshou.ui")


class Recovery(StrEnum):
    """The clerk's answer when the data file cannot be used."""
    NEWEST = "newest"  # 从备份恢复: the newest good copy
    OTHER = "other"    # 选择其他备份…
    NEW = "new"        # 新建数据文件 (only when the file is missing)
    QUIT = "quit"      # 退出


NEWEST, OTHER, NEW, QUIT = Recovery.NEWEST, Recovery.OTHER, Recovery.NEW, Recovery.QUIT


class Outcome(Enum):
    """What came of building the main window on an opened store."""
    SHOWN = "shown"    # the window is built (`Built.window`)
    REOPEN = "reopen"  # its contents could not be shown; a backup was put in place: open again
    QUIT = "quit"      # its contents could not be shown; the clerk chose 退出


@dataclass(frozen=True)
class Built:
    outcome: Outcome
    window: MainWindow | None = None


def ask_recovery(message: str, newest: BackupInfo | None, allow_new: bool = False) -> Recovery:
    """The refusal, with 从备份恢复 (the newest good copy) / 选择其他备份… / 退出
    (and 新建数据文件 when the data file is missing)."""
    icon = QMessageBox.Icon.Warning if allow_new else QMessageBox.Icon.Critical
    box = QMessageBox(icon, APP_NAME, message)
    restore = box.addButton("从备份恢复(&R)", QMessageBox.ButtonRole.AcceptRole) if newest else None
    other = box.addButton("选择其他备份(&O)…", QMessageBox.ButtonRole.ActionRole)
    new = box.addButton("新建数据文件(&N)", QMessageBox.ButtonRole.ActionRole) if allow_new else None
    box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if restore is not None and clicked is restore:
        return NEWEST
    if clicked is other:
        return OTHER
    if new is not None and clicked is new:
        return NEW
    return QUIT


def _pick_backup(db_path: Path) -> BackupInfo | None:
    from ui.backup_dialogs import RestoreDialog

    dialog = RestoreDialog(db_path)
    dialog.exec()
    return dialog.chosen


def restore_and_report(backup_path: Path, db_path: Path, parent: QWidget | None = None) -> bool:
    """Restore with the data file closed; tell the clerk what happened. True if restored."""
    from app.operator_settings import pc_operator

    try:
        kept = restore_backup(backup_path, db_path, operator=pc_operator())
    except UserError as err:
        QMessageBox.warning(parent, "从备份恢复", str(err))
        return False
    kept_text = f"\n恢复前的数据文件已另存为：\n{kept}" if kept else ""
    QMessageBox.information(parent, "从备份恢复", f"已从备份恢复：\n{backup_path}{kept_text}")
    return True


def recover(db_path: Path, message: str, newest: BackupInfo | None) -> bool:
    """Offer a backup for a file that cannot be used; True if one was restored."""
    return _act_on(ask_recovery(message, newest), db_path, newest)


def _act_on(choice: Recovery, db_path: Path, newest: BackupInfo | None) -> bool:
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
    newest = newest_good_backup(db_path) if not db_path.exists() else None
    while newest is not None and not db_path.exists():
        # Moved or deleted by mistake? Offer the copies first. Only the clerk's explicit
        # 新建数据文件 starts a blank file: a cancelled picker or a failed restore asks
        # again, or a blank file's start backup would become the "newest backup".
        choice = ask_recovery(
            f"找不到数据文件 {db_path}，但它旁边的备份文件夹里有备份。\n\n"
            f"最新的完好备份是 {newest.taken_at:%Y-%m-%d %H:%M}（{newest.reason_label}，"
            f"最后一次修改 {newest.last_change_at}）：\n{newest.path}\n\n"
            "如果数据文件被误删或移走，请从备份恢复；“新建数据文件”会从空白开始。",
            newest, allow_new=True)
        if choice == QUIT:
            return None
        if choice == NEW:
            break
        _act_on(choice, db_path, newest)
    from app.operator_settings import apply_pc_operator

    while True:
        try:
            store = open_store(db_path, backup_reason="start")
            apply_pc_operator(store)  # the PC's 经办人, not the one a restored file remembers
            return store
        except DatabaseRefused as err:
            if not recover(db_path, str(err), err.newest_backup):
                return None
        except UserError as err:
            QMessageBox.critical(None, APP_NAME, str(err))
            return None


def build_window(store: Store, db_path: Path) -> Built:
    """The main window; or, if the file's contents cannot be shown (damage inside a value
    that integrity_check cannot see), the store closed and the clerk offered a backup."""
    from ui.main_window import MainWindow

    try:
        return Built(Outcome.SHOWN, MainWindow(store))
    except Exception as err:  # a damaged file must never crash the program
        log.exception("窗口无法显示数据文件 %s 的内容", db_path)
        store.close()
        newest = newest_good_backup(db_path)
        message = (f"数据文件 {db_path} 中有无法读取的内容，文件可能部分损坏；文件没有被改动。"
                   f"（技术信息：{type(err).__name__}: {err}）")
        if newest:
            message += (f"\n\n最新的完好备份是 {newest.taken_at:%Y-%m-%d %H:%M}（{newest.reason_label}）：\n"
                        f"{newest.path}\n可以从这份备份恢复。")
        if recover(db_path, message, newest):
            return Built(Outcome.REOPEN)
        return Built(Outcome.QUIT)


def ensure_operator(window) -> None:
    """The first start on this PC asks the clerk's name (the login name is not hers)."""
    from app.operator_settings import pc_operator

    if pc_operator() is None:
        window.ask_operator(first_start=True)


def exit_backup(store: Store) -> Path | None:
    """The copy taken when the window closes; a failure is reported, never fatal."""
    if store.path is None:
        return None
    try:
        return store.backup_copy("exit").path
    except UserError as err:
        QMessageBox.warning(None, APP_NAME, f"退出时自动备份没有完成：{err}\n数据文件本身不受影响。")
        return None


def verify_contents(window: QWidget, db_path: Path) -> None:
    """Right after the window shows, replay the change history against the data on a
    worker thread. A byte flipped inside a name or a date passes integrity_check and
    opens normally; this is where it is noticed, and the clerk is told at once."""
    from app.store.check import check_audit_agrees, check_readable
    from ui import tasks

    def work(progress: tasks.Progress) -> list[str]:
        conn = backup.connect_ro(db_path)
        try:
            return check_audit_agrees(conn) + check_readable(conn)
        finally:
            conn.close()

    def done(problems: list[str]) -> None:
        if not problems:
            return
        shown = "\n".join(f"· {p}" for p in problems[:5]) + ("\n· ……" if len(problems) > 5 else "")
        QMessageBox.warning(
            window, APP_NAME,
            f"数据文件 {db_path} 的内容与修改记录不一致，文件可能部分损坏：\n{shown}\n\n"
            "建议先不要继续录入，选择 文件 → 从备份恢复…，恢复一份出现问题之前的备份"
            "（列表中可以看到每份备份的最后一次修改）。当前文件会先另存，不会丢失。")

    tasks.run_task(window, "正在核对数据…", work, on_done=done, cancellable=False)
