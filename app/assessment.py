"""月度考核: each service worker's monthly score by deduction (clause 四.4).

Each criterion of the template starts at its maximum; each deduction has points, a reason
(扣分事由) and a date. The month moves 草稿 → 已定稿 → 已签字; only a draft can be edited.
A signed month is corrected only through 撤销签字 with a reason (kept in the change
history), which raises the month's revision, so the reprinted sheets carry new
verification codes. The result only judges whether the vendor performs (四.4); the words
here never suggest that the office manages the workers' labour.
"""
from __future__ import annotations

import base64
import dataclasses
import calendar
import datetime as dt
import hashlib
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Iterable, Iterator

from app import clock
from app.assessment_template import (
    Template, ensure_templates, fmt_points, from_tenths, get_template, parse_points, template_for, tenths,
)
from app.contract import Contract, active_contract
from app.errors import ValidationError
from app.staff import Assignment, assignments, parse_date
from app.store.store import Store
from app.validation import check_text

MAX_REASON = 200
MAX_COMMENT = 500


class Status(StrEnum):
    DRAFT = "draft"
    FINAL = "final"
    SIGNED = "signed"

    @property
    def label(self) -> str:
        return {"draft": "草稿", "final": "已定稿", "signed": "已签字"}[self.value]


class Decision(StrEnum):
    MANUAL = "manual"
    ACCEPTED = "accepted"  # the roster's suggestion, as suggested
    CHANGED = "changed"  # the roster's suggestion, with other points
    REJECTED = "rejected"  # the roster's suggestion, not deducted (0 points, kept for the sheet)

    @property
    def label(self) -> str:
        return {"manual": "", "accepted": "采纳排班建议", "changed": "修改排班建议",
                "rejected": "不采纳排班建议"}[self.value]


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def parse_month_key(text: str) -> tuple[int, int]:
    year, month = text.split("-")
    return int(year), int(month)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


# A deduction's date as the clerk writes it within the month she is scoring: 8, 8日, 8号,
# 11-8, 11.8, 11/8, 11月8日 (the year and, for a bare day, the month are the assessed ones).
_DAY_IN_MONTH = (re.compile(r"^(\d{1,2})[日号]?$"), re.compile(r"^(\d{1,2})(?:[-./]|月)(\d{1,2})[日号]?$"))


def parse_deduction_date(value: Any, year: int, month: int) -> dt.date:
    """The day of a deduction: a full date (parse_date's forms), or the short forms a clerk
    uses when every date is in one month. Whether it lies in the month is add_deduction's
    check, which names the month's first and last day."""
    from app.idcard import normalize

    text = normalize(str(value)).strip() if isinstance(value, str) else ""
    for pattern in _DAY_IN_MONTH:
        match = pattern.match(text)
        if match:
            groups = [int(g) for g in match.groups()]
            the_month, day = (month, groups[0]) if len(groups) == 1 else groups
            try:
                return dt.date(year, the_month, day)
            except ValueError:
                raise ValidationError(f"扣分日期“{text}”不是真实的日期：{year}年{the_month}月没有 {day} 日。",
                                      "date") from None
    if isinstance(value, str) and not text:
        first, last = month_bounds(year, month)
        raise ValidationError(f"请填写扣分日期：发生扣分情形的那一天（{first.isoformat()} 至 {last.isoformat()}，"
                              f"可只写几日，如 8）。", "date")
    parsed = parse_date(value, "date", required=True, label="扣分日期")
    assert parsed is not None
    return parsed


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def month_label(year: int, month: int) -> str:
    return f"{year}年{month}月"


@dataclass(frozen=True)
class Month:
    id: int | None
    year: int
    month: int
    status: Status = Status.DRAFT
    revision: int = 1
    finalised_on: dt.date | None = None
    signed_on: dt.date | None = None
    reopen_reason: str = ""

    @property
    def key(self) -> str:
        return month_key(self.year, self.month)

    @property
    def label(self) -> str:
        return month_label(self.year, self.month)


