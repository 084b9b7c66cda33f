"""Today's date, in one place, so that a demo, a screenshot or a test can fix it.

DINGSHOU_TODAY=2026-11-25 makes the whole program (window and command line) believe
that is today; nothing else reads the system date.
"""
from __future__ import annotations

import datetime as dt
import os

TODAY_ENV_VAR = "DINGSHOU_TODAY"


def today() -> dt.date:
    fixed = os.environ.get(TODAY_ENV_VAR)
    if fixed is not None:
        return _parse_override(fixed)
    return dt.date.today()


def _parse_override(fixed: str) -> dt.date:
    from app.errors import UserError

    try:
        return dt.date.fromisoformat(fixed.strip())
    except ValueError:
        # Ignoring it would silently put every date of a demonstration or a test on the
        # PC's real day; say so instead.
        raise UserError(f"环境变量 {TODAY_ENV_VAR}=“{fixed}”不是日期，应为 YYYY-MM-DD，例如 2026-11-25。"
                        f"请改正，或删除这个变量以使用今天的日期。") from None


def check_override() -> None:
    """Refuse a malformed DINGSHOU_TODAY at start, before anything is opened."""
    today()
