"""考核标准: the assessment template as data the clerk edits (clause 四.4).

A template is a list of criteria (考核项目, 考核标准, 分值, 扣分规则) whose maxima sum to 100,
grade bands that cover 0..100 without gap or overlap, and a pass mark. A post may have a
template of its own; otherwise the default (post_code "") applies. Every edit is stored as
a new version and a scored month keeps the version it was scored with, so a later edit never
changes a sheet already scored. The default ships in `data/assessment-template.toml`.
"""
from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping

from app.errors import ValidationError
from app.paths import data_path
from app.store.store import Store, now_text
from app.validation import check_text

FULL_MARKS = Decimal(100)
TENTH = Decimal("0.1")
MAX_CRITERIA = 20


def tenths(points: Decimal) -> int:
    return int(points / TENTH)


def from_tenths(value: int) -> Decimal:
    return (Decimal(value) * TENTH).quantize(TENTH)


def fmt_points(points: Decimal) -> str:
    """20 → "20", 19.5 → "19.5": as a sheet writes points."""
    text = f"{points.quantize(TENTH):f}"
    return text[:-2] if text.endswith(".0") else text


_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def plain_decimal(text: str) -> Decimal | None:
    """A number as a person writes it: digits, perhaps a point and a sign, full-width ones
    from a Chinese input method included (NFKC folds １．５ into 1.5); None for anything
    else Python's Decimal would also read (1e3, 1_0, NaN, Infinity)."""
    text = unicodedata.normalize("NFKC", text).strip()
    return Decimal(text) if _PLAIN_NUMBER.fullmatch(text) else None


def parse_points(value: Any, label: str, field: str | None = None, *, allow_zero: bool = False) -> Decimal:
    """Points typed by the clerk: a number with at most one decimal place (0.5 分)."""
    text = unicodedata.normalize("NFKC", str(value)).strip() if value is not None else ""
    if not text:
        raise ValidationError(f"{label}不能为空。", field)
    points = plain_decimal(text.removesuffix("分"))
    if points is None:
        raise ValidationError(f"{label}“{text[:20]}”不是数字。", field)
    if points != points.quantize(TENTH):
        raise ValidationError(f"{label} {text[:20]} 最多保留一位小数（如 0.5 分）。", field)
    if points.is_signed() or (points == 0 and not allow_zero):
        raise ValidationError(f"{label}应大于 0，现在是 {text}。", field)
    return points.quantize(TENTH)


@dataclass(frozen=True)
class Criterion:
    name: str
    standard: str
    max: Decimal
    rules: str = ""
    per_uncovered_hour: Decimal = Decimal(0)  # points the roster suggests per uncovered hour
    per_absence: Decimal = Decimal(0)  # ... per shift not served

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "standard": self.standard, "max": fmt_points(self.max), "rules": self.rules,
                "per_uncovered_hour": fmt_points(self.per_uncovered_hour),
                "per_absence": fmt_points(self.per_absence)}


@dataclass(frozen=True)
class Band:
    name: str
    low: Decimal  # inclusive
    high: Decimal  # exclusive, except the top band, which includes 100

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "from": fmt_points(self.low), "to": fmt_points(self.high)}


@dataclass(frozen=True)
class Template:
    name: str
    post_code: str  # "" = every post without a template of its own
    pass_mark: Decimal
    bands: tuple[Band, ...]
    criteria: tuple[Criterion, ...]
    version: int = 0
    id: int | None = None
    created_at: str = ""
    note: str = field(default="", compare=False)

    def grade(self, total: Decimal) -> str:
        for band in self.bands:
            if band.low <= total < band.high or (total == band.high == FULL_MARKS):
                return band.name
        return ""

    def passes(self, total: Decimal) -> bool:
        return total >= self.pass_mark

    @property
    def label(self) -> str:
        return f"{self.name}（第 {self.version} 版）" if self.version else self.name

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "post": self.post_code, "pass_mark": fmt_points(self.pass_mark),
                "version": self.version, "bands": [b.as_json() for b in self.bands],
                "criteria": [c.as_json() for c in self.criteria]}


