"""付款台账 core: the schedule of clause 三, the steps, and every refusal of the issue's
"Bad input" list — each with its Chinese message and nothing written."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.errors import ValidationError
from app.ledger import FISCAL_DELAY_NOTE, Stage, check_ledger, default_split, ledger_json, load_ledger, schedule_json
from app.ledger_records import (add_deduction, invoice_identity, record_invoice, record_payment, record_supplement,
                                set_payee, set_split, step_stage, void_record)
from app.store.check import check_audit_agrees

D = dt.date
LEDGER_TABLES = ("ledger_installments", "ledger_stage_steps", "ledger_deductions", "ledger_payments",
                 "ledger_invoices", "ledger_invoice_items", "ledger_supplements", "ledger_payee")


def snapshot(store):
    """Everything a refused action might have touched."""
    return (store.db["audit_log"].count,
            {t: list(store.db[t].rows) for t in LEDGER_TABLES})


def refused(store, call, *fragments):
    before = snapshot(store)
    with pytest.raises(ValidationError) as err:
        call()
    for fragment in fragments:
        assert fragment in str(err.value)
    assert snapshot(store) == before, "a refused action wrote something"
    return err.value


def approve(store, period, day=None, early=False):
    day = day or D(2026, 4, 2)
    for stage in ("送审", "审计通过", "审批通过"):
        step_stage(store, period, stage, day, early=early)


# --- the schedule ----------------------------------------------------------------------------

def test_default_schedule_is_four_equal_quarters_due_on_the_tenth_and_sums_to_the_total(store):
    ledger = load_ledger(store)
    rows = schedule_json(ledger)
    assert [(r["period"], r["due"], r["planned"], r["status"]) for r in rows] == [
        ("2026Q1", "2026-04-10", "324325.20", "待结算"),
        ("2026Q2", "2026-07-10", "324325.20", "待结算"),
        ("2026Q3", "2026-10-10", "324325.20", "待结算"),
        ("2026Q4", "2027-01-10", "324325.22", "待结算"),
    ]
    assert sum(i.planned for i in ledger.installments) == Decimal("1297300.82")
    assert not ledger.stored and store.db["ledger_installments"].count == 0  # reading wrote nothing


def test_a_period_cut_inside_a_quarter_is_split_by_days_served():
    from app.ledger import Quarter

    quarters = [Quarter(1, "2026Q1", D(2026, 2, 15), D(2026, 3, 31), D(2026, 4, 10)),
                Quarter(2, "2026Q2", D(2026, 4, 1), D(2026, 6, 30), D(2026, 7, 10))]
    split = default_split(Decimal("100000.00"), quarters)
    assert sum(split) == Decimal("100000.00")
    assert split[0] == Decimal("33088.23")  # 45 of 136 days, to the fen, rounded down


def test_one_installment_walks_from_pending_to_paid_with_date_and_operator(store):
    approve(store, "2026Q1")
    record_invoice(store, "26112000000000012345", D(2026, 4, 7), "324325.20", ["2026Q1"])
    record_payment(store, "2026Q1", "324,325.20", D(2026, 4, 8), "记-0412")
    inst = load_ledger(store).installment("2026Q1")
    assert inst.stage is Stage.PAID and inst.outstanding == 0 and inst.invoiced == inst.paid
    assert [(s.to_stage.label, s.stepped_on.isoformat(), s.operator) for s in inst.steps] == [
        ("送审", "2026-04-02", "测试"), ("审计通过", "2026-04-02", "测试"), ("审批通过", "2026-04-02", "测试"),
        ("已支付", "2026-04-08", "测试")]
    assert check_ledger(store.db.conn) == [] and check_audit_agrees(store.db.conn) == []


def test_a_step_back_with_a_reason_is_recorded(store):
    step_stage(store, "2026Q1", "送审", D(2026, 4, 1))
    step_stage(store, "2026Q1", "待结算", D(2026, 4, 3), "审计要求补充3月值守记录")
    inst = load_ledger(store).installment("2026Q1")
    assert inst.stage is Stage.PENDING
    assert inst.steps[-1].backwards and inst.steps[-1].reason == "审计要求补充3月值守记录"


def test_partial_payments_flag_the_part_no_invoice_covers(store):
    approve(store, "2026Q3", D(2026, 10, 9))
    record_payment(store, "2026Q3", "200000.00", D(2026, 10, 16), "记-1021")
    ledger = load_ledger(store)
    assert ledger.installment("2026Q3").stage is Stage.APPROVED  # not fully paid yet
    assert [(p.voucher, p.uncovered) for p in ledger.uncovered_payments] == [("记-1021", Decimal("200000.00"))]
    record_invoice(store, "26112000000010140033", D(2026, 10, 14), "150000.00", ["2026Q3"])
    record_payment(store, "2026Q3", "124325.20", D(2026, 10, 29), "记-1048")
    ledger = load_ledger(store)
    assert [(p.voucher, p.uncovered) for p in ledger.uncovered_payments] == [
        ("记-1021", Decimal("50000.00")), ("记-1048", Decimal("124325.20"))]
    assert ledger.installment("2026Q3").stage is Stage.PAID
    assert ledger_json(ledger)["uninvoiced_payments"][0]["uncovered"] == "50000.00"


def test_overdue_is_late_never_a_breach(store):
    ledger = load_ledger(store)  # today 2026-11-25: Q1–Q3 are past due and unpaid
    data = ledger_json(ledger)
    assert [o["period"] for o in data["overdue"]] == ["2026Q1", "2026Q2", "2026Q3"]
    assert data["overdue_note"] == FISCAL_DELAY_NOTE and "不视为甲方违约" in FISCAL_DELAY_NOTE
    assert ledger.installment("2026Q3").state_text(ledger.today) == "待结算，逾期 46 天"
    assert "违约" not in ledger.installment("2026Q3").state_text(ledger.today)


def test_deduction_lowers_what_is_payable_and_keeps_its_link(store):
    add_deduction(store, "2026Q2", "1200.00", "5月考核扣减", ref_kind="月度考核", ref_key="2026-05",
                  ref_text="扣减项第3条", on=D(2026, 7, 1))
    ledger = load_ledger(store)
    inst = ledger.installment("2026Q2")
    assert inst.payable == Decimal("323125.20")
    assert ledger.deductions[0].reference == "月度考核 2026-05（扣减项第3条）"
    assert ledger.totals().outstanding == Decimal("1296100.82")


def test_voiding_a_payment_steps_a_paid_installment_back_with_the_reason(store):
    approve(store, "2026Q1")
    pay_id = record_payment(store, "2026Q1", "324325.20", D(2026, 4, 8), "记-0412")
    void_record(store, "payment", pay_id, "金额录错")
    inst = load_ledger(store).installment("2026Q1")
    assert inst.paid == 0 and inst.stage is Stage.APPROVED
    assert inst.steps[-1].reason == "付款作废：金额录错"
    record_payment(store, "2026Q1", "324325.20", D(2026, 4, 8), "记-0412")  # the voucher is free again
    assert check_ledger(store.db.conn) == []


def test_supplementary_agreement_keeps_original_beside_amended_and_allows_the_higher_total(store):
    for period, day in (("2026Q1", D(2026, 4, 2)), ("2026Q2", D(2026, 7, 2)), ("2026Q3", D(2026, 10, 2))):
        approve(store, period, day)
        record_payment(store, period, "324325.20", day + dt.timedelta(days=5), f"记-{period}")
    approve(store, "2026Q4", D(2026, 11, 3), early=True)
    refused(store, lambda: record_payment(store, "2026Q4", "374325.22", D(2026, 11, 20), "记-x", early=True),
            "超过合同总额")
    record_supplement(store, title="补充协议（一）：增加夜间值守", signed_on=D(2026, 11, 2), agreement_no="LT-BC-01",
                      new_total="1347300.82", due_dates={"2026Q4": D(2026, 12, 20)})
    ledger = load_ledger(store)
    q4 = ledger.installment("2026Q4")
    assert ledger.total == Decimal("1347300.82") and ledger.totals().original_total == Decimal("1297300.82")
    assert (q4.original_planned, q4.planned) == (Decimal("324325.22"), Decimal("374325.22"))
    assert (q4.original_due_on, q4.due_on) == (D(2027, 1, 10), D(2026, 12, 20))
    assert "合同总额 ¥1,297,300.82 → ¥1,347,300.82" in ledger.supplements[0].changes
    record_payment(store, "2026Q4", "374325.22", D(2026, 11, 20), "记-x")
    assert load_ledger(store).totals().outstanding == 0
    assert check_ledger(store.db.conn) == []


def test_payee_account_is_stored_as_digits_and_shown_in_groups(store):
    set_payee(store, account_name="北京自腾科技有限公司", bank="工商银行望京支行", account_no="0200 0000 1234 5678 901")
    payee = load_ledger(store).payee
    assert payee.account_no == "0200000012345678901" and payee.account_display == "0200 0000 1234 5678 901"


# --- Bad input: each refused with a clear Chinese message, nothing written -----------------------

@pytest.mark.parametrize("amount, message", [
    ("324325.205", "最多只能有两位小数"),
    ("-100.00", "不能为负数"),
    ("0", "付款金额必须大于零"),
    ("0.00", "付款金额必须大于零"),
    ("三十万", "不是有效的金额"),
    ("32432O.20", "不是有效的金额"),  # the letter O for a zero
    ("324,32,5.20", "逗号或空格位置不对"),
    ("324325,20", "逗号或空格位置不对"),
])
def test_bad_payment_amounts_are_refused(store, amount, message):
    approve(store, "2026Q1")
    refused(store, lambda: record_payment(store, "2026Q1", amount, D(2026, 4, 8), "记-0412"), message)


def test_payment_over_the_contract_total_is_refused(store):
    approve(store, "2026Q1")
    record_payment(store, "2026Q1", "324325.20", D(2026, 4, 8), "记-0412")
    refused(store, lambda: record_payment(store, "2026Q1", "1000000.00", D(2026, 4, 9), "记-0413"),
            "将超过合同总额 ¥1,297,300.82", "请先录入补充协议")


def test_payment_over_the_installment_is_refused(store):
    approve(store, "2026Q1")
    refused(store, lambda: record_payment(store, "2026Q1", "324325.21", D(2026, 4, 8), "记-0412"),
            "本次最多付 ¥324,325.20")


def test_payment_before_its_quarter_began_needs_early_payment(store):
    approve(store, "2026Q4", D(2026, 9, 20), early=True)
    refused(store, lambda: record_payment(store, "2026Q4", "324325.22", D(2026, 9, 28), "记-0930"),
            "早于2026年第4季度开始（2026-10-01）", "提前支付")
    record_payment(store, "2026Q4", "324325.22", D(2026, 9, 28), "记-0930", early=True)
    assert load_ledger(store).payments[0].early


def test_payment_before_approval_is_refused(store):
    step_stage(store, "2026Q1", "送审", D(2026, 4, 1))
    refused(store, lambda: record_payment(store, "2026Q1", "324325.20", D(2026, 4, 8), "记-0412"),
            "尚未审批通过", "审计审核")


def test_duplicate_voucher_future_date_and_payment_before_approval_are_refused(store):
    approve(store, "2026Q1")
    refused(store, lambda: record_payment(store, "2026Q1", "100.00", D(2026, 4, 1), "记-0401"),
            "早于2026年第1季度审批通过的日期（2026-04-02）")
    record_payment(store, "2026Q1", "100.00", D(2026, 4, 8), "记-0412")
    refused(store, lambda: record_payment(store, "2026Q1", "100.00", D(2026, 4, 9), "记-0412"), "凭证号“记-0412”已用于")
    refused(store, lambda: record_payment(store, "2026Q1", "100.00", D(2026, 12, 1), "记-0413"), "晚于今天")


def test_invoice_number_already_used_is_refused(store):
    record_invoice(store, "26112000000000012345", D(2026, 4, 7), "1000.00", ["2026Q1"])
    refused(store, lambda: record_invoice(store, "2611 2000 0000 0001 2345", D(2026, 4, 7), "1000.00", ["2026Q2"]),
            "已登记过", "不能重复登记")
    record_invoice(store, "12345678", D(2026, 4, 7), "1000.00", ["2026Q1"], code="011002600111")
    refused(store, lambda: record_invoice(store, "12345678", D(2026, 4, 8), "1.00", ["2026Q2"], code="011002600111"),
            "011002600111-12345678 已登记过")


@pytest.mark.parametrize("number, code, message", [
    ("2611200000000001234", None, "数电发票号码应为 20 位数字，现在是 19 位"),
    ("261120000000000123456", None, "现在是 21 位"),
    ("25112000000000012345", None, "前两位“25”是开票年度，与开票日期 2026-04-07 不符"),
    ("26992000000000012345", None, "第 3–4 位“99”应为省级行政区划代码"),
    ("2611200000000001234O", None, "第 20 位“O”不是数字（是不是把数字 0 输成了字母 O？）"),
    ("12345678", None, "旧版增值税发票请同时填写"),
    ("1234567", "011002600111", "发票号码应为 8 位数字"),
    ("12345678", "01100260011", "发票代码应为 10 位或 12 位数字，现在是 11 位"),
    ("1234567l", "0110026001", "第 8 位“l”不是数字"),
])
def test_invoice_number_of_the_wrong_shape_is_refused(store, number, code, message):
    refused(store, lambda: record_invoice(store, number, D(2026, 4, 7), "1000.00", ["2026Q1"], code=code), message)


def test_invoice_shapes_accepted():
    assert invoice_identity("26112000000000012345", None, D(2026, 4, 7)) == ("digital", "", "26112000000000012345")
    assert invoice_identity("12345678", "1100261130", D(2026, 4, 7)) == ("coded", "1100261130", "12345678")


def test_invoice_over_what_is_payable_and_bad_tax_rate_are_refused(store):
    refused(store, lambda: record_invoice(store, "26112000000000012345", D(2026, 4, 7), "324325.21", ["2026Q1"]),
            "超过2026年第1季度尚未开票的应付金额 ¥324,325.20")
    refused(store, lambda: record_invoice(store, "26112000000000012345", D(2026, 4, 7), "1.00", ["2026Q1"],
                                          tax_rate="7"), "税率“7”不对")
    refused(store, lambda: record_invoice(store, "26112000000000012345", D(2026, 4, 7), "1.00", []), "请选择")


def test_invoice_covering_two_quarters_is_spread_in_order(store):
    record_invoice(store, "26112000000000012345", D(2026, 7, 7), "400000.00", ["2026Q1", "2026Q2"])
    ledger = load_ledger(store)
    assert ledger.installment("2026Q1").invoiced == Decimal("324325.20")
    assert ledger.installment("2026Q2").invoiced == Decimal("75674.80")


@pytest.mark.parametrize("amounts, message", [
    ({"2026Q1": "324325.20", "2026Q2": "324325.20", "2026Q3": "324325.20", "2026Q4": "324325.20"},
     "相差 ¥0.02（少），分期金额之和必须等于合同总额"),
    ({"2026Q1": "400000.00", "2026Q2": "324325.20", "2026Q3": "324325.20", "2026Q4": "324325.22"},
     "相差 ¥75,674.80（多）"),
    ({"2026Q1": "1297300.82"}, "分期金额缺少：2026年第2季度、2026年第3季度、2026年第4季度"),
])
def test_split_that_does_not_sum_to_the_total_is_refused(store, amounts, message):
    refused(store, lambda: set_split(store, amounts), message)


def test_split_that_sums_is_kept_as_the_original_schedule(store):
    set_split(store, {"2026Q1": "300000.00", "2026Q2": "300000.00", "2026Q3": "300000.00", "2026Q4": "397300.82"})
    q4 = load_ledger(store).installment("2026Q4")
    assert q4.planned == q4.original_planned == Decimal("397300.82") and not q4.amended


def test_status_step_skipped_is_refused(store):
    refused(store, lambda: step_stage(store, "2026Q1", "审计通过", D(2026, 4, 2)),
            "不能跳过“送审”直接到“审计通过”", "待结算→送审→审计通过→审批通过→已支付")
    approve(store, "2026Q1")
    refused(store, lambda: step_stage(store, "2026Q1", "已支付", D(2026, 4, 3)), "尚未付清")


def test_status_step_backwards_without_reason_is_refused(store):
    step_stage(store, "2026Q1", "送审", D(2026, 4, 1))
    step_stage(store, "2026Q1", "审计通过", D(2026, 4, 2))
    refused(store, lambda: step_stage(store, "2026Q1", "送审", D(2026, 4, 3)), "退回到“送审”，请填写原因")
    refused(store, lambda: step_stage(store, "2026Q1", "送审", D(2026, 4, 3), "   "), "请填写原因")


def test_status_bad_words_and_dates_are_refused(store):
    refused(store, lambda: step_stage(store, "2026Q1", "已审核", D(2026, 4, 1)), "“已审核”不是付款状态")
    refused(store, lambda: step_stage(store, "2026Q9", "送审", D(2026, 4, 1)), "“2026Q9”不是本合同的付款期")
    step_stage(store, "2026Q1", "送审", D(2026, 4, 5))
    refused(store, lambda: step_stage(store, "2026Q1", "审计通过", D(2026, 4, 1)), "早于上一步")


def test_deduction_needs_a_reason_and_cannot_go_below_what_is_paid(store):
    refused(store, lambda: add_deduction(store, "2026Q1", "100.00", ""), "扣减原因不能为空")
    refused(store, lambda: add_deduction(store, "2026Q1", "100.001", "x"), "最多只能有两位小数")
    refused(store, lambda: add_deduction(store, "2026Q1", "100.00", "x", ref_kind="考勤"), "不是可关联的记录类型")
    approve(store, "2026Q1")
    record_payment(store, "2026Q1", "324000.00", D(2026, 4, 8), "记-0412")
    refused(store, lambda: add_deduction(store, "2026Q1", "400.00", "考核扣减"), "最多还能扣减 ¥325.20")


def test_supplement_that_changes_nothing_or_cuts_below_paid_is_refused(store):
    refused(store, lambda: record_supplement(store, title="补充协议", signed_on=D(2026, 6, 1)), "没有改变合同总额或付款安排")
    approve(store, "2026Q1")
    record_payment(store, "2026Q1", "324325.20", D(2026, 4, 8), "记-0412")
    refused(store, lambda: record_supplement(store, title="补充协议", signed_on=D(2026, 6, 1), new_total="300000.00"),
            "少于已付")


def test_payee_account_with_letters_is_refused(store):
    refused(store, lambda: set_payee(store, account_name="乙方", bank="工行", account_no="0200O00012345678"),
            "银行账号只能是数字")


def test_check_finds_a_schedule_or_a_status_changed_behind_the_ledger(store):
    approve(store, "2026Q1")
    record_payment(store, "2026Q1", "100000.00", D(2026, 4, 8), "记-0412")
    assert check_ledger(store.db.conn) == []
    store.db.execute("UPDATE ledger_installments SET planned_fen = planned_fen + 1 WHERE period = '2026Q2'")
    store.db.execute("UPDATE ledger_installments SET stage = 'paid' WHERE period = '2026Q1'")
    store.db.execute("UPDATE ledger_invoice_items SET amount_fen = 1")  # none yet: changes nothing
    problems = check_ledger(store.db.conn)
    assert "各期计划金额合计 1,297,300.83 与合同总额 1,297,300.82 不一致" in problems
    assert "2026年第1季度标为已支付，但还有 224,325.20 未付" in problems
    assert "2026年第1季度的付款状态与办理记录不一致" in problems


def test_raising_a_paid_installment_steps_it_back_and_paying_the_rest_settles_it(store):
    approve(store, "2026Q1")
    record_payment(store, "2026Q1", "324325.20", D(2026, 4, 8), "记-0412")
    set_split(store, {"2026Q1": "324325.30", "2026Q2": "324325.10", "2026Q3": "324325.20", "2026Q4": "324325.22"})
    q1 = load_ledger(store).installment("2026Q1")
    assert q1.stage is Stage.APPROVED and q1.outstanding == Decimal("0.10")
    assert q1.steps[-1].reason == "分期金额调整，本期未付清"
    record_payment(store, "2026Q1", "0.10", D(2026, 4, 9), "记-0413")
    assert load_ledger(store).installment("2026Q1").stage is Stage.PAID
    assert check_ledger(store.db.conn) == []


# --- early payment (三) and late payment kept visible ---------------------------------------------

def test_a_quarter_sent_before_its_service_ends_is_an_early_payment_the_clerk_confirms(store):
    """三 allows early payment when the treasury requires it: not forbidden, never by accident."""
    err = refused(store, lambda: step_stage(store, "2026Q4", "送审", D(2026, 11, 25)),
                  "服务期到 2026-12-31 才结束", "提前支付", "合同第三条", "--early")
    assert err.field == "early"
    refused(store, lambda: step_stage(store, "2026Q3", "送审", D(2026, 9, 30)), "提前支付")  # its last day is served
    inst = step_stage(store, "2026Q4", "送审", D(2026, 11, 25), "区财政要求年底前支付", early=True)
    assert inst.submitted_early and inst.state_text(D(2026, 11, 25)) == "送审（2026-11-25），提前支付"
    assert inst.steps[-1].reason == "提前支付：服务期至 2026-12-31 尚未结束（合同第三条，财政国库支付要求）；区财政要求年底前支付"
    summary = store.db.execute("SELECT summary FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert summary.endswith("待结算→送审（提前支付）")
    for stage in ("审计通过", "审批通过"):  # the later steps need no second confirmation
        inst = step_stage(store, "2026Q4", stage, D(2026, 11, 25))
    assert inst.submitted_early and schedule_json(load_ledger(store))[3]["submitted_early"] is True
    assert inst.months_not_over(D(2026, 11, 25)) == [11, 12]


def test_a_quarter_sent_after_it_ended_needs_no_confirmation_and_is_not_early(store):
    inst = step_stage(store, "2026Q1", "送审", D(2026, 4, 1), early=True)  # the flag changes nothing then
    assert not inst.submitted_early and inst.steps[-1].reason == ""
    assert inst.state_text(D(2026, 4, 1)) == "送审（2026-04-01）"


def test_a_late_payment_keeps_its_late_days_once_paid_never_as_a_breach(store):
    approve(store, "2026Q2", D(2026, 7, 2))
    record_payment(store, "2026Q2", "324325.20", D(2026, 7, 16), "记-0735")  # due 07-10: six days late
    approve(store, "2026Q1", D(2026, 4, 2))
    record_payment(store, "2026Q1", "324325.20", D(2026, 4, 9), "记-0412")  # on time
    ledger = load_ledger(store, D(2026, 11, 25))
    q1, q2 = ledger.installment("2026Q1"), ledger.installment("2026Q2")
    assert q2.overdue_days(ledger.today) == 0 and q2.paid_late_days() == 6 and q2.late_days(ledger.today) == 6
    assert q2.state_text(ledger.today) == "已支付（2026-07-16），逾期 6 天支付"
    assert q1.late_days(ledger.today) == 0 and q1.state_text(ledger.today) == "已支付（2026-04-09）"
    assert [row["paid_late_days"] for row in schedule_json(ledger)[:2]] == [0, 6]
    assert "违约" not in q2.state_text(ledger.today)
