"""The 排班日历 commands, with the JSON field names the issue fixes."""
from __future__ import annotations

import json

import pytest

from app.cli import main
from app.store import open_store


@pytest.fixture
def demo_db(db_path):
    assert main(["demo", "--db", str(db_path)]) == 0
    return db_path


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_coverage_json_plan_actual_and_summary(demo_db, capsys):
    code, out, _ = run(capsys, "coverage", "2026-11", "--json", "--db", str(demo_db))
    assert code == 0 and json.loads(out) == []
    code, out, _ = run(capsys, "coverage", "2026-11", "--actual", "--json", "--db", str(demo_db))
    assert json.loads(out) == [{"date": "2026-11-05", "post": "接诉即办不计入考核工作", "post_code": "exclusion",
                                "rule": "hours", "missing": {"people": 1, "hours": 1}}]
    code, out, _ = run(capsys, "coverage", "2026-11", "--actual", "--json", "--summary", "--db", str(demo_db))
    summary = {p["post_code"]: p for p in json.loads(out)["summary"]}
    assert summary["dispatch"]["coverage"] == 1.0 and summary["exclusion"]["uncovered_hours"] == 1


def test_span_gap_json_lists_uncovered_times(demo_db, capsys):
    from app.roster import set_cells
    from app.staff import list_workers

    store = open_store(demo_db)
    try:
        ids = {w.name: w.id for w in list_workers(store)}
        set_cells(store, [(ids["褚国庆"], __import__("datetime").date(2026, 12, 1), ["10:00-16:30"])])
    finally:
        store.close()
    code, out, _ = run(capsys, "coverage", "2026-12", "--json", "--db", str(demo_db))
    assert json.loads(out) == [{"date": "2026-12-01", "post": "城市管理网格平台盯守", "post_code": "grid_watch",
                                "rule": "span", "missing": ["08:00-10:00", "16:30-18:30"]}]


def test_hours_json_per_worker_and_capacity(demo_db, capsys):
    code, out, _ = run(capsys, "hours", "2026-10", "--json", "--db", str(demo_db))
    data = json.loads(out)
    dispatch = data["posts"][0]
    assert (dispatch["post_code"], dispatch["required_hours"], dispatch["workers"], dispatch["enough"]) == \
        ("dispatch", 744, 5, True)
    assert all(w["warnings"] == [] for w in data["workers"])
    assert {w["name"] for w in data["workers"]} >= {"赵文静", "褚国庆"}


def test_roster_json_and_export_import_round_trip(demo_db, tmp_path, capsys):
    code, out, _ = run(capsys, "roster", "2026-10", "--json", "--db", str(demo_db))
    roster = json.loads(out)
    assert roster["month"] == "2026-10" and roster["posts"][0]["post_code"] == "dispatch"
    target = tmp_path / "十月.xlsx"
    assert run(capsys, "export-roster", "2026-10", str(target), "--db", str(demo_db))[0] == 0
    code, out, _ = run(capsys, "import-roster", str(target), "--dry-run", "--db", str(demo_db))
    assert code == 0 and out.startswith("试运行，未写入。2026 年 10 月，12 人")
    code, out, _ = run(capsys, "import-roster", str(target), "--db", str(demo_db))
    assert code == 0 and "改动 0 格" in out


def test_import_roster_refusal_exits_1_with_reasons(demo_db, tmp_path, capsys):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["姓名", *range(1, 31)])
    wb.active.append(["赵文静", "早", "晚"])
    wb.save(tmp_path / "x.xlsx")
    code, _, err = run(capsys, "import-roster", str(tmp_path / "x.xlsx"), "--month", "2026-11", "--db", str(demo_db))
    assert code == 1 and "第 2 行（赵文静）：2 日：“晚”不是班次代码" in err and "没有导入" in err
    code, _, err = run(capsys, "import-roster", str(tmp_path / "x.xlsx"), "--db", str(demo_db))
    assert code == 1 and "请指定月份" in err


