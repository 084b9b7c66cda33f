"""One window per data file: a lock file beside it, holding who has it open.

Two windows on one file would each believe their screen is the truth. The lock file
`<data file>.lock` records the process id, the computer and the time; it is created
atomically (O_EXCL). A lock whose process no longer runs on this computer was left by a
crash or a power cut and is taken over silently.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from app.errors import UserError

LOCK_SUFFIX = ".lock"
# A lock file with nothing readable in it is being written right now, unless it is older.
UNREADABLE_GRACE_SECONDS = 2.0
BOOT_TOLERANCE_SECONDS = 5.0  # the boot time is computed, not stored: allow for drift
_HELD: set[Path] = set()


def lock_path_for(db_path: Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + LOCK_SUFFIX)


@dataclass(frozen=True)
class LockOwner:
    pid: int
    host: str
    started: str
    since: float = 0.0  # epoch seconds when the lock was taken (0: not recorded)

    def describe(self) -> str:
        return f"计算机 {self.host}，进程号 {self.pid}，{self.started} 打开"


class InstanceBusy(UserError):
    """The data file is open in another window (`owner` says where)."""

    def __init__(self, message: str, owner: LockOwner | None):
        super().__init__(message)
        self.owner = owner


def pid_running(pid: int) -> bool:
    """Whether a process with this id runs on this computer."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, but it runs
    except OSError:
        return False
    return True


def boot_time() -> float | None:
    """When this computer last started (epoch seconds), or None where it cannot be told."""
    try:
        if sys.platform == "win32":
            import ctypes

            uptime_ms = ctypes.windll.kernel32.GetTickCount64  # type: ignore[attr-defined]
            uptime_ms.restype = ctypes.c_ulonglong
            return time.time() - uptime_ms() / 1000
        with open("/proc/stat", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("btime "):
                    return float(line.split()[1])
    except (OSError, ValueError, AttributeError):
        pass
    return None


def read_owner(lock_path: Path) -> LockOwner | None:
    try:
        raw = json.loads(lock_path.read_text(encoding="utf-8"))
        return LockOwner(int(raw["pid"]), str(raw["host"]), str(raw.get("started", "")),
                         float(raw.get("since", 0.0)))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class InstanceLock:
    """`acquire()` or raise InstanceBusy; `release()` (also as a context manager)."""

    def __init__(self, db_path: Path):
        self.path = lock_path_for(db_path)
        self.held = False

    def __enter__(self) -> "InstanceLock":
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def _is_stale(self, owner: LockOwner | None) -> bool:
        if owner is None:
            try:
                age = time.time() - self.path.stat().st_mtime
            except OSError:
                return True
            return age > UNREADABLE_GRACE_SECONDS
        if owner.host != socket.gethostname():
            return False  # a process on another computer cannot be checked from here
        if owner.pid == os.getpid():
            return self.path.resolve() not in _HELD  # our own id, left by an earlier life
        booted = boot_time()
        if owner.since and booted and owner.since < booted - BOOT_TOLERANCE_SECONDS:
            # Taken before the computer last started (a power cut): its process is gone,
            # even if an unrelated process now has the same number.
            return True
        return not pid_running(owner.pid)

    def acquire(self) -> None:
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                owner = read_owner(self.path)
                if not self._is_stale(owner):
                    raise InstanceBusy(
                        "数据文件正在被另一个窗口使用"
                        + (f"（{owner.describe()}）" if owner else "")
                        + "。请切换到那个窗口继续工作；同一个数据文件不能同时在两个窗口中打开。\n\n"
                        f"如果确定没有别的窗口开着，请关闭本程序，删除锁文件 {self.path} 后重新打开。",
                        owner,
                    ) from None
                try:
                    self.path.unlink()  # left by a crash: take it over
                except FileNotFoundError:
                    pass
                continue
            except OSError as err:
                raise UserError(f"无法在数据文件旁创建锁文件 {self.path}（{err.strerror}）。") from err
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"pid": os.getpid(), "host": socket.gethostname(),
                           "started": dt.datetime.now().isoformat(sep=" ", timespec="seconds"),
                           "since": time.time()}, fh)
            self.held = True
            _HELD.add(self.path.resolve())
            return
        raise InstanceBusy("数据文件正在被另一个窗口使用，请稍后重试。", None)

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        _HELD.discard(self.path.resolve())
        owner = read_owner(self.path)
        if owner and owner.pid == os.getpid() and owner.host == socket.gethostname():
            try:
                self.path.unlink()
            except OSError:
                pass
