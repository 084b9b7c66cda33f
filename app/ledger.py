"""付款台账: the contract's money (clauses 三, 五.5, 九.1), read side.

The contract fee is paid by quarter, each quarter's fee before the 10th of the next quarter,
only after the office's audit (审计审核) and internal approval. An installment moves
待结算 → 送审 → 审计通过 → 审批通过 → 已支付; a late payment is shown as 逾期 with the
contract's own words that a delay of fiscal funds is not a breach (三, 六.2).

The schedule is stored once the clerk first records something against it; until then
`load_ledger` shows the default split computed here, so reading never writes. The writes
(payments, invoices, deductions, steps, splits, supplementary agreements) are in
`app.ledger_records`; every figure on screen, on paper and in `check` is summed here from
the records, never kept as a running total that could drift.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from app import clock
from app.contract import Contract, active_contract
from app.errors import ValidationError
from app.labels import VALUE_LABELS
from app.money import FEN, from_fen
from app.store.store import Store

ZERO = Decimal("0.00")
# 三 and 六.2, quoted wherever an installment is late: the office's late payment is 逾期,
# never a breach.
FISCAL_DELAY_NOTE = ("合同第三条：因甲方财政资金紧张、财政资金拨付不及时等原因导致甲方不能按期支付的，"
                     "不视为甲方违约。")


class Stage(StrEnum):
    PENDING = "pending"
    SUBMITTED = "submitted"
    AUDITED = "audited"
    APPROVED = "approved"
    PAID = "paid"

    @property
    def label(self) -> str:
        return VALUE_LABELS["stage"][self.value]

    @property
    def rank(self) -> int:
        return list(Stage).index(self)

    @classmethod
    def parse(cls, text: str) -> "Stage":
        text = (text or "").strip()
        for stage in cls:
            if text in (stage.value, stage.label):
                return stage
        raise ValidationError(
            f"“{text}”不是付款状态，应为：" + "、".join(s.label for s in cls) + "。", "stage")


class RefKind(StrEnum):
    """What a deduction refers to, kept by other parts of the program."""
    ASSESSMENT = "assessment"
    ROSTER = "roster"
    CURE_NOTICE = "cure_notice"

    @property
    def label(self) -> str:
        return VALUE_LABELS["ref_kind"][self.value]

    @classmethod
    def parse(cls, text: str | None) -> "RefKind | None":
        text = (text or "").strip()
        if not text:
            return None
        for kind in cls:
            if text in (kind.value, kind.label):
                return kind
        raise ValidationError(
            f"“{text}”不是可关联的记录类型，应为：" + "、".join(k.label for k in cls) + "。", "ref_kind")


@dataclass(frozen=True)
class Quarter:
    seq: int
    period: str  # 2026Q1
    start_on: dt.date
    end_on: dt.date
    due_on: dt.date

    @property
    def label(self) -> str:
        return period_label(self.period)

    @property
    def days(self) -> int:
        return (self.end_on - self.start_on).days + 1


def period_label(period: str) -> str:
    """2026Q1 → 2026年第1季度."""
    return f"{period[:4]}年第{period[5:]}季度"


def parse_period(text: str, periods: list[str]) -> str:
    """"2026Q1", "2026q1", "2026年第1季度", "Q1" → the period; refused if not in the schedule."""
    raw = (text or "").strip()
    cleaned = raw.upper().replace("年第", "Q").replace("季度", "").replace(" ", "")
    if cleaned.startswith("Q") and periods:
        cleaned = periods[0][:4] + cleaned
    if cleaned in periods:
        return cleaned
    raise ValidationError(f"“{raw}”不是本合同的付款期，应为：" + "、".join(periods) + "。", "period")


def contract_quarters(contract: Contract) -> list[Quarter]:
    """The calendar quarters of the service period (clause 二), clipped to it, each due on
    the `payment_due_day` of the quarter after (clause 三: 次季度的 10 日前)."""
    quarters: list[Quarter] = []
    year, q = contract.start_date.year, (contract.start_date.month - 1) // 3 + 1
    while True:
        q_start = dt.date(year, 3 * q - 2, 1)
        if q_start > contract.end_date:
            break
        next_year, next_q = (year + 1, 1) if q == 4 else (year, q + 1)
        next_start = dt.date(next_year, 3 * next_q - 2, 1)
        q_end = next_start - dt.timedelta(days=1)
        due_day = contract.payment_due_day or 10
        quarters.append(Quarter(
            len(quarters) + 1, f"{year}Q{q}", max(q_start, contract.start_date),
            min(q_end, contract.end_date), next_start.replace(day=due_day)))
        year, q = next_year, next_q
    return quarters


def _is_whole(quarter: Quarter) -> bool:
    return quarter.start_on.day == 1 and quarter.start_on.month % 3 == 1 and \
        (quarter.end_on + dt.timedelta(days=1)).month % 3 == 1 and (quarter.end_on + dt.timedelta(days=1)).day == 1


def default_split(total: Decimal, quarters: list[Quarter]) -> list[Decimal]:
    """The default installments, to the fen, summing exactly to `total`.

    Equal quarters, the fen left over on the last one: 1,297,300.82 → 324,325.20 three
    times and 324,325.22 once. Clause 三 prices a year of service and pays it "按季度",
    and a finance office reads a quarterly fee as the annual fee divided by four — the
    figure the vendor invoices and an auditor checks by eye. Splitting by days of service
    (90, 91, 92, 92 days in 2026) would give four different odd amounts for the same
    service every quarter. Only when the service period starts or ends inside a quarter
    (a contract signed mid-quarter, a period cut short by a supplementary agreement) are
    the quarters unequal, and then the split follows the days served, each quarter
    rounded down to the fen and the remainder on the last.
    """
    total_fen = int(total * 100)
    n = len(quarters)
    if n == 0:
        return []
    if all(_is_whole(q) for q in quarters):
        shares = [total_fen // n] * n
    else:
        days = sum(q.days for q in quarters)
        shares = [total_fen * q.days // days for q in quarters]
    shares[-1] = total_fen - sum(shares[:-1])
    return [from_fen(s) for s in shares]


@dataclass(frozen=True)
class Step:
    from_stage: Stage
    to_stage: Stage
    stepped_on: dt.date
    operator: str
    reason: str = ""

    @property
    def backwards(self) -> bool:
        return self.to_stage.rank < self.from_stage.rank


@dataclass(frozen=True)
class Deduction:
    id: int
    period: str
    amount: Decimal
    reason: str
    ref_kind: RefKind | None
    ref_key: str
    ref_text: str
    recorded_on: dt.date
    voided_on: dt.date | None = None
    void_reason: str = ""

    @property
    def active(self) -> bool:
        return self.voided_on is None

    @property
    def reference(self) -> str:
        """关联：月度考核 2026-03（……）"""
        if not self.ref_kind:
            return self.ref_text
        text = f"{self.ref_kind.label} {self.ref_key}".strip()
        return f"{text}（{self.ref_text}）" if self.ref_text else text


@dataclass(frozen=True)
class Payment:
    id: int
    period: str
    paid_on: dt.date
    amount: Decimal
    voucher: str
    early: bool
    note: str = ""
    voided_on: dt.date | None = None
    void_reason: str = ""
    uncovered: Decimal = ZERO  # the part of it no invoice covers yet (五.5)

    @property
    def active(self) -> bool:
        return self.voided_on is None


@dataclass(frozen=True)
class Invoice:
    id: int
    kind: str  # digital | coded
    code: str  # 发票代码 of the older invoices, "" for 数电发票
    number: str
    issued_on: dt.date
    amount: Decimal
    tax_rate: str
    items: tuple[tuple[str, Decimal], ...]  # (period, amount) it covers
    note: str = ""
    voided_on: dt.date | None = None
    void_reason: str = ""

    @property
    def active(self) -> bool:
        return self.voided_on is None

    @property
    def display_number(self) -> str:
        return f"{self.code}-{self.number}" if self.code else self.number

    @property
    def kind_label(self) -> str:
        return VALUE_LABELS["invoice_kind"][self.kind]

    @property
    def tax_label(self) -> str:
        return self.tax_rate if self.tax_rate == "免税" else f"{self.tax_rate}%"

    @property
    def periods_label(self) -> str:
        return "、".join(period_label(p) for p, _ in self.items)


@dataclass(frozen=True)
class Supplement:
    id: int
    agreement_no: str
    signed_on: dt.date
    title: str
    total: Decimal
    previous_total: Decimal
    changes: str
    note: str = ""


@dataclass(frozen=True)
class Payee:
    account_name: str
    bank: str
    account_no: str
    department: str

    @property
    def account_display(self) -> str:
        """6222 0012 3456 7890 123: groups of four, as printed on a bank card."""
        return " ".join(self.account_no[i:i + 4] for i in range(0, len(self.account_no), 4))


@dataclass(frozen=True)
class Installment:
    id: int | None  # None until the schedule is first stored
    seq: int
    period: str
    start_on: dt.date
    end_on: dt.date
    due_on: dt.date
    planned: Decimal
    original_planned: Decimal
    original_due_on: dt.date
    stage: Stage
    steps: tuple[Step, ...] = ()
    deductions: Decimal = ZERO
    paid: Decimal = ZERO
    invoiced: Decimal = ZERO
    note: str = ""

    @property
    def label(self) -> str:
        return period_label(self.period)

    @property
    def payable(self) -> Decimal:
        return self.planned - self.deductions

    @property
    def outstanding(self) -> Decimal:
        return self.payable - self.paid

    @property
    def uninvoiced(self) -> Decimal:
        """Paid but not covered by an invoice (五.5)."""
        return max(ZERO, self.paid - self.invoiced)

    @property
    def amended(self) -> bool:
        return self.planned != self.original_planned or self.due_on != self.original_due_on

    def overdue_days(self, today: dt.date) -> int:
        """Days past the due date with money still to pay; 0 when not late."""
        if self.outstanding <= 0 or today <= self.due_on:
            return 0
        return (today - self.due_on).days

    def last_step(self, stage: Stage) -> Step | None:
        for step in reversed(self.steps):
            if step.to_stage is stage:
                return step
        return None

    def state_text(self, today: dt.date) -> str:
        """待结算 / 审批通过（2026-04-02）/ 已支付 …, with 逾期 N 天 when late."""
        step = self.last_step(self.stage)
        text = self.stage.label + (f"（{step.stepped_on.isoformat()}）" if step else "")
        late = self.overdue_days(today)
        return f"{text}，逾期 {late} 天" if late else text


@dataclass(frozen=True)
class Totals:
    total: Decimal  # in force, after any supplementary agreement
    original_total: Decimal  # as signed
    planned: Decimal
    deductions: Decimal
    payable: Decimal
    paid: Decimal
    invoiced: Decimal
    outstanding: Decimal
    paid_percent: Decimal
    next_due: Installment | None

    def as_json(self) -> dict[str, Any]:
        nxt = self.next_due
        return {
            "total": f"{self.total:.2f}",
            "original_total": f"{self.original_total:.2f}",
            "deductions": f"{self.deductions:.2f}",
            "payable": f"{self.payable:.2f}",
            "paid": f"{self.paid:.2f}",
            "invoiced": f"{self.invoiced:.2f}",
            "outstanding": f"{self.outstanding:.2f}",
            "paid_percent": f"{self.paid_percent:.2f}",
            "next_due": nxt.due_on.isoformat() if nxt else None,
            "next_due_period": nxt.period if nxt else None,
            "next_due_amount": f"{nxt.outstanding:.2f}" if nxt else None,
        }


@dataclass(frozen=True)
class Ledger:
    contract: Contract
    installments: tuple[Installment, ...]
    payments: tuple[Payment, ...]
    invoices: tuple[Invoice, ...]
    deductions: tuple[Deduction, ...]
    supplements: tuple[Supplement, ...]
    payee: Payee | None
    today: dt.date
    stored: bool  # False: the default schedule, not written yet

    @property
    def total(self) -> Decimal:
        return self.supplements[-1].total if self.supplements else self.contract.total

    @property
    def periods(self) -> list[str]:
        return [i.period for i in self.installments]

    def installment(self, period: str) -> Installment:
        period = parse_period(period, self.periods)
        return next(i for i in self.installments if i.period == period)

    def payments_of(self, period: str) -> list[Payment]:
        return [p for p in self.payments if p.period == period]

    def invoices_of(self, period: str) -> list[Invoice]:
        return [inv for inv in self.invoices if any(p == period for p, _ in inv.items)]

    def deductions_of(self, period: str) -> list[Deduction]:
        return [d for d in self.deductions if d.period == period]

    @property
    def uncovered_payments(self) -> list[Payment]:
        return [p for p in self.payments if p.active and p.uncovered > 0]

    def totals(self) -> Totals:
        live = self.installments
        paid = sum((i.paid for i in live), ZERO)
        deductions = sum((i.deductions for i in live), ZERO)
        total = self.total
        payable = total - deductions
        percent = (paid * 100 / total).quantize(FEN) if total else ZERO
        return Totals(
            total=total, original_total=self.contract.total,
            planned=sum((i.planned for i in live), ZERO), deductions=deductions, payable=payable,
            paid=paid, invoiced=sum((inv.amount for inv in self.invoices if inv.active), ZERO),
            outstanding=payable - paid, paid_percent=percent,
            next_due=next((i for i in live if i.outstanding > 0), None),
        )

    def paid_before(self, period: str) -> Decimal:
        """Paid on the contract before this installment's own payments (付款申请单)."""
        inst = self.installment(period)
        return sum((i.paid for i in self.installments if i.seq < inst.seq), ZERO)


