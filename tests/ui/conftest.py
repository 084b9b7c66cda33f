from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/tests/ui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def window(qtbot, file_store):
    from ui.app import create_application
    from ui.main_window import MainWindow

    create_application([])
    win = MainWindow(file_store)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    # Delete the window now: closed-but-alive windows pile up and every later test pays
    # for them (style sheets and font changes are re-applied to each live widget).
    from PySide6.QtCore import QCoreApplication, QEvent

    win.close()
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
