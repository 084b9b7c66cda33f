"""Platypus pieces the table-built reports share (付款申请单, 付款台账, 排班表). Kept apart
from app.reports.pdf, which every report imports: platypus costs ≈45 ms to import, and the
assessment sheets and letters are drawn on the canvas without it."""
from __future__ import annotations

from typing import Any

from reportlab.platypus import Table, TableStyle

from app.reports.pdf import register_fonts


class CJKTable(Table):
    """A platypus Table whose cells start in the bundled font: a cell's default font is
    Helvetica, named (unembedded) on the page even when every cell holds a Paragraph."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), register_fonts())]))