# --- reading -------------------------------------------------------------------------------

def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _fen(value: int | None) -> Decimal:
    return from_fen(value or 0)


def load_ledger(store: Store, today: dt.date | None = None, contract: Contract | None = None) -> Ledger:
    """The whole ledger of the active contract, summed from its records."""
    contract = contract or active_contract(store)
    today = today or clock.today()
    db = store.db
    rows = list(db.query("SELECT * FROM ledger_installments WHERE contract_id = ? ORDER BY seq", [contract.id]))
    stored = bool(rows)
    if not stored:
        quarters = contract_quarters(contract)
        rows = [
            {"id": None, "seq": q.seq, "period": q.period, "start_on": q.start_on.isoformat(),
             "end_on": q.end_on.isoformat(), "due_on": q.due_on.isoformat(), "planned_fen": int(a * 100),
             "original_planned_fen": int(a * 100), "original_due_on": q.due_on.isoformat(),
             "stage": Stage.PENDING.value, "note": ""}
            for q, a in zip(quarters, default_split(contract.total, quarters))
        ]
    period_of = {r["id"]: r["period"] for r in rows if r["id"] is not None}
    ids = list(period_of) or [-1]
    marks = ",".join("?" * len(ids))

    steps: dict[str, list[Step]] = {}
    for r in db.query(f"SELECT * FROM ledger_stage_steps WHERE installment_id IN ({marks}) ORDER BY id", ids):
        steps.setdefault(period_of[r["installment_id"]], []).append(Step(
            Stage(r["from_stage"]), Stage(r["to_stage"]), dt.date.fromisoformat(r["stepped_on"]),
            r["operator"], r["reason"] or ""))
    deductions = tuple(
        Deduction(r["id"], period_of[r["installment_id"]], _fen(r["amount_fen"]), r["reason"],
                  RefKind(r["ref_kind"]) if r["ref_kind"] else None, r["ref_key"] or "", r["ref_text"] or "",
                  dt.date.fromisoformat(r["recorded_on"]), _date(r["voided_on"]), r["void_reason"] or "")
        for r in db.query(f"SELECT * FROM ledger_deductions WHERE installment_id IN ({marks}) ORDER BY id", ids))
    payment_rows = list(db.query(
        f"SELECT * FROM ledger_payments WHERE installment_id IN ({marks}) ORDER BY paid_on, id", ids))
    items: dict[int, list[tuple[str, Decimal]]] = {}
    for r in db.query(f"SELECT * FROM ledger_invoice_items WHERE installment_id IN ({marks}) ORDER BY id", ids):
        items.setdefault(r["invoice_id"], []).append((period_of[r["installment_id"]], _fen(r["amount_fen"])))
    invoices = tuple(
        Invoice(r["id"], r["invoice_kind"], r["invoice_code"] or "", r["invoice_no"],
                dt.date.fromisoformat(r["issued_on"]), _fen(r["amount_fen"]), r["tax_rate"],
                tuple(items.get(r["id"], ())), r["note"] or "", _date(r["voided_on"]), r["void_reason"] or "")
        for r in db.query("SELECT * FROM ledger_invoices WHERE contract_id = ? ORDER BY issued_on, id", [contract.id]))

    def sum_by_period(records: Any, amount: Any) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for rec in records:
            period, value = amount(rec)
            if period is not None:
                out[period] = out.get(period, ZERO) + value
        return out

    deducted = sum_by_period(deductions, lambda d: (d.period if d.active else None, d.amount))
    paid = sum_by_period(payment_rows, lambda r: (
        None if r["voided_on"] else period_of[r["installment_id"]], _fen(r["amount_fen"])))
    invoiced = sum_by_period(
        [(p, a) for inv in invoices if inv.active for p, a in inv.items], lambda pa: pa)

    # 五.5: walk each installment's payments in date order; what the invoices of the
    # installment do not cover is the payment's uncovered part.
    running: dict[str, Decimal] = {}
    payments: list[Payment] = []
    for r in payment_rows:
        period = period_of[r["installment_id"]]
        amount = _fen(r["amount_fen"])
        uncovered = ZERO
        if not r["voided_on"]:
            before = running.get(period, ZERO)
            running[period] = before + amount
            cover = invoiced.get(period, ZERO)
            uncovered = min(amount, max(ZERO, running[period] - max(cover, before)))
        payments.append(Payment(r["id"], period, dt.date.fromisoformat(r["paid_on"]), amount, r["voucher"],
                                bool(r["early"]), r["note"] or "", _date(r["voided_on"]), r["void_reason"] or "",
                                uncovered))
    installments = tuple(
        Installment(
            r["id"], r["seq"], r["period"], dt.date.fromisoformat(r["start_on"]), dt.date.fromisoformat(r["end_on"]),
            dt.date.fromisoformat(r["due_on"]), _fen(r["planned_fen"]), _fen(r["original_planned_fen"]),
            dt.date.fromisoformat(r["original_due_on"]), Stage(r["stage"]), tuple(steps.get(r["period"], ())),
            deducted.get(r["period"], ZERO), paid.get(r["period"], ZERO), invoiced.get(r["period"], ZERO),
            r["note"] or "")
        for r in rows)
    supplements = tuple(
        Supplement(r["id"], r["agreement_no"] or "", dt.date.fromisoformat(r["signed_on"]), r["title"],
                   _fen(r["total_fen"]), _fen(r["previous_total_fen"]), r["changes"] or "", r["note"] or "")
        for r in db.query("SELECT * FROM ledger_supplements WHERE contract_id = ? ORDER BY id", [contract.id]))
    payee_row = next(db.query("SELECT * FROM ledger_payee WHERE contract_id = ?", [contract.id]), None)
    payee = Payee(payee_row["account_name"], payee_row["bank"] or "", payee_row["account_no"] or "",
                  payee_row["department"] or "") if payee_row else None
    return Ledger(contract, installments, tuple(payments), invoices, deductions, supplements, payee, today, stored)


