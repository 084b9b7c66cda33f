"""Hostile workbooks built byte by byte, as a careless vendor or an attacker could send them.

`raw_xlsx` writes a minimal but valid .xlsx package from sheet XML, so a test can put in
exactly what Excel, WPS or a script would write (hidden sheets, formulas without saved
results, a dimension of 16,384 columns, DTDs) — things openpyxl itself never writes.
Run as a script to write the 300 KB wide workbook used for the memory measurement:
    python -m tests.hostile_xlsx /tmp/wide.xlsx
"""
from __future__ import annotations

import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="0" fillId="1" borderId="0" xfId="0" applyFill="1"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""
DATE_STYLE = 2  # cellXfs entry with the date number format (14)


def cell(ref: str, value: object = None, *, formula: str | None = None, style: int | None = None) -> str:
    """One <c> element: text as an inline string, numbers as numbers, a formula with or
    without its saved result (value None: never calculated)."""
    s = f' s="{style}"' if style is not None else ""
    if formula is not None:
        cached = "" if value is None else f"<v>{escape(str(value))}</v>"
        kind = ' t="str"' if isinstance(value, str) else ""
        return f'<c r="{ref}"{s}{kind}><f>{escape(formula)}</f>{cached}</c>'
    if value is None:
        return f'<c r="{ref}"{s}/>'
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    return f'<c r="{ref}"{s} t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def row_xml(line: int, values: Sequence[object], *, extra: str = "") -> str:
    from openpyxl.utils import get_column_letter

    cells = "".join(cell(f"{get_column_letter(i)}{line}", v) if not isinstance(v, tuple) else
                    cell(f"{get_column_letter(i)}{line}", v[0], formula=v[1])
                    for i, v in enumerate(values, start=1) if v is not None)
    return f'<row r="{line}">{cells}{extra}</row>'


def sheet_xml(rows: str, *, dimension: str | None = None, merges: Sequence[str] = (), prolog: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    merge = (f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
             + "</mergeCells>") if merges else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}">{dim}<sheetData>{rows}</sheetData>{merge}</worksheet>')


def raw_xlsx(path: Path, sheets: Sequence[tuple[str, str, str]], *, active: int = 0) -> Path:
    """Write a package of (name, sheet XML, state) sheets; state is visible/hidden/veryHidden."""
    entries = "".join(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"'
                      + ("" if state == "visible" else f' state="{state}"') + "/>"
                      for i, (name, _xml, state) in enumerate(sheets, start=1))
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
                f'<bookViews><workbookView activeTab="{active}"/></bookViews><sheets>{entries}</sheets></workbook>')
    rels = "".join(f'<Relationship Id="rId{i}" Type="{SHEET_TYPE}" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, len(sheets) + 1))
    rels += (f'<Relationship Id="rId{len(sheets) + 1}" '
             'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>')
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                        for i in range(1, len(sheets) + 1))
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/xl/workbook.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
             '<Override PartName="/xl/styles.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
             f'{overrides}</Types>')
    root_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", root_rels)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
                   '</Relationships>')
        z.writestr("xl/styles.xml", STYLES)
        for i, (_name, xml, _state) in enumerate(sheets, start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", xml)
    return path


def wide_workbook(path: Path, rows: int = 50000) -> Path:
    """The issue's 300 KB workbook: a roster whose every row ends in a formatted, empty cell
    at XFD (16,384 columns, as a whole-row fill leaves behind), and a dimension saying so."""
    header = row_xml(1, ["姓名", "性别", "手机", "岗位", "身份证号", "到岗日期"],
                     extra='<c r="XFD1" s="1"/>')
    # Cells without their optional r attribute, as some exporters write them: the rows
    # differ only in their numbers, which is what makes the file so small.
    values = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in ("张三", "男", "13900000001", "机动岗"))
    body = "".join(f'<row r="{line}">{values}<c r="XFD{line}" s="1"/></row>' for line in range(2, rows + 1))
    return raw_xlsx(path, [("名单", sheet_xml(header + body, dimension=f"A1:XFD{rows}"), "visible")])


if __name__ == "__main__":
    target = wide_workbook(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 50000)
    print(f"{target}: {target.stat().st_size / 1024:.0f} KB")