@dataclass(frozen=True)
class Deduction:
    id: int
    criterion: int  # 1-based, in the template's order
    points: Decimal
    reason: str
    date: dt.date
    decision: Decision = Decision.MANUAL
    suggested: Decimal | None = None

    def describe(self) -> str:
        """As the sheet prints it in 扣分事由: the date, then the reason — except for a roster
        suggestion, whose reason names the days of its 值守记录 itself."""
        text = self.reason if self.decision is not Decision.MANUAL else f"{self.date.month}月{self.date.day}日 {self.reason}"
        if self.decision is Decision.ACCEPTED:
            text += "（采纳排班建议）"
        elif self.decision is Decision.CHANGED:
            text += f"（排班建议扣 {fmt_points(self.suggested or Decimal(0))} 分，改为 {fmt_points(self.points)} 分）"
        elif self.decision is Decision.REJECTED:
            text += f"（排班建议扣 {fmt_points(self.suggested or Decimal(0))} 分，未采纳）"
        return text


@dataclass(frozen=True)
class Sheet:
    """One worker's assessment for one month: what the printed sheet shows."""
    contract_code: str
    month: Month
    worker_id: int
    worker_name: str
    post_code: str
    post_name: str
    template: Template
    comment: str = ""
    deductions: tuple[Deduction, ...] = ()
    score_id: int | None = None

    def deducted(self, criterion: int) -> Decimal:
        return sum((d.points for d in self.deductions if d.criterion == criterion), Decimal(0))

    def criterion_score(self, criterion: int) -> Decimal:
        return self.template.criteria[criterion - 1].max - self.deducted(criterion)

    @property
    def total(self) -> Decimal:
        return sum((self.criterion_score(i) for i in range(1, len(self.template.criteria) + 1)), Decimal(0))

    @property
    def grade(self) -> str:
        return self.template.grade(self.total)

    @property
    def passed(self) -> bool:
        return self.template.passes(self.total)

    @property
    def sheet_no(self) -> str:
        base = f"KH-{self.month.year:04d}{self.month.month:02d}-{self.worker_id:03d}"
        return base if self.month.revision == 1 else f"{base}-R{self.month.revision}"

    def content(self) -> dict[str, Any]:
        """Everything the sheet prints that the record decides (not the status or the signing
        date: the sheet is printed to be signed)."""
        return {
            "contract": self.contract_code, "month": self.month.key, "revision": self.month.revision,
            "worker": [self.worker_id, self.worker_name], "post": self.post_name,
            "template": [self.template.id, self.template.version],
            "criteria": [[c.name, fmt_points(c.max), fmt_points(self.criterion_score(i))]
                         for i, c in enumerate(self.template.criteria, start=1)],
            "deductions": [[d.criterion, fmt_points(d.points), d.reason, d.date.isoformat(), d.decision.value,
                            None if d.suggested is None else fmt_points(d.suggested)] for d in self.deductions],
            "comment": self.comment, "total": fmt_points(self.total), "grade": self.grade,
        }

    @property
    def code(self) -> str:
        """The verification code printed on the sheet: derived from its content, so any
        change to the record (or a reopened month's new revision) gives another code."""
        digest = hashlib.sha256(json.dumps(self.content(), ensure_ascii=False, sort_keys=True).encode()).digest()
        text = base64.b32encode(digest).decode()[:10]
        return f"{text[:5]}-{text[5:]}"

    def as_json(self) -> dict[str, Any]:
        return {"worker_id": self.worker_id, "name": self.worker_name, "post": self.post_name,
                "total": fmt_points(self.total), "grade": self.grade, "passed": self.passed,
                "scores": {c.name: fmt_points(self.criterion_score(i))
                           for i, c in enumerate(self.template.criteria, start=1)},
                "deductions": len([d for d in self.deductions if d.points]), "sheet_no": self.sheet_no,
                "code": self.code, "template_version": self.template.version}


