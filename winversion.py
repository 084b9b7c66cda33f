"""The Windows version resource of dingshou.exe, made from `app.__version__`.

build.spec writes `version_file_text(__version__)` into PyInstaller's work folder and builds
with it, so the version Explorer shows (属性 → 详细信息) is the one the program and
pyproject.toml report: there is no second copy to keep in step. The text is PyInstaller's
version-file format (what `pyi-grab_version` prints), which PyInstaller evaluates.
"""
from __future__ import annotations

import re

from app import APP_NAME

DESCRIPTION = f"{APP_NAME} — 接诉即办平台盯守服务合同管理"


def version_tuple(version: str) -> tuple[int, ...]:
    """'0.1.0' → (0, 1, 0, 0): Windows wants four numbers; a suffix (.dev1, rc2) is dropped."""
    match = re.match(r"\d+(?:\.\d+){0,3}", version)
    if not match:
        raise ValueError(f"version {version!r} does not start with a number")
    numbers = [int(n) for n in match.group(0).split(".")]
    return tuple(numbers + [0] * (4 - len(numbers)))


def version_file_text(version: str) -> str:
    numbers = version_tuple(version)
    strings = [("CompanyName", APP_NAME), ("FileDescription", DESCRIPTION), ("FileVersion", version),
               ("ProductName", APP_NAME), ("ProductVersion", version),
               ("OriginalFilename", "dingshou.exe")]
    structs = ",\n".join(f"      StringStruct({name!r}, {value!r})" for name, value in strings)
    return f"""# Windows version resource, written by build.spec from app.__version__ ({version}).
VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0,
                    OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('080404B0', [
{structs}])]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])])
  ]
)
"""
