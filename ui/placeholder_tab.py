"""A tab whose capability has not been built yet: says plainly what will be here."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.store import Changes


class PlaceholderTab(QWidget):
    def __init__(self, key: str, title: str, purpose: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.title = title
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        body = QLabel(purpose + "\n\n此功能正在建设中。")
        body.setObjectName("hint")
        body.setWordWrap(True)
        for label in (heading, body):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(2)

    def on_data_changed(self, changes: Changes) -> None:
        pass
