"""The 人员 tab, driven as the clerk drives it: keyboard, mouse, dialogs, messages."""
from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

import ui.staff.tab as staff_tab_module
from app.staff import list_workers
from tests.ui.staff.support import (cell, click_save, column_texts, drive, select_row_of, type_text,
                                    valid_id)
from ui.staff.dialogs import LeaveDialog, ReplacementDialog, WorkerDialog


def test_demo_staff_is_listed_with_masked_numbers_and_post_fill(demo_tab):
    names = column_texts(demo_tab, "姓名")
    assert len(names) == 14 and names[0] == "赵文静"
    assert cell(demo_tab, 0, "身份证号").startswith("110101********")
    assert cell(demo_tab, 0, "手机号") == "139****0001"
    assert cell(demo_tab, names.index("郑晓东"), "状态") == "已离场"
    assert cell(demo_tab, names.index("沈一帆"), "状态") == "未到岗"
    assert "在岗 12 人" in demo_tab.counts.text()
    fills = demo_tab.fill_model
    assert [fills.index(0, c).data() for c in range(4)] == ["接派单、退单、案件核实", "1", "5", "已满足"]
    history = fills.index(1, 4).data(Qt.ItemDataRole.ToolTipRole)
    assert "郑晓东（2026-01-01 至 2026-06-30）" in history and "王丽娜（2026-07-01 至 今）" in history
    assert "郑晓东：12345知识库 ltzsk07" in demo_tab.reminder.text()


def test_ctrl_n_adds_a_worker_typed_in_the_form(tab, qtbot, monkeypatch):
    def fill(dialog: WorkerDialog):
        type_text(qtbot, dialog.name, "王晓燕")
        qtbot.keyClicks(dialog.id_number, valid_id())
        qtbot.keyClicks(dialog.phone, "13900001234")
        dialog.post.setCurrentIndex(dialog.post.findData("reply_review"))
        dialog.start_date.setDate(QDate(2026, 3, 1))
        dialog.compliance["labour_contract_on"].check.setChecked(True)
        click_save(qtbot, dialog)

    drive(monkeypatch, WorkerDialog, fill)
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert column_texts(tab, "姓名") == ["王晓燕"]
    assert cell(tab, 0, "岗位") == "接诉即办案件回复意见审核"
    assert cell(tab, 0, "到岗日期") == "2026-03-01"
    assert cell(tab, 0, "乙方承诺核验") == "缺：社保、岗前培训"
    assert cell(tab, 0, "性别") == "女"  # from the ID number


def test_a_refused_form_names_the_field_saves_nothing_and_can_be_corrected(tab, qtbot, monkeypatch):
    messages = []

    def fill(dialog: WorkerDialog):
        type_text(qtbot, dialog.name, "王晓燕")
        wrong = valid_id()[:-1] + ("1" if valid_id()[-1] != "1" else "2")
        qtbot.keyClicks(dialog.id_number, wrong)
        qtbot.keyClicks(dialog.phone, "1390000123")
        click_save(qtbot, dialog)
        messages.append(dialog.error.text())
        assert dialog.isVisible() and dialog.focusWidget() is dialog.id_number
        assert list_workers(tab.store) == []
        dialog.id_number.setText(valid_id())
        click_save(qtbot, dialog)
        messages.append(dialog.error.text())
        assert dialog.focusWidget() is dialog.phone
        qtbot.keyClicks(dialog.phone, "13900001234")  # the wrong number is selected: typing replaces it
        click_save(qtbot, dialog)

    drive(monkeypatch, WorkerDialog, fill)
    tab.add_worker()
    assert "校验位不对" in messages[0]
    assert messages[1] == "手机号应为11位数字，“1390000123”是10位。"
    assert column_texts(tab, "姓名") == ["王晓燕"]


