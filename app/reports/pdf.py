"""What every printed page shares: the embedded CJK font and paragraph styles that wrap
Chinese text inside table cells. Each report (roster, assessment sheets, letters, payment
forms) builds its own pages from these; none registers fonts of its own.
"""
from __future__ import annotations

from functools import lru_cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics

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
