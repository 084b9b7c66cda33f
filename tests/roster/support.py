"""Workers for the roster tests: the demo's people, added through the same path as the form."""
from __future__ import annotations

import datetime as dt

from app.demo import PEOPLE, _worker
from app.staff import add_worker, leave_worker


def add_people(store, *, left: dict[str, str] | None = None, start: dict[str, str] | None = None) -> dict[str, int]:
    """The 13 demo people (5 on dispatch, 综合工时); `left` ends some, `start` moves starts."""
    ids = {}
    for index, person in enumerate(PEOPLE):
        data = _worker(index, person)
        if start and person[0] in start:
            data["start_date"] = start[person[0]]
        ids[person[0]] = add_worker(store, data)
    for name, day in (left or {}).items():
        leave_worker(store, ids[name], day)
    return ids


def days(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)
