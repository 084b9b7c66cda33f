"""The demo staff's 2026 roster (乙方排班), fully covered and within the law, with a few
realistic deviations recorded in 值守记录.

- 24 h dispatch post, five workers on 综合工时: the ten-day rotation 夜夜中中早早休休休休, each
  worker two days further along, so every day has one 夜, one 中 and one 早 (24 h × 1) and
  each works 4.8 h a day on average (under the month's working days × 8 h + 36 h).
- Review, 不计入考核 and 机动 posts: 白 (08:30–17:30, 1 h break = 8 h) on every working day,
  make-up Saturdays and Sundays included.
- Grid post, two workers on alternate days: 网 (08:00–18:30) on working days, 节 (10:00–16:30)
  on the others — never more than 10.5 h a day nor two days in a row.
- A one-off requirement on 国庆节 (10-01 审核岗 1 人 8 小时) that the vendor covered.
- Deviations: a sick day on the dispatch post with a colleague who was resting as 替班, and
  an hour short (left at 16:30) on the 不计入考核 post.
"""
from __future__ import annotations

import datetime as dt

from app.contract import active_contract
from app.coverage import add_requirement
from app.duty import add_record
from app.roster import CellEdit, planned_shifts, set_cells
from app.staff import assignments
from app.store.store import Store
from app.workcalendar import load_calendar

YEAR_START = dt.date(2026, 1, 1)
YEAR_END = dt.date(2026, 12, 31)
DISPATCH_ROTATION = "夜夜中中早早休休休休"
DISPATCH_TEAM = ("赵文静", "钱立新", "孙海波", "李佳怡", "周志强")
GRID_TEAM = ("褚国庆", "卫晓琳")


def fill_demo_roster(store: Store, ids: dict[str, int]) -> int:
    """Write the year's plan month by month (each month one audited action, as an import
    would), then the deviations. Returns the number of cells written."""
    calendar = load_calendar(store)
    contract = active_contract(store)
    stretches = assignments(store, YEAR_START, YEAR_END, contract)
    dispatch = {ids[name]: 2 * i for i, name in enumerate(DISPATCH_TEAM)}
    grid = {ids[name]: i for i, name in enumerate(GRID_TEAM)}
    written = 0
    for month in range(1, 13):
        first = dt.date(2026, month, 1)
        last = (dt.date(2026, month + 1, 1) if month < 12 else dt.date(2027, 1, 1)) - dt.timedelta(days=1)
        edits: list[CellEdit] = []
        for day in calendar.days(first, last):
            index = (day.date - YEAR_START).days
            for a in stretches:
                if not a.covers(day.date):
                    continue
                if a.worker_id in dispatch:
                    code = DISPATCH_ROTATION[(index + dispatch[a.worker_id]) % len(DISPATCH_ROTATION)]
                elif a.worker_id in grid:
                    if index % 2 != grid[a.worker_id]:
                        code = "休"
                    else:
                        code = "网" if day.is_working else "节"
                else:
                    code = "白" if day.is_working else "休"
                edits.append((a.worker_id, day.date, [code]))
        if month == 10:
            edits.append((ids["吴雪梅"], dt.date(2026, 10, 1), ["白"]))  # the 国庆节 one-off below
        written += len(set_cells(store, edits, f"乙方排班：2026年{month}月（演示数据）"))
    add_requirement(store, "reply_review", dt.date(2026, 10, 1), people=1, hours=8,
                    note="国庆节期间群众诉求较多，请乙方安排 1 人审核")
    _sick_day_with_cover(store, ids, dispatch)
    add_record(store, ids["冯建华"], dt.date(2026, 11, 5), "absent", "16:30", "17:30", note="提前离岗 1 小时")
    return written


def _sick_day_with_cover(store: Store, ids: dict[str, int], dispatch: dict[int, int]) -> None:
    """10-14 or the first day after it when 孙海波 has 早 and a colleague rests that day and
    the day after (so the 替班 clashes with nothing)."""
    sick = ids["孙海波"]
    plan = planned_shifts(store, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    day = dt.date(2026, 10, 14)
    while True:
        if [s.code for s in plan[sick].get(day, ())] == ["早"]:
            for other in dispatch:
                nearby = [plan[other].get(day + dt.timedelta(days=k), ()) for k in (-1, 0, 1)]
                if other != sick and all([s.code for s in cell] == ["休"] for cell in nearby):
                    add_record(store, sick, day, "leave", "08:00", "16:00", covered_by=other, note="病假（演示）")
                    return
        day += dt.timedelta(days=1)
