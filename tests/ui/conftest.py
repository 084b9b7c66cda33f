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


@pytest.fixture(autouse=True)
def _synchronous_tasks(monkeypatch):
    """Slow work runs at once on the test's thread (ui/tasks.py)."""
    import ui.tasks

    monkeypatch.setattr(ui.tasks, "SYNCHRONOUS", True)


class Recorder:
    """Stands in for QMessageBox: records each message instead of showing a modal box."""

    def __init__(self, answer=None):
        self.calls: list[tuple[str, str, str]] = []
        self.answer = answer

    def _record(self, kind):
        def show(parent, title, text, *args, **kwargs):
            self.calls.append((kind, title, text))
            return self.answer
        return show

    def __getattr__(self, kind):
        if kind in ("information", "warning", "critical", "question", "about"):
            return self._record(kind)
        from PySide6.QtWidgets import QMessageBox

        return getattr(QMessageBox, kind)

    def texts(self, kind=None) -> str:
        return "\n".join(text for k, _, text in self.calls if kind is None or k == kind)


@pytest.fixture
def messages(monkeypatch):
    """Every module's QMessageBox replaced by one Recorder; an unexpected error's dialog
    (ui.errors) is recorded as kind "error", its text being the technical information."""
    import ui.backup_dialogs
    import ui.errors
    import ui.history
    import ui.main_window
    import ui.startup

    recorder = Recorder()
    for module in (ui.backup_dialogs, ui.errors, ui.history, ui.main_window, ui.startup):
        monkeypatch.setattr(module, "QMessageBox", recorder)
    monkeypatch.setattr(ui.errors, "_present",
                        lambda dialog: recorder.calls.append(("error", dialog.windowTitle(), dialog.details)))
    return recorder


# --- the 人员 tab (tests/ui/test_staff_*.py) ---------------------------------------------

@pytest.fixture(autouse=True)
def fresh_file_dialog_folder(monkeypatch):
    """The remembered import/export folder is per session; each test starts without one."""
    import ui.folders

    monkeypatch.setattr(ui.folders, "_last_folder", None)


@pytest.fixture
def tab(window):
    window.show_tab("staff")
    return window.tab("staff")


@pytest.fixture
def demo_tab(window):
    from app.demo import fill_demo

    fill_demo(window.store)
    window.show_tab("staff")
    return window.tab("staff")
