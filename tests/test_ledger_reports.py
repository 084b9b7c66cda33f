"""The printed 付款申请单 and ledger statement, and the .xlsx export of the ledger."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest

from app.demo import fill_demo
from app.ledger import load_ledger
from app.ledger_records import add_deduction, record_payment
from app.reports.ledger_pdf import ledger_statement_pdf, payment_request_pdf, request_figures
from app.reports.ledger_xlsx import export_ledger

D = dt.date


def pdf_text(pdf: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(" ", "")


@pytest.fixture
def demo(store):
    fill_demo(store)
    return store


def test_request_figures_of_the_next_installment_and_of_a_reprint(demo):
    ledger = load_ledger(demo)
    assert request_figures(ledger, ledger.installment("2026Q4")) == (Decimal("971775.60"), Decimal("324325.22"))
    # Q2 is paid: a reprint shows what was paid before it and its own payable
    assert request_figures(ledger, ledger.installment("2026Q2")) == (Decimal("648650.40"), Decimal("323125.20"))


def test_payment_request_has_every_field_an_office_signs(demo, tmp_path):
    pdf = payment_request_pdf(demo, "2026Q2", D(2026, 11, 25))
    assert pdf.startswith(b"%PDF") and b"WenQuanYi" in pdf  # the CJK font is embedded
    text = pdf_text(pdf, tmp_path)
    for expected in ("付款申请单", "申请编号：LT-JSJB-2026-FK02", "申请部门", "龙潭街道接诉即办工作专班",
                     "2026年11月25日", "2026年龙潭街道接诉即办平台盯守服务合同", "LT-JSJB-2026", "¥1,297,300.82",
                     "¥648,650.40（50.00%）", "¥971,775.60（74.91%）", "支付2026年第2季度", "月度服务考核：4月：考核",
                     "6月：考核", "本期扣减¥1,200.00",
                     "北京自腾科技有限公司", "中国工商银行北京望京支行", "0200000000000012345",
                     "人民币叁拾贰万叁仟壹佰贰拾伍元贰角", "¥323,125.20", "26112000000007130027", "共1张",
                     "服务合同（复印件）", "月度服务考核表3份", "经办人", "科室负责人", "财务审核", "分管领导", "主要领导"):
        assert expected in text, expected
    assert "违约" not in text.replace("不视为甲方违约", "")


def test_payment_request_of_a_late_uninvoiced_installment_says_so(store, tmp_path):
    text = pdf_text(payment_request_pdf(store, "2026Q3", D(2026, 11, 25)), tmp_path)
    assert "逾期46天" in text and "不视为甲方违约" in text
    assert "尚未收到发票" in text and "未录入" in text  # no payee account yet: the form says where to enter it


def test_ledger_statement_lists_installments_payments_invoices_and_steps(demo, tmp_path):
    text = pdf_text(ledger_statement_pdf(demo, D(2026, 11, 25)), tmp_path)
    for expected in ("付款台账", "2026年第4季度", "324,325.22", "待结算", "记-1021", "记-1048",
                     "26112000000010140033", "5月服务考核", "审计通过", "已付¥971,775.60（74.91%）"):
        assert expected in text, expected


def test_xlsx_export_writes_amounts_to_the_fen_and_formula_text_as_text(store, tmp_path):
    from openpyxl import load_workbook

    add_deduction(store, "2026Q1", "0.05", "=HYPERLINK(\"http://example.com\",\"点此\")", on=D(2026, 4, 1))
    add_deduction(store, "2026Q1", "1.00", "@SUM(A1)", ref_text="+1", on=D(2026, 4, 1))
    written = export_ledger(store, tmp_path / "台账")
    assert written.name == "台账.xlsx"
    wb = load_workbook(written)
    ded = wb["扣减"]
    assert ded["E2"].value.startswith("=HYPERLINK") and ded["E2"].data_type == "s"
    assert ded["E3"].value == "@SUM(A1)" and ded["E3"].data_type == "s"
    assert ded["D2"].value == pytest.approx(0.05) and ded["D2"].number_format == "#,##0.00"
    periods = wb["分期"]
    assert [periods.cell(row=r, column=9).value for r in range(2, 6)] == [
        pytest.approx(v) for v in (324324.15, 324325.20, 324325.20, 324325.22)]
    assert not any(c.data_type == "f" for ws in wb for row in ws.iter_rows() for c in row)
    assert store.db["audit_log"].count_where("action = 'export' AND table_name = 'ledger_installments'") == 1


def test_the_request_of_a_partly_paid_installment_asks_for_the_rest(store):
    from app.ledger_records import step_stage

    for stage in ("送审", "审计通过", "审批通过"):
        step_stage(store, "2026Q3", stage, D(2026, 10, 9))
    record_payment(store, "2026Q3", "200000.00", D(2026, 10, 16), "记-1021")
    ledger = load_ledger(store)
    assert request_figures(ledger, ledger.installment("2026Q3")) == (Decimal("200000.00"), Decimal("124325.20"))


def test_the_request_reads_each_month_of_the_quarter_from_the_assessments(demo):
    from app.reports.ledger_pdf import assessment_results

    q4 = load_ledger(demo).installment("2026Q4")
    results = assessment_results(demo, q4, D(2026, 11, 25))
    assert [line.split("：")[0] for _, line, _ in results] == ["10月", "11月", "12月"]
    assert [done for _, _, done in results] == [True, False, False]
    assert results[1][1] == "11月：服务尚未结束，尚未考核"  # its draft scores are not a result yet
    assert results[2][1] == "12月：服务尚未结束，尚未考核"
    results = assessment_results(demo, q4, D(2026, 12, 3))
    assert results[1][1].startswith("11月：尚未定稿（草稿") and not results[1][2]


def test_an_early_request_says_so_and_names_the_months_not_yet_assessed(demo, tmp_path):
    """Q4 sent for payment on 11-25 (三: early payment when the treasury requires it): the
    form must not read as if October to December had been served and assessed."""
    from app.ledger_records import step_stage

    step_stage(demo, "2026Q4", "送审", D(2026, 11, 25), early=True)
    pdf = payment_request_pdf(demo, "2026Q4", D(2026, 11, 25))
    text = pdf_text(pdf, tmp_path).replace("\n", "")
    assert pdf.count(b"/Type /Page\n") == 1  # still one sheet of paper
    for expected in ("付款期：2026年第4季度（提前支付）", "提前支付：本期服务期至2026-12-31，申请日尚未结束（还有37天）",
                     "11月、12月尚未考核", "11月：服务尚未结束，尚未考核", "12月：服务尚未结束，尚未考核",
                     "10月考核表附后；11月、12月考核后补附", "月度服务考核表1份（10月），11月、12月", "考核后补附；4.审计",
                     "直至服务期限届满"):
        assert expected in text, expected
    assert "月度服务考核表3份" not in text
    q2 = pdf_text(payment_request_pdf(demo, "2026Q2", D(2026, 11, 25)), tmp_path)  # a quarter long over: plain
    assert "提前支付" not in q2 and "考核后补附" not in q2 and "月度服务考核表3份（4月、5月、6月）" in q2
