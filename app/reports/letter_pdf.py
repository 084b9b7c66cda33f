"""Letters (函) laid out per GB/T 9704-2012: A4, top margin 37 mm, left (binding) margin
28 mm, type area 156 × 225 mm (22 lines of 28 characters), title in 2号 (22 pt) in a
song-style face, body in 3号 (16 pt) 仿宋, paragraphs indented two characters, the issuing
office and the date at the right with room for the seal, page numbers in 4号 at the foot.

The first page has the 版头 of the 信函格式 (GB/T 9704-2012 10.1): the issuing office's name
(发文机关标志) in red in the song-style face, centred, its top edge 30 mm below the page's top;
a red double line 上粗下细 4 mm under it and a red double line 上细下粗 20 mm above the page's
bottom edge, each 170 mm long and centred on the type area; the 发文字号 at the right edge of
the type area, 7/8 of a 3号 character's height under the upper lines; the title two lines
below it. The first page has no page number; numbers start on the second page. Body text is
black. `render_letter(letter, letterhead=False)` leaves the red parts out, everything else in
its place, for offices that print on paper with the red letterhead already on it.

The faces come from the PC where it has them (Windows: 方正小标宋 / 宋体, 仿宋); where it does
not, the bundled font is used and the letter says nothing of it — the layout is the same.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from app.reports.font_cache import cached_ttfont
from app.reports.layout import Pager, Text, wrap
from app.reports.pdf import embedded_canvas, printable, register_fonts

TOP, LEFT = 37 * mm, 28 * mm
TYPE_WIDTH, TYPE_HEIGHT = 156 * mm, 225 * mm
BODY_SIZE, TITLE_SIZE, PAGE_NO_SIZE = 16, 22, 14
LINE = TYPE_HEIGHT / 22  # 22 lines in the type area
INDENT = "\u3000\u3000"  # two characters

# The 信函格式's 版头 (10.1). The standard leaves the name's size to the office: the largest
# size up to 小初 (36 pt) that keeps it on one line of the type area.
NAME_TOP = 30 * mm  # the name's top edge, from the page's top
NAME_MAX_SIZE = 36
RULE_GAP = 4 * mm  # name's bottom edge → the upper double line
LOWER_RULE = 20 * mm  # the lower double line's bottom edge, from the page's bottom
RULE_LENGTH = 170 * mm
THICK, THIN, RULE_SPACE = 0.8 * mm, 0.3 * mm, 0.6 * mm  # 文武线: a thick and a thin line
NUMBER_GAP = BODY_SIZE * 7 / 8  # the double line → the 发文字号's top edge: 7/8 of a 3号 character
RED = Color(0.9, 0, 0)
# A CJK face's em box runs from 0.12 em below the baseline to 0.88 em above it.
ASCENT, DESCENT = 0.88, 0.12

# (reportlab name, file names to look for, subfont index for .ttc)
_FACES = {
    "title": [("FZXiaoBiaoSong", "FZXBSJW.TTF", 0), ("FZXiaoBiaoSong", "方正小标宋简体.ttf", 0),
              ("SimSun", "simsun.ttc", 0), ("NotoSerifCJK", "NotoSerifCJK-Regular.ttc", 2)],
    "body": [("FangSong", "simfang.ttf", 0), ("FangSong", "SIMFANG.TTF", 0), ("FangSongGB2312", "仿宋_GB2312.ttf", 0)],
}


def _font_dirs() -> list[Path]:
    dirs = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts",
            Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts"]
    dirs += [Path("/usr/share/fonts"), Path.home() / ".fonts"]
    return [d for d in dirs if str(d) and d.is_dir()]


@lru_cache(maxsize=4)
def face(role: str) -> str:
    """The reportlab name of the face for `role` (title | body): the PC's, else the bundled one."""
    for name, filename, index in _FACES[role]:
        for folder in _font_dirs():
            for path in (folder / filename, *folder.rglob(filename)):
                if path.is_file():
                    try:
                        pdfmetrics.registerFont(cached_ttfont(name, path, index))
                        return name
                    except Exception:  # noqa: BLE001 - an unreadable or CFF font: try the next
                        break
    return register_fonts()


@dataclass(frozen=True)
class Letter:
    number: str  # 发文字号, e.g. 龙街函〔2026〕7号; may leave a gap to fill by hand
    title: str
    addressee: str  # 主送机关
    paragraphs: tuple[str, ...]
    sender: str  # 发文机关署名, and the 发文机关标志 of the 版头
    date_text: str  # 2026年3月5日


@dataclass(frozen=True)
class Header:
    """Where the 版头's parts are, in points from the page's bottom (reportlab's y)."""
    name_size: float
    name_baseline: float
    upper_rule: tuple[float, float]  # top and bottom edge of the upper double line
    lower_rule: tuple[float, float]
    number_baseline: float
    body_top: float  # where the title's line starts


def header_geometry(sender: str, font: str) -> Header:
    _, height = A4
    size = min(NAME_MAX_SIZE, int(TYPE_WIDTH / (pdfmetrics.stringWidth(sender, font, 1) or 1)))
    name_top = height - NAME_TOP
    baseline = name_top - ASCENT * size
    rule_top = baseline - DESCENT * size - RULE_GAP
    rule_bottom = rule_top - THICK - RULE_SPACE - THIN
    number_baseline = rule_bottom - NUMBER_GAP - ASCENT * BODY_SIZE
    # The number's line, then two lines before the title.
    body_top = number_baseline - DESCENT * BODY_SIZE - 2 * LINE
    return Header(size, baseline, (rule_top, rule_bottom),
                  (LOWER_RULE + THICK + RULE_SPACE + THIN, LOWER_RULE), number_baseline, body_top)


