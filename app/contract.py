"""The contract: parties, service period, fee, and the posts of clause 四.2 as data."""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.errors import UserError, ValidationError
from app.money import capital_words, from_fen, parse_amount, to_fen
from app.paths import data_path
from app.store.store import Store

SEED_FILE = "contract-2026.toml"
_TIME = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


class DayType(StrEnum):
    WORKING = "working"
    NONWORKING = "nonworking"

    @property
    def label(self) -> str:
        return "工作日" if self is DayType.WORKING else "节假日"


class CoverMode(StrEnum):
    SPAN = "span"  # a fixed time of day must be covered
    HOURS = "hours"  # so many hours somewhere in the day
    AS_NEEDED = "as_needed"  # 视情况适当提供服务: no fixed requirement


def parse_clock(text: str) -> int:
    """"HH:MM" → minutes after midnight; "24:00" is the end of the day."""
    match = _TIME.match(text)
    if not match or (match.group(1) == "24" and match.group(2) != "00"):
        raise ValidationError(f"时间“{text}”格式不对，应为 时:分，例如 08:00。")
    return int(match.group(1)) * 60 + int(match.group(2))


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class CoverageRule:
    day_type: DayType
    mode: CoverMode
    start_minute: int | None = None
    end_minute: int | None = None
    minutes: int | None = None

    def __post_init__(self) -> None:
        if self.mode is CoverMode.SPAN and (
            self.start_minute is None or self.end_minute is None
            or not 0 <= self.start_minute < self.end_minute <= 24 * 60
        ):
            raise ValidationError("岗位时段的开始时间必须早于结束时间。")
        if self.mode is CoverMode.HOURS and not (self.minutes and 0 < self.minutes <= 24 * 60):
            raise ValidationError("岗位每日服务时长必须在 0 到 24 小时之间。")

    @property
    def required_minutes(self) -> int:
        if self.mode is CoverMode.SPAN:
            return self.end_minute - self.start_minute  # type: ignore[operator]
        if self.mode is CoverMode.HOURS:
            return self.minutes or 0
        return 0

    def describe(self) -> str:
        if self.mode is CoverMode.SPAN:
            if self.start_minute == 0 and self.end_minute == 24 * 60:
                return "全天24小时"
            return f"{format_clock(self.start_minute)}–{format_clock(self.end_minute)}"  # type: ignore[arg-type]
        if self.mode is CoverMode.HOURS:
            hours = Decimal(self.minutes or 0) / 60
            return f"每日{hours.normalize():f}小时"
        return "视情况适当提供服务"


@dataclass(frozen=True)
class Post:
    code: str
    name: str
    headcount: int
    rules: tuple[CoverageRule, ...]
    description: str = ""
    id: int | None = None

    def rule_for(self, day_type: DayType) -> CoverageRule:
        for rule in self.rules:
            if rule.day_type is day_type:
                return rule
        return CoverageRule(day_type, CoverMode.AS_NEEDED)

    def describe_rules(self) -> str:
        working = self.rule_for(DayType.WORKING)
        nonworking = self.rule_for(DayType.NONWORKING)
        if working == CoverageRule(DayType.WORKING, nonworking.mode, nonworking.start_minute,
                                   nonworking.end_minute, nonworking.minutes):
            return f"每日 {working.describe()}"
        return f"工作日 {working.describe()}；节假日 {nonworking.describe()}"


