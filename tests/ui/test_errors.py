"""The one error path: a refusal is a warning; a fault is logged with its traceback and
shown with the log's location and 复制技术信息 — from a slot, and from work run by
ui.tasks whether on a worker thread or synchronously (as the other tests run it)."""
from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from app.errors import UserError
from app.logs import log_path, setup_logging, stop_logging
from ui import errors, tasks


@pytest.fixture
def log_file(qapp):
    path = setup_logging()
    assert path == log_path()
    yield path
    stop_logging()


@pytest.fixture
def hook():
    previous_thread_hook = __import__("threading").excepthook
    previous = errors.install_excepthook()
    yield
    sys.excepthook = previous
    __import__("threading").excepthook = previous_thread_hook


def fault():
    {}["contract"]  # a KeyError: a bug, not something the clerk did


def refusal():
    raise UserError("保存失败：数据文件是只读的。")


def click(qtbot, slot):
    button = QPushButton("试一试")
    qtbot.addWidget(button)
    button.clicked.connect(slot)
    button.click()


@pytest.mark.qt_no_exception_capture
def test_a_refusal_raised_in_a_slot_is_a_warning_in_chinese(qtbot, messages, log_file, hook):
    click(qtbot, refusal)
    assert messages.calls == [("warning", "盯守台账", "保存失败：数据文件是只读的。")]
    assert "Traceback" not in log_file.read_text(encoding="utf-8")


@pytest.mark.qt_no_exception_capture
def test_a_fault_in_a_slot_is_logged_with_its_traceback_and_shown_with_the_log(qtbot, messages, log_file, hook):
    click(qtbot, fault)
    [(kind, title, details)] = messages.calls
    assert kind == "error" and title == "盯守台账 — 意外错误"
    logged = log_file.read_text(encoding="utf-8")
    assert "ERROR" in logged and "Traceback" in logged and "in fault" in logged and "KeyError: 'contract'" in logged
    assert "in fault" in details and f"日志：{log_file}" in details and "PySide6" in details


@pytest.mark.parametrize("synchronous", [True, False], ids=["synchronous", "worker-thread"])
def test_work_that_fails_takes_the_same_path_on_a_thread_and_synchronously(qtbot, messages, log_file, monkeypatch,
                                                                           synchronous):
    monkeypatch.setattr(tasks, "SYNCHRONOUS", synchronous)
    done = []
    tasks.run_task(None, "正在导出修改记录…", lambda progress: refusal(), on_done=done.append)
    tasks.run_task(None, "正在导出修改记录…", lambda progress: fault(), on_done=done.append)
    qtbot.waitUntil(lambda: len(messages.calls) == 2, timeout=5000)
    # On two worker threads either may finish first: the path each takes is the point, not the order.
    calls = sorted(messages.calls, key=lambda call: call[0] != "warning")
    assert calls[0] == ("warning", "正在导出修改记录", "保存失败：数据文件是只读的。")
    kind, _, details = calls[1]
    assert kind == "error" and "in fault" in details and done == []
    logged = log_file.read_text(encoding="utf-8")
    assert "意外错误（正在导出修改记录）" in logged and "KeyError: 'contract'" in logged


def test_a_form_that_shows_refusals_itself_still_has_faults_shown_and_logged(qtbot, messages, log_file):
    shown_in_form = []
    tasks.run_task(None, "正在读取备份…", lambda progress: refusal(), on_error=shown_in_form.append)
    tasks.run_task(None, "正在读取备份…", lambda progress: fault(), on_error=shown_in_form.append)
    assert shown_in_form == ["保存失败：数据文件是只读的。"]
    assert [kind for kind, _, _ in messages.calls] == ["error"]


def test_the_error_dialog_says_where_the_log_is_and_copies_the_technical_information(qtbot, log_file, tmp_path):
    try:
        fault()
    except KeyError as err:
        details = errors.technical_info(err)
    dialog = errors.ErrorDialog(details)
    qtbot.addWidget(dialog)
    assert errors.UNEXPECTED in dialog.message.text() and str(log_file) in dialog.where.text()
    assert dialog.copy_button.text() == "复制技术信息(&C)"
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == details and "KeyError" in details
    assert dialog.copied.text() == "技术信息已复制。"
    dialog.show()
    dialog.grab().save(str(tmp_path / "dialog-error.png"))


def test_the_log_rotates_and_keeps_five_old_files(log_file, monkeypatch):
    import app.logs

    monkeypatch.setattr(app.logs, "MAX_BYTES", 2000)
    setup_logging()
    for i in range(200):
        logging.getLogger("dingshou.test").info("第 %d 行 %s", i, "x" * 40)
    kept = sorted(p.name for p in log_file.parent.glob("dingshou.log*"))
    assert kept == ["dingshou.log", *(f"dingshou.log.{n}" for n in range(1, 6))]
    assert all(p.stat().st_size <= 2100 for p in log_file.parent.glob("dingshou.log*"))


def test_an_unwritable_log_folder_never_stops_the_program(monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("DINGSHOU_LOG_DIR", str(blocker / "logs"))
    assert setup_logging() is None
    logging.getLogger("dingshou.test").error("still fine")
    stop_logging()
