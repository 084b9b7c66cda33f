"""月度考核's printed sheets and their verification codes: the register of every code
printed from this data file, and `verify`, which says which sheet a code belongs to and
whether the record still matches what was printed. (The code itself is the sheet's:
`app.assessment.Sheet.code`.)"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

from app.assessment import Sheet, load_month, month_label, parse_month_key, sheet_for
from app.assessment_template import fmt_points
from app.store.store import Store, now_text


def register_printed(store: Store, sheets: Iterable[Sheet]) -> int:
    """Remember each printed sheet's code, so `verify` can say which sheet a code belongs to
    even after the record has changed. Returns how many codes were new."""
    table = store.db["assessment_sheet_codes"]
    new = [s for s in sheets if not table.count_where("code = ?", [s.code])]
    if not new:
        return 0
    with store.action(f"打印考核表（{len(new)} 份新校验码）") as act:
        for s in new:
            act.insert("assessment_sheet_codes", {"code": s.code, "sheet_no": s.sheet_no, "month": s.month.key,
                                                  "worker_id": s.worker_id, "revision": s.month.revision,
                                                  "printed_at": now_text()}, pk="code")
    return len(new)


@dataclass(frozen=True)
class Verification:
    found: bool
    matches: bool
    message: str
    sheet_no: str = ""


# The code's alphabet (base32) has no 0, 1 or 8: typed for O, I and B, they mean those.
_MISREAD = str.maketrans("018", "OIB")
_SCANNED = re.compile(r"KH-\d{6}-\d+(?:-R\d+)?\s+(\S+)")


def normalise_code(text: str) -> str:
    """A code as typed: lowercase, spaces, full-width letters (NFKC) and 0/1/8 misread for
    O/I/B all mean the printed code."""
    folded = unicodedata.normalize("NFKC", str(text)).upper()
    scanned = _SCANNED.fullmatch(folded.strip())  # the sheet's QR code: "<sheet number> <code>"
    if scanned:
        folded = scanned.group(1)
    raw = "".join(ch for ch in folded if ch.isascii() and ch.isalnum()).translate(_MISREAD)
    if len(raw) == 10:
        return f"{raw[:5]}-{raw[5:]}"
    return "".join(ch for ch in folded if ch.isprintable()).strip()[:40]  # echoed: no escape sequences


def verify_code(store: Store, text: str) -> Verification:
    code = normalise_code(text)
    if not code:
        return Verification(False, False, "请输入考核表页脚上的校验码（如 KWLDC-5JT2Q）。")
    row = store.db["assessment_sheet_codes"].get(code) if store.db["assessment_sheet_codes"].count_where(
        "code = ?", [code]) else None
    if row is None:
        return Verification(False, False, f"校验码 {code} 不是本数据文件打印过的考核表。")
    year, month = parse_month_key(row["month"])
    view = load_month(store, year, month)
    sheet = sheet_for(view, row["worker_id"])
    who = sheet.worker_name if sheet else f"服务人员 {row['worker_id']}"
    what = f"考核表 {row['sheet_no']}：{month_label(year, month)}，{who}（打印于 {row['printed_at']}）"
    if sheet is not None and sheet.code == code:
        return Verification(True, True, f"{what}。记录与打印时一致（合计 {fmt_points(sheet.total)} 分，"
                                         f"{sheet.grade}，状态：{view.month.status.label}）。", row["sheet_no"])
    now = (f"现在的记录：第 {view.month.revision} 版，合计 {fmt_points(sheet.total)} 分，校验码 {sheet.code}"
           if sheet else "现在没有这份考核记录")
    return Verification(True, False, f"{what}。记录已在打印后修改，与打印件不一致（{now}）。"
                                     "请查看修改记录中的改动和撤销签字原因；修改记录里找不到相应改动的，"
                                     "请运行“检查数据文件”（python -m app check），它会指出数据文件是否被程序以外的方式改过。",
                        row["sheet_no"])
