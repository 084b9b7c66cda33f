"""The contract's consequence rules, worked out from the records, never stored:

- 四.4: two consecutive 不合格 months for the same worker → the office may demand an
  immediate replacement;
- 七.1: two consecutive months in the district's bottom three, caused by the vendor (是)
  → the office may terminate;
- 六.1: a written reminder (催告) not cured within 15 days → the office may terminate.

The rules are pure functions over plain records (so they are tested across month and year
boundaries without a data file); `fired_rules(store)` feeds them from the data file.
Only finalised or signed months count for 四.4: a draft is not yet a result.

What the office did about a rule is recorded: the 更换服务人员通知函 it sent for a pair of
failed months (`replacement_demands`, with its 函号 and date) and the 催告 it issued
(`cure_notices`); a fired 四.4 rule says the demand was sent once it was.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, Iterable, Mapping

from app import clock
from app.assessment import Status, load_month, month_bounds, month_key, month_label, parse_month_key, previous_month
from app.assessment_template import fmt_points, plain_decimal
from app.contract import Contract, active_contract
from app.errors import ValidationError
from app.staff import parse_date
from app.store.store import Store
from app.validation import check_text

CURE_DAYS = 15  # 六.1: 经甲方催告，15日内仍不能改正
BOTTOM = 3  # 七.1: 后三名


@dataclass(frozen=True)
class MonthResult:
    worker_id: int
    worker_name: str
    year: int
    month: int
    total: Decimal
    grade: str
    passed: bool


@dataclass(frozen=True)
class Fired:
    rule: str  # replacement | demand_changed | ranking | cure
    clause: str
    title: str
    detail: str
    months: tuple[str, ...]
    worker_id: int | None = None
    notice_id: int | None = None
    demand: "Demand | None" = None  # 四.4: the 更换服务人员通知函 sent for these months

    @property
    def clause_text(self) -> str:
        """四.4 → 第四条第 4 款, as the contract cites itself."""
        article, _, item = self.clause.partition(".")
        return f"第{article}条第 {item} 款"

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "clause": self.clause, "clause_text": self.clause_text, "title": self.title,
                "detail": self.detail, "months": list(self.months), "worker_id": self.worker_id,
                "notice_id": self.notice_id, "sent": self.demand.as_json() if self.demand else None}


@dataclass(frozen=True)
class Demand:
    """The office's written demand (更换服务人员通知函) to replace a worker, for two failed months."""
    id: int
    worker_id: int
    first_month: str  # YYYY-MM
    second_month: str
    letter_no: str  # '' when written on the paper by hand
    issued_on: dt.date

    def describe(self) -> str:
        number = f" {self.letter_no}" if self.letter_no else "（函号在纸面手写）"
        return f"已发函 {self.issued_on.isoformat()}{number}"

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "letter_no": self.letter_no, "issued_on": self.issued_on.isoformat()}


def consecutive_failures(results: Iterable[MonthResult], demands: Iterable[Demand] = ()) -> list[Fired]:
    """四.4: each pair of calendar-consecutive failed months of one worker (December and the
    next January count as consecutive). Where the office has sent its demand for the pair,
    the rule says so instead of what the office may do."""
    sent = {(d.worker_id, d.second_month): d for d in demands}
    by_worker: dict[int, dict[tuple[int, int], MonthResult]] = {}
    for r in results:
        by_worker.setdefault(r.worker_id, {})[(r.year, r.month)] = r
    fired = []
    for worker_id, months in by_worker.items():
        for (year, month), second in sorted(months.items()):
            first = months.get(previous_month(year, month))
            if first is None or first.passed or second.passed:
                continue
            demand = sent.get((worker_id, month_key(year, month)))
            scores = (f"{month_label(first.year, first.month)} {fmt_points(first.total)} 分（{first.grade}），"
                      f"{month_label(year, month)} {fmt_points(second.total)} 分（{second.grade}）：")
            if demand is None:
                detail = scores + "依合同第四条第 4 款，甲方有权要求乙方立即更换服务人员。"
            else:
                detail = scores + f"{demand.describe()}，依合同第四条第 4 款要求乙方立即更换服务人员。"
            fired.append(Fired(
                "replacement", "四.4", f"{second.worker_name}连续两个月考核不合格", detail,
                (month_key(first.year, first.month), month_key(year, month)), worker_id, demand=demand))
    return fired


