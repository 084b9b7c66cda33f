"""Importing the vendor's roster from Excel (preview first), and exporting the list."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from app.errors import ValidationError
from app.idcard import check_char
from app.reports.staff_xlsx import apply_import, export_workers, preview_import
from app.staff import add_worker, list_workers


def make_id(birth: str, seq: int) -> str:
    first17 = f"110101{birth}{seq:03d}"
    return first17 + check_char(first17)


GOOD = [
    ["赵文静", "女", make_id("19880314", 42), "13900000001", "接派单、退单、案件核实", dt.datetime(2026, 1, 1), "综合工时"],
    ["钱立新", "男", make_id("19910722", 43), 13900000002, "机动", "2026/1/1", ""],
]
HEADER = ["姓名", "性别", "身份证号", "手机", "岗位", "到岗日期", "工时制度"]


def write_xlsx(path, rows, header=HEADER, title: str | None = "北京自腾科技有限公司 龙潭街道派驻人员名单"):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    if header:
        ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_preview_finds_the_header_under_a_title_and_writes_nothing(store, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", GOOD)
    before = store.db["audit_log"].count
    preview = preview_import(store, path)
    assert preview.header_line == 2
    assert [(r.line, r.name, r.ok) for r in preview.rows] == [(3, "赵文静", True), (4, "钱立新", True)]
    assert store.db["workers"].count == 0 and store.db["audit_log"].count == before
    written = apply_import(store, preview)
    assert len(written) == 2
    workers = {w.name: w for w in list_workers(store)}
    assert workers["钱立新"].post_code == "flex" and workers["钱立新"].phone == "13900000002"
    assert workers["赵文静"].hours_scheme.label == "综合工时"
    summaries = [r["summary"] for r in store.db.query("SELECT DISTINCT summary FROM audit_log WHERE table_name='workers'")]
    assert summaries == ["导入乙方人员名单：名单.xlsx（2 人）"]


def test_each_bad_row_says_why_and_only_good_rows_are_written(store, tmp_path):
    rows = GOOD + [
        ["孙海波", "男", make_id("19851102", 44)[:-1] + "0", "13900000003", "机动岗", "2026-01-01", ""],
        ["", "女", make_id("19940530", 46), "13900000004", "机动岗", "2026-01-01", ""],
        ["周志强", "男", make_id("19900909", 47), "1390000005", "机动岗", "2026-01-01", ""],
        ["吴雪梅", "女", make_id("19870218", 48), "13900000006", "保洁岗", "2026-01-01", ""],
        ["郑晓东", "男", make_id("19880314", 42), "13900000007", "机动岗", "2026-01-01", ""],
        ["冯建华", "男", 110101198308160531, "13900000008", "机动岗", "2026-01-01", ""],
        ["陈思雨", "女", make_id("19961011", 50), "13900000009", "机动岗", "2027-01-01", ""],
    ]
    preview = preview_import(store, write_xlsx(tmp_path / "名单.xlsx", rows))
    problems = {r.line: "；".join(r.problems) for r in preview.refused}
    assert "校验位不对" in problems[5]
    assert "姓名不能为空" in problems[6]
    assert "11位数字" in problems[7] and "是10位" in problems[7]
    assert "“保洁岗”不是合同约定的岗位" in problems[8]
    assert "本表第 3 行" in problems[9]
    assert "被存成了数字" in problems[10]
    assert "不在合同服务期限内" in problems[11]
    assert len(preview.good) == 2
    apply_import(store, preview)
    assert sorted(w.name for w in list_workers(store)) == ["赵文静", "钱立新"]


def test_apply_writes_the_previewed_rows_not_what_the_file_holds_later(store, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", GOOD[:1])
    preview = preview_import(store, path)
    assert [r.name for r in preview.good] == ["赵文静"]
    later = [GOOD[0], GOOD[1]] + [
        [f"新增{'甲乙丙'[n]}", "", make_id("19920101", 60 + n), f"1390000010{n}", "机动岗", "2026-01-01", ""] for n in range(3)]
    write_xlsx(path, later)  # the vendor's sheet is edited after the clerk looked at it
    assert len(preview_import(store, path).good) == 5
    written = apply_import(store, preview)
    assert len(written) == 1
    assert [w.name for w in list_workers(store)] == ["赵文静"]
    summaries = [r["summary"] for r in store.db.query("SELECT DISTINCT summary FROM audit_log WHERE table_name='workers'")]
    assert summaries == ["导入乙方人员名单：名单.xlsx（1 人）"]


def test_apply_refuses_the_whole_import_if_an_id_was_registered_since_the_preview(store, tmp_path):
    preview = preview_import(store, write_xlsx(tmp_path / "名单.xlsx", GOOD))
    assert len(preview.good) == 2
    add_worker(store, {"name": "赵文静", "id_number": GOOD[0][2], "phone": "13900000001", "post": "dispatch",
                       "start_date": "2026-01-01"})
    before = store.db["audit_log"].count
    with pytest.raises(ValidationError, match="第 3 行（赵文静）的身份证号与已登记的服务人员“赵文静”重复.*没有导入任何人员"):
        apply_import(store, preview)
    assert [w.name for w in list_workers(store)] == ["赵文静"]
    assert store.db["audit_log"].count == before


def test_a_row_already_on_file_is_refused_as_a_duplicate(store, tmp_path):
    add_worker(store, {"name": "赵文静", "id_number": GOOD[0][2], "phone": "13900000001", "post": "dispatch",
                       "start_date": "2026-01-01"})
    preview = preview_import(store, write_xlsx(tmp_path / "名单.xlsx", GOOD))
    assert "重复" in preview.rows[0].problems[0] and preview.rows[1].ok


def test_yes_in_a_compliance_column_is_not_taken_as_verified(store, tmp_path):
    header = HEADER + ["劳动合同", "社保"]
    rows = [GOOD[0] + ["是", dt.datetime(2026, 1, 5)]]
    preview = preview_import(store, write_xlsx(tmp_path / "名单.xlsx", rows, header))
    row = preview.rows[0]
    assert row.ok and row.record["labour_contract_on"] is None
    assert row.record["social_insurance_on"] == dt.date(2026, 1, 5)
    assert "未记为已核验" in row.notes[0]


@pytest.mark.parametrize("name,content,fragment", [
    ("名单.xls", b"\xd0\xcf\x11\xe0 old excel", "不是 .xlsx 文件"),
    ("名单.csv", "姓名,身份证号\n".encode(), "不是 .xlsx 文件"),
    ("名单.xlsx", b"this is not a zip", "是文本（CSV）文件"),
    ("名单.xlsx", b"PK\x03\x04 a damaged zip", "已损坏"),
])
def test_a_file_that_is_not_xlsx_is_refused(store, tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValidationError, match=fragment):
        preview_import(store, path)
    assert store.db["workers"].count == 0


def test_a_sheet_without_the_header_row_is_refused(store, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", GOOD, header=None, title=None)
    with pytest.raises(ValidationError, match="找不到表头行"):
        preview_import(store, path)


def test_a_header_missing_required_columns_is_refused(store, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", [["赵文静", "13900000001"]], header=["姓名", "手机"])
    with pytest.raises(ValidationError, match="表头缺少这些列：身份证号、岗位、到岗日期"):
        preview_import(store, path)


def test_export_masks_by_default_and_logs_unmasked_export(store, tmp_path):
    for row in GOOD:
        add_worker(store, dict(zip(["name", "gender", "id_number", "phone", "post", "start_date", "hours_scheme"], row)))
    export_workers(store, tmp_path / "masked.xlsx")
    cells = [c for row in load_workbook(tmp_path / "masked.xlsx").active.iter_rows(values_only=True) for c in row]
    assert GOOD[0][2] not in cells and "110101********" + GOOD[0][2][-4:] in cells
    assert "139****0001" in cells
    export_workers(store, tmp_path / "full.xlsx", unmasked=True)
    cells = [c for row in load_workbook(tmp_path / "full.xlsx").active.iter_rows(values_only=True) for c in row]
    assert GOOD[0][2] in cells
    notes = list(store.db.query("SELECT * FROM audit_log WHERE action = 'export' ORDER BY id"))
    assert len(notes) == 2 and '"unmasked": true' in notes[1]["changes"]


def test_an_unmasked_export_imports_again_into_a_new_file(store, tmp_path):
    from app.store import open_memory_store

    for row in GOOD:
        add_worker(store, dict(zip(["name", "gender", "id_number", "phone", "post", "start_date", "hours_scheme"], row)))
    export_workers(store, tmp_path / "full.xlsx", unmasked=True)
    other = open_memory_store()
    preview = preview_import(other, tmp_path / "full.xlsx")
    assert len(preview.good) == 2


def test_too_many_rows_are_refused_rather_than_cut_short(store, tmp_path, monkeypatch):
    import app.reports.staff_xlsx as module

    monkeypatch.setattr(module, "MAX_ROWS", 1)
    with pytest.raises(ValidationError, match="一次最多导入 1 行"):
        preview_import(store, write_xlsx(tmp_path / "名单.xlsx", GOOD))


def test_every_form_field_has_a_column_name_for_import():
    from app.reports.staff_xlsx import HEADER_ALIASES
    from app.staff import FORM_FIELDS

    assert set(HEADER_ALIASES) == set(FORM_FIELDS)


def test_an_export_the_audit_log_refuses_leaves_no_file(store, tmp_path):
    from app.errors import UserError

    for row in GOOD:
        add_worker(store, dict(zip(["name", "gender", "id_number", "phone", "post", "start_date", "hours_scheme"], row)))
    store.db.execute("PRAGMA query_only=ON")  # as a read-only data file would
    with pytest.raises(UserError, match="(?s)只读.*没有导出文件"):
        export_workers(store, tmp_path / "full.xlsx", unmasked=True)
    assert list(tmp_path.iterdir()) == []


def test_an_export_that_cannot_be_saved_says_so_in_the_history_and_leaves_no_part_file(store, tmp_path, monkeypatch):
    from openpyxl import Workbook

    for row in GOOD:
        add_worker(store, dict(zip(["name", "gender", "id_number", "phone", "post", "start_date", "hours_scheme"], row)))

    def half_save(self, filename):
        Path(filename).write_bytes(b"PK half")
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Workbook, "save", half_save)
    with pytest.raises(ValidationError, match="无法写入.*没有导出任何文件"):
        export_workers(store, tmp_path / "full.xlsx", unmasked=True)
    assert list(tmp_path.iterdir()) == []
    # The note is written before the file (so no file is ever without one); the history
    # then says the file was not written.
    summaries = [r["summary"] for r in store.db.query("SELECT summary FROM audit_log WHERE action = 'export'")]
    assert len(summaries) == 2 and summaries[-1].endswith("未完成：没有写出文件")


def test_a_chart_sheet_left_active_is_passed_over_for_the_roster(store, tmp_path):
    from openpyxl.chart import BarChart, Reference

    path = write_xlsx(tmp_path / "名单.xlsx", GOOD)
    wb = load_workbook(path)
    chart = BarChart()
    chart.add_data(Reference(wb.worksheets[0], min_col=4, min_row=3, max_row=4))
    wb.create_chartsheet("统计图", 0).add_chart(chart)
    wb.active = 0  # the vendor saved the file with the chart showing
    wb.save(path)
    preview = preview_import(store, path)
    assert [r.name for r in preview.rows] == ["赵文静", "钱立新"]


def test_exports_write_typed_text_as_text_never_as_a_formula(store, tmp_path):
    """Notes, names and the operator are typed or imported text: a vendor's "=HYPERLINK(…)"
    must reach the auditor as text, in the staff list and in the change history."""
    import zipfile

    from app import audit

    hostile = '=HYPERLINK("http://example.com/x","点这里核对")'
    data = dict(zip(["name", "gender", "id_number", "phone", "post", "start_date", "hours_scheme"], GOOD[0]))
    add_worker(store, {**data, "notes": hostile, "emergency_contact": "@王"})
    store.operator = "=1+1"
    export_workers(store, tmp_path / "list.xlsx", unmasked=True)
    audit.export_xlsx(store, tmp_path / "history.xlsx")
    for name in ("list.xlsx", "history.xlsx"):
        with zipfile.ZipFile(tmp_path / name) as z:
            assert b"<f>" not in z.read("xl/worksheets/sheet1.xml"), name
        cells = [c for row in load_workbook(tmp_path / name).active.iter_rows() for c in row]
        assert all(c.data_type != "f" for c in cells)
        texts = [c.value for c in cells if isinstance(c.value, str)]
        if name == "list.xlsx":
            assert hostile in texts and "@王" in texts
        else:
            assert "=1+1" in texts and any(hostile in t for t in texts)
