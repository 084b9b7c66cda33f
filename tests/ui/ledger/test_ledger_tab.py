"""付款台账 tab, driven as the clerk does: keys, typing, the 保存 button; asserting what the
clerk sees — the cell, the totals, the message in the dialog."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

import ui.ledger.tab
from app.ledger import load_ledger
from tests.ui.staff.support import click_save, drive, type_text
from ui.ledger.dialogs import InvoiceDialog, PaymentDialog, StageDialog, VoidDialog


def cell(tab, view, row: int, header: str) -> str:
    model = view.model()
    column = next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == header)
    return model.index(row, column).data()


@pytest.fixture
def tab(window, qtbot):
    window.show_tab("ledger")
    tab = window.tab("ledger")
    select_row(qtbot, tab, 0)
    return tab


def select_row(qtbot, tab, row: int) -> None:
    rect = tab.view.visualRect(tab.model.index(row, 0))
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    tab.view.setFocus()


def key(qtbot, tab, letter: str) -> None:
    qtbot.keyClick(tab.view, getattr(Qt.Key, f"Key_{letter}"), Qt.KeyboardModifier.ControlModifier)


def test_tab_shows_the_schedule_and_totals_with_thousands_separators(tab):
    assert [cell(tab, tab.view, r, "付款期限") for r in range(4)] == [
        "2026-04-10 前", "2026-07-10 前", "2026-10-10 前", "2027-01-10 前"]
    assert [cell(tab, tab.view, r, "计划金额") for r in range(4)] == ["324,325.20"] * 3 + ["324,325.22"]
    assert tab.totals.values["total"].text() == "¥1,297,300.82"
    assert tab.totals.values["next_due"].text() == "2026-04-10 前"
    assert cell(tab, tab.view, 2, "状态") == "待结算，逾期 46 天"
    notice = tab.notice.text()
    assert "逾期" in notice and "不视为甲方违约" in notice and "违约" not in notice.replace("不视为甲方违约", "")
    assert tab.view.isColumnHidden(tab._column("原计划金额")) and tab.view.isColumnHidden(tab._column("原期限"))


def test_one_installment_walks_from_pending_to_paid_with_an_invoice(tab, qtbot, monkeypatch):
    drive(monkeypatch, StageDialog, lambda d: click_save(qtbot, d))
    for expected in ("送审", "审计通过", "审批通过"):
        key(qtbot, tab, "T")
        assert cell(tab, tab.view, 0, "状态").startswith(expected + "（2026-11-25）")

    def invoice(d):
        type_text(qtbot, d.number, "26112000000000012345")
        assert d.amount.text() == "324,325.20" and d.periods["2026Q1"].isChecked()
        click_save(qtbot, d)

    drive(monkeypatch, InvoiceDialog, invoice)
    key(qtbot, tab, "I")
    assert cell(tab, tab.view, 0, "已开票") == "324,325.20"
    assert cell(tab, tab.invoice_view, 0, "发票号码") == "26112000000000012345"

    def pay(d):
        assert d.amount.text() == "324,325.20"
        assert d.amount.words.text() == "人民币叁拾贰万肆仟叁佰贰拾伍元贰角"
        type_text(qtbot, d.voucher, "记-0412")
        click_save(qtbot, d)

    drive(monkeypatch, PaymentDialog, pay)
    key(qtbot, tab, "N")
    select_row(qtbot, tab, 0)
    assert cell(tab, tab.view, 0, "状态") == "已支付（2026-11-25），逾期 229 天支付"  # due 04-10: still said
    assert cell(tab, tab.view, 0, "已付") == "324,325.20" and cell(tab, tab.view, 0, "未付") == "0.00"
    assert cell(tab, tab.payment_view, 0, "发票") == "足额"
    assert tab.totals.values["paid"].text() == "¥324,325.20"
    assert tab.totals.notes["paid"].text() == "占合同总额 25.00%"
    assert [s.to_stage.label for s in load_ledger(tab.store).installment("2026Q1").steps] == [
        "送审", "审计通过", "审批通过", "已支付"]
    assert cell(tab, tab.step_view, 3, "经办人") == "王经办"


def test_refusals_show_in_the_dialog_and_save_nothing(tab, qtbot, monkeypatch):
    import ui.forms
    from PySide6.QtWidgets import QMessageBox

    # 取消 after typing asks "放弃未保存的修改？" (the shared FormDialog): answer 是
    monkeypatch.setattr(ui.forms.QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    seen = drive(monkeypatch, InvoiceDialog, lambda d: (type_text(qtbot, d.number, "2611200000000001234O"),
                                                        click_save(qtbot, d), d.reject()))
    key(qtbot, tab, "I")
    assert "第 20 位“O”不是数字（是不是把数字 0 输成了字母 O？）" in seen[0].error.text()
    assert tab.store.db["ledger_invoices"].count == 0

    seen = drive(monkeypatch, PaymentDialog, lambda d: (type_text(qtbot, d.voucher, "记-1"), click_save(qtbot, d),
                                                        d.reject()))
    key(qtbot, tab, "N")
    assert "尚未审批通过" in seen[0].error.text()
    assert tab.store.db["ledger_payments"].count == 0


def test_a_step_back_needs_a_reason_in_the_dialog(tab, qtbot, monkeypatch):
    drive(monkeypatch, StageDialog, lambda d: click_save(qtbot, d))
    key(qtbot, tab, "T")

    def back(d):
        d.stage.setCurrentIndex(d.stage.findData("pending"))
        click_save(qtbot, d)
        assert "请填写原因" in d.error.text()
        type_text(qtbot, d.reason, "审计要求补充值守记录")
        click_save(qtbot, d)

    drive(monkeypatch, StageDialog, back)
    key(qtbot, tab, "T")
    assert cell(tab, tab.view, 0, "状态") == "待结算（2026-11-25），逾期 229 天"
    assert cell(tab, tab.step_view, 1, "原因") == "审计要求补充值守记录"


def test_voiding_a_payment_keeps_it_greyed_with_its_reason(tab, qtbot, monkeypatch):
    from app.demo import fill_demo

    fill_demo(tab.store)
    select_row(qtbot, tab, 2)

    def void(d):
        from PySide6.QtWidgets import QDialogButtonBox

        type_text(qtbot, d.reason, "凭证号录错")
        ok = d.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok.text() == "作废"
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    drive(monkeypatch, VoidDialog, void)
    tab.details.setCurrentWidget(tab.payment_view)
    tab.payment_view.selectRow(0)
    tab.payment_view.setFocus()
    qtbot.keyClick(tab.payment_view, Qt.Key.Key_Delete)
    assert "已作废（2026-11-25：凭证号录错）" in cell(tab, tab.payment_view, 0, "备注")
    assert cell(tab, tab.view, 2, "状态").startswith("审批通过")  # no longer fully paid
    assert tab.totals.values["paid"].text() == "¥771,775.60"


def test_print_request_and_statement_go_through_present_pdf(tab, qtbot, monkeypatch):
    printed = []
    monkeypatch.setattr(ui.ledger.tab, "present_pdf", lambda parent, pdf, name: printed.append((pdf[:4], name)))
    key(qtbot, tab, "P")
    qtbot.keyClick(tab.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert printed == [(b"%PDF", "付款申请单-2026Q1.pdf"), (b"%PDF", "付款台账-2026.pdf")]


def test_export_excel_writes_the_file_chosen(tab, qtbot, monkeypatch, tmp_path, messages):
    monkeypatch.setattr(ui.ledger.tab, "QMessageBox", messages)
    monkeypatch.setattr(ui.ledger.tab.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "台账"), "Excel 工作簿 (*.xlsx)"))
    key(qtbot, tab, "E")
    assert (tmp_path / "台账.xlsx").exists()
    assert "已导出到" in messages.texts("information")


def test_split_dialog_shows_the_difference_live_and_refuses_it(tab, qtbot, monkeypatch):
    from ui.ledger.dialogs import SplitDialog

    def split(d):
        edit = d.editor.edits["2026Q1"]
        edit.selectAll()
        type_text(qtbot, edit, "324,325.00")
        assert d.editor.sum.text() == "1,297,300.62（合同总额 1,297,300.82，少 0.20）"
        click_save(qtbot, d)
        assert "相差 ¥0.20（少），分期金额之和必须等于合同总额" in d.error.text()
        d.editor.edits["2026Q4"].selectAll()
        type_text(qtbot, d.editor.edits["2026Q4"], "324325.42")
        assert d.editor.sum.text().endswith("相符）")
        click_save(qtbot, d)

    drive(monkeypatch, SplitDialog, split)
    tab.buttons["split"].click()
    assert [cell(tab, tab.view, r, "计划金额") for r in range(4)] == [
        "324,325.00", "324,325.20", "324,325.20", "324,325.42"]


def test_payee_entered_once_appears_on_the_request(tab, qtbot, monkeypatch):
    from ui.ledger.dialogs import PayeeDialog

    assert "尚未录入乙方收款账户" in tab.notice.text()

    def payee(d):
        assert d.account_name.text() == "北京自腾科技有限公司"
        type_text(qtbot, d.bank, "中国工商银行北京望京支行")
        type_text(qtbot, d.account_no, "0200 0000 1234 5678 901")
        click_save(qtbot, d)

    drive(monkeypatch, PayeeDialog, payee)
    tab.buttons["payee"].click()
    assert "收款账户" not in tab.notice.text()
    assert load_ledger(tab.store).payee.account_no == "0200000012345678901"


def test_supplementary_agreement_shows_original_beside_amended(tab, qtbot, monkeypatch):
    from ui.ledger.dialogs import SupplementDialog

    def agreement(d):
        type_text(qtbot, d.title_edit, "补充协议（一）：增加夜间值守")
        d.total.selectAll()
        type_text(qtbot, d.total, "1,347,300.82")
        d.total.editingFinished.emit()  # leaving the field spreads the new total
        assert d.editor.edits["2026Q4"].text() == "336,825.22"
        assert d.editor.sum.text().endswith("相符）")
        click_save(qtbot, d)

    drive(monkeypatch, SupplementDialog, agreement)
    tab.buttons["supplement"].click()
    assert not tab.view.isColumnHidden(tab._column("原计划金额"))
    assert cell(tab, tab.view, 3, "原计划金额") == "324,325.22" and cell(tab, tab.view, 3, "计划金额") == "336,825.22"
    assert tab.totals.values["total"].text() == "¥1,347,300.82"
    assert tab.totals.notes["total"].text() == "原合同 ¥1,297,300.82"
    assert cell(tab, tab.supplement_view, 0, "变更内容").startswith("合同总额 ¥1,297,300.82 → ¥1,347,300.82")


def test_every_button_has_its_own_alt_key_and_the_key_presses_it(tab, qtbot, monkeypatch):
    """Like the other tabs, each button shows an underlined letter; none clashes with another
    button or with the menus (文件 F, 查看 V, 帮助 H)."""
    from PySide6.QtGui import QKeySequence

    from ui.ledger.dialogs import PayeeDialog

    keys = {name: QKeySequence.mnemonic(button.text()).toString() for name, button in tab.buttons.items()}
    assert all(keys.values()), keys
    assert len(set(keys.values())) == len(keys)
    assert not set(keys.values()) & {"Alt+F", "Alt+V", "Alt+H"}

    seen = []
    drive(monkeypatch, PayeeDialog, lambda d: (seen.append(d.account_name.text()), d.reject()))
    qtbot.keyClick(tab.view, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: seen == ["北京自腾科技有限公司"])  # a mnemonic clicks a moment after the key


def test_sending_a_quarter_before_it_ends_asks_to_confirm_an_early_payment(tab, qtbot, monkeypatch):
    """三: the office may pay early when the treasury requires it — confirmed, then marked."""
    seen = drive(monkeypatch, StageDialog, lambda d: None)
    key(qtbot, tab, "T")  # 2026Q1 is long over: no question of paying early
    assert not seen[0].early.isVisibleTo(seen[0])
    seen[0].reject()
    select_row(qtbot, tab, 3)

    def send(d):
        assert d.early.isVisible() and not d.early.isChecked()
        assert "服务期到 2026-12-31 才结束" in d.early_note.text() and "（11月、12月）" in d.early_note.text()
        click_save(qtbot, d)  # not confirmed: refused, nothing written
        assert "提前支付" in d.error.text() and d.isVisible()
        assert tab.store.db["ledger_stage_steps"].count == 0
        qtbot.mouseClick(d.early, Qt.MouseButton.LeftButton, pos=d.early.rect().bottomLeft() + QPoint(6, -6))
        assert d.early.isChecked()
        click_save(qtbot, d)

    drive(monkeypatch, StageDialog, send)
    key(qtbot, tab, "T")
    assert cell(tab, tab.view, 3, "状态") == "送审（2026-11-25），提前支付"
    assert "提前支付：服务期至 2026-12-31 尚未结束" in cell(tab, tab.step_view, 0, "原因")


def test_a_quarter_paid_late_keeps_its_late_days_in_amber_not_plain_green(tab, qtbot):
    from app.demo import fill_demo
    from ui.ledger.parts import AMBER, GREEN

    fill_demo(tab.store)  # Q2 paid on 07-16, six days after 07-10; Q1 on 04-09, on time
    select_row(qtbot, tab, 1)
    assert cell(tab, tab.view, 1, "状态") == "已支付（2026-07-16），逾期 6 天支付"
    column = tab._column("状态")
    colour = tab.model.index(1, column).data(Qt.ItemDataRole.ForegroundRole)
    assert colour.name() == AMBER
    tip = tab.model.index(1, column).data(Qt.ItemDataRole.ToolTipRole)
    assert "2026-07-16 付清，比付款期限 2026-07-10 晚 6 天" in tip and "不视为甲方违约" in tip
    assert "违约" not in cell(tab, tab.view, 1, "状态")
    assert tab.model.index(0, column).data(Qt.ItemDataRole.ForegroundRole).name() == GREEN  # on time


def test_the_payment_dialog_opens_on_the_installment_waiting_for_its_money(tab, qtbot, monkeypatch):
    from app.demo import fill_demo
    from app.ledger_records import step_stage

    fill_demo(tab.store)  # Q1–Q3 paid; Q4 not yet sent
    for stage in ("送审", "审计通过", "审批通过"):
        step_stage(tab.store, "2026Q4", stage, early=True)
    select_row(qtbot, tab, 2)  # the clerk is looking at Q3, paid in two parts

    def pay(d):
        assert d.period.currentData() == "2026Q4" and d.amount.text() == "324,325.22"
        assert "2026年第3季度已付清" in d.switched.text()
        d.reject()

    seen = drive(monkeypatch, PaymentDialog, pay)
    key(qtbot, tab, "N")
    assert len(seen) == 1


def test_export_never_replaces_a_backup_or_another_kind_of_file_even_after_the_dialog(tab, qtbot, monkeypatch,
                                                                                   messages, tmp_path):
    """The save dialog's 'replace?' is about the name; app.output_files still refuses the data
    file's backups (whatever their name) and a file that is not a workbook."""
    import shutil

    from app.store import backup

    import PySide6.QtWidgets

    monkeypatch.setattr(ui.ledger.tab, "QMessageBox", messages)
    monkeypatch.setattr(PySide6.QtWidgets, "QMessageBox", messages)  # ui.folders.output_target's
    made = backup.auto_backup(tab.store.path, "manual", conn=tab.store.db.conn).path
    disguised = made.with_name("台账.xlsx")  # a backup under an export's name, in the backup folder
    shutil.copy(made, disguised)
    before = disguised.read_bytes()
    monkeypatch.setattr(ui.ledger.tab.QFileDialog, "getSaveFileName", lambda *a, **k: (str(disguised), ""))
    key(qtbot, tab, "E")
    assert "不会覆盖" in messages.texts("warning") and disguised.read_bytes() == before
    pdf = tmp_path / "台账.xlsx"
    pdf.write_bytes(b"%PDF- a signed sheet saved under the wrong name")
    monkeypatch.setattr(ui.ledger.tab.QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    key(qtbot, tab, "E")
    assert "不是 Excel 工作簿" in messages.texts("warning") and pdf.read_bytes().startswith(b"%PDF-")
