from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.money import MAX_YUAN, capital_words, format_yuan, from_fen, parse_amount, to_fen

# The examples of 《正确填写票据和结算凭证的基本规定》 (REFERENCE.md) and the contract.
EXAMPLES = {
    "1297300.82": "人民币壹佰贰拾玖万柒仟叁佰元捌角贰分",
    "10.00": "人民币壹拾元整",
    "1409.50": "人民币壹仟肆佰零玖元伍角",
    "6007.14": "人民币陆仟零柒元壹角肆分",
    "1680.32": "人民币壹仟陆佰捌拾元叁角贰分",
    "325.04": "人民币叁佰贰拾伍元零肆分",
    "100500.00": "人民币壹拾万零伍佰元整",
    "100000005.00": "人民币壹亿零伍元整",
    "0.50": "人民币伍角",
    "0.05": "人民币伍分",
    "0.00": "人民币零元整",
    "324325.00": "人民币叁拾贰万肆仟叁佰贰拾伍元整",
}


@pytest.mark.parametrize("amount,words", EXAMPLES.items())
def test_capital_words_examples(amount, words):
    assert capital_words(Decimal(amount)) == words


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("1,297,300.82", "1297300.82"),
        ("¥1297300.82", "1297300.82"),
        ("1297300.8", "1297300.80"),
        ("￥１２９７３００．８２", "1297300.82"),
        ("  100元 ", "100.00"),
        ("1.230", "1.23"),
        ("1 297 300.82", "1297300.82"),
        ("人民币 100 元", "100.00"),
    ],
)
def test_parse_amount_accepts_what_a_clerk_types(typed, expected):
    assert parse_amount(typed) == Decimal(expected)


@pytest.mark.parametrize(
    "typed,fragment",
    [
        ("1.234", "两位小数"),
        ("abc", "不是有效的金额"),
        ("", "请填写金额"),
        ("-5", "不能为负数"),
        ("1e5", "不是有效的金额"),
        ("NaN", "不是有效的金额"),
        ("1000000000000", "过大"),
        ("1,297,300,82", "逗号或空格位置不对"),
        ("1297300，82", "逗号或空格位置不对"),
        ("12,34", "逗号或空格位置不对"),
        ("1 297 300 82", "逗号或空格位置不对"),
        # Too many digits for Decimal's 28-digit context: once a traceback (InvalidOperation).
        ("99999999999999999999999999999.001", "过大"),
        ("1" * 40 + ".999", "过大"),
    ],
)
def test_parse_amount_refuses_with_a_chinese_reason(typed, fragment):
    with pytest.raises(ValidationError) as info:
        parse_amount(typed, field="amount")
    assert fragment in str(info.value)
    assert info.value.field == "amount"


def test_negative_allowed_only_when_asked():
    assert parse_amount("-12.5", allow_negative=True) == Decimal("-12.50")


def test_float_is_refused():
    with pytest.raises(TypeError):
        to_fen(1.1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        capital_words(1.1)  # type: ignore[arg-type]


def test_format_yuan():
    assert format_yuan(Decimal("1297300.82")) == "¥1,297,300.82"


# --- properties -------------------------------------------------------------------------

DIGIT = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
PLACE = {"拾": 10, "佰": 100, "仟": 1000}


def read_capital(words: str) -> int:
    """An independent reader of capital numerals, returning fen."""
    assert words.startswith("人民币")
    text = words[3:]
    total = section = digit = 0
    fen = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in DIGIT:
            digit = DIGIT[ch]
        elif ch in PLACE:
            section += digit * PLACE[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 100_000_000
            section = digit = 0
        elif ch == "元":
            total += section + digit
            section = digit = 0
        elif ch == "角":
            fen += digit * 10
            digit = 0
        elif ch == "分":
            fen += digit
            digit = 0
        elif ch == "整":
            pass
        else:
            raise AssertionError(f"unexpected {ch!r} in {words}")
        i += 1
    return total * 100 + fen


amounts = st.integers(min_value=0, max_value=to_fen(MAX_YUAN)).map(from_fen)


@given(amounts)
def test_capital_words_read_back_to_the_same_amount(amount):
    assert read_capital(capital_words(amount)) == to_fen(amount)


@given(amounts)
def test_capital_words_follow_the_zero_and_zheng_rules(amount):
    words = capital_words(amount)
    assert "零零" not in words
    fen = to_fen(amount)
    assert words.endswith("整") == (fen % 100 == 0)
    if fen % 100 and fen % 10 and (fen // 10) % 10 == 0 and fen >= 100:
        assert "元零" in words  # 角 zero, 分 not: 零 after 元 is required
    assert not words.removeprefix("人民币").startswith("零") or fen == 0


@given(amounts)
def test_fen_round_trip(amount):
    assert from_fen(to_fen(amount)) == amount


@given(amounts)
def test_typed_forms_parse_to_the_same_amount(amount):
    assert parse_amount(f"{amount:,.2f}") == amount
    assert parse_amount(f"¥{amount}") == amount


def expected_zeros(fen: int) -> int:
    """How many 零 the rules require, counted from the digits (independent of the writer).

    Each run of zeros between two non-zero digits of the 元 part is one 零, except the
    optional one where the run takes in the 万 (or 亿) place and the next digit is in the
    千 place, which we leave out (as the contract does); the 元 place zero before 角 is
    left out the same way; 角 zero with 分 not zero requires 元零X分.
    """
    yuan, rest = divmod(fen, 100)
    jiao, fen_digit = divmod(rest, 10)
    digits = str(yuan) if yuan else ""
    n = len(digits)
    count = 0
    i = 0
    while i < n:
        if digits[i] == "0":
            j = i
            while j < n and digits[j] == "0":
                j += 1
            if j < n:  # an inner run, followed by a non-zero digit
                powers = range(n - 1 - (j - 1), n - 1 - i + 1)
                section_place = any(p % 4 == 0 and p > 0 for p in powers)
                next_place = (n - 1 - j) % 4
                if not (section_place and next_place == 3):
                    count += 1
            i = j
        else:
            i += 1
    if yuan and jiao == 0 and fen_digit:
        count += 1
    return count


@given(amounts)
def test_zeros_are_written_exactly_where_the_rules_require(amount):
    fen = to_fen(amount)
    if fen == 0:
        return
    assert capital_words(amount).count("零") == expected_zeros(fen)


@pytest.mark.parametrize("amount,zeros", [("1409.50", 1), ("6007.14", 1), ("325.04", 1), ("1680.32", 0),
                                           ("100500", 1), ("105000", 0), ("1297300.82", 0)])
def test_expected_zeros_oracle_agrees_with_the_reference_examples(amount, zeros):
    assert expected_zeros(to_fen(Decimal(amount))) == zeros
