"""The grid's dialogs: fill from a rotation, carry last month forward.

Each proposes cell edits through the core's helpers (`app.roster.rotation_edits`,
`copy_month_edits`); the tab writes them as one audited, undoable action."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.roster import CellEdit, MonthRoster, parse_rotation, rotation_edits
from app.shifts import ShiftType

RED = "#b3261e"


def _save_cancel(dialog: Any) -> QDialogButtonBox:
    """保存 / 取消 in Chinese, wired to the dialog's own save and reject."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    buttons.accepted.connect(dialog.save)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("formError")
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {RED}; font-weight: bold;")
    label.hide()
    return label


class RotationDialog(QDialog):
    """轮换填充: the selected workers' days from a rotation such as 早早中中夜夜休休, the
    first code on a chosen day, each next worker a few days further along."""

    def __init__(self, roster: MonthRoster, workers: Sequence[tuple[int, str]], first: dt.date, last: dt.date,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("按轮班规律填充")
        self.roster, self.workers = roster, list(workers)
        self.types: dict[str, ShiftType] = {t.code: t for t in roster.shift_types}
        self.edits: list[CellEdit] = []
        layout = QVBoxLayout(self)
        names = "、".join(name for _, name in self.workers)
        intro = QLabel(f"为 {len(self.workers)} 人（{names}）填充乙方排班。已有的排班会被替换，可撤销（Ctrl+Z）。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.pattern = QLineEdit()
        self.pattern.setPlaceholderText("例如 早早中中夜夜休休")
        self.pattern.setToolTip("可用班次：" + "、".join(self.types))
        form.addRow("轮班规律(&R)：", self.pattern)
        self.anchor = self._date_edit(first)
        form.addRow("规律第一天(&A)：", self.anchor)
        self.first = self._date_edit(first)
        self.last = self._date_edit(last)
        form.addRow("填充自(&F)：", self.first)
        form.addRow("填充至(&T)：", self.last)
        self.to_month_end = QCheckBox("填到月底(&E)")
        self.to_month_end.toggled.connect(lambda on: self.last.setEnabled(not on))
        form.addRow("", self.to_month_end)
        self.step = QSpinBox()
        self.step.setRange(0, 62)
        self.step.setSuffix(" 天")
        self.step.setToolTip("下一位服务人员比上一位晚几天进入规律（例如 4 人轮 8 天的规律，各错开 2 天）")
        form.addRow("每人错开(&S)：", self.step)
        layout.addLayout(form)
        self.preview = QLabel()
        self.preview.setObjectName("hint")
        self.preview.setWordWrap(True)
        layout.addWidget(self.preview)
        self.error = _error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("填充")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept_rotation)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.pattern.textChanged.connect(self._suggest_step)
        for widget in (self.anchor, self.first, self.last):
            widget.dateChanged.connect(lambda _d: self._show_preview())
        self.step.valueChanged.connect(lambda _v: self._show_preview())
        self.to_month_end.toggled.connect(lambda _on: self._show_preview())
        self._show_preview()

    def _date_edit(self, day: dt.date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day))
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setCalendarPopup(True)
        edit.setMinimumDate(QDate(self.roster.first.year, self.roster.first.month, self.roster.first.day))
        edit.setMaximumDate(QDate(self.roster.last.year, self.roster.last.month, self.roster.last.day))
        return edit

    @staticmethod
    def _day(edit: QDateEdit) -> dt.date:
        return edit.date().toPython()  # type: ignore[return-value]

    def _range(self) -> tuple[dt.date, dt.date]:
        last = self.roster.last if self.to_month_end.isChecked() else self._day(self.last)
        return self._day(self.first), last

    def _suggest_step(self) -> None:
        try:
            codes = parse_rotation(self.pattern.text(), self.types)
        except UserError:
            codes = []
        if codes and len(self.workers) > 1:
            self.step.setValue(len(codes) // len(self.workers))
        self._show_preview()

    def _show_preview(self) -> None:
        first, last = self._range()
        days = (last - first).days + 1
        self.preview.setText(f"将填充 {len(self.workers)} 人 × {max(days, 0)} 天 = {len(self.workers) * max(days, 0)} 格"
                             f"（{first.month}月{first.day}日至{last.month}月{last.day}日）。")

    def accept_rotation(self) -> None:
        first, last = self._range()
        try:
            if last < first:
                raise UserError("填充至的日期不能早于填充自的日期。")
            codes = parse_rotation(self.pattern.text(), self.types)
            shift = (first - self._day(self.anchor)).days
            offsets = [(i * self.step.value() + shift) % len(codes) for i in range(len(self.workers))]
            self.edits = rotation_edits(self.roster, [w for w, _ in self.workers], first, last, self.pattern.text(),
                                        self.types, offsets=offsets)
        except UserError as err:
            self.error.setText(f"{err}".rstrip("。") + "。未做任何修改。")
            self.error.show()
            self.pattern.setFocus()
            return
        self.accept()


class CopyForwardDialog(QDialog):
    """沿用上月: last month's plan carried into this month for those serving in both."""

    def __init__(self, year: int, month: int, filled: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("沿用上月排班")
        previous = (year, month - 1) if month > 1 else (year - 1, 12)
        layout = QVBoxLayout(self)
        text = (f"把 {previous[0]} 年 {previous[1]} 月的乙方排班顺延到 {year} 年 {month} 月（两个月都在岗的服务人员）。")
        if filled:
            text += f"\n本月已有 {filled} 格排班，对应日期会被替换（可撤销）。"
        intro = QLabel(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.by_weekday = QRadioButton("按星期对齐(&W)：每天取上月同一星期几的班次（周一仍是周一）")
        self.by_rotation = QRadioButton("按轮换续排(&R)：每人的轮班规律从上月最后一天接着往下排")
        self.by_rotation.setChecked(True)
        group = QButtonGroup(self)
        for button in (self.by_rotation, self.by_weekday):
            group.addButton(button)
            layout.addWidget(button)
        hint = QLabel("节假日和调休上班日请在沿用后检查，覆盖情况行会标出缺口。")
        hint.setObjectName("hint")
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("沿用")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def by(self) -> str:
        return "weekday" if self.by_weekday.isChecked() else "rotation"


class DutyRecordDialog(QDialog):
    """值守记录 for one cell: 请假/缺岗 (with the hours missed and who served instead, 替班)
    or extra hours — what really happened against the vendor's plan."""

    def __init__(self, store, worker: tuple[int, str], day: dt.date, planned: Sequence[tuple[int, int]],
                 others: Sequence[tuple[int, str]], parent: QWidget | None = None):
        from PySide6.QtWidgets import QComboBox

        from app.duty import RECORD_TYPES

        super().__init__(parent)
        self.store, self.worker, self.day = store, worker, day
        self.record_id: int | None = None
        self.setWindowTitle("登记值守记录")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        intro = QLabel(f"{worker[1]}　{day.month}月{day.day}日：登记实际值守与乙方排班不同之处。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.kind = QComboBox()
        for code, label in RECORD_TYPES.items():
            self.kind.addItem(label, code)
        form.addRow("记录类型(&K)：", self.kind)
        start, end = planned[0] if planned else (8 * 60, 16 * 60)
        self.start = QLineEdit(f"{start // 60:02d}:{start % 60:02d}")
        self.end = QLineEdit(f"{end // 60:02d}:{end % 60:02d}" if end != 24 * 60 else "24:00")
        self.start.setToolTip("时:分，例如 08:00")
        self.end.setToolTip("时:分；早于开始时间表示次日，例如 16:00 至 08:00")
        form.addRow("从(&S)：", self.start)
        form.addRow("到(&E)：", self.end)
        self.cover = QComboBox()
        self.cover.addItem("（无人替班）", None)
        for worker_id, name in others:
            self.cover.addItem(name, worker_id)
        form.addRow("替班人员(&C)：", self.cover)
        self.note = QLineEdit()
        self.note.setPlaceholderText("例如 病假、乙方临时调整")
        form.addRow("说明(&N)：", self.note)
        layout.addLayout(form)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.error = _error_label()
        layout.addWidget(self.error)
        self.buttons = _save_cancel(self)
        layout.addWidget(self.buttons)

    def _kind_changed(self) -> None:
        extra = self.kind.currentData() == "extra"
        self.cover.setEnabled(not extra)
        if extra:
            self.cover.setCurrentIndex(0)

    def save(self) -> None:
        from app.duty import add_record

        try:
            self.record_id = add_record(self.store, self.worker[0], self.day, self.kind.currentData(),
                                        self.start.text().strip(), self.end.text().strip(),
                                        covered_by=self.cover.currentData(), note=self.note.text())
        except UserError as err:
            self.error.setText(str(err))
            self.error.show()
            return
        self.accept()


class RequirementDialog(QDialog):
    """临时服务需求: a one-off requirement the clerk adds for a date on which the contract
    says "as needed" (e.g. 10-01 审核岗 1 人 8 小时), or on top of the day's rule."""

    def __init__(self, store, posts: Sequence[tuple[str, str]], post_code: str, day: dt.date,
                 parent: QWidget | None = None):
        from PySide6.QtWidgets import QComboBox

        super().__init__(parent)
        self.store = store
        self.setWindowTitle("临时服务需求")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        intro = QLabel("合同第四条第2款“视情况适当提供服务”的日子，甲方可以为某一天提出临时服务需求；"
                       "覆盖情况随即按它核验。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.post = QComboBox()
        for code, name in posts:
            self.post.addItem(name, code)
        self.post.setCurrentIndex(max(0, self.post.findData(post_code)))
        form.addRow("岗位(&G)：", self.post)
        self.day = QDateEdit(QDate(day.year, day.month, day.day))
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setCalendarPopup(True)
        form.addRow("日期(&D)：", self.day)
        self.people = QSpinBox()
        self.people.setRange(1, 20)
        self.people.setSuffix(" 人")
        form.addRow("人数(&N)：", self.people)
        self.by_hours = QRadioButton("每人时长(&H)")
        self.by_span = QRadioButton("固定时段(&S)")
        self.by_hours.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_hours)
        group.addButton(self.by_span)
        self.hours = QLineEdit("8")
        self.hours.setToolTip("小时，例如 8 或 7.5")
        self.span = QLineEdit("10:00-16:30")
        self.span.setEnabled(False)
        self.by_span.toggled.connect(self.span.setEnabled)
        self.by_span.toggled.connect(lambda on: self.hours.setEnabled(not on))
        form.addRow(self.by_hours, self.hours)
        form.addRow(self.by_span, self.span)
        self.note = QLineEdit()
        self.note.setPlaceholderText("例如 国庆节值守安排的通知")
        form.addRow("说明(&M)：", self.note)
        layout.addLayout(form)
        self.error = _error_label()
        layout.addWidget(self.error)
        self.buttons = _save_cancel(self)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        from app.coverage import add_requirement

        try:
            day = self.day.date().toPython()
            if self.by_hours.isChecked():
                add_requirement(self.store, self.post.currentData(), day, people=self.people.value(),
                                hours=self.hours.text().strip() or "0", note=self.note.text())
            else:
                start, _, end = self.span.text().replace("～", "-").replace("~", "-").partition("-")
                add_requirement(self.store, self.post.currentData(), day, people=self.people.value(),
                                start=start.strip(), end=end.strip(), note=self.note.text())
        except UserError as err:
            self.error.setText(str(err))
            self.error.show()
            return
        self.accept()
