"""Issue 8: the paths by which the 人员 tab let wrong facts into the file, driven as the
clerk drives them. Each of these failed on the build before."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

import pytest

import ui.staff.tab as staff_tab_module
from app.errors import ValidationError
from app.replacements import add_account, list_accounts
from app.staff import assignments
from tests.ui.staff.support import cell, click_save, column_texts, drive, select_row_of, type_text
from ui.staff.dialogs import AccountsDialog, LeaveDialog, PostChangeDialog, WorkerDialog


def test_a_post_change_goes_from_a_date_and_the_past_stays_on_the_old_post(demo_tab, qtbot, monkeypatch):
    seen = {}

    def move(dialog: PostChangeDialog):
        dialog.post.setCurrentIndex(dialog.post.findData("flex"))
        dialog.from_day.setDate(QDate(2026, 12, 1))
        type_text(qtbot, dialog.reason, "乙方调整岗位")
        click_save(qtbot, dialog)

    def edit(dialog: WorkerDialog):
        seen["post editable"] = dialog.post.isEnabled()  # she has served: no silent rewrite
        qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
        seen["history"] = dialog.post_history.text()
        dialog.reject()

    drive(monkeypatch, PostChangeDialog, move)
    drive(monkeypatch, WorkerDialog, edit)
    select_row_of(qtbot, demo_tab, "吴雪梅")
    qtbot.keyClick(demo_tab.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert seen["post editable"] is False
    assert "2026年12月01日起：机动岗（乙方调整岗位）" in seen["history"]
    worker_id = next(w.id for w in demo_tab.model.rows() if w.name == "吴雪梅")
    stretches = sorted((a.start, a.end, a.post_code) for a in assignments(
        demo_tab.store, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) if a.worker_id == worker_id)
    assert len(stretches) == 2
    assert stretches[0][1] == dt.date(2026, 11, 30) and stretches[0][2] != "flex"
    assert stretches[1] == (dt.date(2026, 12, 1), None, "flex")


def test_leave_on_a_worker_who_left_shows_the_recorded_date_and_enter_changes_nothing(demo_tab, qtbot, monkeypatch):
    seen = {}

    def press_enter(dialog: LeaveDialog):
        seen["date"] = dialog.last_day.date()
        dialog.activateWindow()  # exec() would make it the active, modal window
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        dialog.last_day.setFocus()
        qtbot.keyClick(dialog.last_day, Qt.Key.Key_Return)
        seen["error"] = dialog.error.text()
        seen["open"] = dialog.isVisible()
        dialog.done(0)

    drive(monkeypatch, LeaveDialog, press_enter)
    select_row_of(qtbot, demo_tab, "郑晓东")
    before = demo_tab.store.db["audit_log"].count
    qtbot.keyClick(demo_tab.view, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "open" in seen)  # a mnemonic clicks its button a moment after the key
    assert seen["date"] == QDate(2026, 6, 30)
    assert seen["open"] and "已于 2026-06-30 离场" in seen["error"]
    assert demo_tab.store.db["audit_log"].count == before
    row = column_texts(demo_tab, "姓名").index("郑晓东")
    assert cell(demo_tab, row, "状态") == "已离场" and cell(demo_tab, row, "离场日期") == "2026-06-30"


def test_correcting_a_departure_date_needs_a_reason_and_stops_at_the_successor(demo_tab, qtbot, monkeypatch):
    errors = []
    monkeypatch.setattr(staff_tab_module.QMessageBox, "information", staticmethod(lambda *a: None))

    def correct(dialog: LeaveDialog):
        dialog.last_day.setDate(QDate(2026, 7, 10))  # into the days of 王丽娜, who replaced him
        type_text(qtbot, dialog.reason, "乙方通知有误")
        click_save(qtbot, dialog)
        errors.append(dialog.error.text())
        dialog.last_day.setDate(QDate(2026, 6, 20))
        dialog.reason.clear()
        click_save(qtbot, dialog)
        errors.append(dialog.error.text())
        type_text(qtbot, dialog.reason, "乙方通知有误")
        click_save(qtbot, dialog)

    drive(monkeypatch, LeaveDialog, correct)
    select_row_of(qtbot, demo_tab, "郑晓东")
    demo_tab.leave_selected()
    assert "由王丽娜接替" in errors[0] and "更正原因不能为空" in errors[1]
    row = column_texts(demo_tab, "姓名").index("郑晓东")
    assert cell(demo_tab, row, "离场日期") == "2026-06-20"
    last = next(demo_tab.store.db.query("SELECT summary FROM audit_log ORDER BY id DESC LIMIT 1"))
    assert last["summary"] == "更正离场日期：郑晓东（2026-06-30 → 2026-06-20）"


def test_a_mistaken_consent_is_withdrawn_with_a_reason_and_decided_rows_disable_the_buttons(
        demo_tab, qtbot, monkeypatch):
    monkeypatch.setattr(staff_tab_module.QMessageBox, "information", staticmethod(lambda *a: None))
    asked = []
    monkeypatch.setattr(staff_tab_module.QInputDialog, "getText",
                        staticmethod(lambda *a, **k: (asked.append(a[2]), ("点错了，乙方尚未提交材料", True))[1]))
    demo_tab.details.setCurrentIndex(1)
    model = demo_tab.replacement_model
    rows = [model.row_at(r) for r in range(model.rowCount())]
    pending = next(r for r, rep in enumerate(rows) if rep.leaving_name == "蒋明辉")
    decided = next(r for r, rep in enumerate(rows) if rep.leaving_name == "郑晓东")
    demo_tab.replacement_view.selectRow(decided)  # agreed in June, in effect since July
    assert not demo_tab.agree_button.isEnabled() and not demo_tab.refuse_button.isEnabled()
    assert not demo_tab.withdraw_button.isEnabled()
    demo_tab.replacement_view.selectRow(pending)
    assert demo_tab.agree_button.isEnabled() and not demo_tab.withdraw_button.isEnabled()
    qtbot.mouseClick(demo_tab.agree_button, Qt.MouseButton.LeftButton)  # the mis-click
    row = column_texts(demo_tab, "姓名").index("蒋明辉")
    assert cell(demo_tab, row, "离场日期") == "2026-11-27"
    demo_tab.replacement_view.selectRow(pending)
    assert not demo_tab.agree_button.isEnabled() and demo_tab.withdraw_button.isEnabled()
    qtbot.mouseClick(demo_tab.withdraw_button, Qt.MouseButton.LeftButton)
    assert asked and "甲方已同意" in asked[0]
    assert model.row_at(pending).consent.label == "待甲方同意"
    row = column_texts(demo_tab, "姓名").index("蒋明辉")
    assert cell(demo_tab, row, "离场日期") == "" and cell(demo_tab, row, "状态") == "在岗"
    newcomer = next(w for w in demo_tab.model.rows() if w.name == "沈一帆")
    assert newcomer.post_code == "flex"
    last = next(demo_tab.store.db.query("SELECT summary FROM audit_log ORDER BY id DESC LIMIT 1"))
    assert "撤回甲方意见（甲方已同意）：蒋明辉" in last["summary"] and "点错了" in last["summary"]


def test_no_new_account_for_a_worker_who_left_and_revoking_takes_its_own_date(demo_tab, qtbot, monkeypatch):
    seen = {}

    def accounts(dialog: AccountsDialog):
        seen["can register"] = dialog.new_box.isEnabled()
        seen["note"] = dialog.left_note.text()
        dialog.day.setDate(QDate(2026, 11, 25))  # the new-account date plays no part in revoking
        assert dialog.revoke_day.date() == QDate(2026, 6, 30)  # his last day, offered
        dialog.revoke_day.setDate(QDate(2026, 7, 1))
        qtbot.mouseClick(dialog.revoke_button, Qt.MouseButton.LeftButton)
        seen["error"] = dialog.error.text()
        dialog.done(0)

    drive(monkeypatch, AccountsDialog, accounts)
    select_row_of(qtbot, demo_tab, "郑晓东")
    qtbot.mouseClick(demo_tab.buttons["accounts"], Qt.MouseButton.LeftButton)
    assert seen["can register"] is False and "不能再登记新账号" in seen["note"]
    assert seen["error"] == ""
    account = next(a for a in list_accounts(demo_tab.store) if a.account_name == "ltzsk07")
    assert account.revoked_on == dt.date(2026, 7, 1)
    assert "ltzsk07" not in demo_tab.reminder.text() and demo_tab.reminder.isHidden()
    worker_id = account.worker_id
    with pytest.raises(ValidationError, match="离场后不能再开通系统账号"):
        add_account(demo_tab.store, worker_id, {"platform": "接诉即办工作平台", "account_name": "new01",
                                                "granted_on": "2026-11-25"})
