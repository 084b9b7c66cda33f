"""The printed sheets and the summary, read back with pypdf (the letters: test_letters.py)."""
from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, strategies as st

from app import assessment as a
from app import consequences as c
from app import staff
from app.assessment_print import month_pdf, sheet_pdf
from app.reports.assessment_pdf import CLAUSE_4_4, MARGIN
from app.reports.layout import _char_width, wrap
from tests.test_staff import form, make_id

pypdf = pytest.importorskip("pypdf")


def pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def text_positions(pdf: bytes) -> list[tuple[float, str]]:
    found: list[tuple[float, str]] = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        def visit(text, cm, tm, *_):
            if text.strip():
                found.append((cm[4] + tm[4] * cm[0], text))
        page.extract_text(visitor_text=visit)
    return found


@pytest.fixture
def scored(store):
    w = staff.add_worker(store, form(name="吴雪梅", id_number=make_id(seq=202)))
    a.add_deduction(store, 2026, 3, w, 1, "4", "夜班缺岗 2 小时", "2026-03-03")
    a.set_comment(store, 2026, 3, w, "本月服务总体良好。")
    return w


def test_the_sheet_prints_the_record_the_clause_and_the_signature_blocks(store, scored):
    sheet, pdf = sheet_pdf(store, 2026, 3, scored)
    text = flat("".join(pages(pdf)))
    for expected in ("龙潭街道接诉即办平台盯守服务人员月度考核表", "吴雪梅", "接诉即办案件回复意见审核", "2026年3月",
                     "序号", "考核项目", "考核标准", "分值", "扣分", "扣分事由", "得分", "到岗与值守", "3月3日夜班缺岗2小时",
                     "96", "优秀", "本月服务总体良好。", flat(CLAUSE_4_4), "考核人（甲方）", "乙方负责人", "服务人员确认",
                     "甲方（盖章）", "乙方（盖章）", sheet.sheet_no, sheet.code):
        assert flat(expected) in text, expected
    assert "员工" not in text and "绩效" not in text and "考勤" not in text
    assert text.count("日期：") >= 3
    # the paper goes to the section chief and the vendor: no command line on it
    assert "python" not in text and "verify" not in text
    assert store.db["assessment_sheet_codes"].count_where("code = ?", [sheet.code]) == 1


def test_extreme_lengths_wrap_inside_the_page(store):
    name = "欧阳·买买提艾力江阿不都热合曼阿里木江古丽娜尔"
    w = staff.add_worker(store, form(name=name, id_number=make_id(seq=204), phone="13900001299"))
    reason = "诉求人反映问题未核实到位且未向承办单位说明情况" * 8  # 184 characters
    for day in range(1, 16):
        a.add_deduction(store, 2026, 3, w, 3, "1", reason[:199], f"2026-03-{day:02d}")
    comment = "考核意见" * 125  # 500 characters
    a.set_comment(store, 2026, 3, w, comment)
    sheet, pdf = sheet_pdf(store, 2026, 3, w)
    texts = pages(pdf)
    assert len(texts) >= 2  # every page has the sheet's number, code and page in its footer
    assert all(sheet.sheet_no in t and sheet.code in t and f"第 {n} 页" in t for n, t in enumerate(texts, start=1))
    whole = flat("".join(texts))
    assert flat(name) in whole and flat(comment) in whole
    assert whole.count(flat(reason[:199])) == 15  # every reason whole, in the 扣分明细 table
    assert "共15条，见下方扣分明细。" in whole
    width = 595.27
    for x, _ in text_positions(pdf):
        assert MARGIN - 1 <= x <= width - MARGIN, x


@given(st.text(alphabet="接诉即办平台盯守，。（）、ABCxyz 0123", min_size=0, max_size=300),
       st.floats(min_value=30, max_value=400))
def test_wrapped_lines_never_exceed_the_width(text, width):
    lines = wrap(text, 9.0, width)
    assert "".join(lines) == text.replace("\n", "")
    for before, line in zip(("",) + lines, lines):
        used = sum(_char_width(ch) for ch in line) * 9.0
        assert used <= width + 1e-6 or len(line) == 1  # only a line that cannot be broken further
        # No punctuation starts a line, unless the line before has nothing left to give: taking
        # its last word and the punctuation after it along would not fit either.
        if line and before and line[0] in "，。、）":
            run = before.rstrip("，。、；：？！）》」』】〕”’,.;:?!)%…·")
            taken = before[len(run) - 1:] + line[0]
            assert len(run) <= 1 or sum(_char_width(ch) for ch in taken) * 9.0 > width


