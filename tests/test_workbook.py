"""Untrusted workbooks (app.reports.workbook): each hostile file gets one sentence, memory stays
bounded whatever the file declares, and nothing the program writes is ever a formula."""
from __future__ import annotations

import os
import signal
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl import load_workbook

from app.reports.workbook import (Limits, ReadCancelled, UnreadableCell, WorkbookError, append_row, find_header,
                                  open_workbook)
from tests.hostile_xlsx import DATE_STYLE, MAIN, cell, raw_xlsx, row_xml, sheet_xml, wide_workbook

ALIASES = {"姓名": "name", "身份证号": "id_number", "手机": "phone", "岗位": "post", "到岗日期": "start_date",
           "紧急联系电话": "emergency_phone", "紧急联系人姓名": "emergency_contact", "序号": None}


def classify(text: str) -> str | None:
    return ALIASES.get(text)


def read_all(path: Path, sheet: str | None = None, **kwargs):
    with open_workbook(path, **kwargs) as book:
        return book.read(sheet or book.sheets[0])


# --- bounded memory -------------------------------------------------------------------------

def test_a_sheet_declaring_16384_columns_is_read_without_padding_rows(tmp_path):
    path = wide_workbook(tmp_path / "wide.xlsx", rows=3000)
    tracemalloc.start()
    try:
        with open_workbook(path) as book:
            assert (book.sheets[0].declared_rows, book.sheets[0].declared_columns) == (3000, 16384)
            sheet = book.read(book.sheets[0])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(sheet.rows) == 3000
    assert max(len(r.values) for r in sheet.rows) == 6  # the empty formatted XFD cells cost nothing
    assert sheet.rows[1].values == ("张三", "男", "13900000001", "机动岗")
    assert peak < 40 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"  # padded, it was 3000 × 16384 cells


def test_the_300_kb_wide_workbook_is_refused_at_once_not_read_into_gigabytes(tmp_path):
    import time

    path = wide_workbook(tmp_path / "wide.xlsx")  # 50,000 rows, each padded to XFD: ~290 KB
    assert path.stat().st_size < 400 * 1024
    started = time.perf_counter()
    with pytest.raises(WorkbookError, match="有超过 5000 行内容"):
        read_all(path)
    assert time.perf_counter() - started < 10


def test_a_sheet_with_a_wrong_small_dimension_is_still_read_to_its_end(tmp_path):
    rows = "".join(row_xml(n, [f"行{n}"]) for n in range(1, 41))
    path = raw_xlsx(tmp_path / "wps.xlsx", [("名单", sheet_xml(rows, dimension="A1:A1"), "visible")])
    assert len(read_all(path).rows) == 40


def test_a_value_beyond_the_column_limit_is_named_not_dropped(tmp_path):
    rows = row_xml(1, ["姓名"]) + f'<row r="2">{cell("A2", "赵文静")}{cell("ZZ2", "多余")}</row>'
    path = raw_xlsx(tmp_path / "w.xlsx", [("名单", sheet_xml(rows), "visible")])
    with pytest.raises(WorkbookError, match="ZZ2 单元格有内容，超出了能读取的前 256 列"):
        read_all(path)


def test_a_zip_bomb_is_refused_from_its_declared_size_without_unpacking(tmp_path):
    path = raw_xlsx(tmp_path / "bomb.xlsx", [("名单", sheet_xml(row_xml(1, ["姓名"])), "visible")])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z, z.open("xl/sharedStrings.xml", "w") as part:
        chunk = b" " * (1024 * 1024)
        for _ in range(40):  # 40 MB of blanks, about 40 KB packed
            part.write(chunk)
    assert path.stat().st_size < 200 * 1024
    with pytest.raises(WorkbookError, match="解压后有 40 MB.*可能是损坏或恶意构造的文件"):
        open_workbook(path)


def test_a_shared_string_table_of_a_million_tiny_strings_is_refused_before_openpyxl_builds_it(tmp_path):
    import time

    path = raw_xlsx(tmp_path / "sst.xlsx", [("名单", sheet_xml(row_xml(1, ["姓名"])), "visible")])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z, z.open("xl/sharedStrings.xml", "w") as part:
        part.write(f'<sst xmlns="{MAIN}">'.encode())
        for _ in range(400):
            part.write(b"<si><t>1</t></si>" * 1000)  # 6 MB, 400,000 strings: 1.6 million tags
        part.write(b"</sst>")
    started = time.perf_counter()
    with pytest.raises(WorkbookError, match="xl/sharedStrings.xml 含有超过 100 万个 XML 元素"):
        open_workbook(path)
    assert time.perf_counter() - started < 5


