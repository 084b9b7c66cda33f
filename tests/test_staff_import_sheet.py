"""The vendor's real sheets: titles and 合计 lines, two-level headers, near-miss column names,
formulas without results, several sheets, and the files the clerk sends back."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook

from app.errors import ValidationError
from app.reports.staff_xlsx import SheetChoice, apply_import, preview_import
from app.reports.vendor_files import write_refused, write_template
from app.staff import list_workers
from tests.test_staff_xlsx import GOOD, HEADER, make_id


def save(wb: Workbook, path):
    wb.save(path)
    return path


def test_title_total_and_signature_lines_are_not_people_and_every_row_is_counted(store, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "派驻人员"
    ws.append(["北京自腾科技有限公司 龙潭街道派驻人员名单"])
    ws.append(["（2026年1月）"])
    ws.append(["序号"] + HEADER)
    for n, row in enumerate(GOOD, start=1):
        ws.append([n] + row)
    ws.append([])
    ws.append([3])  # a numbered line nobody filled in
    ws.append(["合计", "2人"])
    ws.append([None, None, None, None, "制表人：李娜", None, "审核：王强"])
    ws.append(["序号"] + HEADER)  # the header repeated for the second printed page
    preview = preview_import(store, save(wb, tmp_path / "名单.xlsx"))
    assert [(r.line, r.name) for r in preview.rows] == [(4, "赵文静"), (5, "钱立新")]
    assert all(r.ok for r in preview.rows)
    assert [(s.line, s.kind) for s in preview.roster.skipped] == [
        (1, "标题"), (2, "标题"), (7, "无人员信息"), (8, "表尾"), (9, "表尾"), (10, "重复表头")]
    line = preview.accounting_line()
    assert line.startswith("工作表共 10 行，表头 1 行，标题 2 行（第 1、2 行）")
    assert "合计、制表人等表尾 2 行（第 8、9 行）" in line and "空行 1 行" in line
    assert "人员 2 行（可导入 2，不导入 0）" in line
    assert preview.sheet_line() == "读取的工作表：“派驻人员”，表头在第 3 行。"
    assert "A“序号”（序号，不需要）" in preview.columns_line()


def test_each_row_shows_its_contract_post_and_an_ambiguous_post_names_the_candidates(store, tmp_path):
    wb = Workbook()
    wb.active.append(HEADER)
    wb.active.append(GOOD[0])
    wb.active.append(["孙海波", "男", make_id("19851102", 45), "13900000003", "接诉即办", "2026-01-01", ""])
    wb.active.append(["周志强", "男", make_id("19900909", 47), "13900000005", "回复意见审核", "2026-01-01", ""])
    preview = preview_import(store, save(wb, tmp_path / "名单.xlsx"))
    assert [r.post_name for r in preview.rows] == ["接派单、退单、案件核实", "", "接诉即办案件回复意见审核"]
    assert preview.rows[1].problems == [
        "岗位“接诉即办”不明确，可能是：“接诉即办案件回复意见审核”、“接诉即办不计入考核工作”，请写明是哪一个。"]


def test_a_two_level_header_with_merged_contact_columns(store, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "岗位", "到岗日期", "联系方式", None, "紧急联系人"])
    ws.append([None, None, None, None, "手机", "紧急联系电话", None])
    for cells in ("A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:F1", "G1:G2"):
        ws.merge_cells(cells)
    ws.append(["赵文静", GOOD[0][2], "机动岗", dt.datetime(2026, 1, 1), "13900000001", "010-64001234", "赵大海"])
    preview = preview_import(store, save(wb, tmp_path / "名单.xlsx"))
    assert preview.sheet_line().endswith("表头在第 1–2 行（两级）。")
    assert preview.columns["phone"] == "联系方式 / 手机"
    assert preview.columns["emergency_phone"] == "联系方式 / 紧急联系电话"
    row = preview.rows[0]
    assert row.ok and row.record["phone"] == "13900000001" and row.record["emergency_phone"] == "010-64001234"
    assert row.record["emergency_contact"] == "赵大海"
    assert "人员 1 行" in preview.accounting_line() and "表头 2 行" in preview.accounting_line()


def test_near_miss_column_names_are_named_with_the_reason_they_are_not_read(store, tmp_path):
    wb = Workbook()
    wb.active.append(HEADER + ["劳动合同签订日期", "社保缴纳日期", "入职日期", "出生日期", "民族", "岗前培训"])
    wb.active.append(GOOD[0] + [dt.datetime(2025, 12, 1), dt.datetime(2025, 12, 1), dt.datetime(2025, 11, 1),
                                dt.datetime(1988, 3, 14), "汉族", dt.datetime(2025, 12, 20)])
    preview = preview_import(store, save(wb, tmp_path / "名单.xlsx"))
    notes = {c.text: c.note for c in preview.header.unused}
    assert "不是甲方核验的日期" in notes["劳动合同签订日期"] and "劳动合同核验日期" in notes["劳动合同签订日期"]
    assert "社保核验日期" in notes["社保缴纳日期"]
    assert "不是到岗日期" in notes["入职日期"]
    assert "由身份证号得出" in notes["出生日期"]
    assert notes["民族"] == "本程序不记录这一列"
    assert preview.columns["training_on"] == "岗前培训"
    row = preview.rows[0]
    assert row.ok and row.record["labour_contract_on"] is None and row.record["training_on"] == dt.date(2025, 12, 20)
    assert "不导入的列：H“劳动合同签订日期”（" in preview.columns_line()


def test_values_under_no_column_name_are_named_too(store, tmp_path):
    wb = Workbook()
    wb.active.append(HEADER)
    wb.active.append(GOOD[0] + [None, "夜班为主"])
    wb.active.append(GOOD[1])
    preview = preview_import(store, save(wb, tmp_path / "名单.xlsx"))
    assert preview.columns_line().endswith("I 列没有列名，第 2 行的内容未导入。")


def test_formulas_without_saved_results_refuse_their_row_and_say_why(store, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(GOOD[0])
    ws.append(["钱立新", "男", GOOD[1][2], "=TEXT(13900000002,\"0\")", "机动岗", "2026-01-01", ""])
    ws.append(["=Sheet2!A1", "男", make_id("19851102", 45), "13900000003", "机动岗", "2026-01-01", ""])
    preview = preview_import(store, save(wb, tmp_path / "名单.xlsx"))  # openpyxl saves no results
    assert [r.line for r in preview.rows] == [2, 3, 4]  # no row vanished
    assert preview.rows[1].problems == ["“手机”列的 D3 单元格是公式，文件中没有保存计算结果（请在 Excel 中打开并保存后再导入）"]
    assert "A4 单元格是公式" in preview.rows[2].problems[0]
    assert not any("不能为空" in p for r in preview.rows for p in r.problems)


def test_only_visible_sheets_are_read_and_several_candidates_are_a_choice(store, tmp_path):
    wb = Workbook()
    old = wb.active
    old.title = "旧名单"
    old.append(HEADER)
    old.append(GOOD[1])
    old.sheet_state = "hidden"
    new = wb.create_sheet("12月名单")
    new.append(HEADER)
    new.append(GOOD[0])
    wb.create_sheet("说明").append(["请按表头填写"])
    path = save(wb, tmp_path / "名单.xlsx")
    preview = preview_import(store, path)
    assert [r.name for r in preview.rows] == ["赵文静"]
    assert preview.sheet_line() == ("读取的工作表：“12月名单”，表头在第 1 行。未读取的工作表：“说明”。"
                                    "隐藏的工作表不读取：“旧名单”。")
    other = wb.create_sheet("11月名单")
    other.append(HEADER)
    other.append(GOOD[1])
    wb.save(path)
    with pytest.raises(SheetChoice) as choice:
        preview_import(store, path)
    assert choice.value.candidates == ["12月名单", "11月名单"] and "请选择要导入的一个" in str(choice.value)
    assert [r.name for r in preview_import(store, path, sheet="11月名单").rows] == ["钱立新"]
    with pytest.raises(ValidationError, match="“旧名单”是隐藏的"):
        preview_import(store, path, sheet="旧名单")


def test_a_worker_who_has_left_is_not_registered_as_serving(store, tmp_path):
    wb = Workbook()
    wb.active.append(HEADER + ["离场日期", "状态"])
    wb.active.append(GOOD[0] + [dt.datetime(2026, 6, 30), "已离场"])
    wb.active.append(GOOD[1] + [None, "在岗"])
    preview = preview_import(store, save(wb, tmp_path / "名单.xlsx"))
    assert "离场日期是 2026-06-30" in preview.rows[0].problems[0] and preview.rows[1].ok
    assert {c.text: c.note for c in preview.header.unused}["状态"] == "状态由到岗日期和离场日期得出"


def test_refused_rows_are_saved_with_their_reasons_and_import_again_once_corrected(store, tmp_path):
    from app.reports.workbook import append_row

    wb = Workbook()
    wb.active.append(["序号"] + HEADER + ["备注"])
    wb.active.append([1] + GOOD[0] + ["-夜班"])
    append_row(wb.active, [2, "孙海波", "男", make_id("19851102", 45), "1390000003", "保洁岗", dt.datetime(2026, 1, 1),
                           "", "=HYPERLINK(\"http://x\")"])
    preview = preview_import(store, save(wb, tmp_path / "名单.xlsx"))
    assert len(preview.refused) == 1
    out = write_refused(preview, tmp_path / "退回")
    assert out.name == "退回.xlsx"
    sheet = load_workbook(out).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert "未能导入的 1 行" in rows[0][0]
    assert rows[1] == ["原行号", "序号", "姓名*", "性别", "身份证号*", "手机号*", "岗位*", "到岗日期*", "工时制度",
                       "备注", "不导入的原因"]
    assert rows[2][:7] == [3, 2, "孙海波", "男", make_id("19851102", 45), "1390000003", "保洁岗"]
    assert rows[2][9] == "=HYPERLINK(\"http://x\")" and sheet["J3"].data_type == "s"  # sent back as text
    assert "11位数字" in rows[2][10] and "“保洁岗”不是合同约定的岗位" in rows[2][10]
    sheet["F3"] = "13900000003"  # the vendor corrects the two cells
    sheet["G3"] = "机动岗"
    sheet.parent.save(out)
    again = preview_import(store, out)
    assert [(r.name, r.ok) for r in again.rows] == [("孙海波", True)]
    assert {c.text for c in again.header.unused} == {"原行号", "序号", "不导入的原因"}


def test_the_blank_template_has_the_expected_columns_a_notes_sheet_and_imports_once_filled(store, tmp_path):
    path = write_template(store, tmp_path / "导入模板")
    wb = load_workbook(path)
    assert wb.sheetnames == ["人员名单", "说明"]
    ws = wb["人员名单"]
    assert [c.value for c in ws[1]] == ["姓名*", "性别", "身份证号*", "手机号*", "岗位*", "到岗日期*", "计划离场日期",
                                        "工时制度", "紧急联系人", "紧急联系电话", "劳动合同核验日期", "社保核验日期",
                                        "岗前培训核验日期", "备注"]
    assert ws["C2"].number_format == "@" and ws["F2"].number_format == "yyyy-mm-dd"
    posts = next(dv for dv in ws.data_validations.dataValidation if "E2" in str(dv.sqref))
    assert "机动岗" in posts.formula1
    notes = [c for row in wb["说明"].iter_rows(values_only=True) for c in row if c]
    assert "“身份证号”" in notes and any("文本" in str(n) for n in notes) and "城市管理网格平台盯守" in notes
    ws.append(GOOD[0][:1] + [None, GOOD[0][2], "13900000001", "机动", "2026-01-01"])
    wb.save(path)
    preview = preview_import(store, path)
    assert [(r.name, r.ok, r.post_name) for r in preview.rows] == [("赵文静", True, "机动岗")]
    apply_import(store, preview)
    assert [w.name for w in list_workers(store)] == ["赵文静"]


def test_the_demo_vendor_list_shows_each_kind_of_row(store, tmp_path):
    from app.demo import fill_demo, write_vendor_sample

    fill_demo(store)
    preview = preview_import(store, write_vendor_sample(tmp_path / "乙方.xlsx"))
    assert [(r.name, r.ok) for r in preview.rows] == [
        ("赵文静", False), ("钱立新", False), ("韩雨桐", True), ("杨帆", False), ("朱晓光", False), ("秦岚", False)]
    assert [s.kind for s in preview.roster.skipped] == ["标题", "表尾", "表尾"]


def test_a_hidden_row_is_listed_and_not_imported(store, tmp_path):
    wb = Workbook()
    wb.active.append(HEADER)
    wb.active.append(GOOD[0])
    wb.active.append(GOOD[1])
    wb.active.row_dimensions[3].hidden = True  # the vendor hid a worker rather than delete the row
    preview = preview_import(store, save(wb, tmp_path / "名单.xlsx"))
    assert [(r.name, r.ok) for r in preview.rows] == [("赵文静", True), ("钱立新", False)]
    assert preview.rows[1].problems == ["这一行在 Excel 中是隐藏的（或被筛选掉），不导入；如确需导入，请在 Excel 中取消隐藏后保存"]