def test_double_click_opens_the_record_for_editing(demo_tab, qtbot, monkeypatch):
    def edit(dialog: WorkerDialog):
        assert dialog.name.text() == "吴雪梅"
        assert dialog.id_number.text().startswith("110102********")  # masked until 显示
        assert dialog.phone.text() == "139****0006" and dialog.phone.isReadOnly()
        qtbot.mouseClick(dialog.reveal_id, Qt.MouseButton.LeftButton)
        assert dialog.phone.text() == "13900000006" and len(dialog.id_number.text()) == 18
        dialog.phone.setText("13911112222")
        click_save(qtbot, dialog)

    drive(monkeypatch, WorkerDialog, edit)
    row = column_texts(demo_tab, "姓名").index("吴雪梅")
    rect = demo_tab.view.visualRect(demo_tab.view.model().index(row, 0))
    qtbot.mouseClick(demo_tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(demo_tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    row = column_texts(demo_tab, "姓名").index("吴雪梅")
    assert cell(demo_tab, row, "手机号") == "139****2222"
    assert demo_tab.store.db["audit_log"].count_where("action = 'reveal'") == 1


def test_show_button_reveals_the_selected_number_and_is_audited(demo_tab, qtbot):
    select_row_of(qtbot, demo_tab, "赵文静")
    before = demo_tab.store.db["audit_log"].count_where("action = 'reveal'")
    qtbot.mouseClick(demo_tab.buttons["reveal"], Qt.MouseButton.LeftButton)
    row = column_texts(demo_tab, "姓名").index("赵文静")
    assert "*" not in cell(demo_tab, row, "身份证号") and len(cell(demo_tab, row, "身份证号")) == 18
    assert cell(demo_tab, row, "手机号") == "13900000001"
    assert "*" in cell(demo_tab, row + 1, "身份证号")  # only the selected worker
    assert demo_tab.store.db["audit_log"].count_where("action = 'reveal'") == before + 1
    assert demo_tab.buttons["reveal"].text() == "隐藏(&S)"
    qtbot.mouseClick(demo_tab.buttons["reveal"], Qt.MouseButton.LeftButton)
    assert "*" in cell(demo_tab, row, "身份证号")


def test_ctrl_f_search_and_status_filter(demo_tab, qtbot):
    demo_tab.view.setFocus()
    qtbot.keyClick(demo_tab.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert demo_tab.search.hasFocus()
    type_text(qtbot, demo_tab.search, "机动")
    assert column_texts(demo_tab, "姓名") == ["蒋明辉", "沈一帆"]
    demo_tab.search.setText("0001")
    assert column_texts(demo_tab, "姓名") == ["赵文静"]  # by the visible last digits
    demo_tab.search.setText("13900000001")
    assert column_texts(demo_tab, "姓名") == []  # a hidden number cannot be probed
    demo_tab.search.clear()
    demo_tab.status_filter.setCurrentIndex(demo_tab.status_filter.findData("已离场"))
    assert column_texts(demo_tab, "姓名") == ["郑晓东"]


def test_sorting_by_start_date(demo_tab, qtbot):
    header = demo_tab.view.horizontalHeader()
    column = [demo_tab.view.model().headerData(c, Qt.Orientation.Horizontal) for c in range(10)].index("到岗日期")
    demo_tab.view.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    assert column_texts(demo_tab, "姓名")[0] == "沈一帆"
    assert header.sortIndicatorSection() == column


def test_vendor_replacement_on_short_notice_is_flagged_then_agreed(demo_tab, qtbot, monkeypatch):
    info = []
    monkeypatch.setattr(staff_tab_module.QMessageBox, "information", staticmethod(lambda *a: info.append(a[2])))

    def fill(dialog: ReplacementDialog):
        assert dialog.leaving.currentText().startswith("吴雪梅")
        dialog.notified_on.setDate(QDate(2026, 11, 24))
        dialog.effective_on.setDate(QDate(2026, 11, 28))
        assert "提前 4 天 ⚠ 不足一周" in dialog.notice.text()
        type_text(qtbot, dialog.reason, "家中有事")
        click_save(qtbot, dialog)

    drive(monkeypatch, ReplacementDialog, fill)
    select_row_of(qtbot, demo_tab, "吴雪梅")
    qtbot.mouseClick(demo_tab.buttons["replace"], Qt.MouseButton.LeftButton)
    model = demo_tab.replacement_model
    texts = [model.index(0, c).data() for c in range(model.columnCount())]
    assert texts[1:4] == ["吴雪梅", "（尚未确定）", "乙方申请"]
    assert "不足一周" in texts[6] and texts[7] == "待甲方同意"
    demo_tab.replacement_view.selectRow(0)
    qtbot.mouseClick(demo_tab.agree_button, Qt.MouseButton.LeftButton)
    assert model.index(0, 7).data() == "甲方已同意（2026-11-25）"
    row = column_texts(demo_tab, "姓名").index("吴雪梅")
    assert cell(demo_tab, row, "离场日期") == "2026-11-27"
    assert info and "接诉即办工作平台" in info[0]  # reminder to revoke her account


def test_office_demand_is_effective_at_once(demo_tab, qtbot, monkeypatch):
    monkeypatch.setattr(staff_tab_module.QMessageBox, "information", staticmethod(lambda *a: None))

    def fill(dialog: ReplacementDialog):
        dialog.requested_by.setCurrentIndex(dialog.requested_by.findData("office"))
        assert not dialog.consent.isVisible() and not dialog.effective_on.isEnabled()
        assert dialog.notice.text() == "立即更换（第四条第4款）"
        type_text(qtbot, dialog.reason, "连续两个月考核不合格")
        type_text(qtbot, dialog.grounds, "2026年9月、10月服务考核不合格")
        click_save(qtbot, dialog)

    drive(monkeypatch, ReplacementDialog, fill)
    select_row_of(qtbot, demo_tab, "冯建华")
    demo_tab.replace_selected()
    rows = [[m.index(r, c).data() for c in range(m.columnCount())] for m in [demo_tab.replacement_model]
            for r in range(m.rowCount())]
    office = [r for r in rows if r[3] == "甲方要求"]
    assert len(office) == 1 and office[0][1] == "冯建华" and office[0][5] == "2026-11-25"
    row = column_texts(demo_tab, "姓名").index("冯建华")
    assert cell(demo_tab, row, "状态") == "已离场"


def test_leave_keeps_the_worker_and_reminds_to_revoke_accounts(demo_tab, qtbot, monkeypatch):
    monkeypatch.setattr(staff_tab_module.QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    info = []
    monkeypatch.setattr(staff_tab_module.QMessageBox, "information", staticmethod(lambda *a: info.append(a[2])))

    def fill(dialog: LeaveDialog):
        dialog.last_day.setDate(QDate(2026, 11, 20))
        type_text(qtbot, dialog.reason, "合同期满")
        click_save(qtbot, dialog)

    drive(monkeypatch, LeaveDialog, fill)
    select_row_of(qtbot, demo_tab, "陈思雨")
    qtbot.mouseClick(demo_tab.buttons["leave"], Qt.MouseButton.LeftButton)
    row = column_texts(demo_tab, "姓名").index("陈思雨")
    assert cell(demo_tab, row, "状态") == "已离场"
    assert "接诉即办工作平台" in info[0]
    assert "陈思雨：接诉即办工作平台" in demo_tab.reminder.text()


def test_delete_is_refused_for_a_worker_with_history(demo_tab, qtbot, monkeypatch):
    monkeypatch.setattr(staff_tab_module.QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    warnings = []
    monkeypatch.setattr(staff_tab_module.QMessageBox, "warning", staticmethod(lambda *a: warnings.append(a[2])))
    select_row_of(qtbot, demo_tab, "郑晓东")
    demo_tab.delete_selected()
    assert "不能删除" in warnings[0]
    assert "郑晓东" in column_texts(demo_tab, "姓名")


def test_enter_on_the_table_opens_the_selected_record(demo_tab, qtbot, monkeypatch):
    opened = drive(monkeypatch, WorkerDialog, lambda d: d.reject())
    select_row_of(qtbot, demo_tab, "陈思雨")
    demo_tab.view.setFocus()
    qtbot.keyClick(demo_tab.view, Qt.Key.Key_Return)
    assert [d.name.text() for d in opened] == ["陈思雨"]
    demo_tab.search.setFocus()
    qtbot.keyClick(demo_tab.search, Qt.Key.Key_Return)
    assert len(opened) == 1  # Enter in the search box does not open a record


def test_the_form_tabs_in_the_order_of_the_paper_form(tab, monkeypatch):
    order = []

    def walk(dialog: WorkerDialog):
        widget = dialog.name
        for _ in range(6):
            order.append(widget)
            widget = widget.nextInFocusChain()
            while not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or not widget.isVisible():
                widget = widget.nextInFocusChain()
        dialog.reject()

    drive(monkeypatch, WorkerDialog, walk)
    tab.add_worker()
    dialog = order[0].window()
    assert order == [dialog.name, dialog.gender, dialog.id_number, dialog.phone, dialog.post,
                     dialog.start_date]


def test_a_mistaken_record_without_history_can_be_deleted_from_the_context_menu(tab, qtbot, monkeypatch):
    from app.staff import add_worker

    add_worker(tab.store, {"name": "误录", "id_number": valid_id(), "phone": "13900001234", "post": "flex",
                           "start_date": "2026-11-01"})
    monkeypatch.setattr(staff_tab_module.QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    select_row_of(qtbot, tab, "误录")
    delete = next(a for a in tab.view.actions() if a.text().startswith("删除"))
    delete.trigger()
    assert column_texts(tab, "姓名") == []


def test_switching_to_the_tab_with_ctrl_2_makes_ctrl_n_work_at_once(window, qtbot, monkeypatch):
    opened = drive(monkeypatch, WorkerDialog, lambda d: d.reject())
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget().key == "staff"
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 1 and opened[0].windowTitle() == "新增服务人员"


def test_editing_without_showing_numbers_keeps_them_unchanged(demo_tab, qtbot, monkeypatch):
    before = next(w for w in list_workers(demo_tab.store) if w.name == "卫晓琳")

    def edit(dialog: WorkerDialog):
        assert "*" in dialog.emergency_phone.text()
        dialog.notes.setPlainText("已调整为早班")
        click_save(qtbot, dialog)
        assert not dialog.error.isVisible()

    drive(monkeypatch, WorkerDialog, edit)
    select_row_of(qtbot, demo_tab, "卫晓琳")
    qtbot.mouseClick(demo_tab.buttons["edit"], Qt.MouseButton.LeftButton)
    after = next(w for w in list_workers(demo_tab.store) if w.name == "卫晓琳")
    assert (after.id_number, after.phone, after.emergency_phone) == (
        before.id_number, before.phone, before.emergency_phone)
    assert after.notes == "已调整为早班"
    assert demo_tab.store.db["audit_log"].count_where("action = 'reveal'") == 0


def test_an_emergency_phone_typed_into_an_empty_field_is_saved_while_the_id_stays_masked(
        demo_tab, qtbot, monkeypatch):
    before = next(w for w in list_workers(demo_tab.store) if w.name == "卫晓琳")
    demo_tab.store.db["workers"].update(before.id, {"emergency_phone": ""})  # recorded without one

    def edit(dialog: WorkerDialog):
        assert dialog.id_number.isReadOnly() and dialog.phone.isReadOnly()  # 显示 not clicked
        assert dialog.emergency_phone.text() == "" and not dialog.emergency_phone.isReadOnly()
        type_text(qtbot, dialog.emergency_phone, "01065551234")
        click_save(qtbot, dialog)
        assert not dialog.error.isVisible()

    drive(monkeypatch, WorkerDialog, edit)
    select_row_of(qtbot, demo_tab, "卫晓琳")
    qtbot.mouseClick(demo_tab.buttons["edit"], Qt.MouseButton.LeftButton)
    after = next(w for w in list_workers(demo_tab.store) if w.name == "卫晓琳")
    assert after.emergency_phone == "01065551234"
    assert (after.id_number, after.phone) == (before.id_number, before.phone)  # masked ones unchanged


def test_history_of_a_worker_shows_changes_with_numbers_masked(demo_tab, qtbot):
    select_row_of(qtbot, demo_tab, "赵文静")
    worker = demo_tab.selected_worker()
    dialog = demo_tab.history_selected()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "历史记录 — 服务人员：赵文静"
    texts = [dialog.model.index(r, c).data() for r in range(dialog.model.rowCount())
             for c in range(dialog.model.columnCount())]
    joined = "\n".join(str(t) for t in texts)
    assert "新增" in joined and "身份证号：" in joined
    assert worker.id_number not in joined and worker.phone not in joined


def test_worker_actions_answer_alt_letters_and_ctrl_shift_h(demo_tab, qtbot, monkeypatch):
    from ui.staff.dialogs import AccountsDialog
    from PySide6.QtWidgets import QApplication

    opened = []
    for dialog_class in (ReplacementDialog, LeaveDialog, AccountsDialog):
        drive(monkeypatch, dialog_class, lambda d: (opened.append(type(d).__name__), d.reject()))
    monkeypatch.setattr(staff_tab_module.QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    files = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (files.append("open"), ("", ""))[1]))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (files.append("save"), ("", ""))[1]))
    histories = []
    window = demo_tab.window()
    monkeypatch.setattr(window, "show_record_history", lambda *a: histories.append(a))
    select_row_of(qtbot, demo_tab, "赵文静")
    demo_tab.view.setFocus()
    alt = Qt.KeyboardModifier.AltModifier
    # A mnemonic "animates" the click: the button fires a moment after the key.
    for count, key in enumerate((Qt.Key.Key_R, Qt.Key.Key_L, Qt.Key.Key_A), start=1):
        qtbot.keyClick(demo_tab.view, key, alt)
        qtbot.waitUntil(lambda count=count: len(opened) == count)
        window.activateWindow()  # offscreen leaves the closed dialog "active"; a real desktop does not
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert opened == ["ReplacementDialog", "LeaveDialog", "AccountsDialog"]
    qtbot.keyClick(demo_tab.view, Qt.Key.Key_S, alt)
    qtbot.waitUntil(lambda: demo_tab.buttons["reveal"].text() == "隐藏(&S)")
    qtbot.keyClick(demo_tab.view, Qt.Key.Key_I, alt)
    qtbot.waitUntil(lambda: files == ["open"])
    qtbot.keyClick(demo_tab.view, Qt.Key.Key_X, alt)
    qtbot.waitUntil(lambda: files == ["open", "save"])
    qtbot.keyClick(demo_tab.view, Qt.Key.Key_T, alt)  # 导出导入模板
    qtbot.waitUntil(lambda: files == ["open", "save", "save"])
    demo_tab.view.setFocus()
    qtbot.keyClick(demo_tab.view, Qt.Key.Key_H,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert histories and histories[0][:2] == ("workers", demo_tab.selected_worker().id)
    assert any(a.text() == "历史记录…\tCtrl+Shift+H" for a in demo_tab.view.actions())


def test_replacement_keeps_the_typed_effective_date_across_a_change_of_mind(demo_tab, qtbot):
    dialog = ReplacementDialog(demo_tab.store, list_workers(demo_tab.store), parent=demo_tab)
    qtbot.addWidget(dialog)
    dialog.notified_on.setDate(QDate(2026, 11, 24))
    dialog.effective_on.setDate(QDate(2026, 12, 7))
    dialog.requested_by.setCurrentIndex(dialog.requested_by.findData("office"))
    assert dialog.effective_on.date() == QDate(2026, 11, 24)  # 甲方要求: at once
    dialog.requested_by.setCurrentIndex(dialog.requested_by.findData("vendor"))
    assert dialog.effective_on.date() == QDate(2026, 12, 7) and dialog.effective_on.isEnabled()
    assert "提前 13 天" in dialog.notice.text()


def test_escape_asks_before_throwing_away_a_filled_in_form(tab, qtbot, monkeypatch):
    import ui.forms as dialogs_module

    asked, answers = [], [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]

    def question(*args):
        asked.append(args[2])
        assert args[-1] == QMessageBox.StandardButton.No  # the default is to keep the form
        return answers.pop(0)

    monkeypatch.setattr(dialogs_module.QMessageBox, "question", staticmethod(question))

    def fill(dialog: WorkerDialog):
        type_text(qtbot, dialog.name, "王晓燕")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)
        assert asked == ["放弃未保存的修改？"] and dialog.isVisible()  # 否: the typing is kept
        assert dialog.name.text() == "王晓燕"
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton)
        assert len(asked) == 2 and not dialog.isVisible()

    drive(monkeypatch, WorkerDialog, fill)
    tab.add_worker()
    assert list_workers(tab.store) == []


def test_escape_closes_an_untouched_form_at_once(demo_tab, qtbot, monkeypatch):
    import ui.forms as dialogs_module

    asked = []
    monkeypatch.setattr(dialogs_module.QMessageBox, "question", staticmethod(lambda *a: asked.append(a)))
    closed = []

    def look(dialog: WorkerDialog):
        qtbot.mouseClick(dialog.reveal_id, Qt.MouseButton.LeftButton)  # showing the numbers is not a change
        qtbot.keyClick(dialog.id_number, Qt.Key.Key_Escape)
        closed.append(not dialog.isVisible())

    drive(monkeypatch, WorkerDialog, look)
    select_row_of(qtbot, demo_tab, "赵文静")
    qtbot.keyClick(demo_tab.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert closed == [True] and asked == []


def test_a_refused_optional_date_puts_the_cursor_in_the_date(tab, qtbot, monkeypatch):
    from app import clock

    focus = []

    def fill(dialog: WorkerDialog):
        type_text(qtbot, dialog.name, "王晓燕")
        qtbot.keyClicks(dialog.id_number, valid_id())
        qtbot.keyClicks(dialog.phone, "13900001234")
        training = dialog.compliance["training_on"]
        training.check.setChecked(True)
        training.date.setDate(QDate(clock.today()).addDays(3))
        click_save(qtbot, dialog)
        assert dialog.isVisible() and "岗前培训" in dialog.error.text()
        focus.append(dialog.focusWidget())
        focus.append(training.date)
        dialog.done(0)

    drive(monkeypatch, WorkerDialog, fill)
    tab.add_worker()
    assert focus[0] is focus[1] or focus[1].isAncestorOf(focus[0])
    assert list_workers(tab.store) == []


def test_post_fill_shows_the_coming_month_a_gap_after_a_planned_departure_and_a_change_awaiting_consent(demo_tab):
    from PySide6.QtGui import QColor

    from app.staff import get_worker, update_worker

    worker = next(w for w in demo_tab.model.rows() if w.name == "陈思雨")
    stored = get_worker(demo_tab.store, worker.id)
    update_worker(demo_tab.store, worker.id, {  # the vendor announces she will not renew
        "name": stored.name, "id_number": stored.id_number, "phone": stored.phone, "post": stored.post_code,
        "start_date": stored.start_date, "planned_end": "2026-12-15", "hours_scheme": stored.hours_scheme.value,
        "emergency_contact": stored.emergency_contact, "emergency_phone": stored.emergency_phone,
        "labour_contract_on": stored.labour_contract_on, "social_insurance_on": stored.social_insurance_on,
        "training_on": stored.training_on, "notes": stored.notes})
    fills = demo_tab.fill_model
    header = [fills.headerData(c, Qt.Orientation.Horizontal) for c in range(fills.columnCount())]
    coming = header.index("未来30天")
    rows = {fills.index(r, 0).data(): r for r in range(fills.rowCount())}
    exclusion = fills.index(rows["接诉即办不计入考核工作"], coming)
    assert exclusion.data() == "⚠ 12月16日起缺 1 人：陈思雨（12月15日离场）"
    assert QColor(exclusion.data(Qt.ItemDataRole.ForegroundRole)) == QColor("#b3261e")
    flex = fills.index(rows["机动岗"], coming).data()
    assert flex == "待甲方同意：蒋明辉→沈一帆，11月28日生效，提前 5 天 ⚠ 不足一周（第五条第4款）"
    assert fills.index(rows["城市管理网格平台盯守"], coming).data() == "无变化"


def test_the_window_fits_a_1366_by_768_laptop_at_125_percent(window, demo_tab, qtbot):
    """1366×768 at 125 % leaves about 1092×580 logical pixels for the window (taskbar, title bar)."""
    window.show_tab("staff")
    hint = window.minimumSizeHint()
    assert hint.width() <= 1092 and hint.height() <= 580, hint
    window.resize(1092, 580)
    qtbot.wait(10)
    for key, button in demo_tab.buttons.items():  # every button shows its whole text
        assert button.width() >= button.sizeHint().width() - 4, key
        assert button.isVisible(), key
    assert demo_tab.buttons["add"].text() == "新增（Ctrl+N）" and demo_tab.buttons["edit"].text() == "编辑（Ctrl+E）"


def test_escape_clears_the_search_and_tab_goes_from_the_table_to_the_search_and_buttons(demo_tab, qtbot):
    from PySide6.QtWidgets import QApplication

    window = demo_tab.window()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    demo_tab.view.setFocus()
    qtbot.keyClick(demo_tab.view, Qt.Key.Key_Tab)
    assert demo_tab.search.hasFocus()
    qtbot.keyClick(demo_tab.search, Qt.Key.Key_Tab)
    assert demo_tab.status_filter.hasFocus()
    qtbot.keyClick(demo_tab.status_filter, Qt.Key.Key_Tab)
    assert demo_tab.buttons["add"].hasFocus()
    demo_tab.search.setFocus()
    type_text(qtbot, demo_tab.search, "机动")
    assert column_texts(demo_tab, "姓名") == ["蒋明辉", "沈一帆"]
    qtbot.keyClick(demo_tab.search, Qt.Key.Key_Escape)
    assert demo_tab.search.text() == "" and len(column_texts(demo_tab, "姓名")) == 14
    qtbot.keyClick(demo_tab.search, Qt.Key.Key_Escape)
    assert demo_tab.view.hasFocus()
