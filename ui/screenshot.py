"""Render every tab of the main window to PNG files, offscreen, for the README and tests."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from ui.main_window import MainWindow

SCREENSHOT_SIZE = (1180, 760)


def save_screenshots(window: MainWindow, folder: Path) -> list[Path]:
    """Show each tab in turn and save `folder/<tab key>.png`; returns the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    written = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        target = folder / f"{window.tabs.widget(index).key}.png"
        if not window.grab().save(str(target)):
            raise OSError(f"无法写入截图 {target}")
        written.append(target)
    window.tabs.setCurrentIndex(0)
    return written
