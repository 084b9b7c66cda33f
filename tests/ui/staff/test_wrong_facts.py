"""Issue 8: the paths by which the 人员 tab let wrong facts into the file, driven as the
clerk drives them. Each of these failed on the build before."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt

from app.staff import assignments
from tests.ui.staff.support import click_save, drive, select_row_of, type_text
from ui.staff.dialogs import PostChangeDialog, WorkerDialog


def test_a_post_change_goes_from_a_date_and_the_past_stays_on_the_old_post(demo_tab, qtbot, monkeypatch):
    seen = {}

    def move(dialog: PostChangeDialog):
        dialog.post.setCurrentIndex(dialog.post.findData("flex"))
        dialog.from_day.setDate(QDate(2026, 12, 1))
        type_text(qtbot, dialog.reason, "乙方调整岗位")
        click_save(qtbot, dialog)

    def edit(dialog: WorkerDialog):
        seen["post editable"] = dialog.post.isEnabled()  # she has served: no silent rewrite
        qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
        seen["history"] = dialog.post_history.text()
        dialog.reject()

    drive(monkeypatch, PostChangeDialog, move)
    drive(monkeypatch, WorkerDialog, edit)
    select_row_of(qtbot, demo_tab, "吴雪梅")
    qtbot.keyClick(demo_tab.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert seen["post editable"] is False
    assert "2026年12月01日起：机动岗（乙方调整岗位）" in seen["history"]
    worker_id = next(w.id for w in demo_tab.model.rows() if w.name == "吴雪梅")
    stretches = sorted((a.start, a.end, a.post_code) for a in assignments(
        demo_tab.store, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) if a.worker_id == worker_id)
    assert len(stretches) == 2
    assert stretches[0][1] == dt.date(2026, 11, 30) and stretches[0][2] != "flex"
    assert stretches[1] == (dt.date(2026, 12, 1), None, "flex")
