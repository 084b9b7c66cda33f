"""Properties of the plan the grid relies on: undo restores exactly, and more shifts never
cover less."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings, strategies as st

from app import coverage as cov
from app.contract import active_contract
from app.roster import RosterRefused, planned_shifts, set_cells
from app.store import open_memory_store
from app.workcalendar import WorkCalendar

from .support import add_people

ENTRIES = st.sampled_from(["", "早", "中", "夜", "白", "休", "早/中", "16:00-次日08:00", "9:00-15:00", "X"])
FIRST, LAST = dt.date(2026, 10, 30), dt.date(2026, 11, 2)
_STORE = {}


def shared_store():
    """One store for all examples (adding the people is the slow part); each example
    leaves it as it found it."""
    if "store" not in _STORE:
        store = open_memory_store()
        _STORE["store"] = (store, add_people(store))
    return _STORE["store"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["赵文静", "钱立新", "郑晓东"]), st.integers(0, 3), ENTRIES),
                min_size=1, max_size=8),
       st.lists(st.tuples(st.sampled_from(["赵文静", "钱立新", "郑晓东"]), st.integers(0, 3), ENTRIES),
                min_size=1, max_size=8))
def test_undo_restores_the_plan_exactly_and_a_refused_batch_changes_nothing(first_batch, second_batch):
    store, people = shared_store()
    start = planned_shifts(store, FIRST, LAST)
    undo_stack = []
    for batch in (first_batch, second_batch):
        edits = [(people[n], FIRST + dt.timedelta(days=d), [e]) for n, d, e in batch]
        before = planned_shifts(store, FIRST, LAST)
        logged = store.db["audit_log"].count
        try:
            changes = set_cells(store, edits)
        except RosterRefused:
            assert planned_shifts(store, FIRST, LAST) == before and store.db["audit_log"].count == logged
            continue
        undo_stack.append([(c.worker_id, c.day, c.before) for c in changes])
    while undo_stack:
        set_cells(store, undo_stack.pop())
    assert planned_shifts(store, FIRST, LAST) == start


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 47), st.integers(1, 32)), max_size=8),
       st.tuples(st.integers(0, 5), st.integers(0, 47), st.integers(1, 32)))
def test_one_more_shift_never_covers_less(pieces, extra):
    """Month end and midnight included: the days are 10-31 and 11-01, pieces may start on
    10-30 and run past midnight."""
    store, _ = shared_store()
    contract = active_contract(store)
    days = list(WorkCalendar().days(dt.date(2026, 10, 31), dt.date(2026, 11, 1)))
    base = dt.date(2026, 10, 30).toordinal() * 1440
    dispatch = contract.posts[0].id

    def works(items):
        return [cov.Work(i % 6, dispatch, base + a * 30 + d * 1440, base + a * 30 + d * 1440 + n * 30)
                for i, (d, a, n) in enumerate(items)]

    before = cov.evaluate(contract.posts, days, works(pieces))
    after = cov.evaluate(contract.posts, days, works([*pieces, extra]))
    for b, a in zip(before.posts, after.posts):
        assert a.met_minutes >= b.met_minutes and a.required_minutes == b.required_minutes
    assert sum(g.minutes for g in after.gaps) <= sum(g.minutes for g in before.gaps)
