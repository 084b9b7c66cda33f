"""The vendor's Excel roster in and out of the 排班日历 tab: preview first, then one
audited import; the coverage row shows at once what the vendor's file leaves uncovered."""
from __future__ import annotations

from PySide6.QtCore import Qt

import ui.roster.tab as tab_module
from app.reports.roster_xlsx import export_roster
from tests.ui.roster.support import press, select, shown, stored
from tests.ui.roster.test_roster_coverage import colour, coverage_cell, night_worker
from ui.roster.files import RosterImportDialog
from ui.roster.grid import GAP_BG, OK_BG


def vendor_file(store, tmp_path, change):
    """November as the vendor would send it (our own export), edited by `change(sheet)`."""
    from openpyxl import load_workbook

    path = export_roster(store, 2026, 11, tmp_path / "乙方排班11月.xlsx")
    book = load_workbook(path)
    change(book.active)
    book.save(path)
    return path


def cell_of(sheet, name: str, day: int):
    for row in sheet.iter_rows():
        if any(c.value == name for c in row):
            header = next(r for r in sheet.iter_rows() if any(c.value == "姓名" for c in r))
            column = next(c.column for c in header if c.value == day)
            return sheet.cell(row=row[0].row, column=column)
    raise KeyError(name)


def choose(monkeypatch, path):
    monkeypatch.setattr(tab_module.QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def test_import_previews_then_writes_and_the_coverage_row_turns_red_then_green(roster_tab, demo_store, tmp_path,
                                                                              monkeypatch, qtbot):
    name = night_worker(roster_tab, 10)
    path = vendor_file(demo_store, tmp_path, lambda sheet: setattr(cell_of(sheet, name, 10), "value", None))
    choose(monkeypatch, path)
    previews = []

    def confirm(dialog: RosterImportDialog):
        previews.append(dialog.model.rowCount())
        assert stored(demo_store, name, 2026, 11, 10) == "夜"  # nothing written before the clerk confirms
        assert dialog.import_button.isEnabled()
        dialog.import_button.click()
        return dialog.result()

    monkeypatch.setattr(RosterImportDialog, "exec", confirm)
    monkeypatch.setattr(tab_module.QMessageBox, "information", lambda *a: None)
    roster_tab.buttons["import"].click()
    assert previews and previews[0] >= 12
    assert stored(demo_store, name, 2026, 11, 10) == ""
    cell = coverage_cell(roster_tab, "dispatch", 10)
    assert colour(cell) == GAP_BG.upper() and cell.data() == "缺\n8时"
    summary = demo_store.db.execute("SELECT summary FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert summary.startswith("导入乙方排班：2026年11月（乙方排班11月.xlsx")

    select(roster_tab, name, 10)
    press(roster_tab, "夜")
    assert colour(coverage_cell(roster_tab, "dispatch", 10)) == OK_BG.upper()
    assert shown(roster_tab, name, 10) == "夜"


def test_a_file_with_an_unknown_code_is_shown_with_its_row_and_day_and_not_imported(roster_tab, demo_store,
                                                                                   tmp_path, monkeypatch):
    path = vendor_file(demo_store, tmp_path, lambda sheet: setattr(cell_of(sheet, "吴雪梅", 3), "value", "班"))
    choose(monkeypatch, path)
    seen = []

    def look(dialog: RosterImportDialog):
        seen.append((dialog.import_button.isEnabled(), dialog.error.text(),
                     [dialog.model.index(r, 4).data() for r in range(dialog.model.rowCount())]))
        return 0

    monkeypatch.setattr(RosterImportDialog, "exec", look)
    count = demo_store.db["audit_log"].count
    roster_tab.buttons["import"].click()
    enabled, error, problems = seen[0]
    assert not enabled and "整张表都没有导入" in error
    assert any("3 日" in p and "“班”不是班次代码" in p for p in problems)
    assert demo_store.db["audit_log"].count == count


def test_a_file_that_is_not_a_roster_is_refused_in_chinese(roster_tab, tmp_path, monkeypatch):
    path = tmp_path / "名单.xlsx"
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["序号", "单位"])
    book.save(path)
    choose(monkeypatch, path)
    roster_tab.buttons["import"].click()
    assert "找不到排班表的表头" in roster_tab.message.text()


def test_export_writes_the_month_in_the_vendors_layout(roster_tab, tmp_path, monkeypatch):
    target = tmp_path / "导出"
    monkeypatch.setattr(tab_module.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    told = []
    monkeypatch.setattr(tab_module.QMessageBox, "information", lambda _p, _t, text: told.append(text))
    roster_tab.buttons["export"].click()
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "导出.xlsx").active
    assert cell_of(sheet, "赵文静", 1).value == shown(roster_tab, "赵文静", 1)
    assert "导出.xlsx" in told[0]
    assert roster_tab.model.index(0, 0).data(Qt.ItemDataRole.DisplayRole)


def test_ctrl_p_prints_the_month_through_the_shared_pdf_path(roster_tab, monkeypatch, qtbot):
    import ui.printing

    shown_pdfs = []
    monkeypatch.setattr(ui.printing, "present_pdf", lambda parent, pdf, name: shown_pdfs.append((pdf, name)))
    roster_tab.view.setFocus()
    qtbot.keyClick(roster_tab.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    pdf, name = shown_pdfs[0]
    assert pdf.startswith(b"%PDF") and name == "乙方排班表（甲方核验）2026年11月.pdf"


def test_a_workbook_of_several_months_asks_which_sheet_to_import(roster_tab, tmp_path, monkeypatch):
    """The vendor keeps October's sheet in front of November's: the clerk picks, the month on
    screen (November) offered first; the preview then reads the sheet chosen."""
    from PySide6.QtWidgets import QInputDialog

    from tests.roster.test_roster_xlsx import two_month_workbook

    choose(monkeypatch, two_month_workbook(tmp_path))
    asked = []

    def pick(parent, title, label, items, current, editable):
        asked.append((label, list(items), current))
        return items[current], True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    previews = []
    monkeypatch.setattr(RosterImportDialog, "exec", lambda dialog: previews.append(dialog) or 0)
    roster_tab.buttons["import"].click()
    label, items, current = asked[0]
    assert "有 2 个工作表都是排班表" in label
    assert items == ["“10月”（2026 年 10 月）", "“11月”（2026 年 11 月）"] and current == 1
    assert (previews[0].preview.sheet, previews[0].preview.month) == ("11月", 11)
    assert "工作表“11月”" in previews[0].summary.text()

    monkeypatch.setattr(QInputDialog, "getItem", lambda *a: (a[3][0], True))  # October, chosen by hand
    roster_tab.buttons["import"].click()
    assert (previews[1].preview.sheet, previews[1].preview.month) == ("10月", 10)

    monkeypatch.setattr(QInputDialog, "getItem", lambda *a: ("", False))  # 取消: nothing read, nothing shown
    roster_tab.buttons["import"].click()
    assert len(previews) == 2
