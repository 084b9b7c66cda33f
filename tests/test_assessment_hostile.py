"""月度考核 under attack: what a hostile tester found, each a test (issue 11)."""
from __future__ import annotations

import pytest

from app import assessment as a
from app import assessment_codes as codes
from app import staff
from app.consequences import fired_rules
from app.errors import ValidationError
from tests.test_staff import audit_count, form, make_id


def failed(store, worker_id, month):
    a.add_deduction(store, 2026, month, worker_id, 1, "25", "多次脱岗", f"2026-{month:02d}-10")
    a.add_deduction(store, 2026, month, worker_id, 2, "20", "超时派单", f"2026-{month:02d}-11")
    a.finalise(store, 2026, month, on=__import__("datetime").date(2026, month + 1, 2))
    a.sign(store, 2026, month, f"2026-{month + 1:02d}-03")


@pytest.fixture
def signed(store):
    """吴雪梅, on reply_review all year, failed the signed months August and September."""
    w = staff.add_worker(store, form(name="吴雪梅", id_number=make_id(seq=202)))
    failed(store, w, 8)
    failed(store, w, 9)
    return w


def sheets_of(store, worker_id):
    return {m: [(s.post_name, s.total, s.code) for s in a.load_month(store, 2026, m).sheets if s.worker_id == worker_id]
            for m in (7, 8, 9)}


@pytest.mark.parametrize("change", [
    pytest.param(lambda s, w: staff.leave_worker(s, w, "2026-07-31", "补录离场"), id="departure-backdated"),
    pytest.param(lambda s, w: staff.update_worker(s, w, form(name="吴雪梅", id_number=make_id(seq=202),
                                                             start_date="2026-10-01")), id="start-date-later"),
    pytest.param(lambda s, w: staff.change_post(s, w, "机动", "2026-08-01", "补录调岗"), id="post-moved-back"),
])
def test_a_signed_month_cannot_be_changed_through_the_staff_record(store, signed, change):
    """A signed month is locked: a departure recorded back in time, a later start date or a
    post change dated back into it would make its sheets vanish or print another post (and
    the 四.4 rule fired by the two failed months would silently disappear)."""
    before, audits = sheets_of(store, signed), audit_count(store)
    with pytest.raises(ValidationError, match="2026年8月.*已签字.*撤销签字"):
        change(store, signed)
    assert sheets_of(store, signed) == before and audit_count(store) == audits
    assert [f.rule for f in fired_rules(store)] == ["replacement"]


def test_staff_changes_that_leave_the_locked_months_alone_still_go_through(store, signed):
    staff.leave_worker(store, signed, "2026-10-20", "合同到期离场")
    staff.change_post(store, signed, "机动", "2026-10-01", "调岗")
    assert [s.post_name for s in a.load_month(store, 2026, 9).sheets] == ["接诉即办案件回复意见审核"]
    assert [f.rule for f in fired_rules(store)] == ["replacement"]


@pytest.mark.parametrize("typed, points", [("１．５", "1.5"), ("２ 分", "2"), ("0.5", "0.5"), (" 3 ", "3")])
def test_points_typed_with_a_chinese_input_method_are_read(store, signed, typed, points):
    """A full-width １．５ is what a Chinese input method types; money already reads it."""
    a.reopen(store, 2026, 9, "核对扣分有误需更正")
    a.add_deduction(store, 2026, 9, signed, 3, typed, "核实不实", "2026-09-12")
    sheet = a.sheet_for(a.load_month(store, 2026, 9), signed)
    assert sheet.deducted(3) == __import__("decimal").Decimal(points)


@pytest.mark.parametrize("typed, fragment", [
    ("1e999999999", "不是数字"), ("1e1", "不是数字"), ("1_0", "不是数字"), ("0x10", "不是数字"), ("NaN", "不是数字"),
    ("0.05", "最多保留一位小数"), ("-1", "应大于 0"), ("1e3", "不是数字"), ("\u200f5", "不是数字"),
])
def test_points_that_are_not_a_plain_number_are_refused_with_a_message(store, signed, typed, fragment):
    """Python's Decimal reads 1_0 as 10 and 1e1 as 10, and 1e999999999 crashed the form."""
    a.reopen(store, 2026, 9, "核对扣分有误需更正")
    before = audit_count(store)
    with pytest.raises(ValidationError, match=fragment):
        a.add_deduction(store, 2026, 9, signed, 3, typed, "核实不实", "2026-09-12")
    assert audit_count(store) == before


@pytest.mark.parametrize("typed, stored", [("８５．５", "85.5"), ("85.50", "85.50"), ("90", "90")])
def test_a_published_district_score_is_read_as_typed(store, typed, stored):
    from app.consequences import list_rankings, record_ranking

    record_ranking(store, 2026, 9, {"rank": "１６", "streets": "17", "score": typed, "vendor_caused": "是"})
    assert str(list_rankings(store)[0].score) == stored


@pytest.mark.parametrize("typed", ["1e2", "-0", "1_0", "NaN"])
def test_a_published_district_score_in_another_notation_is_refused(store, typed):
    from app.consequences import record_ranking

    with pytest.raises(ValidationError, match="公布得分"):
        record_ranking(store, 2026, 9, {"rank": 16, "streets": 17, "score": typed, "vendor_caused": "是"})
    assert store.db["district_rankings"].count == 0


