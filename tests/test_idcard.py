"""GB 11643 resident ID numbers: check digit, birth date, masking."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from app.errors import ValidationError
from app.idcard import check_char, mask_id_number, mask_phone, parse_id_number

TODAY = dt.date(2026, 11, 25)


def make_id(area: str = "110101", birth: str = "19900307", seq: str = "123") -> str:
    first17 = area + birth + seq
    return first17 + check_char(first17)


def test_published_example_number():
    # The example in GB 11643-1999 itself: 11010519491231002X.
    info = parse_id_number("11010519491231002X", today=TODAY)
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.gender == "女"


def test_lower_case_x_full_width_digits_and_spaces_are_accepted():
    assert parse_id_number("110105 19491231 002x", today=TODAY).number == "11010519491231002X"
    assert parse_id_number("１１０１０５１９４９１２３１００２Ｘ", today=TODAY).number == "11010519491231002X"


def test_gender_from_the_sequence_digit():
    assert parse_id_number(make_id(seq="123"), today=TODAY).gender == "男"
    assert parse_id_number(make_id(seq="124"), today=TODAY).gender == "女"


@pytest.mark.parametrize("text,fragment", [
    ("", "不能为空"),
    ("11010519491231002", "应为18位，现在是17位"),
    ("11010519491231002Y", "前17位只能是数字"),
    ("1101051949123100X2", "前17位只能是数字"),
    ("110105194912310021", "校验位不对"),
    (make_id(birth="19900230"), "不是真实的日期"),
    (make_id(birth="20271201"), "不可能"),
    (make_id(birth="18991231"), "不可能"),
    ("110101********1234", "已被遮盖"),
])
def test_refusals_say_what_is_wrong(text, fragment):
    with pytest.raises(ValidationError) as info:
        parse_id_number(text, today=TODAY)
    assert fragment in str(info.value)
    assert info.value.field == "id_number"


def test_masking():
    assert mask_id_number("110101199003071233") == "110101********1233"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("") == "" and mask_phone("") == ""
    assert "5" not in mask_phone("12345")


births = st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2008, 12, 31))
areas = st.sampled_from(["110101", "110105", "130102", "310104", "440305", "650102"])


@given(areas, births, st.integers(min_value=0, max_value=999))
def test_every_generated_valid_number_is_accepted(area, birth, seq):
    number = make_id(area, birth.strftime("%Y%m%d"), f"{seq:03d}")
    info = parse_id_number(number, today=TODAY)
    assert info.birth_date == birth
    assert info.gender == ("男" if seq % 2 else "女")


@given(areas, births, st.integers(min_value=0, max_value=999), st.integers(min_value=0, max_value=17),
       st.integers(min_value=1, max_value=9))
def test_changing_any_one_digit_is_refused(area, birth, seq, position, delta):
    number = make_id(area, birth.strftime("%Y%m%d"), f"{seq:03d}")
    chars = list(number)
    if position == 17:
        options = "0123456789X"
        chars[17] = options[(options.index(chars[17]) + delta) % 11]
    else:
        chars[position] = str((int(chars[position]) + delta) % 10)
    with pytest.raises(ValidationError):
        parse_id_number("".join(chars), today=TODAY)


# Adjacent weights differ (mod 11) among the first 17 digits, so a swap there always shows.
@given(areas, births, st.integers(min_value=0, max_value=999), st.integers(min_value=0, max_value=15))
def test_swapping_two_different_adjacent_digits_is_refused(area, birth, seq, position):
    number = make_id(area, birth.strftime("%Y%m%d"), f"{seq:03d}")
    a, b = number[position], number[position + 1]
    if a == b or "X" in (a, b):
        return
    swapped = number[:position] + b + a + number[position + 2:]
    with pytest.raises(ValidationError):
        parse_id_number(swapped, today=TODAY)
