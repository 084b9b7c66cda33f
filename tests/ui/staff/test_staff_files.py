"""The 人员 tab's Excel import (with preview) and export, driven as the clerk does."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

import ui.folders as folders_module
import ui.staff.excel as excel_module
from app.staff import list_workers
from tests.test_staff_xlsx import GOOD, HEADER, write_xlsx
from tests.ui.staff.support import column_texts, drive, valid_id
from ui.staff.excel import ImportPreviewDialog


def test_import_shows_a_preview_before_writing(tab, qtbot, monkeypatch, tmp_path):
    rows = GOOD + [["孙海波", "男", valid_id("19851102", 45), "1390000003", "保洁岗", "2026-01-01", ""]]
    path = write_xlsx(tmp_path / "乙方名单.xlsx", rows)
    monkeypatch.setattr(excel_module.QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    info = []
    monkeypatch.setattr(excel_module.QMessageBox, "information", staticmethod(lambda *a: info.append(a[2])))

    def look_then_import(dialog: ImportPreviewDialog):
        m = dialog.model
        assert [m.index(r, 4).data() for r in range(m.rowCount())] == ["跳过：标题行", "可导入", "可导入", "不导入"]
        assert [m.index(r, 3).data() for r in range(m.rowCount())] == ["", "接派单、退单、案件核实", "机动岗", ""]
        assert "“保洁岗”不是合同约定的岗位" in m.index(3, 5).data()
        assert m.index(3, 4).data(Qt.ItemDataRole.ForegroundRole).name() == "#b3261e"  # refused rows in red
        assert m.index(1, 4).data(Qt.ItemDataRole.ForegroundRole) is None
        assert "有问题 1 行" in dialog.summary.text() and "读取的工作表：“Sheet”" in dialog.summary.text()
        # the first refused row is selected, its reasons in full below the table
        assert "第 5 行（孙海波）：不导入" in dialog.detail.text() and "11位" in dialog.detail.text()
        assert list_workers(tab.store) == []  # nothing written yet
        assert dialog.import_button.text() == "导入 2 人"
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    drive(monkeypatch, ImportPreviewDialog, look_then_import)
    qtbot.mouseClick(tab.buttons["import"], Qt.MouseButton.LeftButton)
    assert info == ["已导入 2 人。"]
    assert sorted(column_texts(tab, "姓名")) == ["赵文静", "钱立新"]


def test_import_writes_the_previewed_rows_and_refuses_when_the_data_changed_since(tab, qtbot, monkeypatch,
                                                                                   tmp_path):
    from app.staff import add_worker

    path = write_xlsx(tmp_path / "乙方名单.xlsx", GOOD)
    monkeypatch.setattr(excel_module.QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    info = []
    monkeypatch.setattr(excel_module.QMessageBox, "information", staticmethod(lambda *a: info.append(a[2])))

    def meanwhile_then_import(dialog: ImportPreviewDialog):
        assert dialog.import_button.text() == "导入 2 人"
        write_xlsx(path, GOOD + [["孙海波", "男", valid_id("19851102", 45), "13900000003", "机动岗", "2026-01-01", ""]])
        add_worker(tab.store, {"name": "赵文静", "id_number": GOOD[0][2], "phone": "13900000001",
                               "post": "dispatch", "start_date": "2026-01-01"})
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and "没有导入任何人员" in dialog.error.text()
        assert not dialog.import_button.isEnabled()
        dialog.reject()

    drive(monkeypatch, ImportPreviewDialog, meanwhile_then_import)
    qtbot.mouseClick(tab.buttons["import"], Qt.MouseButton.LeftButton)
    assert info == []
    assert column_texts(tab, "姓名") == ["赵文静"]


def test_import_cancelled_writes_nothing(tab, qtbot, monkeypatch, tmp_path):
    path = write_xlsx(tmp_path / "乙方名单.xlsx", GOOD)
    monkeypatch.setattr(excel_module.QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    drive(monkeypatch, ImportPreviewDialog, lambda d: d.reject())
    tab.import_excel()
    assert column_texts(tab, "姓名") == []


def test_import_of_a_file_that_is_not_xlsx_is_refused_with_a_message(tab, monkeypatch, tmp_path):
    path = tmp_path / "名单.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    monkeypatch.setattr(excel_module.QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    warnings = []
    monkeypatch.setattr(excel_module.QMessageBox, "warning", staticmethod(lambda *a: warnings.append(a[2])))
    tab.import_excel()
    assert len(warnings) == 1 and "不是 .xlsx 文件" in warnings[0] and "另存为" in warnings[0]


def test_export_masks_unless_the_clerk_says_otherwise(demo_tab, monkeypatch, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "名单.xlsx"
    monkeypatch.setattr(excel_module.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    monkeypatch.setattr(excel_module.QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    info = []
    monkeypatch.setattr(excel_module.QMessageBox, "information", staticmethod(lambda *a: info.append(a[2])))
    demo_tab.export_excel()
    assert info and "已导出 14 人" in info[0]
    ids = [row[3] for row in load_workbook(target).active.iter_rows(min_row=3, values_only=True)]
    assert len(ids) == 14 and all("********" in i for i in ids)


def test_an_unmasked_export_to_a_read_only_data_file_leaves_no_file_and_says_so(demo_tab, monkeypatch, tmp_path):
    folder = tmp_path / "导出"
    folder.mkdir()
    target = folder / "名单.xlsx"
    monkeypatch.setattr(excel_module.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    monkeypatch.setattr(excel_module.QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    warnings, info = [], []
    monkeypatch.setattr(excel_module.QMessageBox, "warning", staticmethod(lambda *a: warnings.append(a[2])))
    monkeypatch.setattr(excel_module.QMessageBox, "information", staticmethod(lambda *a: info.append(a[2])))
    demo_tab.store.db.execute("PRAGMA query_only=ON")
    demo_tab.export_excel()
    assert info == [] and len(warnings) == 1
    assert "只读" in warnings[0] and "没有导出文件" in warnings[0]
    assert list(folder.iterdir()) == []


def test_file_dialogs_start_in_documents_then_the_last_folder_and_report_the_real_file(demo_tab, monkeypatch,
                                                                                        tmp_path):
    monkeypatch.setattr(folders_module, "_last_folder", None)
    folder = tmp_path / "导出"
    folder.mkdir()
    starts = []

    def save_as(parent, title, start, *rest):
        starts.append(start)
        return str(folder / "名单"), ""  # typed without .xlsx

    def open_file(parent, title, start, *rest):
        starts.append(start)
        return "", ""

    monkeypatch.setattr(excel_module.QFileDialog, "getSaveFileName", staticmethod(save_as))
    monkeypatch.setattr(excel_module.QFileDialog, "getOpenFileName", staticmethod(open_file))
    monkeypatch.setattr(excel_module.QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    info = []
    monkeypatch.setattr(excel_module.QMessageBox, "information", staticmethod(lambda *a: info.append(a[2])))
    documents_or_home = folders_module.start_folder()
    assert documents_or_home.is_absolute() and documents_or_home.is_dir()
    demo_tab.export_excel()
    first = Path(starts[0])
    assert first == documents_or_home / "服务人员名单.xlsx"
    assert info == [f"已导出 14 人到 {folder / '名单.xlsx'}。"] and (folder / "名单.xlsx").is_file()
    demo_tab.import_excel()  # the next dialog opens where the clerk last saved
    assert Path(starts[1]) == folder


def test_a_name_typed_without_xlsx_does_not_silently_replace_an_existing_file(demo_tab, monkeypatch, tmp_path):
    (tmp_path / "名单.xlsx").write_bytes(b"older list")
    monkeypatch.setattr(excel_module.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "名单"), "")))
    asked = []
    monkeypatch.setattr(excel_module.QMessageBox, "question",
                        staticmethod(lambda *a, **k: (asked.append(a[2]), QMessageBox.StandardButton.No)[1]))
    demo_tab.export_excel()
    assert len(asked) == 1 and "已存在" in asked[0]
    assert (tmp_path / "名单.xlsx").read_bytes() == b"older list"


def vendor_sheet(path):
    """A vendor's list as they come: title, a two-level header, a 合计 and a 制表人 line."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "派驻人员"
    ws.append(["北京自腾科技有限公司 龙潭街道派驻人员名单（2026年12月）"])
    ws.append(["序号", "姓名", "身份证号", "岗位", "到岗日期", "联系方式", None, "劳动合同签订日期"])
    ws.append([None, None, None, None, None, "手机", "紧急联系电话", None])
    ws.merge_cells("F2:G2")
    ws.append([1, "赵文静", GOOD[0][2], "接派单", "2026-01-01", "13900000001", "010-64001234", "2025-12-01"])
    ws.append([2, "钱立新", GOOD[1][2], "接诉即办", "2026-01-01", "13900000002", "", "2025-12-01"])
    ws.append([3, "孙海波", valid_id("19851102", 45), "机动岗", "2026-01-01", "=TEXT(13900000003,\"0\")", "", ""])
    ws.append(["合计", "3人"])
    ws.append([None, "制表人：李娜", None, None, "审核：王强"])
    wb.save(path)
    return path


