"""月度考核 on a laptop's screen, with the demo data (13 workers, two rules on top): the table
readable without sideways scrolling, the deduction list in sight when the form shows an
error, month-level refusals kept out of the form, the deduction's date written by the clerk."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import Recorder
from tests.ui.staff.support import type_text


@pytest.fixture
def page(window, monkeypatch):
    import ui.assessment.page
    import ui.errors
    from app.demo import fill_demo

    fill_demo(window.store)
    recorder = Recorder()
    monkeypatch.setattr(ui.assessment.page, "QMessageBox", recorder)
    monkeypatch.setattr(ui.errors, "QMessageBox", recorder)
    window.show_tab("assessment")
    p = window.tab("assessment").page()
    p.messages = recorder
    return p


def resize(qtbot, page, width: int, height: int) -> None:
    window = page.window()
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.size().width() == width and window.size().height() == height)
    qtbot.wait(20)


def select(qtbot, page, name: str) -> None:
    model = page.table.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data().startswith(name))
    page.table.scrollTo(model.index(row, 0))
    rect = page.table.visualRect(model.index(row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def write_deduction(qtbot, page, points: str, reason: str, date: str | None = None) -> None:
    """Type a deduction as the clerk does (the date only when given; it may be kept from the
    last one) and save it with Ctrl+Enter."""
    page.points.setFocus()
    qtbot.keyClicks(page.points, points)
    if date is not None:
        page.date.setFocus()
        page.date.selectAll()
        qtbot.keyClicks(page.date, date)
    page.reason.setFocus()
    type_text(qtbot, page.reason, reason)
    qtbot.keyClick(page.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def rows_in_sight(view) -> float:
    return view.viewport().height() / view.verticalHeader().defaultSectionSize()


def in_sight(widget) -> bool:
    """Drawn on screen, not scrolled away or cut to nothing."""
    return widget.isVisible() and widget.visibleRegion().boundingRect().height() >= widget.height() - 1


@pytest.mark.parametrize("size", [(1366, 728), (1092, 580)])
def test_an_error_in_the_deduction_form_leaves_the_list_and_the_form_in_sight(qtbot, page, size):
    window = page.window()
    hint = window.minimumSizeHint()
    assert hint.width() <= 1092 and hint.height() <= 580, hint  # the tab lets the window fit a 768-px screen
    resize(qtbot, page, *size)
    page.set_month(2026, 11)
    select(qtbot, page, "赵文静")  # two deductions already
    before = rows_in_sight(page.deduction_view)
    assert before >= 4, before
    page.criterion.setCurrentIndex(0)
    write_deduction(qtbot, page, "24", "夜班缺岗", date="12")
    assert "已扣 3 分，最多还能扣 22 分" in page.error.text()
    assert rows_in_sight(page.deduction_view) == before  # the error took no room from the list
    for widget in (page.error, page.points, page.reason, page.add_button, page.all_button, page.comment):
        assert in_sight(widget), widget
    assert page.points.hasFocus()  # the keyboard is in the field the refusal names


@pytest.mark.parametrize("width", [1366, 1180])
def test_every_column_is_readable_without_sideways_scrolling(qtbot, page, width):
    resize(qtbot, page, width, 728)
    page.set_month(2026, 9)
    table, model = page.table, page.table.model()
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0)
    headers = [model.headerData(c, Qt.Orientation.Horizontal).replace("\n", "") for c in range(model.columnCount())]
    assert headers[:2] == ["服务人员", "岗位"] and headers[-2:] == ["合计", "等级"]
    assert headers[2].startswith("到岗与值守") and headers[5].startswith("回复意见审核质量")
    metrics = table.fontMetrics()
    for c in range(model.columnCount()):
        widest = max(metrics.horizontalAdvance(model.index(r, c).data()) for r in range(model.rowCount()))
        assert table.columnWidth(c) >= widest, (headers[c], table.columnWidth(c), widest)  # nothing cut
        assert table.viewport().rect().contains(table.visualRect(model.index(0, c))), headers[c]  # in sight
    posts = {model.index(r, 1).data() for r in range(model.rowCount())}
    assert "接诉即办案件回复意见审核" in posts  # the whole name, no "…"
    tip = model.headerData(2, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("1. 到岗与值守（25 分）")  # an abbreviated header says it whole on hover


def test_a_month_level_refusal_is_the_months_not_the_deduction_forms(qtbot, page):
    page.set_month(2026, 11)  # a draft, and the month is not over on 2026-11-25
    select(qtbot, page, "赵文静")
    qtbot.mouseClick(page.buttons["finalise"], Qt.MouseButton.LeftButton)
    assert page.messages.calls and page.messages.calls[-1][1] == "定稿"
    assert "2026年11月还没有结束" in page.messages.calls[-1][2]
    assert page.error.text() == "" and not page.error.isVisible()
    assert "草稿" in page.status_label.text()


def test_the_date_is_written_by_the_clerk_and_kept_for_the_next_deduction_of_the_month(qtbot, page):
    page.set_month(2026, 10)
    page.buttons["draft"].click()  # October is finalised in the demo: back to draft to correct it
    select(qtbot, page, "钱立新")
    assert page.date.text() == "" and page.date.placeholderText() == "10月1–31日"
    write_deduction(qtbot, page, "1", "交接班记录缺失")
    assert "请填写扣分日期" in page.error.text() and "2026-10-01 至 2026-10-31" in page.error.text()
    assert page.date.hasFocus()
    qtbot.keyClicks(page.date, "9")
    qtbot.keyClick(page.date, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    shown = [(page.deduction_model.index(r, 0).data(), page.deduction_model.index(r, 3).data())
             for r in range(page.deduction_model.rowCount())]
    assert page.error.text() == "" and ("2026-10-09", "交接班记录缺失") in shown
    assert page.date.text() == "2026-10-09"  # kept: the next note of the stack is usually the same day or later
    select(qtbot, page, "李佳怡")
    assert page.date.text() == "2026-10-09"
    page.set_month(2026, 9)
    assert page.date.text() == "" and page.date.placeholderText() == "9月1–30日"  # another month: nothing carried
    page.set_month(2026, 10)
    assert page.date.text() == "2026-10-09"
    write_deduction(qtbot, page, "1", "迟到", date="11-3")
    assert "不在2026年10月内（应在 2026-10-01 至 2026-10-31 之间）" in page.error.text()


def test_at_the_smallest_window_a_suggestion_scrolls_the_form_and_the_keyboard_brings_it_back(qtbot, page):
    """1092×580 with a roster suggestion shown: the list keeps its rows, the form scrolls
    below it, and Alt+O (考核意见) or Alt+N (扣分) bring the field into sight; an error is shown in sight too."""
    from PySide6.QtWidgets import QApplication

    resize(qtbot, page, 1092, 580)
    page.set_month(2026, 11)
    select(qtbot, page, "冯建华")  # the demo's hour nobody covered on 11-05
    assert not page.suggestion_box.isHidden() and rows_in_sight(page.deduction_view) >= 4
    window = page.window()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.points.hasFocus())
    qtbot.waitUntil(lambda: in_sight(page.points))
    qtbot.keyClick(page.points, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # 考核意见, at the bottom
    qtbot.waitUntil(lambda: page.comment.hasFocus())
    qtbot.waitUntil(lambda: in_sight(page.comment))
    qtbot.keyClick(page.comment, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.points.hasFocus())
    qtbot.keyClicks(page.points, "30")
    qtbot.keyClick(page.points, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "超过“到岗与值守”的分值 25 分" in page.error.text() and in_sight(page.error)


def test_tab_walks_the_deduction_form_in_paper_order_and_f4_opens_the_months_calendar(qtbot, page):
    from PySide6.QtWidgets import QApplication

    window = page.window()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page.set_month(2026, 11)
    select(qtbot, page, "赵文静")
    page.criterion.setFocus()
    order = [page.points, page.date, page.reason, page.add_button, page.remove_button, page.full_button,
             page.all_button, page.comment, page.save_comment_button]
    for expected in order:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is expected, (QApplication.focusWidget(), expected)
    page.date.setFocus()
    qtbot.keyClick(page.date, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: page.date.popup is not None and page.date.popup.isVisible())
    assert page.date.popup.title.text() == "2026年11月"
    page.date.popup.hide()


@pytest.mark.parametrize("size", [(1366, 728), (1092, 580)])
def test_the_panels_buttons_are_whole_beside_its_scroll_bar(qtbot, window, monkeypatch, size):
    """On 3 December all three rules are on top (the 催告 is overdue), so at 1092×580 the
    panel scrolls up and down; its scroll bar must not cover 保存意见 or 其余满分."""
    from app.demo import fill_demo

    monkeypatch.setenv("DINGSHOU_TODAY", "2026-12-03")
    fill_demo(window.store)
    window.show_tab("assessment")
    page = window.tab("assessment").page()
    resize(qtbot, page, *size)
    select(qtbot, page, "赵文静")
    qtbot.wait(50)  # the scroll area settles whether it needs its bar
    assert page.panel_scroll.verticalScrollBar().isVisible() == (size[1] < 600)
    viewport = page.panel_scroll.viewport()
    for button in (page.save_comment_button, page.all_button):
        right = button.mapTo(viewport, button.rect().topRight()).x()
        assert right < viewport.width(), (button.text(), right, viewport.width())


def test_the_trend_charts_legend_shows_each_workers_whole_name(qtbot, page):
    """趋势图 with 全部: fourteen series; the legend must name each worker whole, not 赵... 钱..."""
    from ui.assessment.charts import TrendDialog

    dialog = TrendDialog(page.store, page)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.wait(50)
    legend = dialog.chart.legend()
    labels = [m.label() for m in legend.markers()]
    assert "赵文静" in labels and len(labels) >= 13
    shown = sorted(text_items(legend))  # what is drawn beside each marker
    assert shown == sorted(labels), shown


def text_items(item) -> list[str]:
    from PySide6.QtWidgets import QGraphicsTextItem

    out = []
    for child in item.childItems():
        if isinstance(child, QGraphicsTextItem) and child.isVisible():
            out.append(child.toPlainText())
        out += text_items(child)
    return out


def test_the_trend_charts_score_axis_is_marked_every_ten_points(qtbot, page):
    """40, 50 … 100 — not 40, 55, 70, 85 or 50, 62, 75, 87."""
    from ui.assessment.charts import TrendDialog

    dialog = TrendDialog(page.store, page)
    qtbot.addWidget(dialog)
    for kind in range(dialog.kind.count()):
        dialog.kind.setCurrentIndex(kind)
        axis = next(a for a in dialog.chart.axes(Qt.Orientation.Vertical))
        step = (axis.max() - axis.min()) / (axis.tickCount() - 1)
        assert step == 10, (dialog.kind.currentText(), axis.min(), axis.max(), axis.tickCount())


def test_the_trend_chart_marks_a_month_still_in_draft(qtbot, page):
    """November (a draft on 2026-11-25) was plotted as if its totals were final."""
    from ui.assessment.charts import TrendDialog

    dialog = TrendDialog(page.store, page)
    qtbot.addWidget(dialog)
    axis = next(a for a in dialog.chart.axes(Qt.Orientation.Horizontal))
    labels = axis.categoriesLabels()
    assert "11月*" in labels and "10月" in labels and "10月*" not in labels
    assert dialog.note.text().startswith("带 * 的月份尚未定稿")


def test_the_template_dialog_is_reached_by_keyboard_and_fits_the_screen(qtbot, page):
    """考核标准 had no Alt keys on its fields or its 增加/删除 buttons, and opened at 1100×680."""
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QLabel, QPushButton

    from ui.assessment.dialogs import TemplateDialog

    dialog = TemplateDialog(page.store, page)
    qtbot.addWidget(dialog)
    buttons = [b for b in dialog.findChildren(QPushButton) if b.text() not in ("保存为新版本", "取消")]
    keys = [QKeySequence.mnemonic(b.text()).toString() for b in buttons]
    keys += [QKeySequence.mnemonic(label.text()).toString() for label in dialog.findChildren(QLabel) if label.buddy()]
    assert len(keys) >= 8 and all(keys) and len(set(keys)) == len(keys), keys
    screen = dialog.screen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
