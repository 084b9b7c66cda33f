"""Qt item models over lists of core records."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Generic, Sequence, TypeVar

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget
from PySide6.QtGui import QColor

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column: its header, the text shown, and optionally how it sorts and aligns."""
    header: str
    text: Callable[[Row], str]
    sort_key: Callable[[Row], Any] | None = None
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    tooltip: Callable[[Row], str] | None = None
    foreground: Callable[[Row], str | None] | None = None  # a colour name such as "#b3261e", or None


class RecordTableModel(QAbstractTableModel, Generic[Row]):
    """A read-only table of records; `set_rows` replaces them all (cheap at our sizes).

    The sort role gives each column's `sort_key`, so a QSortFilterProxyModel sorts
    dates and amounts as values, not as text.
    """

    SortRole = Qt.ItemDataRole.UserRole + 1
    RecordRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, columns: Sequence[Column[Row]], rows: Sequence[Row] = (), parent=None):
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Row] = list(rows)

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rows(self) -> list[Row]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        record = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == self.SortRole:
            return column.sort_key(record) if column.sort_key else column.text(record)
        if role == self.RecordRole:
            return record
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip(record)
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground:
            colour = column.foreground(record)
            return QColor(colour) if colour else None
        return None


def make_table(model: QAbstractItemModel, parent: QWidget | None = None, *,
               stretch_column: int | None = None) -> QTableView:
    """The read-only record table every screen uses: whole rows selected, one at a time,
    columns sized to their contents, the last (or `stretch_column`) taking the rest."""
    view = QTableView(parent)
    view.setModel(model)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(26)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    # Tab leaves the table for the next control (arrow keys move between rows): with Qt's
    # default, Tab walks cell to cell and the rest of the screen cannot be reached.
    view.setTabKeyNavigation(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch_column is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    return view