def pick_file(monkeypatch, path):
    monkeypatch.setattr(excel_module.QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))


def test_the_preview_accounts_for_every_row_and_names_posts_columns_and_reasons(tab, qtbot, monkeypatch, tmp_path):
    pick_file(monkeypatch, vendor_sheet(tmp_path / "乙方名单.xlsx"))
    seen = {}

    def look(dialog: ImportPreviewDialog):
        m = dialog.model
        rows = [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]
        seen["rows"] = rows
        assert [r[0] for r in rows] == ["1", "4", "5", "6", "7", "8"]
        assert rows[0][4] == "跳过：标题行" and rows[4][4] == rows[5][4] == "跳过：合计/制表人等"
        assert rows[1][1:5] == ["赵文静", "接派单", "接派单、退单、案件核实", "可导入"]
        assert rows[2][4] == "不导入" and "可能是：“接诉即办案件回复意见审核”、“接诉即办不计入考核工作”" in rows[2][5]
        assert rows[3][4] == "不导入" and "F6 单元格是公式，文件中没有保存计算结果" in rows[3][5]
        text = dialog.summary.text()
        assert "表头在第 2–3 行（两级）" in text and "合计、制表人等表尾 2 行（第 7、8 行）" in text
        columns = dialog.columns.text()
        assert "F“联系方式 / 手机”→手机号" in columns and "G“联系方式 / 紧急联系电话”→紧急联系电话" in columns
        assert "H“劳动合同签订日期”（是劳动合同的签订或期限日期，不是甲方核验的日期" in columns
        dialog.view.selectRow(2)
        assert "接诉即办案件回复意见审核" in dialog.detail.text() and "\n· 岗位“接诉即办”不明确" in dialog.detail.text()
        dialog.refused_only.setChecked(True)
        assert [m.index(r, 0).data() for r in range(m.rowCount())] == ["5", "6"]
        dialog.reject()

    drive(monkeypatch, ImportPreviewDialog, look)
    qtbot.mouseClick(tab.buttons["import"], Qt.MouseButton.LeftButton)
    assert seen and column_texts(tab, "姓名") == []


