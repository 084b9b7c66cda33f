"""The two letters (更换服务人员通知函 四.4, 催告函 六.1) in the 信函格式 of GB/T 9704-2012:
read back with pypdf, and the red 版头 measured on the page rendered by PDFium."""
from __future__ import annotations

import io
import re

import pytest

from app import assessment as a
from app import consequences as c
from app import letters, staff
from app.errors import ValidationError
from app.reports.letter_pdf import Letter, render_letter
from tests.test_staff import form, make_id

pypdf = pytest.importorskip("pypdf")

MM = 72 / 25.4
OFFICE = "北京市东城区人民政府龙潭街道办事处"


def pages(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", "", p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def runs(pdf: bytes, page: int = 0) -> list[tuple[str, float]]:
    """Each text run on the page and its baseline, in mm from the page's top."""
    found: list[tuple[str, float]] = []

    def visit(text, cm, tm, *_):
        if text.strip():
            found.append((text.strip(), round(297 - (cm[5] + tm[5] * cm[3]) / MM, 3)))
    pypdf.PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return found


DPI = 100
PX = 25.4 / DPI  # mm a pixel


def red_rows(pdf: bytes, page: int = 0) -> dict[int, tuple[int, int, int]]:
    """Rows of the rendered page holding red pixels: row → (count, first x, last x)."""
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(pdf)
    bitmap = document[page].render(scale=DPI / 72, rev_byteorder=True)
    n, stride, data = bitmap.n_channels, bitmap.stride, bytes(bitmap.buffer)
    rows = {}
    for y in range(bitmap.height):
        line = data[y * stride:y * stride + bitmap.width * n]
        xs = [x for x in range(bitmap.width)
              if line[x * n] > 150 and line[x * n + 1] < 100 and line[x * n + 2] < 100]
        if xs:
            rows[y] = (len(xs), xs[0], xs[-1])
    document.close()
    return rows


def bands(rows: dict[int, tuple[int, int, int]], min_count: int) -> list[tuple[int, int]]:
    """Runs of consecutive rows with at least `min_count` red pixels: (first row, last row)."""
    out: list[tuple[int, int]] = []
    for y in sorted(y for y, (count, _, _) in rows.items() if count >= min_count):
        if out and y == out[-1][1] + 1:
            out[-1] = (out[-1][0], y)
        else:
            out.append((y, y))
    return out


@pytest.fixture
def failed(store):
    """吴雪梅 failed October and November 2026; the demand is recorded."""
    w = staff.add_worker(store, form(name="吴雪梅", id_number=make_id(seq=202)))
    for month in (10, 11):
        a.add_deduction(store, 2026, month, w, 1, "25", "严重缺岗", f"2026-{month:02d}-02")
        a.add_deduction(store, 2026, month, w, 2, "18.5", "派单严重超时", f"2026-{month:02d}-02")
    a.finalise(store, 2026, 10)
    return w


def test_the_replacement_letter_prints_the_recorded_number_and_date(store, failed, monkeypatch):
    with pytest.raises(ValidationError, match="没有连续两个月定稿的不合格"):
        letters.replacement_letter(store, failed, ("2026-10", "2026-11"))
    monkeypatch.setenv("DINGSHOU_TODAY", "2026-12-01")  # November is over: it can be finalised
    a.finalise(store, 2026, 11)
    with pytest.raises(ValidationError, match="还没有登记发函"):
        letters.replacement_letter(store, failed, ("2026-10", "2026-11"))
    monkeypatch.setenv("DINGSHOU_TODAY", "2026-12-04")
    c.record_demand(store, failed, ("2026-10", "2026-11"), {"letter_no": "龙街函〔2026〕12号", "issued_on": "2026-12-02"})
    monkeypatch.setenv("DINGSHOU_TODAY", "2026-12-20")  # a reprint weeks later is the same letter
    [page] = pages(render_letter(letters.replacement_letter(store, failed, ("2026-10", "2026-11"))))
    order = [OFFICE, "龙街函〔2026〕12号", "关于要求更换服务人员的通知函", "北京自腾科技有限公司：", "第四条第4款",
             "评估结果仅作为判断乙方是否按约履行服务义务的依据", "2026年10月考核得分56.5分（不合格）",
             "2026年11月考核得分56.5分（不合格）", "，连续两个月考核不合格。", "特此函告。", OFFICE + "2026年12月2日"]
    at = 0
    for part in order:  # each in its place, one after the other
        at = page.find(part, at)
        assert at >= 0, part
    assert "—1—" not in page  # the 信函格式's first page has no number
    assert "员工" not in page and "2026年12月20日" not in page


def test_a_number_left_blank_prints_its_frame_to_fill_by_hand(store, failed, monkeypatch):
    monkeypatch.setenv("DINGSHOU_TODAY", "2026-12-04")
    a.finalise(store, 2026, 11)
    c.record_demand(store, failed, ("2026-10", "2026-11"), {"letter_no": "", "issued_on": "2026-12-03"})
    letter = letters.replacement_letter(store, failed, ("2026-10", "2026-11"))
    assert letter.number == "龙街函〔2026〕\u3000\u3000号" and letter.date_text == "2026年12月3日"
    notice_id = c.issue_notice(store, {"issued_on": "2026-12-04", "failure": "夜间无人值守"})
    assert letters.cure_letter(store, notice_id)[1].number == "龙街函〔2026〕\u3000\u3000号"


def test_the_cure_letter_cites_6_1_and_the_deadline(store):
    notice_id = c.issue_notice(store, {"issued_on": "2026-10-30", "failure": "夜间多次无人值守" * 40,
                                       "letter_no": "龙街函〔2026〕9号"})
    notice, letter = letters.cure_letter(store, notice_id)
    texts = pages(render_letter(letter))
    text = "".join(texts)
    for expected in (OFFICE, "龙街函〔2026〕9号", "催告函", "第六条第1款", "15日内仍不能改正", "请于2026年11月14日前",
                     "2026年10月30日", "夜间多次无人值守" * 40):
        assert expected in text, expected
    # Page numbers from the second page on; the first page has the 版头 and no number.
    assert len(texts) == 2 and "—1—" not in texts[0] and "—2—" in texts[1]
    assert text.count(OFFICE) == 2  # the 版头 (page 1) and the signature (page 2), nowhere else
    # The office and the date never stand alone on a page: the closing words go over with them.
    assert "特此函告" in texts[1] and OFFICE + "2026年10月30日" in texts[1]


def test_the_red_letterhead_sits_where_the_standard_puts_it():
    letter = letters.Letter("龙街函〔2026〕12号", "关于要求更换服务人员的通知函", "北京自腾科技有限公司",
                            ("正文。",), OFFICE, "2026年12月2日")
    pdf = render_letter(letter)
    rows = red_rows(pdf)
    lines = bands(rows, min_count=int(160 / PX))  # rows red across 160 mm or more: the double lines
    assert len(lines) == 4, lines  # two double lines, two strokes each
    (thick1, thin1, thin2, thick2) = lines
    height = [(b - t + 1) * PX for t, b in lines]
    assert height[0] > height[1] * 1.5 and height[3] > height[2] * 1.5  # 上粗下细, then 上细下粗
    # The lower double line ends 20 mm above the page's bottom edge.
    assert abs((297 - (thick2[1] + 1) * PX) - 20) < 0.5
    # Each line 170 mm long, centred on the type area (28 mm + 156 / 2 = 106 mm from the left).
    for top, _ in lines:
        _, first, last = rows[top]
        assert abs((last - first + 1) * PX - 170) < 0.6 and abs((first + last + 1) / 2 * PX - 106) < 0.6
    # The office's name: red, above the upper line, its top edge 30 mm from the page's top,
    # 4 mm above the double line (a glyph's ink stays a little inside its em box).
    name_rows = [y for y in rows if y < thick1[0]]
    assert 30 <= min(name_rows) * PX <= 31.5
    assert 3.5 <= (thick1[0] - max(name_rows)) * PX <= 5.5
    # Nothing else is red: the body, the number and the signature are black.
    assert not [y for y in rows if thin1[1] < y < thin2[0]]
    # The 发文字号 under the upper line at the type area's right edge; the title two lines
    # further down; the body under it.
    at = dict(reversed(runs(pdf)))  # the first run of each text
    number, title, line = at["龙街函〔2026〕12号"], at["关于要求更换服务人员的通知函"], 225 / 22
    rule_bottom = (thin1[1] + 1) * PX
    assert 4 < number - 16 / MM * 0.88 - rule_bottom < 6  # 7/8 of a 3号 character: 4.9 mm
    assert 2.5 * line < title - number < 3.5 * line
    assert at["北京自腾科技有限公司："] > title


def test_without_the_letterhead_nothing_is_red_and_nothing_moves():
    letter = letters.Letter("龙街函〔2026〕12号", "催告函", "北京自腾科技有限公司", ("正文。" * 30, "特此函告。"),
                            OFFICE, "2026年12月2日")
    with_head, without = render_letter(letter), render_letter(letter, letterhead=False)
    assert red_rows(without) == {}
    assert bands(red_rows(with_head), min_count=int(160 / PX))
    assert pages(without)[0] == pages(with_head)[0].replace(OFFICE, "", 1)
    assert runs(without) == runs(with_head)[1:] and runs(with_head)[0][0] == OFFICE


def test_a_letter_number_character_the_face_lacks_prints_as_the_missing_mark():
    """The 函号 was drawn past `printable`: a character of CJK Extension B (or an emoji)
    in it vanished from the letter (龙街函〔2026〕𠀀12号 printed as 龙街函〔2026〕 12号),
    where the body of the same letter shows 〓."""
    letter = Letter("龙街函〔2026〕𠀀12号", "催告函", "北京自腾科技有限公司", ("特此函告。",), OFFICE, "2026年3月5日")
    [page] = pages(render_letter(letter))
    assert "龙街函〔2026〕〓12号" in page, page[:60]


def test_the_longest_letter_number_stays_inside_the_type_area():
    """A 函号 may have 30 characters; in 3号 that is 480 pt on a line of 442 pt, and the
    number, set flush right, ran 13 mm into the binding margin."""
    number = "龙街函〔2026〕" + "第" * 20 + "号"
    assert len(number) == 30 and c.check_letter_no  # the longest the form takes
    starts: list[float] = []

    def visit(text, cm, tm, *_):
        if text.strip().startswith("龙街函"):
            starts.append((cm[4] + tm[4] * cm[0]) / MM)
    letter = Letter(number, "催告函", "北京自腾科技有限公司", ("特此函告。",), OFFICE, "2026年3月5日")
    pypdf.PdfReader(io.BytesIO(render_letter(letter))).pages[0].extract_text(visitor_text=visit)
    assert len(starts) == 1 and starts[0] >= 28 - 0.01, starts