@pytest.mark.parametrize("text", ["迟到" + "。" * 40, "注意" + "……" * 20, "扣分" + "！" * 30])
def test_a_run_of_punctuation_wraps_into_full_lines(text):
    """'迟到。。。…' (40 full stops) wrapped one character per line, 31 lines in a 100 pt
    column, and its last line ran 99 pt wide: each break carried the whole run along."""
    lines = wrap(text, 9.0, 100.0)
    assert len(lines) <= 5 and "".join(lines) == text
    assert all(sum(_char_width(ch) for ch in line) * 9.0 <= 100.0 for line in lines)


def test_the_month_file_has_the_summary_first_then_every_sheet(store, scored):
    other = staff.add_worker(store, form(name="郑晓东", id_number=make_id(seq=203), gender="男", phone="13900001235"))
    a.score_worker(store, 2026, 3, other)
    c.record_ranking(store, 2026, 3, {"rank": 16, "streets": 17, "score": "86.5", "vendor_caused": "待定"})
    texts = pages(month_pdf(store, 2026, 3))
    assert "汇总表" in texts[0] and "第16名（共17个街道，得分86.5）" in flat(texts[0])
    assert [("吴雪梅" in t, "郑晓东" in t) for t in texts[1:]] == [(True, False), (False, True)]


def test_characters_the_font_lacks_show_as_a_geta_mark_instead_of_vanishing(store):
    """A rare CJK name (𠀀, Extension B) or an emoji in a reason has no glyph in the bundled
    font: the sheet printed '龘' for the name '𠀀𠀁龘' and an empty 扣分事由 for '😀😀',
    silently. The printer's convention for a character it cannot set is 〓."""
    from app.reports.layout import wrap
    from app.reports.pdf import printable

    w = staff.add_worker(store, form(name="𠀀𠀁龘", id_number=make_id(seq=202)))
    a.add_deduction(store, 2026, 3, w, 1, "1", "😀👨\u200d👩\u200d👧 迟到", "2026-03-03")
    _, pdf = sheet_pdf(store, 2026, 3, w)
    text = flat("".join(pages(pdf)))
    assert "〓〓龘" in text and "3月3日〓〓〓〓迟到" in text
    assert printable("a\u200f\u202eb\ufe0f") == "ab"  # zero-width marks are dropped, not marked
    assert wrap("𠀀", 9.0, 100.0) == ("〓",)
    from app.reports.pdf import register_fonts
    assert wrap("𠀀", 9.0, 100.0, register_fonts()) == ("〓",)  # a font named (the letters' faces) too


def test_every_font_of_the_sheets_is_embedded(store, scored):
    """The issue asks for embedded fonts; reportlab's initial font put an unembedded
    Helvetica into every page's resources (pdffonts: 'Helvetica  Type 1  emb no')."""
    pdf = month_pdf(store, 2026, 3)
    fonts = {}
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts[font["/BaseFont"]] = "/FontDescriptor" in font and "/FontFile2" in font["/FontDescriptor"]
    assert fonts and all(fonts.values()), fonts


def test_a_reprinted_sheets_number_stays_on_one_line_in_the_summary(store, scored):
    """After 撤销签字 the numbers end in -R2; the summary's 考核表编号 column keeps each whole
    (it printed 'KH-202603-001-R' and '2' on two lines)."""
    a.finalise(store, 2026, 3)
    a.sign(store, 2026, 3, "2026-11-25")
    a.reopen(store, 2026, 3, "缺岗时长核对有误")
    summary = pages(month_pdf(store, 2026, 3))[0]
    numbers = [line for line in summary.splitlines() if "KH-202603" in line]
    assert numbers and all(re.search(r"KH-202603-\d{3}-R2", line) for line in numbers), numbers


def test_printing_the_sheets_loads_no_platypus():
    """The month's sheets are drawn on the canvas; platypus (≈45 ms to import) slipped into
    their command once through a shared module and put `sheets` over its 0.4 s budget."""
    import subprocess
    import sys

    code = ("import sys, app.reports.assessment_pdf, app.reports.letter_pdf, app.assessment_cli;"
            "print([m for m in sys.modules if m.startswith('reportlab.platypus')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