@dataclass(frozen=True)
class Row:
    """A worker in service during the month, with their sheet once scored."""
    assignment: Assignment
    post_name: str
    sheet: Sheet | None


@dataclass(frozen=True)
class MonthView:
    contract: Contract
    month: Month
    rows: tuple[Row, ...] = field(default_factory=tuple)

    @property
    def sheets(self) -> list[Sheet]:
        return [r.sheet for r in self.rows if r.sheet is not None]

    @property
    def unscored(self) -> list[Row]:
        return [r for r in self.rows if r.sheet is None]


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _month(row: dict[str, Any]) -> Month:
    year, month = parse_month_key(row["month"])
    return Month(row["id"], year, month, Status(row["status"]), row["revision"], _date(row["finalised_on"]),
                 _date(row["signed_on"]), row["reopen_reason"] or "")


def get_month(store: Store, year: int, month: int, contract: Contract | None = None) -> Month:
    contract = contract or active_contract(store)
    row = next(store.db["assessment_months"].rows_where(
        "contract_id = ? AND month = ?", [contract.id, month_key(year, month)]), None)
    return _month(row) if row else Month(None, year, month)


def load_month(store: Store, year: int, month: int, contract: Contract | None = None) -> MonthView:
    """Every worker in service during the month (from `staff.assignments`), with their sheet."""
    contract = contract or active_contract(store)
    _check_month_in_contract(contract, year, month)
    the_month = get_month(store, year, month, contract)
    first, last = month_bounds(year, month)
    posts = {p.id: p for p in contract.posts}
    scores: dict[int, dict[str, Any]] = {}
    by_score: dict[int, list[Deduction]] = {}
    if the_month.id is not None:
        scores = {r["worker_id"]: r for r in store.db["assessment_scores"].rows_where("month_id = ?", [the_month.id])}
        for d in store.db.query(
                "SELECT d.* FROM assessment_deductions d JOIN assessment_scores s ON s.id = d.score_id "
                "WHERE s.month_id = ? ORDER BY d.criterion, d.date, d.id", [the_month.id]):
            by_score.setdefault(d["score_id"], []).append(Deduction(
                d["id"], d["criterion"], from_tenths(d["points_tenths"]), d["reason"], dt.date.fromisoformat(d["date"]),
                Decision(d["decision"]), None if d["suggested_tenths"] is None else from_tenths(d["suggested_tenths"])))
    templates: dict[int, Template] = {}
    rows = []
    for a in _one_per_worker(assignments(store, first, last, contract)):
        if not contract.covers(max(first, a.start)):
            continue
        post = posts[a.post_id]
        score = scores.get(a.worker_id)
        sheet = None
        if score is not None:
            tid = score["template_id"]
            if tid not in templates:
                templates[tid] = get_template(store, tid)
            # A finalised sheet keeps the name it was printed with (a later correction of the
            # staff record does not alter the paper); a draft shows the record's.
            name = (score["worker_name"] if the_month.status is not Status.DRAFT and score["worker_name"]
                    else a.worker_name)
            sheet = Sheet(contract.code, the_month, a.worker_id, name, post.code, post.name,
                          templates[tid], score["comment"] or "", tuple(by_score.get(score["id"], ())), score["id"])
        rows.append(Row(a, post.name, sheet))
    return MonthView(contract, the_month, tuple(rows))


def _one_per_worker(stretches: list[Assignment]) -> list[Assignment]:
    """A worker who moved post during the month (调岗) is scored once, on the post they held
    at the month's end, for all their days of service in the month."""
    merged: dict[int, Assignment] = {}
    for a in stretches:
        seen = merged.get(a.worker_id)
        if seen is None:
            merged[a.worker_id] = a
            continue
        early, late = (seen, a) if seen.start <= a.start else (a, seen)
        end = None if early.end is None or late.end is None else max(early.end, late.end)
        merged[a.worker_id] = dataclasses.replace(late, start=early.start, end=end)
    return _ordered(stretches, merged)


