"""Data safety as the clerk meets it: backup, restore, history, disk full, bad files, one window."""
from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

import ui.backup_dialogs as backup_dialogs
import ui.history as history_module
import ui.main_window as main_window_module
import ui.startup as startup
from app.store import backup, open_store
from app.workcalendar import DayKind, set_override

ROOT = Path(__file__).resolve().parents[2]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_menus_have_the_safety_actions(window):
    shortcuts = {a.text(): a.shortcut().toString() for a in window.findChildren(type(window.backup_action))}
    assert shortcuts["备份到(&B)…"] == "Ctrl+Shift+B"
    assert shortcuts["从备份恢复(&R)…"] == "Ctrl+Shift+R"
    assert shortcuts["全部修改记录(&H)…"] == "Ctrl+H"


def test_backup_to_a_chosen_folder(window, messages, monkeypatch, tmp_path):
    usb = tmp_path / "U盘"
    usb.mkdir()
    monkeypatch.setattr(backup_dialogs.QFileDialog, "getExistingDirectory", lambda *a, **k: str(usb))
    window.backup_action.trigger()
    [made] = list(usb.glob("dingshou-*-manual.sqlite3"))
    assert backup.verify(made)
    assert "备份完成，已校验" in messages.texts("information") and str(made) in messages.texts()


def test_backup_to_a_missing_folder_says_so(window, messages, monkeypatch, tmp_path):
    monkeypatch.setattr(backup_dialogs.QFileDialog, "getExistingDirectory",
                        lambda *a, **k: str(tmp_path / "拔掉的U盘"))
    window.backup_to()
    assert "不存在" in messages.texts("warning")


def test_restore_picker_shows_date_contract_last_change_and_restores(window, messages, qtbot, file_store, db_path):
    file_store.set_operator("甲经办")
    made = backup.auto_backup(db_path, "exit", conn=file_store.db.conn).path
    dialog = backup_dialogs.RestoreDialog(db_path, window)
    qtbot.addWidget(dialog)
    model = dialog.model
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row[1] == "退出时自动备份" and row[2] == "2026 年龙潭街道接诉即办平台盯守服务合同"
    assert "甲经办：修改设置" in row[3]
    assert "备份时间" in dialog.details.text() and "最后一次修改" in dialog.details.text()
    messages.answer = QMessageBox.StandardButton.Yes
    dialog.restore_button.click()
    assert dialog.chosen.path == made
    assert "替换当前数据" in messages.texts("question")


def test_restore_menu_records_the_choice_and_closes_the_window(window, monkeypatch, db_path, file_store):
    made = backup.auto_backup(db_path, "exit", conn=file_store.db.conn).path

    class Picked:
        def __init__(self, *args):
            self.chosen = type("Info", (), {"path": made})()

        def exec(self):
            return True

    monkeypatch.setattr(main_window_module, "RestoreDialog", Picked)
    window.restore_action.trigger()
    assert window.pending_restore == made and not window.isVisible()


def test_restore_picker_refuses_a_foreign_file(window, messages, monkeypatch, qtbot, db_path, tmp_path):
    foreign = tmp_path / "别的程序.sqlite3"
    foreign.write_bytes(b"PK\x03\x04" * 100)
    dialog = backup_dialogs.RestoreDialog(db_path, window)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0 and "没有可用的备份" in dialog.details.text()
    monkeypatch.setattr(backup_dialogs.QFileDialog, "getOpenFileName", lambda *a, **k: (str(foreign), ""))
    dialog.pick_other()
    assert "不是盯守台账的可用备份" in messages.texts("warning")
    assert dialog.model.rowCount() == 0 and not dialog.restore_button.isEnabled()


