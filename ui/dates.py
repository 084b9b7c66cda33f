"""A date typed in one field, with a calendar pop-up whose header reads 2026年11月.

QDateEdit splits a date into three sections, so 20261201 or 2026.12.1 typed in one go
lands in the wrong places, and its calendar's header follows the locale ("十一月 2026").
Here the clerk types the date as she would write it (2026-12-01, 2026/12/1, 2026.12.1,
20261201, 2026年12月1日 — the core's `parse_date` decides), or picks it from the pop-up
(F4 or Alt+↓ opens it from the keyboard).
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (QCalendarWidget, QFrame, QHBoxLayout, QLabel, QLineEdit, QToolButton, QVBoxLayout,
                               QWidget)

from app import clock
from app.errors import ValidationError
from app.staff import parse_date

MONTH_FORMAT = "{year}年{month}月"


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def month_title(year: int, month: int) -> str:
    return MONTH_FORMAT.format(year=year, month=month)


def _calendar_icon() -> QIcon:
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QColor("#5f6368"))
    painter.drawRect(1, 2, 13, 12)
    painter.fillRect(1, 2, 14, 4, QColor("#5f6368"))
    for x in (4, 8, 12):
        for y in (8, 11):
            painter.drawPoint(x, y)
    painter.end()
    return QIcon(pixmap)


class CalendarPopup(QFrame):
    """The month grid with a header of our own: ‹ 2026年11月 ›."""

    picked = Signal(QDate)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        header = QHBoxLayout()
        self.previous = QToolButton()
        self.previous.setText("‹")
        self.previous.setToolTip("上个月（Page Up）")
        self.next = QToolButton()
        self.next.setText("›")
        self.next.setToolTip("下个月（Page Down）")
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setObjectName("calendarTitle")
        header.addWidget(self.previous)
        header.addWidget(self.title, 1)
        header.addWidget(self.next)
        layout.addLayout(header)
        self.calendar = QCalendarWidget()
        self.calendar.setNavigationBarVisible(False)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        layout.addWidget(self.calendar)
        self.previous.clicked.connect(self.calendar.showPreviousMonth)
        self.next.clicked.connect(self.calendar.showNextMonth)
        self.calendar.currentPageChanged.connect(self._show_title)
        self.calendar.activated.connect(self._pick)
        self.calendar.clicked.connect(self._pick)

    def _show_title(self, year: int, month: int) -> None:
        self.title.setText(month_title(year, month))

    def open_at(self, day: QDate, where: QPoint) -> None:
        self.calendar.setSelectedDate(day)
        self.calendar.setCurrentPage(day.year(), day.month())
        self._show_title(day.year(), day.month())
        self.move(where)
        self.show()
        self.calendar.setFocus()

    def _pick(self, day: QDate) -> None:
        self.hide()
        self.picked.emit(day)


class DateField(QLineEdit):
    """One field for a date; `date()`/`setDate()`/`dateChanged` as QDateEdit has them."""

    dateChanged = Signal(QDate)  # noqa: N815 - Qt's name, so it reads like QDateEdit

    def __init__(self, day: dt.date | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._date = qdate(day or clock.today())
        self.setText(self._date.toString("yyyy-MM-dd"))
        self.setPlaceholderText("例如 2026-12-01")
        self.setToolTip("可直接输入 2026-12-01、2026.12.1 或 20261201；F4 打开日历")
        self.setMaxLength(20)
        self.setMinimumWidth(120)
        self.popup: CalendarPopup | None = None
        action = self.addAction(_calendar_icon(), QLineEdit.ActionPosition.TrailingPosition)
        action.setToolTip("选择日期（F4）")
        action.triggered.connect(self.open_calendar)
        self.editingFinished.connect(self._take_typed)

    # --- the QDateEdit-like interface ---------------------------------------------------

    def date(self) -> QDate:
        self._take_typed()
        return self._date

    def setDate(self, day: QDate) -> None:
        self.setText(day.toString("yyyy-MM-dd"))
        self._set(day)

    def value(self) -> dt.date:
        """The date typed, or ValidationError naming what is wrong with the text."""
        parsed = parse_date(self.text(), "date", required=True, label="日期")
        assert parsed is not None
        self._set(qdate(parsed))
        return parsed

    # --- typing and picking -----------------------------------------------------------------

    def _set(self, day: QDate) -> None:
        if day != self._date:
            self._date = day
            self.dateChanged.emit(day)

    def _take_typed(self) -> None:
        """A date typed in any accepted form is shown as 2026-12-01; other text stays for
        the form's message (value() says what is wrong)."""
        try:
            parsed = parse_date(self.text(), "date", label="日期")
        except ValidationError:
            return
        if parsed is not None:
            day = qdate(parsed)
            if self.text() != day.toString("yyyy-MM-dd"):
                self.setText(day.toString("yyyy-MM-dd"))
            self._set(day)

    def open_calendar(self) -> None:
        if self.popup is None:
            self.popup = CalendarPopup(self)
            self.popup.picked.connect(self._picked)
        self.popup.open_at(self.date(), self.mapToGlobal(QPoint(0, self.height())))

    def _picked(self, day: QDate) -> None:
        self.setDate(day)
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        if event.key() == Qt.Key.Key_F4 or alt_down:
            self.open_calendar()
            return
        super().keyPressEvent(event)
