"""付款台账, write side: every record the clerk makes, checked here once for the tab, the
command line and the demo. Each function is one audited `store.action`; a refusal is a
ValidationError in Chinese raised before anything is written.

A record is never deleted: a payment, invoice or deduction entered by mistake is voided
(作废) with a reason, and stays visible in the ledger and the change history.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from typing import Mapping

from app.errors import ValidationError
from app.ledger import (EARLY_PAYMENT_NOTE, ZERO, Installment, Ledger, RefKind, Stage, load_ledger, parse_period,
                        period_label)
from app.money import FEN, format_yuan, parse_amount, to_fen
from app.store.store import Action, Store
from app.validation import check_text

TAX_RATES = ("6", "3", "1", "0", "5", "9", "13", "免税")
# GB/T 2260 province codes: digits 3–4 of a 数电发票 number name the tax bureau's province.
PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"})
# Letters a hurried typist puts for digits.
_LOOKALIKES = {"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1", "Z": "2", "S": "5",
               "B": "8", "G": "6", "b": "6", "g": "9", "q": "9"}


# --- checks shared by the records -----------------------------------------------------------

def amount_value(value: str | Decimal, label: str, field: str) -> Decimal:
    """A positive amount to the fen: typed text goes through app.money's strict parser."""
    if isinstance(value, Decimal):
        if value != value.quantize(FEN):
            raise ValidationError(f"{label}最多只能有两位小数（到分）。", field)
        amount = value.quantize(FEN)
    else:
        amount = parse_amount(str(value), field=field)
    if amount <= 0:
        raise ValidationError(f"{label}必须大于零。", field)
    return amount


def _date_not_future(day: dt.date, label: str, field: str, ledger: Ledger) -> dt.date:
    if not isinstance(day, dt.date):
        raise ValidationError(f"请填写{label}。", field)
    if day > ledger.today:
        raise ValidationError(f"{label} {day.isoformat()} 晚于今天（{ledger.today.isoformat()}），"
                              "只能记录已经发生的事。", field)
    if day < ledger.contract.start_date - dt.timedelta(days=366):
        raise ValidationError(f"{label} {day.isoformat()} 早于合同开始一年以上，请检查。", field)
    return day


def _digits(text: str, label: str, field: str) -> str:
    """Only digits; a letter that looks like one is named, with the digit it stands for."""
    cleaned = unicodedata.normalize("NFKC", text or "").replace(" ", "").replace("-", "")
    if not cleaned:
        raise ValidationError(f"请填写{label}。", field)
    for pos, ch in enumerate(cleaned, start=1):
        if not ch.isascii() or not ch.isdigit():
            hint = f"（是不是把数字 {_LOOKALIKES[ch]} 输成了字母 {ch}？）" if ch in _LOOKALIKES else ""
            raise ValidationError(f"{label}只能是数字，第 {pos} 位“{ch}”不是数字{hint}。", field)
    return cleaned


def invoice_identity(number: str, code: str | None, issued_on: dt.date) -> tuple[str, str, str]:
    """(kind, code, number) of an invoice, or a ValidationError naming what is wrong.

    数电发票: 20 digits — year (2), province (2), issuing channel (1), sequence (15); the
    year must be the year of the date issued. Older 增值税发票: a 10- or 12-digit 发票代码
    with an 8-digit 发票号码."""
    if code and code.strip():
        code_digits = _digits(code, "发票代码", "invoice_code")
        if len(code_digits) not in (10, 12):
            raise ValidationError(f"发票代码应为 10 位或 12 位数字，现在是 {len(code_digits)} 位。", "invoice_code")
        no = _digits(number, "发票号码", "invoice_no")
        if len(no) != 8:
            raise ValidationError(f"有发票代码的发票，发票号码应为 8 位数字，现在是 {len(no)} 位。", "invoice_no")
        return "coded", code_digits, no
    no = _digits(number, "发票号码", "invoice_no")
    if len(no) != 20:
        extra = "；旧版增值税发票请同时填写 10 位或 12 位发票代码和 8 位发票号码" if len(no) == 8 else ""
        raise ValidationError(f"数电发票号码应为 20 位数字，现在是 {len(no)} 位{extra}。", "invoice_no")
    if no[:2] != f"{issued_on.year % 100:02d}":
        raise ValidationError(f"数电发票号码前两位“{no[:2]}”是开票年度，与开票日期 {issued_on.isoformat()} "
                              "不符，请核对号码或日期。", "invoice_no")
    if no[2:4] not in PROVINCES:
        raise ValidationError(f"数电发票号码第 3–4 位“{no[2:4]}”应为省级行政区划代码（北京为 11），请核对。",
                              "invoice_no")
    return "digital", "", no


