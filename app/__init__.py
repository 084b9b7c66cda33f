"""盯守台账 core: the contract's rules, the working calendar and the data file.

Nothing in this package imports Qt, so every rule runs and is tested without a display,
and the command line (`python -m app`) shares it with the window.
"""
from __future__ import annotations

# The one version number: pyproject.toml reads it (dynamic version), build.spec writes the
# Windows version resource from it (winversion.py), the window and `--version` show it.
__version__ = "0.1.0"
APP_NAME = "盯守台账"
APP_ID = "dingshou"
