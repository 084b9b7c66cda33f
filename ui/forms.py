"""What every tab's dialogs share: `FormDialog` (an error line on top, 保存/取消, the core's
refusal shown beside the field it names) and the one-field `DateField` (ui/dates.py).

The 人员, 月度考核 and 付款台账 dialogs all build on these, so they live here in ui/ rather
than in one tab's folder."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QLabel, QLineEdit, QMessageBox, QPlainTextEdit,
    QVBoxLayout, QWidget,
)

from app.errors import UserError, ValidationError
from app.staff import parse_date
from ui.dates import DateField, qdate

__all__ = ["DateField", "FormDialog", "qdate"]


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """The size a window asks for, but never beyond the screen it opens on (a 1366×768
    laptop at 100 % leaves about 1366×728): what does not fit scrolls inside."""
    from PySide6.QtGui import QGuiApplication

    parent = widget.parentWidget()
    screen = (parent.screen() if parent is not None else QGuiApplication.primaryScreen()).availableGeometry()
    widget.resize(min(width, screen.width() - 40), min(height, screen.height() - 60))


def _parses(text: str) -> bool:
    try:
        return parse_date(text, "date", required=True) is not None
    except ValidationError:
        return False


def _input_value(widget: QWidget) -> Any:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QDateEdit):
        return widget.date()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    return widget.text()  # QLineEdit


INPUT_TYPES = (QLineEdit, QPlainTextEdit, QComboBox, QDateEdit, QCheckBox)


class FormDialog(QDialog):
    """A dialog with an error line on top and OK/Cancel; `save()` does the work and may
    raise a UserError, which is shown and leaves the dialog open.

    With `confirm_discard`, Escape / 取消 / the close box ask before throwing away what was
    typed — but only if something changed since the dialog was shown."""

    confirm_discard = False

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.layout_ = QVBoxLayout(self)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.error.hide()
        self.layout_.addWidget(self.error)
        self.fields: dict[str, QWidget] = {}
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        self.result_value: Any = None
        self._opened_with: dict[QWidget, Any] | None = None

    def _inputs(self) -> dict[QWidget, Any]:
        # Only this dialog's own inputs: a dialog opened from it (调岗…) is a child too.
        return {w: _input_value(w) for t in INPUT_TYPES for w in self.findChildren(t) if w.window() is self}

    def mark_unchanged(self, *widgets: QWidget) -> None:
        """Take these inputs' present values (or all, before showing) as the dialog's starting point."""
        now = self._inputs()
        if self._opened_with is None or not widgets:
            self._opened_with = now
        else:
            self._opened_with.update({w: now[w] for w in widgets if w in now})

    def has_changes(self) -> bool:
        return self._opened_with is not None and self._inputs() != self._opened_with

    def showEvent(self, event) -> None:
        if self._opened_with is None:
            self.mark_unchanged()
        super().showEvent(event)

    def reject(self) -> None:
        if self.confirm_discard and self.has_changes() and QMessageBox.question(
                self, self.windowTitle(), "放弃未保存的修改？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return
        super().reject()

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.buttons)

    def save(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def try_accept(self) -> None:
        try:
            self.result_value = self.save()
        except UserError as err:
            self.show_error(err)
            return
        self.accept()

    def show_error(self, err: UserError) -> None:
        self.error.setText(str(err))
        self.error.show()
        widget = self.fields.get(getattr(err, "field", None) or "")
        if widget is None and getattr(err, "field", None) == "date":  # a date field's own text is wrong
            widget = next((w for w in self.findChildren(DateField) if w.isEnabled() and not _parses(w.text())), None)
        refused_input = getattr(widget, "refused_input", None)
        if refused_input is not None:  # a compound field says which of its parts was refused
            widget = refused_input()
        if widget is not None:
            widget.setFocus()
            if isinstance(widget, (QLineEdit, QDateEdit)):
                widget.selectAll()
