"""The one helper for slow work (backups, restore look-ups, exports): off the UI thread.

    run_task(parent, "正在备份…", work, on_done=show_result)

`work(progress)` runs on a QThreadPool worker. It must open its own SQLite connection
(sqlite3 refuses a connection made on another thread), may call `progress.report(i, n)`,
and should stop early when `progress.cancelled` is set. Its result goes to `on_done`, a
UserError's message to `on_error` (by default a warning box), both on the UI thread; any
other exception goes to `ui.errors.show_error` (logged with its traceback, shown with
复制技术信息). A QProgressDialog with 取消 appears if the work takes longer than a moment.

Tests set `SYNCHRONOUS = True`: the work then runs at once on the calling thread (as
Picard's tests swap in a synchronous pool), so no test waits on a thread. Its outcome takes
the very same path (`_Outcome` below) as one reported by a worker thread.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.errors import UserError
from ui import errors

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
    finished = Signal(object)  # an _Outcome


class _Outcome:
    """What the work gave: its result, or the exception it raised (traceback attached)."""

    def __init__(self, result: Any = None, error: Exception | None = None):
        self.result, self.error = result, error


def _attempt(work: Callable[[Progress], Any], progress: Progress) -> _Outcome:
    try:
        return _Outcome(result=work(progress))
    except Exception as err:  # noqa: BLE001 - handed to the one error path, never lost
        return _Outcome(error=err)


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], signals: _Signals, progress: Progress):
        super().__init__()
        self.work, self.signals, self.progress = work, signals, progress

    def run(self) -> None:
        self.signals.finished.emit(_attempt(self.work, self.progress))


_running: set[_Signals] = set()  # keeps signal objects alive until their work ends


def run_task(parent: QWidget | None, title: str, work: Callable[[Progress], Any],
             on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[str], None] | None = None,
             cancellable: bool = True) -> Progress:
    """Run `work` off the UI thread; returns its Progress (tests may cancel through it)."""
    heading = title.rstrip("….")

    def deliver(outcome: _Outcome, progress: Progress) -> None:
        """On the UI thread, for both modes: the result, or the error's one path."""
        if outcome.error is None:
            if on_done and not progress.cancelled:
                on_done(outcome.result)
        elif isinstance(outcome.error, UserError) and on_error is not None:
            errors.log.info("已提示（%s）：%s", heading, outcome.error)
            on_error(str(outcome.error))
        else:
            errors.show_error(parent, heading, outcome.error)

    if SYNCHRONOUS:
        progress = Progress()
        deliver(_attempt(work, progress), progress)
        return progress

    signals = _Signals()
    progress = Progress(signals)
    dialog = QProgressDialog(title, "取消" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle(heading)
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

    def finished(outcome: _Outcome) -> None:
        finish()
        deliver(outcome, progress)

    signals.progress.connect(on_progress)
    signals.finished.connect(finished)
    _running.add(signals)
    QThreadPool.globalInstance().start(_Runnable(work, signals, progress))
    return progress


def wait_for_all(timeout_ms: int = 30000) -> bool:
    """Let running work finish (at exit, before the final backup)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
