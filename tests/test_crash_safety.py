"""Crash safety: a writer killed with SIGKILL at random moments loses nothing it reported.

Four lanes run side by side, each on its own data file, each killing its writer 13 times
(52 kills in all): usually while it writes, sometimes while it is still opening the file.
After every kill the file must open (with the start backup, which reads the killed
writer's WAL), pass integrity_check, hold every action the writer reported as committed —
all three records of it — and hold no half action; the start backup must hold the same.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import pytest

from app.store import open_store
from app.store.backup import backup_dir_for, backups_in, connect_ro
from app.store.check import check_file

WRITER = Path(__file__).with_name("crash_writer.py")
LANES = 4
KILLS_PER_LANE = 13
TIME_LIMIT = 45.0  # seconds for the whole test: a hung writer fails it, never hangs CI

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="Windows has no SIGKILL; TerminateProcess is not the same test"),
]


def _spawn(db_path: Path, run: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WRITER), str(db_path), run, *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)


def _actions_in(conn) -> dict[str, int]:
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    parts: dict[str, int] = defaultdict(int)
    for (key,) in conn.execute("SELECT key FROM settings WHERE key LIKE 'crash-%'"):
        parts[key.removeprefix("crash-").rsplit("-", 1)[0]] += 1
    return parts


def _verify(db_path: Path, reported: set[str]) -> int:
    """Open as the window does — the start backup reads the killed writer's WAL first —
    and check the file and that backup."""
    store = open_store(db_path, backup_reason="start")
    try:
        parts = _actions_in(store.db.conn)
    finally:
        store.close()
    newest = backups_in(backup_dir_for(db_path))[0].path
    copy = connect_ro(newest)
    try:
        assert _actions_in(copy) == parts, "the start backup differs from the file"
    finally:
        copy.close()
    missing = reported - set(parts)
    assert not missing, f"reported as committed but lost: {sorted(missing)[:5]}"
    half = {action: n for action, n in parts.items() if n != 3}
    assert not half, f"half-written actions: {half}"
    return len(parts)


def _lane(lane: int, folder: Path, rng: random.Random, deadline: float, stats: dict) -> None:
    db_path = folder / f"lane{lane}" / "dingshou.sqlite3"
    open_store(db_path).close()
    reported: set[str] = set()
    for round_ in range(KILLS_PER_LANE):
        assert time.monotonic() < deadline, "crash test ran out of time"
        proc = _spawn(db_path, f"{lane}.{round_}")
        if rng.random() < 0.2:
            time.sleep(rng.uniform(0.0, 0.3))  # during start-up and open
        else:
            assert proc.stdout.readline() == "ready\n", proc.stderr.read()
            time.sleep(rng.uniform(0.0, 0.15))  # while writing
        os.kill(proc.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        assert "Traceback" not in err, err
        reported.update(line for line in out.split("\n")[:-1] if line and line != "ready")
        stats["committed"] = _verify(db_path, reported)
        stats["kills"] += 1
    stats["reported"] += len(reported)
    assert check_file(db_path).ok, check_file(db_path).lines()


def test_sigkill_at_random_moments_loses_no_committed_write(tmp_path):
    started = time.monotonic()
    deadline = started + TIME_LIMIT
    stats = [{"kills": 0, "reported": 0, "committed": 0} for _ in range(LANES)]
    errors: list[BaseException] = []

    def run(lane: int) -> None:
        try:
            _lane(lane, tmp_path, random.Random(20261125 + lane), deadline, stats[lane])
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(lane,)) for lane in range(LANES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIME_LIMIT + 15)
    if errors:
        raise errors[0]
    kills = sum(s["kills"] for s in stats)
    reported = sum(s["reported"] for s in stats)
    print(f"\n{kills} kills in {time.monotonic() - started:.1f} s; {reported} actions reported committed, none lost")
    assert kills >= 50
    assert reported > 0


def test_sigkill_during_backups_leaves_only_verified_copies(tmp_path):
    """Killed while copying: a half copy never counts as a backup (it is written under a
    `.partial` name and renamed only once verified), and the data file is intact."""
    from app.store.backup import verify

    rng = random.Random(4)
    db_path = tmp_path / "dingshou.sqlite3"
    open_store(db_path).close()
    reported: set[str] = set()
    started = time.monotonic()
    for round_ in range(10):
        proc = _spawn(db_path, f"b.{round_}", "--with-backups")
        assert proc.stdout.readline() == "ready\n", proc.stderr.read()
        time.sleep(rng.uniform(0.02, 0.2))
        os.kill(proc.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=10)
        assert "Traceback" not in err, err
        reported.update(line for line in out.split("\n")[:-1] if line and line != "ready")
        _verify(db_path, reported)
    copies = backups_in(backup_dir_for(db_path))
    assert len(copies) >= 5 and all(verify(c.path) for c in copies)  # the writer keeps 5
    assert time.monotonic() - started < TIME_LIMIT
