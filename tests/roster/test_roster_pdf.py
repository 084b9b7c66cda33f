"""乙方排班表（甲方核验）: A4 landscape, the bundled font embedded, every worker and post on
the page, the gaps listed, both signature lines — and nothing clipped by a long name."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from app.reports.roster_pdf import roster_pdf, roster_sheet
from app.roster import month_roster, set_cells


@pytest.fixture
def demo(store):
    from app.demo import fill_demo

    fill_demo(store)
    return store


def text_of(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_month_prints_on_a4_landscape_with_the_font_embedded(demo):
    reader, text = text_of(roster_pdf(demo, 2026, 10, printed_on=dt.date(2026, 11, 25)))
    first = reader.pages[0]
    width, height = float(first.mediabox.width), float(first.mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    fonts = [f.get_object() for page in reader.pages for f in page["/Resources"]["/Font"].values()]
    cjk = [f for f in fonts if "WenQuanYiMicroHei" in str(f["/BaseFont"])]
    assert cjk and all("/FontFile2" in f["/FontDescriptor"].get_object() for f in cjk)  # embedded subsets
    assert "乙方排班表（甲方核验）" in text and "2026 年 10 月" in text
    for name in ("赵文静", "褚国庆", "王丽娜"):
        assert name in text
    assert "覆盖情况汇总" in text and "100.00%" in text
    assert "无缺口" in text
    assert "乙方负责人" in text and "甲方核验人" in text
    assert "派工" not in text and "考勤" not in text


def test_gaps_are_listed_with_date_post_and_the_uncovered_time(demo):
    roster = month_roster(demo, 2026, 11)
    night = next(r for r in roster.rows() if r.post_code == "dispatch" and r.cells[9] and r.cells[9][0].code == "夜")
    set_cells(demo, [(night.worker_id, dt.date(2026, 11, 10), [])])
    sheet = roster_sheet(demo, 2026, 11)
    assert sheet.day_marks[("dispatch", dt.date(2026, 11, 10))] is False
    assert sheet.day_marks[("dispatch", dt.date(2026, 11, 11))] is True
    _, text = text_of(roster_pdf(demo, 2026, 11))
    assert "缺口明细（1 处）" in text and "2026-11-10" in text and "00:00-08:00" in text


def test_a_long_name_wraps_inside_its_cell(demo):
    from app.reports.roster_pdf import render_roster_pdf

    sheet = roster_sheet(demo, 2026, 11)
    long_name = "欧阳·司马长名字测试人员"
    group = sheet.roster.groups[0]
    row = group.rows[0]
    renamed = type(row)(row.worker_id, long_name, row.post_code, row.hours_scheme, row.start, row.end, row.cells,
                        row.serves)
    groups = (type(group)(group.post, (renamed,) + group.rows[1:]),) + sheet.roster.groups[1:]
    sheet.roster = type(sheet.roster)(sheet.roster.year, sheet.roster.month, sheet.roster.days, groups,
                                      sheet.roster.shift_types, sheet.roster.contract)
    _, text = text_of(render_roster_pdf(sheet))
    # Every character is on the page (wrapped onto a second line, not cut at the border).
    assert all(ch in text for ch in long_name)
