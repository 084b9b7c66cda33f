"""`python -m app`, run as IT staff and scripts run it: a separate process."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def run_cli(*args, db=None):
    env = dict(os.environ)
    cmd = [sys.executable, "-m", "app", *args]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)


def test_words():
    result = run_cli("words", "1297300.82")
    assert result.returncode == 0
    assert result.stdout == "人民币壹佰贰拾玖万柒仟叁佰元捌角贰分\n"


def test_words_refuses_bad_amount_in_chinese():
    result = run_cli("words", "12.345")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "最多只能有两位小数" in result.stderr


def _made(db_path):
    """A data file as the window's first start creates it (reading commands never do)."""
    from app.store import open_store

    open_store(db_path).close()
    return db_path


def test_calendar_json(db_path):
    _made(db_path)
    result = run_cli("calendar", "2026-10", "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    days = json.loads(result.stdout)
    assert len(days) == 31
    assert days[0] == {"date": "2026-10-01", "kind": "holiday", "name": "国庆节"}
    assert days[9] == {"date": "2026-10-10", "kind": "makeup_workday", "name": "调休上班"}
    assert days[10]["kind"] == "restday" and days[11]["kind"] == "workday"
    assert {d["kind"] for d in days} <= {"workday", "restday", "holiday", "makeup_workday"}


def test_contract_json(db_path):
    _made(db_path)
    result = run_cli("contract", "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"] == "1297300.82"
    assert data["total_words"] == "人民币壹佰贰拾玖万柒仟叁佰元捌角贰分"
    assert [p["headcount"] for p in data["posts"]] == [1, 2, 2, 1, 1]
    assert data["posts"][3]["rules"] == [
        {"day_type": "working", "mode": "span", "start": "08:00", "end": "18:30", "minutes": None},
        {"day_type": "nonworking", "mode": "span", "start": "10:00", "end": "16:30", "minutes": None},
    ]


def test_db_from_environment(tmp_path):
    result = run_cli("calendar-set", "2026-12-31", "休息日")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "default" / "dingshou.sqlite3").exists()