def tax_rate_value(text: str | None) -> str:
    cleaned = unicodedata.normalize("NFKC", str(text or "6")).strip().rstrip("%").strip()
    if cleaned in TAX_RATES:
        return cleaned
    raise ValidationError(f"税率“{text}”不对，应为 " + "、".join(
        r if r == "免税" else f"{r}%" for r in TAX_RATES) + " 之一。", "tax_rate")


def _voucher(text: str) -> str:
    return check_text(text, "凭证号", 30, "voucher", required=True)


# --- the schedule ------------------------------------------------------------------------------

def _store_schedule(act: Action, ledger: Ledger) -> dict[str, int]:
    """Write the default schedule the first time anything is recorded against it."""
    if ledger.stored:
        return {i.period: i.id for i in ledger.installments}  # type: ignore[misc]
    ids = {}
    for i in ledger.installments:
        ids[i.period] = act.insert("ledger_installments", {
            "contract_id": ledger.contract.id, "seq": i.seq, "period": i.period,
            "start_on": i.start_on, "end_on": i.end_on, "due_on": i.due_on,
            "planned_fen": to_fen(i.planned), "original_planned_fen": to_fen(i.original_planned),
            "original_due_on": i.original_due_on, "stage": i.stage.value, "note": ""})
    return ids


def _settle(act: Action, store: Store, period: str, on: dt.date, why: str) -> None:
    """Keep 已支付 true to the money: fully paid after approval → 已支付; a paid installment
    that is no longer fully paid (a payment voided, a deduction withdrawn) steps back to
    审批通过, with the reason recorded like any step back."""
    inst = load_ledger(store).installment(period)
    if inst.steps:  # the history of steps stays in date order
        on = max(on, inst.steps[-1].stepped_on)
    if inst.stage is Stage.APPROVED and inst.outstanding == 0 and inst.paid > 0:
        _step(act, store, inst, Stage.PAID, on, "")
    elif inst.stage is Stage.PAID and inst.outstanding > 0:
        _step(act, store, inst, Stage.APPROVED, on, why)


def _step(act: Action, store: Store, inst: Installment, to: Stage, on: dt.date, reason: str) -> None:
    act.insert("ledger_stage_steps", {
        "installment_id": inst.id, "from_stage": inst.stage.value, "to_stage": to.value,
        "stepped_on": on, "operator": store.operator, "reason": reason or None})
    act.update("ledger_installments", inst.id, {"stage": to.value})


