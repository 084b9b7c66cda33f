"""Where file dialogs open: one memory for every tab's Excel and PDF files."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths

# The folder of the last file chosen, for the next file dialog (this session only).
_last_folder: Path | None = None


def start_folder() -> Path:
    """Where the import/export dialogs open: the last folder used, else 文档, else home —
    never the program's own working directory."""
    if _last_folder is not None and _last_folder.is_dir():
        return _last_folder
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def remember_folder(path: Path) -> None:
    global _last_folder
    _last_folder = path.parent
