"""班次设置: the codes the vendor's roster is written in — code, name, times (may cross
midnight), unpaid break, colour. The rules (a type in use is never deleted, new times
apply from a month on and never to past months) are `app.shifts`'."""
from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.errors import UserError
from app.shifts import ShiftType, add_shift_type, clock_text, delete_shift_type, list_shift_types, update_shift_type
from app.store import Store
from ui.models import Column, RecordTableModel, make_table

RED = "#b3261e"

COLUMNS: list[Column[ShiftType]] = [
    Column("代码", lambda t: t.code),
    Column("名称", lambda t: t.name),
    Column("时间", lambda t: t.times_text()),
    Column("休息（分钟）", lambda t: str(t.break_minutes) if t.break_minutes else ""),
    Column("计工时（小时）", lambda t: f"{t.paid_minutes / 60:g}" if not t.is_rest else "0"),
    Column("颜色", lambda t: t.colour),
]


class ShiftTypesDialog(QDialog):
    """The list of shift types with a form below: choose a row to change it, 新增 to add."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.editing: ShiftType | None = None
        self.setWindowTitle("班次设置")
        self.resize(640, 520)
        layout = QVBoxLayout(self)
        hint = QLabel("乙方排班表中使用的班次。结束时间早于开始时间表示到次日（例如 16:00 至 08:00）；"
                      "开始、结束都不填为休息。已在排班中用过的班次不能删除；改它的时间从本月或以后某月起生效，"
                      "之前月份的排班保持原来的时间。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.model: RecordTableModel[ShiftType] = RecordTableModel(COLUMNS, parent=self)
        self.view = make_table(self.model, self)
        self.view.selectionModel().currentRowChanged.connect(lambda current, _prev: self._edit_row(current.row()))
        layout.addWidget(self.view, 1)
        form = QFormLayout()
        self.code = QLineEdit()
        self.code.setMaxLength(4)
        self.name = QLineEdit()
        self.start = QLineEdit()
        self.start.setPlaceholderText("08:00")
        self.end = QLineEdit()
        self.end.setPlaceholderText("16:00")
        self.break_minutes = QSpinBox()
        self.break_minutes.setRange(0, 240)
        self.break_minutes.setSuffix(" 分钟")
        self.colour = QLineEdit()
        self.colour.setPlaceholderText("#CFE8FF")
        pick = QPushButton("选择颜色…")
        pick.clicked.connect(self._pick_colour)
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.colour, 1)
        colour_row.addWidget(pick)
        self.from_month = QLineEdit()
        today = clock.today()
        self.from_month.setText(f"{today.year}-{today.month:02d}")
        self.from_month.setToolTip("已用过的班次改时间时，从哪个月起生效（YYYY-MM，不能早于本月）")
        form.addRow("代码(&C)：", self.code)
        form.addRow("名称(&N)：", self.name)
        form.addRow("开始(&S)：", self.start)
        form.addRow("结束(&E)：", self.end)
        form.addRow("休息(&B)：", self.break_minutes)
        form.addRow("颜色(&O)：", colour_row)
        form.addRow("新时间生效月份(&M)：", self.from_month)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {RED}; font-weight: bold;")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("新增(&A)")
        self.save_button = QPushButton("保存(&V)")
        self.delete_button = QPushButton("删除(&D)")
        close = QPushButton("关闭")
        self.new_button.clicked.connect(self._new)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        close.clicked.connect(self.accept)
        for button in (self.new_button, self.save_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.refresh()
        self._new()

    def refresh(self) -> None:
        self.model.set_rows(list_shift_types(self.store))

    def _edit_row(self, row: int) -> None:
        if row < 0:
            return
        shift_type = self.model.row_at(row)
        self.editing = shift_type
        self.code.setText(shift_type.code)
        self.name.setText(shift_type.name)
        self.start.setText("" if shift_type.start is None else clock_text(shift_type.start))
        self.end.setText("" if shift_type.end is None else clock_text(shift_type.end))
        self.break_minutes.setValue(shift_type.break_minutes)
        self.colour.setText(shift_type.colour)
        self.delete_button.setEnabled(True)
        self.error.hide()

    def _new(self) -> None:
        self.editing = None
        self.view.clearSelection()
        for field in (self.code, self.name, self.start, self.end, self.colour):
            field.clear()
        self.break_minutes.setValue(0)
        self.delete_button.setEnabled(False)
        self.code.setFocus()

    def _pick_colour(self) -> None:
        colour = QColorDialog.getColor(QColor(self.colour.text() or "#FFFFFF"), self, "班次颜色")
        if colour.isValid():
            self.colour.setText(colour.name().upper())

    def _data(self) -> dict[str, Any]:
        return {"code": self.code.text(), "name": self.name.text(), "start": self.start.text(),
                "end": self.end.text(), "break_minutes": self.break_minutes.value(),
                "colour": self.colour.text() or "#FFFFFF"}

    def _show(self, err: UserError) -> None:
        self.error.setText(str(err))
        self.error.show()

    def save(self) -> None:
        try:
            if self.editing is None:
                add_shift_type(self.store, self._data())
            else:
                update_shift_type(self.store, self.editing.id, self._data(), from_month=self._from_month())
        except UserError as err:
            self._show(err)
            return
        self.error.hide()
        self.refresh()
        self._new()

    def _from_month(self) -> tuple[int, int] | None:
        text = self.from_month.text().strip()
        try:
            year, month = (int(part) for part in text.replace("年", "-").rstrip("月").split("-"))
        except ValueError:
            raise UserError(f"生效月份“{text}”应写成 YYYY-MM，例如 2026-12。") from None
        if not 1 <= month <= 12:
            raise UserError(f"生效月份“{text}”应写成 YYYY-MM，例如 2026-12。")
        return year, month

    def delete(self) -> None:
        if self.editing is None:
            return
        if QMessageBox.question(self, "删除班次", f"删除班次“{self.editing.code}”？",
                                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return
        try:
            delete_shift_type(self.store, self.editing.id)
        except UserError as err:
            self._show(err)
            return
        self.refresh()
        self._new()
