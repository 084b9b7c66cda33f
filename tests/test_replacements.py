"""Who takes the post in an agreed replacement; the days before it stay on the post served."""
from __future__ import annotations

import datetime as dt

import pytest

from app import staff
from app.replacements import decide_replacement, record_replacement
from tests.test_staff import form, make_id


@pytest.fixture
def leaving(store):
    return staff.add_worker(store, form(name="郑晓东", id_number=make_id(seq=125), gender="男", phone="13900000007"))


def incoming(store, post: str, start: str) -> int:
    return staff.add_worker(store, form(name="王丽娜", id_number=make_id(seq=126), phone="13900000008",
                                        post=post, start_date=start))


def replace(store, leaving: int, incoming: int, **changes) -> int:
    data = {"leaving": leaving, "incoming": incoming, "requested_by": "vendor", "notified_on": "2026-11-20",
            "effective_on": "2026-12-01", "consent": "agreed", "consent_on": "2026-11-21", "reason": "本人辞职"}
    data.update(changes)
    return record_replacement(store, data)


def post_of(store, worker_id: int) -> str:
    return staff.get_worker(store, worker_id).post_code


def test_a_new_person_starting_on_the_effective_day_takes_the_post(store, leaving):
    newcomer = incoming(store, "flex", "2026-12-01")
    replace(store, leaving, newcomer)
    assert post_of(store, newcomer) == "reply_review"
    assert staff.get_worker(store, leaving).left_on == dt.date(2026, 11, 30)


def test_a_worker_already_serving_on_another_post_moves_from_the_effective_day(store, leaving):
    serving = incoming(store, "flex", "2026-01-01")
    replace(store, leaving, serving)
    # Until the change takes effect she still serves (and counts) on her old post.
    fills = {f.post.code: f for f in staff.post_fills(store, dt.date(2026, 11, 25))}
    assert [w.name for w in fills["flex"].on_duty] == ["王丽娜"]
    stretches = sorted((a.post_code, a.start, a.end) for a in staff.assignments(store, dt.date(2026, 1, 1),
                                                                          dt.date(2026, 12, 31))
                 if a.worker_id == serving)
    assert stretches == [("flex", dt.date(2026, 1, 1), dt.date(2026, 11, 30)),
                         ("reply_review", dt.date(2026, 12, 1), None)]
    assert staff.get_worker(store, leaving).left_on == dt.date(2026, 11, 30)


def test_a_worker_already_on_the_same_post_keeps_it(store, leaving):
    colleague = incoming(store, "reply_review", "2026-01-01")
    replace(store, leaving, colleague)
    worker = staff.get_worker(store, colleague)
    assert (worker.post_code, worker.start_date) == ("reply_review", dt.date(2026, 1, 1))
    changes = [r for r in store.db.query("SELECT * FROM audit_log WHERE table_name = 'workers' AND record_id = ?",
                                         [str(colleague)]) if r["action"] == "update"]
    assert changes == []


def test_consent_moves_an_incoming_worker_who_began_elsewhere_meanwhile_from_the_effective_day(store, leaving):
    newcomer = incoming(store, "flex", "2026-12-01")
    rep_id = replace(store, leaving, newcomer, consent="pending", consent_on="")
    staff.update_worker(store, newcomer, form(name="王丽娜", id_number=make_id(seq=126), phone="13900000008",
                                              post="flex", start_date="2026-11-02"))
    decide_replacement(store, rep_id, "agreed", "2026-11-25")
    worker = staff.get_worker(store, newcomer)
    assert [(s.post_code, s.start) for s in worker.stretches] == [("flex", dt.date(2026, 11, 2)),
                                                                  ("reply_review", dt.date(2026, 12, 1))]
    assert post_of(store, newcomer) == "flex"  # today, 2026-11-25


def test_a_pending_request_for_a_new_person_moves_them_when_agreed(store, leaving):
    newcomer = incoming(store, "flex", "2026-12-01")
    rep_id = replace(store, leaving, newcomer, consent="pending", consent_on="")
    assert post_of(store, newcomer) == "flex"  # not in force yet
    decide_replacement(store, rep_id, "agreed", "2026-11-25")
    assert post_of(store, newcomer) == "reply_review"