def test_duty_and_require_commands_record_what_happened(demo_db, capsys):
    db = ("--db", str(demo_db))
    code, out, _ = run(capsys, "require", "2026-12-05", "审核", "--hours", "8", "--note", "专项", *db)
    assert code == 0 and "接诉即办案件回复意见审核" in out
    code, out, _ = run(capsys, "coverage", "2026-12", "--json", *db)
    assert json.loads(out) == [{"date": "2026-12-05", "post": "接诉即办案件回复意见审核", "post_code": "reply_review",
                                "rule": "hours", "missing": {"people": 1, "hours": 8}}]
    code, _, err = run(capsys, "require", "2026-12-05", "审核", "--hours", "八", *db)
    assert code == 1 and "应为小时数" in err
    code, out, _ = run(capsys, "duty", "2026-12-07", "冯建华", "缺岗", "08:30-10:30", *db)
    assert code == 0 and "缺岗" in out
    code, out, _ = run(capsys, "coverage", "2026-12", "--actual", "--json", *db)
    assert {"date": "2026-12-07", "post": "接诉即办不计入考核工作", "post_code": "exclusion", "rule": "hours",
            "missing": {"people": 1, "hours": 2}} in json.loads(out)
    code, _, err = run(capsys, "duty", "2026-12-07", "无此人", "请假", "08:30-10:30", *db)
    assert code == 1 and "不是 2026-12-07 在服务期内的服务人员" in err


def test_shift_type_commands(demo_db, capsys):
    db = ("--db", str(demo_db))
    code, out, _ = run(capsys, "shifts", "--json", *db)
    types = {t["code"]: t for t in json.loads(out)}
    assert types["白"]["hours"] == 8 and types["夜"]["uses"] > 0 and types["中"]["end"] == "24:00"
    code, _, err = run(capsys, "shift-set", "值", "值班", "08:00", "08:00", *db)
    assert code == 1 and "结束时间不能与开始时间相同" in err
    assert run(capsys, "shift-set", "值", "值班", "16:00", "08:00", "--colour", "#FFCC00", *db)[0] == 0
    code, _, err = run(capsys, "shift-set", "早", "早班", "07:30", "15:30", *db)
    assert code == 1 and "从哪个月起生效" in err
    code, out, _ = run(capsys, "shift-set", "早", "早班", "07:30", "15:30", "--from", "2026-12", *db)
    assert code == 0 and "已修改" in out
    code, _, err = run(capsys, "shift-delete", "早", *db)
    assert code == 1 and "不能删除" in err
    assert run(capsys, "shift-delete", "值", *db)[0] == 0
    code, out, _ = run(capsys, "coverage", "2026-12", "--json", *db)
    assert code == 0 and {"date": "2026-12-01", "post": "接派单、退单、案件核实", "post_code": "dispatch", "rule": "span",
                          "missing": ["15:30-16:00"]} in json.loads(out)  # 早 07:30-15:30 from December


def test_import_roster_sheet_option_names_the_sheet_and_refuses_an_unknown_one(demo_db, tmp_path, capsys):
    from tests.roster.test_roster_xlsx import two_month_workbook

    path = two_month_workbook(tmp_path)
    code, out, err = run(capsys, "import-roster", "--dry-run", "--sheet", "11月", str(path), "--db", str(demo_db))
    assert "2026 年 11 月" in out + err and "读取的工作表：“11月”" in out + err
    code, out, err = run(capsys, "import-roster", "--dry-run", "--month", "2026-11", str(path), "--db", str(demo_db))
    assert "读取的工作表：“11月”" in out + err  # once: 文件标题写的是 2026 年 10 月，与指定的……不一致
    code, _, err = run(capsys, "import-roster", "--dry-run", "--sheet", "12月", str(path), "--db", str(demo_db))
    assert code == 1 and "没有名为“12月”的工作表" in err
    code, out, err = run(capsys, "import-roster", "--dry-run", str(path), "--db", str(demo_db))  # which one?
    assert code == 1 and "有 2 个工作表都是排班表：“10月”（2026 年 10 月）、“11月”（2026 年 11 月）" in err
    assert "--sheet 11月" in err and "--month 2026-11" in err and out == ""