def test_refused_file_gives_chinese_error_and_exit_code(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("not a database", encoding="utf-8")
    result = run_cli("contract", db=bad)
    assert result.returncode == 1
    assert "不是 SQLite 数据库" in result.stderr
    assert bad.read_text(encoding="utf-8") == "not a database"


@pytest.mark.parametrize("args,fragment", [(["calendar", "2026-13"], "格式不对"), ([], "缺少参数")])
def test_usage_errors_are_chinese(args, fragment):
    result = run_cli(*args)
    assert result.returncode == 2
    assert fragment in result.stderr


# --- backup, restore, check ----------------------------------------------------------------

def test_backup_restore_check_round_trip(db_path, tmp_path):
    from app.store import open_store

    store = open_store(db_path)
    store.set_operator("甲经办")
    store.close()
    usb = tmp_path / "U盘"
    usb.mkdir()
    made = run_cli("backup", "--to", str(usb), db=db_path)
    assert made.returncode == 0, made.stderr
    assert "备份完成，已校验" in made.stdout
    [copy] = list(usb.glob("dingshou-*-manual.sqlite3"))

    store = open_store(db_path)
    store.set_operator("乙经办")
    store.close()
    restored = run_cli("restore", str(copy), db=db_path)
    assert restored.returncode == 0, restored.stderr
    assert "恢复完成" in restored.stdout and "恢复前的数据文件已保留为" in restored.stdout
    assert "最后一次修改" in restored.stdout
    again = open_store(db_path)
    assert again.operator == "甲经办"
    again.close()

    checked = run_cli("check", db=db_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "全部检查通过" in checked.stdout


def test_backup_to_an_exact_file_and_default_folder(db_path, tmp_path):
    _made(db_path)
    exact = tmp_path / "copy.sqlite3"
    assert run_cli("backup", "--to", str(exact), db=db_path).returncode == 0
    assert exact.exists()
    assert run_cli("backup", db=db_path).returncode == 0
    assert list((db_path.parent / "backups").glob("*-manual.sqlite3"))


def test_restore_refuses_a_foreign_file(db_path, tmp_path):
    _made(db_path)
    other = tmp_path / "notes.sqlite3"
    other.write_bytes(b"not a database at all" * 100)
    result = run_cli("restore", str(other), db=db_path)
    assert result.returncode == 1
    assert "不是盯守台账的可用备份" in result.stderr


def test_check_fails_with_exit_code_on_a_damaged_file(db_path):
    _made(db_path)
    assert run_cli("backup", db=db_path).returncode == 0
    data = bytearray(db_path.read_bytes())
    data[len(data) // 2:] = b"\x00" * (len(data) - len(data) // 2)
    db_path.write_bytes(bytes(data))
    result = run_cli("check", db=db_path)
    assert result.returncode == 1
    assert "未通过" in result.stdout and "发现问题" in result.stdout
    assert "最新的完好备份" in result.stdout and "python -m app restore" in result.stdout


def test_backup_of_a_missing_file_fails_in_chinese(tmp_path):
    result = run_cli("backup", db=tmp_path / "nothing.sqlite3")
    assert result.returncode == 1 and "不存在" in result.stderr


def test_restore_is_refused_while_a_window_has_the_file_open(db_path, tmp_path):
    from app.store import open_store
    from app.store.backup import backup_file
    from app.store.lock import InstanceLock

    open_store(db_path).close()
    copy = backup_file(db_path, tmp_path / "copies", reason="manual")
    with InstanceLock(db_path):  # this test process plays the open window
        result = run_cli("restore", str(copy), db=db_path)
    assert result.returncode == 1
    assert "数据文件正在被另一个窗口使用" in result.stderr


def test_writing_commands_refuse_a_file_open_in_a_window(db_path):
    """The window holds the lock: demo (a write) is refused, staff (a read) still works."""
    from app.store import open_store
    from tests.test_lock import held_by

    open_store(db_path).close()
    with held_by(db_path, "window"):
        refused = run_cli("demo", db=db_path)
        assert refused.returncode == 1 and "正在被另一个窗口使用" in refused.stderr
        listed = run_cli("staff", "--json", db=db_path)
        assert listed.returncode == 0 and json.loads(listed.stdout) == []
    assert run_cli("demo", db=db_path).returncode == 0  # the window closed (its process is gone)


def test_clerk_enters_a_year_the_package_does_not_know(db_path):
    """2027's schedule is not published in this build: the listing says so, and the
    clerk enters the State Council's days one by one (audited), or takes one back."""
    _made(db_path)
    listed = run_cli("calendar", "2027-02", "--json", db=db_path)
    assert listed.returncode == 0 and "尚未收录" in listed.stderr
    set_day = run_cli("calendar-set", "2027-02-20", "调休上班日", "--name", "春节调休上班", db=db_path)
    assert set_day.returncode == 0, set_day.stderr
    days = {d["date"]: d for d in json.loads(run_cli("calendar", "2027-02", "--json", db=db_path).stdout)}
    assert days["2027-02-20"] == {"date": "2027-02-20", "kind": "makeup_workday", "name": "春节调休上班"}
    from app.store import open_store

    store = open_store(db_path)
    try:
        audited = [r["action"] for r in store.db.query(
            "SELECT action FROM audit_log WHERE table_name = 'calendar_overrides'")]
    finally:
        store.close()
    assert audited == ["insert"]
    assert run_cli("calendar-clear", "2027-02-20", db=db_path).returncode == 0
    days = {d["date"]: d for d in json.loads(run_cli("calendar", "2027-02", "--json", db=db_path).stdout)}
    assert days["2027-02-20"]["kind"] == "restday"


@pytest.mark.parametrize("args,code,fragment", [
    (["calendar-set", "2027-02-08", "节日"], 1, "不是日期类型"),
    (["calendar-set", "2027-02-30", "holiday"], 2, "格式不对"),
])
def test_calendar_set_refuses_bad_input_in_chinese(db_path, args, code, fragment):
    result = run_cli(*args, db=db_path)
    assert result.returncode == code and fragment in result.stderr


def test_db_may_stand_before_or_after_the_command(tmp_path):
    before = subprocess.run([sys.executable, "-m", "app", "--db", str(tmp_path / "a.sqlite3"), "calendar-set",
                             "2026-12-31", "休息日"], capture_output=True, text=True, encoding="utf-8", timeout=60)
    after = run_cli("calendar-set", "2026-12-31", "休息日", db=tmp_path / "b.sqlite3")
    assert before.returncode == after.returncode == 0
    assert (tmp_path / "a.sqlite3").exists() and (tmp_path / "b.sqlite3").exists()


def test_window_help_is_chinese():
    result = subprocess.run([sys.executable, "-m", "ui", "--help"], capture_output=True, text=True,
                            encoding="utf-8", timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("用法：") and "显示帮助并退出" in result.stdout
