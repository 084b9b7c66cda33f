"""Helpers shared by the 人员 tab's UI tests (its fixtures are in conftest.py)."""
from __future__ import annotations

from PySide6.QtCore import Qt

from app.idcard import check_char


def valid_id(birth: str = "19900307", seq: int = 124) -> str:
    first17 = f"110101{birth}{seq:03d}"
    return first17 + check_char(first17)


def cell(tab, row: int, header: str) -> str:
    model = tab.view.model()
    column = next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == header)
    return model.index(row, column).data()


def column_texts(tab, header: str) -> list[str]:
    return [cell(tab, r, header) for r in range(tab.view.model().rowCount())]


def type_text(qtbot, widget, text: str) -> None:
    """Type like the keyboard (ASCII) or the Chinese input method (committed characters:
    QTest only knows ASCII keys)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def drive(monkeypatch, dialog_class, steps):
    """Run `steps(dialog)` on the real dialog instead of blocking in exec()."""
    seen = []

    def fake_exec(self):
        self.show()
        seen.append(self)
        steps(self)
        return self.result()

    monkeypatch.setattr(dialog_class, "exec", fake_exec)
    return seen


def click_save(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.buttons()[0] if dialog.buttons.buttons()[0].text().startswith("保存")
                     else dialog.buttons.buttons()[1], Qt.MouseButton.LeftButton)


def select_row_of(qtbot, tab, name: str) -> None:
    row = column_texts(tab, "姓名").index(name)
    rect = tab.view.visualRect(tab.view.model().index(row, 0))
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
