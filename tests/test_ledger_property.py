"""Property: no sequence of records and corrections makes the ledger's totals disagree with
the sum of its records. Random steps, payments, invoices, deductions, splits, agreements
and voids are thrown at a fresh ledger; a refused one must write nothing, and after every
action the totals, each installment and `check` agree with plain SQL sums of the records."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import ValidationError
from app.ledger import Stage, check_ledger, load_ledger
from app.ledger_records import (add_deduction, record_invoice, record_payment, record_supplement, set_split,
                                step_stage, void_record)
from app.money import from_fen
from app.store import open_memory_store
from app.store.check import check_audit_agrees

PERIODS = ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
fen = st.integers(min_value=-100, max_value=40_000_000)  # up to ¥400,000.00, now and then ≤ 0
period = st.sampled_from(PERIODS)
day = st.dates(min_value=dt.date(2025, 12, 1), max_value=dt.date(2026, 11, 30))

share = st.one_of(st.integers(1, 100), fen.map(lambda f: -f - 1000))  # % of what is left, or raw fen
operation = st.one_of(
    st.tuples(st.just("step"), period, st.sampled_from(list(Stage)), day, st.sampled_from(["", "退回重审"])),
    st.tuples(st.just("advance"), period, st.sampled_from(["", "退回重审"])),
    st.tuples(st.just("pay"), period, share, day, st.booleans()),
    st.tuples(st.just("pay"), period, share, st.dates(dt.date(2026, 10, 1), dt.date(2026, 11, 25)), st.booleans()),
    st.tuples(st.just("invoice"), st.lists(period, min_size=1, max_size=2), fen, day, st.integers(0, 30)),
    st.tuples(st.just("deduct"), period, fen, day),
    st.tuples(st.just("void"), st.sampled_from(["payment", "invoice", "deduction"]), st.integers(1, 6), day),
    st.tuples(st.just("split"), st.lists(fen, min_size=3, max_size=3)),
    st.tuples(st.just("supplement"), fen, day),
)


def _yuan(f: int) -> str:
    return f"{from_fen(abs(f)):.2f}" if f >= 0 else f"-{from_fen(-f):.2f}"


def apply(store, op, serial: int) -> None:
    kind = op[0]
    if kind == "step":
        _, p, stage, d, reason = op
        step_stage(store, p, stage, d, reason)
    elif kind == "advance":  # on to 审批通过, or (with a reason) one step back
        _, p, reason = op
        stage = load_ledger(store).installment(p).stage
        if reason and stage.rank:
            step_stage(store, p, list(Stage)[stage.rank - 1], dt.date(2026, 11, 25), reason)  # last: no step after it
        for to in list(Stage)[stage.rank + 1: Stage.APPROVED.rank + 1] if not reason else ():
            step_stage(store, p, to, max(dt.date(2026, 1, 1), _last_step(store, p)),  # 送审, 审计通过, 审批通过
                       early=True)  # a quarter not yet over is sent early, confirmed (三)
    elif kind == "pay":
        _, p, f, d, early = op
        if f > 0:  # a share of what is still to pay on it
            left = load_ledger(store).installment(p).outstanding
            f = int(left * f)  # fen: outstanding yuan × percent
        else:
            f = -f - 1000
        record_payment(store, p, _yuan(f), d, f"记-{serial}", early=early)
    elif kind == "invoice":
        _, ps, f, d, n = op
        record_invoice(store, f"{d.year % 100:02d}11200000000000{n:04d}", d, _yuan(f), ps)
    elif kind == "deduct":
        _, p, f, d = op
        add_deduction(store, p, _yuan(f), "考核扣减", on=d)
    elif kind == "void":
        _, what, record_id, d = op
        table = {"payment": "ledger_payments", "invoice": "ledger_invoices", "deduction": "ledger_deductions"}[what]
        if not store.db[table].count_where("id = ?", [record_id]):
            return
        void_record(store, what, record_id, "录错", d if d >= dt.date(2026, 1, 1) else None)
    elif kind == "split":
        total = load_ledger(store).total
        first = [from_fen(abs(f)) for f in op[1]]
        set_split(store, dict(zip(PERIODS, [*first, total - sum(first)])))
    elif kind == "supplement":
        _, f, d = op
        record_supplement(store, title="补充协议", signed_on=d, new_total=_yuan(f + 129_730_082))


def _last_step(store, period: str) -> dt.date:
    steps = load_ledger(store).installment(period).steps
    return steps[-1].stepped_on if steps else dt.date(2026, 1, 1)


def sums(store) -> dict[str, Decimal]:
    def one(sql: str) -> Decimal:
        return from_fen(store.db.execute(sql).fetchone()[0] or 0)

    return {
        "paid": one("SELECT SUM(amount_fen) FROM ledger_payments WHERE voided_on IS NULL"),
        "invoiced": one("SELECT SUM(amount_fen) FROM ledger_invoices WHERE voided_on IS NULL"),
        "deductions": one("SELECT SUM(amount_fen) FROM ledger_deductions WHERE voided_on IS NULL"),
        "planned": one("SELECT SUM(planned_fen) FROM ledger_installments"),
    }


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=18))
def test_totals_always_equal_the_sum_of_their_records(ops):
    store = open_memory_store()
    try:
        for serial, op in enumerate(ops):
            if op[0] == "pay":  # most payments come after approval: take it there first
                try:
                    apply(store, ("advance", op[1], ""), serial)
                except ValidationError:
                    pass
            before = store.db["audit_log"].count
            try:
                apply(store, op, serial)
            except ValidationError:
                assert store.db["audit_log"].count == before, f"refused {op[0]} wrote to the log"
                continue
            ledger = load_ledger(store)
            t = ledger.totals()
            if not ledger.stored:
                continue
            raw = sums(store)
            assert (t.paid, t.invoiced, t.deductions, t.planned) == (
                raw["paid"], raw["invoiced"], raw["deductions"], raw["planned"])
            assert t.planned == ledger.total
            assert t.outstanding == ledger.total - raw["deductions"] - raw["paid"]
            assert 0 <= t.paid <= ledger.total
            for inst in ledger.installments:
                assert 0 <= inst.paid <= inst.payable
                assert inst.invoiced <= inst.payable
                assert (inst.stage is Stage.PAID) <= (inst.outstanding == 0)
                assert sum(p.amount for p in ledger.payments_of(inst.period) if p.active) == inst.paid
            assert sum((p.uncovered for p in ledger.payments if p.active), Decimal(0)) == sum(
                (i.uninvoiced for i in ledger.installments), Decimal(0))
            assert check_ledger(store.db.conn) == []
        assert check_audit_agrees(store.db.conn) == []
    finally:
        store.close()
