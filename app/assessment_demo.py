"""`python -m app demo`, the 月度考核 part: a year of fictional scores.

January to October are scored, finalised and signed (September and October only finalised:
the vendor's lead has not signed yet), later ended months finalised with the
roster's suggested deductions accepted; the month in progress is a draft. 孙海波 fails August
and September (四.4 fires), the street is in the district's bottom three in September and
October for the vendor's reasons (七.1 fires), one cure notice was cured in April and one
issued in November is still open (六.1: 待整改).
"""
from __future__ import annotations

import datetime as dt

from app import assessment as a
from app.consequences import issue_notice, mark_cured, record_ranking
from app.store.store import Store

REASONS = [
    (1, "1", "交接班记录缺失一次"),
    (2, "1", "超时派单一件"),
    (2, "0.5", "派单说明不清被退回一件"),
    (3, "2", "核实不实一件"),
    (4, "1", "审核把关不严被区级退回一件"),
    (6, "2", "未按要求参加专项工作一次"),
    (1, "2", "夜班缺岗 1 小时"),
]
FAILING = "孙海波"
FAILED_MONTHS = {(2026, 8), (2026, 9)}
FAILURE = [(1, "25", "多次夜班脱岗，岗位无人值守累计 14 小时"), (2, "12", "超时派单 12 件"),
           (3, "8", "核实不实 4 件")]
RANKINGS = {1: 6, 2: 9, 3: 5, 4: 11, 5: 8, 6: 12, 7: 10, 8: 13, 9: 16, 10: 15}
STREETS = 17  # 东城区 17 个街道


def _accept_roster_suggestions(store: Store, year: int, month: int) -> None:
    """The clerk's decision on each deduction the roster suggests for a past month: 采纳."""
    from app.assessment_roster import suggested_deductions, undecided

    view = a.load_month(store, year, month)
    for s in undecided(view, suggested_deductions(store, year, month, view)):
        a.add_deduction(store, year, month, s.worker_id, s.criterion, s.points, s.reason, s.date,
                        decision=a.Decision.ACCEPTED, suggested=s.points)


def fill_assessment_demo(store: Store, today: dt.date) -> None:
    for month in range(1, today.month + 1):
        view = a.load_month(store, 2026, month)
        for n, row in enumerate(view.rows):
            worker = row.assignment
            picks = FAILURE if (worker.worker_name == FAILING and (2026, month) in FAILED_MONTHS) else \
                [REASONS[(n * 3 + month * 5 + k) % len(REASONS)] for k in range((n + month) % 3)]
            first_day = max(worker.start, dt.date(2026, month, 1))
            if first_day > today:
                continue  # starts after today: nothing to score yet
            for criterion, points, reason in picks:
                day = min(first_day + dt.timedelta(days=(n * 7 + month) % 20), a.month_bounds(2026, month)[1],
                          worker.end or dt.date(2026, 12, 31), today)
                a.add_deduction(store, 2026, month, worker.worker_id, criterion, points, reason, day)
            if worker.worker_name == FAILING and (2026, month) in FAILED_MONTHS:
                a.set_comment(store, 2026, month, worker.worker_id,
                              "本月多次脱岗，派单超时较多，服务不符合合同约定，请乙方整改。")
        if month == today.month:
            continue  # the month in progress stays a draft
        _accept_roster_suggestions(store, 2026, month)  # finalising refuses while one is undecided
        a.score_all(store, 2026, month)
        next_month = dt.date(2026, month + 1, 3)
        a.finalise(store, 2026, month, on=next_month)
        if month <= 8:
            a.sign(store, 2026, month, next_month + dt.timedelta(days=2))
        if month in RANKINGS and dt.date(2026, month + 1, 15) <= today:
            record_ranking(store, 2026, month, {
                "rank": RANKINGS[month], "streets": STREETS, "score": f"{96 - RANKINGS[month] * 0.7:.2f}",
                "vendor_caused": "是" if month in (9, 10) else ("否" if RANKINGS[month] > 14 else "待定"),
                "note": "区接诉即办月度考核通报（演示数据）"})
    cured = issue_notice(store, {"issued_on": "2026-04-08", "letter_no": "龙街函〔2026〕6号",
                                 "failure": "2026年3月回复意见审核岗位多次未在时限内完成审核，被区级退回 6 件。"})
    mark_cured(store, cured, "2026-04-20")
    issue_notice(store, {"issued_on": "2026-11-16", "letter_no": "龙街函〔2026〕31号",
                         "failure": "2026年10月至11月接派单岗位夜间多次无人值守，区月度考核连续两个月排名后三名。"})
