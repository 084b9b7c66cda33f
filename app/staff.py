"""The vendor's service workers (服务人员): who is on which post, since when, and the
vendor's promises about them (clauses 五.6, 五.7).

Validation lives here once, for the form, the Excel import and the command line: every
refusal is a ValidationError whose message is Chinese and whose `field` names the input.
A worker is never deleted once anything refers to them; they leave with an end date.
Their status (在岗/未到岗/已离场) is worked out from the dates and today, never stored.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Callable, Mapping

from app import clock
from app.contract import Contract, Post, active_contract
from app.errors import ValidationError
from app.labels import field_label, value_label
from app.idcard import mask_id_number, mask_phone, normalize, parse_id_number
from app.store.store import Store
from app.validation import MIDDLE_DOTS, check_text

MIN_WORKING_AGE = 16  # 劳动法 §15
MAX_NAME_LENGTH = 30
MAX_TEXT_LENGTH = 500

# The labels are the catalogue's (app.labels): the form, the list, the Excel file and the
# change history name a field the same way.
FIELD_LABELS = {
    **{f: field_label("workers", "post_id" if f == "post" else f) for f in (
        "name", "gender", "id_number", "phone", "post", "start_date", "planned_end", "hours_scheme",
        "emergency_contact", "emergency_phone", "labour_contract_on", "social_insurance_on", "training_on",
        "notes", "left_on")},
    "post_from": field_label("worker_posts", "start_date"),
    "post_reason": field_label("worker_posts", "reason"),
}
# The order of the paper form, and of the Excel export.
FORM_FIELDS = tuple(f for f in FIELD_LABELS if f not in ("left_on", "post_from", "post_reason"))
COMPLIANCE_FIELDS = ("labour_contract_on", "social_insurance_on", "training_on")
COMPLIANCE_LABELS = {"labour_contract_on": "劳动合同", "social_insurance_on": "社保", "training_on": "岗前培训"}


class HoursScheme(StrEnum):
    STANDARD = "standard"
    COMPREHENSIVE = "comprehensive"

    @property
    def label(self) -> str:
        return value_label("hours_scheme", self.value)

    @classmethod
    def parse(cls, text: str) -> "HoursScheme":
        text = normalize(text).lower()
        if text in ("", "standard", "标准工时", "标准工时制", "标准"):
            return cls.STANDARD
        if text in ("comprehensive", "综合工时", "综合工时制", "综合计算工时制", "综合计算工时", "综合"):
            return cls.COMPREHENSIVE
        raise ValueError(text)


class Status(StrEnum):
    ON_DUTY = "在岗"
    WAITING = "未到岗"  # starts later; not a word that reads as the office idling them
    LEFT = "已离场"


@dataclass(frozen=True)
class PostStretch:
    """One row of `worker_posts`: on this post from `start` (until the next stretch)."""
    id: int
    post_id: int
    post_code: str
    post_name: str
    start: dt.date
    reason: str = ""


@dataclass(frozen=True)
class Worker:
    id: int
    contract_id: int
    post_id: int
    post_code: str
    post_name: str
    name: str
    gender: str
    id_number: str
    phone: str
    start_date: dt.date
    planned_end: dt.date | None
    left_on: dt.date | None
    hours_scheme: HoursScheme
    emergency_contact: str = ""
    emergency_phone: str = ""
    labour_contract_on: dt.date | None = None
    social_insurance_on: dt.date | None = None
    training_on: dt.date | None = None
    notes: str = ""
    # Every post the worker has served on, in order: the first from their first day, each
    # later one from the day they moved (调岗). `post_*` above is the post as of today.
    stretches: tuple["PostStretch", ...] = ()

    def post_on(self, day: dt.date) -> "PostStretch | None":
        """The stretch in force on `day` (before the first day: the first stretch)."""
        current = self.stretches[0] if self.stretches else None
        for stretch in self.stretches:
            if stretch.start <= day:
                current = stretch
        return current

    @property
    def end_date(self) -> dt.date | None:
        """The last day of service: the day they left, else the planned end."""
        return self.left_on or self.planned_end

    def status(self, today: dt.date | None = None) -> Status:
        today = today or clock.today()
        if today < self.start_date:
            return Status.WAITING
        if self.end_date and today > self.end_date:
            return Status.LEFT
        return Status.ON_DUTY

    def serves_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def missing_compliance(self) -> list[str]:
        """The vendor's promises (五.6, 五.7) not yet verified for this worker."""
        return [COMPLIANCE_LABELS[f] for f in COMPLIANCE_FIELDS if getattr(self, f) is None]

    def as_json(self, *, unmasked: bool = False, today: dt.date | None = None) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "gender": self.gender,
            "id_number": self.id_number if unmasked else self.masked_id,
            "phone": self.phone if unmasked else self.masked_phone,
            "post": self.post_name,
            "post_code": self.post_code,
            "start_date": self.start_date.isoformat(),
            "planned_end": _iso(self.planned_end),
            "left_on": _iso(self.left_on),
            "status": self.status(today).value,
            "hours_scheme": self.hours_scheme.label,
            **{f: _iso(getattr(self, f)) for f in COMPLIANCE_FIELDS},
        }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# --- reading input -------------------------------------------------------------------------

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(value: Any, field: str, *, required: bool = False, label: str | None = None) -> dt.date | None:
    """A date from the form (date), Excel (datetime) or text such as 2026-01-05,
    2026/1/5, 2026.1.5 or 2026年1月5日."""
    label = label or FIELD_LABELS.get(field, field)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = normalize(str(value)) if value is not None else ""
    if not text:
        if required:
            raise ValidationError(f"{label}不能为空。", field)
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                raise ValidationError(f"{label}“{text}”不是真实的日期。", field) from None
    raise ValidationError(f"{label}“{_short(text)}”格式不对，应为 年-月-日，例如 2026-01-05。", field)


