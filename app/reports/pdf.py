"""What every printed page shares: the embedded CJK font and paragraph styles that wrap
Chinese text inside table cells. Each report (roster, assessment sheets, letters, payment
forms) builds its own pages from these; none registers fonts of its own.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from app.paths import resource_path
from app.reports.font_cache import cached_ttfont

FONT = "WenQuanYiMicroHei"  # bundled (Apache-2.0), embedded as a subset in every PDF


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Register the bundled font once per process and return its reportlab name (its parsed
    tables come from the font cache after the first run on this PC)."""
    pdfmetrics.registerFont(cached_ttfont(FONT, resource_path("fonts", "wqy-microhei.ttc"), 0))
    return FONT


def style(size: float = 10.5, *, leading: float | None = None, align: int = 0, **extra: object) -> ParagraphStyle:
    """A paragraph style in the bundled font that breaks Chinese lines anywhere (CJK wrap),
    so a long name or reason wraps inside its cell instead of running over the border."""
    font = register_fonts()
    return ParagraphStyle(
        f"cjk-{size}-{align}", fontName=font, fontSize=size, leading=leading or size * 1.35,
        alignment=align, wordWrap="CJK", **extra,  # type: ignore[arg-type]
    )


MISSING = "〓"  # the printer's mark (geta) for a character the type case does not have


@lru_cache(maxsize=16)
def _glyphs(font: str) -> frozenset[int] | None:
    face = getattr(pdfmetrics.getFont(font), "face", None)
    table = getattr(face, "charToGlyph", None)
    return frozenset(table) if table else None  # None: a standard font, nothing to look up


@lru_cache(maxsize=4096)
def printable(text: str, font: str = "") -> str:
    """`text` as `font` (default: the bundled one) can print it: a character it has no glyph
    for (a rare name character of CJK Extension B, an emoji) becomes 〓 instead of vanishing
    from the paper; zero-width marks (direction marks, joiners, variation selectors) are dropped."""
    glyphs = _glyphs(font or register_fonts())
    if glyphs is None:
        return text
    out = []
    for ch in text:
        kind = unicodedata.category(ch)
        if kind == "Cf":
            continue
        if ord(ch) in glyphs or ch in "\n\t":
            out.append(ch)
        elif kind not in ("Mn", "Me"):
            out.append(MISSING)
    return "".join(out)


def embedded_canvas(*args: Any, **kwargs: Any) -> Canvas:
    """reportlab's Canvas, starting in the bundled font. Its default initial font, Helvetica,
    would be named on every page without being embedded (pdffonts: "emb no"), and a PDF
    kept as evidence must carry every font it names. Platypus documents take it as their
    `canvasmaker`."""
    if not kwargs.get("initialFontName"):  # platypus passes None for "the default"
        kwargs["initialFontName"] = register_fonts()
    return Canvas(*args, **kwargs)
