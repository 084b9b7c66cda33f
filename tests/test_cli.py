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


def test_calendar_json(db_path):
    result = run_cli("calendar", "2026-10", "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    days = json.loads(result.stdout)
    assert len(days) == 31
    assert days[0] == {"date": "2026-10-01", "kind": "holiday", "name": "国庆节"}
    assert days[9] == {"date": "2026-10-10", "kind": "makeup_workday", "name": "调休上班"}
    assert days[10]["kind"] == "restday" and days[11]["kind"] == "workday"
    assert {d["kind"] for d in days} <= {"workday", "restday", "holiday", "makeup_workday"}


def test_contract_json(db_path):
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
    result = run_cli("contract")
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
