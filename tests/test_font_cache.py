"""The parsed-font cache (app/reports/font_cache.py) is only a shortcut: what it gives must
be reportlab's own font, and nothing wrong in the cache may reach a printed page."""
from __future__ import annotations

import io
import shutil

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.paths import resource_path
from app.reports import font_cache

FONT_FILE = resource_path("fonts", "wqy-microhei.ttc")
TEXT = "龙潭街道接诉即办平台盯守服务人员月度考核表 ¥1,297,300.82 （壹佰贰拾玖万） 𠀀"


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch, tmp_path):
    monkeypatch.setenv(font_cache.CACHE_ENV_VAR, str(tmp_path / "cache"))


def _pdf(font: TTFont) -> bytes:
    """A page drawn with `font` itself. reportlab keeps the first font registered under a
    name (and under a face name) and ignores later ones, so `font` is put in their place
    for the page, and what was registered before is put back after it."""
    saved = pdfmetrics._fonts.pop(font.fontName, None), pdfmetrics._dynFaceNames.pop(font.face.name, None)
    try:
        pdfmetrics.registerFont(font)
        assert pdfmetrics.getFont(font.fontName) is font
        out = io.BytesIO()
        canvas = Canvas(out, invariant=True)
        canvas.setFont(font.fontName, 12)
        canvas.drawString(50, 700, TEXT)
        canvas.drawString(50, 680, f"宽度 {pdfmetrics.stringWidth(TEXT, font.fontName, 12):.4f}")
        canvas.save()
        return out.getvalue()
    finally:
        for registry, old in zip((pdfmetrics._fonts, pdfmetrics._dynFaceNames), saved):
            key = font.fontName if registry is pdfmetrics._fonts else font.face.name
            if old is None:
                registry.pop(key, None)
            else:
                registry[key] = old


def test_a_page_drawn_from_the_cache_is_byte_for_byte_the_one_drawn_from_the_font():
    expected = _pdf(TTFont("CacheCheck", str(FONT_FILE), subfontIndex=0))
    first = font_cache.cached_ttfont("CacheCheck", FONT_FILE, 0)  # parses, fills the cache
    assert list(font_cache.cache_dir().iterdir())
    second = font_cache.cached_ttfont("CacheCheck", FONT_FILE, 0)  # read from the cache
    assert _pdf(first) == expected
    assert _pdf(second) == expected


def test_the_cached_font_has_every_attribute_reportlab_gives_its_own():
    own = TTFont("CacheCheck", str(FONT_FILE), subfontIndex=0)
    font_cache.cached_ttfont("CacheCheck", FONT_FILE, 0)
    cached = font_cache.cached_ttfont("CacheCheck", FONT_FILE, 0)
    assert own.__dict__.keys() == cached.__dict__.keys()
    for key in own.__dict__.keys() - {"face", "encoding", "state"}:
        assert own.__dict__[key] == cached.__dict__[key], key
    own_face, cached_face = own.face.__dict__, cached.face.__dict__
    assert own_face.keys() == cached_face.keys()
    for key in own_face.keys() - {"_pdfScale"}:
        assert own_face[key] == cached_face[key], key
        assert type(own_face[key]) is type(cached_face[key]), key
    assert [own.face._pdfScale(v) for v in (0, 1, 2048, -7)] == [cached.face._pdfScale(v) for v in (0, 1, 2048, -7)]


def test_a_damaged_cache_entry_is_parsed_again_and_replaced():
    expected = _pdf(TTFont("CacheCheck", str(FONT_FILE), subfontIndex=0))
    font_cache.cached_ttfont("CacheCheck", FONT_FILE, 0)
    (entry,) = font_cache.cache_dir().iterdir()
    blob = bytearray(entry.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    entry.write_bytes(bytes(blob))
    assert _pdf(font_cache.cached_ttfont("CacheCheck", FONT_FILE, 0)) == expected
    assert entry.read_bytes() != bytes(blob)  # written again, whole
    entry.write_bytes(b"")  # a truncated entry too
    assert _pdf(font_cache.cached_ttfont("CacheCheck", FONT_FILE, 0)) == expected


def test_a_changed_font_file_is_not_read_from_the_old_entry(tmp_path):
    import os

    copy = tmp_path / "font.ttc"
    shutil.copyfile(FONT_FILE, copy)
    font_cache.cached_ttfont("CacheCheck", copy, 0)
    stamp = copy.stat().st_mtime_ns
    os.utime(copy, ns=(stamp + 10**9, stamp + 10**9))  # the font replaced by another version
    font_cache.cached_ttfont("CacheCheck", copy, 0)
    assert len(list(font_cache.cache_dir().iterdir())) == 2


def test_a_cache_folder_that_cannot_be_made_costs_only_the_parsing(monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv(font_cache.CACHE_ENV_VAR, str(blocker / "cache"))
    expected = _pdf(TTFont("CacheCheck", str(FONT_FILE), subfontIndex=0))
    assert _pdf(font_cache.cached_ttfont("CacheCheck", FONT_FILE, 0)) == expected


def test_an_entry_swapped_in_from_another_font_is_not_used():
    """An entry is whole (its checksum matches) but was written for another face: the
    bundled file's second subfont (Micro Hei Mono, other widths), copied over the first's
    entry — by a sync tool, a restored profile, a colleague's cache folder."""
    expected = _pdf(TTFont("CacheCheck", str(FONT_FILE), subfontIndex=0))
    font_cache.cached_ttfont("CacheCheck", FONT_FILE, 0)
    (entry,) = font_cache.cache_dir().iterdir()
    font_cache.cached_ttfont("CacheCheck", FONT_FILE, 1)
    (other,) = set(font_cache.cache_dir().iterdir()) - {entry}
    shutil.copyfile(other, entry)
    assert _pdf(font_cache.cached_ttfont("CacheCheck", FONT_FILE, 0)) == expected


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="named pipes")
def test_a_pipe_where_the_entry_should_be_does_not_hang_printing():
    """Reading a named pipe waits for a writer that never comes: the command printing a
    document hung for ever before drawing a page."""
    import os
    import threading

    entry, _ = font_cache._entry(FONT_FILE, 0)
    entry.parent.mkdir(parents=True)
    os.mkfifo(entry)
    done: list[TTFont] = []
    worker = threading.Thread(target=lambda: done.append(font_cache.cached_ttfont("CacheCheck", FONT_FILE, 0)),
                              daemon=True)
    worker.start()
    worker.join(20)
    hung = worker.is_alive()
    if hung:  # let the stuck reader go, then fail
        os.close(os.open(entry, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(5)
    assert not hung, "printing waited on the pipe"
    assert _pdf(done[0]) == _pdf(TTFont("CacheCheck", str(FONT_FILE), subfontIndex=0))
