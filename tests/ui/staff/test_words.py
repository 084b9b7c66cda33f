"""Issue 8, one catalogue of words: the change history speaks the forms' words, for every table."""
from __future__ import annotations

import re

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QWidget

from app import audit
from app.contract import active_contract
from app.labels import HIDDEN_FIELDS, field_label
from app.staff import list_workers
from ui.staff.dialogs import AccountsDialog, PostChangeDialog, ReplacementDialog, WorkerDialog

# Which table each form's field is stored in, and under which column.
COLUMN_OF = {"post": "post_id", "leaving": "leaving_worker_id", "incoming": "incoming_worker_id",
             "post_from": "start_date", "post_reason": "reason"}


def caption_of(dialog, widget: QWidget) -> str:
    for layout in dialog.findChildren(QFormLayout):
        for target in (widget, widget.parentWidget()):
            label = layout.labelForField(target) if target is not None else None
            if isinstance(label, QLabel):
                return label.text().rstrip("：")
    for layout in dialog.findChildren(QFormLayout):  # a row made of a layout (field and button)
        for row in range(layout.rowCount()):
            item = layout.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if item is not None and item.layout() is not None and item.layout().indexOf(widget) >= 0:
                label = layout.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
                return label.text().rstrip("：")
    for layout in dialog.findChildren(QHBoxLayout):  # a caption label just before the field
        index = layout.indexOf(widget)
        before = layout.itemAt(index - 1).widget() if index > 0 else None
        if isinstance(before, QLabel):
            return before.text().rstrip("：")
    raise AssertionError(f"no caption for {widget}")


def test_every_column_of_every_table_has_a_word_in_the_catalogue(demo_tab):
    for table in demo_tab.store.db.tables:
        if table.name.startswith("_") or table.name == "audit_log":
            continue
        for column in table.columns:
            if column.name in HIDDEN_FIELDS:
                continue
            label = field_label(table.name, column.name)
            assert re.search(r"[\u4e00-\u9fff]", label), f"{table.name}.{column.name} has no label: {label}"


def test_the_forms_captions_are_the_historys_labels(demo_tab, qtbot):
    store = demo_tab.store
    contract = active_contract(store)
    worker = next(w for w in list_workers(store) if w.name == "吴雪梅")
    forms = [("workers", WorkerDialog(store, contract, worker, parent=demo_tab)),
             ("replacements", ReplacementDialog(store, list_workers(store), worker, parent=demo_tab)),
             ("system_accounts", AccountsDialog(store, worker, parent=demo_tab)),
             ("worker_posts", PostChangeDialog(store, contract, worker, parent=demo_tab))]
    checked = 0
    for table, dialog in forms:
        dialog.show()
        for field, widget in dialog.fields.items():
            if not widget.isVisible():
                continue
            column = COLUMN_OF.get(field, field) if table != "workers" or field == "post" else field
            caption = caption_of(dialog, widget)
            assert caption.startswith(field_label(table, column)), (table, field, caption)
            checked += 1
        dialog.done(0)
    assert checked >= 25


def test_the_history_shows_no_internal_names(demo_tab):
    store = demo_tab.store
    from app.reports.staff_xlsx import export_workers

    export_workers(store, store.path.parent / "名单.xlsx", unmasked=False)
    store.set_operator("王经办")
    internal = {c.name for t in store.db.tables for c in t.columns} | {"count", "unmasked", "file"}
    codes = {p.code for p in active_contract(store).posts}
    for entry in audit.list_changes(store):
        text = entry.describe_changes()
        named = set(re.findall(r"(?:^|；)([^：；]+)：", text))
        assert not named & internal, (entry.table_name, text)
        assert not any(re.search(rf"(?<![A-Za-z]){code}(?![A-Za-z_])", text) for code in codes), text
        assert entry.record_label not in ("*",) and not entry.record_label.isascii() or entry.record_label == ""
    labels = {e.record_label for e in audit.list_changes(store)}
    assert "经办人" in labels and "全部" in labels and "吴雪梅" in labels


def test_one_text_rule_full_width_spaces_and_middle_dots_and_search_ignores_spaces(tab, qtbot, monkeypatch):
    from PySide6.QtCore import QDate

    from tests.ui.staff.support import click_save, column_texts, drive, type_text, valid_id

    errors = []

    def fill(dialog: WorkerDialog):
        type_text(qtbot, dialog.name, "李　娜")  # the Chinese input method's space
        qtbot.keyClicks(dialog.id_number, valid_id())
        qtbot.keyClicks(dialog.phone, "13900001234")
        dialog.start_date.setDate(QDate(2026, 3, 1))
        type_text(qtbot, dialog.emergency_contact, "李　强（父亲）")
        dialog.notes.setFocus()
        type_text(qtbot, dialog.notes, "夜班　可调")
        click_save(qtbot, dialog)
        errors.append(dialog.error.text())

    drive(monkeypatch, WorkerDialog, fill)
    tab.add_worker()
    assert errors == [""]
    worker = list_workers(tab.store)[0]
    assert (worker.name, worker.emergency_contact, worker.notes) == ("李 娜", "李 强（父亲）", "夜班 可调")
    type_text(qtbot, tab.search, "李娜")
    assert column_texts(tab, "姓名") == ["李 娜"]
    tab.search.clear()

    def account(dialog: AccountsDialog):
        type_text(qtbot, dialog.account_name, "li　na")
        dialog.day.setDate(QDate(2026, 3, 1))
        dialog.try_accept()
        errors.append(dialog.error.text() if dialog.error.isVisible() else "")
        dialog.done(0)

    drive(monkeypatch, AccountsDialog, account)
    tab.view.selectRow(0)
    tab.accounts_selected()
    assert errors[-1] == ""


def test_minority_names_keep_the_middle_dot_whichever_one_was_typed():
    from app.staff import clean_name

    assert clean_name("阿依古丽・买买提") == "阿依古丽·买买提"  # katakana dot from a Japanese layout
    assert clean_name("阿依古丽 • 买买提") == "阿依古丽·买买提"
    assert clean_name("阿依古丽．买买提") == "阿依古丽·买买提"  # a full stop typed for the dot


def test_a_date_is_typed_in_one_field_and_the_calendar_reads_year_then_month(tab, qtbot):
    import datetime as dt

    from PySide6.QtCore import QDate, Qt

    from tests.ui.staff.support import type_text
    from ui.dates import DateField

    field = DateField(dt.date(2026, 11, 25))
    qtbot.addWidget(field)
    field.show()
    for typed in ("2026-12-01", "2026.12.1", "20261201", "2026/12/1", "2026年12月1日"):
        field.setFocus()
        field.selectAll()
        type_text(qtbot, field, typed)
        qtbot.keyClick(field, Qt.Key.Key_Return)  # Enter finishes the editing, as Tab does
        assert field.date() == QDate(2026, 12, 1) and field.text() == "2026-12-01", typed
    field.setText("2026-13-01")
    try:
        field.value()
    except Exception as err:  # noqa: BLE001 - the message is what counts
        assert "不是真实的日期" in str(err)
    else:
        raise AssertionError("an impossible date was taken")
    field.setDate(QDate(2026, 11, 25))
    qtbot.keyClick(field, Qt.Key.Key_F4)
    assert field.popup is not None and field.popup.isVisible()
    assert field.popup.title.text() == "2026年11月"
    qtbot.mouseClick(field.popup.next, Qt.MouseButton.LeftButton)
    assert field.popup.title.text() == "2026年12月"
    field.popup.calendar.activated.emit(QDate(2026, 12, 3))
    assert field.text() == "2026-12-03" and not field.popup.isVisible()
