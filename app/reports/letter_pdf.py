"""Letters (函) laid out per GB/T 9704-2012: A4, top margin 37 mm, left (binding) margin
28 mm, type area 156 × 225 mm (22 lines of 28 characters), title in 2号 (22 pt) in a
song-style face, body in 3号 (16 pt) 仿宋, paragraphs indented two characters, the issuing
office and the date at the right with room for the seal, page numbers in 4号 at the foot.

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
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.reports.layout import Pager, Text, wrap
from app.reports.pdf import register_fonts

TOP, LEFT = 37 * mm, 28 * mm
TYPE_WIDTH, TYPE_HEIGHT = 156 * mm, 225 * mm
BODY_SIZE, TITLE_SIZE, PAGE_NO_SIZE = 16, 22, 14
LINE = TYPE_HEIGHT / 22  # 22 lines in the type area
INDENT = "\u3000\u3000"  # two characters

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
                        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
                        return name
                    except Exception:  # noqa: BLE001 - an unreadable or CFF font: try the next
                        break
    return register_fonts()


@dataclass(frozen=True)
class Letter:
    number: str  # 发文字号, e.g. 龙街催〔2026〕1号; may leave a gap to fill by hand
    title: str
    addressee: str  # 主送机关
    paragraphs: tuple[str, ...]
    sender: str
    date_text: str  # 2026年3月5日


def _page_number(canvas: Canvas, page: int) -> None:
    canvas.saveState()
    canvas.setFont(register_fonts(), PAGE_NO_SIZE)
    text = f"— {page} —"
    # Odd pages on the right, even pages on the left (GB/T 9704 7.5), 1 character from the edge.
    y = (297 * mm - TOP - TYPE_HEIGHT) / 2 - 4 * mm
    if page % 2:
        canvas.drawRightString(LEFT + TYPE_WIDTH - PAGE_NO_SIZE, y, text)
    else:
        canvas.drawString(LEFT + PAGE_NO_SIZE, y, text)
    canvas.restoreState()


def _height(letter: Letter, line: float, body: str, title: str) -> float:
    """The letter's height in the type area at `line` points a line."""
    lines = len(wrap(letter.number, BODY_SIZE, TYPE_WIDTH, body)) if letter.number else 0
    lines += 1 + len(wrap(letter.addressee + "：", BODY_SIZE, TYPE_WIDTH, body))
    lines += sum(len(wrap(INDENT + p, BODY_SIZE, TYPE_WIDTH, body)) for p in letter.paragraphs)
    lines += 1 + 2  # the blank line, the office and the date
    return lines * line + len(wrap(letter.title, TITLE_SIZE, TYPE_WIDTH, title)) * line * 1.2


def render_letter(letter: Letter) -> bytes:
    buffer = io.BytesIO()
    rl_config.useA85 = 0
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(letter.title)
    canvas.setAuthor(letter.sender)
    canvas.setCreator("盯守台账")
    body, title = face("body"), face("title")
    width, height = A4
    pager = Pager(canvas, width, height, LEFT, width - LEFT - TYPE_WIDTH, TOP, height - TOP - TYPE_HEIGHT,
                  on_page_end=_page_number)
    # GB/T 9704 7.3.5: where the office and date would not fit under the body, close up the
    # line spacing (down to 0.88) rather than leave them alone on a page.
    step = LINE
    for factor in (1.0, 0.96, 0.92, 0.88):
        if _height(letter, LINE * factor, body, title) <= TYPE_HEIGHT:
            step = LINE * factor
            break

    def line(text: str, *, font: str = body, size: float = BODY_SIZE, align: str = "left",
             leading: float = step) -> None:
        pager.text_block(Text(text, size, align, leading, font=font))

    if letter.number:
        line(letter.number, align="right")
    line(letter.title, font=title, size=TITLE_SIZE, align="center", leading=step * 1.2)
    pager.skip(step)
    line(letter.addressee + "：")
    block = [letter.sender, letter.date_text]
    for n, para in enumerate(letter.paragraphs):
        if n == len(letter.paragraphs) - 1:  # the last lines go over with the office and date
            last = len(wrap(INDENT + para, BODY_SIZE, TYPE_WIDTH, body))
            pager.ensure(step * (last + 1 + len(block)))
        line(INDENT + para)
    # One blank line, then the office and the date, four characters from the right edge;
    # the seal is stamped over both.
    pager.ensure(step * (1 + len(block)))
    pager.skip(step)
    right = 4 * BODY_SIZE
    for text in block:
        for part in wrap(text, BODY_SIZE, TYPE_WIDTH - right, body):
            pager.y -= step
            canvas.setFont(body, BODY_SIZE)
            canvas.drawRightString(LEFT + TYPE_WIDTH - right, pager.y + step * 0.3, part)
    pager.end_page()
    canvas.save()
    return buffer.getvalue()