def schedule_json(ledger: Ledger) -> list[dict[str, Any]]:
    """`python -m app schedule --json`: amounts as strings with two decimals."""
    out = []
    for i in ledger.installments:
        late = i.overdue_days(ledger.today)
        out.append({
            "period": i.period,
            "label": i.label,
            "start": i.start_on.isoformat(),
            "end": i.end_on.isoformat(),
            "due": i.due_on.isoformat(),
            "planned": f"{i.planned:.2f}",
            "deductions": f"{i.deductions:.2f}",
            "payable": f"{i.payable:.2f}",
            "paid": f"{i.paid:.2f}",
            "invoiced": f"{i.invoiced:.2f}",
            "outstanding": f"{i.outstanding:.2f}",
            "status": i.stage.label,
            "status_code": i.stage.value,
            "overdue_days": late,
            "original_planned": f"{i.original_planned:.2f}",
            "original_due": i.original_due_on.isoformat(),
            "steps": [{"from": s.from_stage.label, "to": s.to_stage.label, "date": s.stepped_on.isoformat(),
                       "operator": s.operator, "reason": s.reason} for s in i.steps],
        })
    return out


def ledger_json(ledger: Ledger) -> dict[str, Any]:
    data = ledger.totals().as_json()
    data["overdue"] = [
        {"period": i.period, "due": i.due_on.isoformat(), "days": i.overdue_days(ledger.today),
         "outstanding": f"{i.outstanding:.2f}"}
        for i in ledger.installments if i.overdue_days(ledger.today)]
    if data["overdue"]:
        data["overdue_note"] = FISCAL_DELAY_NOTE
    data["payments"] = [
        {"id": p.id, "period": p.period, "date": p.paid_on.isoformat(), "amount": f"{p.amount:.2f}",
         "voucher": p.voucher, "early": p.early, "note": p.note,
         "voided": p.voided_on.isoformat() if p.voided_on else None} for p in ledger.payments]
    data["invoices"] = [
        {"id": v.id, "number": v.display_number, "date": v.issued_on.isoformat(), "amount": f"{v.amount:.2f}",
         "tax_rate": v.tax_label, "periods": [p for p, _ in v.items],
         "voided": v.voided_on.isoformat() if v.voided_on else None} for v in ledger.invoices]
    data["deductions"] = [
        {"id": d.id, "period": d.period, "amount": f"{d.amount:.2f}", "reason": d.reason, "reference": d.reference,
         "voided": d.voided_on.isoformat() if d.voided_on else None} for d in ledger.deductions]
    data["uninvoiced_payments"] = [
        {"period": p.period, "date": p.paid_on.isoformat(), "voucher": p.voucher, "amount": f"{p.amount:.2f}",
         "uncovered": f"{p.uncovered:.2f}"} for p in ledger.uncovered_payments]
    return data


