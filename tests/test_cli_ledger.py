"""`python -m app schedule | ledger | pay | invoice | deduct | status`, as a separate process."""
from __future__ import annotations

import json
import os

from app.store import open_store
from tests.test_cli import run_cli


def new_file(db_path):
    """A fresh data file (reading commands never create one)."""
    open_store(db_path).close()


def schedule(db_path):
    result = run_cli("schedule", "--json", db=db_path)
    assert result.returncode == 0, result.stderr
    return {row["period"]: row for row in json.loads(result.stdout)}


def test_schedule_json_of_a_new_file(db_path):
    new_file(db_path)
    rows = schedule(db_path)
    assert list(rows) == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
    assert {k: rows["2026Q4"][k] for k in ("period", "due", "planned", "deductions", "payable", "paid", "invoiced",
                                           "status")} == {
        "period": "2026Q4", "due": "2027-01-10", "planned": "324325.22", "deductions": "0.00",
        "payable": "324325.22", "paid": "0.00", "invoiced": "0.00", "status": "待结算"}


def test_the_issue_walk_on_the_command_line(db_path):
    for stage, day in (("送审", "2026-04-01"), ("审计通过", "2026-04-03"), ("审批通过", "2026-04-07")):
        result = run_cli("status", "2026Q1", stage, "--date", day, db=db_path)
        assert result.returncode == 0, result.stderr
    assert run_cli("deduct", "2026Q1", "1200.00", "--reason", "3月考核扣减", "--ref-kind", "月度考核",
                   "--ref-key", "2026-03", db=db_path).returncode == 0
    result = run_cli("invoice", "2026Q1", "--number", "26112000000000012345", "--date", "2026-04-07",
                     "--amount", "323125.20", db=db_path)
    assert result.returncode == 0, result.stderr
    result = run_cli("pay", "2026Q1", "323125.20", "--date", "2026-04-08", "--voucher", "记-0412", db=db_path)
    assert result.returncode == 0, result.stderr
    assert "已支付" in result.stdout
    q1 = schedule(db_path)["2026Q1"]
    assert (q1["deductions"], q1["payable"], q1["paid"], q1["invoiced"], q1["status"]) == (
        "1200.00", "323125.20", "323125.20", "323125.20", "已支付")
    totals = json.loads(run_cli("ledger", "--json", db=db_path).stdout)
    assert {k: totals[k] for k in ("total", "paid", "invoiced", "outstanding", "next_due")} == {
        "total": "1297300.82", "paid": "323125.20", "invoiced": "323125.20", "outstanding": "972975.62",
        "next_due": "2026-07-10"}
    assert "违约" not in run_cli("ledger", db=db_path).stdout.replace("不视为甲方违约", "")
    payment_id = totals["payments"][0]["id"]
    assert run_cli("void", "payment", str(payment_id), "--reason", "凭证号录错", db=db_path).returncode == 0
    q1 = schedule(db_path)["2026Q1"]
    assert (q1["paid"], q1["status"]) == ("0.00", "审批通过")
    totals = json.loads(run_cli("ledger", "--json", db=db_path).stdout)
    assert totals["payments"][0]["voided"] == "2026-11-25" and totals["paid"] == "0.00"
    check = run_cli("check", db=db_path)
    assert check.returncode == 0 and "通过  付款台账" in check.stdout


def test_refusals_exit_1_in_chinese_and_write_nothing(db_path):
    new_file(db_path)
    before = run_cli("schedule", "--json", db=db_path).stdout
    for args, message in (
        (("status", "2026Q1", "审计通过", "--date", "2026-04-02"), "不能跳过“送审”"),
        (("pay", "2026Q1", "324325.205", "--date", "2026-04-08", "--voucher", "记-1"), "最多只能有两位小数"),
        (("pay", "2026Q1", "324325.20", "--date", "2026-04-08", "--voucher", "记-1"), "尚未审批通过"),
        (("invoice", "2026Q1", "--number", "2611200000000001234", "--date", "2026-04-07", "--amount", "1.00"),
         "应为 20 位数字"),
        (("deduct", "2026Q1", "1,20.00", "--reason", "x"), "逗号或空格位置不对"),
        (("split", "324325.20", "324325.20", "324325.20", "324325.20"), "分期金额之和必须等于合同总额"),
    ):
        result = run_cli(*args, db=db_path)
        assert result.returncode == 1, (args, result.stdout)
        assert message in result.stderr and result.stderr.startswith("错误：")
    assert run_cli("schedule", "--json", db=db_path).stdout == before


def test_demo_has_three_quarters_paid_with_invoices_and_q4_not_yet_due(db_path):
    assert run_cli("demo", db=db_path).returncode == 0
    rows = schedule(db_path)
    for period in ("2026Q1", "2026Q2", "2026Q3"):
        assert rows[period]["status"] == "已支付" and rows[period]["paid"] == rows[period]["invoiced"] == \
            rows[period]["payable"]
    assert rows["2026Q4"]["status"] == "待结算" and rows["2026Q4"]["paid"] == "0.00"
    assert rows["2026Q4"]["overdue_days"] == 0  # due 2027-01-10, today 2026-11-25
    totals = json.loads(run_cli("ledger", "--json", db=db_path).stdout)
    assert totals["next_due"] == "2027-01-10" and totals["outstanding"] == "324325.22"
    assert totals["uninvoiced_payments"] == [] and totals["overdue"] == []
    assert run_cli("check", db=db_path).returncode == 0


def test_void_of_a_record_that_does_not_exist_is_one_chinese_sentence(db_path):
    """Once a sqlite_utils NotFoundError (or, for a long number, OverflowError) traceback."""
    new_file(db_path)
    for number in ("999", "0", "-1", "99999999999999999999"):
        result = run_cli("void", "payment", number, "--reason", "录错", db=db_path)
        assert result.returncode == 1 and f"没有编号为 {number} 的付款" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_a_printed_pdf_never_replaces_the_data_file_or_any_file_that_is_not_a_pdf(db_path, tmp_path):
    """Once `payment-request 2026Q4 <the data file>` turned the data file into a one-page PDF."""
    new_file(db_path)
    before = db_path.read_bytes()
    workbook = tmp_path / "乙方名单.pdf"
    workbook.write_bytes(b"PK\x03\x04 a vendor's workbook saved under a wrong name")
    for command in (("payment-request", "2026Q4"), ("ledger-statement",)):
        made = run_cli(*command, str(db_path), "--overwrite", db=db_path)  # the name gets .pdf: a file beside it
        assert made.returncode == 0, made.stderr
        assert db_path.with_name(db_path.name + ".pdf").read_bytes().startswith(b"%PDF-")
        refused = run_cli(*command, str(workbook), db=db_path)
        assert refused.returncode == 1 and "不是 PDF 文件，程序不会覆盖它" in refused.stderr
    assert db_path.read_bytes() == before and workbook.read_bytes().startswith(b"PK")
    again = run_cli("payment-request", "2026Q4", str(db_path) + ".pdf", db=db_path)  # asked first
    assert again.returncode == 1 and "--overwrite" in again.stderr
    again = run_cli("payment-request", "2026Q4", str(db_path) + ".pdf", "--overwrite", db=db_path)
    assert again.returncode == 0, again.stderr
    if hasattr(os, "mkfifo"):
        pipe = tmp_path / "pipe.pdf"
        os.mkfifo(pipe)
        refused = run_cli("payment-request", "2026Q4", str(pipe), "--overwrite", db=db_path)  # at once, no hang
        assert refused.returncode == 1 and "不是 PDF 文件" in refused.stderr