def _ordered(stretches: list[Assignment], merged: dict[int, Assignment]) -> list[Assignment]:
    out, done = [], set()
    for a in stretches:
        if a.worker_id not in done:
            done.add(a.worker_id)
            out.append(merged[a.worker_id])
    return out


def sheet_for(view: MonthView, worker_id: int) -> Sheet | None:
    return next((r.sheet for r in view.rows if r.assignment.worker_id == worker_id), None)


# --- writing ---------------------------------------------------------------------------------

def _check_month_in_contract(contract: Contract, year: int, month: int) -> None:
    first, last = month_bounds(year, month)
    if last < contract.start_date or first > contract.end_date:
        raise ValidationError(f"{month_label(year, month)}不在合同服务期限内"
                              f"（{contract.start_date.isoformat()} 至 {contract.end_date.isoformat()}）。", "month")


def _refuse_unless_draft(the_month: Month) -> None:
    if the_month.status is Status.SIGNED:
        raise ValidationError(f"{the_month.label}的考核已签字，已锁定，不能修改。"
                              "如需更正，请先“撤销签字”并写明原因（记入修改记录），更正后重新打印、签字。", "status")
    if the_month.status is Status.FINAL:
        raise ValidationError(f"{the_month.label}的考核已定稿，不能修改。如需修改，请先“退回草稿”。", "status")


def _row_of(view: MonthView, worker_id: int) -> Row:
    for row in view.rows:
        if row.assignment.worker_id == worker_id:
            return row
    raise ValidationError(f"这位服务人员在{view.month.label}不在服务期内（按到岗、离场日期），不能为其评分。",
                          "worker")


def _ensure_month_row(store: Store, act: Any, contract: Contract, the_month: Month) -> int:
    if the_month.id is not None:
        return the_month.id
    existing = get_month(store, the_month.year, the_month.month, contract)  # made earlier in this action
    if existing.id is not None:
        return existing.id
    return int(act.insert("assessment_months", {"contract_id": contract.id, "month": the_month.key,
                                                "status": Status.DRAFT.value, "revision": 1}))


def _ensure_score(store: Store, act: Any, view: MonthView, row: Row) -> int:
    if row.sheet is not None and row.sheet.score_id is not None:
        return row.sheet.score_id
    month_id = _ensure_month_row(store, act, view.contract, view.month)
    ensure_templates(store)
    template = template_for(store, row.assignment.post_code)
    return int(act.insert("assessment_scores", {"month_id": month_id, "worker_id": row.assignment.worker_id,
                                                "post_id": row.assignment.post_id, "template_id": template.id,
                                                "comment": ""}))


def _editable(store: Store, year: int, month: int, worker_id: int) -> tuple[MonthView, Row]:
    contract = active_contract(store)
    _check_month_in_contract(contract, year, month)
    view = load_month(store, year, month, contract)
    _refuse_unless_draft(view.month)
    try:
        row = _row_of(view, worker_id)
    except ValidationError:
        from app.staff import get_worker

        worker = get_worker(store, worker_id)
        end = worker.end_date.isoformat() if worker.end_date else "至今"
        raise ValidationError(f"{worker.name}在{view.month.label}不在服务期内（{worker.start_date.isoformat()} 至 {end}），"
                              "不能为其评分。", "worker") from None
    return view, row


def score_worker(store: Store, year: int, month: int, worker_id: int) -> int:
    """Open the worker's sheet for the month with the template in force now (all criteria at
    their maximum); a worker with no deduction is scored by this alone."""
    view, row = _editable(store, year, month, worker_id)
    with store.action(f"{view.month.label}考核：{row.assignment.worker_name}评分") as act:
        return _ensure_score(store, act, view, row)


