"""Who is working at this PC (经办人), kept with the PC's settings as well as in the file.

The data file records the operator it was last used by; a restore puts an older file in
place, and with it an older name. The name kept here, in the user's config folder, wins
over the file's: restoring a backup does not change who is working. Plain Python (the core
never imports Qt): a small JSON file under platformdirs' user config dir.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs

from app import APP_ID
from app.store.store import Store
from app.validation import check_text

CONFIG_ENV_VAR = "DINGSHOU_CONFIG_DIR"  # tests and portable set-ups point it elsewhere
FILENAME = "operator.json"
MAX_LENGTH = 20


def settings_dir() -> Path:
    explicit = os.environ.get(CONFIG_ENV_VAR)
    if explicit:
        return Path(explicit)
    return Path(platformdirs.user_config_dir(APP_ID, appauthor=False, roaming=True))


def pc_operator() -> str | None:
    """The name saved on this PC, or None before the first start asked for it."""
    try:
        data = json.loads((settings_dir() / FILENAME).read_text(encoding="utf-8"))
        name = str(data.get("operator") or "").strip()
    except (OSError, ValueError, AttributeError):
        return None
    return name or None


def remember_operator(name: str) -> str:
    """Save the operator's name on this PC (written whole, then renamed into place)."""
    name = check_text(name, "经办人姓名", MAX_LENGTH, "operator", required=True)
    folder = settings_dir()
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / (FILENAME + ".new")
    partial.write_text(json.dumps({"operator": name}, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, folder / FILENAME)
    return name


def apply_pc_operator(store: Store) -> None:
    """The PC's operator works on this store, whatever name the file remembers."""
    name = pc_operator()
    if name:
        store.operator = name


def set_operator(store: Store, name: str) -> None:
    """The clerk gives her name: on this PC and in the file (audited)."""
    store.set_operator(name)
    remember_operator(store.operator)
