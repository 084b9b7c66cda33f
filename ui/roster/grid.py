"""The month grid of the vendor's plan: a Qt model over one month, and the view that takes
the clerk's keyboard.

Rows are grouped by post: a heading row (the post and its rule), one row per worker serving
on it that month, then the post's 覆盖情况 row. Columns are the month's days, then 工时.
The model only shows; every change goes out as `cells_edited({(worker, date): text})` and
comes back through the core (validated, audited) and a refresh.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import Enum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.workcalendar import CalendarDay, DayKind

Index = QModelIndex | QPersistentModelIndex
Cell = tuple[int, dt.date]  # (worker id, day)
WEEKDAYS = "一二三四五六日"

# Shading of the day's kind (empty cells and the header), and of coverage.
DAY_SHADES = {
    DayKind.WORKDAY: None,
    DayKind.MAKEUP_WORKDAY: "#FFF6D6",
    DayKind.RESTDAY: "#EEF2F7",
    DayKind.HOLIDAY: "#FDE7E7",
}
OUT_OF_SERVICE = "#D9D9D9"
OK_BG, OK_FG = "#DDF3E0", "#1E6B2E"
GAP_BG, GAP_FG = "#F9D6D5", "#B3261E"
POST_BG = "#E4E9F2"



_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole,
                    Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.FontRole,
                    Qt.ItemDataRole.UserRole + 1})
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_CELL_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_SHOWN_FLAGS = Qt.ItemFlag.ItemIsEnabled


_RANGE = re.compile(r"^(\d\d):(\d\d)-(?:次日)?(\d\d):(\d\d)$")


def compact(text: str) -> str:
    """A cell as it fits a narrow day column: 08:00-12:00 → 8-12, 16:00-次日08:00 → 16-8
    (the whole text is in the tooltip and in what Ctrl+C copies)."""
    def one(part: str) -> str:
        match = _RANGE.match(part)
        if not match:
            return part
        h1, m1, h2, m2 = match.groups()
        return f"{int(h1)}{':' + m1 if m1 != '00' else ''}-{int(h2)}{':' + m2 if m2 != '00' else ''}"
    return "/".join(one(p) for p in text.split("/")) if text else text


class RowKind(Enum):
    POST = "post"
    WORKER = "worker"
    COVERAGE = "coverage"


@dataclass(frozen=True)
class GridPost:
    code: str
    name: str
    rule_text: str  # 每日 全天24小时 × 1 人
    capacity_hint: str = ""  # 人力测算 in a few words, shown in the heading


@dataclass(frozen=True)
class GridWorker:
    id: int
    name: str
    post_code: str
    start: dt.date
    end: dt.date | None
    scheme: str = ""  # 标准工时 / 综合工时

    def serves_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class DayMark:
    """A post's coverage on one day: ok True/False, None when nothing is required."""
    ok: bool | None
    text: str = ""  # in the cell: ✓, 缺8h, 缺1人
    detail: str = ""  # tooltip: the uncovered spans or missing people and hours


@dataclass
class MonthData:
    """Everything the grid shows for one month, read from the core in one go."""
    year: int
    month: int
    days: list[CalendarDay]
    posts: list[GridPost]
    workers: dict[str, list[GridWorker]]  # by post code, in display order
    cells: dict[Cell, str]  # (worker id, date) → 早 / 早/夜 / 08:00-12:00
    colours: dict[str, str]  # shift code → #RRGGBB
    shift_titles: dict[str, str]  # shift code → 早班 08:00-16:00
    coverage: dict[tuple[str, dt.date], DayMark] = field(default_factory=dict)
    hours: dict[int, str] = field(default_factory=dict)  # worker id → 176
    hours_alert: dict[int, str] = field(default_factory=dict)  # worker id → the 提示, if any
    actual: bool = False  # coverage of what really happened, not of the plan
    notes: dict[Cell, str] = field(default_factory=dict)  # 值守记录 on a cell (请假 4h, 替班…)


@dataclass(frozen=True)
class GridRow:
    kind: RowKind
    post: GridPost
    worker: GridWorker | None = None