@dataclass(frozen=True)
class Party:
    role: str  # 甲方 | 乙方
    name: str
    legal_representative: str = ""
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Contract:
    code: str
    name: str
    start_date: dt.date
    end_date: dt.date
    total: Decimal
    payment_cycle: str
    payment_due_day: int
    payment_terms: str
    parties: tuple[Party, ...]
    posts: tuple[Post, ...]
    id: int | None = None

    @property
    def client(self) -> Party:
        return self.party("甲方")

    @property
    def vendor(self) -> Party:
        return self.party("乙方")

    def party(self, role: str) -> Party:
        for party in self.parties:
            if party.role == role:
                return party
        raise KeyError(role)

    @property
    def total_words(self) -> str:
        return capital_words(self.total)

    @property
    def total_headcount(self) -> int:
        return sum(post.headcount for post in self.posts)

    def covers(self, date: dt.date) -> bool:
        return self.start_date <= date <= self.end_date

    def check_in_period(self, date: dt.date, what: str = "日期", field: str | None = None) -> None:
        """Refuse a date outside the service period (clause 二)."""
        if not self.covers(date):
            raise ValidationError(
                f"{what} {date.isoformat()} 不在合同服务期限内"
                f"（{self.start_date.isoformat()} 至 {self.end_date.isoformat()}）。",
                field,
            )

    def progress(self, today: dt.date) -> "Progress":
        total_days = (self.end_date - self.start_date).days + 1
        if today < self.start_date:
            elapsed = 0
        elif today > self.end_date:
            elapsed = total_days
        else:
            elapsed = (today - self.start_date).days + 1
        return Progress(total_days, elapsed, total_days - elapsed)

    def post(self, code: str) -> Post:
        for post in self.posts:
            if post.code == code:
                return post
        raise KeyError(code)


@dataclass(frozen=True)
class Progress:
    """Days of the service period: today counts as elapsed."""
    total_days: int
    elapsed_days: int
    remaining_days: int


# --- the seed file -----------------------------------------------------------------------

def _rules_from_toml(items: list[dict[str, Any]]) -> tuple[CoverageRule, ...]:
    rules: list[CoverageRule] = []
    for item in items:
        day_types = list(DayType) if item["day_type"] == "all" else [DayType(item["day_type"])]
        mode = CoverMode(item["mode"])
        for day_type in day_types:
            rules.append(
                CoverageRule(
                    day_type,
                    mode,
                    parse_clock(item["start"]) if mode is CoverMode.SPAN else None,
                    parse_clock(item["end"]) if mode is CoverMode.SPAN else None,
                    int(Decimal(str(item["hours"])) * 60) if mode is CoverMode.HOURS else None,
                )
            )
    return tuple(rules)


def load_seed_contract(path: Path | None = None) -> Contract:
    path = path or data_path(SEED_FILE)
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    c = raw["contract"]
    total = parse_amount(c["total"])
    if c.get("total_words") and c["total_words"] != capital_words(total):
        raise UserError(f"合同文件 {path} 的大写金额与小写金额不一致。")
    contract = Contract(
        code=c["code"],
        name=c["name"],
        start_date=c["start_date"],
        end_date=c["end_date"],
        total=total,
        payment_cycle=c["payment_cycle"],
        payment_due_day=int(c["payment_due_day"]),
        payment_terms=c["payment_terms"],
        parties=tuple(Party(**p) for p in raw["parties"]),
        posts=tuple(
            Post(p["code"], p["name"], int(p["headcount"]), _rules_from_toml(p["rules"]),
                 p.get("description", ""))
            for p in raw["posts"]
        ),
    )
    if contract.end_date < contract.start_date:
        raise UserError(f"合同文件 {path} 的服务期限结束日期早于开始日期。")
    return contract


def seed_contract(store: Store, contract: Contract) -> int:
    """Write a contract with its parties, posts and rules, as one audited action."""
    with store.action(f"导入合同：{contract.name}") as act:
        contract_id = act.insert(
            "contracts",
            {
                "code": contract.code,
                "name": contract.name,
                "start_date": contract.start_date,
                "end_date": contract.end_date,
                "total_fen": to_fen(contract.total),
                "payment_cycle": contract.payment_cycle,
                "payment_due_day": contract.payment_due_day,
                "payment_terms": contract.payment_terms,
                "active": 1,
            },
        )
        for party in contract.parties:
            act.insert("parties", {"contract_id": contract_id, **party.__dict__})
        for order, post in enumerate(contract.posts, start=1):
            post_id = act.insert(
                "posts",
                {
                    "contract_id": contract_id,
                    "code": post.code,
                    "name": post.name,
                    "headcount": post.headcount,
                    "sort_order": order,
                    "description": post.description,
                },
            )
            for rule in post.rules:
                act.insert(
                    "post_rules",
                    {
                        "post_id": post_id,
                        "day_type": rule.day_type.value,
                        "mode": rule.mode.value,
                        "start_time": None if rule.start_minute is None else format_clock(rule.start_minute),
                        "end_time": None if rule.end_minute is None else format_clock(rule.end_minute),
                        "minutes": rule.minutes,
                    },
                )
    return contract_id


