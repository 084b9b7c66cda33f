"""Shared fixtures. UI tests run offscreen; every test gets its own database."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import settings

from app.store import Store, open_memory_store, open_store

FIXED_TODAY = dt.date(2026, 11, 25)

# CI runs the same examples every time (a red build is reproducible, never a dice roll);
# a developer's run explores new ones and keeps what fails in .hypothesis/.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path, tmp_path_factory):
    """No test reads the developer's real data file or the real date, or writes to the real log."""
    monkeypatch.setenv("DINGSHOU_DB", str(tmp_path / "default" / "dingshou.sqlite3"))
    monkeypatch.setenv("DINGSHOU_TODAY", FIXED_TODAY.isoformat())
    monkeypatch.setenv("DINGSHOU_CONFIG_DIR", str(tmp_path / "config"))  # the PC's settings (经办人)
    monkeypatch.setenv("DINGSHOU_LOG_DIR", str(tmp_path / "logs"))
    # One parsed-font cache for the whole run (a shortcut only: tests/test_font_cache.py).
    monkeypatch.setenv("DINGSHOU_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "font-cache"))


@pytest.fixture
def store() -> Store:
    s = open_memory_store()
    yield s
    s.close()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "data" / "dingshou.sqlite3"


@pytest.fixture
def file_store(db_path) -> Store:
    s = open_store(db_path, operator="王经办")
    yield s
    s.close()
