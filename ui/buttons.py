"""The row of action buttons every tab has under its heading."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QPushButton

ButtonSpec = tuple[str, str, str, Callable[[], object]]  # key, text (with its &-letter), tooltip, slot


def add_button_bar(layout: QBoxLayout, specs: Iterable[ButtonSpec]) -> dict[str, QPushButton]:
    """Add one row of buttons, left-aligned, to `layout`; returns them by key so the tab can
    enable them as the selection changes."""
    bar = QHBoxLayout()
    buttons: dict[str, QPushButton] = {}
    for key, text, tip, slot in specs:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        buttons[key] = button
        bar.addWidget(button)
    bar.addStretch(1)
    layout.addLayout(bar)
    return buttons
