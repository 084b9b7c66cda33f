"""One window per data file: the lock file (app.store.lock) plus a local socket, so a
second start brings the first window forward instead of opening the file twice.

The first start holds the lock and listens on a QLocalServer named after the data
file. A second start finds the lock held, connects and sends `raise`; the first window
comes to the front and the second start ends quietly. If the first cannot be reached
(another computer, or it hangs), the second start says so in Chinese.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from app.store.lock import InstanceBusy, InstanceLock

RAISE = b"raise\n"
CONNECT_TIMEOUT_MS = 1500


def server_name(db_path: Path) -> str:
    """The same name for the same file, however it was spelled on the command line."""
    key = os.path.normcase(str(Path(db_path).resolve()))
    return "dingshou-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


class InstanceGuard(QObject):
    """Held by the first window for as long as it has the file open."""

    raise_requested = Signal()

    def __init__(self, db_path: Path, lock: InstanceLock):
        super().__init__()
        self.lock = lock
        self.server = QLocalServer(self)
        name = server_name(db_path)
        QLocalServer.removeServer(name)  # a socket left by a crash (Unix) would block listen
        self.server.listen(name)
        self.server.newConnection.connect(self._on_connection)

    def _on_connection(self) -> None:
        # The second start writes at once and waits for the answer, so a short blocking
        # read here is simpler (and safer for object lifetimes) than per-socket signals.
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            if socket.waitForReadyRead(CONNECT_TIMEOUT_MS) and \
                    bytes(socket.readAll().data()).startswith(RAISE.strip()):
                socket.write(b"ok\n")
                socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
                self.raise_requested.emit()
            socket.disconnectFromServer()
            socket.deleteLater()

    def release(self) -> None:
        self.server.close()
        self.lock.release()


def ask_first_to_raise(db_path: Path) -> bool:
    """Tell the window that holds `db_path` to come forward; True if it answered."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(db_path))
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write(RAISE)
    socket.flush()
    answered = socket.waitForReadyRead(CONNECT_TIMEOUT_MS) and bytes(socket.readAll().data()).startswith(b"ok")
    socket.disconnectFromServer()
    return bool(answered)


@dataclass
class Claim:
    guard: InstanceGuard | None  # we hold the file
    raised_other: bool = False  # the other window came forward
    busy: InstanceBusy | None = None  # held elsewhere and not reachable


def claim(db_path: Path) -> Claim:
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = InstanceLock(db_path)
    try:
        lock.acquire()
    except InstanceBusy as busy:
        if ask_first_to_raise(db_path):
            return Claim(None, raised_other=True)
        return Claim(None, busy=busy)
    return Claim(InstanceGuard(db_path, lock))


def bring_forward(window) -> None:
    """What the first window does when a second start asks for it."""
    from PySide6.QtCore import Qt

    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
