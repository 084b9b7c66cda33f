"""月度考核 tab, driven as the clerk does: score, finalise, sign, be refused, reopen."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app import assessment as a
from app import staff
from tests.test_staff import form, make_id
from tests.ui.conftest import Recorder
from tests.ui.staff.support import drive, type_text


@pytest.fixture
def tab(window, monkeypatch):
    import ui.assessment.page

    staff.add_worker(window.store, form(name="吴雪梅", id_number=make_id(seq=202)))
    staff.add_worker(window.store, form(name="郑晓东", id_number=make_id(seq=203), gender="男", phone="13900001235"))
    import ui.errors

    recorder = Recorder()
    monkeypatch.setattr(ui.assessment.page, "QMessageBox", recorder)
    monkeypatch.setattr(ui.errors, "QMessageBox", recorder)  # month-level refusals take the one error path
    assert window.tab("assessment")._page is None  # nothing is read before the tab is opened
    window.show_tab("assessment")
    t = window.tab("assessment").page()
    t.messages = recorder
    t.set_month(2026, 10)
    return t


def cell(tab, name: str, header_start: str) -> str:
    model = tab.table.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data().startswith(name))
    col = next(c for c in range(model.columnCount())
               if model.headerData(c, Qt.Orientation.Horizontal).replace("\n", "").startswith(header_start))
    return model.index(row, col).data()


def select(qtbot, tab, name: str) -> None:
    model = tab.table.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data().startswith(name))
    rect = tab.table.visualRect(model.index(row, 0))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_score_finalise_sign_refuse_reopen(qtbot, tab, monkeypatch):
    assert cell(tab, "吴雪梅", "合计") == "未评分"
    select(qtbot, tab, "吴雪梅")
    tab.criterion.setCurrentIndex(0)
    qtbot.mouseClick(tab.points, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(tab.points, "2")
    assert "扣后合计 98 分（优秀）" in tab.preview.text()
    qtbot.keyClick(tab.points, Qt.Key.Key_Tab)
    assert tab.date.hasFocus() and tab.date.text() == ""  # no date is guessed for her
    qtbot.keyClicks(tab.date, "8")
    qtbot.mouseClick(tab.reason, Qt.MouseButton.LeftButton)
    assert tab.date.text() == "2026-10-08"  # 8 is the 8th of the month being scored
    type_text(qtbot, tab.reason, "10月8日夜班缺岗 1 小时")
    qtbot.keyClick(tab.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert cell(tab, "吴雪梅", "到岗与值守") == "23" and cell(tab, "吴雪梅", "合计") == "98"
    assert tab.deduction_model.rowCount() == 1 and tab.points.text() == ""
    assert tab.deduction_model.index(0, 0).data() == "2026-10-08"

    qtbot.mouseClick(tab.buttons["finalise"], Qt.MouseButton.LeftButton)
    assert "还有 1 位服务人员没有评分：郑晓东" in tab.messages.texts()
    select(qtbot, tab, "郑晓东")
    qtbot.mouseClick(tab.full_button, Qt.MouseButton.LeftButton)
    assert cell(tab, "郑晓东", "合计") == "100"
    qtbot.mouseClick(tab.buttons["finalise"], Qt.MouseButton.LeftButton)
    assert "已定稿" in tab.status_label.text() and not tab.add_button.isEnabled()

    from ui.assessment.dialogs import ReopenDialog, SignDialog

    def sign(dialog):
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    drive(monkeypatch, SignDialog, sign)
    qtbot.mouseClick(tab.buttons["sign"], Qt.MouseButton.LeftButton)
    assert "已签字" in tab.status_label.text() and "签字 2026-11-25" in tab.status_label.text()
    assert tab.buttons["reopen"].isEnabled() and not tab.buttons["sign"].isEnabled()

    # A signed month is locked: the keyboard still reaches 添加扣分, the core refuses.
    select(qtbot, tab, "吴雪梅")
    assert tab.preview.text() == "本月考核已签字，不能修改扣分；需要更正请先“撤销签字”。"
    qtbot.keyClicks(tab.points, "1")
    qtbot.mouseClick(tab.reason, Qt.MouseButton.LeftButton)
    type_text(qtbot, tab.reason, "补记")
    qtbot.keyClick(tab.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "已签字，已锁定" in tab.error.text() and tab.error.isVisible()
    assert cell(tab, "吴雪梅", "合计") == "98"

    def reopen(dialog):
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)  # no reason: refused
        assert "撤销签字的原因不能为空" in dialog.error.text()
        type_text(qtbot, dialog.reason, "夜班缺岗时长核对有误")
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    drive(monkeypatch, ReopenDialog, reopen)
    qtbot.mouseClick(tab.buttons["reopen"], Qt.MouseButton.LeftButton)
    assert "草稿" in tab.status_label.text() and "第 2 版" in tab.status_label.text()
    assert "夜班缺岗时长核对有误" in tab.status_label.text()
    assert a.get_month(tab.store, 2026, 10).revision == 2
    history = [r["summary"] for r in tab.store.db.query("SELECT summary FROM audit_log ORDER BY id DESC LIMIT 1")]
    assert history == ["2026年10月考核撤销签字：夜班缺岗时长核对有误"]
    assert tab.add_button.isEnabled()


def test_a_deduction_over_the_maximum_is_refused_on_screen(qtbot, tab):
    select(qtbot, tab, "吴雪梅")
    tab.criterion.setCurrentIndex(4)  # 服务规范与保密, 10 points
    qtbot.keyClicks(tab.points, "12")
    type_text(qtbot, tab.reason, "泄露信息")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert "超过“服务规范与保密”的分值 10 分" in tab.error.text()
    assert cell(tab, "吴雪梅", "合计") == "未评分"


def fail_two_months(tab, name: str) -> int:
    w = next(r.assignment.worker_id for r in tab.grid.rows() if r.assignment.worker_name == name)
    for month in (9, 10):
        a.add_deduction(tab.store, 2026, month, w, 1, "25", "严重缺岗", f"2026-{month:02d}-02")
        a.add_deduction(tab.store, 2026, month, w, 2, "20", "派单严重超时", f"2026-{month:02d}-02")
        a.score_all(tab.store, 2026, month)
        a.finalise(tab.store, 2026, month)
    return w


def test_the_replacement_letter_asks_its_number_once_and_the_rule_says_it_was_sent(qtbot, tab, monkeypatch):
    """The clerk clicks the rule's link: the 函号 and date are asked (a date inside the second
    failed month is refused in the form), recorded, and the letter previewed with them; the
    rule on the tab, on 概览 and on 人员 then says the letter was sent, and the link reprints
    the same letter without asking again."""
    import io

    import pypdf

    from ui.assessment.dialogs import DemandForm

    w = fail_two_months(tab, "吴雪梅")
    assert "吴雪梅连续两个月考核不合格" in tab.rules_label.text() and "登记发函并打印" in tab.rules_label.text()
    assert "⚠" in cell(tab, "吴雪梅", "服务人员")
    shown: list[tuple[str, str]] = []

    def preview(parent, pdf, name, *, variant=None):
        text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
        assert variant is not None and variant[0].startswith("信纸已印红色版头")
        shown.append((name, "".join(text.split())))
    monkeypatch.setattr("ui.printing.present_pdf", preview)

    def fill(dialog):
        type_text(qtbot, dialog.letter_no, "  龙街函〔2026〕12号 ")
        dialog.issued_on.setText("2026-10-31")  # October has not ended: no result yet
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and "早于第二个不合格月份（2026年10月）结束" in dialog.error.text()
        dialog.issued_on.setText("2026-11-03")
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    asked = drive(monkeypatch, DemandForm, fill)
    link = f"replacement:{w}:2026-09:2026-10"
    tab.rules_label.linkActivated.emit(link)
    assert len(asked) == 1 and len(shown) == 1
    name, text = shown[0]
    assert name == "更换服务人员通知函-2026-10.pdf"
    for expected in ("北京市东城区人民政府龙潭街道办事处", "龙街函〔2026〕12号", "关于要求更换服务人员的通知函",
                     "2026年9月考核得分55分（不合格）", "2026年10月考核得分55分（不合格）", "2026年11月3日"):
        assert expected in text, expected

    assert "已发函 2026-11-03 龙街函〔2026〕12号" in tab.rules_label.text()
    assert "重印通知函" in tab.rules_label.text() and "有权要求" not in tab.rules_label.text()
    overview = tab.window().tab("overview")
    staff_tab = tab.window().tab("staff")
    overview.show_rules()
    staff_tab.show_replacement_right()
    assert "已发函 2026-11-03 龙街函〔2026〕12号" in overview.rules.text()
    assert "已发函 2026-11-03 龙街函〔2026〕12号" in staff_tab.replacement_right.text()

    tab.rules_label.linkActivated.emit(link)  # the reprint: no question, the same letter
    assert len(asked) == 1 and shown[1] == shown[0]

    # The number is corrected from the same line (what was recorded is shown first).
    def correct(dialog):
        assert dialog.letter_no.text() == "龙街函〔2026〕12号" and dialog.issued_on.text() == "2026-11-03"
        dialog.letter_no.setText("龙街函〔2026〕15号")
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    corrected = drive(monkeypatch, DemandForm, correct)
    tab.rules_label.linkActivated.emit(f"correct:{w}:2026-09:2026-10")
    assert len(corrected) == 1 and len(shown) == 2  # a correction prints nothing by itself
    assert "已发函 2026-11-03 龙街函〔2026〕15号" in tab.rules_label.text()
    tab.rules_label.linkActivated.emit(link)
    assert "龙街函〔2026〕15号" in shown[2][1] and "12号" not in shown[2][1]


def test_cancelling_the_number_prints_nothing_and_records_nothing(qtbot, tab, monkeypatch):
    from app.consequences import list_demands
    from ui.assessment.dialogs import DemandForm

    w = fail_two_months(tab, "吴雪梅")
    shown = []
    monkeypatch.setattr("ui.printing.present_pdf", lambda *args, **kw: shown.append(args))
    drive(monkeypatch, DemandForm, lambda dialog: dialog.reject())
    tab.print_letter(f"replacement:{w}:2026-09:2026-10")
    assert shown == [] and list_demands(tab.store) == []
    assert "登记发函并打印" in tab.rules_label.text()


def test_the_preview_prints_without_the_red_letterhead_when_asked(qtbot, tab, monkeypatch):
    pytest.importorskip("pypdfium2")
    from app import consequences as c
    from ui import printing

    c.issue_notice(tab.store, {"issued_on": "2026-11-02", "failure": "夜间无人值守", "letter_no": "龙街函〔2026〕9号"})
    seen = []

    def look(dialog):
        red = [page_is_red(dialog)]
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        qtbot.keyClick(dialog.print_button, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(dialog.variant_box.isChecked)  # a mnemonic clicks after a short animation
        red.append(page_is_red(dialog))
        seen.append((dialog.variant_box.isChecked(), red, dialog.pdf != dialog.original))
        dialog.accept()
    drive(monkeypatch, printing.PdfPreview, look)
    tab.print_letter(f"cure:{c.list_notices(tab.store)[0].id}")
    assert seen == [(True, [True, False], True)]
    # The choice is kept for the next letter in this session, then taken back.
    seen.clear()

    def again(dialog):
        seen.append(dialog.variant_box.isChecked())
        dialog.variant_box.setChecked(False)
        dialog.accept()
    drive(monkeypatch, printing.PdfPreview, again)
    tab.print_letter(f"cure:{c.list_notices(tab.store)[0].id}")
    assert seen == [True] and not printing._variants_chosen


def page_is_red(dialog) -> bool:
    image = dialog.page_labels[0].pixmap().toImage()
    return any(image.pixelColor(x, y).red() > 150 and image.pixelColor(x, y).green() < 100
               for y in range(image.height() // 6) for x in range(0, image.width(), 2))


def test_print_month_goes_through_the_preview(qtbot, tab, monkeypatch):
    pytest.importorskip("pypdfium2")
    from ui import printing

    a.score_all(tab.store, 2026, 10)
    seen = []

    def look(dialog):
        seen.append((dialog.count, len(dialog.page_labels), dialog.windowTitle()))
        dialog.accept()
    drive(monkeypatch, printing.PdfPreview, look)
    qtbot.keyClick(tab, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert seen == [(3, 3, "预览 — 月度考核表-2026-10.pdf")]


def test_template_dialog_refuses_maxima_not_summing_to_100_then_saves_a_version(qtbot, tab, monkeypatch):
    from ui.assessment.dialogs import TemplateDialog

    def edit(dialog):
        assert "现合计 100 分" in dialog.sum_label.text()
        dialog.criteria.item(0, 2).setText("30")
        assert "现合计 105 分（应为 100 分）" in dialog.sum_label.text()
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
        assert "合计应为 100 分，现在是 105 分" in dialog.error.text()
        dialog.criteria.item(5, 2).setText("5")
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    seen = drive(monkeypatch, TemplateDialog, edit)
    qtbot.mouseClick(tab.buttons["template"], Qt.MouseButton.LeftButton)
    assert seen and seen[0].result() == 1
    from app.assessment_template import template_for
    current = template_for(tab.store, "dispatch")
    assert (current.version, current.criteria[0].max) == (2, 30)
    select(qtbot, tab, "吴雪梅")
    assert "到岗与值守（30 分）" in tab.criterion.currentText()


def test_the_overview_shows_the_replacement_right(qtbot, window):
    w = staff.add_worker(window.store, form(name="吴雪梅", id_number=make_id(seq=202)))
    for month in (9, 10):
        a.add_deduction(window.store, 2026, month, w, 1, "25", "严重缺岗", f"2026-{month:02d}-02")
        a.add_deduction(window.store, 2026, month, w, 2, "20", "派单严重超时", f"2026-{month:02d}-02")
        a.finalise(window.store, 2026, month)
    overview = window.tab("overview")
    qtbot.waitUntil(lambda: overview.rules.isVisible())
    assert "【合同第四条第 4 款】吴雪梅连续两个月考核不合格" in overview.rules.text()


def test_a_roster_suggestion_is_accepted_on_screen(qtbot, window, monkeypatch):
    import datetime as dt

    import ui.assessment.page
    import ui.errors
    from app.duty import add_record
    from app.roster import set_cells

    w = staff.add_worker(window.store, form(name="吴雪梅", id_number=make_id(seq=202)))
    day = dt.date(2026, 10, 14)  # a Wednesday, a working day
    set_cells(window.store, [(w, day, ["白"])])
    add_record(window.store, w, day, "absent", "09:00", "10:00")
    monkeypatch.setattr(ui.assessment.page, "QMessageBox", Recorder())
    monkeypatch.setattr(ui.errors, "QMessageBox", Recorder())
    window.show_tab("assessment")
    tab = window.tab("assessment").page()
    tab.set_month(2026, 10)
    select(qtbot, tab, "吴雪梅")
    assert not tab.suggestion_box.isHidden() and "建议扣 2 分" in tab.suggestion_label.text()
    qtbot.mouseClick(tab.accept_button, Qt.MouseButton.LeftButton)
    assert cell(tab, "吴雪梅", "到岗与值守") == "23" and tab.suggestion_box.isHidden()
    assert "采纳排班建议" in tab.deduction_model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole)


def test_the_staff_tab_shows_the_replacement_right(qtbot, window):
    w = staff.add_worker(window.store, form(name="吴雪梅", id_number=make_id(seq=202)))
    for month in (9, 10):
        a.add_deduction(window.store, 2026, month, w, 1, "25", "严重缺岗", f"2026-{month:02d}-02")
        a.add_deduction(window.store, 2026, month, w, 2, "20", "派单严重超时", f"2026-{month:02d}-02")
        a.finalise(window.store, 2026, month)
    window.show_tab("staff")
    label = window.tab("staff").replacement_right
    qtbot.waitUntil(lambda: not label.isHidden())
    assert "吴雪梅连续两个月考核不合格" in label.text() and "2026年10月 55 分" in label.text()


def test_without_the_pdf_engine_the_document_is_saved_and_opened(qtbot, window, monkeypatch, tmp_path):
    import sys

    from PySide6.QtGui import QDesktopServices

    from ui import printing

    monkeypatch.setitem(sys.modules, "pypdfium2", None)  # import fails as in a build without it
    target = tmp_path / "考核表.pdf"
    monkeypatch.setattr(printing.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    assert printing.present_pdf(window, b"%PDF-1.4 test", "考核表.pdf") == target
    assert target.read_bytes() == b"%PDF-1.4 test" and opened == [str(target)]


def test_the_deduction_form_is_reached_from_the_table_by_alt_keys(qtbot, tab):
    """From the table, Alt+N jumps to 扣分, Alt+A to 日期, Alt+Z to 扣分事由 (the labels show the letters),
    so a deduction is entered without the mouse; every button on the page has its own letter."""
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QApplication, QPushButton

    window = tab.window()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    select(qtbot, tab, "吴雪梅")
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: tab.points.hasFocus())
    qtbot.keyClicks(tab.points, "2")
    qtbot.keyClick(tab.points, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: tab.date.hasFocus())
    qtbot.keyClicks(tab.date, "10-8")
    qtbot.keyClick(tab.date, Qt.Key.Key_Z, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: tab.reason.hasFocus())
    type_text(qtbot, tab.reason, "10月8日夜班缺岗 1 小时")
    qtbot.keyClick(tab.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert cell(tab, "吴雪梅", "合计") == "98"

    from PySide6.QtWidgets import QLabel

    buttons = tab.findChildren(QPushButton)
    keys = [QKeySequence.mnemonic(b.text()).toString() for b in buttons]
    assert all(keys), [b.text() for b in buttons if not QKeySequence.mnemonic(b.text()).toString()]
    keys += [QKeySequence.mnemonic(label.text()).toString() for label in tab.findChildren(QLabel) if label.buddy()]
    keys += [QKeySequence.mnemonic(a.text()).toString() for a in window.menuBar().actions()]  # 文件(F) 查看(V) …
    assert len(set(keys)) == len(keys), sorted(keys)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_each_workers_signed_sheet_is_attached_as_hers_and_the_list_says_whose(qtbot, tab, monkeypatch, tmp_path):
    """The clerk signs with 吴雪梅's scanned sheet, then adds 郑晓东's and the whole stack in
    the scans dialog, choosing whose each file is; the list shows it."""
    import ui.assessment.dialogs as dialogs
    from ui.assessment.dialogs import ScansDialog, SignDialog

    files = {name: tmp_path / f"{name}.pdf" for name in ("吴雪梅", "郑晓东", "全月")}
    for i, path in enumerate(files.values()):
        path.write_bytes(PDF + bytes([65 + i]))
    a.score_all(tab.store, 2026, 10)
    a.finalise(tab.store, 2026, 10)
    chosen = []
    monkeypatch.setattr(dialogs.QFileDialog, "getOpenFileName", lambda *a, **k: (str(chosen.pop(0)), ""))

    def sign(dialog):
        assert [dialog.owner.itemText(i) for i in range(dialog.owner.count())] == ["全月/汇总表", "吴雪梅", "郑晓东"]
        chosen.append(files["吴雪梅"])
        qtbot.mouseClick(dialog.scan.findChild(dialogs.QPushButton), Qt.MouseButton.LeftButton)
        dialog.owner.setFocus()
        type_text(qtbot, dialog.owner, "吴")  # the combo box finds her by the first character
        assert dialog.owner.currentText() == "吴雪梅"
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    drive(monkeypatch, SignDialog, sign)
    qtbot.mouseClick(tab.buttons["sign"], Qt.MouseButton.LeftButton)
    assert "已签字" in tab.status_label.text()

    def add_two(dialog):
        from PySide6.QtWidgets import QApplication

        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        assert [dialog.model.index(0, c).data() for c in (0, 1)] == ["吴雪梅", "吴雪梅.pdf"]
        dialog.owner.setCurrentIndex(dialog.owner.findText("郑晓东"))
        chosen.append(files["郑晓东"])
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)  # a mnemonic clicks after a short animation
        dialog.owner.setCurrentIndex(0)
        chosen.append(files["全月"])
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 3)
        assert [(dialog.model.index(r, 0).data(), dialog.model.index(r, 1).data())
                for r in range(dialog.model.rowCount())] == [
            ("吴雪梅", "吴雪梅.pdf"), ("郑晓东", "郑晓东.pdf"), ("全月/汇总表", "全月.pdf")]
        dialog.accept()
    drive(monkeypatch, ScansDialog, add_two)
    qtbot.mouseClick(tab.buttons["scans"], Qt.MouseButton.LeftButton)
    from app.scans import list_scans
    assert [s.whose for s in list_scans(tab.store, 2026, 10)] == ["吴雪梅", "郑晓东", "全月/汇总表"]


@pytest.mark.parametrize("typed, shown", [
    ("NaN", "不是数字"), ("1e999999999", "不是数字"), ("sNaN", "不是数字"), ("1_0", "不是数字"),
    ("１．５", "扣后合计 98.5 分（优秀）"), ("0.05", "最多保留一位小数"),
])
def test_the_live_preview_reads_points_as_the_form_saves_them(qtbot, tab, typed, shown):
    """Typing NaN into 扣分 raised InvalidOperation in the preview (the total compared with
    the grade bands); １．５ said '扣分应为数字' although it is saved as 1.5."""
    select(qtbot, tab, "吴雪梅")
    tab.criterion.setCurrentIndex(0)
    qtbot.mouseClick(tab.points, Qt.MouseButton.LeftButton)
    type_text(qtbot, tab.points, typed)
    assert shown in tab.preview.text()


def test_a_cure_notice_takes_its_number_from_the_clerk_and_the_letter_prints_it(qtbot, tab, monkeypatch):
    import io

    import pypdf

    from app.consequences import list_notices
    from ui.assessment.dialogs import NoticeForm, RegistersDialog
    from ui.forms import FormDialog

    registers = RegistersDialog(tab.store, tab)
    qtbot.addWidget(registers)

    def fill(dialog):
        type_text(qtbot, dialog.letter_no, " 龙街函〔2026〕9号")
        dialog.issued_on.setText("2026-11-02")
        type_text(qtbot, dialog.failure, "夜间无人值守")
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    drive(monkeypatch, NoticeForm, fill)
    registers.add_notice()
    assert [n.letter_no for n in list_notices(tab.store)] == ["龙街函〔2026〕9号"]
    assert registers.notice_model.index(0, 0).data() == "龙街函〔2026〕9号"
    shown = []
    monkeypatch.setattr("ui.printing.present_pdf", lambda parent, pdf, name, *, variant=None: shown.append(
        "".join("".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())))
    registers.notice_view.selectRow(0)
    registers.print_selected()
    assert "龙街函〔2026〕9号" in shown[0] and "催告函" in shown[0] and "2026年11月2日" in shown[0]

    def renumber(dialog):
        edit = dialog.fields["letter_no"]
        assert edit.text() == "龙街函〔2026〕9号"
        edit.setText("龙街函〔2026〕10号")
        dialog.try_accept()
    drive(monkeypatch, FormDialog, renumber)
    registers.number_selected()
    assert registers.notice_model.index(0, 0).data() == "龙街函〔2026〕10号"
    registers.notice_view.selectRow(0)
    registers.print_selected()
    assert "龙街函〔2026〕10号" in shown[1]


def test_opening_the_tab_puts_the_keyboard_on_the_first_worker(qtbot, window):
    """Ctrl+4, then the form is for the first worker; Down goes to the second (not from
    an unselected first row to the second, skipping the first)."""
    staff.add_worker(window.store, form(name="吴雪梅", id_number=make_id(seq=202)))
    staff.add_worker(window.store, form(name="郑晓东", id_number=make_id(seq=203), gender="男", phone="13900001235"))
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    page = window.tab("assessment").page()
    first, second = (page.grid.row_at(r).assignment.worker_name for r in (0, 1))
    assert page.table.hasFocus() and page.selected_row().assignment.worker_name == first
    assert page.form.title().startswith(f"扣分：{first}")
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.selected_row().assignment.worker_name == second


def test_a_roster_suggestion_changed_with_the_points_typed_below_it(qtbot, window, monkeypatch):
    """The 扣分 field is below the suggestion: the button must not send her 'above'."""
    import datetime as dt

    import ui.assessment.page
    from app.duty import add_record
    from app.roster import set_cells

    w = staff.add_worker(window.store, form(name="吴雪梅", id_number=make_id(seq=202)))
    day = dt.date(2026, 10, 14)
    set_cells(window.store, [(w, day, ["白"])])
    add_record(window.store, w, day, "absent", "09:00", "10:00")
    monkeypatch.setattr(ui.assessment.page, "QMessageBox", Recorder())
    window.show_tab("assessment")
    tab = window.tab("assessment").page()
    tab.set_month(2026, 10)
    select(qtbot, tab, "吴雪梅")
    box_bottom = tab.suggestion_box.mapTo(tab, tab.suggestion_box.rect().bottomLeft()).y()
    assert tab.points.mapTo(tab, tab.points.rect().topLeft()).y() > box_bottom
    assert "上面" not in tab.change_button.text() and "扣分栏" in tab.change_button.text()
    tab.points.setFocus()
    qtbot.keyClicks(tab.points, "1")
    qtbot.mouseClick(tab.change_button, Qt.MouseButton.LeftButton)
    assert cell(tab, "吴雪梅", "到岗与值守") == "24"
    assert "排班建议扣 2 分，改为 1 分" in tab.deduction_model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole)


def test_the_comment_cannot_be_typed_in_a_finalised_month(qtbot, tab):
    """保存意见 is greyed out once the month is 已定稿; the box itself takes no typing either,
    so nothing she writes there is silently dropped."""
    select(qtbot, tab, "吴雪梅")
    qtbot.mouseClick(tab.all_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.buttons["finalise"], Qt.MouseButton.LeftButton)
    assert "已定稿" in tab.status_label.text()
    select(qtbot, tab, "吴雪梅")
    tab.comment.setFocus()
    qtbot.keyClicks(tab.comment, "abc")
    assert tab.comment.toPlainText() == "" and tab.comment.isReadOnly()
    qtbot.mouseClick(tab.buttons["draft"], Qt.MouseButton.LeftButton)
    assert not tab.comment.isReadOnly()


def test_a_long_reopen_reason_does_not_widen_the_window(qtbot, tab):
    """The reason is shown in the status line; a long one is cut there (whole in the
    tooltip) rather than making the window wider than a 1092-px screen allows."""
    select(qtbot, tab, "吴雪梅")
    qtbot.mouseClick(tab.all_button, Qt.MouseButton.LeftButton)
    a.finalise(tab.store, 2026, 10)
    a.sign(tab.store, 2026, 10, "2026-11-25")
    reason = "10月8日夜班缺岗时长核对有误，值守记录与乙方排班表不一致，经双方核对应为 1 小时而非 2 小时，另补记一项交接班记录缺失" * 2
    a.reopen(tab.store, 2026, 10, reason)
    window = tab.window()
    window.resize(1092, 580)
    qtbot.waitUntil(lambda: window.width() == 1092)
    tab.refresh()
    assert window.minimumSizeHint().width() <= 1092, window.minimumSizeHint()
    label = tab.status_label
    assert label.sizeHint().width() <= label.width(), (label.sizeHint(), label.width())  # nothing cut off
    assert "已评分 2 / 2 人" in label.text() and reason in label.toolTip()


def test_the_preview_fits_the_screen(qtbot, tab, monkeypatch):
    """A 768-px laptop: the preview (980×900 by default) must not run off the bottom of the
    screen; the pages scroll inside it instead."""
    pytest.importorskip("pypdfium2")
    from ui import printing

    a.score_all(tab.store, 2026, 10)
    seen = []

    def look(dialog):
        dialog.show()
        seen.append((dialog.frameGeometry(), dialog.screen().availableGeometry()))
        dialog.accept()
    drive(monkeypatch, printing.PdfPreview, look)
    qtbot.keyClick(tab, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    (frame, screen), = seen
    assert frame.width() <= screen.width() and frame.height() <= screen.height(), (frame, screen)


def test_the_deduction_list_names_each_deductions_item(qtbot, tab):
    """Two deductions from different items: the list says which item each came from, so
    she withdraws the right one."""
    select(qtbot, tab, "吴雪梅")
    a.add_deduction(tab.store, 2026, 10, tab.selected_row().assignment.worker_id, 1, "2", "夜班缺岗 1 小时", "2026-10-08")
    a.add_deduction(tab.store, 2026, 10, tab.selected_row().assignment.worker_id, 2, "1", "超时派单一件", "2026-10-09")
    tab.refresh()
    model = tab.deduction_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    item = headers.index("考核项目")
    reason = headers.index("扣分事由")
    rows = {model.index(r, reason).data(): model.index(r, item).data() for r in range(model.rowCount())}
    assert rows == {"夜班缺岗 1 小时": "到岗与值守", "超时派单一件": "派单及时准确"}


def test_the_rules_letter_links_work_from_the_keyboard(qtbot, tab, monkeypatch):
    """登记发函并打印通知函… is reached with Shift+Tab from the table, Tab onto the link, Enter —
    the 更换服务人员通知函 has no other way in."""
    fail_two_months(tab, "吴雪梅")
    tab.refresh()
    assert "登记发函并打印通知函" in tab.rules_label.text()
    from ui.assessment.dialogs import DemandForm

    opened = []
    tab.rules_label.linkActivated.connect(opened.append)
    asked = drive(monkeypatch, DemandForm, lambda dialog: dialog.reject())
    tab.window().activateWindow()
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert tab.rules_label.hasFocus()
    qtbot.keyClick(tab.rules_label, Qt.Key.Key_Tab)  # onto the first link
    assert tab.rules_label.hasFocus()
    qtbot.keyClick(tab.rules_label, Qt.Key.Key_Return)
    assert opened and opened[0].startswith("replacement:") and len(asked) == 1  # the 函号 is asked
