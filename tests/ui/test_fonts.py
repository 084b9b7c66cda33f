"""The bundled font must draw everything the program writes: Hanzi, digits, ¥."""
from __future__ import annotations

from PySide6.QtGui import QFont, QRawFont

from app.paths import resource_path
from ui.app import BUNDLED_FONT


def test_bundled_font_covers_hanzi_digits_and_symbols(qapp):
    font = QRawFont(str(resource_path("fonts", BUNDLED_FONT)), 12)
    assert font.isValid()
    for ch in "龙潭街道盯守台账壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整0123456789¥,.:–ABCxyz（）：":
        assert font.supportsCharacter(ord(ch)), ch


def test_application_font_is_chinese_capable(qapp):
    from ui.app import UI_FONT_FAMILIES, create_application

    app = create_application([])
    family = QFont(app.font()).family()
    assert family in UI_FONT_FAMILIES


def test_qt_own_dialogs_speak_chinese(qapp):
    from PySide6.QtWidgets import QMessageBox

    from ui.app import create_application

    create_application([])
    box = QMessageBox(QMessageBox.Icon.Question, "t", "t",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    texts = {box.button(QMessageBox.StandardButton.Yes).text(), box.button(QMessageBox.StandardButton.Cancel).text()}
    assert texts == {"是(&Y)", "取消"}