def step_stage(store: Store, period: str, to: Stage | str, on: dt.date | None = None, reason: str = "", *,
               early: bool = False) -> Installment:
    """Move an installment one step on (送审, 审计通过, 审批通过, 已支付), or back with a reason.

    送审 before the quarter's service has ended is an early payment: clause 三 allows it when
    the fiscal treasury requires it, so it is not forbidden, but it is never done by
    accident — it takes `early` (the clerk's confirmation), and the step records why. From
    then on the installment reads 提前支付 (Installment.submitted_early) and its 付款申请单
    names the months not yet assessed."""
    ledger = load_ledger(store)
    inst = ledger.installment(period)
    to = to if isinstance(to, Stage) else Stage.parse(to)
    on = _date_not_future(on or ledger.today, "办理日期", "stepped_on", ledger)
    reason = check_text(reason, "原因", 200, "reason", multiline=True)
    order = "→".join(s.label for s in Stage)
    if to is inst.stage:
        raise ValidationError(f"{inst.label}已经是“{to.label}”。", "stage")
    if to.rank > inst.stage.rank + 1:
        skipped = "、".join(s.label for s in Stage if inst.stage.rank < s.rank < to.rank)
        raise ValidationError(f"{inst.label}现在是“{inst.stage.label}”，不能跳过“{skipped}”直接到“{to.label}”。"
                              f"请按 {order} 逐步办理。", "stage")
    if to.rank < inst.stage.rank and not reason:
        raise ValidationError(f"把{inst.label}从“{inst.stage.label}”退回到“{to.label}”，请填写原因。", "reason")
    if to is Stage.PAID and (inst.outstanding > 0 or inst.paid <= 0):
        raise ValidationError(f"{inst.label}尚未付清（应付 {format_yuan(inst.payable)}，已付 {format_yuan(inst.paid)}）。"
                              "录入付款后，付清时自动转为“已支付”。", "stage")
    early_now = to is Stage.SUBMITTED and to.rank > inst.stage.rank and not inst.ended(on)
    if early_now and not early:
        raise ValidationError(
            f"{inst.label}的服务期到 {inst.end_on.isoformat()} 才结束，{on.isoformat()} 送审就是提前支付。"
            f"{EARLY_PAYMENT_NOTE}确因财政国库支付要求提前支付的，请确认“提前支付”后再送审"
            "（命令行加 --early）；付款申请单会注明尚未考核的月份。", "early")
    if early_now:
        why = f"提前支付：服务期至 {inst.end_on.isoformat()} 尚未结束（合同第三条，财政国库支付要求）"
        reason = f"{why}；{reason}" if reason else why
    if inst.steps and on < inst.steps[-1].stepped_on:
        raise ValidationError(f"办理日期 {on.isoformat()} 早于上一步（{inst.steps[-1].to_stage.label}，"
                              f"{inst.steps[-1].stepped_on.isoformat()}）。", "stepped_on")
    verb = "退回" if to.rank < inst.stage.rank else "办理"
    with store.action(f"{verb}付款状态：{inst.label} {inst.stage.label}→{to.label}"
                      + ("（提前支付）" if early_now else "")) as act:
        _store_schedule(act, ledger)
        _step(act, store, load_ledger(store).installment(inst.period), to, on, reason)
    return load_ledger(store).installment(inst.period)


def check_split(ledger: Ledger, amounts: Mapping[str, str | Decimal], total: Decimal) -> dict[str, Decimal]:
    """A split must name every installment, sum to the total to the fen, and leave each
    installment at least what has been deducted and paid on it."""
    split: dict[str, Decimal] = {}
    for key, value in amounts.items():
        period = parse_period(key, ledger.periods)
        if isinstance(value, Decimal):
            amount = value
            if amount != amount.quantize(FEN) or amount < 0:
                raise ValidationError(f"{period_label(period)}的金额不对。", f"planned:{period}")
        else:
            amount = parse_amount(str(value), field=f"planned:{period}")
        split[period] = amount.quantize(FEN)
    missing = [p for p in ledger.periods if p not in split]
    if missing:
        raise ValidationError("分期金额缺少：" + "、".join(period_label(p) for p in missing) + "。", "split")
    summed = sum(split.values(), ZERO)
    if summed != total:
        diff = summed - total
        raise ValidationError(
            f"各期金额合计 {format_yuan(summed)}，与合同总额 {format_yuan(total)} 相差 "
            f"{format_yuan(abs(diff))}（{'多' if diff > 0 else '少'}），分期金额之和必须等于合同总额。", "split")
    for inst in ledger.installments:
        floor = inst.deductions + max(inst.paid, inst.invoiced)
        if split[inst.period] < floor:
            raise ValidationError(f"{inst.label}已扣减 {format_yuan(inst.deductions)}、已付 {format_yuan(inst.paid)}、"
                                  f"已开票 {format_yuan(inst.invoiced)}，计划金额不能少于 {format_yuan(floor)}。",
                                  f"planned:{inst.period}")
    return split


