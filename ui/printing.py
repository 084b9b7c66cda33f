"""One path for every printed document (roster, assessment sheets, letters, payment forms):
the core renders PDF bytes; this module lets the clerk keep them as a file and opens them.

The in-program preview (QtPdf) and Qt's print dialog arrive with 月度考核 (issue 11) and
take the same entry point, so every tab calls `present_pdf` and nothing else.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


def present_pdf(parent: QWidget, pdf: bytes, suggested_name: str) -> Path | None:
    """Ask where to save `pdf`, write it whole (temp name, then rename) and open it in the
    PC's PDF viewer. Returns the file written, or None when the clerk cancelled."""
    start = Path.home() / "Documents"
    start = start if start.is_dir() else Path.home()
    chosen, _ = QFileDialog.getSaveFileName(parent, "保存为 PDF", str(start / suggested_name), "PDF 文件 (*.pdf)")
    if not chosen:
        return None
    target = Path(chosen)
    if target.suffix.lower() != ".pdf":
        target = target.with_name(target.name + ".pdf")
    partial = target.with_name(target.name + ".part")
    try:
        partial.write_bytes(pdf)
        partial.replace(target)
    except OSError as err:
        partial.unlink(missing_ok=True)
        QMessageBox.warning(parent, "保存失败", f"无法写入 {target}：{err.strerror or err}")
        return None
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
    return target