def _criterion(index: int, item: Any) -> Criterion:
    if not isinstance(item, Mapping):
        raise ValidationError(f"第 {index} 个考核项目格式不对。", "criteria")
    where = f"第 {index} 个考核项目"
    name = check_text(item.get("name"), f"{where}的名称", 30, "criteria", required=True)
    standard = check_text(item.get("standard"), f"{where}（{name}）的考核标准", 300, "criteria",
                          multiline=True, required=True)
    rules = check_text(item.get("rules", ""), f"{where}（{name}）的扣分规则", 300, "criteria", multiline=True)
    maximum = parse_points(item.get("max"), f"{where}（{name}）的分值", "criteria")
    rates = {}
    for key, what in (("per_uncovered_hour", "每缺岗一小时的建议扣分"), ("per_absence", "每缺一个班次的建议扣分")):
        raw = item.get(key)
        rates[key] = Decimal(0) if raw in (None, "") else parse_points(raw, f"{where}（{name}）{what}", "criteria",
                                                                        allow_zero=True)
    return Criterion(name, standard, maximum, rules, rates["per_uncovered_hour"], rates["per_absence"])


def _bands(items: Any) -> tuple[Band, ...]:
    if not isinstance(items, (list, tuple)) or not items:
        raise ValidationError("请至少设一个等级。", "bands")
    bands = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            raise ValidationError(f"第 {index} 个等级格式不对。", "bands")
        name = check_text(item.get("name"), f"第 {index} 个等级的名称", 10, "bands", required=True)
        low = parse_points(item.get("from"), f"等级“{name}”的起始分", "bands", allow_zero=True)
        high = parse_points(item.get("to"), f"等级“{name}”的截止分", "bands")
        if low >= high:
            raise ValidationError(f"等级“{name}”的起始分 {fmt_points(low)} 应小于截止分 {fmt_points(high)}。", "bands")
        bands.append(Band(name, low, high))
    bands.sort(key=lambda b: b.low, reverse=True)
    names = [b.name for b in bands]
    if len(set(names)) != len(names):
        raise ValidationError("等级名称不能重复。", "bands")
    if bands[0].high != FULL_MARKS:
        raise ValidationError(f"最高等级“{bands[0].name}”应到 100 分为止，现在到 {fmt_points(bands[0].high)} 分。", "bands")
    if bands[-1].low != 0:
        raise ValidationError(f"最低等级“{bands[-1].name}”应从 0 分开始，现在从 {fmt_points(bands[-1].low)} 分开始。",
                              "bands")
    for upper, lower in zip(bands, bands[1:]):
        if lower.high > upper.low:
            raise ValidationError(
                f"等级“{lower.name}”（{fmt_points(lower.low)}–{fmt_points(lower.high)}）与“{upper.name}”"
                f"（{fmt_points(upper.low)}–{fmt_points(upper.high)}）重叠。", "bands")
        if lower.high < upper.low:
            raise ValidationError(
                f"等级“{lower.name}”与“{upper.name}”之间有空档：{fmt_points(lower.high)} 至 "
                f"{fmt_points(upper.low)} 分不属于任何等级。", "bands")
    return tuple(bands)


