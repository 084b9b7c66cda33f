"""Checks shared by every form: free text the clerk types.

Text goes into the data file, onto printed sheets and into Excel for an auditor; a
control character (pasted from a web page, a stray Ctrl key) would show as a box or
break the export, so it is refused with a message rather than stored.
"""
from __future__ import annotations

import re
import unicodedata

from app.errors import ValidationError


# Middle dots typed in other scripts' forms, all stored as the one Chinese 间隔号 (U+00B7).
MIDDLE_DOTS = "・‧･•∙⋅"


# Invisible marks that reorder the text around them: the window (Qt) obeys them, a printed
# sheet (reportlab) does not, so what is signed on paper would differ from the screen.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def normalize_text(value: str, *, multiline: bool = False) -> str:
    """The one text rule of every form: a space typed by a Chinese input method (U+3000) or
    any other kind of space is an ordinary space; runs of spaces become one (within a line);
    line ends (and the Unicode line/paragraph separators) are \\n; the ends are trimmed."""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")  # line/paragraph separators, pasted
    text = "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in text)
    lines = [re.sub(" {2,}", " ", line).strip() for line in text.split("\n")]
    if not multiline:
        return " ".join(line for line in lines if line)
    return "\n".join(lines).strip()


def without_spaces(text: str) -> str:
    """For searching: 李娜 finds “李 娜” and “李　娜”."""
    return "".join(text.split())


def check_text(value: object, label: str, max_length: int, field: str | None = None, *,
               multiline: bool = False, required: bool = False) -> str:
    """The normalised text, or ValidationError saying what is wrong with it."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(f"{label}应为文字。", field)
    text = normalize_text(value, multiline=multiline)
    if required and not text:
        raise ValidationError(f"{label}不能为空。", field)
    allowed = {"\n", "\t"} if multiline else set()
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in allowed for ch in text):
        raise ValidationError(f"{label}中含有无法显示的控制字符，请删除后重新输入。", field)
    if any(ch in BIDI_CONTROLS for ch in text):
        raise ValidationError(f"{label}中含有改变文字方向的控制字符（多见于从网页复制的文字），屏幕上和打印出来的文字会不一样，"
                              "请删除后重新输入。", field)
    if len(text) > max_length:
        raise ValidationError(f"{label}太长：最多 {max_length} 个字，现在是 {len(text)} 个。", field)
    return text