def unfounded_demands(results: Iterable[MonthResult], demands: Iterable[Demand],
                      names: Mapping[int, str]) -> list[Fired]:
    """A 更换服务人员通知函 the office has sent stays on screen when its ground changes: one of
    the two months was reopened (撤销签字/退回草稿) or re-scored as passing. The letter is out;
    the clerk must see that what it says no longer stands, and settle it with the vendor."""
    by_month = {(r.worker_id, month_key(r.year, r.month)): r for r in results}
    fired = []
    for d in demands:
        now = [by_month.get((d.worker_id, m)) for m in (d.first_month, d.second_month)]
        if all(r is not None and not r.passed for r in now):
            continue  # still two failed months: consecutive_failures shows it
        states = []
        for key, r in zip((d.first_month, d.second_month), now, strict=True):
            label = month_label(*parse_month_key(key))
            states.append(f"{label}考核已退回修改，尚未重新定稿" if r is None
                          else f"{label}现为 {fmt_points(r.total)} 分（{r.grade}）")
        name = names.get(d.worker_id, f"服务人员 {d.worker_id}")
        fired.append(Fired(
            "demand_changed", "四.4", f"{name}的更换服务人员通知函所依据的考核已变化",
            f"{d.describe()}；{'，'.join(states)}。请核对：考核更正后合格的，应书面告知乙方撤回该通知函。",
            (d.first_month, d.second_month), d.worker_id, demand=d))
    return fired


# --- district ranking (七.1) ---------------------------------------------------------------

class Cause(StrEnum):
    YES = "yes"
    NO = "no"
    PENDING = "pending"

    @property
    def label(self) -> str:
        return {"yes": "是", "no": "否", "pending": "待定"}[self.value]

    @classmethod
    def parse(cls, text: Any) -> "Cause":
        value = str(text or "").strip().lower()
        for cause in cls:
            if value in (cause.value, cause.label):
                return cause
        raise ValidationError("是否乙方原因请选“是”“否”或“待定”。", "vendor_caused")


@dataclass(frozen=True)
class Ranking:
    id: int | None
    year: int
    month: int
    rank: int
    streets: int
    score: Decimal | None
    vendor_caused: Cause
    note: str = ""

    @property
    def bottom_three(self) -> bool:
        return self.rank > self.streets - BOTTOM

    @property
    def key(self) -> str:
        return month_key(self.year, self.month)

    def describe(self) -> str:
        score = f"，得分 {self.score}" if self.score is not None else ""
        return f"{month_label(self.year, self.month)}第 {self.rank} 名（共 {self.streets} 个街道{score}）"


def bottom_three_runs(rankings: Iterable[Ranking]) -> list[Fired]:
    """七.1: two calendar-consecutive months in the bottom three, both caused by the vendor."""
    by_month = {(r.year, r.month): r for r in rankings}
    fired = []
    for (year, month), second in sorted(by_month.items()):
        first = by_month.get(previous_month(year, month))
        if first is None or not (first.bottom_three and second.bottom_three):
            continue
        if first.vendor_caused is Cause.YES and second.vendor_caused is Cause.YES:
            fired.append(Fired("ranking", "七.1", "区月考核连续两月排名后三名（乙方原因）",
                               f"{first.describe()}，{second.describe()}，均为乙方原因：依合同第七条第 1 款，"
                               "甲方有权解除协议。", (first.key, second.key)))
        elif Cause.NO not in (first.vendor_caused, second.vendor_caused):
            fired.append(Fired("ranking_pending", "七.1", "区月考核连续两月排名后三名（是否乙方原因待定）",
                               f"{first.describe()}，{second.describe()}：请核实是否由乙方原因导致；"
                               "如是，甲方有权解除协议（第七条第 1 款）。", (first.key, second.key)))
    return fired


