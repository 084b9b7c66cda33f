"""The month's table of 月度考核: one row per service worker, one column per criterion of
the month's template, then 合计 and 等级. Headers are short (a criterion's name in two
balanced lines) so the table fits beside the deduction form; the tooltip says it whole."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from app.assessment import MonthView, Row
from app.assessment_template import fmt_points, template_for
from app.consequences import Fired
from app.store import Store
from ui.models import Column, RecordTableModel

RED = "#b3261e"
GREY = "#8a8f98"
CENTER = Qt.AlignmentFlag.AlignCenter


class GridModel(RecordTableModel[Row]):
    """Workers × criteria; the columns follow the month's template."""

    header_tips: list[str] = []

    def set_columns_and_rows(self, columns: list[Column[Row]], rows: list[Row], header_tips: list[str]) -> None:
        self.beginResetModel()
        self._columns = columns
        self._rows = rows
        self.header_tips = header_tips
        self.endResetModel()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal \
                and section < len(self.header_tips):
            return self.header_tips[section] or None
        return super().headerData(section, orientation, role)


def short_header(name: str) -> str:
    """A criterion's name in two balanced lines of at most four characters (三 lines past
    eight), so six criteria, 合计 and 等级 fit beside the form; the tooltip has it whole."""
    width = min(4, max(2, -(-len(name) // 2))) if len(name) <= 8 else -(-len(name) // 3)
    return "\n".join(name[k:k + width] for k in range(0, len(name), width))


def grid_columns(store: Store, view: MonthView, fired: list[Fired]) -> tuple[list[Column[Row]], list[str]]:
    """The columns of the month's table, and each header's tooltip (a criterion's whole name
    and rules)."""
    sheets = view.sheets
    template = sheets[0].template if sheets else template_for(store, view.rows[0].assignment.post_code) \
        if view.rows else None
    replace = {f.worker_id: f"{f.title}：{f.detail}" for f in fired if f.rule == "replacement"}
    columns: list[Column[Row]] = [
        Column("服务人员", lambda r: r.assignment.worker_name + ("  ⚠" if r.assignment.worker_id in replace else ""),
               tooltip=lambda r: replace.get(r.assignment.worker_id, r.post_name),
               foreground=lambda r: RED if r.assignment.worker_id in replace else None),
        Column("岗位", lambda r: r.post_name, tooltip=lambda r: r.post_name),
    ]
    tips = ["", ""]
    if template is not None:
        for i, c in enumerate(template.criteria, start=1):
            columns.append(Column(
                f"{short_header(c.name)}\n({fmt_points(c.max)})",
                lambda r, i=i: fmt_points(r.sheet.criterion_score(i)) if r.sheet and i <= len(
                    r.sheet.template.criteria) else "—",
                lambda r, i=i: r.sheet.criterion_score(i) if r.sheet else Decimal(-1), CENTER,
                foreground=lambda r, i=i: RED if r.sheet and r.sheet.deducted(i) else None))
            tips.append(f"{i}. {c.name}（{fmt_points(c.max)} 分）\n{c.rules}".strip())
    tips += ["", ""]
    columns += [
        Column("合计", lambda r: fmt_points(r.sheet.total) if r.sheet else "未评分",
               lambda r: r.sheet.total if r.sheet else Decimal(-1), CENTER,
               foreground=lambda r: GREY if r.sheet is None else RED if not r.sheet.passed else None),
        Column("等级", lambda r: r.sheet.grade if r.sheet else "—", align=CENTER,
               foreground=lambda r: RED if r.sheet and not r.sheet.passed else None),
    ]
    return columns, tips
