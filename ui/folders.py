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


def data_file_of(widget) -> Path | None:
    """The data file the widget's window works on (a tab's or a dialog's owner's store)."""
    while widget is not None:
        store = getattr(widget, "store", None)
        if store is not None and getattr(store, "path", None) is not None:
            return Path(store.path)
        widget = widget.parentWidget()
    return None


def output_target(parent, title: str, chosen: str, target: Path, db_path: Path | None) -> Path | None:
    """The file a save dialog's answer may be written to, or None (said why, or cancelled).

    The dialog asked before replacing the name typed; when the program added .xlsx/.pdf to
    it, it asks here. Whatever was answered, app.output_files still never lets an export
    replace the data file, a backup or a scan, nor a file of another kind."""
    from PySide6.QtWidgets import QMessageBox

    from app.errors import UserError
    from app.output_files import check_output

    if target != Path(chosen) and target.exists() and QMessageBox.question(
            parent, title, f"{target} 已存在，要替换它吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
        return None
    try:
        return check_output(target, overwrite=True, db_path=db_path)
    except UserError as err:
        QMessageBox.warning(parent, title, str(err))
        return None
