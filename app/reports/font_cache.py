"""TrueType faces for reportlab without parsing the font file on every run.

reportlab reads a TrueType font's tables in pure Python each time a process registers it:
for the bundled CJK font (49,531 glyphs) that is about 70 ms of every printed document's
command, more than drawing the twelve sheets of a month. What it reads is plain data (the
character map, widths, glyph offsets, names); only the PDF scale is a function, rebuilt
here from `unitsPerEm`. So the parsed face is kept with `marshal` in the user's cache
folder, keyed by the font file (path, size, modification time), the subfont and the
reportlab and Python versions; the font's bytes are still read from the font itself, as
reportlab needs them to embed the subset.

The cache is only ever a shortcut: a missing, stale, unreadable or damaged entry, or one
written for another font (its checksum, keyed by the font, does not match) is parsed again from the font, and a folder that cannot be
written is simply not used. `tests/test_font_cache.py` checks that a document drawn from
the cache is byte for byte the one drawn from the font.
"""
from __future__ import annotations

import gc
import hashlib
import marshal
import os
import sys
import tempfile
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import platformdirs
import reportlab
from reportlab import rl_config
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from app import APP_ID

CACHE_ENV_VAR = "DINGSHOU_CACHE_DIR"
FORMAT = 2  # bump when what is stored changes
_NOT_STORED = ("_ttf_data", "_pdfScale", "filename")
_DIGEST = 32


def cache_dir() -> Path:
    from_env = os.environ.get(CACHE_ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    return Path(platformdirs.user_cache_dir(APP_ID, appauthor=False)) / "fonts"


def _entry(path: Path, subfont_index: int) -> tuple[Path, bytes]:
    """The entry's file and its key. The key is in the entry's checksum too: an entry
    written for another font (another subfont of the same .ttc, a file copied over from
    another cache) is whole, yet not this font's, and must not be taken for it."""
    info = path.stat()
    key = repr((FORMAT, str(path.resolve()), info.st_size, info.st_mtime_ns, subfont_index,
                reportlab.Version, sys.version_info[:2])).encode()
    return cache_dir() / (path.stem + "-" + hashlib.sha256(key).hexdigest()[:20] + ".marshal"), key


def _pdf_scale(units_per_em: int) -> Any:
    # As reportlab's own extractInfo builds it.
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def _stored(face: TTFontFace, key: bytes) -> bytes:
    names = [key for key, value in face.__dict__.items() if isinstance(value, TTFNameBytes)]
    state = {key: (bytes(value) if key in names else value)
             for key, value in face.__dict__.items() if key not in _NOT_STORED}
    payload = marshal.dumps((names, state))
    return _checksum(key, payload) + payload


def _checksum(key: bytes, payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=_DIGEST, key=hashlib.sha256(key).digest()).digest()


def _restored(blob: bytes, key: bytes, path: Path, data: bytes) -> TTFontFace:
    digest, payload = blob[:_DIGEST], blob[_DIGEST:]
    if _checksum(key, payload) != digest:
        raise ValueError("damaged font cache entry")
    # Some 250,000 numbers in dicts and lists: without the collector stepping in every few
    # hundred allocations (it would find nothing to free) marshal reads them in a third of the time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        names, state = marshal.loads(payload)
    finally:
        if collecting:
            gc.enable()
    for key in names:
        state[key] = TTFNameBytes(state[key])
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(state)
    face.__dict__.update(_ttf_data=data, filename=str(path), _pdfScale=_pdf_scale(state["unitsPerEm"]))
    return face


def _write(entry: Path, blob: bytes) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=entry.name, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp, entry)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a read-only or full cache folder: the next run parses the font again


def load_face(path: Path, subfont_index: int = 0) -> TTFontFace:
    """The parsed face of `path` (a .ttf, or one subfont of a .ttc), from the cache when it
    holds this very file, else parsed by reportlab and stored for the next run."""
    path = Path(path)
    entry, key = _entry(path, subfont_index)
    data = path.read_bytes()
    try:
        if entry.is_file():  # never a pipe or a device: reading one would wait for ever
            return _restored(entry.read_bytes(), key, path, data)
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        pass
    face = TTFontFace(str(path), subfontIndex=subfont_index)
    _write(entry, _stored(face, key))
    return face


def cached_ttfont(name: str, path: Path, subfont_index: int = 0) -> TTFont:
    """reportlab's `TTFont(name, path, subfontIndex=…)` with its face read through the cache.

    TTFont's constructor parses the file itself, so the font is assembled here the way that
    constructor does it (`tests/test_font_cache.py` compares the two attribute by attribute,
    so a reportlab that builds its fonts differently fails the tests, not the clerk)."""
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = load_face(path, subfont_index)
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable  # type: ignore[attr-defined]
    font.shapable = not any(fnmatch(name, pattern) for pattern in rl_config.unShapedFontGlob or ())
    return font