def set_split(store: Store, amounts: Mapping[str, str | Decimal]) -> Ledger:
    """The clerk's own split of the contract total (no agreement changes the total). Before
    any supplementary agreement it corrects the original schedule too."""
    ledger = load_ledger(store)
    split = check_split(ledger, amounts, ledger.total)
    with store.action("修改分期金额") as act:
        ids = _store_schedule(act, ledger)
        for inst in ledger.installments:
            change = {"planned_fen": to_fen(split[inst.period])}
            if not ledger.supplements:
                change["original_planned_fen"] = change["planned_fen"]
            act.update("ledger_installments", ids[inst.period], change)
        for period in ledger.periods:
            _settle(act, store, period, ledger.today, "分期金额调整，本期未付清")
    return load_ledger(store)


# --- deductions, payments, invoices -----------------------------------------------------------

def add_deduction(store: Store, period: str, amount: str | Decimal, reason: str, *,
                  ref_kind: str | None = None, ref_key: str = "", ref_text: str = "",
                  on: dt.date | None = None) -> int:
    """扣减: less to pay on an installment, with a reason and optionally what it refers to."""
    ledger = load_ledger(store)
    inst = ledger.installment(period)
    value = amount_value(amount, "扣减金额", "amount")
    reason = check_text(reason, "扣减原因", 200, "reason", multiline=True, required=True)
    kind = RefKind.parse(ref_kind)
    ref_key = check_text(ref_key, "关联记录", 40, "ref_key")
    ref_text = check_text(ref_text, "关联说明", 200, "ref_text")
    if kind and not ref_key:
        raise ValidationError(f"关联{kind.label}时请填写是哪一条（例如月份 2026-03 或通知编号）。", "ref_key")
    on = _date_not_future(on or ledger.today, "扣减日期", "recorded_on", ledger)
    if inst.payable - value < inst.paid:
        raise ValidationError(f"{inst.label}应付 {format_yuan(inst.payable)}，已付 {format_yuan(inst.paid)}，"
                              f"最多还能扣减 {format_yuan(inst.payable - inst.paid)}。", "amount")
    if inst.payable - value < inst.invoiced:
        raise ValidationError(f"{inst.label}已开票 {format_yuan(inst.invoiced)}，扣减后应付将少于发票金额。"
                              "请乙方先开具红字发票冲销，作废原发票登记后再扣减。", "amount")
    with store.action(f"登记扣减：{inst.label} {format_yuan(value)}") as act:
        ids = _store_schedule(act, ledger)
        record_id = act.insert("ledger_deductions", {
            "installment_id": ids[inst.period], "amount_fen": to_fen(value), "reason": reason,
            "ref_kind": kind.value if kind else None, "ref_key": ref_key or None, "ref_text": ref_text or None,
            "recorded_on": on})
        _settle(act, store, inst.period, on, "")
    return record_id