def test_a_code_typed_as_read_off_the_paper_is_found(store, signed):
    """The code uses A–Z and 2–7 only (base32): a 0 typed for O, 1 for I, 8 for B, lowercase,
    spaces and full-width letters from an input method all mean the printed code."""
    sheet = a.sheet_for(a.load_month(store, 2026, 9), signed)
    codes.register_printed(store, [sheet])
    misread = sheet.code.replace("O", "0").replace("I", "1").replace("B", "8")
    typed = [sheet.code.lower(), " ".join(sheet.code.replace("-", "")), misread,
             "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in sheet.code)]
    for text in typed:
        result = codes.verify_code(store, text)
        assert result.found and result.matches, text
    assert codes.normalise_code("ab0de 1i8z7") == "ABODE-IIBZ7"
    assert codes.normalise_code("ＡＢＯＤＥ－ＩＩＢＺ７") == "ABODE-IIBZ7"


@pytest.mark.parametrize("typed", ["", "   ", "\x1b\x07\x00", "\u202e\u200f"])
def test_verify_with_no_code_or_control_characters_says_so_and_echoes_nothing_unprintable(store, typed):
    """`verify ""` answered '校验码  不是本数据文件打印过的考核表'; an escape sequence typed or
    pasted was echoed raw to the terminal."""
    result = codes.verify_code(store, typed)
    assert not result.found and "请输入考核表页脚上的校验码" in result.message
    assert all(ch.isprintable() for ch in result.message)


def test_verify_echoes_a_wrong_code_printable_and_short(store):
    result = codes.verify_code(store, "ab\x1b[2Jcd" + "x" * 500)
    assert not result.found and "AB[2JCD" in result.message and len(result.message) < 100
    assert all(ch.isprintable() for ch in result.message)


@pytest.mark.parametrize("mark", ["\u202e", "\u202d", "\u2067", "\u200f", "\u061c"])
def test_a_reason_with_a_direction_override_is_refused(store, signed, mark):
    """U+202E (from a pasted web page) makes the window show the reason reversed while the
    printed sheet shows it forwards: screen and signed paper would disagree."""
    a.reopen(store, 2026, 9, "核对扣分有误需更正")
    before = audit_count(store)
    with pytest.raises(ValidationError, match="改变文字方向的控制字符"):
        a.add_deduction(store, 2026, 9, signed, 3, "1", f"核实不实{mark}件01", "2026-09-12")
    with pytest.raises(ValidationError, match="改变文字方向的控制字符"):
        a.set_comment(store, 2026, 9, signed, f"意见{mark}abc")
    assert audit_count(store) == before


def test_a_replacement_dated_into_a_signed_month_is_refused(store, signed):
    """An office demand entered late, effective 2026-08-01, ended 吴雪梅's service on 07-31:
    the signed August and September sheets and the 四.4 rule they fire vanished."""
    from app.replacements import list_replacements, record_replacement

    before = sheets_of(store, signed)
    with pytest.raises(ValidationError, match="2026年8月（已签字）.*撤销签字"):
        record_replacement(store, {"leaving": signed, "requested_by": "office", "notified_on": "2026-08-01",
                                   "reason": "连续两个月考核不合格"})
    assert list_replacements(store) == [] and sheets_of(store, signed) == before
    record_replacement(store, {"leaving": signed, "requested_by": "office", "notified_on": "2026-11-20",
                               "reason": "连续两个月考核不合格", "grounds": "2026年8月、9月服务考核不合格"})
    assert staff.get_worker(store, signed).left_on.isoformat() == "2026-11-19"


def test_the_text_of_the_sheets_qr_code_is_a_code_verify_accepts(store, signed):
    """The QR code on the sheet holds '<sheet number> <code>'; scanned (a USB scanner types
    it) into verify, it was '不是本数据文件打印过的考核表'."""
    from app.reports.assessment_pdf import qr_text

    sheet = a.sheet_for(a.load_month(store, 2026, 9), signed)
    codes.register_printed(store, [sheet])
    result = codes.verify_code(store, qr_text(sheet))
    assert result.found and result.matches and sheet.sheet_no in result.message


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_a_pasted_line_separator_is_a_line_end_not_a_character_kept(store, separator):
    """U+2028/U+2029 (line and paragraph separators, in text pasted from web pages and some
    editors) went into one-line fields as they were: the window breaks the line there while
    the printed letter shows 〓 in the middle of its 函号."""
    from app import consequences as c

    notice = c.issue_notice(store, {"issued_on": "2026-11-02", "failure": f"夜间无人值守{separator}三次",
                                    "letter_no": f"龙街函〔2026〕{separator}12号"})
    [n] = [n for n in c.list_notices(store) if n.id == notice]
    assert n.letter_no == "龙街函〔2026〕 12号"
    assert n.failure == "夜间无人值守\n三次"


def test_a_month_after_the_contract_is_named_as_such_not_as_unfinished(store, monkeypatch):
    """On 2026-12-31, finalising January 2027 (or entering its district ranking) said the
    month was not over yet, as if it could be finalised in February; it is outside the
    contract (2026-01-01 to 2026-12-31) and never can be."""
    from app import consequences as c

    monkeypatch.setenv("DINGSHOU_TODAY", "2026-12-31")
    with pytest.raises(ValidationError, match="2027年1月不在合同服务期限内"):
        a.finalise(store, 2027, 1)
    with pytest.raises(ValidationError, match="2027年1月不在合同服务期限内"):
        c.record_ranking(store, 2027, 1, {"rank": 3, "streets": 17})
