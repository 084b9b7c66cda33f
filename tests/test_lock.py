"""The one-writer lock is the operating system's: released when its process dies,
described by who holds it (a window, or which command)."""
from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.errors import UserError
from app.store.lock import InstanceBusy, InstanceLock, lock_path_for, owner_path_for

HOLDER = Path(__file__).with_name("lock_holder.py")


@contextmanager
def held_by(db_path: Path, holder: str):
    """Another process holds the lock of `db_path` as `holder` until the block ends (kill -9)."""
    proc = subprocess.Popen([sys.executable, str(HOLDER), str(db_path), holder],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        yield proc
    finally:
        proc.kill()
        proc.wait()


def test_second_lock_on_the_same_file_is_refused_in_chinese(db_path):
    db_path.parent.mkdir(parents=True)
    with InstanceLock(db_path):
        with pytest.raises(InstanceBusy, match="数据文件正在被另一个窗口使用") as info:
            InstanceLock(db_path).acquire()
        assert info.value.owner.pid == os.getpid()
        assert info.value.owner.host == socket.gethostname()
    assert not owner_path_for(db_path).exists()
    with InstanceLock(db_path):  # free again after release
        pass


def test_a_window_in_another_process_blocks_and_is_named(db_path):
    db_path.parent.mkdir(parents=True)
    with held_by(db_path, "window") as proc:
        with pytest.raises(InstanceBusy, match="另一个窗口") as info:
            InstanceLock(db_path, holder="demo").acquire()
        assert info.value.owner.pid == proc.pid and "删除锁文件" not in str(info.value)


def test_a_lock_held_by_a_command_is_not_called_a_window(db_path):
    db_path.parent.mkdir(parents=True)
    with held_by(db_path, "import-staff"), pytest.raises(InstanceBusy) as info:
        InstanceLock(db_path).acquire()
    assert "另一个窗口" not in str(info.value)
    assert "命令“import-staff”" in str(info.value)


def test_the_lock_of_a_killed_process_is_released_by_the_system(db_path):
    """kill -9 (or a power cut) leaves the lock file and the owner note behind; neither blocks."""
    db_path.parent.mkdir(parents=True)
    with held_by(db_path, "window") as proc:
        pass  # killed here
    assert lock_path_for(db_path).exists() and json.loads(owner_path_for(db_path).read_text())["pid"] == proc.pid
    with InstanceLock(db_path) as lock:
        assert json.loads(owner_path_for(db_path).read_text())["pid"] == os.getpid()
        assert lock.held


def test_an_empty_lock_file_never_blocks(db_path):
    db_path.parent.mkdir(parents=True)
    lock_path_for(db_path).write_text("")
    owner_path_for(db_path).write_text("")
    with InstanceLock(db_path):
        pass


def test_a_command_waits_for_another_command_but_not_for_a_window(db_path):
    import time

    db_path.parent.mkdir(parents=True)
    with held_by(db_path, "backup"):
        start = time.monotonic()
        with pytest.raises(InstanceBusy, match="命令“backup”"):
            InstanceLock(db_path, holder="demo", wait=0.5).acquire()
        assert time.monotonic() - start >= 0.5
    with held_by(db_path, "window"):
        start = time.monotonic()
        with pytest.raises(InstanceBusy, match="另一个窗口"):
            InstanceLock(db_path, holder="demo", wait=5).acquire()
        assert time.monotonic() - start < 2


def test_a_full_disk_when_noting_the_owner_still_locks_and_leaves_nothing_that_blocks(db_path, monkeypatch):
    db_path.parent.mkdir(parents=True)
    real_write = Path.write_text

    def full(self, *args, **kwargs):
        if self.name.endswith(".lock.owner"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    first = InstanceLock(db_path)
    first.acquire()
    with pytest.raises(InstanceBusy, match="另一个窗口或命令"):
        InstanceLock(db_path).acquire()
    first.release()
    monkeypatch.undo()
    with InstanceLock(db_path):  # the next start
        pass


def _tiny_tmpfs(where: Path) -> bool:
    if os.geteuid() != 0:
        return False
    where.mkdir(parents=True)
    return subprocess.call(["mount", "-t", "tmpfs", "-o", "size=64k,nr_inodes=64", "tmpfs", str(where)],
                           stderr=subprocess.DEVNULL) == 0


def test_a_really_full_disk_refuses_in_chinese_and_the_next_start_works(tmp_path):
    """The folder's disk is full to the last byte and inode: the lock cannot even be made.
    The clerk reads why; once space is freed the next start is not blocked."""
    disk = tmp_path / "disk"
    if not _tiny_tmpfs(disk):
        pytest.skip("needs root to mount a tiny disk")
    try:
        db_path = disk / "dingshou.sqlite3"
        n = 0
        while True:  # fill the disk: inodes first, then bytes
            try:
                (disk / f"fill{n}").write_bytes(b"x" * 4096)
                n += 1
            except OSError:
                break
        try:
            while True:
                (disk / f"e{n}").touch()
                n += 1
        except OSError:
            pass
        with pytest.raises(UserError, match="磁盘空间已满|无法在数据文件旁建立锁文件"):
            InstanceLock(db_path).acquire()
        for f in disk.glob("fill*"):
            f.unlink()
        with InstanceLock(db_path):
            assert json.loads(owner_path_for(db_path).read_text())["holder"] == "window"
    finally:
        subprocess.call(["umount", str(disk)])



def test_a_restore_by_command_is_named_as_the_command(db_path, tmp_path, monkeypatch):
    """While `restore` replaces the file, a window starting is told a command holds it."""
    from app import cli
    from app.store import open_store
    from app.store.backup import backup_file
    from app.store import restore as restore_module

    open_store(db_path).close()
    copy = backup_file(db_path, tmp_path / "copies", reason="manual")
    seen = []

    def restore_while_watching(backup_path, path, operator=None):
        with pytest.raises(InstanceBusy) as info:
            InstanceLock(path).acquire()  # the window's start, meanwhile
        seen.append(str(info.value))
        return None

    monkeypatch.setattr(restore_module, "restore_backup", restore_while_watching)
    assert cli.main(["restore", str(copy), "--db", str(db_path)]) == 0
    assert "命令“restore”" in seen[0] and "另一个窗口" not in seen[0]


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symlinks")
def test_a_data_file_reached_through_a_link_has_the_same_lock(db_path, tmp_path):
    """Once the lock sat beside the link: a command through the link wrote while a window held the file."""
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"")
    link = tmp_path / "elsewhere" / "link.sqlite3"
    link.parent.mkdir()
    link.symlink_to(db_path)
    assert lock_path_for(link) == lock_path_for(db_path)
    with held_by(db_path, "window"), pytest.raises(InstanceBusy, match="另一个窗口"):
        InstanceLock(link, holder="deduct").acquire()
    with held_by(link, "window"), pytest.raises(InstanceBusy, match="另一个窗口"):
        InstanceLock(db_path, holder="deduct").acquire()