# --- `python -m app check` ----------------------------------------------------------------------

def check_ledger(conn: Any) -> list[str]:
    """For `check`: the installments sum to the contract total in force; the ledger's totals
    (as the tab, the forms and `ledger --json` show them) agree with plain sums of the
    records; no installment is paid beyond what is payable, no invoice splits into more or
    less than its amount, and 已支付 means fully paid."""
    from app.store.sqlite import database

    store = Store(database(conn), None, operator="检查")
    contract = active_contract(store)
    ledger = load_ledger(store, contract=contract)
    if not ledger.stored:
        return []
    problems = []
    planned = sum((i.planned for i in ledger.installments), ZERO)
    if planned != ledger.total:
        problems.append(f"各期计划金额合计 {planned:,.2f} 与合同总额 {ledger.total:,.2f} 不一致")
    ids = [i.id for i in ledger.installments]
    marks = ",".join("?" * len(ids))

    def fen(sql: str, params: list[Any]) -> Decimal:
        return from_fen(conn.execute(sql, params).fetchone()[0] or 0)

    totals = ledger.totals()
    for what, shown, sql, params in (
        ("已付", totals.paid, f"SELECT SUM(amount_fen) FROM ledger_payments WHERE voided_on IS NULL "
                              f"AND installment_id IN ({marks})", ids),
        ("扣减", totals.deductions, f"SELECT SUM(amount_fen) FROM ledger_deductions WHERE voided_on IS NULL "
                                  f"AND installment_id IN ({marks})", ids),
        ("已开票", totals.invoiced, "SELECT SUM(amount_fen) FROM ledger_invoices WHERE voided_on IS NULL "
                                   "AND contract_id = ?", [contract.id]),
    ):
        recorded = fen(sql, params)
        if recorded != shown:
            problems.append(f"台账显示{what} {shown:,.2f}，记录合计 {recorded:,.2f}")
    if totals.paid > ledger.total:
        problems.append(f"已付 {totals.paid:,.2f} 超过合同总额 {ledger.total:,.2f}")
    for inst in ledger.installments:
        if inst.paid > inst.payable:
            problems.append(f"{inst.label}已付 {inst.paid:,.2f} 超过应付 {inst.payable:,.2f}")
        if inst.stage is Stage.PAID and inst.outstanding > 0:
            problems.append(f"{inst.label}标为已支付，但还有 {inst.outstanding:,.2f} 未付")
        if inst.stage is not (inst.steps[-1].to_stage if inst.steps else Stage.PENDING):
            problems.append(f"{inst.label}的付款状态与办理记录不一致")
    for inv in ledger.invoices:
        spread = sum((a for _, a in inv.items), ZERO)
        if spread != inv.amount:
            problems.append(f"发票 {inv.display_number} 金额 {inv.amount:,.2f}，对应各期合计 {spread:,.2f}")
    return problems