def test_the_whole_package_is_limited_too(tmp_path):
    sheets = [(f"表{i}", sheet_xml(row_xml(1, ["姓名"] * 50)), "visible") for i in range(6)]
    path = raw_xlsx(tmp_path / "many.xlsx", sheets)
    with pytest.raises(WorkbookError, match="解压后有 .*远超人员名单应有的大小"):
        open_workbook(path, Limits(package_bytes=8 * 1024))
    with open_workbook(path) as book:
        assert len(book.sheets) == 6


def test_the_file_size_limit(tmp_path):
    path = raw_xlsx(tmp_path / "big.xlsx", [("名单", sheet_xml(row_xml(1, ["姓名"])), "visible")])
    with pytest.raises(WorkbookError, match="超过了能读取的"):
        open_workbook(path, Limits(file_bytes=100))


def test_an_entity_bomb_is_refused(tmp_path):
    dtd = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
           '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
    xml = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row>', prolog=dtd)
    path = raw_xlsx(tmp_path / "lol.xlsx", [("名单", xml, "visible")])
    with pytest.raises(WorkbookError, match="XML 实体"):
        open_workbook(path)


# --- files that are something else ---------------------------------------------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@pytest.mark.parametrize("name,content,fragment", [
    ("加密.xlsx", OLE + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64
     + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512, "设置了打开密码.*删除密码.*保存"),
    ("旧版.xls", OLE + "Workbook".encode("utf-16-le") + b"\x00" * 512, r"旧版 Excel（\.xls）或 WPS 表格"),
    ("名单.xlsx", "姓名,身份证号\n赵文静,110101\n".encode("gbk"), "文本（CSV）文件"),
    ("系统导出.xls", b"<html><body><table><tr><td>x</td></tr></table></body></html>", "网页或 XML 格式"),
    ("名单.xlsx", b"%PDF-1.7\n", "PDF 文件"),
    ("名单.xlsx", b"", "空文件"),
    ("名单.xlsx", b"PK\x03\x04 truncated", "已损坏"),
])
def test_files_that_are_not_xlsx_get_one_sentence(tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(WorkbookError, match=fragment) as caught:
        open_workbook(path)
    assert "Traceback" not in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("member,fragment", [
    ("xl/workbook.bin", r"\.xlsb"), ("content.xml", "ODS"), ("word/document.xml", "Word"), ("x.txt", "不是 Excel"),
])
def test_other_zip_packages_are_named(tmp_path, member, fragment):
    path = tmp_path / "名单.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(member, "x")
    with pytest.raises(WorkbookError, match=fragment):
        open_workbook(path)


def test_a_truncated_workbook_is_called_damaged(tmp_path):
    wb = OpenpyxlWorkbook()
    wb.active.append(["姓名"])
    wb.save(tmp_path / "good.xlsx")
    data = (tmp_path / "good.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    with pytest.raises(WorkbookError, match="已损坏"):
        read_all(tmp_path / "cut.xlsx")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "名单.xlsx"
    os.mkfifo(fifo)
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("reading a FIFO hung"))
    signal.alarm(5)
    try:
        with pytest.raises(WorkbookError, match="不是普通文件"):
            open_workbook(fifo)
    finally:
        signal.alarm(0)


def test_a_folder_and_a_missing_file(tmp_path):
    with pytest.raises(WorkbookError, match="是一个文件夹"):
        open_workbook(tmp_path)
    with pytest.raises(WorkbookError, match="找不到文件"):
        open_workbook(tmp_path / "无.xlsx")


# --- sheets and cells -----------------------------------------------------------------------

def test_only_visible_sheets_are_offered_and_a_hidden_one_is_refused_by_name(tmp_path):
    rows = row_xml(1, ["姓名"])
    path = raw_xlsx(tmp_path / "s.xlsx", [("说明", sheet_xml(rows), "visible"), ("旧名单", sheet_xml(rows), "hidden"),
                                          ("名单", sheet_xml(rows), "visible"), ("底稿", sheet_xml(rows), "veryHidden")])
    with open_workbook(path) as book:
        assert [s.name for s in book.sheets] == ["说明", "名单"]
        assert book.hidden == ["旧名单", "底稿"]
        assert book.read("名单").name == "名单"
        with pytest.raises(WorkbookError, match="“旧名单”是隐藏的"):
            book.read("旧名单")
        with pytest.raises(WorkbookError, match="没有名为“花名册”的工作表；可选的工作表：“说明”、“名单”"):
            book.read("花名册")


def test_a_workbook_with_only_hidden_sheets(tmp_path):
    path = raw_xlsx(tmp_path / "s.xlsx", [("名单", sheet_xml(row_xml(1, ["姓名"])), "hidden")])
    with pytest.raises(WorkbookError, match="没有可见的工作表"):
        open_workbook(path)


def test_formulas_without_saved_results_are_reported_not_blank(tmp_path):
    rows = (row_xml(1, ["姓名", "手机", "到岗日期"])
            + f'<row r="2">{cell("A2", "赵文静")}{cell("B2", formula="TEXT(13900000001,0)")}'
            f'{cell("C2", 46023, formula="DATE(2026,1,1)", style=DATE_STYLE)}'
            '<c r="D2" t="str"><f>IF(1,"","x")</f><v></v></c></row>'
            + f'<row r="3">{cell("A3", formula="Sheet2!A1")}</row>'
            + f'<row r="4">{cell("A4", "钱立新")}<c r="B4" t="e"><v>#REF!</v></c></row>')
    sheet = read_all(raw_xlsx(tmp_path / "f.xlsx", [("名单", sheet_xml(rows), "visible")]))
    assert [r.line for r in sheet.rows] == [1, 2, 3, 4]  # the row holding only a formula is not lost
    name, phone, start = sheet.rows[1].values  # D2's formula gave empty text: a blank, not unreadable
    assert name == "赵文静" and isinstance(phone, UnreadableCell) and "没有保存计算结果" in str(phone)
    assert str(phone).startswith("B2 单元格") and start.year == 2026  # a saved result is used
    assert isinstance(sheet.rows[2].values[0], UnreadableCell)
    assert "错误值 #REF!" in str(sheet.rows[3].values[1])
    assert len(sheet.unreadable()) == 3


def test_progress_is_reported_and_cancel_stops_the_read(tmp_path):
    path = wide_workbook(tmp_path / "wide.xlsx", rows=2000)

    class Recorder:
        cancelled = False
        seen: list[tuple[int, int]] = []

        def report(self, done, total):
            self.seen.append((done, total))
            if len(self.seen) == 500:
                self.cancelled = True

    recorder = Recorder()
    with open_workbook(path) as book, pytest.raises(ReadCancelled, match="已取消"):
        book.read(book.sheets[0], progress=recorder)
    assert len(recorder.seen) == 500 and recorder.seen[-1][0] < recorder.seen[-1][1]
    assert recorder.seen == sorted(recorder.seen)


def test_first_rows_stops_early(tmp_path):
    path = wide_workbook(tmp_path / "wide.xlsx", rows=2000)
    with open_workbook(path) as book:
        sheet = book.read(book.sheets[0], first_rows=10)
    assert len(sheet.rows) == 10 and not sheet.complete


# --- the header -----------------------------------------------------------------------------

def header_of(tmp_path, rows: str, merges=()):
    path = raw_xlsx(tmp_path / "h.xlsx", [("名单", sheet_xml(rows, merges=merges), "visible")])
    sheet = read_all(path)
    return find_header(sheet.rows, classify, key_field="name", merged=sheet.merged)


def test_a_header_under_a_title_with_an_unused_column(tmp_path):
    header = header_of(tmp_path, row_xml(1, ["乙方人员名单"]) + row_xml(2, ["序号", "姓名 *", "手机："])
                       + row_xml(3, [1, "赵文静", "13900000001"]))
    assert (header.first_line, header.line) == (2, 2)
    assert header.fields == {1: "name", 2: "phone"}
    assert [(c.letter, c.text) for c in header.unused] == [("A", "序号")]


def test_a_two_level_header_with_a_merged_group(tmp_path):
    top = row_xml(1, ["姓名", "身份证号", "联系方式", None, "紧急联系人", None])
    bottom = row_xml(2, [None, None, "手机", "紧急联系电话", "姓名", "电话"])
    header = header_of(tmp_path, top + bottom + row_xml(3, ["赵文静"]), merges=("A1:A2", "C1:D1", "E1:F1"))
    assert (header.first_line, header.line) == (1, 2)
    assert header.fields == {0: "name", 1: "id_number", 2: "phone", 3: "emergency_phone", 4: "emergency_contact"}
    assert [c.text for c in header.columns][2:] == ["联系方式 / 手机", "联系方式 / 紧急联系电话", "紧急联系人 / 姓名",
                                                    "紧急联系人 / 电话"]
    assert [c.text for c in header.unused] == ["紧急联系人 / 电话"]


def test_a_two_level_header_without_merge_records(tmp_path):
    top = row_xml(1, ["姓名", "联系方式"])
    bottom = row_xml(2, [None, "手机", "紧急联系电话"])
    header = header_of(tmp_path, top + bottom + row_xml(3, ["赵文静", "13900000001"]))
    assert header.fields == {0: "name", 1: "phone", 2: "emergency_phone"}


def test_a_second_column_for_the_same_field_is_named_as_not_used(tmp_path):
    header = header_of(tmp_path, row_xml(1, ["姓名", "手机", "手机"]))
    assert header.fields == {0: "name", 1: "phone"}
    assert "与 B 列“手机”重复" in header.unused[0].note


def test_no_header_without_the_key_field(tmp_path):
    assert header_of(tmp_path, row_xml(1, ["手机", "岗位"])) is None


# --- writing --------------------------------------------------------------------------------

HOSTILE = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\n=1", "\r=1", "=", "普通文字"]


@pytest.mark.parametrize("write_only", [False, True])
def test_text_is_never_written_as_a_formula(tmp_path, write_only):
    wb = OpenpyxlWorkbook(write_only=write_only)
    ws = wb.create_sheet("导出") if write_only else wb.active
    append_row(ws, HOSTILE + [42, None, "a\x07b"])
    wb.save(tmp_path / "out.xlsx")
    with zipfile.ZipFile(tmp_path / "out.xlsx") as z:
        sheet = next(n for n in z.namelist() if n.startswith("xl/worksheets/"))
        assert b"<f>" not in z.read(sheet)
        assert b'quotePrefix="1"' in z.read("xl/styles.xml")
    back = load_workbook(tmp_path / "out.xlsx").worksheets[0]
    values = [c.value for c in back[1]]
    # the text itself is kept (XML reads a lone carriage return back as a line feed)
    assert values[:len(HOSTILE)] == [v.replace("\r", "\n") for v in HOSTILE]
    assert all(c.data_type == "s" for c in back[1][:len(HOSTILE)])
    assert back["A1"].quotePrefix and not back["I1"].quotePrefix
    assert values[len(HOSTILE):] == [42, None, "a\ufffdb"]


def test_over_long_text_is_cut_at_excels_limit():
    from app.reports.workbook import EXCEL_CELL_MAX, clean_text

    text = clean_text("字" * 40000)
    assert len(text) <= EXCEL_CELL_MAX and text.endswith("已截断）")


def test_importing_the_module_does_not_load_openpyxl():
    import subprocess

    code = "import sys, app.reports.workbook; print('openpyxl' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_only_the_merges_of_the_first_rows_are_kept(tmp_path):
    rows = "".join(row_xml(n, [f"行{n}", "x"]) for n in range(1, 31))
    path = raw_xlsx(tmp_path / "m.xlsx", [("名单", sheet_xml(rows, merges=("A25:B25", "A1:B1", "A3:A4")), "visible")])
    assert read_all(path).merged == [(1, 1, 1, 2), (3, 1, 4, 1)]


def test_set_value_puts_text_in_an_existing_cell_as_text(tmp_path):
    from app.reports.workbook import set_value

    wb = OpenpyxlWorkbook()
    ws = wb.active
    for column, value in enumerate(["=1+1", "-3", "正常", 5], start=1):
        set_value(ws.cell(row=1, column=column), value)
    wb.save(tmp_path / "out.xlsx")
    back = load_workbook(tmp_path / "out.xlsx").active
    assert [c.value for c in back[1]] == ["=1+1", "-3", "正常", 5]
    assert [c.data_type for c in back[1]] == ["s", "s", "s", "n"]
