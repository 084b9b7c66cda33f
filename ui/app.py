"""The QApplication: platform check, Chinese for Qt's own dialogs, fonts, style, icon."""
from __future__ import annotations

import ctypes.util
import os
import sys

from app import APP_ID, APP_NAME, __version__
from app.paths import resource_path

BUNDLED_FONT = "wqy-microhei.ttc"
# Chinese UI fonts in order of preference; the first the system has is used.
UI_FONT_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
                    "Source Han Sans SC", "WenQuanYi Micro Hei")

DISPLAY_HELP = """\
盯守台账无法打开窗口：{reason}

在 Linux 上，图形界面需要一个显示器和 Qt 的 xcb 依赖库。
  · 安装依赖（Debian/Ubuntu）：sudo apt-get install libxcb-cursor0 libxkbcommon-x11-0 \\
      libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 \\
      libxcb-shape0 libxcb-xinerama0 libegl1 libgl1 libfontconfig1
  · 没有显示器的机器：用虚拟显示器运行，例如 xvfb-run python3 dev.py run
    （先 sudo apt-get install xvfb）；或者只生成截图：python3 dev.py screenshots DIR。
  · 也可以设置 QT_QPA_PLATFORM=offscreen 在后台运行（不显示窗口）。"""

# Libraries Qt's xcb platform plugin and QtGui load (`readelf -d` of libqxcb.so,
# libQt6XcbQpa and libQt6Gui, less glibc): a missing one makes Qt abort with its own
# English crash text, so look for them first. Name → the Debian package that has it.
XCB_LIBRARIES = {
    "EGL": "libegl1", "GL": "libgl1", "X11-xcb": "libx11-xcb1", "X11": "libx11-6",
    "fontconfig": "libfontconfig1", "freetype": "libfreetype6", "glib-2.0": "libglib2.0-0",
    "xcb-cursor": "libxcb-cursor0", "xcb-icccm": "libxcb-icccm4", "xcb-image": "libxcb-image0",
    "xcb-keysyms": "libxcb-keysyms1", "xcb-randr": "libxcb-randr0",
    "xcb-render-util": "libxcb-render-util0", "xcb-render": "libxcb-render0",
    "xcb-shape": "libxcb-shape0", "xcb-shm": "libxcb-shm0", "xcb-sync": "libxcb-sync1",
    "xcb-util": "libxcb-util1", "xcb-xfixes": "libxcb-xfixes0", "xcb-xkb": "libxcb-xkb1",
    "xcb": "libxcb1", "xkbcommon-x11": "libxkbcommon-x11-0", "xkbcommon": "libxkbcommon0",
}


def display_problem() -> str | None:
    """Why Qt could not open a window here, in Chinese, or None if it should work."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None  # offscreen, wayland, vnc…: Qt's plugin choice, not ours
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        return "没有找到显示器（环境变量 DISPLAY 未设置）。"
    missing = [lib for lib in XCB_LIBRARIES if ctypes.util.find_library(lib) is None]
    if missing:
        packages = " ".join(dict.fromkeys(XCB_LIBRARIES[lib] for lib in missing))
        return ("缺少 Qt 需要的系统库：" + "、".join(f"lib{name}" for name in missing)
                + f"。可以这样安装：sudo apt-get install {packages}")
    return None


def create_application(argv: list[str]):
    """Build the QApplication with everything a Chinese office program needs."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
    from PySide6.QtGui import QFont, QFontDatabase, QIcon
    from PySide6.QtWidgets import QApplication

    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    qapp = QApplication.instance() or QApplication(argv)
    qapp.setApplicationName(APP_ID)
    qapp.setApplicationDisplayName(APP_NAME)
    qapp.setApplicationVersion(__version__)
    qapp.setOrganizationName(APP_ID)

    translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(qapp)
    if translator.load("qtbase_zh_CN", translations):
        qapp.installTranslator(translator)
    from ui.translations import install_missing

    install_missing(qapp)

    families = set(QFontDatabase.families())
    chosen = next((f for f in UI_FONT_FAMILIES if f in families), None)
    if chosen is None:
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", BUNDLED_FONT)))
        loaded = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        chosen = loaded[0] if loaded else None
    if chosen:
        font = QFont(chosen, 10)
        qapp.setFont(font)

    qss = resource_path("style.qss")
    if qss.exists():
        qapp.setStyleSheet(qss.read_text(encoding="utf-8"))
    qapp.setWindowIcon(QIcon(str(resource_path("icons", "dingshou.png"))))
    return qapp
