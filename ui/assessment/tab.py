"""月度考核 tab. The page (ui/assessment/page.py) is built the first time the clerk opens
the tab, so the daily start — which shows 概览 — neither imports the assessment modules nor
reads a month of scores."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.store import Changes, Store

if TYPE_CHECKING:
    from ui.assessment.page import AssessmentPage


class AssessmentTab(QWidget):
    key = "assessment"
    title = "月度考核"

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self._page: AssessmentPage | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def page(self) -> "AssessmentPage":
        if self._page is None:
            from ui.assessment.page import AssessmentPage

            self._page = AssessmentPage(self.store, self)
            self._layout.addWidget(self._page)
        return self._page

    def showEvent(self, event) -> None:
        page = self.page()
        super().showEvent(event)
        focus = self.focusWidget()
        if focus is None or not self.isAncestorOf(focus):  # the keyboard in the table, like the other tabs
            page.table.setFocus()
            # ... on the first worker, as 人员 does: the form is hers at once, and Down goes to the second.
            if page.grid.rowCount() and not page.table.selectionModel().hasSelection():
                page.table.selectRow(0)

    def on_data_changed(self, changes: Changes) -> None:
        if self._page is not None:
            self._page.on_data_changed(changes)