def record_payment(store: Store, period: str, amount: str | Decimal, paid_on: dt.date, voucher: str, *,
                   early: bool = False, note: str = "") -> int:
    """A payment (full or partial) on an installment that has passed audit and approval."""
    ledger = load_ledger(store)
    inst = ledger.installment(period)
    value = amount_value(amount, "付款金额", "amount")
    paid_on = _date_not_future(paid_on, "付款日期", "paid_on", ledger)
    voucher = _voucher(voucher)
    note = check_text(note, "备注", 200, "note", multiline=True)
    if paid_on < inst.start_on and not early:
        raise ValidationError(
            f"付款日期 {paid_on.isoformat()} 早于{inst.label}开始（{inst.start_on.isoformat()}）。"
            "只有财政国库支付要求提前付款时才可以这样记录，请选择“提前支付”（合同第三条）。", "paid_on")
    if inst.stage.rank < Stage.APPROVED.rank:
        raise ValidationError(f"{inst.label}现在是“{inst.stage.label}”，尚未审批通过。合同第三条：费用经甲方审计审核"
                              "及内部审批程序后支付，请先办理送审、审计通过、审批通过。", "stage")
    # The approval itself (审计通过 → 审批通过), not a step back to it after a voided payment.
    approval = next((s for s in reversed(inst.steps) if s.to_stage is Stage.APPROVED and not s.backwards), None)
    if approval and paid_on < approval.stepped_on:
        raise ValidationError(f"付款日期 {paid_on.isoformat()} 早于{inst.label}审批通过的日期"
                              f"（{approval.stepped_on.isoformat()}），请核对。", "paid_on")
    totals = ledger.totals()
    if totals.paid + value > ledger.total:
        raise ValidationError(
            f"付款后累计已付 {format_yuan(totals.paid + value)}，将超过合同总额 {format_yuan(ledger.total)}。"
            "如果补充协议增加了合同金额，请先录入补充协议。", "amount")
    if value > inst.outstanding:
        raise ValidationError(f"{inst.label}应付 {format_yuan(inst.payable)}，已付 {format_yuan(inst.paid)}，"
                              f"本次最多付 {format_yuan(inst.outstanding)}。", "amount")
    if any(p.active and p.voucher == voucher for p in ledger.payments):
        raise ValidationError(f"凭证号“{voucher}”已用于另一笔付款。", "voucher")
    with store.action(f"登记付款：{inst.label} {format_yuan(value)}（凭证号 {voucher}）") as act:
        ids = _store_schedule(act, ledger)
        record_id = act.insert("ledger_payments", {
            "installment_id": ids[inst.period], "paid_on": paid_on, "amount_fen": to_fen(value),
            "voucher": voucher, "early": int(bool(early)), "note": note or None})
        _settle(act, store, inst.period, paid_on, "")
    return record_id


def _allocate(ledger: Ledger, periods: list[str], amount: Decimal) -> list[tuple[Installment, Decimal]]:
    """Spread an invoice over the installments it covers, in order, each up to what is
    still to be invoiced on it (its payable less what earlier invoices cover)."""
    insts = [ledger.installment(p) for p in periods]
    room = sum((max(ZERO, i.payable - i.invoiced) for i in insts), ZERO)
    names = "、".join(i.label for i in insts)
    if amount > room:
        raise ValidationError(f"发票金额 {format_yuan(amount)} 超过{names}尚未开票的应付金额 {format_yuan(room)}。",
                              "amount")
    out, left = [], amount
    for n, inst in enumerate(insts):
        share = left if n == len(insts) - 1 else min(left, max(ZERO, inst.payable - inst.invoiced))
        if share > 0:
            out.append((inst, share))
        left -= share
    return out