def test_refused_rows_are_saved_for_the_vendor_with_their_reasons(tab, qtbot, monkeypatch, tmp_path):
    from openpyxl import load_workbook

    pick_file(monkeypatch, vendor_sheet(tmp_path / "乙方名单.xlsx"))
    target = tmp_path / "退回乙方"
    monkeypatch.setattr(excel_module.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    info = []
    monkeypatch.setattr(excel_module.QMessageBox, "information", staticmethod(lambda *a: info.append(a[2])))

    def save_then_import(dialog: ImportPreviewDialog):
        assert dialog.save_refused_button.text() == "另存不导入的行(&S)…（2 行）"
        qtbot.mouseClick(dialog.save_refused_button, Qt.MouseButton.LeftButton)
        assert info == [f"已把 2 行连同原因保存到 {tmp_path / '退回乙方.xlsx'}，可以发给乙方改正。"]
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    drive(monkeypatch, ImportPreviewDialog, save_then_import)
    qtbot.mouseClick(tab.buttons["import"], Qt.MouseButton.LeftButton)
    rows = list(load_workbook(tmp_path / "退回乙方.xlsx").active.iter_rows(values_only=True))
    assert [r[0] for r in rows[2:]] == [5, 6] and [r[2] for r in rows[2:]] == ["钱立新", "孙海波"]
    assert "不明确" in rows[2][-1] and "公式" in rows[3][-1]
    assert column_texts(tab, "姓名") == ["赵文静"]


def test_the_clerk_chooses_the_sheet_when_several_hold_a_list(tab, monkeypatch, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "11月"
    wb.active.append(HEADER)
    wb.active.append(GOOD[0])
    december = wb.create_sheet("12月")
    december.append(HEADER)
    december.append(GOOD[1])
    wb.save(tmp_path / "两个月.xlsx")
    pick_file(monkeypatch, tmp_path / "两个月.xlsx")
    asked = []

    def get_item(parent, title, label, items, *rest):
        asked.append((label, list(items)))
        return "12月", True

    monkeypatch.setattr(excel_module.QInputDialog, "getItem", staticmethod(get_item))
    seen = []
    drive(monkeypatch, ImportPreviewDialog, lambda d: (seen.append(d.summary.text()), d.reject()))
    tab.import_excel()
    assert asked and asked[0][1] == ["11月", "12月"] and "都像人员名单" in asked[0][0]
    assert len(seen) == 1 and "读取的工作表：“12月”" in seen[0] and "未读取的工作表：“11月”" in seen[0]


def test_a_long_read_runs_off_the_window_and_cancel_leaves_no_message(tab, qtbot, monkeypatch, tmp_path):
    from PySide6.QtCore import QThreadPool

    import ui.tasks
    from tests.hostile_xlsx import wide_workbook

    monkeypatch.setattr(ui.tasks, "SYNCHRONOUS", False)
    pick_file(monkeypatch, wide_workbook(tmp_path / "宽表.xlsx", rows=4900))
    warnings = []
    monkeypatch.setattr(excel_module.QMessageBox, "warning", staticmethod(lambda *a: warnings.append(a[2])))
    shown = drive(monkeypatch, ImportPreviewDialog, lambda d: d.reject())
    tab.import_excel()
    tab.import_progress.cancel()  # as 取消 in the progress dialog does
    assert QThreadPool.globalInstance().waitForDone(20000)
    qtbot.wait(50)  # the worker's signals are delivered
    assert warnings == [] and shown == []


def test_a_damaged_file_read_off_the_window_is_one_sentence(tab, qtbot, monkeypatch, tmp_path):
    from PySide6.QtCore import QThreadPool

    import ui.tasks

    monkeypatch.setattr(ui.tasks, "SYNCHRONOUS", False)
    path = tmp_path / "名单.xlsx"
    path.write_bytes(b"PK\x03\x04 broken")
    pick_file(monkeypatch, path)
    warnings = []
    monkeypatch.setattr(excel_module.QMessageBox, "warning", staticmethod(lambda *a: warnings.append(a[2])))
    tab.import_excel()
    assert QThreadPool.globalInstance().waitForDone(20000)
    qtbot.waitUntil(lambda: bool(warnings))
    assert len(warnings) == 1 and "已损坏" in warnings[0] and "Traceback" not in warnings[0]


def test_the_template_button_saves_the_blank_template(tab, qtbot, monkeypatch, tmp_path):
    from openpyxl import load_workbook

    monkeypatch.setattr(excel_module.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "模板"), "")))
    info = []
    monkeypatch.setattr(excel_module.QMessageBox, "information", staticmethod(lambda *a: info.append(a[2])))
    assert "Alt+T" in tab.buttons["template"].toolTip()
    qtbot.mouseClick(tab.buttons["template"], Qt.MouseButton.LeftButton)
    assert info and str(tmp_path / "模板.xlsx") in info[0] and "说明" in info[0]
    assert load_workbook(tmp_path / "模板.xlsx").sheetnames == ["人员名单", "说明"]
