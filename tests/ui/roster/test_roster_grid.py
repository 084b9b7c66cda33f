"""The month grid driven from the keyboard: typing, pasting, undo, refusals in Chinese."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from tests.ui.roster.support import press, row_of, select, shown, stored
from ui.roster.dialogs import RotationDialog


def test_the_grid_shows_posts_workers_days_and_the_calendar(roster_tab):
    model = roster_tab.model
    assert roster_tab.month_label.text() == "2026 年 11 月"
    assert model.columnCount() == 31  # 30 days and 工时
    assert model.headerData(0, Qt.Orientation.Horizontal).startswith("1\n日")  # 2026-11-01 is a Sunday
    headings = [r.post.name for r in model.rows if r.kind.value == "post"]
    assert headings[0] == "接派单、退单、案件核实"
    assert "赵文静" in [model.headerData(i, Qt.Orientation.Vertical) for i in range(model.rowCount())]
    coverage_rows = [i for i, r in enumerate(model.rows) if r.kind.value == "coverage"]
    assert len(coverage_rows) == len(headings)
    assert model.headerData(coverage_rows[0], Qt.Orientation.Vertical) == "覆盖情况"


def test_october_header_names_the_holiday_and_the_make_up_day(roster_tab, qtbot):
    qtbot.keyClick(roster_tab.view, Qt.Key.Key_PageUp)
    assert roster_tab.month_label.text() == "2026 年 10 月"
    header = roster_tab.model.headerData
    assert header(0, Qt.Orientation.Horizontal) == "1\n四\n国庆"
    assert header(9, Qt.Orientation.Horizontal) == "10\n六\n班"  # 调休上班
    assert "国庆节" in header(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    qtbot.keyClick(roster_tab.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert roster_tab.month_label.text() == "2026 年 11 月"


def test_typing_a_code_or_its_number_writes_the_cell_and_moves_to_the_next_day(roster_tab, demo_store):
    select(roster_tab, "吴雪梅", 7)  # a Saturday: 休 in the demo roster
    press(roster_tab, "早")
    press(roster_tab, "2")  # the second shift type: 中
    assert shown(roster_tab, "吴雪梅", 7) == "早"
    assert shown(roster_tab, "吴雪梅", 8) == "中"
    assert stored(demo_store, "吴雪梅", 2026, 11, 7) == "早"
    assert stored(demo_store, "吴雪梅", 2026, 11, 8) == "中"
    last = demo_store.db.execute("SELECT summary FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert last.startswith("乙方排班（2026年11月）：录入 吴雪梅 11月8日")


def test_a_code_typed_into_a_block_fills_it_and_delete_clears_it(roster_tab, demo_store):
    select(roster_tab, "吴雪梅", 2, 6, last_name="王丽娜")
    press(roster_tab, "网")
    assert [shown(roster_tab, n, d) for n in ("吴雪梅", "王丽娜") for d in (2, 6)] == ["网"] * 4
    before = demo_store.db["audit_log"].count
    select(roster_tab, "吴雪梅", 2, 3)
    from PySide6.QtTest import QTest
    QTest.keyClick(roster_tab.view, Qt.Key.Key_Delete)
    assert shown(roster_tab, "吴雪梅", 2) == "" and shown(roster_tab, "吴雪梅", 4) == "网"
    assert stored(demo_store, "吴雪梅", 2026, 11, 3) == ""
    assert demo_store.db["audit_log"].count > before


def test_an_unknown_code_is_refused_in_chinese_and_nothing_is_written(roster_tab, demo_store):
    before = stored(demo_store, "赵文静", 2026, 11, 2)
    select(roster_tab, "赵文静", 2)
    press(roster_tab, "X")
    assert "“X”不是班次代码" in roster_tab.message.text()
    assert stored(demo_store, "赵文静", 2026, 11, 2) == before


def test_paste_a_block_copied_from_excel_then_undo_and_redo(roster_tab, demo_store, qtbot):
    before = [stored(demo_store, n, 2026, 11, d) for n in ("吴雪梅", "王丽娜") for d in (14, 15, 16)]
    QGuiApplication.clipboard().setText('早\t中\t白\r\n休\t"早\n中"\t08:00-12:00\r\n')
    select(roster_tab, "吴雪梅", 14)
    qtbot.keyClick(roster_tab.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [shown(roster_tab, "吴雪梅", d) for d in (14, 15, 16)] == ["早", "中", "白"]
    assert [shown(roster_tab, "王丽娜", d) for d in (14, 15, 16)] == ["休", "早/中", "8-12"]
    assert stored(demo_store, "王丽娜", 2026, 11, 15) == "早/中"

    qtbot.keyClick(roster_tab.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [stored(demo_store, n, 2026, 11, d) for n in ("吴雪梅", "王丽娜") for d in (14, 15, 16)] == before
    assert shown(roster_tab, "王丽娜", 16) == before[-1]
    qtbot.keyClick(roster_tab.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert stored(demo_store, "王丽娜", 2026, 11, 16) == "08:00-12:00"
    summaries = [r["summary"] for r in demo_store.db.query(
        "SELECT summary FROM audit_log GROUP BY summary ORDER BY MAX(id) DESC LIMIT 3")]
    assert summaries[0].endswith("重做：粘贴（2 行 × 3 列）") and "撤销：粘贴" in summaries[1]


def test_copy_a_block_and_paste_it_elsewhere(roster_tab, demo_store, qtbot):
    select(roster_tab, "吴雪梅", 7)
    press(roster_tab, "早中")
    select(roster_tab, "吴雪梅", 6, 8)
    qtbot.keyClick(roster_tab.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "白\t早\t中\n"
    select(roster_tab, "冯建华", 20)
    qtbot.keyClick(roster_tab.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [stored(demo_store, "冯建华", 2026, 11, d) for d in (20, 21, 22)] == ["白", "早", "中"]


def test_a_paste_past_the_month_end_is_refused_and_changes_nothing(roster_tab, demo_store, qtbot):
    QGuiApplication.clipboard().setText("早\t中\t夜\n")
    select(roster_tab, "赵文静", 29)
    before = stored(demo_store, "赵文静", 2026, 11, 29)
    count = demo_store.db["audit_log"].count
    qtbot.keyClick(roster_tab.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert "超出本月最后一天" in roster_tab.message.text() and roster_tab.message.isVisible()
    assert stored(demo_store, "赵文静", 2026, 11, 29) == before
    assert demo_store.db["audit_log"].count == count


def test_a_shift_outside_the_service_period_is_refused_by_name_and_day(roster_tab, demo_store):
    newcomer = next(r.worker for r in roster_tab.model.rows if r.worker and r.worker.start.month == 11
                    and r.worker.start.day > 1)
    select(roster_tab, newcomer.name, 1)
    press(roster_tab, "白")
    assert f"{newcomer.name} 11月1日" in roster_tab.message.text() and "服务期" in roster_tab.message.text()


def test_rotation_fills_the_selection_each_worker_further_along(roster_tab, demo_store, monkeypatch, qtbot):
    def fill(dialog: RotationDialog):
        dialog.pattern.setText("早早中中夜夜休休")
        dialog.to_month_end.setChecked(True)
        assert dialog.step.value() == 1  # 8 days over 5 people
        dialog.step.setValue(2)
        dialog.accept_rotation()

    monkeypatch.setattr(RotationDialog, "exec", lambda self: (fill(self), self.result())[1])
    select(roster_tab, "赵文静", 1, 1, last_name="周志强")
    roster_tab.buttons["rotation"].click()
    assert [stored(demo_store, "赵文静", 2026, 11, d) for d in range(1, 10)] == list("早早中中夜夜休休早")
    assert [stored(demo_store, "钱立新", 2026, 11, d) for d in range(1, 4)] == list("中中夜")
    assert shown(roster_tab, "周志强", 30) != ""


def test_a_rotation_with_an_unknown_code_is_refused_in_chinese(roster_tab, demo_store, monkeypatch):
    seen = []

    def fill(dialog: RotationDialog):
        dialog.pattern.setText("早早甲中")
        dialog.accept_rotation()
        seen.append(dialog.error.text())

    monkeypatch.setattr(RotationDialog, "exec", lambda self: (fill(self), self.result())[1])
    select(roster_tab, "赵文静", 1, 5)
    count = demo_store.db["audit_log"].count
    roster_tab.buttons["rotation"].click()
    assert "“甲”不是班次代码" in seen[0] and "未做任何修改" in seen[0]
    assert demo_store.db["audit_log"].count == count


def test_heading_and_coverage_rows_cannot_be_selected(roster_tab):
    model = roster_tab.model
    heading = next(i for i, r in enumerate(model.rows) if r.kind.value == "post")
    assert not (model.flags(model.index(heading, 3)) & Qt.ItemFlag.ItemIsSelectable)
    assert model.flags(model.index(row_of(roster_tab, "赵文静"), 3)) & Qt.ItemFlag.ItemIsSelectable


def test_copy_last_month_forward_continues_each_rotation(roster_tab, demo_store, monkeypatch, qtbot):
    from app.roster import month_roster, set_cells
    from ui.roster.dialogs import CopyForwardDialog

    december = month_roster(demo_store, 2026, 12)
    planned = {r.name: [stored(demo_store, r.name, 2026, 12, d) for d in (1, 2, 3, 17)] for r in december.rows()
               if r.post_code == "dispatch"}
    set_cells(demo_store, [(r.worker_id, d.date, []) for r in december.rows() if r.post_code == "dispatch"
                           for d in december.days])
    qtbot.keyClick(roster_tab.view, Qt.Key.Key_PageDown)
    assert roster_tab.month_label.text() == "2026 年 12 月"
    assert roster_tab.model.index(roster_tab.model.coverage_row("dispatch"), 0).data().startswith("缺")

    def choose(dialog: CopyForwardDialog):
        assert dialog.by_rotation.isChecked()
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(CopyForwardDialog, "exec", choose)
    roster_tab.buttons["copy"].click()
    # The demo's ten-day rotation runs on across the month's end, exactly as the vendor planned it.
    assert {name: [shown(roster_tab, name, d) for d in (1, 2, 3, 17)] for name in planned} == planned
    assert roster_tab.model.index(roster_tab.model.coverage_row("dispatch"), 0).data() == "✓"
    qtbot.keyClick(roster_tab.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown(roster_tab, "赵文静", 17) == ""


def test_enter_takes_a_time_range_or_two_shifts_for_the_selection(roster_tab, demo_store, monkeypatch, qtbot):
    import ui.roster.tab as tab_module

    answers = iter([("16:00-次日08:00", True), ("早/中", True)])
    monkeypatch.setattr(tab_module.QInputDialog, "getText", lambda *a, **k: next(answers))
    select(roster_tab, "吴雪梅", 7)  # a Saturday off in the demo
    qtbot.keyClick(roster_tab.view, Qt.Key.Key_Return)
    assert stored(demo_store, "吴雪梅", 2026, 11, 7) == "16:00-次日08:00"
    assert shown(roster_tab, "吴雪梅", 7) == "16-8"  # the whole range is in the tooltip
    index = roster_tab.model.index(row_of(roster_tab, "吴雪梅"), 6)
    assert "16:00-次日08:00" in index.data(Qt.ItemDataRole.ToolTipRole)
    select(roster_tab, "王丽娜", 7, 8)
    qtbot.keyClick(roster_tab.view, Qt.Key.Key_F2)
    assert [stored(demo_store, "王丽娜", 2026, 11, d) for d in (7, 8)] == ["早/中", "早/中"]


def test_shift_types_are_edited_in_their_dialog_and_a_used_one_cannot_be_deleted(roster_tab, demo_store, monkeypatch):
    import ui.roster.shift_types as module
    from app.shifts import shift_types_by_code
    from ui.roster.shift_types import ShiftTypesDialog

    seen = []

    def work(dialog: ShiftTypesDialog):
        dialog.code.setText("值")
        dialog.name.setText("值班")
        dialog.start.setText("16:00")
        dialog.end.setText("16:00")
        dialog.save()
        seen.append(dialog.error.text())  # an end equal to its start is no shift
        dialog.end.setText("08:00")
        dialog.colour.setText("#FFCC00")
        dialog.save()
        night = next(r for r in range(dialog.model.rowCount()) if dialog.model.row_at(r).code == "夜")
        dialog.view.setCurrentIndex(dialog.model.index(night, 0))
        dialog.delete()
        seen.append(dialog.error.text())
        return 0

    monkeypatch.setattr(ShiftTypesDialog, "exec", work)
    monkeypatch.setattr(module.QMessageBox, "question", lambda *a: module.QMessageBox.StandardButton.Yes)
    roster_tab.buttons["shift_types"].click()
    assert "结束时间不能与开始时间相同" in seen[0]
    assert "不能删除" in seen[1]
    types = shift_types_by_code(demo_store)
    assert types["值"].times_text() == "16:00-次日08:00" and "夜" in types
    assert "值" in roster_tab.view.codes  # the new code can be typed at once
