"""The 覆盖情况 rows and the panels follow every edit, live: red where a post is not
covered, green again once it is; plan and what really happened side by side."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from app.duty import add_record
from tests.ui.roster.support import press, row_of, select, shown
from ui.roster.grid import GAP_BG, OK_BG


def coverage_cell(tab, post_code: str, day: int):
    model = tab.model
    return model.index(model.coverage_row(post_code), day - 1)


def colour(index) -> str:
    return index.data(Qt.ItemDataRole.BackgroundRole).color().name().upper()


def night_worker(tab, day: int) -> str:
    return next(r.worker.name for r in tab.model.rows
                if r.worker and r.post.code == "dispatch" and shown(tab, r.worker.name, day) == "夜")


def test_demo_month_is_fully_covered_and_green(roster_tab):
    cell = coverage_cell(roster_tab, "dispatch", 10)
    assert cell.data() == "✓" and colour(cell) == OK_BG.upper()
    assert "各岗位每天均已覆盖" in roster_tab.summary.text()
    assert roster_tab.details.tabText(0) == "缺口（无）"


def test_clearing_a_night_shift_turns_the_day_red_and_undo_turns_it_green(roster_tab, qtbot):
    name = night_worker(roster_tab, 10)
    select(roster_tab, name, 10)
    qtbot.keyClick(roster_tab.view, Qt.Key.Key_Delete)
    cell = coverage_cell(roster_tab, "dispatch", 10)
    assert cell.data() == "缺\n8时" and colour(cell) == GAP_BG.upper()
    assert "无人值守 00:00-08:00" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert "1 天有缺口" in roster_tab.summary.text()
    gaps = roster_tab.details.gap_model.rows()
    assert [(g.date, g.post_code) for g in gaps] == [(dt.date(2026, 11, 10), "dispatch")]
    assert roster_tab.details.tabText(0) == "缺口（1）"

    qtbot.keyClick(roster_tab.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    cell = coverage_cell(roster_tab, "dispatch", 10)
    assert cell.data() == "✓" and colour(cell) == OK_BG.upper()
    assert shown(roster_tab, name, 10) == "夜"


def test_typing_the_shift_back_and_pasting_over_a_gap_make_it_green(roster_tab, qtbot):
    name = night_worker(roster_tab, 12)
    select(roster_tab, name, 12)
    press(roster_tab, "休")
    assert colour(coverage_cell(roster_tab, "dispatch", 12)) == GAP_BG.upper()
    select(roster_tab, name, 12)
    press(roster_tab, "3")  # 夜
    assert colour(coverage_cell(roster_tab, "dispatch", 12)) == OK_BG.upper()

    select(roster_tab, "褚国庆", 16, 20, last_name="卫晓琳")  # the grid post, a working week
    qtbot.keyClick(roster_tab.view, Qt.Key.Key_Delete)
    assert all(colour(coverage_cell(roster_tab, "grid_watch", d)) == GAP_BG.upper() for d in range(16, 21))
    QGuiApplication.clipboard().setText("网\t网\t网\t网\t网\n")
    select(roster_tab, "褚国庆", 16)
    qtbot.keyClick(roster_tab.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert all(colour(coverage_cell(roster_tab, "grid_watch", d)) == OK_BG.upper() for d in range(16, 21))


def test_the_actual_toggle_shows_leave_without_cover_as_a_gap(roster_tab, demo_store, qtbot):
    name = night_worker(roster_tab, 18)
    worker_id = roster_tab.model.rows[row_of(roster_tab, name)].worker.id
    add_record(demo_store, worker_id, dt.date(2026, 11, 18), "leave", "00:00", "08:00", note="病假")
    assert colour(coverage_cell(roster_tab, "dispatch", 18)) == OK_BG.upper()  # the plan is still whole
    assert shown(roster_tab, name, 18) == "夜*"
    qtbot.keyClick(roster_tab.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert roster_tab.actual_button.isChecked()
    cell = coverage_cell(roster_tab, "dispatch", 18)
    assert colour(cell) == GAP_BG.upper() and "实际值守" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert "按实际值守" in roster_tab.summary.text()
    assert roster_tab.details.record_model.rows()[-1].note == "病假"


def test_hours_and_capacity_fill_in_after_the_grid(roster_tab, qtbot):
    qtbot.waitUntil(lambda: roster_tab.state.hours is not None)
    capacity = roster_tab.details.capacity_model.rows()
    assert [p.post.code for p in capacity][0] == "dispatch"
    hours_column = roster_tab.model.day_count
    assert roster_tab.model.index(row_of(roster_tab, "赵文静"), hours_column).data() != ""


def test_a_one_off_requirement_on_a_sunday_shows_red_until_someone_covers_it(roster_tab, qtbot, monkeypatch):
    from ui.roster.dialogs import RequirementDialog

    cell = coverage_cell(roster_tab, "reply_review", 1)  # 2026-11-01 is a Sunday: "as needed"
    assert cell.data() is None
    errors = []

    def fill(dialog: RequirementDialog):
        assert dialog.post.currentData() == "reply_review" and dialog.day.date().day() == 1
        dialog.hours.setText("八")
        dialog.save()
        errors.append(dialog.error.text())
        dialog.hours.setText("8")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(RequirementDialog, "exec", fill)
    select(roster_tab, "吴雪梅", 1)
    qtbot.keyClick(roster_tab.view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert "应为小时数" in errors[0]
    cell = coverage_cell(roster_tab, "reply_review", 1)
    assert colour(cell) == GAP_BG.upper() and "缺 1 人" in cell.data(Qt.ItemDataRole.ToolTipRole)
    select(roster_tab, "吴雪梅", 1)
    press(roster_tab, "白")
    assert colour(coverage_cell(roster_tab, "reply_review", 1)) == OK_BG.upper()


def test_a_gap_says_its_hours_with_their_unit_whole_in_the_day_column(roster_tab, qtbot):
    """Once 缺16 (16 people? 16:00?) and, in a narrower column, 缺1…: now 缺 / 16时, every
    character shown, and the tooltip says 缺 16 小时."""
    from PySide6.QtGui import QFontMetrics

    roster_tab.window().resize(1366, 768)
    for name in [r.worker.name for r in roster_tab.model.rows if r.worker and r.post.code == "dispatch"
                 and shown(roster_tab, r.worker.name, 10) in ("早", "中")]:
        select(roster_tab, name, 10)
        qtbot.keyClick(roster_tab.view, Qt.Key.Key_Delete)
    cell = coverage_cell(roster_tab, "dispatch", 10)
    assert cell.data() == "缺\n16时"
    assert cell.data(Qt.ItemDataRole.ToolTipRole).startswith("2026-11-10 接派单、退单、案件核实（按乙方排班）：缺 16 小时：")
    view = roster_tab.view
    metrics = QFontMetrics(cell.data(Qt.ItemDataRole.FontRole))
    lines = cell.data().split("\n")
    assert max(metrics.horizontalAdvance(line) for line in lines) + 4 <= view.columnWidth(9)
    assert view.rowHeight(cell.row()) >= metrics.lineSpacing() * len(lines)