class RosterModel(QAbstractTableModel):
    CellRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data_: MonthData | None = None
        self.rows: list[GridRow] = []
        self._brushes: dict[str, QBrush] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._small = QFont()
        self._small.setPointSizeF(max(7.0, self._small.pointSizeF() * 0.85))

    # --- content -------------------------------------------------------------------------
    def set_month(self, data: MonthData) -> None:
        self.beginResetModel()
        self.data_ = data
        self.rows = []
        for post in data.posts:
            self.rows.append(GridRow(RowKind.POST, post))
            self.rows += [GridRow(RowKind.WORKER, post, w) for w in data.workers.get(post.code, [])]
            self.rows.append(GridRow(RowKind.COVERAGE, post))
        self.endResetModel()

    def update_month(self, data: MonthData) -> None:
        """Same month, same people: repaint the cells without resetting selection and scroll."""
        if self.data_ is None or [r.worker.id for r in self.rows if r.worker] != [
                w.id for p in data.posts for w in data.workers.get(p.code, [])] or len(data.days) != len(
                self.data_.days) or (data.year, data.month) != (self.data_.year, self.data_.month):
            self.set_month(data)
            return
        self.data_ = data
        self.rows = [GridRow(r.kind, next(p for p in data.posts if p.code == r.post.code), r.worker)
                     for r in self.rows]
        self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
        self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, self.rowCount() - 1)

    @property
    def day_count(self) -> int:
        return len(self.data_.days) if self.data_ else 0

    def day_of(self, column: int) -> dt.date | None:
        if self.data_ and 0 <= column < len(self.data_.days):
            return self.data_.days[column].date
        return None

    def worker_rows(self) -> list[int]:
        return [i for i, r in enumerate(self.rows) if r.kind is RowKind.WORKER]

    def cell_at(self, row: int, column: int) -> Cell | None:
        """The (worker, date) of a grid position, or None for headings, coverage and 工时."""
        if not (0 <= row < len(self.rows)):
            return None
        worker = self.rows[row].worker
        day = self.day_of(column)
        if worker is None or day is None:
            return None
        return (worker.id, day)

    def text_of(self, cell: Cell) -> str:
        return self.data_.cells.get(cell, "") if self.data_ else ""

    def coverage_row(self, post_code: str) -> int:
        return next(i for i, r in enumerate(self.rows) if r.kind is RowKind.COVERAGE and r.post.code == post_code)

    # --- Qt ------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or not self.data_ else len(self.data_.days) + 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return _NO_FLAGS
        return _CELL_FLAGS if self.cell_at(index.row(), index.column()) is not None else _SHOWN_FLAGS

    def _brush(self, colour: str | None) -> QBrush | None:
        if not colour:
            return None
        brush = self._brushes.get(colour)
        if brush is None:
            brush = self._brushes[colour] = QBrush(QColor(colour))
        return brush

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        data = self.data_
        if data is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if section >= len(data.days):
                if role == Qt.ItemDataRole.DisplayRole:
                    return "工时"
                if role == Qt.ItemDataRole.ToolTipRole:
                    return "本月计划工时（小时，不含休息时间）"
                return None
            day = data.days[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{day.date.day}\n{WEEKDAYS[day.date.weekday()]}\n{day.short_name}"
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{day.date.isoformat()} 星期{WEEKDAYS[day.date.weekday()]} · {day.kind.label}" + (
                    f"（{day.name}）" if day.name else "")
            if role == Qt.ItemDataRole.BackgroundRole:
                return self._brush(DAY_SHADES[day.kind])
            if role == Qt.ItemDataRole.ForegroundRole and not day.is_working:
                return self._brush(GAP_FG)
            return None
        if not (0 <= section < len(self.rows)):
            return None
        row = self.rows[section]
        if role == Qt.ItemDataRole.DisplayRole:
            if row.kind is RowKind.WORKER:
                return row.worker.name  # type: ignore[union-attr]
            return "覆盖情况" if row.kind is RowKind.COVERAGE else ""
        if role == Qt.ItemDataRole.ToolTipRole and row.worker is not None:
            w = row.worker
            until = w.end.isoformat() if w.end else "今"
            return f"{w.name} · {row.post.name}\n服务期间 {w.start.isoformat()} 至 {until}" + (
                f"\n{w.scheme}" if w.scheme else "")
        if role == Qt.ItemDataRole.FontRole and row.kind is not RowKind.WORKER:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        data = self.data_
        if role not in _ROLES or data is None:
            return None  # the view asks for a dozen roles per cell: most are not ours
        row = self.rows[index.row()]
        column = index.column()
        day = data.days[column] if column < len(data.days) else None
        if role == _ALIGN:
            return _LEFT if row.kind is RowKind.POST else _CENTRE
        if row.kind is RowKind.POST:
            return self._post_data(row.post, column, role)
        if row.kind is RowKind.COVERAGE:
            return self._coverage_data(row.post, day, role)
        worker = row.worker
        assert worker is not None
        if day is None:  # 工时
            if role == Qt.ItemDataRole.DisplayRole:
                return data.hours.get(worker.id, "")
            if role == Qt.ItemDataRole.ForegroundRole and worker.id in data.hours_alert:
                return self._brush(GAP_FG)
            if role == Qt.ItemDataRole.ToolTipRole:
                return data.hours_alert.get(worker.id) or "本月计划工时"
            return None
        cell = (worker.id, day.date)
        text = data.cells.get(cell, "")
        if role == self.CellRole:
            return text
        if role == Qt.ItemDataRole.DisplayRole:
            return compact(text) + ("*" if cell in data.notes else "")
        if role == Qt.ItemDataRole.BackgroundRole:
            if not worker.serves_on(day.date):
                return self._brush(OUT_OF_SERVICE)
            first = text.split("/")[0] if text else ""
            return self._brush(data.colours.get(first) or DAY_SHADES[day.kind])
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [f"{worker.name} · {day.date.month}月{day.date.day}日（{day.kind.label}）"]
            if not worker.serves_on(day.date):
                parts.append("不在服务期间内")
            for code in filter(None, text.split("/")):
                parts.append(data.shift_titles.get(code, code))
            if cell in data.notes:
                parts.append("值守记录：" + data.notes[cell])
            return "\n".join(parts)
        return None

    def _post_data(self, post: GridPost, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole and column == 0:
            return f"{post.name}    {post.rule_text}" + (f"    {post.capacity_hint}" if post.capacity_hint else "")
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._brush(POST_BG)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        return None

    def _coverage_data(self, post: GridPost, day: CalendarDay | None, role: int):
        assert self.data_ is not None
        if day is None:
            return None
        mark = self.data_.coverage.get((post.code, day.date))
        if mark is None or mark.ok is None:
            if role == Qt.ItemDataRole.ToolTipRole:
                return "这一天合同对本岗位没有固定要求（视情况提供服务）"
            if role == Qt.ItemDataRole.BackgroundRole:
                return self._brush(DAY_SHADES[day.kind])
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return mark.text or ("✓" if mark.ok else "缺")
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._brush(OK_BG if mark.ok else GAP_BG)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._brush(OK_FG if mark.ok else GAP_FG)
        if role == Qt.ItemDataRole.FontRole:
            return self._small
        if role == Qt.ItemDataRole.ToolTipRole:
            what = "实际值守" if self.data_.actual else "乙方排班"
            return f"{day.date.isoformat()} {post.name}（按{what}）：" + (mark.detail or ("已覆盖" if mark.ok else "有缺口"))
        return None


class RosterView(QTableView):
    """The grid's keyboard: type a code (or its number 1–9) into the selection, Delete
    clears, Enter opens the cell text, Ctrl+C / Ctrl+X / Ctrl+V copy, cut and paste blocks
    (Excel's and WPS's tab-separated text too). Edits leave as `cells_edited`."""

    cells_edited = Signal(object, str)  # {(worker, date): text}, what the change is called
    edit_text_requested = Signal()  # Enter / F2 / double-click: type a cell's text
    paste_requested = Signal()
    refused = Signal(str)  # a Chinese message for the tab to show

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.codes: list[str] = []  # shift codes in order; digit N types codes[N-1]
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)  # 早 typed through the IME
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setDefaultSectionSize(34)
        self.horizontalHeader().setMinimumSectionSize(20)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(24)
        self.doubleClicked.connect(lambda _i: self.edit_text_requested.emit())

    def roster(self) -> RosterModel:
        return self.model()  # type: ignore[return-value]

    def apply_spans(self) -> None:
        self.clearSpans()
        model = self.roster()
        two_lines = QFontMetrics(model._small).lineSpacing() * 2 + 6  # 缺 / 16时
        for row, grid_row in enumerate(model.rows):
            if grid_row.kind is RowKind.POST:
                self.setSpan(row, 0, 1, model.columnCount())
            self.setRowHeight(row, max(24, two_lines) if grid_row.kind is RowKind.COVERAGE else 24)
        self.fit_columns()

    def fit_columns(self) -> None:
        """The whole month in view without scrolling sideways: the days share the width
        (never narrower than a code needs), 工时 keeps its own."""
        model = self.roster()
        if not model.day_count:
            return
        hours_width = 44
        available = self.viewport().width() - hours_width - 2
        width = max(26, min(44, available // model.day_count))
        header = self.horizontalHeader()
        header.setDefaultSectionSize(width)
        for column in range(model.day_count):
            header.resizeSection(column, width)
        header.resizeSection(model.day_count, hours_width)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    # --- what is selected ----------------------------------------------------------------
    def selected_cells(self) -> list[Cell]:
        model = self.roster()
        cells = []
        for index in sorted(self.selectedIndexes(), key=lambda i: (i.row(), i.column())):
            cell = model.cell_at(index.row(), index.column())
            if cell is not None:
                cells.append(cell)
        if not cells:
            current = self.currentIndex()
            cell = model.cell_at(current.row(), current.column()) if current.isValid() else None
            cells = [cell] if cell else []
        return cells

    def selected_block(self) -> tuple[list[int], list[int]]:
        """The worker rows and day columns the selection spans (a rectangle around it)."""
        model = self.roster()
        indexes = [i for i in self.selectedIndexes() if model.cell_at(i.row(), i.column())]
        if not indexes and self.currentIndex().isValid():
            current = self.currentIndex()
            indexes = [current] if model.cell_at(current.row(), current.column()) else []
        if not indexes:
            return [], []
        rows = [r for r in model.worker_rows() if min(i.row() for i in indexes) <= r <= max(i.row() for i in indexes)]
        columns = list(range(min(i.column() for i in indexes), max(i.column() for i in indexes) + 1))
        return rows, columns

    # --- keyboard ------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        if event.matches(QKeySequence.StandardKey.Cut):
            self.copy_selection()
            self._type("", "剪切")
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_requested.emit()
            return
        key = event.key()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear_selection_cells()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
            self.edit_text_requested.emit()
            return
        text = event.text()
        plain = not (event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier))
        if plain and text and text.isprintable() and not text.isspace():
            self.type_text(text)
            return
        super().keyPressEvent(event)

    def inputMethodEvent(self, event) -> None:
        if event.commitString():
            self.type_text(event.commitString())
            event.accept()
            return
        super().inputMethodEvent(event)

    def type_text(self, text: str) -> None:
        """A key typed on the grid: a code, or 1–9 for the Nth shift type."""
        if text.isdigit() and len(text) == 1 and text != "0":
            number = int(text)
            if number > len(self.codes):
                self.refused.emit(f"没有第 {number} 个班次（数字 1–{len(self.codes)} 对应下方图例中的班次）。")
                return
            text = self.codes[number - 1]
        if text not in self.codes:
            self.refused.emit(f"“{text}”不是班次代码。现有班次：{'、'.join(self.codes)}；"
                              "时间段或两个班次请按 Enter 输入。")
            return
        self._type(text, "录入")

    def clear_selection_cells(self) -> None:
        self._type("", "清除")

    def _type(self, text: str, verb: str) -> None:
        cells = self.selected_cells()
        if not cells:
            return
        single = len(cells) == 1
        self.cells_edited.emit(dict.fromkeys(cells, text), verb)
        if single and text:
            # Typing along a row, as on paper: the next day is ready for the next code.
            current = self.currentIndex()
            if current.column() + 1 < self.roster().day_count:
                self.setCurrentIndex(self.model().index(current.row(), current.column() + 1))

    def copy_selection(self) -> None:
        rows, columns = self.selected_block()
        if not rows:
            return
        model = self.roster()
        lines = []
        for row in rows:
            values = []
            for column in columns:
                cell = model.cell_at(row, column)
                values.append(model.text_of(cell) if cell else "")
            lines.append("\t".join(values))
        QGuiApplication.clipboard().setText("\n".join(lines) + "\n")
