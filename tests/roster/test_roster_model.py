"""The vendor's plan: shift types, cells, batch edits validated as a whole, month read."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings, strategies as st

from app import roster, shifts
from app.errors import ValidationError
from app.roster import RosterRefused
from app.store.check import check_audit_agrees

from .support import add_people

D = dt.date(2026, 10, 1)


def rows(store) -> int:
    return store.db["roster_shifts"].count


def audits(store) -> int:
    return store.db["audit_log"].count


@pytest.fixture
def people(store):
    return add_people(store, left={"郑晓东": "2026-06-30"}, start={"王丽娜": "2026-07-01"})


def test_default_shift_types_are_seeded_and_audited(store):
    types = shifts.shift_types_by_code(store)
    assert list(types) == ["早", "中", "夜", "白", "网", "节", "休"]
    assert types["白"].paid_minutes == 8 * 60 and types["白"].break_minutes == 60
    assert types["网"].times_text() == "08:00-18:30"
    assert types["休"].is_rest
    assert check_audit_agrees(store.db.conn) == []


def test_shift_type_whose_end_equals_its_start_is_refused(store):
    before = store.db["shift_types"].count
    with pytest.raises(ValidationError) as err:
        shifts.add_shift_type(store, {"code": "长", "name": "长班", "start": "08:00", "end": "8:00"})
    assert "结束时间不能与开始时间相同" in str(err.value)
    assert store.db["shift_types"].count == before


def test_shift_type_crossing_midnight(store):
    type_id = shifts.add_shift_type(store, {"code": "值", "name": "值班", "start": "16:00", "end": "08:00",
                                            "colour": "#ffcc00"})
    t = shifts.get_shift_type(store, type_id)
    assert t.crosses_midnight and t.paid_minutes == 16 * 60 and t.times_text() == "16:00-次日08:00"


def test_type_in_use_cannot_be_deleted_nor_changed_for_past_months(store, people):
    early = shifts.shift_types_by_code(store)["早"]
    roster.set_cells(store, [(people["吴雪梅"], D, ["早"]), (people["吴雪梅"], dt.date(2026, 12, 1), ["早"])])
    with pytest.raises(ValidationError, match="已在排班中使用 2 次"):
        shifts.delete_shift_type(store, early.id)
    new_times = {"code": "早", "name": "早班", "start": "07:30", "end": "15:30", "colour": "#CFE8FF"}
    with pytest.raises(ValidationError, match="从哪个月起生效"):
        shifts.update_shift_type(store, early.id, new_times)
    with pytest.raises(ValidationError, match="不能修改过去月份"):
        shifts.update_shift_type(store, early.id, new_times, from_month=(2026, 10))
    roster.set_cells(store, [(people["吴雪梅"], dt.date(2026, 12, 1), ["早/16:00-20:00"])])
    longer = {**new_times, "start": "08:00", "end": "17:00"}
    with pytest.raises(ValidationError, match="吴雪梅 12月1日的班次会与12月1日的班次重叠"):
        shifts.update_shift_type(store, early.id, longer, from_month=(2026, 12))
    assert shifts.get_shift_type(store, early.id).end == 16 * 60  # rolled back
    shifts.update_shift_type(store, early.id, new_times, from_month=(2026, 12))
    plan = roster.planned_shifts(store, D, dt.date(2026, 12, 31))[people["吴雪梅"]]
    assert plan[D][0].start == 8 * 60  # October keeps the times it was planned with
    assert plan[dt.date(2026, 12, 1)][0].start == 7 * 60 + 30
    assert check_audit_agrees(store.db.conn) == []


@pytest.mark.parametrize("text, expected", [
    ("08:00-16:00", (480, 960)), ("8:00～16:00", (480, 960)), ("8-16", (480, 960)),
    ("16:00-次日8:00", (960, 480)), ("20:00-08:00", (1200, 480)), ("16:00-24:00", (960, 1440)),
    ("８：３０－１７：３０", (510, 1050)), ("8点-16点", (480, 960)),
    ("8:00-8:00", None), ("25:00-08:00", None), ("早班", None), ("9:00-次日10:00", None),
])
def test_time_ranges_as_vendors_write_them(text, expected):
    assert shifts.parse_time_range(text) == expected


def test_a_time_range_equal_to_a_type_takes_that_type_and_its_break(store):
    types = shifts.shift_types_by_code(store)
    assert roster.parse_entry("8:30-17:30", types).code == "白"
    assert roster.parse_entry("网格班", types).code == "网"  # the type's name as vendors write it
    assert roster.parse_entry("8:30-17:30", types).paid_minutes == 480
    other = roster.parse_entry("9:00-15:00", types)
    assert other.code == "" and other.paid_minutes == 360 and other.label == "09:00-15:00"


def test_set_cells_writes_one_audited_action_and_returns_undo(store, people):
    w = people["赵文静"]
    before = audits(store)
    changes = roster.set_cells(store, [(w, D, ["早"]), (w, D + dt.timedelta(days=1), ["早/中"]),
                                       (w, D + dt.timedelta(days=2), ["休"])])
    assert len(changes) == 3 and rows(store) == 4
    summaries = {r["summary"] for r in store.db.query("SELECT summary FROM audit_log WHERE id > ?", [before])}
    assert summaries == {"修改乙方排班：3 格（2026-10-01 至 2026-10-03）"}
    roster.set_cells(store, [(c.worker_id, c.day, c.before) for c in changes])  # undo
    assert rows(store) == 0
    assert check_audit_agrees(store.db.conn) == []


def test_unknown_code_is_refused_naming_worker_and_day_and_nothing_changes(store, people):
    roster.set_cells(store, [(people["赵文静"], D, ["早"])])
    count, logged = rows(store), audits(store)
    with pytest.raises(RosterRefused) as err:
        roster.set_cells(store, [(people["钱立新"], D, ["中"]), (people["赵文静"], D, ["X"])])
    assert "赵文静 10月1日：“X”不是班次代码" in str(err.value)
    assert (rows(store), audits(store)) == (count, logged)


def test_unreadable_time_is_refused(store, people):
    with pytest.raises(RosterRefused, match="时间“25:00-26:00”无法识别"):
        roster.set_cells(store, [(people["赵文静"], D, ["25:00-26:00"])])
    with pytest.raises(RosterRefused, match="赵文静 10月1日：时间“8:00-8:00”无法识别"):
        roster.set_cells(store, [(people["赵文静"], D, ["8:00-8:00"])])  # a shift that ends as it starts
    assert rows(store) == 0


def test_shift_outside_the_workers_service_is_refused(store, people):
    with pytest.raises(RosterRefused, match="郑晓东 7月1日：不在此人的服务期内"):
        roster.set_cells(store, [(people["郑晓东"], dt.date(2026, 7, 1), ["白"])])
    with pytest.raises(RosterRefused, match="王丽娜 6月30日：不在此人的服务期内"):
        roster.set_cells(store, [(people["王丽娜"], dt.date(2026, 6, 30), ["白"])])
    roster.set_cells(store, [(people["郑晓东"], dt.date(2026, 6, 30), ["白"]),
                             (people["王丽娜"], dt.date(2026, 7, 1), ["白"])])
    assert rows(store) == 2


def test_double_booking_is_refused_also_across_midnight_and_month_end(store, people):
    w = people["李佳怡"]
    roster.set_cells(store, [(w, dt.date(2026, 10, 31), ["16:00-次日08:00"])])
    with pytest.raises(RosterRefused, match="李佳怡 11月1日：与10月31日的班次时间重叠"):
        roster.set_cells(store, [(w, dt.date(2026, 11, 1), ["夜"])])
    with pytest.raises(RosterRefused, match="同一天的两个班次时间重叠"):
        roster.set_cells(store, [(w, D, ["早/8:00-12:00"])])
    with pytest.raises(RosterRefused, match="一天最多两个班次"):
        roster.set_cells(store, [(w, D, ["夜/早/中"])])
    with pytest.raises(RosterRefused, match="“休”不能与其他班次"):
        roster.set_cells(store, [(w, D, ["休/早"])])
    roster.set_cells(store, [(w, dt.date(2026, 11, 1), ["早"])])  # 08:00 follows the night's end
    assert rows(store) == 2


def test_month_roster_groups_rows_by_post_with_days_and_service(store, people):
    roster.set_cells(store, [(people["赵文静"], D, ["早"]), (people["褚国庆"], D, ["节"])])
    month = roster.month_roster(store, 2026, 10)
    assert len(month.days) == 31 and month.days[0].name == "国庆节" and not month.days[0].is_working
    assert month.days[9].kind.value == "makeup_workday"
    assert [g.post.code for g in month.groups] == ["dispatch", "reply_review", "exclusion", "grid_watch", "flex"]
    review = [r.name for r in month.groups[1].rows]
    assert review == ["吴雪梅", "王丽娜"]  # 郑晓东 left in June
    first = month.groups[0].rows[0]
    assert first.name == "赵文静" and roster.cell_label(first.cells[0]) == "早" and all(first.serves)
    data = json.loads(json.dumps(month.as_json(), ensure_ascii=False))
    assert data["posts"][3]["workers"][0]["cells"] == {"2026-10-01": "节"}


def test_paste_past_month_end_is_refused(store, people):
    month = roster.month_roster(store, 2026, 10)
    block = roster.parse_tsv("早\t中\t夜\r\n休\t\"早\n中\"\t\r\n")
    assert block == [["早", "中", "夜"], ["休", "早\n中", ""]]
    logged = audits(store)
    with pytest.raises(ValidationError, match="粘贴的内容有 3 列，从10月30日起会超出本月最后一天（10月31日），没有粘贴"):
        roster.paste_edits(month, [people["赵文静"], people["钱立新"]], dt.date(2026, 10, 30), block)
    assert (rows(store), audits(store)) == (0, logged)
    edits = roster.paste_edits(month, [people["赵文静"], people["钱立新"]], dt.date(2026, 10, 29), block)
    roster.set_cells(store, edits)
    plan = roster.planned_shifts(store, D, dt.date(2026, 10, 31))
    assert roster.cell_label(plan[people["钱立新"]][dt.date(2026, 10, 30)]) == "早/中"


def test_rotation_with_an_unknown_code_is_refused(store, people):
    types = shifts.shift_types_by_code(store)
    month = roster.month_roster(store, 2026, 10)
    logged = audits(store)
    with pytest.raises(ValidationError, match="轮班规律中的“晚”不是班次代码"):
        roster.rotation_edits(month, [people["赵文静"]], D, dt.date(2026, 10, 31), "早早晚晚休休", types)
    assert (rows(store), audits(store)) == (0, logged)
    team = [people[n] for n in ("赵文静", "钱立新", "孙海波", "李佳怡")]
    roster.set_cells(store, roster.rotation_edits(month, team, D, dt.date(2026, 10, 8), "早早中中夜夜休休", types))
    plan = roster.planned_shifts(store, D, dt.date(2026, 10, 31))
    assert [roster.cell_label(plan[t][D]) for t in team] == ["早", "中", "夜", "休"]


def test_copy_last_month_forward_by_weekday_and_by_rotation(store, people):
    w = people["赵文静"]
    sept = [dt.date(2026, 9, 1) + dt.timedelta(days=i) for i in range(30)]
    types = shifts.shift_types_by_code(store)
    september = roster.month_roster(store, 2026, 9)
    roster.set_cells(store, roster.rotation_edits(september, [w], sept[0], sept[-1], "早中夜休", types))
    by_weekday = {d: tuple(e) for _, d, e in roster.copy_month_edits(store, 2026, 10, by="weekday")}
    # 10-01 is a Thursday: it takes 09-03 (the Thursday four weeks before)
    assert [s.code for s in by_weekday[dt.date(2026, 10, 1)]] == ["夜"]
    by_rotation = {d: tuple(e) for _, d, e in roster.copy_month_edits(store, 2026, 10, by="rotation")}
    # 09-30 was 中 (day 30, position 1 of 4): the cycle goes on with 夜, 休, 早 …
    assert [by_rotation[dt.date(2026, 10, d)][0].code for d in (1, 2, 3, 4)] == ["夜", "休", "早", "中"]
    roster.set_cells(store, roster.copy_month_edits(store, 2026, 10, by="rotation"))
    assert roster.cell_label(roster.planned_shifts(store, D, D)[w][D]) == "夜"


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 24 * 60 - 1), st.integers(1, 24 * 60))
def test_a_written_time_range_reads_back(start, end):
    if start == end:
        return
    assert shifts.parse_time_range(shifts.format_range(start, end)) == (start, end)
