"""Resident ID numbers (GB 11643-1999) and masking of personal numbers for display.

An ID number is 6 digits of area, 8 of birth date, 3 of sequence (odd = male) and a
check character computed from the first 17 (see REFERENCE.md).
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from app.errors import ValidationError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
EARLIEST_BIRTH = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: dt.date
    gender: str  # 男 | 女

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


def check_char(first17: str) -> str:
    """The check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalize(text: str) -> str:
    """Full-width digits and spaces as typed in Chinese input methods; lower-case x."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(text.split()).upper()


def parse_id_number(text: str, *, today: dt.date | None = None, field: str = "id_number") -> IdInfo:
    """Check an ID number; return its birth date and gender, or raise ValidationError
    saying what is wrong with it."""
    number = normalize(text)
    if not number:
        raise ValidationError("身份证号不能为空。", field)
    if "*" in number:
        raise ValidationError("身份证号已被遮盖（含*号），请填写完整的18位号码。", field)
    if len(number) != 18:
        raise ValidationError(f"身份证号应为18位，现在是{len(number)}位。", field)
    if not number[:17].isascii() or not number[:17].isdigit() or number[17] not in "0123456789X":
        raise ValidationError("身份证号前17位只能是数字，最后一位是数字或X。", field)
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(f"身份证号中的出生日期 {number[6:14]} 不是真实的日期，请核对。", field) from None
    if birth < EARLIEST_BIRTH or birth > (today or dt.date.today()):
        raise ValidationError(f"身份证号中的出生日期 {birth.isoformat()} 不可能（早于1900年或晚于今天），请核对。",
                              field)
    expected = check_char(number[:17])
    if number[17] != expected:
        raise ValidationError("身份证号校验位不对（最后一位与前17位不符），可能有数字输错，请逐位核对。", field)
    return IdInfo(number, birth, "男" if int(number[16]) % 2 else "女")


def mask_id_number(number: str) -> str:
    """110101199001011234 → 110101********1234: area and last four stay readable."""
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678."""
    if not phone:
        return ""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