def _parse_score(value: Any) -> Decimal | None:
    text = str(value or "").strip()
    if not text:
        return None
    score = plain_decimal(text)
    if score is None:
        raise ValidationError(f"公布得分“{text[:20]}”不是数字。", "score")
    if score.is_signed() or score >= 1000 or score != score.quantize(Decimal("0.01")):
        raise ValidationError(f"公布得分“{text[:20]}”应为不小于 0 的数，最多两位小数。", "score")
    return score


def _int(value: Any, label: str, field: str) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(f"{label}应为整数。", field) from None
    if number < 1:
        raise ValidationError(f"{label}应不小于 1。", field)
    return number


def _ranking(row: Mapping[str, Any]) -> Ranking:
    year, month = parse_month_key(row["month"])
    return Ranking(row["id"], year, month, row["rank"], row["streets"],
                   Decimal(row["score"]) if row["score"] else None, Cause(row["vendor_caused"]), row["note"] or "")


def list_rankings(store: Store, contract: Contract | None = None) -> list[Ranking]:
    contract = contract or active_contract(store)
    return [_ranking(r) for r in store.db["district_rankings"].rows_where(
        "contract_id = ?", [contract.id], order_by="month")]


def record_ranking(store: Store, year: int, month: int, data: Mapping[str, Any]) -> int:
    """Enter (or correct) the street's place in the district's monthly 接诉即办 assessment."""
    contract = active_contract(store)
    first, last = month_bounds(year, month)
    if last < contract.start_date or first > contract.end_date:
        raise ValidationError(f"{month_label(year, month)}不在合同服务期限内。", "month")
    if last >= clock.today():  # the district publishes a month's ranking after the month
        raise ValidationError(f"{month_label(year, month)}还没有结束，区月考核排名要在月后公布，届时再登记。", "month")
    rank = _int(data.get("rank"), "排名", "rank")
    streets = _int(data.get("streets"), "参评街道数", "streets")
    if rank > streets:
        raise ValidationError(f"排名第 {rank} 名不能大于参评街道数 {streets} 个。", "rank")
    if streets > 400:
        raise ValidationError(f"参评街道数 {streets} 不合常理，请核对。", "streets")
    record = {"contract_id": contract.id, "month": month_key(year, month), "rank": rank, "streets": streets,
              "score": (lambda s: None if s is None else str(s))(_parse_score(data.get("score"))),
              "vendor_caused": Cause.parse(data.get("vendor_caused", "pending")).value,
              "note": check_text(data.get("note", ""), "备注", 300, "note", multiline=True)}
    existing = next(store.db["district_rankings"].rows_where(
        "contract_id = ? AND month = ?", [contract.id, record["month"]]), None)
    with store.action(f"登记{month_label(year, month)}区月考核排名") as act:
        if existing:
            act.update("district_rankings", existing["id"], record)
            return int(existing["id"])
        return int(act.insert("district_rankings", record))


# --- cure notices (六.1) ---------------------------------------------------------------------

class NoticeState(StrEnum):
    PENDING = "pending"
    CURED = "cured"
    OVERDUE = "overdue"  # worked out, never stored

    @property
    def label(self) -> str:
        return {"pending": "待整改", "cured": "已整改", "overdue": "逾期未整改"}[self.value]


@dataclass(frozen=True)
class CureNotice:
    id: int
    letter_no: str
    issued_on: dt.date
    failure: str
    deadline: dt.date
    cured_on: dt.date | None
    note: str = ""

    def state(self, today: dt.date | None = None) -> NoticeState:
        today = today or clock.today()
        if self.cured_on is not None:
            return NoticeState.CURED
        return NoticeState.OVERDUE if today > self.deadline else NoticeState.PENDING

    @property
    def cured_late(self) -> bool:
        return self.cured_on is not None and self.cured_on > self.deadline

    def as_json(self, today: dt.date | None = None) -> dict[str, Any]:
        return {"id": self.id, "letter_no": self.letter_no, "issued_on": self.issued_on.isoformat(),
                "failure": self.failure, "deadline": self.deadline.isoformat(),
                "status": self.state(today).label, "cured_on": self.cured_on.isoformat() if self.cured_on else None}