# --- reading it back ---------------------------------------------------------------------

def active_contract(store: Store) -> Contract:
    db = store.db
    c = next(
        db.query("SELECT * FROM contracts WHERE active = 1 ORDER BY start_date DESC, id DESC LIMIT 1"),
        None,
    )
    if c is None:
        raise UserError("数据文件中没有生效的合同。")
    parties = tuple(
        Party(p["role"], p["name"], p["legal_representative"] or "", p["address"] or "", p["phone"] or "")
        for p in db["parties"].rows_where("contract_id = ?", [c["id"]], order_by="id")
    )
    rules_by_post: dict[int, list[CoverageRule]] = {}
    for r in db.query(
        "SELECT post_rules.* FROM post_rules JOIN posts ON posts.id = post_rules.post_id "
        "WHERE posts.contract_id = ? ORDER BY post_rules.id",
        [c["id"]],
    ):
        rules_by_post.setdefault(r["post_id"], []).append(
            CoverageRule(
                DayType(r["day_type"]),
                CoverMode(r["mode"]),
                parse_clock(r["start_time"]) if r["start_time"] else None,
                parse_clock(r["end_time"]) if r["end_time"] else None,
                r["minutes"],
            )
        )
    posts = tuple(
        Post(p["code"], p["name"], p["headcount"], tuple(rules_by_post.get(p["id"], ())),
             p["description"] or "", p["id"])
        for p in db["posts"].rows_where("contract_id = ?", [c["id"]], order_by="sort_order, id")
    )
    return Contract(
        code=c["code"],
        name=c["name"],
        start_date=dt.date.fromisoformat(c["start_date"]),
        end_date=dt.date.fromisoformat(c["end_date"]),
        total=from_fen(c["total_fen"]),
        payment_cycle=c["payment_cycle"] or "",
        payment_due_day=c["payment_due_day"] or 0,
        payment_terms=c["payment_terms"] or "",
        parties=parties,
        posts=posts,
        id=c["id"],
    )


def service_years(store: Store) -> tuple[int, int] | None:
    """The first and last year of all the contracts' service periods (None with no contract)."""
    row = store.db.execute("SELECT min(start_date), max(end_date) FROM contracts").fetchone()
    if not row or not row[0]:
        return None
    return int(row[0][:4]), int(row[1][:4])


def contract_as_json(contract: Contract) -> dict[str, Any]:
    return {
        "code": contract.code,
        "name": contract.name,
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat(),
        "total": f"{contract.total:.2f}",
        "total_words": contract.total_words,
        "payment_cycle": contract.payment_cycle,
        "payment_due_day": contract.payment_due_day,
        "payment_terms": contract.payment_terms,
        "parties": [p.__dict__ for p in contract.parties],
        "posts": [
            {
                "code": p.code,
                "name": p.name,
                "headcount": p.headcount,
                "description": p.description,
                "cover": p.describe_rules(),
                "rules": [
                    {
                        "day_type": r.day_type.value,
                        "mode": r.mode.value,
                        "start": None if r.start_minute is None else format_clock(r.start_minute),
                        "end": None if r.end_minute is None else format_clock(r.end_minute),
                        "minutes": r.minutes,
                    }
                    for r in p.rules
                ],
            }
            for p in contract.posts
        ],
    }
