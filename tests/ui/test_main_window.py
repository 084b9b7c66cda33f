"""What the clerk sees when the program opens."""
from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel

import ui.main_window as main_window_module


def visible_texts(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]


def test_title_and_tabs(window):
    assert window.windowTitle() == "2026 年龙潭街道接诉即办平台盯守服务合同 — 盯守台账"
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "概览", "人员", "排班日历", "月度考核", "付款台账"]


def test_overview_shows_the_contract(window):
    texts = visible_texts(window.tab("overview"))
    for expected in ("北京市东城区人民政府龙潭街道办事处", "张莉莉", "北京自腾科技有限公司", "18501358923",
                     "¥1,297,300.82", "人民币壹佰贰拾玖万柒仟叁佰元捌角贰分",
                     "已履行 329 天，剩余 36 天", "2026年11月25日 星期三 · 工作日"):
        assert expected in texts, expected
    model = window.tab("overview").posts_model
    rows = [[model.index(r, c).data() for c in range(4)] for r in range(model.rowCount())]
    assert rows[0] == ["接派单、退单、案件核实", "1", "全天24小时", "全天24小时"]
    assert rows[3] == ["城市管理网格平台盯守", "1", "08:00–18:30", "10:00–16:30"]
    assert rows[1][3] == "视情况适当提供服务"


def test_holiday_shown_on_a_holiday(window, monkeypatch, qtbot):
    monkeypatch.setenv("DINGSHOU_TODAY", "2026-10-04")
    window.tab("overview").refresh()
    qtbot.waitUntil(lambda: "2026年10月04日 星期日 · 休息日（国庆节假期）" in visible_texts(window.tab("overview")))


def test_ctrl_number_switches_tabs(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget().key == "roster"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget().key == "overview"


def test_set_operator_is_saved_shown_and_audited(window, monkeypatch):
    monkeypatch.setattr(main_window_module.QInputDialog, "getText",
                        staticmethod(lambda *a, **k: ("周经办", True)))
    window.ask_operator()
    assert "经办人：周经办" in window.location.text()
    assert window.store.setting("operator") == "周经办"
    last = next(window.store.db.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1"))
    assert last["table_name"] == "settings" and "周经办" in last["changes"]


def test_blank_operator_is_refused_with_a_message(window, monkeypatch):
    shown = []
    monkeypatch.setattr(main_window_module.QInputDialog, "getText", staticmethod(lambda *a, **k: ("  ", True)))
    monkeypatch.setattr(main_window_module.QMessageBox, "warning", staticmethod(lambda *a: shown.append(a[2])))
    window.ask_operator()
    assert shown == ["经办人姓名不能为空。"]
    assert window.store.setting("operator") is None


def run_ui(*args, env_extra=None):
    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "ui", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)


def test_screenshot_command_renders_every_tab(tmp_path):
    result = run_ui("--screenshot", str(tmp_path / "shots"))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "shots").glob("*.png"))
    assert names == sorted(["overview.png", "staff.png", "roster.png", "assessment.png", "ledger.png",
                            "dialog-history.png", "dialog-restore.png", "dialog-worker.png",
                            "dialog-import-preview.png"])
    image = QImage(str(tmp_path / "shots" / "overview.png"))
    assert (image.width(), image.height()) == (1180, 760)
    # Not a blank picture: many distinct colours are drawn (text, table, progress bar).
    colours = {image.pixel(x, y) for x in range(0, 1180, 7) for y in range(0, 760, 7)}
    assert len(colours) > 20


def test_screenshot_refuses_a_bad_file(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"\x00" * 100)
    result = run_ui("--screenshot", str(tmp_path / "shots"), "--db", str(bad))
    assert result.returncode == 1
    assert "不是 SQLite 数据库" in result.stderr


def test_no_display_gives_one_clear_paragraph():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "xcb"
    result = subprocess.run([sys.executable, "-m", "ui"], capture_output=True, text=True,
                            encoding="utf-8", env=env, timeout=60)
    if sys.platform.startswith("linux"):
        assert result.returncode == 3
        assert "无法打开窗口" in result.stderr and "xvfb-run" in result.stderr
        assert "qt.qpa" not in result.stderr


def test_a_missing_xcb_library_is_named_with_its_package(monkeypatch):
    import ctypes.util

    from ui.app import display_problem

    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setenv("DISPLAY", ":0")
    real = ctypes.util.find_library
    monkeypatch.setattr(ctypes.util, "find_library",
                        lambda name: None if name in ("GL", "xcb-image") else real(name) or f"lib{name}.so")
    problem = display_problem()
    assert "libGL、libxcb-image" in problem and "sudo apt-get install libgl1 libxcb-image0" in problem


