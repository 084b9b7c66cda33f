"""Excel workbooks from outside (untrusted) and every workbook the program writes.

Reading. A workbook the vendor sends may be damaged, encrypted, an old .xls or a CSV
renamed to .xlsx, an XML bomb, a FIFO, or a 300 KB file whose rows each end in a styled
cell at column XFD (16,384): openpyxl pads every row to its last cell, so reading such a
file the ordinary way takes gigabytes. Here the file is checked before openpyxl sees it
(kind of file, size of every part once unpacked, no DTD/entity declarations), only visible
worksheets are offered, and the chosen sheet is streamed row by row from its XML with
openpyxl's own cell parser, keeping only non-empty rows and refusing (never truncating) a
sheet over the row or column limit. Memory stays bounded by `Limits`, whatever the file
declares. A formula cell without a saved result comes back as `UnreadableCell`, never as a
blank. Every refusal is one Chinese sentence (`WorkbookError`).

    with open_workbook(path) as book:
        info = book.sheets[0]                 # visible worksheets only; book.hidden names the rest
        sheet = book.read(info, progress=p)   # p.report(done, total), p.cancelled
    header = find_header(sheet.rows, classify, key_field="name")

Writing. `text_safe_cell` / `append_row` write any text that starts with = + - @ or a tab
or line break as text (never a formula), with Excel's quote-prefix so that editing the cell
in Excel does not turn it into one either, and replace characters a cell cannot hold.
Every export goes through them.
"""
from __future__ import annotations