def score_all(store: Store, year: int, month: int) -> int:
    """Open every unscored worker's sheet at full marks; returns how many were opened."""
    contract = active_contract(store)
    _check_month_in_contract(contract, year, month)
    view = load_month(store, year, month, contract)
    _refuse_unless_draft(view.month)
    with store.action(f"{view.month.label}考核：其余服务人员按满分评分") as act:
        for row in view.unscored:
            _ensure_score(store, act, view, row)
    return len(view.unscored)


def add_deduction(store: Store, year: int, month: int, worker_id: int, criterion: int, points: Any,
                  reason: Any, date: Any, *, decision: Decision = Decision.MANUAL,
                  suggested: Decimal | None = None) -> int:
    view, row = _editable(store, year, month, worker_id)
    template = row.sheet.template if row.sheet else template_for(store, row.assignment.post_code)
    if not isinstance(criterion, int) or not 1 <= criterion <= len(template.criteria):
        raise ValidationError("请选择考核项目。", "criterion")
    item = template.criteria[criterion - 1]
    value = parse_points(points, "扣分", "points", allow_zero=decision is Decision.REJECTED)
    already = row.sheet.deducted(criterion) if row.sheet else Decimal(0)
    if value > item.max:
        raise ValidationError(f"扣分 {fmt_points(value)} 分超过“{item.name}”的分值 {fmt_points(item.max)} 分。", "points")
    if already + value > item.max:
        raise ValidationError(f"“{item.name}”分值 {fmt_points(item.max)} 分，已扣 {fmt_points(already)} 分，"
                              f"最多还能扣 {fmt_points(item.max - already)} 分，不能再扣 {fmt_points(value)} 分。", "points")
    text = check_text(reason, "扣分事由", MAX_REASON, "reason", multiline=False, required=True)
    day = parse_deduction_date(date, year, month)
    first, last = month_bounds(year, month)
    if not first <= day <= last:
        raise ValidationError(f"扣分日期 {day.isoformat()} 不在{view.month.label}内（应在 {first.isoformat()} 至 "
                              f"{last.isoformat()} 之间）。", "date")
    if day > clock.today():
        raise ValidationError(f"扣分日期 {day.isoformat()} 在今天之后。", "date")
    if not row.assignment.covers(day):
        raise ValidationError(f"扣分日期 {day.isoformat()} {row.assignment.worker_name}不在服务期内。", "date")
    with store.action(f"{view.month.label}考核：{row.assignment.worker_name}“{item.name}”扣 {fmt_points(value)} 分") as act:
        score_id = _ensure_score(store, act, view, row)
        return int(act.insert("assessment_deductions", {
            "score_id": score_id, "criterion": criterion, "points_tenths": tenths(value), "reason": text,
            "date": day.isoformat(), "decision": decision.value,
            "suggested_tenths": None if suggested is None else tenths(suggested)}))


def remove_deduction(store: Store, deduction_id: int) -> None:
    row = next(store.db.query(
        "SELECT d.id, m.month, w.name FROM assessment_deductions d JOIN assessment_scores s ON s.id = d.score_id "
        "JOIN assessment_months m ON m.id = s.month_id JOIN workers w ON w.id = s.worker_id WHERE d.id = ?",
        [deduction_id]), None)
    if row is None:
        raise ValidationError("找不到这条扣分记录，可能已被删除。请刷新后重试。")
    year, month = parse_month_key(row["month"])
    _refuse_unless_draft(get_month(store, year, month))
    with store.action(f"{month_label(year, month)}考核：撤回{row['name']}的一条扣分") as act:
        act.delete("assessment_deductions", deduction_id)


def set_comment(store: Store, year: int, month: int, worker_id: int, comment: Any) -> None:
    text = check_text(comment, "考核意见", MAX_COMMENT, "comment", multiline=True)
    view, row = _editable(store, year, month, worker_id)
    with store.action(f"{view.month.label}考核：{row.assignment.worker_name}的考核意见") as act:
        score_id = _ensure_score(store, act, view, row)
        act.update("assessment_scores", score_id, {"comment": text})