def test_history_window_filters_and_opens_a_records_history(window, qtbot, file_store):
    file_store.set_operator("王经办")
    set_override(file_store, dt.date(2026, 12, 31), DayKind.HOLIDAY, "测试假日")
    window.history_action.trigger()
    hist = window.history_window
    assert hist.isVisible()
    assert hist.model.rowCount() == file_store.db["audit_log"].count
    hist.operator.setCurrentIndex(hist.operator.findData("王经办"))
    assert [hist.model.index(r, 1).data() for r in range(hist.model.rowCount())] == ["王经办", "王经办"]
    assert hist.model.index(0, 3).data() == "工作日历调整"
    hist.operator.setCurrentIndex(0)
    hist.text.setText("测试假日")  # typed through an input method; keyClicks knows only ASCII
    qtbot.waitUntil(lambda: hist.model.rowCount() == 1)  # after the typing pause
    hist.view.selectRow(0)
    record = hist.show_record_history()
    qtbot.addWidget(record)
    assert record.model.rowCount() == 1 and "名称：测试假日" in record.model.index(0, 4).data()
    # A new change shows up in the open window.
    qtbot.keyClicks(hist.text, "x")
    qtbot.waitUntil(lambda: hist.model.rowCount() == 0)
    hist.text.clear()
    qtbot.waitUntil(lambda: hist.model.rowCount() > 1)
    set_override(file_store, dt.date(2026, 12, 30), DayKind.HOLIDAY, "又一个")
    assert hist.model.index(0, 6).data().count("又一个") == 1


