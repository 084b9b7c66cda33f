"""A small, fast table layout on the reportlab canvas, for documents printed by the hundred.

Platypus paragraphs re-wrap every cell of every page (a year of assessment sheets took ~6 s);
the sheets here are grids of short Chinese texts, so this lays them out directly: greedy CJK
line breaking with the line-start punctuation rule (no 。，、 at the start of a line), wrapped
lines cached per (text, size, width) so the template's texts are wrapped once per process,
and rows that move to a new page (with the header repeated) instead of running over the
frame. A cell never draws outside its box: its height is the height of its wrapped lines.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Container, Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth

from app.reports.pdf import printable, register_fonts

NO_LINE_START = set("，。、；：？！）》」』】〕”’,.;:?!)%…·")
PAD_X = 3.0
PAD_TOP = 3.0
PAD_BOTTOM = 3.5


@lru_cache(maxsize=16384)
def _char_width(ch: str, font: str = "") -> float:
    return stringWidth(ch, font or register_fonts(), 1000) / 1000


@lru_cache(maxsize=16384)
def wrap(text: str, size: float, width: float, font: str = "") -> tuple[str, ...]:
    """The lines of `text` (which may hold newlines) in `width` points at `size`."""
    lines: list[str] = []
    limit = width / size
    text = printable(text, font)  # what the font lacks shows as 〓 rather than nothing
    for para in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for ch in para:
            w = _char_width(ch, font)
            if line and used + w > limit:
                carry: list[str] = []
                if ch in NO_LINE_START:  # take characters along until the new line starts with a word
                    while len(line) > 1 and (not carry or carry[0] in NO_LINE_START):
                        carry.insert(0, line.pop())
                    if carry[0] in NO_LINE_START or sum(_char_width(c, font) for c in carry) + w > limit:
                        # no word to take along (the line is one word and a run of punctuation,
                        # 到。。。。…), or it would overflow the cell: the punctuation starts the line
                        line += carry
                        carry = []
                lines.append("".join(line))
                line, used = carry, sum(_char_width(c, font) for c in carry)
            line.append(ch)
            used += w
        lines.append("".join(line))
    return tuple(lines)


@dataclass(frozen=True)
class Text:
    text: str
    size: float = 9.0
    align: str = "left"  # left | center | right
    leading: float = 0.0
    grey: bool = False
    font: str = ""  # a registered reportlab font; "" = the bundled CJK font

    @property
    def line_height(self) -> float:
        return self.leading or self.size * 1.32


@dataclass
class Cell:
    parts: Sequence[Text]
    span: int = 1
    valign: str = "middle"  # middle | top

    @classmethod
    def of(cls, text: str, size: float = 9.0, align: str = "left", **kw: Any) -> "Cell":
        return cls([Text(text, size, align)], **kw)


@dataclass
class Row:
    cells: Sequence[Cell]
    min_height: float = 0.0
    shade: bool = False


@dataclass
class Pager:
    """The pages of one document: a cursor down the frame, a new page when a block does
    not fit, and `on_page_end(canvas, page_no)` for the footer of each page."""
    canvas: Any
    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    on_page_end: Callable[[Any, int], None] | None = None
    page: int = 1
    y: float = field(init=False)

    def __post_init__(self) -> None:
        self.y = self.height - self.top

    @property
    def frame_width(self) -> float:
        return self.width - self.left - self.right

    def space_left(self) -> float:
        return self.y - self.bottom

    def end_page(self) -> None:
        if self.on_page_end:
            self.on_page_end(self.canvas, self.page)
        self.canvas.showPage()
        self.page += 1
        self.y = self.height - self.top

    def ensure(self, height: float) -> bool:
        """Room for `height` points, on a new page if need be; True if a page was started."""
        if height > self.space_left() and self.y < self.height - self.top - 1:
            self.end_page()
            return True
        return False

    def skip(self, height: float) -> None:
        self.y -= height

    def text_block(self, part: Text, x: float | None = None, width: float | None = None) -> None:
        x = self.left if x is None else x
        width = self.frame_width if width is None else width
        for line in wrap(part.text, part.size, width, part.font):
            self.ensure(part.line_height)
            self.y -= part.line_height
            _draw_line(self.canvas, line, part, x, width, self.y + part.line_height * 0.25)


def _draw_line(canvas: Any, line: str, part: Text, x: float, width: float, baseline: float) -> None:
    canvas.setFont(part.font or register_fonts(), part.size)
    if part.grey:
        canvas.setFillGray(0.2)
    if part.align == "center":
        canvas.drawCentredString(x + width / 2, baseline, line)
    elif part.align == "right":
        canvas.drawRightString(x + width, baseline, line)
    else:
        canvas.drawString(x, baseline, line)
    if part.grey:
        canvas.setFillGray(0)


def _cell_width(widths: Sequence[float], index: int, span: int) -> float:
    return sum(widths[index:index + span])


def _cell_lines(cell: Cell, width: float) -> list[tuple[Text, tuple[str, ...]]]:
    return [(p, wrap(p.text, p.size, width - 2 * PAD_X, p.font)) for p in cell.parts]


def row_height(row: Row, widths: Sequence[float]) -> float:
    height, col = 0.0, 0
    for cell in row.cells:
        w = _cell_width(widths, col, cell.span)
        h = sum(p.line_height * len(lines) for p, lines in _cell_lines(cell, w))
        height = max(height, h)
        col += cell.span
    return max(row.min_height, height + PAD_TOP + PAD_BOTTOM)


def draw_row(pager: Pager, row: Row, widths: Sequence[float], height: float, *,
             cells: Container[int] | None = None, boxes: bool = True) -> None:
    """One row at the cursor. `cells` limits the texts drawn to those cells (by index) and
    `boxes=False` leaves out the borders: a row drawn in two passes, its fixed part once
    into a reusable form (`reused_form`) and its variable part on each page."""
    c = pager.canvas
    x, col = pager.left, 0
    top = pager.y
    for index, cell in enumerate(row.cells):
        w = _cell_width(widths, col, cell.span)
        if boxes and row.shade:
            c.setFillGray(0.93)
            c.rect(x, top - height, w, height, stroke=0, fill=1)
            c.setFillGray(0)
        if boxes:
            c.rect(x, top - height, w, height, stroke=1, fill=0)
        if cells is not None and index not in cells:
            x += w
            col += cell.span
            continue
        blocks = _cell_lines(cell, w)
        content = sum(p.line_height * len(lines) for p, lines in blocks)
        y = top - PAD_TOP if cell.valign == "top" else top - (height - content) / 2 + 0.5
        for part, lines in blocks:
            for line in lines:
                y -= part.line_height
                _draw_line(c, line, part, x + PAD_X, w - 2 * PAD_X, y + part.line_height * 0.27)
        x += w
        col += cell.span
    pager.y -= height


def table(pager: Pager, widths: Sequence[float], rows: Sequence[Row], header: Row | None = None,
          keep_first: int = 1) -> None:
    """Rows down the page; a row that does not fit starts a new page, where the header is
    drawn again. `keep_first` rows stay with the header."""
    widths = list(widths)
    header_h = row_height(header, widths) if header else 0.0
    heights = [row_height(r, widths) for r in rows]
    first = sum(heights[:keep_first])
    pager.ensure(header_h + first)
    if header:
        draw_row(pager, header, widths, header_h)
    for row, h in zip(rows, heights):
        if pager.ensure(h) and header:
            draw_row(pager, header, widths, header_h)
        draw_row(pager, row, widths, h)


def reused_form(pager: Pager, key: Any, height: float, draw: Callable[[], None]) -> None:
    """Draw what `draw` draws from the cursor down (`height` points), recorded once per
    document as a PDF form and placed again wherever the same key comes back: the fixed
    parts of a sheet (title, criteria texts, signature blocks) are written once for a year
    of sheets instead of once per page."""
    c = pager.canvas
    forms = c.__dict__.setdefault("_dingshou_forms", {})
    if key not in forms:
        name = f"F{len(forms)}"
        y0 = pager.y
        c.beginForm(name)
        draw()
        c.endForm()
        forms[key] = (name, y0)
        pager.y = y0
    name, y0 = forms[key]
    c.saveState()
    c.translate(0, pager.y - y0)
    c.doForm(name)
    c.restoreState()
    pager.y -= height
