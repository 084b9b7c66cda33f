"""`python -m app demo`: a fictional but realistic staff for the 2026 contract.

Enough people for the posts of 四.2 under labour law: the 24 h dispatch post is one post
but needs five people on the comprehensive-hours scheme (24 h × 365 days ≈ 8,760 h a
year against ≈ 2,000 h per person), the grid post (10.5 h on working days, 6.5 h on
non-working days) needs two. Names, ID numbers and phones are invented: the ID numbers
pass the GB 11643 check but belong to nobody known; the phones are 139-0000-xxxx.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from app import clock
from app.errors import UserError
from app.idcard import check_char
from app.replacements import add_account, record_replacement, revoke_account
from app.staff import add_worker, list_workers
from app.store.store import Store

VERIFIED = "2026-01-05"

# name, gender, birth date, area, post code, start, hours scheme, emergency contact
PEOPLE = [
    ("赵文静", "女", "1988-03-14", "110101", "dispatch", "2026-01-01", "综合工时", "赵建平（父亲）"),
    ("钱立新", "男", "1991-07-22", "110105", "dispatch", "2026-01-01", "综合工时", "刘芳（配偶）"),
    ("孙海波", "男", "1985-11-02", "130102", "dispatch", "2026-01-01", "综合工时", "孙海燕（姐姐）"),
    ("李佳怡", "女", "1994-05-30", "110101", "dispatch", "2026-01-01", "综合工时", "李国栋（父亲）"),
    ("周志强", "男", "1990-09-09", "120101", "dispatch", "2026-01-01", "综合工时", "周敏（配偶）"),
    ("吴雪梅", "女", "1987-02-18", "110102", "reply_review", "2026-01-01", "标准工时", "吴强（哥哥）"),
    ("郑晓东", "男", "1992-12-03", "110108", "reply_review", "2026-01-01", "标准工时", "郑红（母亲）"),
    ("冯建华", "男", "1983-08-16", "110101", "exclusion", "2026-01-01", "标准工时", "冯丽（配偶）"),
    ("陈思雨", "女", "1996-10-11", "110106", "exclusion", "2026-01-01", "标准工时", "陈刚（父亲）"),
    ("褚国庆", "男", "1989-10-01", "130104", "grid_watch", "2026-01-01", "标准工时", "王静（配偶）"),
    ("卫晓琳", "女", "1993-01-20", "110101", "grid_watch", "2026-01-01", "标准工时", "卫东（父亲）"),
    ("蒋明辉", "男", "1990-06-06", "110105", "flex", "2026-01-01", "标准工时", "蒋丽（姐姐）"),
    ("王丽娜", "女", "1995-04-25", "110102", "reply_review", "2026-07-01", "标准工时", "王军（父亲）"),
]


def demo_id_number(area: str, birth: str, serial: int, gender: str) -> str:
    """A made-up ID number with a correct check character and the right sex digit."""
    sequence = serial * 2 + (1 if gender == "男" else 0)
    first17 = f"{area}{birth.replace('-', '')}{sequence:03d}"
    return first17 + check_char(first17)


def _worker(index: int, person: tuple[str, ...]) -> dict[str, str]:
    name, gender, birth, area, post, start, scheme, contact = person
    return {
        "name": name, "gender": gender, "id_number": demo_id_number(area, birth, 40 + index, gender),
        "phone": f"1390000{index + 1:04d}", "post": post, "start_date": start, "hours_scheme": scheme,
        "emergency_contact": contact, "emergency_phone": f"1390001{index + 1:04d}",
        "labour_contract_on": VERIFIED if start < "2026-02" else "2026-07-01",
        "social_insurance_on": VERIFIED if start < "2026-02" else "2026-07-10",
        "training_on": VERIFIED if start < "2026-02" else "2026-06-30", "notes": "演示数据（虚构）",
    }


def fill_demo(store: Store) -> int:
    """Add the demo staff, one replacement in force, one pending, and the accounts."""
    if list_workers(store):
        raise UserError("数据文件中已有服务人员，演示数据只能填入新的数据文件。请用 --db 指定一个新文件。")
    today = clock.today()
    if today < dt.date(2026, 7, 15) or today > dt.date(2026, 12, 20):
        raise UserError("演示数据按 2026 年下半年编排，请设置 DINGSHOU_TODAY=2026-11-25 后再运行。")
    from app.ledger_demo import fill_demo_ledger

    with store.action("填入演示数据（虚构的服务人员）"):  # one transaction: the steps below join it
        count = _fill(store, today)
        fill_demo_ledger(store)
        return count


def _fill(store: Store, today: dt.date) -> int:
    ids: dict[str, int] = {}
    for index, person in enumerate(PEOPLE):
        data = _worker(index, person)
        if person[0] == "陈思雨":  # a planned departure without a successor yet: 岗位配置 shows the gap
            data.update(planned_end=(today + dt.timedelta(days=20)).isoformat(),
                        notes="演示数据（虚构）；乙方告知劳动合同到期后不再续签")
        ids[person[0]] = add_worker(store, data)
    record_replacement(store, {
        "leaving": ids["郑晓东"], "incoming": ids["王丽娜"], "requested_by": "vendor",
        "notified_on": "2026-06-10", "effective_on": "2026-07-01", "consent": "agreed", "consent_on": "2026-06-12",
        "reason": "本人考研，申请离职；乙方提前告知并推荐王丽娜接替。",
    })
    # A newcomer who starts in a few days, and the vendor's request on short notice.
    effective = today + dt.timedelta(days=3)
    newcomer = _worker(len(PEOPLE), ("沈一帆", "男", "1997-03-08", "110101", "flex", effective.isoformat(),
                                      "标准工时", "沈华（母亲）"))
    newcomer.update(labour_contract_on=today.isoformat(), social_insurance_on="", training_on="")
    ids["沈一帆"] = add_worker(store, newcomer)
    record_replacement(store, {
        "leaving": ids["蒋明辉"], "incoming": ids["沈一帆"], "requested_by": "vendor",
        "notified_on": (today - dt.timedelta(days=2)).isoformat(), "effective_on": effective.isoformat(),
        "consent": "pending", "reason": "家中有事需回老家，乙方申请更换。",
    })
    for index, (name, worker_id) in enumerate(ids.items(), start=1):
        granted = max(dt.date(2026, 1, 4), _start(store, worker_id))
        add_account(store, worker_id, {"platform": "接诉即办工作平台", "account_name": f"ltjd{index:02d}",
                                       "granted_on": granted.isoformat()})
        if name in ("褚国庆", "卫晓琳"):
            add_account(store, worker_id, {"platform": "城市管理网格平台", "account_name": f"ltwg{index:02d}",
                                           "granted_on": granted.isoformat()})
    old = next(a for a in store.db["system_accounts"].rows_where("worker_id = ?", [ids["郑晓东"]]))
    revoke_account(store, old["id"], "2026-07-01")
    add_account(store, ids["郑晓东"], {"platform": "12345知识库", "account_name": "ltzsk07",
                                       "granted_on": "2026-01-04"})
    from app.demo_roster import fill_demo_roster

    fill_demo_roster(store, ids)
    from app.assessment_demo import fill_assessment_demo  # 月度考核 (issue 11)

    fill_assessment_demo(store, today)
    return len(ids)


def _start(store: Store, worker_id: int) -> dt.date:
    return dt.date.fromisoformat(store.db["workers"].get(worker_id)["start_date"])


def write_vendor_sample(path: Path) -> Path:
    """A fictional vendor's list as such lists arrive: a title, a two-level header (联系方式
    over 手机 / 紧急联系电话), a column the import does not read, two workers already on
    file, a post named ambiguously, a formula Excel never calculated, and 合计 / 制表人
    lines. For the import preview's screenshot and for trying the import by hand."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = "派驻人员"
    ws.append(["北京自腾科技有限公司 龙潭街道接诉即办平台盯守服务人员名单（2026年12月）"])
    ws.append(["序号", "姓名", "身份证号", "岗位", "到岗日期", "联系方式", None, "劳动合同签订日期"])
    ws.append([None, None, None, None, None, "手机", "紧急联系电话", None])
    ws.merge_cells("A1:H1")
    ws.merge_cells("F2:G2")
    for column in "ABCDEH":
        ws.merge_cells(f"{column}2:{column}3")
    people = [_worker(i, p) for i, p in enumerate(PEOPLE[:2])]
    rows = [[p["name"], p["id_number"], "接派单", p["start_date"], p["phone"], p["emergency_phone"]] for p in people]
    rows += [
        ["韩雨桐", demo_id_number("110101", "1997-03-08", 70, "女"), "机动岗", "2026-12-01", "13900000021", "13900010021"],
        ["杨帆", demo_id_number("110105", "1993-06-15", 71, "男"), "接诉即办", "2026-12-01", "13900000022", ""],
        ["朱晓光", demo_id_number("110102", "1990-12-24", 72, "男"), "回复意见审核", "2026-12-01",
         '=TEXT(13900000023,"0")', ""],
        ["秦岚", demo_id_number("110101", "1994-09-30", 73, "女"), "不计入考核", "2026-12-15", "1390000024", ""],
    ]
    for number, row in enumerate(rows, start=1):
        ws.append([number, *row, "2025-12-20"])
    ws.append(["合计", f"{len(rows)}人"])
    ws.append([None, "制表人：沈佳（乙方）", None, None, "审核：乙方项目负责人"])
    wb.save(path)
    return path
