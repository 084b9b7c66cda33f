"""The vendor's Excel roster: the layouts vendors send, preview first, one audited action
replacing the month's plan of the workers in the file; export in the same layout."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook

from app.errors import ValidationError
from app.reports.roster_xlsx import RosterSheetChoice, apply_import, export_roster, preview_import
from app.roster import cell_label, planned_shifts, set_cells
from app.staff import add_worker
from app.store.check import check_audit_agrees

from .support import add_people

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


@pytest.fixture
def people(store):
    return add_people(store)


def write(path, rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def vendor_file(tmp_path, body, *, days=31, header=None, title="龙潭街道盯守人员排班表 2026年10月"):
    """The usual layout: a title, 序号/姓名/岗位/工号 and day numbers, weekdays, notes below."""
    header = header or [f"{d}日" for d in range(1, days + 1)]
    weekdays = ["四", "五", "六", "日", "一", "二", "三"] * 5
    return write(tmp_path / "排班.xlsx", [
        [title], [],
        ["序号", "姓名", "岗位", "工号", *header],
        ["", "", "", "", *weekdays[:days]],
        *[[i + 1, name, "", f"LT{i:03d}", *cells] for i, (name, cells) in enumerate(body)],
        [], ["注：早 8:00-16:00，中 16:00-24:00，夜 0:00-8:00"], ["乙方负责人：刘建军"],
    ])


def plan_of(store, worker_id):
    return {d.day: cell_label(s) for d, s in planned_shifts(store, *OCT).get(worker_id, {}).items()}


def test_import_reads_codes_ranges_two_shifts_and_rest(store, people, tmp_path):
    cells = ["早", "8:00～16:00", "16:00-次日8:00", None, "休", "早/中", "早\n中", "8-16", "20:00-08:00"]
    path = vendor_file(tmp_path, [("赵文静", cells)])
    preview = preview_import(store, path)
    assert preview.ok and (preview.year, preview.month) == (2026, 10) and preview.header_line == 3
    logged = store.db["audit_log"].count
    assert store.db["roster_shifts"].count == 0  # the preview wrote nothing
    apply_import(store, preview)
    assert plan_of(store, people["赵文静"]) == {1: "早", 2: "早", 3: "16:00-次日08:00", 5: "休", 6: "早/中",
                                               7: "早/中", 8: "早", 9: "20:00-次日08:00"}
    summaries = {r[0] for r in store.db.execute("SELECT summary FROM audit_log WHERE id > ?", [logged])}
    assert summaries == {"导入乙方排班：2026年10月（排班.xlsx，1 人）"}
    assert check_audit_agrees(store.db.conn) == []


def test_import_replaces_the_month_only_for_workers_in_the_file(store, people, tmp_path):
    a, b = people["赵文静"], people["钱立新"]
    set_cells(store, [(a, dt.date(2026, 10, 20), ["夜"]), (b, dt.date(2026, 10, 20), ["中"]),
                      (a, dt.date(2026, 11, 1), ["早"])])
    apply_import(store, preview_import(store, vendor_file(tmp_path, [("赵文静", ["早"])])))
    assert plan_of(store, a) == {1: "早"}  # 10-20 cleared: the file is the month's plan
    assert plan_of(store, b) == {20: "中"}  # not in the file: untouched
    assert planned_shifts(store, dt.date(2026, 11, 1), dt.date(2026, 11, 1))[a]  # November untouched


def test_date_headers_and_day_numbers_without_a_title_take_the_month_from_the_dates(store, people, tmp_path):
    dates = [dt.datetime(2026, 10, d) for d in range(1, 32)]
    path = write(tmp_path / "r.xlsx", [["姓名", *dates], ["钱立新", "中", "中"]])
    preview = preview_import(store, path)
    assert (preview.year, preview.month) == (2026, 10) and preview.ok
    plain = write(tmp_path / "plain.xlsx", [["姓名", *range(1, 32)], ["钱立新", "中"]])
    with pytest.raises(ValidationError, match="无法从文件中确定月份"):
        preview_import(store, plain)
    assert preview_import(store, plain, month=(2026, 10)).ok


def bad(store, path, **kwargs):
    """The preview's problems; and importing it is refused with nothing written."""
    before = (store.db["roster_shifts"].count, store.db["audit_log"].count)
    preview = preview_import(store, path, **kwargs)
    assert not preview.ok
    with pytest.raises(ValidationError, match="处问题，没有导入"):
        apply_import(store, preview)
    assert (store.db["roster_shifts"].count, store.db["audit_log"].count) == before
    return preview.problems


