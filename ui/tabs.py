"""What the main window asks of a tab, and what a tab may ask of the main window.

A tab is a QWidget in its own folder (`ui/<tab>/tab.py`) that has:

    key: str          # "staff", "roster" …: `MainWindow.tab(key)`, screenshot file names
    title: str        # the tab's label: "人员", "排班日历" …
    def on_data_changed(self, changes: Changes) -> None: ...

and is added in `MainWindow.__init__` with `self.add_tab(MyTab(store))`. That is all.

`on_data_changed` receives every committed change (`app.store.Changes`) while the tab is
the one shown; while it is hidden the window keeps the notices and hands them over, merged
into one, when the clerk comes to the tab — so a hidden tab costs nothing and is never
stale. In it a tab reloads only when `changes.touches(<tables it shows>)`; notes (a number
revealed, a list exported) change no rows. A tab that made a change itself and has already
shown it passes `origin=self` to `store.action(...)` / `store.note(...)` and may skip the
reload when `changes.origin is self`.

To open another window of the program (the change history of one record), a tab calls the
functions below with itself; they find the main window, so tabs never import it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtWidgets import QWidget

from app.store import Changes

if TYPE_CHECKING:
    from ui.history import RecordHistoryDialog
    from ui.main_window import MainWindow


@runtime_checkable
class Tab(Protocol):
    key: str
    title: str

    def on_data_changed(self, changes: Changes) -> None: ...


def main_window(widget: QWidget) -> MainWindow | None:
    """The main window holding `widget` (a tab, or a dialog opened over it), or None (a
    tab tested on its own)."""
    from ui.main_window import MainWindow

    current: QWidget | None = widget
    while current is not None and not isinstance(current, MainWindow):
        current = current.parentWidget()
    return current


def show_record_history(widget: QWidget, table: str, record_id: object,
                        title: str = "") -> RecordHistoryDialog | None:
    """历史记录 of one record, one window per record, kept up to date by the main window."""
    window = main_window(widget)
    return window.show_record_history(table, record_id, title) if window else None