def _short(text: str, limit: int = 20) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= limit else text[:limit] + "…"


def _text(data: Mapping[str, Any], field: str) -> str:
    value = data.get(field)
    return "" if value is None else str(value).strip()


_NAME_EXTRA = "·- "


def clean_name(value: Any) -> str:
    # NFKC: full-width letters typed with a Chinese input method become ordinary ones; every
    # form of middle dot is the 间隔号 of minority names (阿依古丽·买买提).
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    text = "".join("·" if ch in MIDDLE_DOTS + "." else ch for ch in text)  # 买买提.艾力 too
    name = check_text(text, "姓名", MAX_NAME_LENGTH, "name", required=True)
    name = re.sub(r" ?· ?", "·", name)
    bad = [ch for ch in name if not unicodedata.category(ch).startswith("L") and ch not in _NAME_EXTRA]
    if bad:
        raise ValidationError(f"姓名中不能有“{_short(''.join(dict.fromkeys(bad)), 8)}”，只能是汉字、字母和间隔号·。",
                              "name")
    return name


def clean_mobile(value: Any, field: str = "phone") -> str:
    label = FIELD_LABELS[field]
    phone = normalize(str(value) if value is not None else "").replace("-", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if not phone:
        raise ValidationError(f"{label}不能为空。", field)
    if not phone.isascii() or not phone.isdigit():
        raise ValidationError(f"{label}“{_short(phone)}”只能包含数字。", field)
    if len(phone) != 11:
        raise ValidationError(f"{label}应为11位数字，“{_short(phone)}”是{len(phone)}位。", field)
    if not phone.startswith("1"):
        raise ValidationError(f"{label}“{phone}”不是手机号：手机号以1开头。", field)
    return phone


def clean_other_phone(value: Any, field: str) -> str:
    """Emergency numbers may be landlines (010-87192148) as well as mobiles."""
    text = normalize(str(value) if value is not None else "")
    if not text:
        return ""
    digits = text.replace("-", "")
    if not digits.isascii() or not digits.isdigit() or not 7 <= len(digits) <= 12:
        raise ValidationError(f"{FIELD_LABELS[field]}“{_short(text)}”不对，应为7至12位数字（座机可带区号和-）。", field)
    return text


def find_post(contract: Contract, text: Any) -> Post:
    """A post by code, exact name, or a unique part of its name (Excel: 机动 → 机动岗)."""
    key = normalize(str(text) if text is not None else "")
    if not key:
        raise ValidationError("岗位不能为空，请选择合同约定的岗位。", "post")
    for post in contract.posts:
        if key in (post.code.upper(), normalize(post.name)):
            return post
    partial = [p for p in contract.posts if key in normalize(p.name) or normalize(p.name) in key]
    if len(partial) == 1:
        return partial[0]
    if partial:  # "接诉即办" is part of two posts' names: say which two
        raise ValidationError(f"岗位“{_short(str(text).strip())}”不明确，可能是："
                              + "、".join(f"“{p.name}”" for p in partial) + "，请写明是哪一个。", "post")
    names = "、".join(p.name for p in contract.posts)
    raise ValidationError(f"岗位“{_short(str(text).strip())}”不是合同约定的岗位。合同岗位为：{names}。", "post")


def worker_problems(store: Store, data: Mapping[str, Any], *, contract: Contract | None = None,
                    worker_id: int | None = None, today: dt.date | None = None,
                    known_ids: Mapping[str, str] | None = None) -> tuple[dict[str, Any], list[ValidationError]]:
    """Check a whole form; returns the record ready to store and every problem found.

    `known_ids` maps ID numbers already claimed (e.g. by earlier rows of an import) to
    where they were claimed, so duplicates within one file are refused too.
    """
    contract = contract or active_contract(store)
    today = today or clock.today()
    record: dict[str, Any] = {"contract_id": contract.id}
    problems: list[ValidationError] = []

    def check(field: str, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationError as err:
            err.field = err.field or field
            problems.append(err)
            return None

    record["name"] = check("name", clean_name, data.get("name"))
    info = check("id_number", parse_id_number, str(data.get("id_number") or ""), today=today)
    record["id_number"] = info.number if info else None
    record["phone"] = check("phone", clean_mobile, data.get("phone"))
    post = check("post", find_post, contract, data.get("post"))
    record["post_id"] = post.id if post else None
    start = check("start_date", parse_date, data.get("start_date"), "start_date", required=True)
    planned_end = check("planned_end", parse_date, data.get("planned_end"), "planned_end")
    for field, day in (("start_date", start), ("planned_end", planned_end)):
        if day is not None:
            check(field, contract.check_in_period, day, FIELD_LABELS[field], field)
    if start and planned_end and planned_end < start:
        problems.append(ValidationError(
            f"计划离场日期 {planned_end.isoformat()} 早于到岗日期 {start.isoformat()}。", "planned_end"))
    record["start_date"], record["planned_end"] = start, planned_end

    gender = _text(data, "gender")
    if gender not in ("", "男", "女"):
        problems.append(ValidationError(f"性别只能是“男”或“女”，不能是“{_short(gender)}”。", "gender"))
    elif info and gender and gender != info.gender:
        problems.append(ValidationError(
            f"性别“{gender}”与身份证号不符（身份证号第17位表示{info.gender}性），请核对。", "gender"))
    record["gender"] = info.gender if info else (gender or None)
    if info and start and info.age_on(start) < MIN_WORKING_AGE:
        problems.append(ValidationError(
            f"按身份证号，此人到岗时未满{MIN_WORKING_AGE}周岁（出生于 {info.birth_date.isoformat()}），不能提供服务。",
            "id_number"))
    if info:
        clash = id_clash(store, contract, info.number, worker_id, known_ids)
        if clash:
            problems.append(ValidationError(f"身份证号与{clash}重复，同一合同中一个人只能登记一次。", "id_number"))

    try:
        record["hours_scheme"] = HoursScheme.parse(str(data.get("hours_scheme") or "")).value
    except ValueError:
        problems.append(ValidationError("工时制度只能是“标准工时”或“综合工时”。", "hours_scheme"))
    record["emergency_contact"] = check("emergency_contact", check_text, data.get("emergency_contact") or "",
                                        FIELD_LABELS["emergency_contact"], MAX_NAME_LENGTH, "emergency_contact")
    record["emergency_phone"] = check("emergency_phone", clean_other_phone, data.get("emergency_phone"),
                                      "emergency_phone")
    for field in COMPLIANCE_FIELDS:
        day = check(field, parse_date, data.get(field), field)
        if day and day > today:
            problems.append(ValidationError(f"{FIELD_LABELS[field]} {day.isoformat()} 晚于今天，核验日期不能在将来。",
                                            field))
        record[field] = day
    record["notes"] = check("notes", check_text, str(data.get("notes") or ""), FIELD_LABELS["notes"],
                            MAX_TEXT_LENGTH, "notes", multiline=True)
    return record, problems


def id_clash(store: Store, contract: Contract, number: str, worker_id: int | None,
              known_ids: Mapping[str, str] | None) -> str | None:
    if known_ids and number in known_ids:
        return known_ids[number]
    row = next(store.db.query(
        "SELECT id, name FROM workers WHERE contract_id = ? AND id_number = ? AND id IS NOT ?",
        [contract.id, number, worker_id]), None)
    return f"已登记的服务人员“{row['name']}”" if row else None


def validate_worker(store: Store, data: Mapping[str, Any], *, worker_id: int | None = None,
                    contract: Contract | None = None) -> dict[str, Any]:
    """The record to store, or the first problem as a ValidationError (form order)."""
    record, problems = worker_problems(store, data, contract=contract, worker_id=worker_id)
    if problems:
        order = {f: i for i, f in enumerate(FORM_FIELDS)}
        raise min(problems, key=lambda e: order.get(e.field or "", len(order)))
    return record


# --- reading the store --------------------------------------------------------------------

_SELECT = ("SELECT workers.*, posts.code AS post_code, posts.name AS post_name, posts.sort_order "
           "FROM workers JOIN posts ON posts.id = workers.post_id ")


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _worker(row: Mapping[str, Any], stretches: list[PostStretch], today: dt.date) -> Worker:
    if not stretches:  # written by a path that does not record stretches: one post throughout
        stretches = [PostStretch(0, row["post_id"], row["post_code"], row["post_name"],
                                 dt.date.fromisoformat(row["start_date"]))]
    worker = Worker(
        id=row["id"], contract_id=row["contract_id"], post_id=row["post_id"], post_code=row["post_code"],
        post_name=row["post_name"], name=row["name"], gender=row["gender"] or "", id_number=row["id_number"],
        phone=row["phone"], start_date=dt.date.fromisoformat(row["start_date"]),
        planned_end=_date(row["planned_end"]), left_on=_date(row["left_on"]),
        hours_scheme=HoursScheme(row["hours_scheme"]), emergency_contact=row["emergency_contact"] or "",
        emergency_phone=row["emergency_phone"] or "", labour_contract_on=_date(row["labour_contract_on"]),
        social_insurance_on=_date(row["social_insurance_on"]), training_on=_date(row["training_on"]),
        notes=row["notes"] or "", stretches=tuple(stretches),
    )
    # The post shown and counted is the one of today (of the last day, for someone who left).
    day = min(today, worker.end_date) if worker.end_date else today
    current = worker.post_on(day)
    assert current is not None
    return dataclasses.replace(worker, post_id=current.post_id, post_code=current.post_code,
                               post_name=current.post_name)


def _stretches(store: Store, where: str, params: list[Any]) -> dict[int, list[PostStretch]]:
    found: dict[int, list[PostStretch]] = {}
    if not store.db["worker_posts"].exists():
        return found
    for r in store.db.query(
            "SELECT wp.*, posts.code AS post_code, posts.name AS post_name FROM worker_posts wp "
            "JOIN posts ON posts.id = wp.post_id JOIN workers ON workers.id = wp.worker_id "
            f"WHERE {where} ORDER BY wp.worker_id, wp.start_date", params):
        found.setdefault(r["worker_id"], []).append(PostStretch(
            r["id"], r["post_id"], r["post_code"], r["post_name"], dt.date.fromisoformat(r["start_date"]),
            r["reason"] or ""))
    return found


def list_workers(store: Store, contract: Contract | None = None) -> list[Worker]:
    contract = contract or active_contract(store)
    today = clock.today()
    stretches = _stretches(store, "workers.contract_id = ?", [contract.id])
    rows = store.db.query(_SELECT + "WHERE workers.contract_id = ? ORDER BY posts.sort_order, workers.start_date, "
                          "workers.id", [contract.id])
    workers = [_worker(r, stretches.get(r["id"], []), today) for r in rows]
    # In the order of the post each serves on today.
    order = {p.id: i for i, p in enumerate(contract.posts)}
    return sorted(workers, key=lambda w: (order.get(w.post_id, len(order)), w.start_date, w.id))


def worker_names(store: Store) -> dict[int, str]:
    """Every worker's name by id, for screens and the history that name people."""
    return {row["id"]: row["name"] for row in store.db.query("SELECT id, name FROM workers")}


def get_worker(store: Store, worker_id: int) -> Worker:
    valid = isinstance(worker_id, int) and 0 < worker_id < 2**63
    row = next(store.db.query(_SELECT + "WHERE workers.id = ?", [worker_id]), None) if valid else None
    if row is None:
        raise ValidationError("找不到这位服务人员，可能已被删除。请刷新后重试。")
    return _worker(row, _stretches(store, "wp.worker_id = ?", [worker_id]).get(worker_id, []), clock.today())


@dataclass(frozen=True)
class Assignment:
    """One stretch of one worker's service on one post: who served on which post, when.

    排班日历's coverage and 月度考核's scores read who served where from `assignments` and
    nowhere else, so a worker who changes post keeps their past on the old post."""
    worker_id: int
    worker_name: str
    post_id: int
    post_code: str
    hours_scheme: HoursScheme
    start: dt.date
    end: dt.date | None  # last day of the stretch; None while it is open
    post_name: str = ""

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def assignments(store: Store, first: dt.date, last: dt.date, contract: Contract | None = None) -> list[Assignment]:
    """Every stretch of service that overlaps the days `first`..`last` (inclusive), in the
    order of the posts and then of the start dates. A worker who moved post (调岗) has one
    stretch per post: the days before the move stay on the old post."""
    contract = contract or active_contract(store)
    order = {p.id: i for i, p in enumerate(contract.posts)}
    found = []
    for w in list_workers(store, contract):
        for i, stretch in enumerate(w.stretches):
            start = w.start_date if i == 0 else stretch.start
            end = w.stretches[i + 1].start - dt.timedelta(days=1) if i + 1 < len(w.stretches) else None
            if w.end_date is not None and (end is None or end > w.end_date):
                end = w.end_date
            if end is not None and end < start:
                continue
            if start <= last and (end is None or end >= first):
                found.append(Assignment(w.id, w.name, stretch.post_id, stretch.post_code, w.hours_scheme,
                                        start, end, stretch.post_name))
    return sorted(found, key=lambda a: (order.get(a.post_id, len(order)), a.start, a.worker_id))


def history_of(store: Store, worker_id: int) -> dict[str, int]:
    """Records anywhere in the file that refer to this worker, by table (roster,
    assessments and payments of later issues included, found through their foreign keys)."""
    found: dict[str, int] = {}
    for table in store.db.tables:
        if table.name in ("workers", "worker_posts"):  # its own post stretches are part of the record
            continue
        for fk in table.foreign_keys:
            if fk.other_table == "workers":
                count = table.count_where(f"[{fk.column}] = ?", [worker_id])
                if count:
                    found[table.name] = found.get(table.name, 0) + count
    return found


# --- writing ------------------------------------------------------------------------------

def insert_worker(act: Any, record: Mapping[str, Any]) -> int:
    """Write a checked worker record and their first post stretch, inside an action
    (the form, the Excel import and the demo all add workers through here)."""
    worker_id = act.insert("workers", dict(record))
    act.insert("worker_posts", {"worker_id": worker_id, "post_id": record["post_id"],
                                "start_date": record["start_date"]})
    return int(worker_id)


def add_worker(store: Store, data: Mapping[str, Any]) -> int:
    record = validate_worker(store, data)
    with store.action(f"新增服务人员：{record['name']}") as act:
        return insert_worker(act, record)


def update_worker(store: Store, worker_id: int, data: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Correct a worker's record. The post may be corrected only while the worker has not
    begun serving and has one post; afterwards a post changes from a date (`change_post`),
    so the days already served stay on the post they were served on."""
    old = get_worker(store, worker_id)
    record = validate_worker(store, data, worker_id=worker_id)
    if old.left_on and record["start_date"] > old.left_on:
        raise ValidationError(f"到岗日期不能晚于此人的离场日期 {old.left_on.isoformat()}。", "start_date")
    later = old.stretches[1:]
    if later and record["start_date"] >= later[0].start:
        raise ValidationError(f"到岗日期应早于此人调到“{later[0].post_name}”的日期 {later[0].start.isoformat()}。",
                              "start_date")
    record.pop("contract_id")
    post_id = record.pop("post_id")
    post_corrected = post_id != old.post_id
    if post_corrected and not can_correct_post(old):
        raise ValidationError(
            f"{old.name}已在“{old.post_name}”岗位服务，不能直接改岗位（那样会把已服务的日子改记到新岗位）。"
            "请用“调岗…”从某日起调到新岗位。", "post")
    first = old.stretches[0]
    from app.assessment import locked_months_kept  # assessment builds on this module

    with store.action(f"修改服务人员：{record['name']}") as act, locked_months_kept(store, worker_id):
        if post_corrected:
            record["post_id"] = post_id
        diff = act.update("workers", worker_id, record)
        if first.id:
            act.update("worker_posts", first.id, {"start_date": record["start_date"],
                                                  **({"post_id": post_id} if post_corrected else {})})
        return diff


def can_correct_post(worker: Worker, today: dt.date | None = None) -> bool:
    """Whether 编辑 may correct the post: one post, and no day served on it yet."""
    return len(worker.stretches) <= 1 and worker.start_date > (today or clock.today())


def change_post(store: Store, worker_id: int, post: Any, from_day: Any, reason: str) -> Worker:
    """调岗: from `from_day` on, the worker serves on `post`; the days before stay on the old
    post. A change from the first day of a stretch corrects that stretch's post (a post
    typed wrong), which is why a reason is always asked for."""
    worker = get_worker(store, worker_id)
    contract = active_contract(store)
    new_post = find_post(contract, post)
    day = parse_date(from_day, "post_from", required=True, label="调岗日期")
    assert day is not None
    contract.check_in_period(day, "调岗日期", "post_from")
    if day < worker.start_date:
        raise ValidationError(f"调岗日期 {day.isoformat()} 早于{worker.name}的到岗日期 "
                              f"{worker.start_date.isoformat()}。", "post_from")
    if worker.end_date and day > worker.end_date:
        raise ValidationError(f"调岗日期 {day.isoformat()} 晚于{worker.name}的最后服务日 "
                              f"{worker.end_date.isoformat()}。", "post_from")
    reason = check_text(reason, "调岗原因", MAX_TEXT_LENGTH, "post_reason", multiline=True, required=True)
    assert new_post.id is not None  # a post read from the file always has its id
    from app.assessment import locked_months_kept  # assessment builds on this module

    with store.action(f"调岗：{worker.name} 自 {day.isoformat()} 起到“{new_post.name}”") as act, \
            locked_months_kept(store, worker_id):
        move_post(act, store, worker, new_post.id, day, reason)
    return get_worker(store, worker_id)


def move_post(act: Any, store: Store, worker: Worker, post_id: int, day: dt.date, reason: str) -> None:
    """Inside an action: the worker serves on `post_id` from `day` (see `change_post`)."""
    stretches = list(worker.stretches)
    if stretches and not stretches[0].id:  # the implicit single stretch becomes a row first
        first = stretches[0]
        row_id = act.insert("worker_posts", {"worker_id": worker.id, "post_id": first.post_id,
                                             "start_date": worker.start_date})
        stretches[0] = dataclasses.replace(first, id=row_id, start=worker.start_date)
    later = [s for s in stretches if s.start > day]
    if later:
        raise ValidationError(f"{worker.name}已登记自 {later[0].start.isoformat()} 起在“{later[0].post_name}”岗位，"
                              "调岗日期应晚于该日期。", "post_from")
    current = worker.post_on(day)
    assert current is not None
    if current.post_id == post_id:
        raise ValidationError(f"{worker.name}在 {day.isoformat()} 已在“{current.post_name}”岗位，不需要调岗。", "post")
    same_day = next((s for s in stretches if s.start == day), None)
    if same_day is not None:  # a correction of the stretch that starts that day
        previous = [s for s in stretches if s.start < day]
        if previous and previous[-1].post_id == post_id:
            act.delete("worker_posts", same_day.id)  # back to the post before: one stretch again
        else:
            act.update("worker_posts", same_day.id, {"post_id": post_id, "reason": reason})
    else:
        act.insert("worker_posts", {"worker_id": worker.id, "post_id": post_id, "start_date": day, "reason": reason})
    latest = store.db.execute("SELECT post_id FROM worker_posts WHERE worker_id = ? ORDER BY start_date DESC LIMIT 1",
                              [worker.id]).fetchone()[0]
    act.update("workers", worker.id, {"post_id": latest})  # the post the worker is heading to


def leave_worker(store: Store, worker_id: int, last_day: Any, reason: str = "") -> Worker:
    """The worker's last day of service; they stay on file with their history.

    For a worker whose departure is already recorded this is a correction of that date:
    it needs a reason, and cannot reach into the days of whoever replaced them."""
    worker = get_worker(store, worker_id)
    contract = active_contract(store)
    day = parse_date(last_day, "left_on", required=True)
    assert day is not None
    contract.check_in_period(day, "离场日期", "left_on")
    if day < worker.start_date:
        raise ValidationError(f"离场日期 {day.isoformat()} 早于到岗日期 {worker.start_date.isoformat()}。", "left_on")
    moved = [st for st in worker.stretches[1:] if st.start > day]
    if moved:
        raise ValidationError(f"{worker.name}自 {moved[0].start.isoformat()} 起调到“{moved[0].post_name}”岗位，"
                              "离场日期不能早于调岗日期。", "left_on")
    if worker.left_on is not None and day == worker.left_on:
        raise ValidationError(f"{worker.name}已于 {day.isoformat()} 离场，日期没有改变。"
                              "如要更正离场日期，请填写新的日期和原因。", "left_on")
    reason = check_text(reason, "更正原因" if worker.left_on else "离场原因", MAX_TEXT_LENGTH, "notes",
                        multiline=True, required=worker.left_on is not None)
    if worker.left_on is not None:
        from app.replacements import agreed_successor  # replacements builds on this module

        successor = agreed_successor(store, worker.id)
        if successor and day >= dt.date.fromisoformat(successor[0]):
            who = f"由{successor[1]}接替" if successor[1] else "已被更换"
            raise ValidationError(f"{worker.name}自 {successor[0]} 起{who}，离场日期最晚是其前一天。", "left_on")
    changes: dict[str, Any] = {"left_on": day}
    if reason:
        what = f"离场日期由 {worker.left_on.isoformat()} 更正为 {day.isoformat()}" if worker.left_on else \
            f"{day.isoformat()} 离场"
        changes["notes"] = (worker.notes + "\n" if worker.notes else "") + f"{what}：{reason}"
    summary = (f"更正离场日期：{worker.name}（{worker.left_on.isoformat()} → {day.isoformat()}）" if worker.left_on
               else f"服务人员离场：{worker.name}")
    from app.assessment import locked_months_kept  # assessment builds on this module

    with store.action(summary) as act, locked_months_kept(store, worker_id):
        act.update("workers", worker_id, changes)
    return get_worker(store, worker_id)


def delete_worker(store: Store, worker_id: int) -> None:
    """Only a record entered by mistake: anyone with history leaves instead."""
    worker = get_worker(store, worker_id)
    history = history_of(store, worker_id)
    if history:
        raise ValidationError(f"“{worker.name}”已有更换、系统账号或其他记录，不能删除；如已不再服务，请办理离场。")
    with store.action(f"删除误录的服务人员：{worker.name}") as act:
        for stretch in worker.stretches:
            if stretch.id:
                act.delete("worker_posts", stretch.id)
        act.delete("workers", worker_id)


# --- per post ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PostFill:
    """Who fills a post today against the headcount of clause 四.2."""
    post: Post
    on_duty: tuple[Worker, ...]
    waiting: tuple[Worker, ...]
    holders: tuple[Worker, ...] = ()  # everyone who has been on the post, in order of start

    @property
    def shortfall(self) -> int:
        return max(0, self.post.headcount - len(self.on_duty))

    @property
    def state(self) -> str:
        if self.shortfall:
            return f"缺 {self.shortfall} 人"
        return "已满足"


def post_fills(store: Store, today: dt.date | None = None, contract: Contract | None = None,
               workers: list[Worker] | None = None) -> list[PostFill]:
    """Who fills each post; a screen that has just listed the workers passes them in."""
    contract = contract or active_contract(store)
    today = today or clock.today()
    workers = list_workers(store, contract) if workers is None else workers
    return [
        PostFill(
            post,
            tuple(w for w in workers if w.post_id == post.id and w.status(today) is Status.ON_DUTY),
            tuple(w for w in workers if w.post_id == post.id and w.status(today) is Status.WAITING),
            tuple(w for w in workers if w.post_id == post.id),
        )
        for post in contract.posts
    ]


OUTLOOK_DAYS = 30


@dataclass(frozen=True)
class Outlook:
    """A post over the coming weeks: the first day it will be short of the contract's
    headcount (after a planned departure, say) and who leaves it in that time."""
    post: Post
    first: dt.date
    last: dt.date
    first_short: dt.date | None = None
    short_by: int = 0
    leaving: tuple[tuple[str, dt.date], ...] = ()  # (name, last day) within the window
    arriving: tuple[tuple[str, dt.date], ...] = ()  # (name, first day) within the window

    @property
    def short(self) -> bool:
        return self.first_short is not None


def post_outlook(store: Store, today: dt.date | None = None, contract: Contract | None = None,
                 days: int = OUTLOOK_DAYS) -> list[Outlook]:
    """Each post from tomorrow for `days` days, from the recorded stretches (planned
    departures and post changes included), in the order of the posts."""
    contract = contract or active_contract(store)
    today = today or clock.today()
    first, last = today + dt.timedelta(days=1), today + dt.timedelta(days=days)
    first, last = max(first, contract.start_date), min(last, contract.end_date)
    stretches = assignments(store, first, last, contract) if first <= last else []
    found = []
    for post in contract.posts:
        mine = [a for a in stretches if a.post_id == post.id]
        first_short, short_by = None, 0
        day = first
        while day <= last:
            count = sum(1 for a in mine if a.covers(day))
            if count < post.headcount:
                first_short, short_by = day, post.headcount - count
                break
            day += dt.timedelta(days=1)
        leaving = tuple((a.worker_name, a.end) for a in mine if a.end is not None and first - dt.timedelta(days=1)
                        <= a.end < last)
        arriving = tuple((a.worker_name, a.start) for a in mine if first <= a.start <= last)
        found.append(Outlook(post, first, last, first_short, short_by, leaving, arriving))
    return found
