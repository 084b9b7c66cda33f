from __future__ import annotations

import pytest


@pytest.fixture
def demo_store(file_store):
    from app.demo import fill_demo

    fill_demo(file_store)
    return file_store


@pytest.fixture
def roster_tab(qtbot, demo_store):
    """The 排班日历 tab on its own, on the demo staff, showing November 2026 (today's month)."""
    from ui.app import create_application
    from ui.roster.tab import RosterTab

    create_application([])
    tab = RosterTab(demo_store)
    demo_store.subscribe(tab.on_data_changed)  # as the main window's data_changed does
    qtbot.addWidget(tab)
    tab.resize(1180, 700)
    tab.show()
    qtbot.waitExposed(tab)
    return tab
