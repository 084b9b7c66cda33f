"""The 人员 tab's Excel import (with preview) and export, driven as the clerk does."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

import ui.staff.tab as staff_tab_module
from app.staff import list_workers
from tests.test_staff_xlsx import GOOD, write_xlsx
from tests.ui.staff.support import column_texts, drive, valid_id
from ui.staff.dialogs import ImportPreviewDialog


def test_import_shows_a_preview_before_writing(tab, qtbot, monkeypatch, tmp_path):
    rows = GOOD + [["孙海波", "男", valid_id("19851102", 45), "1390000003", "保洁岗", "2026-01-01", ""]]
    path = write_xlsx(tmp_path / "乙方名单.xlsx", rows)
    monkeypatch.setattr(staff_tab_module.QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    info = []
    monkeypatch.setattr(staff_tab_module.QMessageBox, "information", staticmethod(lambda *a: info.append(a[2])))

    def look_then_import(dialog: ImportPreviewDialog):
        m = dialog.model
        assert [m.index(r, 3).data() for r in range(m.rowCount())] == ["可导入", "可导入", "不导入"]
        assert "“保洁岗”不是合同约定的岗位" in m.index(2, 4).data()
        assert m.index(2, 3).data(Qt.ItemDataRole.ForegroundRole).name() == "#b3261e"  # refused rows in red
        assert m.index(0, 3).data(Qt.ItemDataRole.ForegroundRole) is None
        assert "有问题 1 行" in dialog.summary.text()
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
    monkeypatch.setattr(staff_tab_module.QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    info = []
    monkeypatch.setattr(staff_tab_module.QMessageBox, "information", staticmethod(lambda *a: info.append(a[2])))

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
    monkeypatch.setattr(staff_tab_module.QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    drive(monkeypatch, ImportPreviewDialog, lambda d: d.reject())
    tab.import_excel()
    assert column_texts(tab, "姓名") == []


def test_import_of_a_file_that_is_not_xlsx_is_refused_with_a_message(tab, monkeypatch, tmp_path):
    path = tmp_path / "名单.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    monkeypatch.setattr(staff_tab_module.QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    warnings = []
    monkeypatch.setattr(staff_tab_module.QMessageBox, "warning", staticmethod(lambda *a: warnings.append(a[2])))
    tab.import_excel()
    assert len(warnings) == 1 and "不是 .xlsx 文件" in warnings[0] and "另存为" in warnings[0]


def test_export_masks_unless_the_clerk_says_otherwise(demo_tab, monkeypatch, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "名单.xlsx"
    monkeypatch.setattr(staff_tab_module.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    monkeypatch.setattr(staff_tab_module.QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    info = []
    monkeypatch.setattr(staff_tab_module.QMessageBox, "information", staticmethod(lambda *a: info.append(a[2])))
    demo_tab.export_excel()
    assert info and "已导出 14 人" in info[0]
    ids = [row[3] for row in load_workbook(target).active.iter_rows(min_row=3, values_only=True)]
    assert len(ids) == 14 and all("********" in i for i in ids)


def test_an_unmasked_export_to_a_read_only_data_file_leaves_no_file_and_says_so(demo_tab, monkeypatch, tmp_path):
    folder = tmp_path / "导出"
    folder.mkdir()
    target = folder / "名单.xlsx"
    monkeypatch.setattr(staff_tab_module.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    monkeypatch.setattr(staff_tab_module.QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    warnings, info = [], []
    monkeypatch.setattr(staff_tab_module.QMessageBox, "warning", staticmethod(lambda *a: warnings.append(a[2])))
    monkeypatch.setattr(staff_tab_module.QMessageBox, "information", staticmethod(lambda *a: info.append(a[2])))
    demo_tab.store.db.execute("PRAGMA query_only=ON")
    demo_tab.export_excel()
    assert info == [] and len(warnings) == 1
    assert "只读" in warnings[0] and "没有导出文件" in warnings[0]
    assert list(folder.iterdir()) == []


def test_file_dialogs_start_in_documents_then_the_last_folder_and_report_the_real_file(demo_tab, monkeypatch,
                                                                                        tmp_path):
    monkeypatch.setattr(staff_tab_module, "_last_folder", None)
    folder = tmp_path / "导出"
    folder.mkdir()
    starts = []

    def save_as(parent, title, start, *rest):
        starts.append(start)
        return str(folder / "名单"), ""  # typed without .xlsx

    def open_file(parent, title, start, *rest):
        starts.append(start)
        return "", ""

    monkeypatch.setattr(staff_tab_module.QFileDialog, "getSaveFileName", staticmethod(save_as))
    monkeypatch.setattr(staff_tab_module.QFileDialog, "getOpenFileName", staticmethod(open_file))
    monkeypatch.setattr(staff_tab_module.QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    info = []
    monkeypatch.setattr(staff_tab_module.QMessageBox, "information", staticmethod(lambda *a: info.append(a[2])))
    documents_or_home = staff_tab_module.start_folder()
    assert documents_or_home.is_absolute() and documents_or_home.is_dir()
    demo_tab.export_excel()
    first = Path(starts[0])
    assert first == documents_or_home / "服务人员名单.xlsx"
    assert info == [f"已导出 14 人到 {folder / '名单.xlsx'}。"] and (folder / "名单.xlsx").is_file()
    demo_tab.import_excel()  # the next dialog opens where the clerk last saved
    assert Path(starts[1]) == folder


def test_a_name_typed_without_xlsx_does_not_silently_replace_an_existing_file(demo_tab, monkeypatch, tmp_path):
    (tmp_path / "名单.xlsx").write_bytes(b"older list")
    monkeypatch.setattr(staff_tab_module.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "名单"), "")))
    asked = []
    monkeypatch.setattr(staff_tab_module.QMessageBox, "question",
                        staticmethod(lambda *a, **k: (asked.append(a[2]), QMessageBox.StandardButton.No)[1]))
    demo_tab.export_excel()
    assert len(asked) == 1 and "已存在" in asked[0]
    assert (tmp_path / "名单.xlsx").read_bytes() == b"older list"
