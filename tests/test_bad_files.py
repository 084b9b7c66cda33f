"""Bad files, after SQLite's own corruptC.test: random bytes flipped in growing numbers.

Each damaged copy must either be refused with a Chinese message and left byte for byte
as it was, or — when the flips land where SQLite cannot notice them (free space, unused
bytes of a page) — open normally. Nothing else may happen: no other exception, ever.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil

import pytest

from app.audit import list_changes
from app.contract import active_contract
from app.errors import DatabaseRefused, UserError
from app.store import open_store
from app.store.check import check_file
from app.workcalendar import DayKind, load_overrides, set_override

FLIP_COUNTS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024]
SEEDS_PER_COUNT = 30


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def good_file(tmp_path_factory):
    """A file with several pages of records in every table, checkpointed into one file."""
    path = tmp_path_factory.mktemp("good") / "dingshou.sqlite3"
    store = open_store(path, operator="王经办")
    day = dt.date(2026, 1, 1)
    for i in range(120):
        set_override(store, day + dt.timedelta(days=i * 3), DayKind.HOLIDAY, f"测试假日{i}", "备注" * 10)
    store.close()
    assert not path.with_name(path.name + "-wal").exists()
    return path


def _use(path) -> str:
    """Open the file as the program does and read what the window reads.

    A flip inside a value (a letter of a name, a digit of a date) passes integrity_check
    and opens; reading that record may then fail. The window catches that (tests/ui),
    and `check` must report it: damage that reading meets is never silent.
    """
    try:
        store = open_store(path)
    except DatabaseRefused:
        return "refused"
    try:
        active_contract(store)
        load_overrides(store)
        [e.describe_changes() for e in list_changes(store)]
        read_failed = False
    except (UserError, ValueError, KeyError):
        read_failed = True
    finally:
        store.close()
    report = check_file(path)
    if read_failed:
        assert not report.ok, "a record that cannot be read passed the check"
        return "opened, damage reported by check"
    return "opened"


@pytest.mark.slow
@pytest.mark.parametrize("flips", FLIP_COUNTS)
def test_flipped_bytes_are_refused_untouched_or_harmless(good_file, tmp_path, flips):
    size = good_file.stat().st_size
    outcomes = []
    for seed in range(SEEDS_PER_COUNT):
        rng = random.Random(flips * 1000 + seed)
        path = tmp_path / f"damaged-{seed}.sqlite3"
        shutil.copyfile(good_file, path)
        data = bytearray(path.read_bytes())
        for _ in range(flips):
            offset = rng.randrange(size)
            data[offset] ^= rng.randrange(1, 256)
        path.write_bytes(bytes(data))
        before = digest(path)
        outcome = _use(path)
        if outcome == "refused":
            assert digest(path) == before, f"seed {seed}: refused file was changed"
        outcomes.append(outcome)
    if flips >= 64:
        assert "refused" in outcomes  # this many flips is always noticed in some copies


def _truncated(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _random(path):
    path.write_bytes(random.Random(7).randbytes(40_000))


def _empty(path):
    path.write_bytes(b"")


def _newer(path):
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('dingshou', 'step_from_2027', '2027-01-01')")
    conn.commit()
    conn.close()


def _scribbled(path):
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 5):
        data[offset] ^= 0xA5
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage, says", [
    (_truncated, "损坏"), (_random, "不是 SQLite"), (_empty, "空文件"),
    (_newer, "更新版本"), (_scribbled, "损坏"),
])
def test_each_bad_file_is_refused_untouched_and_offers_the_newest_good_backup(good_file, tmp_path, damage, says):
    from app.store import backup

    path = tmp_path / "dingshou.sqlite3"
    shutil.copyfile(good_file, path)
    made = backup.auto_backup(path, "exit").path
    damage(path)
    before = digest(path)
    with pytest.raises(DatabaseRefused) as info:
        open_store(path, backup_reason="start")
    message = str(info.value)
    assert says in message and "没有被改动" in message and str(made) in message
    assert info.value.newest_backup.path == made
    assert digest(path) == before
    assert [b.path for b in backup.backups_in(backup.backup_dir_for(path))] == [made]
