"""Data safety, second round (issue 7): no path loses data."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.store import open_store
from app.store.backup import backup_file, backup_dir_for

from tests.test_cli import run_cli

ROOT = Path(__file__).resolve().parent.parent


def _audit_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    finally:
        conn.close()


# --- backup --to never replaces a file ----------------------------------------------------

def test_backup_to_an_existing_file_is_refused_and_the_file_is_untouched(db_path, tmp_path):
    open_store(db_path).close()
    other = tmp_path / "other.sqlite3"
    open_store(other).close()
    before = other.read_bytes()
    result = run_cli("backup", "--to", str(other), db=db_path)
    assert result.returncode == 1 and "已经存在" in result.stderr and "不会覆盖" in result.stderr
    assert other.read_bytes() == before
    assert not list(tmp_path.glob("*.partial"))


def test_backup_to_a_live_data_file_held_by_a_window_is_refused(db_path, tmp_path):
    from app.store.lock import InstanceLock

    open_store(db_path).close()
    live = tmp_path / "live" / "dingshou.sqlite3"
    store = open_store(live)
    with store.action("录入") as act:
        act.insert("settings", {"key": "note", "value": "窗口里的数据"}, pk="key")
    with InstanceLock(live):
        result = run_cli("backup", "--to", str(live), db=db_path)
    assert result.returncode == 1 and "已经存在" in result.stderr
    assert store.setting("note") == "窗口里的数据"
    store.close()


def test_backup_to_a_folder_gets_a_new_name_each_time(db_path, tmp_path):
    open_store(db_path).close()
    usb = tmp_path / "usb"
    usb.mkdir()
    made = [run_cli("backup", "--to", str(usb), db=db_path) for _ in range(2)]
    assert all(r.returncode == 0 for r in made)
    assert len(list(usb.glob("*.sqlite3"))) == 2


def test_the_core_never_replaces_an_existing_backup_target(db_path, tmp_path):
    from app.store.backup import TargetExists, backup_connection, connect_ro

    open_store(db_path).close()
    target = tmp_path / "keep.sqlite3"
    target.write_bytes(b"precious")
    conn = connect_ro(db_path)
    try:
        with pytest.raises(TargetExists):
            backup_connection(conn, target)
    finally:
        conn.close()
    assert target.read_bytes() == b"precious"


# --- an empty --db or DINGSHOU_DB ---------------------------------------------------------

def test_an_empty_db_argument_is_refused(tmp_path):
    default = Path(os.environ["DINGSHOU_DB"])
    result = run_cli("demo", "--db", "")
    assert result.returncode == 1 and "--db" in result.stderr and "空" in result.stderr
    assert not default.exists()


def test_an_empty_db_environment_variable_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("DINGSHOU_DB", "")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    result = run_cli("staff")
    assert result.returncode == 1 and "DINGSHOU_DB" in result.stderr and "空" in result.stderr
    assert not (tmp_path / "xdg").exists()


# --- reading commands never create a data file --------------------------------------------

@pytest.mark.parametrize("command", [["staff"], ["contract"], ["calendar", "2026-10"],
                                      ["import-staff", "x.xlsx", "--dry-run"]])
def test_a_reading_command_on_a_missing_file_creates_nothing(db_path, command):
    result = run_cli(*command, db=db_path)
    assert result.returncode == 1 and "不存在" in result.stderr
    assert not db_path.exists() and not db_path.parent.exists()


def test_a_reading_command_on_a_missing_file_names_its_newest_backup(db_path):
    store = open_store(db_path)
    store.set_setting("note", "最后一次")
    store.close()
    copy = backup_file(db_path, backup_dir_for(db_path), reason="manual")
    db_path.unlink()
    result = run_cli("staff", db=db_path)
    assert result.returncode == 1 and "不存在" in result.stderr
    assert str(copy) in result.stderr and "python -m app restore" in result.stderr
    assert not db_path.exists()


def test_a_reading_command_on_a_dangling_link_creates_nothing(tmp_path):
    link = tmp_path / "dingshou.sqlite3"
    link.symlink_to(tmp_path / "gone" / "dingshou.sqlite3")
    result = run_cli("contract", db=link)
    assert result.returncode == 1 and "不存在" in result.stderr
    assert link.is_symlink() and not link.exists()


def test_a_writing_command_creates_the_missing_file(db_path):
    result = run_cli("calendar-set", "2026-12-31", "休息日", db=db_path)
    assert result.returncode == 0, result.stderr
    assert db_path.exists()


# --- several processes create one file at once --------------------------------------------

def test_several_commands_at_once_on_a_missing_file_create_it_exactly_once(db_path):
    """Eight writing commands start together on a file that does not exist: one creates
    it, the others wait their turn; every write they report is in the file."""
    days = [f"2026-12-{d:02d}" for d in range(1, 9)]
    env = dict(os.environ)
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "app", "calendar-set", day, "休息日", "--db", str(db_path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for day in days]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
    elapsed = time.perf_counter() - start
    print(f"8 concurrent creating commands took {elapsed:.2f} s")
    assert [code for code, _, _ in results] == [0] * 8, results
    conn = sqlite3.connect(db_path)
    try:
        stored = {r[0] for r in conn.execute("SELECT date FROM calendar_overrides")}
        contracts = conn.execute("SELECT count(*) FROM contracts").fetchone()[0]
        seeds = conn.execute("SELECT count(*) FROM audit_log WHERE table_name = 'contracts'").fetchone()[0]
    finally:
        conn.close()
    assert stored == set(days)
    assert contracts == 1 and seeds == 1  # created (and seeded) exactly once
    assert not list(db_path.parent.glob("*.creating*"))
    assert run_cli("check", db=db_path).returncode == 0


# --- an unmasked export and its history entry stand or fall together ------------------------

def _demo_file(db_path: Path) -> None:
    env = dict(os.environ, DINGSHOU_TODAY="2026-11-25")
    subprocess.run([sys.executable, "-m", "app", "demo", "--db", str(db_path)], check=True,
                   capture_output=True, env=env, timeout=120)


def _export_notes(db_path: Path) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        return [json.loads(r[0])["file"] for r in conn.execute(
            "SELECT changes FROM audit_log WHERE action = 'export'")]
    finally:
        conn.close()


def test_death_right_after_the_file_is_renamed_leaves_its_note(db_path, tmp_path, monkeypatch):
    """The moment that lost the note before: the full-ID file is in place, the process dies
    before the data file commits."""
    from app.reports import staff_xlsx

    _demo_file(db_path)
    real_replace = os.replace

    class Killed(BaseException):
        pass

    def replace_then_die(src, dst):
        real_replace(src, dst)
        raise Killed

    monkeypatch.setattr(staff_xlsx.os, "replace", replace_then_die)
    store = open_store(db_path)
    target = tmp_path / "名单.xlsx"
    with pytest.raises(Killed):
        staff_xlsx.export_workers(store, target, unmasked=True)
    store.db.conn.rollback()  # what the OS does to an uncommitted transaction of a killed process
    store.close()
    assert target.exists()
    assert str(target) in _export_notes(db_path)


@pytest.mark.slow
def test_killing_an_unmasked_export_at_any_moment_never_leaves_a_file_without_its_note(db_path, tmp_path):
    _demo_file(db_path)
    out = tmp_path / "out"
    out.mkdir()
    start = time.perf_counter()
    run_cli("export-staff", str(out / "timing.xlsx"), "--unmasked", db=db_path)
    whole = time.perf_counter() - start
    for i in range(1, 13):
        target = out / f"名单{i}.xlsx"
        proc = subprocess.Popen([sys.executable, "-m", "app", "export-staff", str(target), "--unmasked",
                                 "--db", str(db_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(whole * i / 12)
        proc.kill()
        proc.wait()
        written = target.exists() or (out / f"~{target.name}.part").exists()
        if written:
            assert str(target) in _export_notes(db_path), f"killed at {i}/12 of {whole:.2f}s"


# --- the change history is evidence ------------------------------------------------------

TRIGGERS = ("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
            "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")


def _tamper(db_path: Path, *statements: str, rechain: bool = False) -> None:
    """What an owner of the PC can do with any SQLite tool: lift the triggers, change the
    history, put the same triggers back (and, knowing the program, recompute the chain)."""
    from app.store import chain

    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    for sql in statements:
        conn.execute(sql)
    if rechain:
        for row_id, value in list(chain.links(conn)):
            conn.execute("UPDATE audit_log SET chain = ? WHERE id = ?", [value, row_id])
    for sql in TRIGGERS:
        conn.execute(sql)
    conn.commit()
    conn.close()


def _export_then_edit(db_path: Path, tmp_path: Path) -> None:
    _demo_file(db_path)
    assert run_cli("export-staff", str(tmp_path / "full.xlsx"), "--unmasked", db=db_path).returncode == 0
    assert run_cli("calendar-set", "2026-12-31", "休息日", db=db_path).returncode == 0


def _check(db_path: Path) -> subprocess.CompletedProcess:
    return run_cli("check", db=db_path)


def test_check_passes_on_an_untouched_file_with_its_backups(db_path, tmp_path):
    _export_then_edit(db_path, tmp_path)
    assert run_cli("backup", db=db_path).returncode == 0
    assert run_cli("calendar-set", "2026-12-30", "休息日", db=db_path).returncode == 0
    result = _check(db_path)
    assert result.returncode == 0, result.stdout
    assert "修改记录防篡改链" in result.stdout and "备份中的修改记录是当前修改记录的开头" in result.stdout


@pytest.mark.parametrize("how", ["deleted", "reworded"])
def test_check_fails_when_an_export_note_is_deleted_or_reworded(db_path, tmp_path, how):
    _export_then_edit(db_path, tmp_path)
    sql = ("DELETE FROM audit_log WHERE action = 'export'" if how == "deleted" else
           "UPDATE audit_log SET summary = '导出服务人员名单（已遮盖）', "
           "changes = replace(changes, '\"unmasked\": true', '\"unmasked\": false') WHERE action = 'export'")
    _tamper(db_path, sql)
    result = _check(db_path)
    assert result.returncode == 1 and "防篡改链从第" in result.stdout, result.stdout


def test_check_fails_when_a_value_and_its_history_are_changed_together_and_rechained(db_path, tmp_path):
    """The owner rewrites a worker's phone *and* its history rows, and recomputes the chain:
    the file alone looks consistent, its backups do not agree."""
    _export_then_edit(db_path, tmp_path)
    assert run_cli("backup", db=db_path).returncode == 0
    _tamper(db_path,
            "UPDATE audit_log SET changes = replace(changes, (SELECT phone FROM workers WHERE id = 1), '13900009999') "
            "WHERE table_name = 'workers' AND record_id = '1'",
            "UPDATE workers SET phone = '13900009999' WHERE id = 1",
            rechain=True)
    # The start-up cache of what each copy holds is no evidence: disowning the copies there
    # does not hide them from check.
    cache = backup_dir_for(db_path) / ".copies.json"
    entries = json.loads(cache.read_text(encoding="utf-8")) if cache.exists() else {}
    cache.write_text(json.dumps({k: ["unreadable", None, None, [0, 0]] for k in entries}), encoding="utf-8")
    result = _check(db_path)
    assert result.returncode == 1
    assert "通过  修改记录与数据一致" in result.stdout  # value and history agree
    assert "通过  修改记录防篡改链" in result.stdout  # re-chained: the file alone cannot tell
    assert "未通过  备份中的修改记录是当前修改记录的开头" in result.stdout, result.stdout


def test_a_same_named_trigger_that_does_nothing_is_caught(db_path, tmp_path):
    _export_then_edit(db_path, tmp_path)
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT 1; END")
    conn.commit()
    conn.close()
    result = _check(db_path)
    assert result.returncode == 1 and "表结构与本程序写入的不一致" in result.stdout


def test_a_unique_index_that_lost_its_uniqueness_under_the_same_name_is_caught(db_path, tmp_path):
    _export_then_edit(db_path, tmp_path)
    conn = sqlite3.connect(db_path)
    [name] = [r[1] for r in conn.execute("PRAGMA index_list(workers)") if r[2] == 1 and "id_number" in r[1]]
    conn.execute(f"DROP INDEX [{name}]")
    conn.execute(f"CREATE INDEX [{name}] ON workers (contract_id, id_number)")
    conn.commit()
    conn.close()
    result = _check(db_path)
    assert result.returncode == 1 and "表结构与本程序写入的不一致" in result.stdout


def test_an_old_file_is_chained_by_its_upgrade_and_checks_clean(tmp_path):
    import shutil

    from app.store import chain

    old = tmp_path / "old.sqlite3"
    shutil.copy(Path(__file__).parent / "data" / "foundation-v1.sqlite3", old)
    conn = sqlite3.connect(old)
    rows_before = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    conn.close()
    open_store(old).close()
    conn = sqlite3.connect(old)
    stored = dict(conn.execute("SELECT id, chain FROM audit_log"))
    # later steps add their own audited rows: the file identity (#7), the default shift types (#10)
    added = conn.execute("SELECT count(*) FROM audit_log WHERE summary IN ('数据文件标识', '预置班次')").fetchone()[0]
    assert dict(chain.links(conn)) == stored and len(stored) == rows_before + added and added == 1 + 7
    assert chain.file_identity(conn)
    conn.close()
    assert _check(old).returncode == 0


# --- a backup belongs to one data file; the newest is the one with the latest change ------

def _copy_as(db_path: Path, name: str) -> Path:
    from app.store.backup import backup_connection, connect_ro

    conn = connect_ro(db_path)
    try:
        return backup_connection(conn, backup_dir_for(db_path) / name)
    finally:
        conn.close()


def test_another_files_backup_is_never_offered_even_under_this_files_name(tmp_path):
    from app.store.restore import newest_good_backup

    real, practice = tmp_path / "dingshou.sqlite3", tmp_path / "practice.sqlite3"
    store = open_store(real)
    store.set_setting("note", "真实数据")
    store.close()
    real_copy = _copy_as(real, "dingshou-20261120-080000-manual.sqlite3")
    store = open_store(practice)
    for n in range(5):  # a longer history than the real file's
        store.set_setting("note", f"练习 {n}")
    store.close()
    # The practice file's copy, newer and named like one of the real file's.
    _copy_as(practice, "dingshou-20261125-090000-manual.sqlite3")
    assert newest_good_backup(real).path == real_copy
    assert newest_good_backup(practice).path.name == "dingshou-20261125-090000-manual.sqlite3"


def test_the_copies_cache_is_only_a_shortcut(db_path):
    """The daily start remembers what each copy holds; a copy that changed is read again."""
    from app.store.backup import auto_backup, own_backups

    store = open_store(db_path)
    store.set_setting("note", "一")
    store.close()
    first = auto_backup(db_path, "start").path
    assert (backup_dir_for(db_path) / ".copies.json").exists()
    assert [b.path for b in own_backups(db_path)] == [first]
    first.write_bytes(b"not a database any more")  # changed behind the cache's back
    assert own_backups(db_path) == []


def test_one_files_starts_never_prune_another_files_copies(tmp_path):
    from app.store.backup import auto_backup

    real, practice = tmp_path / "dingshou.sqlite3", tmp_path / "practice.sqlite3"
    open_store(real).close()
    real_copies = [_copy_as(real, f"dingshou-2026110{d}-080000-start.sqlite3") for d in range(1, 4)]
    store = open_store(practice)
    store.close()
    for n in range(4):
        store = open_store(practice)
        store.set_setting("note", f"练习 {n}")
        store.close()
        auto_backup(practice, "start", keep_last=1, keep_monthly=False)
    assert all(p.exists() for p in real_copies)
    practice_copies = [p for p in backup_dir_for(practice).iterdir() if p.name.startswith("practice-")]
    assert len(practice_copies) == 1


def test_after_the_clock_fell_back_the_newest_backup_is_the_one_with_the_latest_change(db_path, monkeypatch):
    """Copies taken while the clock ran a month ahead have later names than today's:
    the one holding the latest change is offered, and the clerk sees both times."""
    from app.store import store as store_module
    from app.store.backup import backup_name
    from app.store.check import check_file
    from app.store.restore import newest_good_backup

    store = open_store(db_path)
    monkeypatch.setattr(store_module, "now_text", lambda: "2026-12-25 09:00:00")  # clock ahead
    store.set_setting("note", "旧")
    stale = _copy_as(db_path, backup_name("exit", __import__("datetime").datetime(2026, 12, 25, 9, 0)))
    monkeypatch.setattr(store_module, "now_text", lambda: "2026-11-25 09:00:00")  # set back
    store.set_setting("note", "新")  # the clock set back blocks no edit
    store.close()
    fresh = _copy_as(db_path, backup_name("exit", __import__("datetime").datetime(2026, 11, 25, 9, 5)))
    newest = newest_good_backup(db_path)
    assert newest.path == fresh and newest.path != stale
    assert "2026-11-25 09:05" in newest.describe() and "2026-11-25 09:00:00" in newest.describe()
    assert check_file(db_path).ok


# --- the machine's surprises -------------------------------------------------------------

@pytest.fixture
def read_only_folder(tmp_path):
    """A folder holding a healthy data file (with a worker), then made read-only: a mount
    remounted read-only when running as root (root ignores permissions), else chmod."""
    folder = tmp_path / "share"
    folder.mkdir()
    mounted = False
    if os.geteuid() == 0:
        if subprocess.call(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)],
                           stderr=subprocess.DEVNULL) != 0:
            pytest.skip("cannot mount a read-only folder here")
        mounted = True
    db_path = folder / "dingshou.sqlite3"
    _demo_file(db_path)
    if mounted:
        assert subprocess.call(["mount", "-o", "remount,ro", str(folder)]) == 0
    else:
        folder.chmod(0o555)
    yield db_path
    if mounted:
        subprocess.call(["umount", str(folder)])
    else:
        folder.chmod(0o755)


def test_a_data_file_in_a_read_only_folder_is_not_called_damaged(read_only_folder, tmp_path):
    db_path = read_only_folder
    listed = run_cli("staff", "--json", db=db_path)
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 14
    checked = run_cli("check", db=db_path)
    assert checked.returncode == 0 and "损坏" not in checked.stdout, checked.stdout
    usb = tmp_path / "usb"
    usb.mkdir()
    copied = run_cli("backup", "--to", str(usb), db=db_path)
    assert copied.returncode == 0, copied.stderr
    assert len(list(usb.glob("*.sqlite3"))) == 1
    refused = run_cli("calendar-set", "2026-12-31", "休息日", db=db_path)
    assert refused.returncode == 1
    assert "只读" in refused.stderr and "损坏" not in refused.stderr and "backup --to" in refused.stderr


def test_a_named_pipe_as_data_file_is_refused_at_once(tmp_path):
    fifo = tmp_path / "dingshou.sqlite3"
    os.mkfifo(fifo)
    for command in (["staff"], ["check"], ["backup"], ["calendar-set", "2026-12-31", "休息日"],
                    ["restore", str(fifo)]):
        db = tmp_path / "other.sqlite3" if command[0] == "restore" else fifo
        result = run_cli(*command, db=db)  # run_cli's timeout (60 s) turns a hang into a failure
        assert result.returncode == 1, command
        assert "不是普通文件" in result.stderr + result.stdout, command


@pytest.mark.parametrize("month", ["9999-12", "0001-01"])
def test_a_month_out_of_range_gets_a_chinese_message(db_path, month):
    open_store(db_path).close()
    result = run_cli("calendar", month, db=db_path)
    assert result.returncode == 2 and "年份超出范围" in result.stderr and "Traceback" not in result.stderr


def test_an_over_long_export_name_gets_a_chinese_message_and_no_history_entry(db_path, tmp_path):
    _demo_file(db_path)
    result = run_cli("export-staff", str(tmp_path / ("长" * 100 + ".xlsx")), "--unmasked", db=db_path)
    assert result.returncode == 1 and "文件名太长" in result.stderr and "Traceback" not in result.stderr
    assert _export_notes(db_path) == []


def test_an_os_error_of_any_command_is_one_chinese_sentence(db_path, tmp_path):
    _demo_file(db_path)
    result = run_cli("import-staff", str(tmp_path / "无此文件夹" / "名单.xlsx"), "--dry-run", db=db_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("day,ok", [("2025-12-31", False), ("2026-02-17", True), ("2027-02-06", True),
                                    ("2028-01-01", False), ("3000-01-01", False)])
def test_calendar_set_is_limited_to_the_contracts_years_and_the_next(db_path, day, ok):
    open_store(db_path).close()
    result = run_cli("calendar-set", day, "休息日", db=db_path)
    assert (result.returncode == 0) is ok, result.stderr
    if not ok:
        assert "不在合同的年份内" in result.stderr and "2026 至 2027" in result.stderr


@pytest.mark.parametrize("value", ["2026-13-01", "tomorrow", ""])
def test_a_malformed_dingshou_today_is_refused(db_path, monkeypatch, value):
    open_store(db_path).close()
    monkeypatch.setenv("DINGSHOU_TODAY", value)
    result = run_cli("staff", db=db_path)
    assert result.returncode == 1 and "DINGSHOU_TODAY" in result.stderr


def test_dev_py_cli_resolves_relative_paths_against_the_callers_folder(tmp_path):
    caller = tmp_path / "caller"
    (caller / "app").mkdir(parents=True)  # a folder named like the package must not shadow it
    result = subprocess.run([sys.executable, str(ROOT / "dev.py"), "cli", "calendar-set", "2026-12-31", "休息日",
                             "--db", "相对.sqlite3"], cwd=caller, capture_output=True, text=True,
                            encoding="utf-8", timeout=300)
    assert result.returncode == 0, result.stderr
    assert (caller / "相对.sqlite3").exists() and not (ROOT / "相对.sqlite3").exists()


def test_backup_to_a_missing_folder_an_empty_name_or_a_non_folder_is_refused_in_chinese(db_path, tmp_path):
    """Once: a USB stick not plugged in became a new folder on this disk, `--to ""` went to
    the default folder unasked, and a device or pipe got "File exists" in English."""
    open_store(db_path).close()
    stick = tmp_path / "usb-not-plugged-in"
    for target, says in ((stick, "不存在"), (stick / "copy.sqlite3", "不存在"), ("", "--to 不能为空"),
                         ("/dev/null", "是一个文件，请选择文件夹")):
        result = run_cli("backup", "--to", str(target), db=db_path)
        assert result.returncode == 1 and says in result.stderr, (target, result.stderr)
        assert "Traceback" not in result.stderr and "File exists" not in result.stderr
    assert not stick.exists() and not (db_path.parent / "backups").exists()


def test_restore_refuses_another_data_files_backup_unless_asked(tmp_path):
    """Once a practice file's backup silently replaced the real file (its staff gone)."""
    real, practice = tmp_path / "real.sqlite3", tmp_path / "practice.sqlite3"
    assert run_cli("payee", "--name", "真实", "--bank", "某银行", "--account", "12345678", db=real).returncode == 0
    assert run_cli("payee", "--name", "练习", "--bank", "某银行", "--account", "87654321", db=practice).returncode == 0
    assert run_cli("backup", db=practice).returncode == 0
    [copy] = (tmp_path / "backups").glob("practice-*.sqlite3")
    before = _audit_count(real)
    refused = run_cli("restore", str(copy), db=real)
    assert refused.returncode == 1 and "是另一个数据文件的备份" in refused.stderr, refused.stderr
    assert _audit_count(real) == before
    assert run_cli("restore", str(copy), db=tmp_path / "new.sqlite3").returncode == 0  # to a new file: fine
    forced = run_cli("restore", str(copy), "--other-file", db=real)
    assert forced.returncode == 0, forced.stderr
