"""`python -m app demo | staff | import-staff | export-staff`, run as a separate process."""
from __future__ import annotations

import json
import time

from openpyxl import Workbook

from tests.test_cli import run_cli
from tests.test_staff_xlsx import GOOD, HEADER, make_id, write_xlsx


def test_demo_fills_a_staff_for_24h_cover_and_staff_lists_it_masked(db_path):
    result = run_cli("demo", db=db_path)
    assert result.returncode == 0, result.stderr
    workers = json.loads(run_cli("staff", "--json", db=db_path).stdout)
    assert 12 <= len(workers) <= 14
    dispatch = [w for w in workers if w["post_code"] == "dispatch"]
    assert len(dispatch) == 5 and {w["hours_scheme"] for w in dispatch} == {"综合工时"}
    assert {w["post_code"] for w in workers} == {"dispatch", "reply_review", "exclusion", "grid_watch", "flex"}
    assert all("********" in w["id_number"] and "****" in w["phone"] for w in workers)
    assert {w["status"] for w in workers} == {"在岗", "未到岗", "已离场"}
    again = run_cli("demo", db=db_path)
    assert again.returncode == 1 and "已有服务人员" in again.stderr


def test_import_staff_dry_run_writes_nothing_and_names_each_refused_row(db_path, tmp_path):
    rows = GOOD + [["孙海波", "男", make_id("19851102", 44), "1390000003", "保洁岗", "2026-01-01", ""]]
    path = write_xlsx(tmp_path / "名单.xlsx", rows)
    from app.store import open_store

    open_store(db_path).close()
    result = run_cli("import-staff", str(path), "--dry-run", db=db_path)
    assert result.returncode == 1
    assert "第 5 行（孙海波）不导入" in result.stderr
    assert "手机号应为11位数字" in result.stderr and "“保洁岗”不是合同约定的岗位" in result.stderr
    assert "可导入 2 行" in result.stdout
    assert json.loads(run_cli("staff", "--json", db=db_path).stdout) == []
    result = run_cli("import-staff", str(path), db=db_path)
    assert "已导入 2 人" in result.stdout
    assert len(json.loads(run_cli("staff", "--json", db=db_path).stdout)) == 2


def test_import_staff_refuses_a_file_that_is_not_xlsx(db_path, tmp_path):
    path = tmp_path / "名单.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    result = run_cli("import-staff", str(path), db=db_path)
    assert result.returncode == 1 and "另存为" in result.stderr


def test_import_of_300_rows_is_quick(db_path, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for i in range(300):
        ws.append([f"测试{chr(0x4e00 + i)}", "", make_id("19900101", i), f"139{i:08d}", "机动岗", "2026-01-01", ""])
    wb.save(tmp_path / "big.xlsx")
    start = time.perf_counter()
    result = run_cli("import-staff", str(tmp_path / "big.xlsx"), db=db_path)
    elapsed = time.perf_counter() - start
    assert result.returncode == 0, result.stderr
    assert "已导入 300 人" in result.stdout
    assert elapsed < 10


def test_export_staff(db_path, tmp_path):
    run_cli("demo", db=db_path)
    result = run_cli("export-staff", str(tmp_path / "out.xlsx"), db=db_path)
    assert result.returncode == 0 and (tmp_path / "out.xlsx").exists()


def test_import_template_then_import_staff_with_sheet_choice(db_path, tmp_path):
    from openpyxl import load_workbook

    from app.store import open_store

    open_store(db_path).close()  # a reading command never creates the data file
    result = run_cli("import-template", str(tmp_path / "模板"), db=db_path)
    assert result.returncode == 0, result.stderr
    assert "模板.xlsx" in result.stdout
    wb = load_workbook(tmp_path / "模板.xlsx")
    wb["人员名单"].append(["赵文静", None, GOOD[0][2], "13900000001", "机动岗", "2026-01-01"])
    copy = wb.copy_worksheet(wb["人员名单"])
    copy.title = "备用"
    wb.save(tmp_path / "两表.xlsx")
    result = run_cli("import-staff", str(tmp_path / "两表.xlsx"), "--dry-run", db=db_path)
    assert result.returncode == 1 and "“人员名单”、“备用”" in result.stderr and "--sheet" in result.stderr
    result = run_cli("import-staff", str(tmp_path / "两表.xlsx"), "--sheet", "备用", "--dry-run", db=db_path)
    assert result.returncode == 0, result.stderr
    assert "读取的工作表：“备用”" in result.stdout and "可导入 1 行" in result.stdout
    assert "导入的列：A“姓名”、B“性别”、C“身份证号”、D“手机号”" in result.stdout


def test_import_staff_saves_the_refused_rows_for_the_vendor(db_path, tmp_path):
    from openpyxl import load_workbook

    from app.store import open_store

    open_store(db_path).close()  # --dry-run reads: the data file must exist
    rows = GOOD + [["孙海波", "男", make_id("19851102", 44), "1390000003", "保洁岗", "2026-01-01", ""]]
    path = write_xlsx(tmp_path / "名单.xlsx", rows)
    result = run_cli("import-staff", str(path), "--dry-run", "--refused", str(tmp_path / "退回"), db=db_path)
    assert result.returncode == 1 and f"不导入的 1 行连同原因已保存到 {tmp_path / '退回.xlsx'}" in result.stdout
    sheet = load_workbook(tmp_path / "退回.xlsx").active
    assert sheet["A3"].value == 5 and "保洁岗" in sheet.cell(row=3, column=sheet.max_column).value