def record_invoice(store: Store, number: str, issued_on: dt.date, amount: str | Decimal, periods: list[str], *,
                   code: str | None = None, tax_rate: str | None = "6", note: str = "") -> int:
    """An invoice from the vendor (五.5) covering one or more installments."""
    ledger = load_ledger(store)
    issued_on = _date_not_future(issued_on, "开票日期", "issued_on", ledger)
    kind, code_digits, no = invoice_identity(number, code, issued_on)
    value = amount_value(amount, "发票金额", "amount")
    rate = tax_rate_value(tax_rate)
    note = check_text(note, "备注", 200, "note", multiline=True)
    if not periods:
        raise ValidationError("请选择这张发票对应的付款期（季度）。", "periods")
    chosen = list(dict.fromkeys(parse_period(p, ledger.periods) for p in periods))
    for inv in ledger.invoices:
        if inv.active and inv.number == no and inv.code == code_digits:
            raise ValidationError(f"发票号码 {inv.display_number} 已登记过（{inv.issued_on.isoformat()}，"
                                  f"{format_yuan(inv.amount)}），同一张发票不能重复登记。", "invoice_no")
    shares = _allocate(ledger, chosen, value)
    with store.action(f"登记发票：{code_digits + '-' if code_digits else ''}{no} {format_yuan(value)}") as act:
        ids = _store_schedule(act, ledger)
        invoice_id = act.insert("ledger_invoices", {
            "contract_id": ledger.contract.id, "invoice_kind": kind, "invoice_code": code_digits or None,
            "invoice_no": no, "issued_on": issued_on, "amount_fen": to_fen(value), "tax_rate": rate,
            "note": note or None})
        for inst, share in shares:
            act.insert("ledger_invoice_items", {"invoice_id": invoice_id, "installment_id": ids[inst.period],
                                                "amount_fen": to_fen(share)})
    return invoice_id


VOIDABLE = {"payment": ("ledger_payments", "付款"), "invoice": ("ledger_invoices", "发票"),
            "deduction": ("ledger_deductions", "扣减")}


def void_record(store: Store, kind: str, record_id: int, reason: str, on: dt.date | None = None) -> None:
    """作废 a payment, invoice or deduction entered by mistake; it stays on record."""
    table, label = VOIDABLE[kind]
    ledger = load_ledger(store)
    reason = check_text(reason, "作废原因", 200, "void_reason", multiline=True, required=True)
    on = _date_not_future(on or ledger.today, "作废日期", "voided_on", ledger)
    from sqlite_utils.db import NotFoundError

    try:
        row = store.db[table].get(record_id)
    except (NotFoundError, OverflowError):  # a mistyped number on the command line
        raise ValidationError(f"没有编号为 {record_id} 的{label}，请核对编号。", "record_id") from None
    if row["voided_on"]:
        raise ValidationError(f"这笔{label}已于 {row['voided_on']} 作废。")
    # Withdrawing a record only lowers what is paid or invoiced, or raises what is payable:
    # nothing can go over a limit, but 已支付 may no longer be true (see _settle).
    if kind == "deduction":
        touched = [next(d.period for d in ledger.deductions if d.id == record_id)]
    elif kind == "payment":
        touched = [next(p.period for p in ledger.payments if p.id == record_id)]
    else:
        touched = [p for inv in ledger.invoices if inv.id == record_id for p, _ in inv.items]
    with store.action(f"作废{label}（原因：{reason}）") as act:
        act.update(table, record_id, {"voided_on": on, "void_reason": reason})
        for period in touched:
            _settle(act, store, period, on, f"{label}作废：{reason}")


# --- supplementary agreements (九.1) and the payee ----------------------------------------------

def proposed_split(ledger: Ledger, new_total: Decimal) -> dict[str, Decimal]:
    """What a new total means for the schedule unless the agreement says otherwise: paid
    installments keep their amounts, the rest share the remainder like the default split."""
    from app.ledger import default_split, contract_quarters

    fixed = {i.period: i.planned for i in ledger.installments if i.stage is Stage.PAID}
    rest = [q for q in contract_quarters(ledger.contract) if q.period not in fixed]
    remainder = new_total - sum(fixed.values(), ZERO)
    split = dict(fixed)
    if rest and remainder >= 0:
        split.update(zip((q.period for q in rest), default_split(remainder, rest)))
    return {p: split.get(p, ZERO) for p in ledger.periods}


