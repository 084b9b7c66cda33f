"""Where things live: bundled resources, and the clerk's data file."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from app import APP_ID

DB_ENV_VAR = "DINGSHOU_DB"
DB_FILENAME = "dingshou.sqlite3"


def bundle_root() -> Path:
    """The folder holding `data/` and `resources/`: the checkout, or PyInstaller's bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    return bundle_root().joinpath("resources", *parts)


def data_path(*parts: str) -> Path:
    return bundle_root().joinpath("data", *parts)


def user_data_dir() -> Path:
    # appauthor=False keeps the Windows path %LOCALAPPDATA%\dingshou rather than
    # %LOCALAPPDATA%\<author>\dingshou.
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False, roaming=False))


def user_path(text: str | os.PathLike[str]) -> Path:
    """A path as a user typed it: `~` is the home folder; `~someone` that does not exist
    is taken literally rather than failing."""
    path = Path(text)
    try:
        return path.expanduser()
    except RuntimeError:  # "Could not determine home directory"
        return path


def default_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--db` wins, then $DINGSHOU_DB, then the user's data folder.

    An empty `--db ""` or `DINGSHOU_DB=""` is a mistake (a script's unset variable), not a
    request for the default file: it is refused rather than silently writing elsewhere."""
    from app.errors import UserError

    if explicit is not None:
        if not str(explicit).strip():
            raise UserError("--db 后面的数据文件路径是空的。请写出数据文件的路径，或去掉 --db 使用默认数据文件。")
        return user_path(explicit)
    from_env = os.environ.get(DB_ENV_VAR)
    if from_env is not None:
        if not from_env.strip():
            raise UserError(f"环境变量 {DB_ENV_VAR} 是空的。请设为数据文件的路径，或删除这个变量使用默认数据文件。")
        return user_path(from_env)
    return user_data_dir() / DB_FILENAME


# A name the file systems the office uses accept, with room for the "~….part" written first.
MAX_NAME_BYTES = 240
MAX_PATH_CHARS_WINDOWS = 250


def check_new_file_name(path: str | os.PathLike[str], what: str = "文件") -> Path:
    """A file about to be written: refuse a name too long for the disk before anything is
    written (the system's own error comes half-way, as a traceback)."""
    from app.errors import UserError

    path = Path(path)
    if len(path.name.encode("utf-8")) > MAX_NAME_BYTES:
        raise UserError(f"{what}的文件名太长（{len(path.name)} 个字），请换一个短一些的名字。")
    if os.name == "nt" and len(str(path.absolute())) > MAX_PATH_CHARS_WINDOWS:
        raise UserError(f"{what}的路径太长（超过 {MAX_PATH_CHARS_WINDOWS} 个字符），请选择层级浅一些的文件夹或短一些的名字。")
    return path


def describe_os_error(err: OSError) -> str:
    """One Chinese sentence for what the system refused."""
    import errno

    where = f" {err.filename}" if err.filename else ""
    reasons = {
        errno.ENAMETOOLONG: "文件名或路径太长，请换一个短一些的名字",
        errno.ENOENT: "文件或文件夹不存在",
        errno.EACCES: "没有权限（文件只读、被占用或没有写入权限）",
        errno.EPERM: "没有权限",
        errno.EROFS: "所在位置只读",
        errno.ENOSPC: "磁盘空间已满",
        errno.EISDIR: "这是一个文件夹，不是文件",
        errno.ENOTDIR: "路径中有一部分不是文件夹",
    }
    reason = reasons.get(err.errno or 0, err.strerror or str(err))
    return f"无法访问{where}：{reason}。"


def workbook_not_written(path: str | os.PathLike[str], err: OSError) -> str:
    """Why an .xlsx was not written, in Chinese; "open in Excel" is said only when the
    system refused access, which is what a workbook open in Excel gives."""
    import errno

    hint = "文件可能正在 Excel 中打开，请关闭后重试。" if err.errno in (errno.EACCES, errno.EPERM) else ""
    return f"无法写入 {path}：{describe_os_error(err).split('：', 1)[-1]}{hint}"
