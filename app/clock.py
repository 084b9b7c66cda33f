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
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            pass  # a malformed override is ignored rather than stopping the program
    return dt.date.today()
