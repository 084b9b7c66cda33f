"""Checks shared by every form: free text the clerk types.

Text goes into the data file, onto printed sheets and into Excel for an auditor; a
control character (pasted from a web page, a stray Ctrl key) would show as a box or
break the export, so it is refused with a message rather than stored.
"""
from __future__ import annotations

import unicodedata

from app.errors import ValidationError


def check_text(value: object, label: str, max_length: int, field: str | None = None, *,
               multiline: bool = False, required: bool = False) -> str:
    """The stripped text, or ValidationError saying what is wrong with it."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(f"{label}应为文字。", field)
    text = value.strip()
    if required and not text:
        raise ValidationError(f"{label}不能为空。", field)
    allowed = {"\n", "\t"} if multiline else set()
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co") and ch not in allowed for ch in text):
        raise ValidationError(f"{label}中含有无法显示的控制字符，请重新输入。", field)
    if len(text) > max_length:
        raise ValidationError(f"{label}太长：最多 {max_length} 个字，现在是 {len(text)} 个。", field)
    return text
