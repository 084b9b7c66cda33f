"""Whatever the cells of a vendor's sheet hold, the import answers with rows and reasons or
one Chinese sentence — never a traceback."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import UserError
from app.reports.staff_xlsx import preview_import
from app.store import open_memory_store
from tests.hostile_xlsx import raw_xlsx, row_xml, sheet_xml

HEADER = ["姓名", "身份证号", "手机", "岗位", "到岗日期", "劳动合同", "紧急联系电话"]
RAW_VALUES = ["", "nan", "inf", "-inf", "1e400", "-0", "abc", "99999999999999999999", "46023", "46023.5",
              "2026-01-01T00:00:00", "0", "1", "13900000001", "-5", "1E+308", "7", "#REF!", "\u0000"]
TYPES = [None, "n", "s", "b", "e", "str", "d", "inlineStr", "zz"]


@st.composite
def raw_cells(draw):
    kind = draw(st.sampled_from(TYPES))
    value = draw(st.sampled_from(RAW_VALUES))
    style = draw(st.sampled_from(["", ' s="2"']))
    formula = draw(st.sampled_from(["", "<f>A1+1</f>"]))
    attr = f' t="{kind}"' if kind else ""
    if kind == "inlineStr":
        return f"<c{attr}{style}>{formula}<is><t>{value.replace(chr(0), '')}</t></is></c>"
    return f"<c{attr}{style}>{formula}<v>{value.replace(chr(0), '')}</v></c>"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(raw_cells(), min_size=1, max_size=len(HEADER)), min_size=1, max_size=6))
def test_any_cell_content_gives_rows_or_one_sentence(rows):
    body = row_xml(1, HEADER) + "".join(f'<row r="{n}">{"".join(cells)}</row>' for n, cells in enumerate(rows, start=2))
    store = open_memory_store()
    with tempfile.TemporaryDirectory() as folder:
        path = raw_xlsx(Path(folder) / "名单.xlsx", [("名单", sheet_xml(body), "visible")])
        try:
            preview = preview_import(store, path)
        except UserError as err:
            assert str(err) and "Traceback" not in str(err)
        else:
            r = preview.roster  # every row of the sheet is accounted for, once
            header_rows = r.header.line - r.header.first_line + 1
            assert header_rows + len(r.skipped) + len(preview.rows) + r.blank_lines == r.last_line
            assert r.last_line <= len(rows) + 1
    store.close()


def test_numbers_out_of_any_range_are_refused_rows_not_crashes(tmp_path):
    cells = "".join(f"<c><v>{v}</v></c>" for v in ("1", "1", "1e400", "1e400", "1e400", "-1e400", "1e400"))
    body = row_xml(1, HEADER) + f'<row r="2"><c t="inlineStr"><is><t>张三</t></is></c>{cells}</row>'
    path = raw_xlsx(tmp_path / "名单.xlsx", [("名单", sheet_xml(body), "visible")])
    preview = preview_import(open_memory_store(), path)
    assert not preview.rows[0].ok and any("手机" in p for p in preview.rows[0].problems)


def _good_workbook() -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(HEADER)
    wb.active.append(["张三", "110101198803140423", "13900000001", "机动岗", "2026-01-01", "", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


GOOD_BYTES = _good_workbook()


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(GOOD_BYTES) - 1), st.integers(0, 255)), min_size=1, max_size=8),
       st.integers(20, len(GOOD_BYTES)))
def test_a_damaged_workbook_is_one_sentence(flips, length):
    from app.reports.workbook import WorkbookError, open_workbook

    data = bytearray(GOOD_BYTES[:length])
    for position, byte in flips:
        if position < len(data):
            data[position] = byte
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "名单.xlsx"
        path.write_bytes(bytes(data))
        try:
            with open_workbook(path) as book:
                for info in book.sheets:
                    book.read(info)
        except WorkbookError as err:
            assert "\n" not in str(err)
