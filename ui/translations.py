"""Chinese for the few Qt strings its own zh_CN catalogue lacks (Qt's file dialog:
“Look in:”, “Files of type:”, the kind of an entry): resources/translations/qt_extra_zh_CN.qm,
installed after Qt's catalogue, so it is asked first and answers only what it holds."""
from __future__ import annotations

from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication

from app.paths import resource_path


def install_missing(qapp: QApplication) -> None:
    """Once per application (tests create it again and again)."""
    if qapp.findChild(QTranslator, "qt_extra_zh_CN") is not None:
        return
    translator = QTranslator(qapp)
    translator.setObjectName("qt_extra_zh_CN")
    if translator.load("qt_extra_zh_CN", str(resource_path("translations"))):
        qapp.installTranslator(translator)
