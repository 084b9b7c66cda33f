"""`python -m app demo` on any day of its range: a month that has ended is finalised, so the
roster's suggested deductions for it are decided first (finalising refuses while one is open)."""
from __future__ import annotations

from app import assessment as a
from app.assessment_roster import suggested_deductions, undecided


def test_demo_on_december_3rd_finalises_november_with_the_rosters_suggestion_accepted(store, monkeypatch):
    from app.demo import fill_demo

    monkeypatch.setenv("DINGSHOU_TODAY", "2026-12-03")
    fill_demo(store)
    november = a.load_month(store, 2026, 11)
    assert november.month.status is a.Status.FINAL
    accepted = [d for r in november.rows if r.sheet for d in r.sheet.deductions if d.decision is a.Decision.ACCEPTED]
    assert accepted and undecided(november, suggested_deductions(store, 2026, 11, november)) == []
    assert a.load_month(store, 2026, 12).month.status is a.Status.DRAFT  # the month in progress
