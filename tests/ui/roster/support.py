"""Helpers for the 排班日历 UI tests: find a worker's row, select cells, type as the clerk does."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from app.roster import cell_label, month_roster


def row_of(tab, name: str) -> int:
    model = tab.model
    return next(i for i, r in enumerate(model.rows) if r.worker is not None and r.worker.name == name)


def column_of(tab, day: int) -> int:
    return day - 1


def shown(tab, name: str, day: int) -> str:
    return tab.model.index(row_of(tab, name), column_of(tab, day)).data()


def stored(store, name: str, year: int, month: int, day: int) -> str:
    roster = month_roster(store, year, month)
    row = next(r for r in roster.rows() if r.name == name)
    return cell_label(row.cells[day - 1])


def select(tab, name: str, first_day: int, last_day: int | None = None, last_name: str | None = None) -> None:
    """Select the block from (name, first_day) to (last_name, last_day), as a mouse drag would."""
    model = tab.model
    top, left = row_of(tab, name), column_of(tab, first_day)
    bottom = row_of(tab, last_name or name)
    right = column_of(tab, last_day or first_day)
    tab.view.setFocus()
    tab.view.setCurrentIndex(model.index(top, left))
    selection = QItemSelection(model.index(top, left), model.index(bottom, right))
    tab.view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)


def press(tab, text: str) -> None:
    """Keys typed on the grid: ASCII through QTest, Chinese as the input method commits it."""
    from pytestqt.qtbot import QtBot  # noqa: F401 — only to make the dependency explicit

    for ch in text:
        for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
            QApplication.sendEvent(tab.view, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def november(day: int) -> dt.date:
    return dt.date(2026, 11, day)
