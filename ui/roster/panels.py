"""Below the grid: the month's gaps, 人力测算 and the working-hours 提示 (clause 五.1).

Hours findings are the vendor's compliance with labour law: shown as 提示 for the clerk to
raise with the vendor, never as a refusal of the vendor's plan."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from app.shifts import format_range
from ui.models import Column, RecordTableModel, make_table

RED = "#b3261e"
GREEN = "#1e6b2e"
WEEKDAYS = "一二三四五六日"


def _hours(minutes: int) -> str:
    value = minutes / 60
    return f"{value:.0f}" if minutes % 60 == 0 else f"{value:.1f}"


GAP_COLUMNS: list[Column[Any]] = [
    Column("日期", lambda g: f"{g.date.month}月{g.date.day}日 星期{WEEKDAYS[g.date.weekday()]}", lambda g: g.date),
    Column("岗位", lambda g: g.post_name),
    Column("缺口", lambda g: g.describe(), foreground=lambda g: RED),
    Column("可补位的服务人员（提示，由乙方安排）", lambda g: "、".join(g.could_cover) or "（本岗位无人可在法定工时内补位）"),
]
CAPACITY_COLUMNS: list[Column[Any]] = [
    Column("岗位", lambda p: p.post.name),
    Column("本月需覆盖（小时）", lambda p: _hours(p.required_minutes), lambda p: p.required_minutes),
    Column("本岗位服务人员", lambda p: f"{p.workers} 人", lambda p: p.workers),
    Column("法定工时内最多（小时）", lambda p: _hours(p.capacity_minutes), lambda p: p.capacity_minutes),
    Column("测算", lambda p: ("够用" if p.enough else f"不够：至少需要 {p.workers_needed} 人")
           if p.required_minutes else "本月无固定要求",
           foreground=lambda p: None if p.enough or not p.required_minutes else RED),
    Column("说明", lambda p: f"每人 {p.working_days} 个工作日 × 8 小时 + 加班上限 36 小时 = {_hours(p.per_worker_minutes)} 小时",
           tooltip=lambda p: p.describe()),
]
HOURS_COLUMNS: list[Column[Any]] = [
    Column("姓名", lambda w: w.name),
    Column("工时制度", lambda w: w.scheme.label),
    Column("本月工时", lambda w: _hours(w.minutes), lambda w: w.minutes),
    Column("标准工时", lambda w: _hours(w.standard_minutes), lambda w: w.standard_minutes),
    Column("加班", lambda w: _hours(w.overtime_minutes), lambda w: w.overtime_minutes,
           foreground=lambda w: RED if w.overtime_minutes > 36 * 60 else None),
    Column("提示", lambda w: "；".join(w.warnings) or "无", tooltip=lambda w: "\n".join(w.warnings),
           foreground=lambda w: RED if w.warnings else GREEN),
]


RECORD_COLUMNS: list[Column[Any]] = [
    Column("日期", lambda r: f"{r.date.month}月{r.date.day}日 星期{WEEKDAYS[r.date.weekday()]}", lambda r: r.date),
    Column("服务人员", lambda r: r.worker_name),
    Column("类型", lambda r: r.type_label),
    Column("时间", lambda r: format_range(r.start, r.end)),
    Column("小时", lambda r: _hours(r.minutes), lambda r: r.minutes),
    Column("替班人员", lambda r: r.covered_by_name),
    Column("说明", lambda r: r.note),
]


GAP_HINT = "按合同第四条第2款逐日核验的缺口；双击一行可在表中定位。可补位人员只是供乙方参考的提示。"


def _page(hint: str, view: QWidget) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 4, 0, 0)
    label = QLabel(hint)
    label.setObjectName("hint")
    label.setWordWrap(True)
    layout.addWidget(label)
    layout.addWidget(view, 1)
    return page


class RosterPanels(QTabWidget):
    """The three lists under the grid; double-clicking a gap shows its day in the grid."""

    gap_chosen = Signal(object)  # app.coverage.Gap
    record_delete_requested = Signal(object)  # app.duty.DutyRecord

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.gap_model: RecordTableModel[Any] = RecordTableModel(GAP_COLUMNS, parent=self)
        self.gap_view = make_table(self.gap_model, self)
        self.gap_view.doubleClicked.connect(lambda i: self.gap_chosen.emit(self.gap_model.row_at(i.row())))
        self.capacity_model: RecordTableModel[Any] = RecordTableModel(CAPACITY_COLUMNS, parent=self)
        self.capacity_view = make_table(self.capacity_model, self)
        self.hours_model: RecordTableModel[Any] = RecordTableModel(HOURS_COLUMNS, parent=self)
        self.hours_view = make_table(self.hours_model, self)
        self.gap_page = _page(GAP_HINT, self.gap_view)
        self.addTab(self.gap_page, "缺口")
        self.addTab(_page("人力测算：本月各岗位需覆盖的小时数，与本岗位服务人员在法定工时内最多能提供的小时数"
                          "（全年平均每月 20.83 天、166.64 小时）。", self.capacity_view), "人力测算")
        self.addTab(_page("乙方服务人员的工时提示（合同第五条第1款：乙方遵守国家工时规定）。仅作提示，"
                          "供经办人与乙方沟通，不影响排班录入。", self.hours_view), "工时提示")
        self.record_model: RecordTableModel[Any] = RecordTableModel(RECORD_COLUMNS, parent=self)
        self.record_view = make_table(self.record_model, self)
        self.records_page = _page("值守记录：实际值守与乙方排班不同之处（请假/缺岗、替班、加班）。在表中选中一格后按"
                                  " Alt+D 登记；选中一条记录按 Delete 删除。“按实际值守”查看覆盖情况。", self.record_view)
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.record_view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._delete_current_record)
        self.addTab(self.records_page, "值守记录")

    def _delete_current_record(self) -> None:
        index = self.record_view.currentIndex()
        if index.isValid():
            self.record_delete_requested.emit(self.record_model.row_at(index.row()))

    def show_month(self, coverage: Any, hours: Any, records: list[Any] | None = None) -> None:
        self.record_model.set_rows(list(records or []))
        self.setTabText(3, f"值守记录（{len(records)}）" if records else "值守记录")
        gaps = list(coverage.gaps) if coverage is not None else []
        self.gap_model.set_rows(gaps)
        self.setTabText(0, f"缺口（{len(gaps)}）" if gaps else "缺口（无）")
        hint = self.gap_page.findChild(QLabel)
        if coverage is not None and not gaps:
            basis = "实际值守" if coverage.actual else "乙方排班"
            hint.setText(f"按{basis}，本月各岗位每天均已按合同第四条第2款覆盖，没有缺口。")
        else:
            hint.setText(GAP_HINT)
        self.capacity_model.set_rows(list(hours.posts) if hours is not None else [])
        warned = [w for w in hours.workers if w.warnings] if hours is not None else []
        rows = warned + [w for w in (hours.workers if hours is not None else []) if not w.warnings]
        self.hours_model.set_rows(rows)
        self.setTabText(2, f"工时提示（{len(warned)}）" if warned else "工时提示")
        short = [p for p in (hours.posts if hours is not None else []) if p.required_minutes and not p.enough]
        self.setTabText(1, f"人力测算（{len(short)} 个岗位不够）" if short else "人力测算")
