"""The one helper for slow work (backups, restore look-ups, exports): off the UI thread.

    run_task(parent, "正在备份…", work, on_done=show_result)

`work(progress)` runs on a QThreadPool worker. It must open its own SQLite connection
(sqlite3 refuses a connection made on another thread), may call `progress.report(i, n)`,
and should stop early when `progress.cancelled` is set. Its result goes to `on_done`, a
UserError's message to `on_error` (by default a warning box), both on the UI thread.
A QProgressDialog with 取消 appears if the work takes longer than a moment.

Tests set `SYNCHRONOUS = True`: the work then runs at once on the calling thread (as
Picard's tests swap in a synchronous pool), so no test waits on a thread.
"""
from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from app.errors import UserError

SYNCHRONOUS = False
SHOW_PROGRESS_AFTER_MS = 400


class Progress:
    """Handed to the work: report how far it is, and learn whether 取消 was pressed."""

    def __init__(self, signals: "_Signals | None" = None):
        self._signals = signals
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def report(self, done: int, total: int) -> None:
        if self._signals is not None:
            self._signals.progress.emit(done, total)


class _Signals(QObject):
    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(str)


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], signals: _Signals, progress: Progress):
        super().__init__()
        self.work, self.signals, self.progress = work, signals, progress

    def run(self) -> None:
        try:
            result = self.work(self.progress)
        except UserError as err:
            self.signals.failed.emit(str(err))
        except Exception as err:  # noqa: BLE001 - shown to the clerk, never lost
            traceback.print_exc()
            self.signals.failed.emit(f"操作没有完成，请重试；如果再次出现，请把下面的技术信息告诉维护人员。"
                                     f"（技术信息：{type(err).__name__}: {err}）")
        else:
            self.signals.done.emit(result)


_running: set[_Signals] = set()  # keeps signal objects alive until their work ends


def _warn(parent: QWidget | None, title: str) -> Callable[[str], None]:
    return lambda message: QMessageBox.warning(parent, title, message)


def run_task(parent: QWidget | None, title: str, work: Callable[[Progress], Any],
             on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[str], None] | None = None,
             cancellable: bool = True) -> Progress:
    """Run `work` off the UI thread; returns its Progress (tests may cancel through it)."""
    on_error = on_error or _warn(parent, title.rstrip("…."))
    if SYNCHRONOUS:
        progress = Progress()
        try:
            result = work(progress)
        except UserError as err:
            on_error(str(err))
        else:
            if on_done:
                on_done(result)
        return progress

    signals = _Signals()
    progress = Progress(signals)
    dialog = QProgressDialog(title, "取消" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle(title.rstrip("…."))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_PROGRESS_AFTER_MS)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.canceled.connect(progress.cancel)

    def on_progress(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    def finish() -> None:
        dialog.canceled.disconnect(progress.cancel)
        dialog.reset()
        dialog.deleteLater()
        _running.discard(signals)

    def done(result: Any) -> None:
        finish()
        if on_done and not progress.cancelled:
            on_done(result)

    def failed(message: str) -> None:
        finish()
        on_error(message)

    signals.progress.connect(on_progress)
    signals.done.connect(done)
    signals.failed.connect(failed)
    _running.add(signals)
    QThreadPool.globalInstance().start(_Runnable(work, signals, progress))
    return progress


def wait_for_all(timeout_ms: int = 30000) -> bool:
    """Let running work finish (at exit, before the final backup)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