def finalise(store: Store, year: int, month: int, *, on: dt.date | None = None) -> Month:
    """草稿 → 已定稿: every worker in service that month must have been scored, and every
    deduction the roster suggests accepted, changed or rejected. `on` is the day it was
    finalised (today unless entered afterwards, e.g. for past months)."""
    from app.assessment_roster import suggested_deductions, undecided

    contract = active_contract(store)
    _check_month_in_contract(contract, year, month)  # before "not over yet": such a month never is
    day = on or clock.today()
    last = month_bounds(year, month)[1]
    if last >= clock.today():  # the month's service is not over: a failure on its last night counts too
        raise ValidationError(f"{month_label(year, month)}还没有结束（最后一天是 {last.isoformat()}），"
                              "整月的服务结束后才能定稿；在此之前可以先评分、记扣分。", "status")
    if day > clock.today() or day <= last:
        raise ValidationError(f"定稿日期 {day.isoformat()} 应在考核月份结束之后（{last.isoformat()} 以后）、不晚于今天。",
                              "finalised_on")
    view = load_month(store, year, month, contract)
    _refuse_unless_draft(view.month)
    if not view.rows:
        raise ValidationError(f"{view.month.label}没有在服务期内的服务人员，无需定稿。", "status")
    if view.unscored:
        names = "、".join(r.assignment.worker_name for r in view.unscored)
        raise ValidationError(f"还有 {len(view.unscored)} 位服务人员没有评分：{names}。"
                              "请逐一评分（无扣分的点“满分”），再定稿。", "status")
    pending = [s.key for s in undecided(view, suggested_deductions(store, year, month, view))]
    if pending:
        raise ValidationError(f"还有 {len(pending)} 条排班建议扣分未处理（{'、'.join(pending[:5])}）："
                              "请逐条采纳、修改或不采纳，再定稿。", "status")
    with store.action(f"{view.month.label}考核定稿") as act:
        act.update("assessment_months", view.month.id, {"status": Status.FINAL.value,
                                                         "finalised_on": day.isoformat()})
        for sheet in view.sheets:  # the names the sheets are printed with from now on
            act.update("assessment_scores", sheet.score_id, {"worker_name": sheet.worker_name})
    return get_month(store, year, month, contract)


def back_to_draft(store: Store, year: int, month: int) -> Month:
    the_month = get_month(store, year, month)
    if the_month.status is not Status.FINAL:
        raise ValidationError(f"{the_month.label}的考核状态是“{the_month.status.label}”，只有已定稿的才能退回草稿。"
                              + ("已签字的请用“撤销签字”。" if the_month.status is Status.SIGNED else ""), "status")
    with store.action(f"{the_month.label}考核退回草稿") as act:
        act.update("assessment_months", the_month.id, {"status": Status.DRAFT.value, "finalised_on": None})
        _release_names(store, act, the_month)
    return get_month(store, year, month)


def sign(store: Store, year: int, month: int, signed_on: Any) -> Month:
    """已定稿 → 已签字 on the day both sides signed the printed sheets."""
    the_month = get_month(store, year, month)
    if the_month.status is not Status.FINAL:
        raise ValidationError(f"{the_month.label}的考核状态是“{the_month.status.label}”：先定稿、打印考核表，"
                              "双方签字后再登记签字日期。" if the_month.status is Status.DRAFT
                              else f"{the_month.label}的考核已签字（{the_month.signed_on}）。", "status")
    day = parse_date(signed_on, "signed_on", required=True, label="签字日期")
    assert day is not None
    first, _ = month_bounds(year, month)
    if day < first:
        raise ValidationError(f"签字日期 {day.isoformat()} 早于考核月份{the_month.label}。", "signed_on")
    if the_month.finalised_on and day < the_month.finalised_on:
        raise ValidationError(f"签字日期 {day.isoformat()} 早于定稿日期 {the_month.finalised_on.isoformat()}。",
                              "signed_on")
    if day > clock.today():
        raise ValidationError(f"签字日期 {day.isoformat()} 在今天之后。", "signed_on")
    with store.action(f"{the_month.label}考核表签字") as act:
        act.update("assessment_months", the_month.id, {"status": Status.SIGNED.value, "signed_on": day.isoformat()})
    return get_month(store, year, month)


