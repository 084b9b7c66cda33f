"""The demo's payment ledger: a realistic year up to late November 2026.

Q1–Q3 went through audit and approval, were paid and invoiced (数电发票, 6%); Q2 carries a
deduction tied to May's service assessment and was paid a few days after its due date
(逾期, a fiscal delay — not a breach); Q3 was paid in two parts after one invoice; Q4's
service is still running and its fee falls due 2027-01-10. The bank account is invented.
"""
from __future__ import annotations

import datetime as dt

from app.ledger_records import add_deduction, record_invoice, record_payment, set_payee, step_stage
from app.store.store import Store

D = dt.date


def fill_demo_ledger(store: Store) -> None:
    set_payee(store, account_name="北京自腾科技有限公司", bank="中国工商银行北京望京支行（演示）",
              account_no="0200 0000 0000 0012 345", department="龙潭街道接诉即办工作专班")
    _walk(store, "2026Q1", (D(2026, 4, 2), D(2026, 4, 3), D(2026, 4, 7)))
    record_invoice(store, "26112000000004120011", D(2026, 4, 7), "324325.20", ["2026Q1"])
    record_payment(store, "2026Q1", "324325.20", D(2026, 4, 9), "记-0412")

    add_deduction(store, "2026Q2", "1200.00", "5月服务考核：接派单岗位 5 月 12 日夜间值守空岗 2 小时，按考核细则扣减。",
                  ref_kind="assessment", ref_key="2026-05", ref_text="5月月度服务考核，扣减项第3条",
                  on=D(2026, 7, 1))
    _walk(store, "2026Q2", (D(2026, 7, 2), D(2026, 7, 8), D(2026, 7, 13)))
    record_invoice(store, "26112000000007130027", D(2026, 7, 13), "323125.20", ["2026Q2"])
    record_payment(store, "2026Q2", "323125.20", D(2026, 7, 16), "记-0735", note="区财政资金7月15日拨付")

    _walk(store, "2026Q3", (D(2026, 10, 9), D(2026, 10, 13), D(2026, 10, 14)))
    record_invoice(store, "26112000000010140033", D(2026, 10, 14), "324325.20", ["2026Q3"])
    record_payment(store, "2026Q3", "200000.00", D(2026, 10, 16), "记-1021", note="财政资金分批拨付，第一笔")
    record_payment(store, "2026Q3", "124325.20", D(2026, 10, 29), "记-1048", note="第二笔，付清")


def _walk(store: Store, period: str, days: tuple[dt.date, dt.date, dt.date]) -> None:
    for stage, day in zip(("送审", "审计通过", "审批通过"), days):
        step_stage(store, period, stage, day)