def validate_template(data: Mapping[str, Any]) -> Template:
    """A template from a form or the TOML file, or ValidationError saying what is wrong."""
    name = check_text(data.get("name"), "考核标准名称", 50, "name", required=True)
    post_code = check_text(data.get("post", data.get("post_code", "")), "适用岗位", 40, "post_code")
    items = data.get("criteria")
    if not isinstance(items, (list, tuple)) or not items:
        raise ValidationError("请至少设一个考核项目。", "criteria")
    if len(items) > MAX_CRITERIA:
        raise ValidationError(f"考核项目最多 {MAX_CRITERIA} 个，现在是 {len(items)} 个。", "criteria")
    criteria = tuple(_criterion(i, item) for i, item in enumerate(items, start=1))
    if len({c.name for c in criteria}) != len(criteria):
        raise ValidationError("考核项目名称不能重复。", "criteria")
    total = sum((c.max for c in criteria), Decimal(0))
    if total != FULL_MARKS:
        raise ValidationError(
            f"各考核项目分值合计应为 100 分，现在是 {fmt_points(total)} 分"
            f"（{'、'.join(f'{c.name}{fmt_points(c.max)}' for c in criteria)}）。", "criteria")
    bands = _bands(data.get("bands"))
    pass_mark = parse_points(data.get("pass_mark"), "合格分数线", "pass_mark")
    if pass_mark != int(pass_mark):
        raise ValidationError(f"合格分数线请用整数分，现在是 {fmt_points(pass_mark)}。", "pass_mark")
    if pass_mark > FULL_MARKS:
        raise ValidationError(f"合格分数线应在 0 至 100 分之间，现在是 {fmt_points(pass_mark)}。", "pass_mark")
    if pass_mark not in {b.low for b in bands}:
        raise ValidationError(
            f"合格分数线 {fmt_points(pass_mark)} 分应是某一等级的起始分"
            f"（{'、'.join(f'{b.name}{fmt_points(b.low)}' for b in bands)}），否则同一等级里既有合格又有不合格。",
            "pass_mark")
    note = check_text(data.get("note", ""), "修改说明", 200, "note", multiline=True)
    return Template(name, post_code, pass_mark, bands, criteria, note=note)


def load_default_templates(path: Path | None = None) -> list[Template]:
    path = path or data_path("assessment-template.toml")
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    return [validate_template(item) for item in raw.get("templates", [])]


def _from_row(row: Mapping[str, Any]) -> Template:
    data = {"name": row["name"], "post": row["post_code"], "pass_mark": row["pass_mark"],
            "bands": json.loads(row["bands"]), "criteria": json.loads(row["criteria"])}
    t = validate_template(data)
    return Template(t.name, t.post_code, t.pass_mark, t.bands, t.criteria, row["version"], row["id"],
                    row["created_at"] or "", row["note"] or "")


def get_template(store: Store, template_id: int) -> Template:
    row = store.db["assessment_templates"].get(template_id)
    return _from_row(row)


def current_templates(store: Store) -> list[Template]:
    """The newest version of each template; the shipped defaults while none is stored yet."""
    rows = list(store.db.query(
        "SELECT * FROM assessment_templates t WHERE version = "
        "(SELECT MAX(version) FROM assessment_templates WHERE post_code = t.post_code) ORDER BY post_code"))
    if not rows:
        return load_default_templates()
    return [_from_row(r) for r in rows]


def template_for(store: Store, post_code: str) -> Template:
    """The template a worker on `post_code` is scored with now (the post's own, else the default)."""
    templates = {t.post_code: t for t in current_templates(store)}
    template = templates.get(post_code) or templates.get("")
    if template is None:
        raise ValidationError("没有适用于所有岗位的考核标准，请先在“考核标准”中设一个。")
    return template


def _insert(store: Store, template: Template, version: int) -> int:
    with store.action(f"保存考核标准“{template.name}”第 {version} 版") as act:
        return int(act.insert("assessment_templates", {
            "name": template.name, "post_code": template.post_code, "version": version, "created_at": now_text(),
            "pass_mark": int(template.pass_mark), "bands": json.dumps([b.as_json() for b in template.bands], ensure_ascii=False),
            "criteria": json.dumps([c.as_json() for c in template.criteria], ensure_ascii=False),
            "note": template.note,
        }))


def ensure_templates(store: Store) -> None:
    """Store the shipped defaults as version 1 the first time a month is scored."""
    if store.db["assessment_templates"].count:
        return
    for template in load_default_templates():
        _insert(store, template, 1)


def save_template(store: Store, data: Mapping[str, Any]) -> int:
    """Store an edited template as the next version of its post's template; the months
    already scored keep the version they were scored with."""
    template = validate_template(data)
    with store.action(f"修改考核标准“{template.name}”"):
        ensure_templates(store)
        row = store.db.execute("SELECT MAX(version) FROM assessment_templates WHERE post_code = ?",
                               [template.post_code]).fetchone()
        return _insert(store, template, (row[0] or 0) + 1)