def test_history_export_xlsx(window, messages, monkeypatch, tmp_path, file_store):
    target = tmp_path / "审计"
    monkeypatch.setattr(history_module.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    hist = window.show_history()
    before = hist.model.rowCount()
    history_module.export_to_chosen_file(hist, file_store, hist.current_filter(), "x")
    ws = load_workbook(target.with_suffix(".xlsx")).active
    assert ws.max_row == before + 1 and ws["B1"].value == "时间"
    assert f"已导出 {before} 条" in messages.texts("information")
    assert hist.model.index(0, 2).data() == "导出"  # the export itself is in the history


def test_post_history_from_the_overview(window, qtbot):
    dialog = window.tab("overview").show_post_history(0)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "历史记录 — 岗位：接派单、退单、案件核实"
    assert dialog.model.index(0, 2).data() == "新增" and dialog.model.index(0, 1).data() == "系统"


def test_disk_full_shows_a_message_and_the_window_keeps_working(window, messages, monkeypatch, file_store):
    file_store.set_operator("甲经办")
    pages = file_store.db.execute("PRAGMA page_count").fetchone()[0]
    file_store.db.execute(f"PRAGMA max_page_count = {pages}")
    for size in (2000, 200, 20, 1):  # fill the last free space, as a full disk would have
        try:
            for i in range(10_000):
                file_store.db.execute("INSERT INTO settings (key, value) VALUES (?, ?)",
                                      [f"fill{size}-{i}", "x" * size])
        except sqlite3.OperationalError:  # the disk filled up: what the test wants
            pass
    monkeypatch.setattr(main_window_module.QInputDialog, "getText", lambda *a, **k: ("乙经办" * 3, True))
    window.ask_operator()
    assert "磁盘空间已满" in messages.texts("warning") and "之前的数据不受影响" in messages.texts("warning")
    assert file_store.operator == "甲经办" and "经办人：甲经办" in window.location.text()
    assert file_store.setting("operator") == "甲经办"
    file_store.db.execute("PRAGMA max_page_count = 1073741823")
    window.ask_operator()
    assert file_store.setting("operator") == "乙经办" * 3 and "经办人：乙经办" in window.location.text()


def test_read_only_file_shows_a_message(window, messages, monkeypatch, file_store):
    file_store.db.execute("PRAGMA query_only = ON")
    monkeypatch.setattr(main_window_module.QInputDialog, "getText", lambda *a, **k: ("丙经办", True))
    window.ask_operator()
    assert "只读" in messages.texts("warning")
    file_store.db.execute("PRAGMA query_only = OFF")
    window.ask_operator()
    assert file_store.operator == "丙经办"


# --- start-up: bad files, recovery, exit backup -------------------------------------------------

def test_refused_file_is_offered_the_newest_backup_and_restored(messages, monkeypatch, db_path):
    store = open_store(db_path)
    store.set_operator("甲经办")
    good = backup.auto_backup(db_path, "exit", conn=store.db.conn).path
    store.close()
    db_path.write_bytes(b"\x00" * 3000)
    offered = []
    monkeypatch.setattr(startup, "ask_recovery", lambda message, newest: offered.append((message, newest)) or startup.NEWEST)
    opened = startup.open_or_recover(db_path)
    try:
        assert opened.operator == "甲经办"
    finally:
        opened.close()
    message, newest = offered[0]
    assert newest.path == good and "不是 SQLite 数据库" in message and str(good) in message
    [kept] = [b.path for b in backup.backups_in(backup.backup_dir_for(db_path)) if b.reason == "damaged"]
    assert kept.read_bytes() == b"\x00" * 3000
    assert "已从备份恢复" in messages.texts("information")


@pytest.mark.parametrize("choice", ["newest", "new"])
def test_a_missing_data_file_with_backups_offers_them_first(messages, monkeypatch, db_path, choice):
    store = open_store(db_path)
    store.set_operator("甲经办")
    good = backup.auto_backup(db_path, "exit", conn=store.db.conn).path
    store.close()
    db_path.unlink()
    asked = []
    monkeypatch.setattr(startup, "ask_recovery",
                        lambda message, newest, allow_new=False: asked.append((message, allow_new)) or choice)
    opened = startup.open_or_recover(db_path)
    try:
        assert "找不到数据文件" in asked[0][0] and str(good) in asked[0][0] and asked[0][1]
        assert opened.setting("operator") == ("甲经办" if choice == "newest" else None)
    finally:
        opened.close()


def test_a_cancelled_backup_pick_asks_again_instead_of_starting_blank(messages, monkeypatch, db_path):
    store = open_store(db_path)
    store.set_operator("甲经办")
    backup.auto_backup(db_path, "exit", conn=store.db.conn)
    store.close()
    db_path.unlink()
    answers = iter([startup.OTHER, startup.QUIT])
    monkeypatch.setattr(startup, "ask_recovery", lambda message, newest, allow_new=False: next(answers))
    monkeypatch.setattr(startup, "_pick_backup", lambda path: None)  # the clerk closes the picker
    assert startup.open_or_recover(db_path) is None
    assert not db_path.exists()


def test_refused_file_left_untouched_when_the_clerk_quits(messages, monkeypatch, tmp_path):
    path = tmp_path / "dingshou.sqlite3"
    path.write_bytes(b"")
    monkeypatch.setattr(startup, "ask_recovery", lambda message, newest: startup.QUIT)
    assert startup.open_or_recover(path) is None
    assert path.read_bytes() == b""


def test_damage_inside_a_value_never_crashes_the_window(qtbot, messages, monkeypatch, db_path):
    store = open_store(db_path)
    set_override(store, dt.date(2026, 11, 25), DayKind.HOLIDAY, "测试")
    store.db.execute("UPDATE calendar_overrides SET kind = 'h\x0bliday'")  # what a flipped byte does
    store.db.conn.commit()
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(db_path)
    asked = []
    monkeypatch.setattr(startup, "ask_recovery", lambda message, newest: asked.append(message) or startup.QUIT)
    assert startup.build_window(store, db_path) == startup.Built(startup.Outcome.QUIT)
    assert "无法读取的内容" in asked[0]
    assert digest(db_path) == before


def test_exit_backup_and_its_failure_is_only_a_warning(messages, monkeypatch, file_store, db_path):
    made = startup.exit_backup(file_store)
    assert made and "exit" in made.name and backup.verify(made)

    def full(*args, **kwargs):
        raise startup.UserError("无法写入备份：磁盘空间已满。")

    monkeypatch.setattr(startup.backup, "auto_backup", full)
    assert startup.exit_backup(file_store) is None
    assert "退出时自动备份没有完成" in messages.texts("warning")


def test_a_session_backs_up_on_exit_and_restores_then_reopens(qtbot, messages, monkeypatch, db_path):
    import ui.__main__ as entry
    from ui.app import create_application

    from app.operator_settings import remember_operator

    qapp = create_application([])
    store = open_store(db_path)
    store.set_operator("甲经办")
    good = backup.auto_backup(db_path, "exit", conn=store.db.conn).path
    store.set_operator("乙经办")
    remember_operator("乙经办")  # the clerk at this PC
    store.close()
    seen = []
    real_build = startup.build_window

    def build_and_close(store, path):
        built = real_build(store, path)
        seen.append(store.operator)
        if len(seen) == 1:
            built.window.pending_restore = good  # as 从备份恢复 does
        QTimer.singleShot(0, built.window.close)
        return built

    monkeypatch.setattr(startup, "build_window", build_and_close)
    assert entry.run_sessions(qapp, db_path) == 0
    assert seen == ["乙经办", "乙经办"]  # the restored file remembered 甲经办: the PC's name wins
    restored = open_store(db_path)
    try:
        note = next(restored.db.query("SELECT * FROM audit_log WHERE action = 'restore' ORDER BY id DESC"))
        assert note["operator"] == "乙经办"
    finally:
        restored.close()
    from app.store.lock import InstanceLock

    with InstanceLock(db_path):  # released: the next start is free
        pass
    reasons = [b.reason for b in backup.backups_in(backup.backup_dir_for(db_path))]
    assert reasons.count("before-restore") == 1 and "exit" in reasons


# --- one instance ---------------------------------------------------------------------------

SECOND_START = """
import sys
from PySide6.QtCore import QCoreApplication
from ui.single_instance import claim
app = QCoreApplication([])
result = claim(sys.argv[1])
print("raised" if result.raised_other else ("busy: " + str(result.busy) if result.busy else "claimed"))
"""


def test_second_start_brings_the_first_window_forward(qtbot, window, db_path):
    from ui import single_instance

    first = single_instance.claim(db_path)
    assert first.guard is not None
    raised = []
    first.guard.raise_requested.connect(lambda: (single_instance.bring_forward(window), raised.append(True)))
    window.showMinimized()
    proc = subprocess.Popen([sys.executable, "-c", SECOND_START, str(db_path)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    qtbot.waitUntil(lambda: bool(raised), timeout=15000)
    out, err = proc.communicate(timeout=15)
    first.guard.release()
    assert out.strip() == "raised", err
    assert not window.isMinimized()


def test_second_start_that_cannot_reach_the_first_says_the_file_is_in_use(qtbot, db_path):
    from tests.test_lock import held_by
    from ui import single_instance

    db_path.parent.mkdir(parents=True, exist_ok=True)
    with held_by(db_path, "window"):  # a window that does not answer (another computer, hung)
        result = single_instance.claim(db_path)
    assert result.guard is None and not result.raised_other
    assert "数据文件正在被另一个窗口使用" in str(result.busy)


def test_a_command_holding_the_file_is_named_not_called_a_window(qtbot, db_path):
    from tests.test_lock import held_by
    from ui import single_instance

    db_path.parent.mkdir(parents=True, exist_ok=True)
    with held_by(db_path, "import-staff"):
        result = single_instance.claim(db_path)
    assert result.guard is None and "另一个窗口" not in str(result.busy)
    assert "import-staff" in str(result.busy)


def test_a_lock_left_by_a_crash_does_not_block_the_next_start(qtbot, db_path):
    from tests.test_lock import held_by
    from ui import single_instance

    db_path.parent.mkdir(parents=True, exist_ok=True)
    with held_by(db_path, "window"):
        pass  # killed with SIGKILL: its lock file and owner note stay behind
    result = single_instance.claim(db_path)
    assert result.guard is not None
    result.guard.release()


def test_a_data_file_on_a_network_or_synced_folder_is_warned_about(qtbot, monkeypatch, file_store, messages, db_path):
    import ui.__main__ as entry
    from app.store import location
    from ui.app import create_application
    from ui.main_window import MainWindow

    text = "数据文件 X 位于 OneDrive 同步文件夹中。"
    monkeypatch.setattr(main_window_module, "location_warning", lambda path: text)
    win = MainWindow(file_store)
    qtbot.addWidget(win)
    assert win.location_warning.text().startswith("⚠") and win.location_warning.toolTip() == text
    # At start, before the window opens, with the reason.
    file_store.close()
    monkeypatch.setattr(location, "location_warning", lambda path: text)
    monkeypatch.setattr(startup, "build_window", lambda store, path: (store.close(), startup.Built(startup.Outcome.QUIT))[1])
    entry.run_sessions(create_application([]), db_path)
    assert text in messages.texts("warning")


def test_slow_work_runs_off_the_ui_thread_and_reports_back(qtbot, monkeypatch):
    import threading

    import ui.tasks as tasks

    monkeypatch.setattr(tasks, "SYNCHRONOUS", False)
    results, errors = [], []

    def work(progress):
        progress.report(1, 2)
        return threading.get_ident()

    tasks.run_task(None, "测试…", work, on_done=results.append, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results[0] != threading.get_ident()

    def fails(progress):
        raise tasks.UserError("磁盘空间已满。")

    tasks.run_task(None, "测试…", fails, on_done=results.append, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == ["磁盘空间已满。"] and len(results) == 1


def test_a_value_changed_on_disk_is_reported_right_after_the_window_opens(window, messages, db_path):
    import sqlite3

    startup.verify_contents(window, db_path)
    assert messages.calls == []  # a sound file says nothing
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE parties SET name = '北京自腾科技有限責任公司' WHERE role = '乙方'")
    conn.commit()
    conn.close()
    startup.verify_contents(window, db_path)
    text = messages.texts("warning")
    assert "内容与修改记录不一致" in text and "从备份恢复" in text and "parties" in text


def test_restore_picker_warns_and_asks_before_another_data_files_backup(window, messages, monkeypatch, qtbot,
                                                                       db_path, tmp_path):
    """A practice file's backup, picked under 其他位置: the command line refuses it without
    --other-file; the window says so plainly and asks, 否 the default."""
    from app.store import open_store

    practice = open_store(tmp_path / "练习" / "dingshou.sqlite3")
    practice.set_operator("练习")
    theirs = backup.auto_backup(practice.path, "manual", conn=practice.db.conn).path  # beside the practice file
    practice.close()
    dialog = backup_dialogs.RestoreDialog(db_path, window)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(backup_dialogs.QFileDialog, "getOpenFileName", lambda *a, **k: (str(theirs), ""))
    dialog.pick_other()
    assert not dialog.other_file.isHidden() and dialog.other_file.text().startswith(f"注意：{theirs.name} 是另一个数据文件的备份")
    messages.answer = QMessageBox.StandardButton.No
    dialog.restore_button.click()
    assert "恢复会用另一份数据" in messages.texts("warning") and str(db_path) in messages.texts("warning")
    assert dialog.chosen is None and messages.texts("question") == ""  # 否: not even the usual question
    messages.answer = QMessageBox.StandardButton.Yes
    dialog.restore_button.click()
    assert dialog.chosen is not None and dialog.chosen.path == theirs  # asked twice, both 是


def test_restore_picker_asks_nothing_more_for_this_files_own_backup_from_elsewhere(window, messages, monkeypatch,
                                                                                  qtbot, file_store, db_path):
    own = backup.auto_backup(db_path, "exit", conn=file_store.db.conn).path
    dialog = backup_dialogs.RestoreDialog(db_path, window)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(backup_dialogs.QFileDialog, "getOpenFileName", lambda *a, **k: (str(own), ""))
    dialog.pick_other()
    assert dialog.other_file.isHidden()
    messages.answer = QMessageBox.StandardButton.Yes
    dialog.restore_button.click()
    assert messages.texts("warning") == "" and dialog.chosen.path == own