def record_supplement(store: Store, *, title: str, signed_on: dt.date, agreement_no: str = "",
                      new_total: str | Decimal | None = None, split: Mapping[str, str | Decimal] | None = None,
                      due_dates: Mapping[str, dt.date] | None = None, note: str = "") -> int:
    """补充协议 (九.1) changing the total and/or the schedule; where it differs, it prevails.
    The installments keep their original figures beside the amended ones."""
    ledger = load_ledger(store)
    title = check_text(title, "协议名称", 100, "title", required=True)
    agreement_no = check_text(agreement_no, "协议编号", 40, "agreement_no")
    note = check_text(note, "备注", 500, "note", multiline=True)
    signed_on = _date_not_future(signed_on, "签订日期", "signed_on", ledger)
    total = ledger.total if new_total in (None, "") else amount_value(new_total, "合同总额", "total")
    paid = ledger.totals().paid
    if total < paid:
        raise ValidationError(f"新的合同总额 {format_yuan(total)} 少于已付 {format_yuan(paid)}。", "total")
    amounts = check_split(ledger, split if split else proposed_split(ledger, total), total)
    dues: dict[str, dt.date] = {}
    for key, day in (due_dates or {}).items():
        period = parse_period(key, ledger.periods)
        if not isinstance(day, dt.date):
            raise ValidationError(f"请填写{period_label(period)}的付款期限。", f"due:{period}")
        dues[period] = day
    changes = []
    if total != ledger.total:
        changes.append(f"合同总额 {format_yuan(ledger.total)} → {format_yuan(total)}")
    for inst in ledger.installments:
        if amounts[inst.period] != inst.planned:
            changes.append(f"{inst.label} {format_yuan(inst.planned)} → {format_yuan(amounts[inst.period])}")
        if inst.period in dues and dues[inst.period] != inst.due_on:
            changes.append(f"{inst.label}付款期限 {inst.due_on.isoformat()} → {dues[inst.period].isoformat()}")
    if not changes:
        raise ValidationError("这份补充协议没有改变合同总额或付款安排；只有改变金额或期限的补充协议需要在台账中登记。",
                              "total")
    with store.action(f"登记补充协议：{title}") as act:
        ids = _store_schedule(act, ledger)
        record_id = act.insert("ledger_supplements", {
            "contract_id": ledger.contract.id, "agreement_no": agreement_no or None, "signed_on": signed_on,
            "title": title, "total_fen": to_fen(total), "previous_total_fen": to_fen(ledger.total),
            "changes": "；".join(changes), "note": note or None})
        for inst in ledger.installments:
            change: dict[str, object] = {"planned_fen": to_fen(amounts[inst.period])}
            if inst.period in dues:
                change["due_on"] = dues[inst.period]
            act.update("ledger_installments", ids[inst.period], change)
        for period in ledger.periods:
            _settle(act, store, period, ledger.today, f"补充协议“{title}”调整金额，本期未付清")
    return record_id


def set_payee(store: Store, *, account_name: str, bank: str, account_no: str, department: str = "") -> None:
    """The vendor's bank account, entered once (the contract does not state it), and the
    office's department that signs the 付款申请单."""
    ledger = load_ledger(store)
    account_name = check_text(account_name, "收款单位", 60, "account_name", required=True)
    bank = check_text(bank, "开户银行", 60, "bank", required=True)
    digits = _digits(account_no, "银行账号", "account_no")
    if not 8 <= len(digits) <= 32:
        raise ValidationError(f"银行账号应为 8–32 位数字，现在是 {len(digits)} 位。", "account_no")
    department = check_text(department, "申请部门", 40, "department")
    record = {"account_name": account_name, "bank": bank, "account_no": digits, "department": department or None}
    with store.action("设置收款账户") as act:
        row = next(store.db.query("SELECT id FROM ledger_payee WHERE contract_id = ?", [ledger.contract.id]), None)
        if row:
            act.update("ledger_payee", row["id"], record)
        else:
            act.insert("ledger_payee", {"contract_id": ledger.contract.id, **record})
