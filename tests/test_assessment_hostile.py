"""月度考核 under attack: what a hostile tester found, each a test (issue 11)."""
from __future__ import annotations

import pytest

from app import assessment as a
from app import staff
from app.consequences import fired_rules
from app.errors import ValidationError
from tests.test_staff import audit_count, form, make_id


def failed(store, worker_id, month):
    a.add_deduction(store, 2026, month, worker_id, 1, "25", "多次脱岗", f"2026-{month:02d}-10")
    a.add_deduction(store, 2026, month, worker_id, 2, "20", "超时派单", f"2026-{month:02d}-11")
    a.finalise(store, 2026, month, on=__import__("datetime").date(2026, month + 1, 2))
    a.sign(store, 2026, month, f"2026-{month + 1:02d}-03")


@pytest.fixture
def signed(store):
    """吴雪梅, on reply_review all year, failed the signed months August and September."""
    w = staff.add_worker(store, form(name="吴雪梅", id_number=make_id(seq=202)))
    failed(store, w, 8)
    failed(store, w, 9)
    return w


def sheets_of(store, worker_id):
    return {m: [(s.post_name, s.total, s.code) for s in a.load_month(store, 2026, m).sheets if s.worker_id == worker_id]
            for m in (7, 8, 9)}


@pytest.mark.parametrize("change", [
    pytest.param(lambda s, w: staff.leave_worker(s, w, "2026-07-31", "补录离场"), id="departure-backdated"),
    pytest.param(lambda s, w: staff.update_worker(s, w, form(name="吴雪梅", id_number=make_id(seq=202),
                                                             start_date="2026-10-01")), id="start-date-later"),
    pytest.param(lambda s, w: staff.change_post(s, w, "机动", "2026-08-01", "补录调岗"), id="post-moved-back"),
])
def test_a_signed_month_cannot_be_changed_through_the_staff_record(store, signed, change):
    """A signed month is locked: a departure recorded back in time, a later start date or a
    post change dated back into it would make its sheets vanish or print another post (and
    the 四.4 rule fired by the two failed months would silently disappear)."""
    before, audits = sheets_of(store, signed), audit_count(store)
    with pytest.raises(ValidationError, match="2026年8月.*已签字.*撤销签字"):
        change(store, signed)
    assert sheets_of(store, signed) == before and audit_count(store) == audits
    assert [f.rule for f in fired_rules(store)] == ["replacement"]


def test_staff_changes_that_leave_the_locked_months_alone_still_go_through(store, signed):
    staff.leave_worker(store, signed, "2026-10-20", "合同到期离场")
    staff.change_post(store, signed, "机动", "2026-10-01", "调岗")
    assert [s.post_name for s in a.load_month(store, 2026, 9).sheets] == ["接诉即办案件回复意见审核"]
    assert [f.rule for f in fired_rules(store)] == ["replacement"]
