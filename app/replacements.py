"""Replacing a service worker (人员更换) and the system-account register (系统账号).

五.4: the vendor replaces a worker only after a week's notice and the office's consent;
less than 7 days between notice and effect is flagged, not refused (the clerk records
what happened). 四.4: the office may demand immediate replacement after two failed
monthly assessments or a serious failure; such a demand is effective at once.
四.6: the office grants system accounts for the service only; when a worker leaves,
accounts still open are shown as a reminder to revoke them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Mapping

from app import clock
from app.audit import value_before
from app.contract import active_contract
from app.errors import ValidationError
from app.labels import field_label, value_label
from app.staff import Status, Worker, can_correct_post, get_worker, move_post, parse_date
from app.store.store import Action, Store
from app.validation import check_text

NOTICE_DAYS = 7  # 五.4 提前一周
MAX_TEXT = 500

_COLUMNS = {"leaving": "leaving_worker_id", "incoming": "incoming_worker_id"}
LABELS = {field: field_label("replacements", _COLUMNS.get(field, field)) for field in (
    "leaving", "incoming", "requested_by", "notified_on", "effective_on", "consent", "consent_on", "reason",
    "grounds")}


class RequestedBy(StrEnum):
    VENDOR = "vendor"
    OFFICE = "office"

    @property
    def label(self) -> str:
        return value_label("requested_by", self.value)


class Consent(StrEnum):
    PENDING = "pending"
    AGREED = "agreed"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return value_label("consent", self.value)


@dataclass(frozen=True)
class Replacement:
    id: int
    post_id: int
    post_name: str
    leaving_id: int
    leaving_name: str
    incoming_id: int | None
    incoming_name: str
    requested_by: RequestedBy
    notified_on: dt.date
    effective_on: dt.date
    consent: Consent
    consent_on: dt.date | None
    reason: str
    grounds: str

    @property
    def notice_days(self) -> int:
        return (self.effective_on - self.notified_on).days

    @property
    def short_notice(self) -> bool:
        """五.4: a vendor's replacement needs a week's notice."""
        return self.notice.level is Level.WARNING

    @property
    def notice(self) -> "Notice":
        return notice_for(self.requested_by, self.notified_on, self.effective_on)

    def notice_text(self) -> str:
        return self.notice.text


class Level(StrEnum):
    INFO = "info"
    WARNING = "warning"  # against the contract: shown in red


@dataclass(frozen=True)
class Notice:
    """A sentence for the clerk with how much it matters; screens colour by `level`,
    never by looking inside the text."""
    text: str
    level: Level = Level.INFO


def notice_for(requested_by: str, notified_on: dt.date, effective_on: dt.date) -> Notice:
    """The notice a replacement gives (五.4 a week for the vendor; 四.4 at once for the office),
    for the list and for the form while the clerk types."""
    if RequestedBy(requested_by) is RequestedBy.OFFICE:
        return Notice("立即更换（第四条第4款）")
    days = (effective_on - notified_on).days
    if days < 0:
        return Notice(f"事后告知（晚 {-days} 天）⚠ 未提前一周（第五条第4款）", Level.WARNING)
    if days < NOTICE_DAYS:
        return Notice(f"提前 {days} 天 ⚠ 不足一周（第五条第4款）", Level.WARNING)
    return Notice(f"提前 {days} 天")


def _text(data: Mapping[str, Any], field: str, *, required: bool = False) -> str:
    return check_text(str(data.get(field) or ""), LABELS[field], MAX_TEXT, field, multiline=True, required=required)


def _date_field(data: Mapping[str, Any], field: str, required: bool = False) -> dt.date | None:
    return parse_date(data.get(field), field, required=required, label=LABELS[field])


def _worker_id(value: Any, field: str) -> int:
    try:
        number = int(value)
        if not 0 < number < 2**63:
            raise ValueError(value)
        return number
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(f"请从列表中选择{LABELS[field]}。", field) from None


def record_replacement(store: Store, data: Mapping[str, Any]) -> int:
    """Record a replacement; when it is in force (an office demand, or the vendor's
    request with the office's consent) the leaving worker's last day becomes the day
    before it takes effect and the incoming worker takes the post."""
    contract = active_contract(store)
    today = clock.today()
    if not data.get("leaving"):
        raise ValidationError("请选择被更换的服务人员。", "leaving")
    leaving = get_worker(store, _worker_id(data["leaving"], "leaving"))
    try:
        by = RequestedBy(data.get("requested_by") or "")
    except ValueError:
        raise ValidationError("请选择提出方：乙方申请或甲方要求。", "requested_by") from None
    notified = _date_field(data, "notified_on", required=True)
    assert notified is not None
    contract.check_in_period(notified, LABELS["notified_on"], "notified_on")
    if notified > today:
        raise ValidationError(f"告知日期 {notified.isoformat()} 晚于今天，请按实际告知的日期填写。", "notified_on")
    effective = _date_field(data, "effective_on") or (notified if by is RequestedBy.OFFICE else None)
    if effective is None:
        raise ValidationError("生效日期不能为空。", "effective_on")
    contract.check_in_period(effective, LABELS["effective_on"], "effective_on")
    if effective <= leaving.start_date:
        raise ValidationError(
            f"生效日期 {effective.isoformat()} 应晚于{leaving.name}的到岗日期 {leaving.start_date.isoformat()}。",
            "effective_on")
    if leaving.left_on and leaving.left_on < effective - dt.timedelta(days=1):
        raise ValidationError(f"{leaving.name}已于 {leaving.left_on.isoformat()} 离场，不能再更换。", "leaving")
    if by is RequestedBy.OFFICE:
        if effective < notified:
            raise ValidationError("甲方要求更换时，生效日期不能早于提出要求的日期。", "effective_on")
        consent_on: dt.date | None = notified
        consent = Consent.AGREED
    else:
        try:
            consent = Consent(data.get("consent") or Consent.PENDING)
        except ValueError:
            raise ValidationError("甲方意见只能是：待甲方同意、同意或不同意。", "consent") from None
        consent_on = _date_field(data, "consent_on", required=consent is not Consent.PENDING)
        if consent is Consent.PENDING:
            consent_on = None
        elif consent_on is not None and (consent_on < notified or consent_on > today):
            raise ValidationError("甲方意见日期应在告知日期之后、今天之前。", "consent_on")
    leaving_post = leaving.post_on(effective - dt.timedelta(days=1))
    assert leaving_post is not None
    reason = _text(data, "reason", required=True)
    grounds = _text(data, "grounds")
    incoming = None
    if data.get("incoming"):
        incoming = get_worker(store, _worker_id(data["incoming"], "incoming"))
        if incoming.id == leaving.id:
            raise ValidationError("接替人员不能是被更换人员本人。", "incoming")
        if incoming.status(today) is Status.LEFT:
            raise ValidationError(f"接替人员{incoming.name}已离场。", "incoming")
        if incoming.start_date > effective:
            raise ValidationError(
                f"接替人员{incoming.name}的到岗日期 {incoming.start_date.isoformat()} 晚于生效日期，"
                "请先修改其到岗日期。", "incoming")
        _check_takes_post(incoming, effective)
    record = {
        "contract_id": contract.id, "post_id": leaving_post.post_id, "leaving_worker_id": leaving.id,
        "incoming_worker_id": incoming.id if incoming else None, "requested_by": by.value,
        "notified_on": notified, "effective_on": effective, "consent": consent.value,
        "consent_on": consent_on, "reason": reason, "grounds": grounds,
    }
    with store.action(f"人员更换：{leaving.name}（{by.label}）") as act:
        replacement_id = act.insert("replacements", record)
        if consent is Consent.AGREED:
            _put_in_force(act, store, replacement_id)
    return replacement_id


def _put_in_force(act: Action, store: Store, replacement_id: int) -> None:
    from app.assessment import locked_months_kept  # assessment builds on staff, as this module does

    row = store.db["replacements"].get(replacement_id)
    with locked_months_kept(store, *(w for w in (row["leaving_worker_id"], row["incoming_worker_id"]) if w)):
        _apply(act, store, row)


def _apply(act: Action, store: Store, row: Any) -> None:
    effective = dt.date.fromisoformat(row["effective_on"])
    leaving = get_worker(store, row["leaving_worker_id"])
    last_day = effective - dt.timedelta(days=1)
    if leaving.left_on is None or leaving.left_on > last_day:
        act.update("workers", leaving.id, {"left_on": last_day})
    if row["incoming_worker_id"]:
        incoming = get_worker(store, row["incoming_worker_id"])  # may have been edited while pending
        _take_post(act, store, incoming, row["post_id"], effective, row["reason"] or "")


def _take_post(act: Action, store: Store, incoming: Worker, post_id: int, effective: dt.date, reason: str) -> None:
    """The incoming worker serves on the post from the effective day. Someone new who starts
    that day simply gets the post; someone already serving elsewhere moves from that day
    (调岗), so their days on the old post stay there."""
    current = incoming.post_on(effective)
    if current is not None and current.post_id == post_id:
        return
    if can_correct_post(incoming, effective - dt.timedelta(days=1)):  # starts on the effective day
        first = incoming.stretches[0]
        act.update("workers", incoming.id, {"post_id": post_id})
        if first.id:
            act.update("worker_posts", first.id, {"post_id": post_id})
        return
    move_post(act, store, incoming, post_id, effective, f"人员更换接替：{reason}"[:MAX_TEXT])


def _check_takes_post(incoming: Worker, effective: dt.date) -> None:
    later = [s for s in incoming.stretches[1:] if s.start > effective]
    if later:
        raise ValidationError(f"接替人员{incoming.name}已登记自 {later[0].start.isoformat()} 起在“{later[0].post_name}”"
                              "岗位，不能在此之前接替。", "incoming")


def decide_replacement(store: Store, replacement_id: int, consent: str, consent_on: Any) -> None:
    """The office's answer to a vendor's pending request."""
    rep = get_replacement(store, replacement_id)
    if rep.consent is not Consent.PENDING:
        raise ValidationError(f"这条更换已有甲方意见（{rep.consent.label}），不能再改。", "consent")
    try:
        decision = Consent(consent)
    except ValueError:
        raise ValidationError("请选择同意或不同意。", "consent") from None
    if decision is Consent.PENDING:
        raise ValidationError("请选择同意或不同意。", "consent")
    day = _date_field({"consent_on": consent_on}, "consent_on", required=True)
    assert day is not None
    if day < rep.notified_on or day > clock.today():
        raise ValidationError("甲方意见日期应在告知日期之后、今天之前。", "consent_on")
    with store.action(f"人员更换{decision.label}：{rep.leaving_name}") as act:
        act.update("replacements", replacement_id, {"consent": decision.value, "consent_on": day})
        if decision is Consent.AGREED:
            _put_in_force(act, store, replacement_id)


def can_withdraw(rep: Replacement, today: dt.date | None = None) -> bool:
    """A decision can be taken back while the replacement has not taken effect."""
    return rep.consent is not Consent.PENDING and rep.requested_by is RequestedBy.VENDOR \
        and rep.effective_on > (today or clock.today())


def withdraw_decision(store: Store, replacement_id: int, reason: str) -> None:
    """Take back 甲方同意/不同意 given by mistake, while the replacement is not in effect:
    the request is pending again and what the consent changed is put back."""
    rep = get_replacement(store, replacement_id)
    if rep.consent is Consent.PENDING:
        raise ValidationError("这条更换还没有甲方意见，不需要撤回。", "consent")
    if rep.requested_by is RequestedBy.OFFICE:
        raise ValidationError("甲方要求的更换即时生效，不能撤回；如有错误请另行登记。", "consent")
    if not can_withdraw(rep):
        raise ValidationError(f"这条更换已于 {rep.effective_on.isoformat()} 生效，甲方意见不能再撤回。", "consent")
    reason = check_text(reason, "撤回原因", MAX_TEXT, "withdraw_reason", required=True)
    with store.action(f"撤回甲方意见（{rep.consent.label}）：{rep.leaving_name}，原因：{reason}") as act:
        act.update("replacements", replacement_id, {"consent": Consent.PENDING.value, "consent_on": None})
        if rep.consent is not Consent.AGREED:
            return
        last_day = (rep.effective_on - dt.timedelta(days=1)).isoformat()
        leaving = get_worker(store, rep.leaving_id)
        if leaving.left_on and leaving.left_on.isoformat() == last_day:
            act.update("workers", leaving.id,
                       {"left_on": value_before(store, "workers", leaving.id, "left_on", last_day)})
        if rep.incoming_id:
            incoming = get_worker(store, rep.incoming_id)
            moved = next((st for st in incoming.stretches if st.start == rep.effective_on and st.id), None)
            if moved is not None and moved is not incoming.stretches[0] and moved.post_id == rep.post_id:
                act.delete("worker_posts", moved.id)
                remaining = [st for st in incoming.stretches if st is not moved]
                act.update("workers", incoming.id, {"post_id": remaining[-1].post_id})
            elif incoming.stretches and incoming.stretches[0].id and incoming.stretches[0].post_id == rep.post_id:
                first = incoming.stretches[0]
                old_post = value_before(store, "worker_posts", first.id, "post_id", rep.post_id)
                if old_post is not None and len(incoming.stretches) == 1:
                    act.update("worker_posts", first.id, {"post_id": old_post})
                    act.update("workers", incoming.id, {"post_id": old_post})


_SELECT = (
    "SELECT r.*, p.name AS post_name, l.name AS leaving_name, i.name AS incoming_name "
    "FROM replacements r JOIN posts p ON p.id = r.post_id JOIN workers l ON l.id = r.leaving_worker_id "
    "LEFT JOIN workers i ON i.id = r.incoming_worker_id "
)


def _replacement(row: Mapping[str, Any]) -> Replacement:
    return Replacement(
        id=row["id"], post_id=row["post_id"], post_name=row["post_name"], leaving_id=row["leaving_worker_id"],
        leaving_name=row["leaving_name"], incoming_id=row["incoming_worker_id"],
        incoming_name=row["incoming_name"] or "", requested_by=RequestedBy(row["requested_by"]),
        notified_on=dt.date.fromisoformat(row["notified_on"]), effective_on=dt.date.fromisoformat(row["effective_on"]),
        consent=Consent(row["consent"]),
        consent_on=dt.date.fromisoformat(row["consent_on"]) if row["consent_on"] else None,
        reason=row["reason"] or "", grounds=row["grounds"] or "",
    )


def list_replacements(store: Store) -> list[Replacement]:
    contract = active_contract(store)
    rows = store.db.query(_SELECT + "WHERE r.contract_id = ? ORDER BY r.effective_on DESC, r.id DESC", [contract.id])
    return [_replacement(r) for r in rows]


def get_replacement(store: Store, replacement_id: int) -> Replacement:
    row = next(store.db.query(_SELECT + "WHERE r.id = ?", [replacement_id]), None)
    if row is None:
        raise ValidationError("找不到这条更换记录。")
    return _replacement(row)


# --- system accounts (四.6) -----------------------------------------------------------------

ACCOUNT_LABELS = {f: field_label("system_accounts", f) for f in ("platform", "account_name", "granted_on", "revoked_on")}


@dataclass(frozen=True)
class Account:
    id: int
    worker_id: int
    worker_name: str
    platform: str
    account_name: str
    granted_on: dt.date
    revoked_on: dt.date | None
    notes: str = ""

    @property
    def is_open(self) -> bool:
        return self.revoked_on is None


def _account_text(data: Mapping[str, Any], field: str) -> str:
    return check_text(str(data.get(field) or ""), ACCOUNT_LABELS[field], 60, field, required=True)


def _account_day(data: Mapping[str, Any], field: str, required: bool) -> dt.date | None:
    return parse_date(data.get(field), field, required=required, label=ACCOUNT_LABELS[field])


def add_account(store: Store, worker_id: int, data: Mapping[str, Any]) -> int:
    worker = get_worker(store, worker_id)
    platform = _account_text(data, "platform")
    name = _account_text(data, "account_name")
    granted = _account_day(data, "granted_on", True)
    assert granted is not None
    active_contract(store).check_in_period(granted, "开通日期", "granted_on")
    if worker.end_date is not None and granted > worker.end_date:
        raise ValidationError(f"{worker.name}的最后服务日是 {worker.end_date.isoformat()}，"
                              f"开通日期 {granted.isoformat()} 在此之后：离场后不能再开通系统账号（第四条第6款）。",
                              "granted_on")
    revoked = _account_day(data, "revoked_on", False)
    if revoked and revoked < granted:
        raise ValidationError("注销日期早于开通日期。", "revoked_on")
    clash = store.db["system_accounts"].count_where(
        "platform = ? AND account_name = ? AND revoked_on IS NULL", [platform, name])
    if clash:
        raise ValidationError(f"{platform}的账号“{name}”已登记给他人且尚未注销。", "account_name")
    with store.action(f"登记系统账号：{worker.name} {platform}") as act:
        return act.insert("system_accounts", {"worker_id": worker.id, "platform": platform, "account_name": name,
                                               "granted_on": granted, "revoked_on": revoked,
                                               "notes": check_text(str(data.get("notes") or ""), "备注", MAX_TEXT,
                                                                   "notes", multiline=True)})


def revoke_account(store: Store, account_id: int, revoked_on: Any) -> None:
    row = store.db["system_accounts"].get(account_id)
    day = _account_day({"revoked_on": revoked_on}, "revoked_on", True)
    assert day is not None
    if day < dt.date.fromisoformat(row["granted_on"]):
        raise ValidationError("注销日期早于开通日期。", "revoked_on")
    if row["revoked_on"]:
        raise ValidationError(f"该账号已于 {row['revoked_on']} 注销。", "revoked_on")
    with store.action(f"注销系统账号：{row['platform']} {row['account_name']}") as act:
        act.update("system_accounts", account_id, {"revoked_on": day})


def list_accounts(store: Store, worker_id: int | None = None) -> list[Account]:
    contract = active_contract(store)
    sql = ("SELECT a.*, w.name AS worker_name FROM system_accounts a JOIN workers w ON w.id = a.worker_id "
           "WHERE w.contract_id = ?")
    params: list[Any] = [contract.id]
    if worker_id is not None:
        sql += " AND a.worker_id = ?"
        params.append(worker_id)
    return [
        Account(r["id"], r["worker_id"], r["worker_name"], r["platform"], r["account_name"],
                dt.date.fromisoformat(r["granted_on"]),
                dt.date.fromisoformat(r["revoked_on"]) if r["revoked_on"] else None, r["notes"] or "")
        for r in store.db.query(sql + " ORDER BY w.id, a.granted_on, a.id", params)
    ]


def accounts_to_revoke(store: Store, today: dt.date | None = None) -> list[Account]:
    """Open accounts of workers who have left (or whose last day is set): 四.6 reminder."""
    from app.staff import list_workers

    today = today or clock.today()
    leaving = {w.id for w in list_workers(store) if w.left_on is not None or w.status(today) is Status.LEFT}
    return [a for a in list_accounts(store) if a.is_open and a.worker_id in leaving]


def agreed_successor(store: Store, worker_id: int) -> tuple[str, str | None] | None:
    """The first agreed replacement of `worker_id`: its effective day (ISO) and the incoming
    worker's name (None when nobody is named yet)."""
    row = store.db.execute(
        "SELECT r.effective_on, i.name FROM replacements r LEFT JOIN workers i ON i.id = r.incoming_worker_id "
        "WHERE r.leaving_worker_id = ? AND r.consent = 'agreed' ORDER BY r.effective_on LIMIT 1",
        [worker_id]).fetchone()
    return (row[0], row[1]) if row else None
