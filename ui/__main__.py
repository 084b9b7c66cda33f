"""`python -m ui`: open the main window on the clerk's data file."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app import APP_NAME
from app.errors import UserError
from app.paths import default_db_path


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m ui", description=f"{APP_NAME}")
    parser.add_argument("--db", metavar="PATH", help="数据文件路径（默认：用户数据目录，或环境变量 DINGSHOU_DB）")
    parser.add_argument("--screenshot", metavar="DIR", type=Path,
                        help="把每个标签页渲染为 DIR/<标签页>.png 后退出（无需显示器）")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    else:
        from ui.app import DISPLAY_HELP, display_problem

        problem = display_problem()
        if problem:
            print(DISPLAY_HELP.format(reason=problem), file=sys.stderr)
            return 3

    from PySide6.QtWidgets import QMessageBox

    from app.store import open_store
    from ui.app import create_application
    from ui.main_window import MainWindow

    qapp = create_application(sys.argv[:1])
    try:
        store = open_store(default_db_path(args.db))
    except UserError as err:
        if args.screenshot:
            print(f"错误：{err}", file=sys.stderr)
        else:
            QMessageBox.critical(None, APP_NAME, str(err))
        return 1
    window = MainWindow(store)
    if args.screenshot:
        from ui.screenshot import save_screenshots

        for path in save_screenshots(window, args.screenshot):
            print(path)
        store.close()
        return 0
    window.show()
    code = qapp.exec()
    store.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
