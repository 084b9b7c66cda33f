"""`python -m ui`: open the main window on the clerk's data file."""
from __future__ import annotations

import time

STARTED = time.perf_counter()  # first thing: the start-up time `--quit-when-shown` reports

import argparse  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from app import APP_NAME, __version__, argparse_zh  # noqa: E402
from app.errors import UserError  # noqa: E402
from app.logs import setup_logging  # noqa: E402
from app.paths import default_db_path  # noqa: E402


def parse_args(argv: list[str]) -> argparse.Namespace:
    argparse_zh.install()
    parser = argparse.ArgumentParser(prog="python -m ui", description=f"{APP_NAME}")
    parser.add_argument("--db", dest="data_file", metavar="PATH", help="数据文件路径（默认：用户数据目录，或环境变量 DINGSHOU_DB）")
    parser.add_argument("--screenshot", metavar="DIR", type=Path,
                        help="把每个标签页渲染为 DIR/<标签页>.png 后退出（无需显示器）")
    # For `dev.py bench` and smoke tests: the whole real start (lock, start backup, window,
    # first paint) and exit (exit backup), without a person to close the window.
    parser.add_argument("--quit-when-shown", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def screenshots(db_path: Path, target: Path) -> int:
    from app.store import open_store
    from ui.main_window import MainWindow
    from ui.screenshot import save_screenshots

    try:
        store = open_store(db_path)
    except UserError as err:
        print(f"错误：{err}", file=sys.stderr)
        return 1
    window = MainWindow(store)
    for path in save_screenshots(window, target):
        print(path)
    store.close()
    return 0


def run_sessions(qapp, db_path: Path, *, quit_when_shown: bool = False) -> int:
    """Open the file, show the window, back up on exit; again after a restore."""
    from app.store import location
    from ui import errors, single_instance, startup, tasks

    errors.install_excepthook()
    errors.log.info("启动 %s %s，数据文件 %s", APP_NAME, __version__, db_path)

    QMessageBox = startup.QMessageBox  # noqa: N806 - one place for tests to replace

    try:
        claim = single_instance.claim(db_path)
    except (UserError, OSError) as err:  # e.g. the data folder cannot be written at all
        QMessageBox.critical(None, APP_NAME, f"无法打开数据文件 {db_path}：{err}")
        return 1
    if claim.raised_other:
        return 0
    if claim.busy is not None:
        QMessageBox.critical(None, APP_NAME, str(claim.busy))
        return 1
    warning = location.location_warning(db_path)
    if warning:
        QMessageBox.warning(None, APP_NAME, warning)
    current: dict[str, object] = {}
    claim.guard.raise_requested.connect(
        lambda: current.get("window") and single_instance.bring_forward(current["window"]))
    try:
        while True:
            store = startup.open_or_recover(db_path)
            if store is None:
                return 1
            built = startup.build_window(store, db_path)
            if built.outcome is startup.Outcome.REOPEN:
                continue
            if built.window is None:
                return 1
            window = built.window
            current["window"] = window
            window.show()
            if not quit_when_shown:
                startup.ensure_operator(window)
            startup.verify_contents(window, db_path)
            if quit_when_shown:
                from PySide6.QtCore import QTimer

                window.repaint()  # the first paint, synchronously
                print(f"shown_ms={(time.perf_counter() - STARTED) * 1000:.0f}", flush=True)
                QTimer.singleShot(0, qapp.quit)
            code = qapp.exec()
            tasks.wait_for_all()
            if window.pending_restore is None:
                startup.exit_backup(store)  # a restore keeps the current file itself
            store.close()
            current.pop("window", None)
            if window.pending_restore is None:
                return code
            startup.restore_and_report(window.pending_restore, db_path)
    finally:
        claim.guard.release()


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

    from ui.app import create_application

    qapp = create_application(sys.argv[:1])
    try:
        from app import clock

        clock.check_override()  # a malformed DINGSHOU_TODAY
        db_path = default_db_path(args.data_file)
    except UserError as err:  # or `--db ""`, an empty DINGSHOU_DB
        from ui import startup

        startup.QMessageBox.critical(None, APP_NAME, str(err))
        return 1
    setup_logging()
    if args.screenshot:
        return screenshots(db_path, args.screenshot)
    return run_sessions(qapp, db_path, quit_when_shown=args.quit_when_shown)


if __name__ == "__main__":
    sys.exit(main())
