"""The one error path of the window.

Whatever goes wrong in a slot, a menu action or work run by `ui.tasks` ends here:

- `UserError` (and its kinds: ValidationError, WriteFailed, DatabaseRefused …) is a refusal
  the clerk can act on: a warning with its Chinese message; noted in the log.
- Anything else is a fault: written to the log file with its traceback, and shown as one
  Chinese sentence, the log's location and 复制技术信息 (the text a maintainer needs), as
  Anki's error dialog does.

`install_excepthook()` routes exceptions escaping Qt slots here (PySide6 hands them to
`sys.excepthook`), and those of stray Python threads to the log. A slot therefore catches
nothing itself unless it wants to do something besides showing the message.
"""
from __future__ import annotations

import datetime as dt
import logging
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME, __version__
from app.errors import UserError
from app.logs import log_path

log = logging.getLogger("dingshou.ui")

UNEXPECTED = "程序遇到了意外错误，刚才的操作没有完成；之前保存的数据不受影响。"


def technical_info(err: BaseException) -> str:
    """What a maintainer needs to find the fault: versions, platform, the traceback."""
    from PySide6 import __version__ as pyside_version

    lines = [
        f"{APP_NAME} {__version__} · Python {platform.python_version()} · PySide6 {pyside_version}"
        f" · {platform.platform()}",
        f"时间：{dt.datetime.now():%Y-%m-%d %H:%M:%S}",
        f"日志：{log_path()}",
        "",
        *traceback.format_exception(type(err), err, err.__traceback__),
    ]
    return "\n".join(line.rstrip("\n") for line in lines)


class ErrorDialog(QDialog):
    """An unexpected error: what it means for the clerk, where the log is, 复制技术信息."""

    def __init__(self, details: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.details = details
        self.setWindowTitle(f"{APP_NAME} — 意外错误")
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(48, 48))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message = QLabel(
            f"<b>{UNEXPECTED}</b><br><br>可以继续使用程序。如果这个错误再次出现，请点“复制技术信息”，"
            "把复制的内容（粘贴到微信或邮件里）连同日志文件发给维护人员。")
        self.message.setWordWrap(True)
        self.where = QLabel(f"日志文件：{log_path()}")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.where.setObjectName("hint")
        self.copied = QLabel("")
        self.copied.setObjectName("hint")
        text = QVBoxLayout()
        text.addWidget(self.message)
        text.addWidget(self.where)
        text.addWidget(self.copied)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(text, 1)

        buttons = QDialogButtonBox()
        self.copy_button = QPushButton("复制技术信息(&C)")
        self.copy_button.clicked.connect(self.copy_details)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.folder_button = QPushButton("打开日志所在文件夹(&L)")
        self.folder_button.clicked.connect(self.open_log_folder)
        buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copied.setText("技术信息已复制。")

    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_path().parent)))


def _present(dialog: ErrorDialog) -> None:
    dialog.exec()


def show_error(parent: QWidget | None, title: str, err: BaseException) -> None:
    """The one place an error meets the clerk (see the module's docstring)."""
    if isinstance(err, UserError):
        log.info("已提示（%s）：%s", title, err)
        QMessageBox.warning(parent, title, str(err))
        return
    log.error("意外错误（%s）", title, exc_info=(type(err), err, err.__traceback__))
    _present(ErrorDialog(technical_info(err), parent))


def install_excepthook() -> Callable[..., None]:
    """Route exceptions escaping slots to `show_error`; returns the hook it replaced."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, value, tb)
            return
        if value.__traceback__ is None and tb is not None:
            value = value.with_traceback(tb)
        show_error(QApplication.activeWindow(), APP_NAME, value)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        log.error("线程 %s 中的意外错误", args.thread.name if args.thread else "?",
                  exc_info=(args.exc_type, args.exc_value, args.exc_traceback))

    sys.excepthook = hook
    threading.excepthook = thread_hook
    return previous
