"""History windows and record tables as the clerk uses them with the keyboard."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

import ui.history as history_module
from app.demo import fill_demo
from app.replacements import add_account
from app.staff import list_workers


def test_tab_leaves_a_record_table(window, qtbot):
    fill_demo(window.store)
    window.show_tab("staff")
    table = window.tab("staff").view
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table


def test_a_record_history_follows_changes_to_the_records_parts(window, qtbot):
    fill_demo(window.store)
    worker = list_workers(window.store)[0]
    dialog = window.show_record_history("workers", worker.id, f"服务人员：{worker.name}")
    before = dialog.model.rowCount()
    add_account(window.store, worker.id, {"platform": "网格平台", "account_name": "ltwg99",
                                          "granted_on": "2026-11-20"})
    assert dialog.model.rowCount() == before + 1
    dialog.close()


def test_one_history_window_per_record(window):
    fill_demo(window.store)
    worker = list_workers(window.store)[0]
    first = window.show_record_history("workers", worker.id)
    again = window.show_record_history("workers", worker.id)
    assert again is first
    first.close()


def test_enter_in_the_history_search_searches_and_opens_nothing(window, qtbot):
    fill_demo(window.store)
    history = window.show_history()
    history.view.selectRow(0)
    qtbot.keyClicks(history.text, "ltjd07")
    qtbot.keyClick(history.text, Qt.Key.Key_Return)
    assert window.record_histories == {}
    assert history.isVisible()
    shown = {history.model.row_at(r).record_id for r in range(history.model.rowCount())}
    assert history.model.rowCount() >= 1 and all("ltjd07" in history.model.row_at(r).describe_changes()
                                                 or "ltjd07" in history.model.row_at(r).summary
                                                 for r in range(history.model.rowCount())), shown
    history.close()


def test_enter_closes_a_record_history_instead_of_exporting(window, qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(history_module.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: asked.append(a) or ("", "")))
    dialog = window.show_record_history("contracts", 1, "合同")
    dialog.view.setFocus()
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    assert asked == [] and not dialog.isVisible()


def test_history_export_that_cannot_be_recorded_leaves_no_file(window, tmp_path, monkeypatch, messages):
    target = tmp_path / "记录.xlsx"
    monkeypatch.setattr(history_module.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    window.store.db.execute("PRAGMA query_only = ON")  # the data file has become read-only
    try:
        history_module.export_to_chosen_file(window, window.store, history_module.AuditFilter(), "记录")
    finally:
        window.store.db.execute("PRAGMA query_only = OFF")
    assert not Path(target).exists()
    assert "导出没有完成" in messages.texts("warning") and messages.texts("information") == ""
