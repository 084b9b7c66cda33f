"""One path for every printed document (roster, assessment sheets, letters, payment forms):
the core renders PDF bytes; `present_pdf` shows them inside the program, prints
them through Qt's print dialog to the office printer, or saves them as a PDF file.

The PDF engine (PDFium through pypdfium2) and QtPrintSupport are imported here, inside the
functions, and nowhere else: the daily start never loads them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from ui.forms import resize_within_screen

_last_folder: Path | None = None
# A second form of the document the clerk may choose in the preview, e.g. a letter without its
# red letterhead for pre-printed paper: (the option's words, the PDF made when it is chosen).
Variant = tuple[str, Callable[[], bytes]]
_variants_chosen: set[str] = set()  # options ticked before, ticked again next time (this session)


def _start_folder() -> Path:
    if _last_folder is not None and _last_folder.is_dir():
        return _last_folder
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def save_pdf(parent: QWidget, pdf: bytes, suggested_name: str) -> Path | None:
    """Ask where, then write the whole file (temp name, then rename). None if cancelled."""
    global _last_folder
    chosen, _ = QFileDialog.getSaveFileName(parent, "另存为 PDF", str(_start_folder() / suggested_name),
                                            "PDF 文件 (*.pdf)")
    if not chosen:
        return None
    from ui.folders import output_target

    target = Path(chosen)
    if target.suffix.lower() != ".pdf":
        target = target.with_name(target.name + ".pdf")
    from ui.folders import data_file_of

    checked = output_target(parent, "另存为 PDF", chosen, target, data_file_of(parent))
    if checked is None:
        return None
    partial = target.with_name(target.name + ".part")
    try:
        partial.write_bytes(pdf)
        partial.replace(target)
    except OSError as err:
        partial.unlink(missing_ok=True)
        QMessageBox.warning(parent, "保存失败", f"无法写入 {target}：{err.strerror or err}")
        return None
    _last_folder = target.parent
    return target


def page_images(pdf: bytes, dpi: float) -> Iterator[QImage]:
    """Each page of `pdf` as an image at `dpi`, rendered by PDFium (pypdfium2).

    QtPdf would do this inside Qt, but the PySide6 6.12 wheels (Essentials, Addons, WebEngine)
    ship no QtPdf module on Windows or Linux; PDFium is the engine QtPdf wraps."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
            fmt = QImage.Format.Format_RGB888 if bitmap.n_channels == 3 else QImage.Format.Format_RGBA8888
            yield QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, fmt).copy()
            page.close()
    finally:
        document.close()


def page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


class PdfPreview(QDialog):
    """The document as it will print, page after page, with 打印… and 另存为 PDF…; with a
    `variant`, a check box above the pages switches to the other form of the document, and
    what is printed or saved is what is shown."""

    PREVIEW_DPI = 110

    def __init__(self, parent: QWidget | None, pdf: bytes, suggested_name: str, variant: Variant | None = None):
        super().__init__(parent)
        self.original, self.pdf, self.suggested_name = pdf, pdf, suggested_name
        self.saved: Path | None = None
        self.printed = False
        self.setWindowTitle(f"预览 — {suggested_name}")
        # An A4 page wide, but never beyond the screen (a 768-px laptop): the pages scroll inside.
        resize_within_screen(self, 980, 900)
        self.count = page_count(pdf)

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.pages = QLabel(f"共 {self.count} 页")
        self.print_button = QPushButton("打印(&P)…")
        self.print_button.setToolTip("用 Windows 的打印机打印（Ctrl+P）")
        self.save_button = QPushButton("另存为 PDF(&S)…")
        self.save_button.setToolTip("保存为 PDF 文件（Ctrl+S）")
        close = QPushButton("关闭")
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save)
        close.clicked.connect(self.accept)
        bar.addWidget(self.pages, 1)
        self.variant_box: QCheckBox | None = None
        self._variant = variant
        self._variant_pdf: bytes | None = None
        if variant is not None:
            self.variant_box = QCheckBox(variant[0] + "(&L)")
            self.variant_box.setToolTip("勾选后预览、打印和另存的都是这一种（Alt+L）")
            bar.addWidget(self.variant_box)
        for button in (self.print_button, self.save_button, close):
            bar.addWidget(button)
        layout.addLayout(bar)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.page_labels: list[QLabel] = []
        self._show_pages()
        layout.addWidget(self.scroll, 1)
        if self.variant_box is not None and variant is not None:
            self.variant_box.toggled.connect(self.use_variant)
            self.variant_box.setChecked(variant[0] in _variants_chosen)
        QShortcut(QKeySequence("Ctrl+P"), self, activated=self.print_document)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)
        self.print_button.setFocus()

    def _show_pages(self) -> None:
        inner = QWidget()
        inner.setStyleSheet("background: #6b6f76;")
        column = QVBoxLayout(inner)
        column.setSpacing(12)
        self.page_labels = []
        for image in page_images(self.pdf, self.PREVIEW_DPI):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            column.addWidget(label)
            self.page_labels.append(label)
        column.addStretch(1)
        self.scroll.setWidget(inner)  # the previous pages' widget is deleted

    def use_variant(self, on: bool) -> None:
        assert self._variant is not None
        words, make = self._variant
        if on and self._variant_pdf is None:
            self._variant_pdf = make()
        self.pdf = self._variant_pdf if on and self._variant_pdf is not None else self.original
        if on:
            _variants_chosen.add(words)
        else:
            _variants_chosen.discard(words)
        self.count = page_count(self.pdf)
        self.pages.setText(f"共 {self.count} 页")
        self._show_pages()

    def save(self) -> None:
        path = save_pdf(self, self.pdf, self.suggested_name)
        if path is not None:
            self.saved = path
            self.pages.setText(f"共 {self.count} 页    已保存：{path}")

    def print_document(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name)
        printer.setFromTo(1, self.count)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.printed = render_to_printer(self.pdf, printer)


def render_to_printer(pdf: bytes, printer: Any) -> bool:
    """Each page (within the range chosen in the print dialog) rendered at the printer's
    resolution onto its own sheet, at the paper's full size."""
    from PySide6.QtGui import QPainter
    from PySide6.QtPrintSupport import QPrinter

    first = max(1, printer.fromPage() or 1)
    last = printer.toPage() or 10**6
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        dpi = min(printer.resolution(), 300)
        target = printer.pageRect(QPrinter.Unit.DevicePixel)
        for number, image in enumerate(page_images(pdf, dpi), start=1):
            if number < first or number > last:
                continue
            if number > first:
                printer.newPage()
            painter.drawImage(target, image)
    finally:
        painter.end()
    return True


def present_pdf(parent: QWidget, pdf: bytes, suggested_name: str, *, variant: Variant | None = None) -> Path | None:
    """Show `pdf` in the preview, where the clerk prints it or saves it. Returns the file
    saved, or None when it was only looked at or printed. `variant` offers a second form of
    the document in the preview (see PdfPreview).

    Without the PDF engine (a build whose lock predates it) the document is saved and opened
    in the PC's PDF viewer instead, as before the preview existed."""
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        path = save_pdf(parent, pdf, suggested_name)
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path
    dialog = PdfPreview(parent, pdf, suggested_name, variant)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.exec()
    return dialog.saved
