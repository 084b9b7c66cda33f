"""One writer per data file: the operating system's file lock, beside the file.

Two windows on one file would each believe their screen is the truth, and a command that
writes while a window shows the file would change it behind the clerk's back. The lock is
the OS's own (`filelock`: flock on Linux, LockFileEx on Windows) on `<data file>.lock`:
the OS lets it go when the process ends however it ends (crash, kill, power cut), so
nothing is ever guessed from process ids or boot times and no lock is left "stale".

Who holds it (a window, or which command; on which computer, since when) is written to a
side file `<data file>.lock.owner` for the message only; that side file decides nothing.
A lock file left behind (even an empty one from a full disk) never blocks anyone.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from app.errors import UserError

LOCK_SUFFIX = ".lock"
OWNER_SUFFIX = ".lock.owner"
WINDOW = "window"
POLL_SECONDS = 0.05
_HELD: set[Path] = set()  # the data files this process holds the lock of


def _real(db_path: Path) -> Path:
    """The file itself: a data file reached through a link (or by another name for the
    same folder) has one lock, beside the file, or a window and a command opened through
    the link would both write."""
    return Path(os.path.realpath(db_path))


def lock_path_for(db_path: Path) -> Path:
    db_path = _real(db_path)
    return db_path.with_name(db_path.name + LOCK_SUFFIX)


def owner_path_for(db_path: Path) -> Path:
    db_path = _real(db_path)
    return db_path.with_name(db_path.name + OWNER_SUFFIX)


def _key(db_path: Path) -> Path:
    return _real(db_path)


def held_here(db_path: Path) -> bool:
    """Whether this process holds the lock of `db_path`."""
    return _key(db_path) in _HELD


@dataclass(frozen=True)
class LockOwner:
    pid: int
    host: str
    started: str
    holder: str = WINDOW  # "window", or the command's name (e.g. "import-staff")

    @property
    def is_window(self) -> bool:
        return self.holder == WINDOW

    def describe(self) -> str:
        return f"计算机 {self.host}，进程号 {self.pid}，{self.started} 开始"


class InstanceBusy(UserError):
    """The data file is held by a window or a command (`owner` says which, if known)."""

    def __init__(self, message: str, owner: LockOwner | None):
        super().__init__(message)
        self.owner = owner


def read_owner(db_path: Path) -> LockOwner | None:
    try:
        raw = json.loads(owner_path_for(db_path).read_text(encoding="utf-8"))
        return LockOwner(int(raw["pid"]), str(raw["host"]), str(raw.get("started", "")),
                         str(raw.get("holder", WINDOW)))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def busy_message(owner: LockOwner | None) -> str:
    if owner is None:
        return ("数据文件正在被另一个窗口或命令使用（持有者没有留下说明）。请关闭那个窗口，"
                "或等命令完成后重试。")
    if owner.is_window:
        return (f"数据文件正在被另一个窗口使用（{owner.describe()}）。请切换到那个窗口继续工作；"
                "同一个数据文件不能同时在两个窗口中打开。")
    return (f"数据文件正在被命令“{owner.holder}”使用（{owner.describe()}）。请等这个命令完成后重试；"
            "命令结束时会自动解除占用。")


class InstanceLock:
    """`acquire()` or raise InstanceBusy; `release()` (also as a context manager).

    `holder` is what the message shows to whoever finds the file busy: WINDOW, or the
    name of the command. `wait` seconds: how long to wait for a *command* that holds the
    file (several commands started at once take turns); a window is never waited for.
    """

    def __init__(self, db_path: Path, holder: str = WINDOW, wait: float = 0.0):
        self.db_path = Path(db_path)
        self.path = lock_path_for(db_path)
        self.holder = holder
        self.wait = wait
        self.held = False
        self._lock = FileLock(str(self.path), timeout=0, thread_local=False)

    def __enter__(self) -> "InstanceLock":
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def _try(self) -> bool:
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        except OSError as err:  # the folder is read-only, the disk is full, no such folder …
            import errno

            if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                from app.store.database import read_only_folder_message

                raise UserError(f"不能修改数据文件 {self.db_path}：{read_only_folder_message(self.db_path)}") from err
            raise UserError(f"无法在数据文件旁建立锁文件 {self.path}（{_why(err)}）。") from err
        return True

    def acquire(self) -> None:
        if held_here(self.db_path):
            raise InstanceBusy(busy_message(read_owner(self.db_path)), read_owner(self.db_path))
        deadline = time.monotonic() + self.wait
        settled = False  # the owner file is written just after the lock is taken
        while not self._try():
            owner = read_owner(self.db_path)
            if (settled and owner is not None and owner.is_window) or time.monotonic() >= deadline:
                raise InstanceBusy(busy_message(owner), owner)
            settled = True
            time.sleep(POLL_SECONDS)
        self.held = True
        _HELD.add(_key(self.db_path))
        self._write_owner()

    def _write_owner(self) -> None:
        """Best effort: without the side file (a full disk) the lock still holds, and a
        refused second start says less about who holds it."""
        owner = owner_path_for(self.db_path)
        try:
            owner.write_text(json.dumps({
                "pid": os.getpid(), "host": socket.gethostname(), "holder": self.holder,
                "started": dt.datetime.now().isoformat(sep=" ", timespec="seconds")},
                ensure_ascii=False), encoding="utf-8")
        except OSError:
            try:
                owner.unlink(missing_ok=True)  # an empty or half-written one would mislead
            except OSError:
                pass

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        _HELD.discard(_key(self.db_path))
        try:
            owner_path_for(self.db_path).unlink(missing_ok=True)
        except OSError:
            pass
        self._lock.release()


def _why(err: OSError) -> str:
    import errno

    if err.errno == errno.ENOSPC:
        return "磁盘空间已满"
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "文件夹只读或没有写入权限"
    return err.strerror or str(err)