def reopen(store: Store, year: int, month: int, reason: Any) -> Month:
    """撤销签字: a signed month back to draft for a correction. The reason stays in the
    change history; the revision goes up, so every reprinted sheet gets a new code."""
    the_month = get_month(store, year, month)
    if the_month.status is not Status.SIGNED:
        raise ValidationError(f"{the_month.label}的考核状态是“{the_month.status.label}”，只有已签字的才需要撤销签字。",
                              "status")
    text = check_text(reason, "撤销签字的原因", 200, "reopen_reason", multiline=True, required=True)
    if len(text) < 4:
        raise ValidationError("请写明撤销签字的原因（至少 4 个字），它会记入修改记录。", "reopen_reason")
    with store.action(f"{the_month.label}考核撤销签字：{text}") as act:
        act.update("assessment_months", the_month.id, {
            "status": Status.DRAFT.value, "signed_on": None, "finalised_on": None,
            "revision": the_month.revision + 1, "reopen_reason": text})
        _release_names(store, act, the_month)
    return get_month(store, year, month)


def _release_names(store: Store, act: Any, the_month: Month) -> None:
    """Back in draft, the sheets show the staff record's names again."""
    for row in store.db["assessment_scores"].rows_where("month_id = ? AND worker_name IS NOT NULL", [the_month.id]):
        act.update("assessment_scores", row["id"], {"worker_name": None})


def _locked_placements(store: Store, worker_ids: Iterable[int]) -> dict[tuple[int, str], str | None]:
    """For each finalised or signed month a worker was scored in: the post their sheet
    shows (None: the month no longer lists them)."""
    ids = sorted(set(worker_ids))
    if not ids:
        return {}
    found: dict[tuple[int, str], str | None] = {}
    rows = store.db.query(
        "SELECT DISTINCT s.worker_id, m.month FROM assessment_scores s JOIN assessment_months m ON m.id = s.month_id "
        f"WHERE m.status != ? AND s.worker_id IN ({', '.join('?' * len(ids))}) ORDER BY m.month",
        [Status.DRAFT.value, *ids])
    views: dict[str, MonthView] = {}
    for row in rows:
        if row["month"] not in views:
            views[row["month"]] = load_month(store, *parse_month_key(row["month"]))
        held = next((r for r in views[row["month"]].rows if r.assignment.worker_id == row["worker_id"]), None)
        found[(row["worker_id"], row["month"])] = None if held is None or held.sheet is None else held.post_name
    return found


@contextmanager
def locked_months_kept(store: Store, *worker_ids: int) -> Iterator[None]:
    """Around the writes (inside an action) that change workers' dates of service or posts:
    a finalised or signed month is locked, so a change that would take a scored worker out
    of such a month or put another post on their sheet is refused, and the action rolled
    back. Only 撤销签字 (or 退回草稿) opens such a month for a correction."""
    before = _locked_placements(store, worker_ids)
    yield
    if not before:
        return
    after = _locked_placements(store, worker_ids)
    touched = sorted({month for (wid, month), post in before.items() if after.get((wid, month)) != post})
    if not touched:
        return
    statuses = {m: get_month(store, *parse_month_key(m)) for m in touched}
    months = "、".join(f"{statuses[m].label}（{statuses[m].status.label}）" for m in touched)
    raise ValidationError(
        f"这项修改会改变{months}考核表上的服务人员或岗位，而这些月份的考核已定稿或已签字，已锁定。"
        "如确需更正，请先在“月度考核”中撤销签字（写明原因）或退回草稿，修改后重新打印、签字。")