import os
import re
import stat
import warnings
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from app.errors import UserError, ValidationError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one workbook may cost. A real roster is far below each of them."""

    file_bytes: int = 64 * MIB  # the file on disk (pictures included)
    part_bytes: int = 32 * MIB  # any part openpyxl reads whole: shared strings, styles, workbook
    part_tags: int = 1_000_000  # XML tags in such a part (a million one-letter strings cost seconds)
    sheet_bytes: int = 160 * MIB  # a worksheet's XML once unpacked (streamed, not held)
    package_bytes: int = 200 * MIB  # all the XML of the package once unpacked
    rows: int = 5000  # non-empty rows of one sheet
    columns: int = 256  # the last column that may hold a value


class WorkbookError(ValidationError):
    """The workbook cannot be read; the message is one sentence for the clerk."""

    def __init__(self, message: str):
        super().__init__(message, "file")


class ReadCancelled(UserError):
    """The clerk pressed 取消 while the sheet was being read."""

    def __init__(self) -> None:
        super().__init__("已取消读取，没有导入任何内容。")


class ReadProgress(Protocol):
    """What a long read reports to and asks of its caller (ui.tasks.Progress is one)."""

    @property
    def cancelled(self) -> bool: ...

    def report(self, done: int, total: int) -> None: ...


@dataclass(frozen=True)
class UnreadableCell:
    """A cell whose value the file does not hold: a formula never calculated, or an error."""

    coordinate: str
    reason: str  # e.g. "是公式，文件中没有保存计算结果"

    def __str__(self) -> str:
        return f"{self.coordinate} 单元格{self.reason}"


UNCALCULATED = "是公式，文件中没有保存计算结果（请在 Excel 中打开并保存后再导入）"


@dataclass(frozen=True)
class SheetInfo:
    name: str
    dimension: str | None  # the size the sheet declares, e.g. "A1:XFD45000" (may be wrong)
    declared_rows: int | None
    declared_columns: int | None


@dataclass(frozen=True)
class Row:
    line: int  # the row number in Excel
    values: tuple[Any, ...]  # from column A to the row's last value; may hold UnreadableCell
    hidden: bool = False  # hidden in Excel (or filtered out): the clerk does not see it there

    def get(self, index: int) -> Any:
        return self.values[index] if index < len(self.values) else None


@dataclass
class Sheet:
    name: str
    rows: list[Row]  # the non-empty rows, in order
    merged: list[tuple[int, int, int, int]]  # (first row, first col, last row, last col), 1-based
    complete: bool = True  # False when `first_rows` stopped the read early

    def unreadable(self) -> list[UnreadableCell]:
        return [v for row in self.rows for v in row.values if isinstance(v, UnreadableCell)]


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _size_text(size: int) -> str:
    return f"{size / MIB:.0f} MB" if size >= MIB else f"{max(size // 1024, 1)} KB"


def _open_regular(path: Path) -> IO[bytes]:
    """Open for reading without ever blocking: a FIFO or a device is refused before reading."""
    name = path.name or str(path)
    try:
        info = path.stat()
    except FileNotFoundError as err:
        raise WorkbookError(f"找不到文件 {path}。") from err
    except OSError as err:
        raise WorkbookError(f"无法读取“{name}”：{err.strerror or err}。") from err
    if stat.S_ISDIR(info.st_mode):
        raise WorkbookError(f"“{name}”是一个文件夹，请选择其中的 .xlsx 文件。")
    if not stat.S_ISREG(info.st_mode):
        raise WorkbookError(f"“{name}”不是普通文件（可能是管道或设备），不能作为工作簿读取。")
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError as err:
        raise WorkbookError(f"无法读取“{name}”：文件可能正在 Excel 或 WPS 中打开，请关闭后重试。") from err
    except OSError as err:
        raise WorkbookError(f"无法读取“{name}”：{err.strerror or err}。") from err
    handle = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between stat and open
        handle.close()
        raise WorkbookError(f"“{name}”不是普通文件（可能是管道或设备），不能作为工作簿读取。")
    return handle


_SAVE_AS = "请在 Excel 或 WPS 中打开它，“另存为”Excel 工作簿（*.xlsx）后再导入"


def _refuse_by_content(name: str, head: bytes, handle: IO[bytes], size: int) -> None:
    """Name what a file that is not a zip package is, in one sentence."""
    if not head:
        raise WorkbookError(f"“{name}”是空文件（0 字节），请确认选对了文件。")
    if head.startswith(OLE_MAGIC[:4]):
        handle.seek(0)
        data = handle.read(min(size, 8 * MIB))
        if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
            raise WorkbookError(f"“{name}”设置了打开密码，程序无法读取：请在 Excel 中打开它，"
                                "删除密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后保存，再导入。")
        raise WorkbookError(f"“{name}”是旧版 Excel（.xls）或 WPS 表格（.et）格式，不是 .xlsx 文件。{_SAVE_AS}。")
    lowered = head[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(b"%pdf"):
        raise WorkbookError(f"“{name}”是 PDF 文件，不是 Excel 工作簿；请向乙方要 Excel 格式的名单。")
    if lowered.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")) or b"<html" in lowered:
        raise WorkbookError(f"“{name}”其实是网页或 XML 格式的表格（常见于系统导出的“.xls”），不是 .xlsx 文件。{_SAVE_AS}。")
    if b"\x00" not in head[:512]:
        raise WorkbookError(f"“{name}”是文本（CSV）文件，不是 .xlsx 文件。{_SAVE_AS}。")
    raise WorkbookError(f"“{name}”不是 Excel 工作簿（文件已损坏，或是其他格式改了扩展名）。{_SAVE_AS}。")


def _check_package(name: str, archive: zipfile.ZipFile, limits: Limits, what: str = "人员名单") -> None:
    """Refuse what is not an .xlsx package, or would cost too much to unpack."""
    names = set(archive.namelist())
    if "xl/workbook.bin" in names:
        raise WorkbookError(f"“{name}”是 Excel 二进制工作簿（.xlsb），不是 .xlsx 文件。{_SAVE_AS}。")
    if "mimetype" in names or "content.xml" in names:
        raise WorkbookError(f"“{name}”是 WPS/LibreOffice 的 ODS 表格，不是 .xlsx 文件。{_SAVE_AS}。")
    if "word/document.xml" in names or "ppt/presentation.xml" in names:
        raise WorkbookError(f"“{name}”是 Word 或 PowerPoint 文件，不是 Excel 工作簿，请确认选对了文件。")
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") and n.endswith(".xml") for n in names):
        raise WorkbookError(f"“{name}”不是 Excel 工作簿（文件已损坏，或是其他格式改了扩展名）。{_SAVE_AS}。")
    parts = [info for info in archive.infolist() if info.filename.endswith((".xml", ".rels"))]
    # pictures and printer settings are never unpacked
    total = sum(info.file_size for info in parts)
    if total > limits.package_bytes:
        raise WorkbookError(f"“{name}”解压后有 {_size_text(total)}，远超{what}应有的大小，"
                            f"可能是损坏或恶意构造的文件；请让乙方重新导出一个只含{what}的工作簿。")
    for info in parts:
        part = info.filename
        streamed = part.startswith("xl/worksheets/") and "/_rels/" not in part  # read row by row
        if info.file_size > (limits.sheet_bytes if streamed else limits.part_bytes):
            raise WorkbookError(f"“{name}”解压后有 {_size_text(info.file_size)}（{part}），远超{what}应有的大小，"
                                f"可能是损坏或恶意构造的文件；请让乙方重新导出一个只含{what}的工作簿。")
        with archive.open(info) as stream:
            chunk = stream.read(2048)
            if b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk:
                raise WorkbookError(f"“{name}”内部含有 XML 实体声明（Excel 保存的文件从不含有），"
                                    "可能是恶意构造的文件，程序不读取它；请让乙方用 Excel 重新保存后发送。")
            if streamed:
                continue
            # openpyxl builds parts such as the shared strings whole: count what it would build
            tags = 0
            while chunk:
                tags += chunk.count(b"<")
                if tags > limits.part_tags:
                    raise WorkbookError(f"“{name}”的 {part} 含有超过 {limits.part_tags / 10000:g} 万个 XML 元素，"
                                        f"远超{what}应有的规模，可能是损坏或恶意构造的文件；请让乙方重新导出一个只含{what}的工作簿。")
                chunk = stream.read(MIB)


def _damaged(name: str, err: BaseException) -> WorkbookError:
    if "amplification" in str(err) or "entity" in str(err).lower():
        return WorkbookError(f"“{name}”内部含有异常的 XML 实体，可能是恶意构造的文件，程序不读取它。")
    return WorkbookError(f"“{name}”已损坏，无法读取：请在 Excel 中打开它，“另存为”Excel 工作簿（*.xlsx）后再导入。"
                         f"（技术信息：{type(err).__name__}）")


_DIMENSION = re.compile(r"^\$?([A-Z]{1,3})?\$?(\d+)?(?::\$?([A-Z]{1,3})?\$?(\d+)?)?$")


def _dimension(ref: str | None) -> tuple[int | None, int | None]:
    """(rows, columns) a dimension such as "A1:XFD45000" declares; (None, None) if unreadable."""
    from openpyxl.utils import column_index_from_string

    match = _DIMENSION.match(ref or "")
    if not ref or not match:
        return None, None
    first_col, first_row, last_col, last_row = match.groups()
    last_col, last_row = last_col or first_col, last_row or first_row
    try:
        columns = column_index_from_string(last_col) if last_col else None
    except ValueError:
        columns = None
    return (int(last_row) if last_row else None), columns


class Workbook:
    """An opened untrusted workbook; use as a context manager (it holds the file open)."""

    def __init__(self, path: Path, limits: Limits, what: str = "人员名单"):
        self.path, self.limits, self.what = path, limits, what
        self.name = path.name or str(path)
        self._handle = _open_regular(path)
        try:
            self._open()
        except BaseException:
            self._handle.close()
            raise

    def _open(self) -> None:
        from openpyxl import load_workbook

        handle, name = self._handle, self.name
        size = os.fstat(handle.fileno()).st_size
        if size > self.limits.file_bytes:
            raise WorkbookError(f"“{name}”有 {_size_text(size)}，超过了能读取的 {_size_text(self.limits.file_bytes)}，"
                                f"不像是{self.what}；请让乙方另存一个只含{self.what}的工作簿（不带图片）。")
        head = handle.read(8)
        if not head.startswith(ZIP_MAGIC):
            _refuse_by_content(name, head + handle.read(504), handle, size)
        handle.seek(0)
        try:
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
            raise _damaged(name, err) from err
        try:
            _check_package(name, archive, self.limits, self.what)
        except UserError:
            raise
        except Exception as err:  # zlib.error, BadZipFile, …: a damaged file is one sentence
            raise _damaged(name, err) from err
        finally:
            archive.close()
        handle.seek(0)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl warns about every extension it skips
                self._book = load_workbook(handle, read_only=True, data_only=True, keep_links=False)
        except UserError:
            raise
        except Exception as err:
            raise _damaged(name, err) from err
        self.sheets: list[SheetInfo] = []
        self.hidden: list[str] = []
        for ws in self._book.worksheets:
            if ws.sheet_state != "visible":
                self.hidden.append(ws.title)
                continue
            ref = self._peek_dimension(ws)
            rows, columns = _dimension(ref)
            self.sheets.append(SheetInfo(ws.title, ref, rows, columns))
        if not self.sheets:
            raise WorkbookError(f"“{name}”中没有可见的工作表（隐藏的工作表不读取）；请在 Excel 中取消隐藏名单所在的工作表后保存。")

    def _peek_dimension(self, ws: Any) -> str | None:
        from xml.etree.ElementTree import iterparse

        tag = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}dimension"
        try:
            with ws._get_source() as src:
                for _event, element in iterparse(src, events=("start",)):
                    if element.tag == tag:
                        return element.get("ref")
                    if element.tag.endswith("}sheetData"):
                        return None
        except Exception as err:
            raise _damaged(self.name, err) from err
        return None

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        book = getattr(self, "_book", None)
        if book is not None:
            book.close()
        self._handle.close()

    def sheet_info(self, name: str) -> SheetInfo:
        """The visible sheet called `name`; a hidden or unknown name is refused by name."""
        for info in self.sheets:
            if info.name == name:
                return info
        if name in self.hidden:
            raise WorkbookError(f"工作表“{name}”是隐藏的，程序只读取可见的工作表；请在 Excel 中取消隐藏后保存，"
                                "或选择其他工作表。")
        raise WorkbookError(f"“{self.name}”中没有名为“{name}”的工作表；可选的工作表："
                            + "、".join(f"“{s.name}”" for s in self.sheets) + "。")

    def read(self, sheet: SheetInfo | str, *, progress: ReadProgress | None = None,
             first_rows: int | None = None) -> Sheet:
        """Stream the sheet's non-empty rows (all of them, or the first `first_rows`)."""
        info = sheet if isinstance(sheet, SheetInfo) else self.sheet_info(sheet)
        ws = self._book[info.name]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "serial value outside the limits for dates": an error cell
                return self._stream(ws, info, progress, first_rows)
        except (UserError, MemoryError):
            raise
        except Exception as err:
            raise _damaged(self.name, err) from err

    def _stream(self, ws: Any, info: SheetInfo, progress: ReadProgress | None, first_rows: int | None) -> Sheet:
        from xml.etree.ElementTree import iterparse

        from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
        from openpyxl.worksheet._reader import WorkSheetParser

        ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
        row_tag, cell_tag, merge_tag = ns + "row", ns + "c", ns + "mergeCell"
        value_tag, formula_tag, inline_tag = ns + "v", ns + "f", ns + "is"
        limits = self.limits
        book: Any = self._book  # openpyxl's reader internals are untyped
        parser = WorkSheetParser(None, ws._shared_strings, data_only=True, epoch=book.epoch,  # type: ignore[arg-type]
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        rows: list[Row] = []
        sheet_data = None
        merged: list[tuple[int, int, int, int]] = []
        line = 0
        with ws._get_source() as raw:
            source = _Counting(raw)
            total = book._archive.getinfo(ws._worksheet_path).file_size or 1
            for event, element in iterparse(source, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == ns + "sheetData":
                        sheet_data = element
                    continue
                if tag == merge_tag:
                    bounds = range_boundaries(element.get("ref", ""))
                    first_col, first_row, last_col, last_row = bounds
                    # Only a header's merges matter: those among the first rows, however many the sheet has.
                    zone = rows[min(len(rows), HEADER_SEARCH_ROWS) - 1].line if rows else 0
                    if None not in bounds and first_row <= zone:  # type: ignore[operator]
                        merged.append((first_row, first_col, last_row, last_col))  # type: ignore[arg-type]
                    continue
                if tag != row_tag:
                    continue
                line = int(element.get("r") or line + 1)
                hidden = element.get("hidden") in ("1", "true")
                parser.row_counter, column = line, 0
                values: dict[int, Any] = {}
                for cell in element:
                    if cell.tag != cell_tag:
                        continue
                    ref = cell.get("r")  # optional: without it, a cell follows the one before
                    column = coordinate_to_tuple(ref)[1] if ref else column + 1
                    cached = cell.find(value_tag)
                    if cell.find(formula_tag) is not None:
                        kind = cell.get("t", "n")
                        if kind == "str" and cached is not None and not (cached.text or "").strip():
                            continue  # a formula whose result is empty text
                        # No result at all, or none where a number must be (openpyxl writes <v/>).
                        uncalculated = cached is None or (not (cached.text or "").strip() and kind != "inlineStr")
                    elif cached is None and cell.find(inline_tag) is None:
                        continue  # formatting only
                    else:
                        uncalculated = False
                    coordinate = ref or f"{_letter(column)}{line}"
                    if column > limits.columns:
                        raise WorkbookError(
                            f"工作表“{info.name}”的 {coordinate} 单元格有内容，超出了能读取的前 {limits.columns} 列；"
                            "请删除名单右侧多余的内容后保存，再导入。")
                    if uncalculated:
                        values[column] = UnreadableCell(coordinate, UNCALCULATED)
                        continue
                    parser.col_counter = column - 1
                    parsed = parser.parse_cell(cell)
                    value = parsed["value"]
                    if parsed["data_type"] == "e":
                        value = UnreadableCell(coordinate, f"是错误值 {value}（请在 Excel 中改正后保存）")
                    if not _is_blank(value):
                        values[column] = value
                element.clear()
                if sheet_data is not None:
                    sheet_data.clear()  # rows already read are not kept by the tree
                if values:
                    width = max(values)
                    rows.append(Row(line, tuple(values.get(c) for c in range(1, width + 1)), hidden))
                    if len(rows) > limits.rows:
                        raise WorkbookError(
                            f"工作表“{info.name}”有超过 {limits.rows} 行内容，不像是一份{self.what}；"
                            "请删除多余的内容（或分成几个文件）后再导入。")
                    if first_rows is not None and len(rows) >= first_rows:
                        return Sheet(info.name, rows, merged, complete=False)
                if progress is not None:
                    if progress.cancelled:
                        raise ReadCancelled()
                    progress.report(min(source.count, total), total)
        return Sheet(info.name, rows, merged)


class _Counting:
    """Counts the unpacked bytes read, for progress."""

    def __init__(self, raw: IO[bytes]):
        self.raw, self.count = raw, 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.count += len(data)
        return data


def open_workbook(path: str | Path, limits: Limits = Limits(), *, what: str = "人员名单") -> Workbook:
    """Open an untrusted .xlsx (checked, not yet read); a `WorkbookError` says why it cannot be,
    naming `what` the file should be (人员名单, 排班表) where its size gives it away."""
    return Workbook(Path(path), limits, what)


# --- the header ----------------------------------------------------------------------------

HEADER_SEARCH_ROWS = 10
_REMARK = re.compile(r"[（(][^（()）]*[)）]")


def header_key(value: Any) -> str:
    """A header text compared without spaces, line breaks, "*" marks and a trailing colon."""
    text = "".join(str(value or "").split())
    return text.replace("*", "").replace("＊", "").rstrip(":：")


@dataclass(frozen=True)
class HeaderColumn:
    index: int  # 0-based
    text: str  # as the clerk reads it, "联系方式 / 手机" under a two-level header
    field: str | None  # what `classify` made of it; None: not used
    note: str = ""  # why a column is not used, when there is more to say than "not used"

    @property
    def letter(self) -> str:
        return _letter(self.index + 1)


@dataclass(frozen=True)
class Header:
    first_line: int  # the Excel row of the header's top level
    line: int  # the Excel row of its last level; data starts below
    columns: tuple[HeaderColumn, ...]

    @property
    def fields(self) -> dict[int, str]:
        return {c.index: c.field for c in self.columns if c.field}

    @property
    def unused(self) -> list[HeaderColumn]:
        return [c for c in self.columns if not c.field]

    def column_of(self, field_name: str) -> HeaderColumn | None:
        return next((c for c in self.columns if c.field == field_name), None)


def _texts(row: Row | None) -> list[str]:
    if row is None:
        return []
    return [header_key(v) if isinstance(v, str) else ("" if v is None else header_key(v)) for v in row.values]


def _classify(classify: Callable[[str], str | None], *texts: str) -> str | None:
    for text in texts:
        if not text:
            continue
        found = classify(text) or classify(_REMARK.sub("", text))
        if found:
            return found
    return None


def _header_columns(upper: Row, lower: Row | None, merged: Sequence[tuple[int, int, int, int]],
                    classify: Callable[[str], str | None]) -> list[HeaderColumn]:
    top = _texts(upper)
    bottom = _texts(lower)
    width = max(len(top), len(bottom))
    top += [""] * (width - len(top))
    bottom += [""] * (width - len(bottom))
    if lower is not None:
        # A group label (联系方式) stands over the columns it spans: its merged range, or,
        # when the file has no merge record, the blank cells after it that have a sub-label.
        spread = list(top)
        for first_row, first_col, last_row, last_col in merged:
            if first_row <= upper.line <= last_row and first_col <= width:
                for col in range(first_col, min(last_col, width) + 1):
                    spread[col - 1] = top[first_col - 1]
        for col in range(1, width):
            if not spread[col] and bottom[col] and spread[col - 1] and bottom[col - 1]:
                spread[col] = spread[col - 1]
        top = spread
    columns: list[HeaderColumn] = []
    taken: dict[str, HeaderColumn] = {}
    for index in range(width):
        upper_text, lower_text = top[index], bottom[index]
        if not upper_text and not lower_text:
            continue
        if lower is not None and upper_text and lower_text and upper_text != lower_text:
            shown = f"{upper_text} / {lower_text}"
            found = _classify(classify, upper_text + lower_text, lower_text)
        else:
            shown = lower_text or upper_text
            found = _classify(classify, shown)
        note = ""
        if found and found in taken:
            note = f"与 {taken[found].letter} 列“{taken[found].text}”重复，只用前一列"
            found = None
        column = HeaderColumn(index, shown, found, note)
        if found:
            taken[found] = column
        columns.append(column)
    return columns


def find_header(rows: Sequence[Row], classify: Callable[[str], str | None], *, key_field: str,
                merged: Sequence[tuple[int, int, int, int]] = (), search_rows: int = HEADER_SEARCH_ROWS) -> Header | None:
    """The header among the first `search_rows` non-empty rows: one row, or two levels (a
    merged 联系方式 over 手机 / 紧急联系电话). `classify(text)` names the field a header text
    stands for (None: not used). The header must hold `key_field`; of the candidates, the one
    that recognises the most fields wins, a single row on a tie."""
    best: tuple[tuple[int, int], Header] | None = None
    candidates = list(rows[:search_rows])
    for index, upper in enumerate(candidates):
        options: list[Row | None] = [None]
        following = candidates[index + 1] if index + 1 < len(candidates) else None
        if following is not None and following.line == upper.line + 1:
            options.append(following)
        for lower in options:
            columns = _header_columns(upper, lower, merged, classify)
            found = {c.field for c in columns if c.field}
            if key_field not in found:
                continue
            score = (len(found), 0 if lower else 1)  # a title over the header is not a level
            if best is None or score > best[0]:
                best = (score, Header(upper.line, (lower or upper).line, tuple(columns)))
    return best[1] if best else None


# --- writing -------------------------------------------------------------------------------

EXCEL_CELL_MAX = 32767
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_CUT = "…（内容过长，已截断）"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_text(text: str) -> str:
    """Text a cell can hold: control characters shown as �, cut at Excel's 32,767 characters."""
    text = _ILLEGAL.sub("\ufffd", text)
    if len(text) > EXCEL_CELL_MAX:
        text = text[:EXCEL_CELL_MAX - len(_CUT)] + _CUT
    return text


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_START)


def set_value(cell: Any, value: Any) -> Any:
    """Put `value` in an existing cell (ws.cell(row, column)): text stays text, whatever it
    starts with; other values as they are. Returns the cell."""
    if not isinstance(value, str):
        cell.value = value
        return cell
    value = clean_text(value)
    cell.value = value
    if looks_like_formula(value):
        cell.data_type = "s"  # openpyxl took the leading "=" for a formula
        cell.quotePrefix = True  # Excel's own mark for "typed as text": editing keeps it text
    return cell


def text_safe_cell(ws: Any, value: Any) -> Any:
    """A cell for `ws.append`: text stays text, whatever it starts with. Numbers, dates and
    None pass through. Works for ordinary and write-only worksheets."""
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    if not looks_like_formula(value):
        return value
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    cell = WriteOnlyCell(ws) if isinstance(ws, WriteOnlyWorksheet) else Cell(ws)  # type: ignore[call-arg]
    return set_value(cell, value)


def save_workbook(wb: Any, path: Path) -> Path:
    """Save under a temporary name and rename: a failed save leaves no half-written file
    and the earlier file, if any, as it was."""
    from app.paths import workbook_not_written

    partial = path.with_name(f"~{path.name}.part")
    try:
        wb.save(partial)
        os.replace(partial, path)
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise ValidationError(workbook_not_written(path, err), "file") from err
    return path


def append_row(ws: Any, values: Iterable[Any]) -> None:
    """`ws.append(values)`, every text written as text (see `text_safe_cell`)."""
    ws.append([text_safe_cell(ws, v) for v in values])


__all__ = [
    "Limits", "WorkbookError", "ReadCancelled", "ReadProgress", "UnreadableCell", "SheetInfo", "Row", "Sheet",
    "Workbook", "open_workbook", "HeaderColumn", "Header", "find_header", "header_key", "clean_text",
    "looks_like_formula", "text_safe_cell", "append_row", "set_value",
]

