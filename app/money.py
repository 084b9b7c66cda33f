"""Money: `Decimal` yuan in Python, integer fen in SQLite, capital numerals on paper.

Never float. Amounts typed by a clerk are parsed here and nowhere else.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from app.errors import ValidationError

FEN = Decimal("0.01")
# Capital numerals below reach 仟亿; anything larger is no amount of this office.
MAX_YUAN = Decimal("999999999999.99")

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_SECTIONS = ("", "万", "亿")

_CURRENCY = str.maketrans("", "", "¥￥")
_NUMBER = re.compile(r"^-?\d+(\.\d*)?$|^-?\.\d+$")
# Thousands separators are welcome, but only where they belong: a misplaced one
# ("1,297,300,82" typed for 1,297,300.82) would otherwise make the amount 100 times larger.
_GROUPED = re.compile(r"^-?\d{1,3}([, ]\d{3})+(\.\d*)?$")


def parse_amount(text: str, *, allow_negative: bool = False, field: str | None = None) -> Decimal:
    """Read an amount as a clerk types it: "1,297,300.82", "¥1297300.82", "1297300.8", "100元".

    Returns a Decimal with exactly two places; refuses more than two decimals, separators
    out of place, anything that is not a number, negatives (unless allowed) and amounts
    too large to write out.
    """
    raw = str(text).strip()
    # NFKC folds what a Chinese input method types (１２３．４５, ￥, ，, 　) into ASCII.
    cleaned = unicodedata.normalize("NFKC", raw).translate(_CURRENCY).strip()
    if cleaned.startswith("人民币"):
        cleaned = cleaned[3:].strip()
    if cleaned.endswith("元"):
        cleaned = cleaned[:-1].strip()
    if not cleaned:
        raise ValidationError("请填写金额。", field)
    if "," in cleaned or " " in cleaned:
        if not _GROUPED.match(cleaned):
            raise ValidationError(
                f"金额“{raw}”中的逗号或空格位置不对：千位分隔符只能每三位一个，小数点请用“.”，"
                "例如 1,297,300.82。", field)
        cleaned = cleaned.replace(",", "").replace(" ", "")
    if not cleaned.isascii() or not _NUMBER.match(cleaned):
        raise ValidationError(f"“{raw}”不是有效的金额，请只填写数字，例如 1297300.82。", field)
    value = Decimal(cleaned)
    # Before quantize: a value beyond Decimal's 28 digits cannot be quantized to fen at all.
    if abs(value) > MAX_YUAN:
        raise ValidationError(f"金额“{raw}”过大，超出可处理的范围。", field)
    exponent = value.as_tuple().exponent  # an int: the pattern above lets no NaN or Infinity through
    if isinstance(exponent, int) and exponent < -2 and value != value.quantize(FEN):
        raise ValidationError(f"金额“{raw}”最多只能有两位小数（到分）。", field)
    if value < 0 and not allow_negative:
        raise ValidationError(f"金额“{raw}”不能为负数。", field)
    return value.quantize(FEN)


def to_fen(amount: Decimal) -> int:
    """Yuan → integer fen, for storage. Refuses fractions of a fen rather than rounding them."""
    if not isinstance(amount, Decimal):
        raise TypeError("amounts are Decimal, never float")
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{amount} has a fraction of a fen")
    return int(fen)


def from_fen(fen: int) -> Decimal:
    """Integer fen from storage → Decimal yuan with two places."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError("fen are stored as integers")
    return (Decimal(fen) / 100).quantize(FEN)


def format_yuan(amount: Decimal, *, symbol: bool = True) -> str:
    """¥1,297,300.82 — the form shown in tables and forms."""
    text = f"{amount.quantize(FEN, rounding=ROUND_HALF_UP):,.2f}"
    return f"¥{text}" if symbol else text


def _integer_words(yuan: int) -> tuple[str, bool]:
    """Capital numerals of a whole number of yuan.

    Returns the words and whether the 元 place (the last digit) is zero, which decides
    the optional 零 before 角. Zeros follow 《正确填写票据和结算凭证的基本规定》: a run of
    zeros between digits is one 零. Where a run of zeros includes the 万 place and the
    next digit is in the 千 place, the rule allows the 零 to be left out; like the
    contract (壹佰贰拾玖万柒仟叁佰元捌角贰分) we always leave it out, there and before 角.
    """
    digits = str(yuan)
    n = len(digits)
    words: list[str] = []
    zero_run = False
    zero_run_has_section = False
    for i, ch in enumerate(digits):
        power = n - 1 - i
        place, section = power % 4, power // 4
        d = int(ch)
        if d == 0:
            zero_run = True
            if place == 0 and section > 0:
                zero_run_has_section = True
        else:
            if zero_run and not (zero_run_has_section and place == 3):
                words.append("零")
            zero_run = False
            zero_run_has_section = False
            words.append(_DIGITS[d] + _PLACES[place])
        if place == 0 and section > 0:
            group = digits[max(0, i - 3): i + 1]
            if int(group):
                words.append(_SECTIONS[section])
    return "".join(words), digits[-1] == "0"


def capital_words(amount: Decimal, *, prefix: str = "人民币") -> str:
    """Write an amount in Chinese capital numerals: 1297300.82 → 人民币壹佰贰拾玖万柒仟叁佰元捌角贰分.

    Ending in 元: 元整. Ending in 角: no 整. 角 zero and 分 not zero: 元零X分.
    """
    if not isinstance(amount, Decimal):
        raise TypeError("amounts are Decimal, never float")
    if amount < 0:
        raise ValueError("capital numerals are written for non-negative amounts")
    if amount > MAX_YUAN:
        raise ValueError("amount too large")
    fen_total = to_fen(amount)
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    if fen_total == 0:
        return f"{prefix}零元整"
    parts: list[str] = []
    if yuan:
        words, _ = _integer_words(yuan)
        parts.append(words + "元")
    if jiao == 0 and fen == 0:
        parts.append("整")
    else:
        if jiao:
            parts.append(_DIGITS[jiao] + "角")
        elif yuan:
            parts.append("零")  # required: 元零X分
        if fen:
            parts.append(_DIGITS[fen] + "分")
    return prefix + "".join(parts)
