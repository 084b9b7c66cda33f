"""argparse speaks English; the few messages a user meets are given in Chinese here.

Both command lines (`python -m app`, `python -m ui`) call `install()`. argparse looks its
messages up through the module-level `_` (gettext) each time, so replacing it works for
every parser made afterwards.
"""
from __future__ import annotations

import argparse

MESSAGES = {
    "usage: ": "用法：",
    "the following arguments are required: %s": "缺少参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "expected one argument": "需要一个参数",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "show this help message and exit": "显示帮助并退出",
    "positional arguments": "位置参数",
    "options": "选项",
    "show program's version number and exit": "显示版本号并退出",
}


def install() -> None:
    """From now on, argparse's messages in Chinese (call before building a parser)."""
    argparse._ = lambda text: MESSAGES.get(text, text)  # type: ignore[attr-defined]