def _double_line(canvas: Canvas, top: float, first: float, second: float) -> None:
    """Two red lines 170 mm long, centred on the type area: `first` thick at `top`, then
    `second` under it."""
    x = LEFT + (TYPE_WIDTH - RULE_LENGTH) / 2
    canvas.rect(x, top - first, RULE_LENGTH, first, stroke=0, fill=1)
    canvas.rect(x, top - first - RULE_SPACE - second, RULE_LENGTH, second, stroke=0, fill=1)


def _draw_header(canvas: Canvas, letter: Letter, head: Header, name_font: str, body: str, letterhead: bool) -> None:
    if letterhead:
        canvas.saveState()
        canvas.setFillColor(RED)
        canvas.setFont(name_font, head.name_size)
        canvas.drawCentredString(LEFT + TYPE_WIDTH / 2, head.name_baseline, printable(letter.sender, name_font))
        _double_line(canvas, head.upper_rule[0], THICK, THIN)  # 上粗下细
        _double_line(canvas, head.lower_rule[0], THIN, THICK)  # 上细下粗
        canvas.restoreState()
    if letter.number:
        number = printable(letter.number, body)
        # One line in 3号; the longest number the form takes is set a little smaller rather
        # than run into the binding margin.
        width = pdfmetrics.stringWidth(number, body, BODY_SIZE)
        canvas.setFont(body, BODY_SIZE * min(1.0, TYPE_WIDTH / width) if width else BODY_SIZE)
        canvas.drawRightString(LEFT + TYPE_WIDTH, head.number_baseline, number)


def _page_number(canvas: Canvas, page: int) -> None:
    """From the second page on (the 信函格式's first page has none): 4号, a dash on either side,
    the dashes 7 mm under the type area; odd pages on the right, even on the left, one
    character from the edge (GB/T 9704 7.5, 10.1)."""
    if page == 1:
        return
    canvas.saveState()
    canvas.setFont(register_fonts(), PAGE_NO_SIZE)
    text = f"— {page} —"
    y = 297 * mm - TOP - TYPE_HEIGHT - 7 * mm - PAGE_NO_SIZE * 0.3
    if page % 2:
        canvas.drawRightString(LEFT + TYPE_WIDTH - PAGE_NO_SIZE, y, text)
    else:
        canvas.drawString(LEFT + PAGE_NO_SIZE, y, text)
    canvas.restoreState()


def _height(letter: Letter, line: float, body: str, title: str) -> float:
    """The height of the letter from its title down, at `line` points a line."""
    lines = 1 + len(wrap(letter.addressee + "：", BODY_SIZE, TYPE_WIDTH, body))
    lines += sum(len(wrap(INDENT + p, BODY_SIZE, TYPE_WIDTH, body)) for p in letter.paragraphs)
    lines += 1 + 2  # the blank line, the office and the date
    return lines * line + len(wrap(letter.title, TITLE_SIZE, TYPE_WIDTH, title)) * line * 1.2


def render_letter(letter: Letter, *, letterhead: bool = True) -> bytes:
    """The letter as PDF; `letterhead=False` leaves out the red 版头 (name and double lines)
    for paper that has it printed already — every other part stays where it was."""
    buffer = io.BytesIO()
    rl_config.useA85 = 0
    canvas = embedded_canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(letter.title)
    canvas.setAuthor(letter.sender)
    canvas.setCreator("盯守台账")
    body, title = face("body"), face("title")
    width, height = A4
    bottom = height - TOP - TYPE_HEIGHT
    pager = Pager(canvas, width, height, LEFT, width - LEFT - TYPE_WIDTH, TOP, bottom, on_page_end=_page_number)
    head = header_geometry(letter.sender, title)
    _draw_header(canvas, letter, head, title, body, letterhead)
    pager.y = head.body_top
    # GB/T 9704 7.3.5: where the office and date would not fit under the body, close up the
    # line spacing (down to 0.88) rather than leave them alone on a page.
    step = LINE
    for factor in (1.0, 0.96, 0.92, 0.88):
        if _height(letter, LINE * factor, body, title) <= head.body_top - bottom:
            step = LINE * factor
            break

    def line(text: str, *, font: str = body, size: float = BODY_SIZE, align: str = "left",
             leading: float = step) -> None:
        pager.text_block(Text(text, size, align, leading, font=font))

    line(letter.title, font=title, size=TITLE_SIZE, align="center", leading=step * 1.2)
    pager.skip(step)
    line(letter.addressee + "：")
    for n, para in enumerate(letter.paragraphs):
        if n == len(letter.paragraphs) - 1:  # the last lines go over with the office and date
            last = len(wrap(INDENT + para, BODY_SIZE, TYPE_WIDTH, body))
            pager.ensure(step * (last + 3))
        line(INDENT + para)
    # One blank line, then the office and the date: the date four characters from the right
    # edge, the office centred over it (7.3.5.1) but never past the type area's right edge.
    # The seal is stamped over both.
    pager.ensure(step * 3)
    pager.skip(step)
    date_right = LEFT + TYPE_WIDTH - 4 * BODY_SIZE
    date_centre = date_right - pdfmetrics.stringWidth(letter.date_text, body, BODY_SIZE) / 2
    canvas.setFont(body, BODY_SIZE)
    for part in wrap(letter.sender, BODY_SIZE, TYPE_WIDTH - 2 * BODY_SIZE, body):
        pager.y -= step
        half = pdfmetrics.stringWidth(part, body, BODY_SIZE) / 2
        right = min(date_centre + half, LEFT + TYPE_WIDTH)
        canvas.drawRightString(right, pager.y + step * 0.3, printable(part, body))
    pager.y -= step
    canvas.drawRightString(date_right, pager.y + step * 0.3, letter.date_text)
    pager.end_page()
    canvas.save()
    return buffer.getvalue()