def check_letter_no(store: Store, contract: Contract, value: Any, *, demand_id: int | None = None,
                    notice_id: int | None = None) -> str:
    """A letter's 函号 as the clerk typed it, trimmed. The number comes from the office's own
    document system, so its shape is free and the program never makes one up; left blank,
    it is written on the printed letter by hand. A number already on another of the
    contract's letters is refused."""
    number = check_text(value, "函号", 30, "letter_no")
    number = "".join(ch for ch in number if unicodedata.category(ch) != "Cf")  # invisible on paper
    if not number:
        return ""
    key = _number_key(number)
    for n in list_notices(store, contract):
        if _number_key(n.letter_no) == key and n.id != notice_id:
            raise ValidationError(f"函号“{number}”已用于 {n.issued_on.isoformat()} 的催告函，请核对。", "letter_no")
    for d in list_demands(store, contract):
        if _number_key(d.letter_no) == key and d.id != demand_id:
            raise ValidationError(f"函号“{number}”已用于 {d.issued_on.isoformat()} 的更换服务人员通知函，请核对。",
                                  "letter_no")
    return number


def _number_key(number: str) -> str:
    """Two 函号 that read the same on paper are one number: spaces, invisible marks and the
    width of digits and letters (１２ / 12, the input method's full-width mode) aside."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", number)
                   if not ch.isspace() and unicodedata.category(ch) != "Cf").casefold() if number else ""


def cure_deadline(issued_on: dt.date) -> dt.date:
    return issued_on + dt.timedelta(days=CURE_DAYS)


def _notice(row: Mapping[str, Any]) -> CureNotice:
    return CureNotice(row["id"], row["letter_no"] or "", dt.date.fromisoformat(row["issued_on"]), row["failure"],
                      dt.date.fromisoformat(row["deadline"]),
                      dt.date.fromisoformat(row["cured_on"]) if row["cured_on"] else None, row["note"] or "")


def list_notices(store: Store, contract: Contract | None = None) -> list[CureNotice]:
    contract = contract or active_contract(store)
    return [_notice(r) for r in store.db["cure_notices"].rows_where(
        "contract_id = ?", [contract.id], order_by="issued_on, id")]


def issue_notice(store: Store, data: Mapping[str, Any]) -> int:
    contract = active_contract(store)
    issued = parse_date(data.get("issued_on"), "issued_on", required=True, label="催告日期")
    assert issued is not None
    if issued < contract.start_date:
        raise ValidationError(f"催告日期 {issued.isoformat()} 早于合同开始日期 {contract.start_date.isoformat()}。",
                              "issued_on")
    if issued > contract.end_date:
        raise ValidationError(f"催告日期 {issued.isoformat()} 晚于合同结束日期 {contract.end_date.isoformat()}。",
                              "issued_on")
    if issued > clock.today():
        raise ValidationError(f"催告日期 {issued.isoformat()} 在今天之后。", "issued_on")
    failure = check_text(data.get("failure"), "未按约履行的情形", 500, "failure", multiline=True, required=True)
    letter_no = check_letter_no(store, contract, data.get("letter_no"))
    with store.action(f"发出催告（{issued.isoformat()}）") as act:
        return int(act.insert("cure_notices", {
            "contract_id": contract.id, "letter_no": letter_no, "issued_on": issued.isoformat(), "failure": failure,
            "deadline": cure_deadline(issued).isoformat(), "status": NoticeState.PENDING.value,
            "note": check_text(data.get("note", ""), "备注", 300, "note", multiline=True)}))


def set_notice_number(store: Store, notice_id: int, letter_no: Any) -> None:
    """Enter or correct a cure notice's 函号 — e.g. the one written by hand on the letter, once
    the document system has given it. A reprint carries it."""
    contract = active_contract(store)
    notice = next((n for n in list_notices(store, contract) if n.id == notice_id), None)
    if notice is None:
        raise ValidationError("找不到这份催告，可能已被删除。请刷新后重试。")
    number = check_letter_no(store, contract, letter_no, notice_id=notice_id)
    if number == notice.letter_no:
        return
    with store.action(f"更正催告函号（{notice.issued_on.isoformat()}）") as act:
        act.update("cure_notices", notice_id, {"letter_no": number})


def mark_cured(store: Store, notice_id: int, cured_on: Any) -> None:
    notice = next((n for n in list_notices(store) if n.id == notice_id), None)
    if notice is None:
        raise ValidationError("找不到这份催告，可能已被删除。请刷新后重试。")
    day = parse_date(cured_on, "cured_on", required=True, label="整改完成日期")
    assert day is not None
    if day < notice.issued_on:
        raise ValidationError(f"整改完成日期 {day.isoformat()} 早于催告日期 {notice.issued_on.isoformat()}。", "cured_on")
    if day > clock.today():
        raise ValidationError(f"整改完成日期 {day.isoformat()} 在今天之后。", "cured_on")
    with store.action(f"催告 {notice.letter_no} 已整改") as act:
        act.update("cure_notices", notice_id, {"status": NoticeState.CURED.value, "cured_on": day.isoformat()})


def overdue_notices(notices: Iterable[CureNotice], today: dt.date) -> list[Fired]:
    return [Fired("cure", "六.1", f"催告 {n.letter_no} 逾期未整改",
                  f"{n.issued_on.isoformat()} 催告：{n.failure.rstrip('。；;. ')}；整改期限 {n.deadline.isoformat()} 已过仍未整改："
                  "依合同第六条第 1 款，甲方有权单方面解除本协议。",
                  (month_key(n.issued_on.year, n.issued_on.month),), notice_id=n.id)
            for n in notices if n.state(today) is NoticeState.OVERDUE]


# --- all rules from the data file --------------------------------------------------------------

@dataclass(frozen=True)
class Trend:
    """Totals month by month, for the trend charts: per worker, and per post (the mean of
    its workers' totals that month)."""
    months: tuple[str, ...]
    by_worker: dict[str, dict[str, Decimal]]
    by_post: dict[str, dict[str, Decimal]]
    pass_mark: Decimal
    drafts: frozenset[str] = frozenset()  # months still in draft: their totals may change


def trend(store: Store) -> Trend:
    from app.staff import worker_names

    contract = active_contract(store)
    months: list[str] = []
    drafts: set[str] = set()
    by_id: dict[int, dict[str, Decimal]] = {}
    post_totals: dict[str, dict[str, list[Decimal]]] = {}
    pass_mark = Decimal(60)
    for row in store.db["assessment_months"].rows_where("contract_id = ?", [contract.id], order_by="month"):
        year, month = parse_month_key(row["month"])
        view = load_month(store, year, month, contract)
        if not view.sheets:
            continue
        months.append(row["month"])
        if view.month.status is Status.DRAFT:
            drafts.add(row["month"])
        for sheet in view.sheets:
            by_id.setdefault(sheet.worker_id, {})[row["month"]] = sheet.total
            post_totals.setdefault(sheet.post_name, {}).setdefault(row["month"], []).append(sheet.total)
            pass_mark = sheet.template.pass_mark
    by_post = {post: {m: (sum(v, Decimal(0)) / len(v)).quantize(Decimal("0.1")) for m, v in per.items()}
               for post, per in post_totals.items()}
    # One line per worker, under the staff record's name (a finalised sheet keeps an earlier
    # one); namesakes are told apart by a number, in the order they were entered.
    names = worker_names(store)
    by_worker: dict[str, dict[str, Decimal]] = {}
    for worker_id in sorted(by_id):
        name = names.get(worker_id, f"服务人员 {worker_id}")
        label, n = name, 1
        while label in by_worker:
            n += 1
            label = f"{name}（{n}）"
        by_worker[label] = by_id[worker_id]
    return Trend(tuple(months), by_worker, by_post, pass_mark, frozenset(drafts))


def month_results(store: Store, contract: Contract | None = None) -> list[MonthResult]:
    """Each worker's total in every finalised or signed month of the contract."""
    contract = contract or active_contract(store)
    results = []
    for row in store.db["assessment_months"].rows_where("contract_id = ? AND status != ?",
                                                         [contract.id, Status.DRAFT.value], order_by="month"):
        year, month = parse_month_key(row["month"])
        for sheet in load_month(store, year, month, contract).sheets:
            results.append(MonthResult(sheet.worker_id, sheet.worker_name, year, month, sheet.total,
                                       sheet.grade, sheet.passed))
    return results


def failed_pair(store: Store, worker_id: int, months: tuple[str, str],
                contract: Contract | None = None) -> tuple[MonthResult, MonthResult]:
    """The worker's two calendar-consecutive, finalised, failed months — the ground of 四.4 —
    or ValidationError saying why these months are not."""
    contract = contract or active_contract(store)
    first_key, second_key = months
    results = {month_key(r.year, r.month): r for r in month_results(store, contract) if r.worker_id == worker_id}
    first, second = results.get(first_key), results.get(second_key)
    if (first is None or second is None or first.passed or second.passed
            or previous_month(second.year, second.month) != (first.year, first.month)):
        known = first or second
        name = known.worker_name if known is not None else "该服务人员"
        raise ValidationError(f"{name}在 {'、'.join(months)} 没有连续两个月定稿的不合格考核结果，"
                              "不能据第四条第 4 款要求更换。")
    return first, second


def _demand(row: Mapping[str, Any]) -> Demand:
    return Demand(row["id"], row["worker_id"], row["first_month"], row["second_month"], row["letter_no"] or "",
                  dt.date.fromisoformat(row["issued_on"]))


def list_demands(store: Store, contract: Contract | None = None) -> list[Demand]:
    contract = contract or active_contract(store)
    return [_demand(r) for r in store.db["replacement_demands"].rows_where(
        "contract_id = ?", [contract.id], order_by="issued_on, id")]


def find_demand(store: Store, worker_id: int, second_month: str) -> Demand | None:
    return next((d for d in list_demands(store) if d.worker_id == worker_id and d.second_month == second_month),
                None)


def record_demand(store: Store, worker_id: int, months: tuple[str, str], data: Mapping[str, Any]) -> int:
    """Record the 更换服务人员通知函 sent for two failed months (四.4): its 函号 (may be blank, to
    write by hand) and its date, which must come after the second month has ended, inside
    the contract and not after today. Recording it again for the same months corrects it."""
    contract = active_contract(store)
    first, second = failed_pair(store, worker_id, months, contract)
    issued = parse_date(data.get("issued_on"), "issued_on", required=True, label="发函日期")
    assert issued is not None
    month_end = month_bounds(second.year, second.month)[1]
    if issued <= month_end:
        raise ValidationError(f"发函日期 {issued.isoformat()} 早于第二个不合格月份（{month_label(second.year, second.month)}）"
                              f"结束：{month_end.isoformat()} 之后才有该月的考核结果。", "issued_on")
    if issued < contract.start_date or issued > contract.end_date:
        raise ValidationError(f"发函日期 {issued.isoformat()} 不在合同期限内（{contract.start_date.isoformat()} 至 "
                              f"{contract.end_date.isoformat()}）。", "issued_on")
    if issued > clock.today():
        raise ValidationError(f"发函日期 {issued.isoformat()} 在今天之后。", "issued_on")
    existing = find_demand(store, worker_id, months[1])
    letter_no = check_letter_no(store, contract, data.get("letter_no"), demand_id=existing.id if existing else None)
    record = {"contract_id": contract.id, "worker_id": worker_id, "first_month": months[0],
              "second_month": months[1], "letter_no": letter_no, "issued_on": issued.isoformat()}
    what = f"{second.worker_name}（{month_label(first.year, first.month)}、{month_label(second.year, second.month)}不合格）"
    if existing is not None:
        with store.action(f"更正更换服务人员通知函：{what}") as act:
            act.update("replacement_demands", existing.id, record)
        return existing.id
    with store.action(f"发函要求更换服务人员：{what}") as act:
        return int(act.insert("replacement_demands", record))


def fired_rules(store: Store, today: dt.date | None = None) -> list[Fired]:
    contract = active_contract(store)
    today = today or clock.today()
    from app.staff import worker_names

    results, demands = month_results(store, contract), list_demands(store, contract)
    return (consecutive_failures(results, demands) + unfounded_demands(results, demands, worker_names(store))
            + bottom_three_runs(list_rankings(store, contract))
            + overdue_notices(list_notices(store, contract), today))