def test_the_first_start_asks_the_clerks_name_and_keeps_it_with_the_pc(window, monkeypatch):
    from app.operator_settings import pc_operator
    from ui import startup

    asked = []
    monkeypatch.setattr(main_window_module.QInputDialog, "getText",
                        staticmethod(lambda *a, **k: (asked.append(a[2]), ("李文", True))[1]))
    startup.ensure_operator(window)
    assert asked and "请填写您的姓名" in asked[0]
    assert pc_operator() == "李文" and window.store.operator == "李文"
    assert window.store.setting("operator") == "李文" and "经办人：李文" in window.location.text()
    startup.ensure_operator(window)  # the next start does not ask again
    assert len(asked) == 1


def test_qts_own_file_dialog_speaks_chinese(window, qtbot):
    from PySide6.QtWidgets import QFileDialog, QLabel

    dialog = QFileDialog(window, "选择乙方人员名单", str(window.store.path.parent), "Excel 工作簿 (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    dialog.show()
    labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
    assert labels["lookInLabel"] == "查找范围(&L)："
    assert labels["fileTypeLabel"] == "文件类型(&T)："
    assert labels["fileNameLabel"].startswith("文件名称")


def test_heavy_packages_wait_until_they_are_used():
    """The daily start: the window's modules load no workbook, PDF or holiday package, and
    no Qt module beyond Core, Gui and Widgets (QtPdf, QtCharts load where used)."""
    code = ("import sys, ui.main_window, ui.__main__;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in"
            " ('holidays', 'openpyxl', 'reportlab', 'pypdf') or m.startswith(('PySide6.QtPdf', 'PySide6.QtCharts'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert out.stdout.strip() == "[]"


def test_ctrl_number_puts_the_keyboard_in_the_tabs_table(window, qtbot):
    """After Ctrl+3 a typed code or an arrow key goes to the grid, not to the tab bar (where
    the arrows would switch tabs): every tab with a table takes the keyboard when shown."""
    from PySide6.QtWidgets import QApplication

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.tabs.tabBar().setFocus()
    tables = {"roster": lambda: window.tab("roster").view, "assessment": lambda: window.tab("assessment").page().table,
              "ledger": lambda: window.tab("ledger").view, "staff": lambda: window.tab("staff").view}
    for key, name in ((Qt.Key.Key_3, "roster"), (Qt.Key.Key_4, "assessment"), (Qt.Key.Key_5, "ledger"),
                      (Qt.Key.Key_2, "staff")):
        qtbot.keyClick(QApplication.focusWidget() or window, key, Qt.KeyboardModifier.ControlModifier)
        assert window.tabs.currentWidget().key == name
        qtbot.waitUntil(lambda name=name: QApplication.focusWidget() is tables[name]())


def test_overview_shows_every_post_at_1366_by_768_with_the_rules_on_top(window, qtbot):
    """A 1366×768 laptop (taskbar and title bar leave ~700 pixels): the post table showed 3
    of its 5 rows, the rest scrolled inside it. Now every row and the note under it are in
    view without scrolling, even with the demo's two fired rules above them."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QScrollArea

    from app.demo import fill_demo

    fill_demo(window.store)
    tab = window.tab("overview")
    tab.show_rules()
    window.resize(1366, 700)
    window.show_tab("overview")
    qtbot.waitUntil(lambda: tab.rules.isVisible())
    qtbot.wait(50)
    scroll = tab.findChild(QScrollArea)
    seen = QRect(QPoint(0, 0), scroll.viewport().size())
    view = tab.posts_view
    assert tab.posts_model.rowCount() == 5
    for row in range(5):
        rect = view.visualRect(tab.posts_model.index(row, 0))
        top_left = view.viewport().mapTo(scroll.viewport(), rect.topLeft())
        bottom = view.viewport().mapTo(scroll.viewport(), rect.bottomLeft())
        assert rect.isValid() and seen.contains(top_left) and seen.contains(bottom), row
        assert view.viewport().rect().contains(rect), row  # not cut by the table's own edge
    note = tab.posts_summary
    assert seen.contains(note.mapTo(scroll.viewport(), note.rect().bottomLeft()))
    assert scroll.verticalScrollBar().value() == 0
