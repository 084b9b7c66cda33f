"""排班日历 → 月度考核: the roster's real uncovered hours suggest the template's deduction;
the clerk accepts, changes or rejects it, the sheet says which, and finalising waits for it."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app import assessment as a
from app.assessment_roster import suggested_deductions, undecided
from app.duty import add_record
from app.errors import ValidationError
from app.roster import set_cells
from tests.roster.support import add_people


@pytest.fixture
def october(store):
    people = add_people(store)
    day = dt.date(2026, 10, 15)
    a_, b, c, spare = (people[n] for n in ("赵文静", "钱立新", "孙海波", "李佳怡"))
    set_cells(store, [(a_, day, ["早"]), (b, day, ["中"]), (c, day, ["夜"]), (spare, day, ["休"])])
    add_record(store, a_, day, "leave", "08:00", "16:00", covered_by=spare, note="病假")  # covered: no deduction
    add_record(store, c, day, "absent", "05:30", "08:00")  # 2.5 h nobody covered
    return people


def test_uncovered_hours_suggest_the_templates_deduction(store, october):
    suggestions = suggested_deductions(store, 2026, 10)
    assert [(s.worker_name, s.criterion, s.points) for s in suggestions] == [("孙海波", 1, Decimal("5.0"))]
    assert "缺岗（岗位无人值守）每小时扣 2 分" in suggestions[0].reason
    # The day the 值守记录 names, not the month's last day (the sheet printed "10月31日 …"
    # beside an absence of the 15th — a new clerk's review).
    assert "值守记录：10月15日岗位无人值守，共 2.5 小时" in suggestions[0].reason
    assert suggestions[0].date == "2026-10-15"


@pytest.mark.parametrize("decision, points, total, printed", [
    (a.Decision.ACCEPTED, "5", Decimal(95), "（采纳排班建议）"),
    (a.Decision.CHANGED, "3", Decimal(97), "（排班建议扣 5 分，改为 3 分）"),
    (a.Decision.REJECTED, "0", Decimal(100), "（排班建议扣 5 分，未采纳）"),
])
def test_the_clerk_accepts_changes_or_rejects_and_the_sheet_says_which(store, october, decision, points, total,
                                                                        printed):
    worker = october["孙海波"]
    [s] = suggested_deductions(store, 2026, 10)
    a.score_all(store, 2026, 10)
    with pytest.raises(ValidationError, match="还有 1 条排班建议扣分未处理"):
        a.finalise(store, 2026, 10)
    a.add_deduction(store, 2026, 10, worker, s.criterion, points, s.reason, s.date, decision=decision,
                    suggested=s.points)
    view = a.load_month(store, 2026, 10)
    assert undecided(view, suggested_deductions(store, 2026, 10, view)) == []
    sheet = a.sheet_for(view, worker)
    assert sheet.total == total and printed in sheet.deductions[0].describe()
    assert sheet.deductions[0].describe().startswith("值守记录：10月15日岗位无人值守")  # no second date before it
    assert a.finalise(store, 2026, 10).status is a.Status.FINAL
