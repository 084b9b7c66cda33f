"""The seam between the main window and its tabs (ui/tabs.py): one small protocol, change
notices that say what changed and who changed it, hidden tabs brought up to date when shown."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from app.staff import add_worker
from app.store import Changes, Note
from ui import tabs
from ui.placeholder_tab import PlaceholderTab


class CountingTab(PlaceholderTab):
    """A tab that records every notice it is handed."""

    def __init__(self, key: str):
        super().__init__(key, key, "测试")
        self.heard: list[Changes] = []

    def on_data_changed(self, changes: Changes) -> None:
        self.heard.append(changes)


def worker(n: int) -> dict:
    from app.idcard import check_char

    first17 = f"11010119880314{n:03d}"
    return {"name": "测试" + "甲乙丙丁"[n], "id_number": first17 + check_char(first17), "phone": f"139000000{n:02d}",
            "post": "机动", "start_date": "2026-11-01", "gender": "男" if n % 2 else "女"}


@pytest.fixture
def two_tabs(window):
    shown, hidden = CountingTab("shown"), CountingTab("hidden")
    window.add_tab(shown)
    window.add_tab(hidden)
    window.tabs.setCurrentWidget(shown)
    return shown, hidden


def test_the_shown_tab_hears_at_once_a_hidden_one_when_it_is_shown(window, two_tabs):
    shown, hidden = two_tabs
    add_worker(window.store, worker(1))
    with window.store.action("两项修改", origin=shown) as act:
        act.insert("settings", {"key": "k", "value": "v"}, pk="key")
    assert [c.tables for c in shown.heard] == [frozenset({"workers", "worker_posts"}), frozenset({"settings"})]
    assert shown.heard[1].origin is shown and shown.heard[1].operator == window.store.operator
    assert hidden.heard == []
    window.show_tab("hidden")
    [merged] = hidden.heard  # both notices as one, the moment the clerk comes to the tab
    assert merged.tables == {"workers", "worker_posts", "settings"} and merged.origin is None
    window.show_tab("shown")
    window.show_tab("hidden")
    assert len(hidden.heard) == 1  # nothing new: no second reload


def test_a_hidden_staff_tab_shows_a_worker_added_meanwhile(window):
    window.show_tab("overview")
    add_worker(window.store, worker(2))
    window.show_tab("staff")
    assert [w.name for w in window.tab("staff").model.rows()] == ["测试丙"]


def test_a_note_changes_no_rows_so_revealing_a_number_reloads_nothing(window, monkeypatch):
    from app.demo import fill_demo

    fill_demo(window.store)
    window.show_tab("staff")
    staff = window.tab("staff")
    staff.view.selectRow(0)
    reloads, heard = [], []
    monkeypatch.setattr(staff, "refresh", lambda: reloads.append(1))
    window.data_changed.connect(heard.append)
    staff.toggle_reveal()
    [changes] = heard
    assert changes.tables == frozenset() and changes.notes == (Note("reveal", "workers", str(staff.selected_worker().id)),)
    assert reloads == []  # the tab shows the number itself, in place; nothing reloads the table
    assert changes.audited("workers") and not changes.touches("workers")


def test_a_record_history_open_on_screen_shows_the_reveal(window):
    from app.demo import fill_demo

    fill_demo(window.store)
    window.show_tab("staff")
    staff = window.tab("staff")
    staff.view.selectRow(0)
    dialog = tabs.show_record_history(staff, "workers", staff.selected_worker().id, "服务人员")
    before = dialog.model.rowCount()
    staff.toggle_reveal()
    assert dialog.model.rowCount() == before + 1


def test_only_a_tab_can_be_added(window):
    with pytest.raises(TypeError):
        window.add_tab(QWidget())
    assert isinstance(window.tab("staff"), tabs.Tab) and tabs.main_window(window.tab("overview")) is window
    assert tabs.main_window(QWidget()) is None
