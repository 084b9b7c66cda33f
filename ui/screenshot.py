"""Render every tab of the main window, and the main dialogs, to PNG files offscreen.

For the README and the tests: `python -m ui --screenshot DIR` writes DIR/<tab key>.png
for each tab, then DIR/dialog-<name>.png for the windows a clerk opens most.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from app.contract import active_contract
from ui.main_window import MainWindow

SCREENSHOT_SIZE = (1180, 760)


def _save(widget: QWidget, target: Path) -> Path:
    for _ in range(3):  # a tab built on first show settles its scroll areas a round later
        QApplication.processEvents()
    if not widget.grab().save(str(target)):
        raise OSError(f"无法写入截图 {target}")
    return target


def save_screenshots(window: MainWindow, folder: Path) -> list[Path]:
    """Show each tab in turn and save `folder/<tab key>.png`, then the dialogs."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    written = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        written.append(_save(window, folder / f"{window.tabs.widget(index).key}.png"))
    window.tabs.setCurrentIndex(0)
    written += save_dialog_screenshots(window, folder)
    return written


def save_dialog_screenshots(window: MainWindow, folder: Path) -> list[Path]:
    from ui import tasks
    from ui.backup_dialogs import RestoreDialog
    from ui.staff.dialogs import WorkerDialog

    tasks.SYNCHRONOUS = True  # a picture of a dialog still loading shows nothing

    written = []
    history = window.show_history()
    history.resize(1000, 560)
    written.append(_save(history, folder / "dialog-history.png"))
    history.close()
    if window.store.path is not None:
        restore = RestoreDialog(window.store.path, window)
        restore.show()
        written.append(_save(restore, folder / "dialog-restore.png"))
        restore.close()
    workers = window.tab("staff").model.rows()
    form = WorkerDialog(window.store, active_contract(window.store), workers[0] if workers else None, window)
    form.show()
    written.append(_save(form, folder / "dialog-worker.png"))
    form.close()
    written.append(_save_import_preview(window, folder / "dialog-import-preview.png"))
    return written


def _save_import_preview(window: MainWindow, target: Path) -> Path:
    """The preview of the fictional vendor list of app.demo, checked against this data file."""
    import tempfile

    from app.demo import write_vendor_sample
    from app.reports.staff_xlsx import preview_import
    from ui.staff.excel import ImportPreviewDialog

    with tempfile.TemporaryDirectory() as folder:
        preview = preview_import(window.store, write_vendor_sample(Path(folder) / "乙方人员名单（12月）.xlsx"))
    dialog = ImportPreviewDialog(preview, list, window)  # the picture never imports
    dialog.show()
    saved = _save(dialog, target)
    dialog.close()
    return saved
