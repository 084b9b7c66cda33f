"""The 扣分 form of 月度考核: 考核项目, 扣分, 日期, 扣分事由, one message line, four buttons.

Laid out for a 1092×580 window beside the scores table: 扣分 and 日期 share a row, the
buttons sit two by two, and the message line (the live preview, or the refusal in red) has a
fixed height — a long refusal is cut to two lines with the whole text as its tooltip, so an
error never pushes the deduction list out of sight. The buttons are short words in one row
(their tooltips say the rest).

The date starts empty: the clerk writes the day the incident happened (8, 11-8 or a full
date; the core reads it, app.assessment.parse_deduction_date). After a deduction is added
the date stays for the next one of the same month — a stack of notes is usually sorted by
day — and comes back when she returns to that month.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QStackedLayout,
    QWidget,
)

from app.assessment import Deduction, month_bounds, parse_deduction_date
from app.assessment_template import fmt_points
from app.errors import UserError, ValidationError
from ui.forms import DateField, qdate
from ui.models import Column

RED = "#b3261e"



def deduction_columns(item_names: dict[int, str]) -> list[Column[Deduction]]:
    """The deduction list above the form; `item_names` (criterion number → name, of the
    selected worker's template) is filled by the page as she selects a worker."""
    return [
        Column("日期", lambda d: d.date.isoformat()),
        Column("考核项目", lambda d: item_names.get(d.criterion, str(d.criterion))),
        Column("扣分", lambda d: fmt_points(d.points), align=Qt.AlignmentFlag.AlignCenter),
        Column("扣分事由", lambda d: d.describe().split(" ", 1)[1], tooltip=lambda d: d.describe()),
    ]


class LinesLabel(QLabel):
    """A word-wrapped label of a fixed number of lines (the whole text in its tooltip where
    it is longer). It never asks its layout for more height: a wrapped QLabel reports
    height-for-width, and a QScrollArea then sizes the whole panel by preferred heights,
    squeezing nothing and scrolling instead."""

    def __init__(self, lines: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setFixedHeight(lines * self.fontMetrics().lineSpacing() + 4)

    def hasHeightForWidth(self) -> bool:
        return False


class DayField(DateField):
    """A date within one month: empty until the clerk writes it; 8 or 11-8 becomes the
    full date when she leaves the field; the calendar opens on the month."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(None, parent)
        self.month: tuple[int, int] | None = None
        self.clear()

    def set_month(self, year: int, month: int) -> None:
        self.month = (year, month)
        first, last = month_bounds(year, month)
        self.setPlaceholderText(f"{month}月{first.day}–{last.day}日")
        self.setToolTip(f"发生扣分情形的日期，{first.isoformat()} 至 {last.isoformat()}：可只写几日（8 即 {month}月8日），"
                        "或 11-8、2026-11-08；F4 打开日历")

    def _parsed(self) -> dt.date | None:
        if self.month is None or not self.text().strip():
            return None
        try:
            return parse_deduction_date(self.text(), *self.month)
        except ValidationError:
            return None

    def _take_typed(self) -> None:
        day = self._parsed()
        if day is not None:
            text = day.isoformat()
            if self.text() != text:
                self.setText(text)
            self._set(qdate(day))

    def date(self) -> QDate:
        day = self._parsed()
        if day is None and self.month is not None:
            day = month_bounds(*self.month)[0]  # the calendar opens on the month being scored
        return qdate(day) if day else super().date()


class DeductionForm(QGroupBox):
    """The form; the page connects the buttons and passes what was typed to the core."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("扣分", parent)
        form = QFormLayout(self)
        form.setContentsMargins(6, 2, 6, 4)
        form.setVerticalSpacing(5)
        self.criterion = QComboBox()
        self.criterion.setMinimumContentsLength(8)
        self.criterion.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.points = QLineEdit()
        self.points.setPlaceholderText("如 2 或 0.5")
        self.points.setMaximumWidth(90)
        self.date = DayField()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("扣分事由（Ctrl+Enter 添加）")
        points_and_date = QHBoxLayout()
        points_and_date.setContentsMargins(0, 0, 0, 0)
        date_label = QLabel("日期(&A)：")
        date_label.setBuddy(self.date)
        points_and_date.addWidget(self.points)
        points_and_date.addSpacing(8)
        points_and_date.addWidget(date_label)
        points_and_date.addWidget(self.date, 1)
        form.addRow("考核项目(&X)：", self.criterion)
        points_label = QLabel("扣分(&N)：")
        points_label.setBuddy(self.points)  # a row holding a layout gets no buddy by itself
        form.addRow(points_label, points_and_date)
        form.addRow("扣分事由(&Z)：", self.reason)

        # One line of fixed height: the preview, or the refusal in its place.
        self.preview = LinesLabel(2)
        self.preview.setObjectName("hint")
        self.error = LinesLabel(2)
        self.error.setObjectName("formError")
        self.error.setStyleSheet(f"color: {RED}; font-weight: bold;")
        self.message = QWidget()
        self.message.setFixedHeight(self.error.height())
        self.message_stack = QStackedLayout(self.message)
        self.message_stack.setContentsMargins(0, 0, 0, 0)
        self.message_stack.addWidget(self.preview)
        self.message_stack.addWidget(self.error)
        form.addRow(self.message)

        self.add_button = QPushButton("添加扣分(&K)")
        self.add_button.setToolTip("添加这条扣分（在扣分、日期或扣分事由里按 Ctrl+Enter 也可以）")
        self.remove_button = QPushButton("撤回(&W)")
        self.remove_button.setToolTip("撤回上面扣分明细中所选的一条扣分")
        self.full_button = QPushButton("满分(&M)")
        self.full_button.setToolTip("所选服务人员本月没有扣分：按满分（无扣分）评分")
        self.all_button = QPushButton("其余满分(&Q)")
        self.all_button.setToolTip("本月还没有评分的其余服务人员都按满分（无扣分）评分")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        for button in self.buttons():
            row.addWidget(button)
        form.addRow(row)

        self.fields: dict[str, QWidget] = {"criterion": self.criterion, "points": self.points, "date": self.date,
                                            "reason": self.reason}
        self._dates: dict[tuple[int, int], str] = {}
        for widget in (self.points, self.reason, self.date):
            widget.textEdited.connect(lambda _t: self.clear_error())
        self.criterion.activated.connect(lambda _i: self.clear_error())
        # Paper-form order: item, points, date, reason, then the buttons.
        QWidget.setTabOrder(self.criterion, self.points)
        QWidget.setTabOrder(self.points, self.date)
        QWidget.setTabOrder(self.date, self.reason)
        QWidget.setTabOrder(self.reason, self.add_button)
        QWidget.setTabOrder(self.add_button, self.remove_button)
        QWidget.setTabOrder(self.remove_button, self.full_button)
        QWidget.setTabOrder(self.full_button, self.all_button)

    # --- the month and its remembered date ---------------------------------------------------

    def set_month(self, year: int, month: int) -> None:
        """Show the month's range as the date's placeholder and the date last used in it."""
        if self.date.month is not None:
            self._dates[self.date.month] = self.date.text()
        self.date.set_month(year, month)
        self.date.setText(self._dates.get((year, month), ""))

    def remember_date(self) -> None:
        if self.date.month is not None:
            self._dates[self.date.month] = self.date.text()

    # --- messages -------------------------------------------------------------------------

    def show_error(self, err: UserError) -> None:
        """The refusal in the message line, the keyboard in the field it names."""
        self.error.setText(str(err))
        self.error.setToolTip(str(err))
        self.message_stack.setCurrentWidget(self.error)
        widget = self.fields.get(getattr(err, "field", None) or "")
        if widget is not None and widget.isEnabled():
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(widget, QLineEdit):
                widget.selectAll()

    def clear_error(self) -> None:
        self.error.setText("")
        self.error.setToolTip("")
        self.message_stack.setCurrentWidget(self.preview)

    def buttons(self) -> tuple[QPushButton, ...]:
        return self.add_button, self.remove_button, self.full_button, self.all_button