def test_unknown_code_and_unreadable_time_are_named_by_row_and_day(store, people, tmp_path):
    path = vendor_file(tmp_path, [("赵文静", ["早", "X"]), ("钱立新", [None, None, "25:00-26:00"])])
    assert bad(store, path) == [
        "第 5 行（赵文静）：2 日：“X”不是班次代码（可用：早、中、夜、白、网、节、休）",
        "第 6 行（钱立新）：3 日：时间“25:00-26:00”无法识别（应写成 08:00-16:00 或 16:00-次日08:00）",
    ]


def test_name_matching_no_worker_or_two_is_refused(store, people, tmp_path):
    from app.demo import _worker

    twin = _worker(30, ("赵文静", "女", "1990-01-02", "110101", "flex", "2026-01-01", "标准工时", "某某（母亲）"))
    add_worker(store, twin)
    path = vendor_file(tmp_path, [("赵文敬", ["早"]), ("赵文静", ["早"])])
    assert bad(store, path) == [
        "第 5 行（赵文敬）：“赵文敬”不是 2026 年 10 月在服务期内的服务人员（请核对姓名）",
        "第 6 行（赵文静）：“赵文静”对应 2 位服务人员，无法区分（请在文件中加上岗位列）",
    ]


def test_shift_outside_service_and_double_booking_in_the_file_are_refused(store, tmp_path):
    people = add_people(store, left={"周志强": "2026-10-10"})
    cells = [None] * 9 + ["早", "早"]
    path = vendor_file(tmp_path, [("周志强", cells), ("李佳怡", ["16:00-次日08:00", "夜"])])
    assert bad(store, path) == [
        "第 5 行（周志强）：11 日：不在此人的服务期内（到岗至离场之外），不能排班",
        "第 6 行（李佳怡）：2 日：与10月1日的班次时间重叠（同一人不能同时在两处）",
    ]
    assert people


def test_a_file_whose_days_do_not_fit_the_month_is_refused(store, people, tmp_path):
    path = vendor_file(tmp_path, [("赵文静", ["早"] * 31)], title="排班表 2026年11月")
    with pytest.raises(ValidationError, match="文件有 31 日这一列，但 2026 年 11 月只有 30 天"):
        preview_import(store, path)
    assert store.db["roster_shifts"].count == 0


def test_a_formula_without_a_saved_value_is_listed(store, people, tmp_path):
    path = vendor_file(tmp_path, [("赵文静", ["=A1"])])
    problems = bad(store, path)
    assert len(problems) == 1 and problems[0].startswith("第 5 行（赵文静）：1 日：") and "公式" in problems[0]


def test_export_round_trip_loses_nothing_and_writes_no_formula(store, people, tmp_path):
    a, b = people["赵文静"], people["褚国庆"]
    set_cells(store, [(a, dt.date(2026, 10, 1), ["早/中"]), (a, dt.date(2026, 10, 2), ["16:00-次日08:00"]),
                      (a, dt.date(2026, 10, 4), ["休"]), (b, dt.date(2026, 10, 31), ["9:00-15:30"])])
    before = planned_shifts(store, *OCT)
    path = export_roster(store, 2026, 10, tmp_path / "导出")
    assert path.name == "导出.xlsx"
    sheet = load_workbook(path).active
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert sheet["B4"].value == "赵文静" and sheet["D4"].value == "早/中" and sheet["E3"].value == "五"
    preview = preview_import(store, path)
    assert preview.ok and len(preview.rows) == 13
    assert apply_import(store, preview) == 0  # nothing to change: the same plan
    assert planned_shifts(store, *OCT) == before


def test_a_file_with_part_of_the_month_replaces_only_those_days(store, people, tmp_path):
    a = people["赵文静"]
    set_cells(store, [(a, dt.date(2026, 10, 3), ["夜"]), (a, dt.date(2026, 10, 20), ["夜"])])
    path = write(tmp_path / "half.xlsx", [["2026年10月排班（上半月）"], ["姓名", *range(1, 16)], ["赵文静", "早"]])
    apply_import(store, preview_import(store, path))
    assert plan_of(store, a) == {1: "早", 20: "夜"}


@pytest.mark.parametrize("days", [[f"{d}号" for d in range(1, 32)], [f"10月{d}日" for d in range(1, 32)],
                                  [f"10/{d}" for d in range(1, 32)]])
def test_day_headers_as_vendors_write_them(store, people, tmp_path, days):
    preview = preview_import(store, write(tmp_path / "r.xlsx", [["2026年10月排班"], ["姓名", *days], ["赵文静", "早", "中"]]))
    assert preview.ok and preview.edits == [(people["赵文静"], dt.date(2026, 10, 1), ["早"]),
                                            (people["赵文静"], dt.date(2026, 10, 2), ["中"])]


