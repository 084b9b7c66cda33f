"""The log file a maintainer reads: what the program did, and every unexpected error with
its traceback. The windowed build has no console (build.spec: console=False), so without it
a traceback goes nowhere.

One rotating file, `dingshou.log`, in the user's log folder (platformdirs):
`%LOCALAPPDATA%\\dingshou\\Logs` on Windows, `~/.local/state/dingshou/log` on Linux;
`DINGSHOU_LOG_DIR` moves it (tests do). Standard library logging only.
"""
from __future__ import annotations

import faulthandler
import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO

import platformdirs

from app import APP_ID

LOG_ENV_VAR = "DINGSHOU_LOG_DIR"
LOG_FILENAME = "dingshou.log"
CRASH_FILENAME = "crash.log"
MAX_BYTES = 1_000_000  # about a year of ordinary use; five older files are kept
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

_crash_file: IO[str] | None = None


def log_dir() -> Path:
    from_env = os.environ.get(LOG_ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    return Path(platformdirs.user_log_dir(APP_ID, appauthor=False))


def log_path() -> Path:
    return log_dir() / LOG_FILENAME


def _is_ours(handler: logging.Handler) -> bool:
    return getattr(handler, "dingshou", False)


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send the root logger to the rotating file; returns its path. Calling it again (a
    test, a second session) replaces the handler. A folder that cannot be written gives
    None: logging must never keep the clerk from working."""
    global _crash_file
    root = logging.getLogger()
    for handler in [h for h in root.handlers if _is_ours(h)]:
        root.removeHandler(handler)
        handler.close()
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                      encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.dingshou = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    # A crash inside Qt's C++ code never reaches Python's except: faulthandler writes the
    # Python stack of every thread to crash.log as the process dies.
    try:
        if _crash_file is not None:
            _crash_file.close()
        _crash_file = open(path.with_name(CRASH_FILENAME), "a", encoding="utf-8")  # noqa: SIM115 - open for the process's life
        faulthandler.enable(_crash_file)
    except OSError:
        _crash_file = None
    return path


def stop_logging() -> None:
    """Detach the file (tests; the process's end does it otherwise)."""
    global _crash_file
    root = logging.getLogger()
    for handler in [h for h in root.handlers if _is_ours(h)]:
        root.removeHandler(handler)
        handler.close()
    if _crash_file is not None:
        faulthandler.disable()
        _crash_file.close()
        _crash_file = None