def test_two_level_header_with_merged_date_group(store, people, tmp_path):
    wb = Workbook()
    ws = wb.active
    for row in (["2026年10月排班"], ["姓名", "日期"], [None, *range(1, 32)], [None, *"四五六日一二三" * 4, "四", "五", "六"],
                ["赵文静", "早", "夜"]):
        ws.append(row)
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:AF2")
    wb.save(tmp_path / "two.xlsx")
    preview = preview_import(store, tmp_path / "two.xlsx")
    assert preview.ok and preview.header_line == 3 and len(preview.edits) == 2


def two_month_workbook(tmp_path):
    """A vendor's workbook that keeps last month's sheet in front of this month's."""
    wb = Workbook()
    october = wb.active
    october.title = "10月"
    november = wb.create_sheet("11月")
    for ws, month, code in ((october, 10, "早"), (november, 11, "夜")):
        ws.append([f"龙潭街道盯守人员排班表 2026年{month}月"])
        ws.append(["序号", "姓名", *[f"{d}日" for d in range(1, 31)]])
        ws.append([1, "赵文静", code])
    path = tmp_path / "两个月.xlsx"
    wb.save(path)
    return path


def test_a_workbook_with_two_months_imports_the_month_asked_for(store, people, tmp_path):
    path = two_month_workbook(tmp_path)
    preview = preview_import(store, path, month=(2026, 11))  # once: refused, the first sheet says October
    assert (preview.sheet, preview.year, preview.month) == ("11月", 2026, 11)
    assert preview.rows[0].cells == {1: ["夜"]}
    assert preview_import(store, path, sheet="11月").month == 11
    with pytest.raises(RosterSheetChoice) as choice:  # no month asked: the clerk chooses, never the first unseen
        preview_import(store, path)
    assert choice.value.candidates == ["10月", "11月"]
    assert choice.value.describe("11月") == "“11月”（2026 年 11 月）" and choice.value.month_of("10月") == (2026, 10)
    assert "有 2 个工作表都是排班表" in str(choice.value)
    with pytest.raises(ValidationError, match="没有 2026 年 12 月的排班表.*“10月”（2026 年 10 月）"):
        preview_import(store, path, month=(2026, 12))



def test_a_day_with_two_columns_is_refused_not_half_read(store, people, tmp_path):
    """Once the second 1日 column silently won: the vendor's 早 in the first was dropped."""
    path = vendor_file(tmp_path, [("赵文静", ["早", "夜", "早"])], header=["1日", "1日", "2日"],
                       title="龙潭街道盯守人员排班表 2026年11月")
    with pytest.raises(ValidationError, match=r"F 列“1日”与 E 列“1日”重复"):
        preview_import(store, path)


def test_a_header_of_day_numbers_and_date_cells_reads_every_column(store, people, tmp_path):
    """Once the date cells won and the 1日…15日 columns were dropped unseen (15 of 30 shifts read)."""
    header = [f"{d}日" for d in range(1, 16)] + [dt.datetime(2026, 10, d) for d in range(16, 32)]
    preview = preview_import(store, vendor_file(tmp_path, [("赵文静", ["早"] * 31)], header=header))
    assert preview.ok and preview.days == list(range(1, 32)) and len(preview.rows[0].cells) == 31
    header = ["1日", dt.datetime(2026, 10, 1), "2日"]
    with pytest.raises(ValidationError, match=r"1 日有 2 列（E 列、F 列）"):
        preview_import(store, vendor_file(tmp_path, [("赵文静", ["早", "夜", "早"])], header=header))


def test_a_hidden_row_is_a_problem_not_silently_imported(store, people, tmp_path):
    """Once a row hidden in Excel (a vendor's draft) was imported like any other."""
    path = vendor_file(tmp_path, [("赵文静", ["早"]), ("钱立新", ["夜"])])
    wb = load_workbook(path)
    wb.active.row_dimensions[6].hidden = True  # 钱立新
    wb.save(path)
    preview = preview_import(store, path)
    assert not preview.ok
    assert preview.problems == ["第 6 行（钱立新）：这一行在 Excel 中是隐藏的（或被筛选掉），请乙方删除它或取消隐藏后再发来"]


def test_a_roster_too_big_to_read_is_called_a_roster_not_a_staff_list(store, people, tmp_path):
    """The reader is shared with the staff import; once a roster was '不像是一份人员名单'."""
    from app.reports.workbook import Limits, open_workbook

    path = vendor_file(tmp_path, [(f"某{i}", ["早"]) for i in range(30)])
    with pytest.raises(ValidationError, match="不像是一份排班表") as info, \
            open_workbook(path, Limits(rows=10), what="排班表") as book:
        book.read(book.sheets[0])
    assert "人员名单" not in str(info.value)
    from tests.hostile_xlsx import wide_workbook

    with pytest.raises(ValidationError, match="不像是一份排班表"):
        preview_import(store, wide_workbook(tmp_path / "wide.xlsx", rows=6000))
