"""`python -m app …`: the headless command line, for scripts, tests and IT staff.

Small functions over the core, one per command; no Qt is imported. Errors go to stderr
in Chinese with a non-zero exit code.
"""
from __future__ import annotations

import argparse
import importlib
import datetime as dt
import json
import os
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator

from app import APP_NAME, __version__
from app import argparse_zh
from app.errors import UserError

from pathlib import Path

if TYPE_CHECKING:
    from app.store import Store

EXIT_USER_ERROR = 1
EXIT_USAGE = 2

# Each part of the program that has commands of its own keeps them beside its code: a module
# with `register(sub, common)` that adds its sub-parsers (imports inside the command
# functions, so `python -m app words` stays fast). Its helpers come from here:
# `opened_store`, `month_arg`, `date_arg`, `print_json`, `EXIT_USER_ERROR`.
COMMAND_MODULES: list[str] = ["app.xlsx_cli", "app.ledger_cli", "app.roster_cli", "app.assessment_cli"]


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def typed_file(text: "str | Path") -> "Path":
    """The output file's name as the user typed it, before .xlsx/.pdf is completed: nothing
    typed, or a folder ('.', '..', '~', a name ending in a separator, an existing folder),
    is refused. Completing a folder's name made a file beside it ('..' gave '...pdf', '~'
    gave root.pdf above the home folder) or a ValueError ('.', '')."""
    from app.paths import user_path

    raw = str(text)
    if not raw.strip():
        raise UserError("请写要保存的文件名。")
    path = user_path(raw)
    try:
        folder = path.is_dir()
    except OSError:  # e.g. a name too long for the disk: app.output_files says so
        folder = False
    if raw.endswith(("/", "\\", os.sep)) or path.name in ("", ".", "..") or folder:
        raise UserError(f"{raw} 是一个文件夹，请在它后面写上要保存的文件名。")
    return path


def output_file(args: argparse.Namespace, target: "str | Path") -> "Path":
    """The file a command may write its output to (app.output_files.check_output): an
    existing file only with `--overwrite`, never the data file, a backup or a scan."""
    from app.output_files import check_output
    from app.paths import default_db_path, user_path

    return check_output(user_path(target), overwrite=getattr(args, "overwrite", False),
                        db_path=default_db_path(args.db))


def add_overwrite(parser: argparse.ArgumentParser) -> None:
    """`--overwrite` on a command that writes a file the user names."""
    from app.output_files import OVERWRITE_FLAG, OVERWRITE_HELP

    parser.add_argument(OVERWRITE_FLAG, action="store_true", help=OVERWRITE_HELP)


# A writing command waits this long for another command holding the file (several started
# at once take turns); a window holding it is never waited for.
COMMAND_WAIT_SECONDS = 30.0


@contextmanager
def opened_store(args: argparse.Namespace, *, writes: bool) -> Iterator["Store"]:
    """The data file, opened for one command. A command that writes first takes the same
    lock as the window, so it never changes a file that a window shows, and only it may
    create a missing file; a reading command never creates one (it says the file is
    missing and names the newest backup)."""
    from app.paths import default_db_path
    from app.store import open_store
    from app.store.lock import InstanceLock

    path = default_db_path(args.db)
    lock = None
    if writes:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise UserError(f"无法建立数据文件所在的文件夹 {path.parent}（{err.strerror}）。") from err
        lock = InstanceLock(path, holder=args.command, wait=COMMAND_WAIT_SECONDS)
        lock.acquire()
    try:
        store = open_store(path, create=writes)
        try:
            yield store
        finally:
            store.close()
    finally:
        if lock:
            lock.release()


# The years a month may be asked for: far wider than any contract, narrower than Python's
# dates (9999-12 has no next month to count to).
MONTH_YEARS = range(1900, 2201)


def month_arg(text: str) -> tuple[int, int]:
    try:
        parsed = dt.datetime.strptime(text, "%Y-%m")
    except ValueError:
        raise argparse.ArgumentTypeError(f"月份“{text}”格式不对，应为 YYYY-MM，例如 2026-10。") from None
    if parsed.year not in MONTH_YEARS:
        raise argparse.ArgumentTypeError(
            f"月份“{text}”的年份超出范围，应在 {MONTH_YEARS[0]} 至 {MONTH_YEARS[-1]} 年之间。")
    return parsed.year, parsed.month


def cmd_words(args: argparse.Namespace) -> int:
    from app.money import capital_words, parse_amount

    print(capital_words(parse_amount(args.amount)))
    return 0


def cmd_calendar(args: argparse.Namespace) -> int:
    from app.workcalendar import load_calendar

    year, month = args.month
    with opened_store(args, writes=False) as store:
        calendar = load_calendar(store)
        days = calendar.month(year, month)
    if not calendar.knows_year(year):
        print(f"注意：{year} 年的放假安排（国务院通知）尚未收录，以下只按周末和固定节日推算，"
              "调休日期可能缺失。请按通知用 calendar-set 逐日录入。", file=sys.stderr)
    if args.json:
        print_json([day.as_json() for day in days])
    else:
        for day in days:
            print(f"{day.date.isoformat()} {day.weekday_label} {day.kind.label} {day.name}".rstrip())
    return 0


def date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”格式不对，应为 YYYY-MM-DD，例如 2027-02-06。") from None


def cmd_calendar_set(args: argparse.Namespace) -> int:
    from app.workcalendar import DayKind, set_override

    kind = DayKind.parse(args.kind)
    with opened_store(args, writes=True) as store:
        set_override(store, args.date, kind, args.name or "", args.note or "")
    print(f"已设定：{args.date.isoformat()} 为{kind.label}" + (f"（{args.name}）" if args.name else "") + "。")
    return 0


def cmd_calendar_clear(args: argparse.Namespace) -> int:
    from app.workcalendar import clear_override

    with opened_store(args, writes=True) as store:
        clear_override(store, args.date)
    print(f"已恢复：{args.date.isoformat()} 按国务院通知（holidays 包）计算。")
    return 0


def cmd_contract(args: argparse.Namespace) -> int:
    from app.contract import active_contract, contract_as_json
    from app.money import format_yuan

    with opened_store(args, writes=False) as store:
        contract = active_contract(store)
    if args.json:
        print_json(contract_as_json(contract))
        return 0
    print(contract.name)
    for party in contract.parties:
        print(f"{party.role}：{party.name}（法定代表人：{party.legal_representative}）")
    print(f"服务期限：{contract.start_date.isoformat()} 至 {contract.end_date.isoformat()}")
    print(f"服务费用：{format_yuan(contract.total)}（大写：{contract.total_words}）")
    for post in contract.posts:
        print(f"  {post.name} ×{post.headcount}：{post.describe_rules()}")
    return 0


def cmd_staff(args: argparse.Namespace) -> int:
    from app import clock
    from app.staff import list_workers

    with opened_store(args, writes=False) as store:
        workers = list_workers(store)
    today = clock.today()
    if args.json:
        print_json([w.as_json(today=today) for w in workers])
        return 0
    for w in workers:
        print(f"{w.name}\t{w.post_name}\t{w.masked_phone}\t{w.start_date.isoformat()}\t{w.status(today).value}\t"
              f"{w.hours_scheme.label}")
    print(f"共 {len(workers)} 人")
    return 0


def cmd_import_staff(args: argparse.Namespace) -> int:
    from app.reports.staff_xlsx import SheetChoice, apply_import, export_path, preview_import

    refused_to = None
    if args.refused:  # checked before anything is read or written
        refused_to = output_file(args, export_path(typed_file(args.refused)))
        if refused_to.exists() and refused_to.resolve() == Path(args.file).resolve():
            raise UserError(f"{refused_to} 是要导入的名单本身，不导入的行不能另存到它上面。请换一个文件名。")
    with opened_store(args, writes=not args.dry_run) as store:
        try:
            preview = preview_import(store, args.file, sheet=args.sheet)
        except SheetChoice as choice:
            raise UserError(f"{choice}用 --sheet 指定，例如 --sheet {choice.candidates[0]}") from choice
        print(preview.sheet_line())
        print(preview.columns_line())
        print(preview.accounting_line())
        for row in preview.refused:
            print(f"第 {row.line} 行（{row.name}）不导入：" + "；".join(p.rstrip("。") for p in row.problems) + "。", file=sys.stderr)
        for row in preview.rows:
            for note in row.notes:
                print(f"第 {row.line} 行（{row.name}）提示：{note}", file=sys.stderr)
        if refused_to and preview.refused:
            from app.reports.vendor_files import write_refused

            print(f"不导入的 {len(preview.refused)} 行连同原因已保存到 {write_refused(preview, refused_to)}")
        if args.dry_run:
            print(f"试运行，未写入。{preview.summary()}")
        else:
            written = apply_import(store, preview)
            print(f"已导入 {len(written)} 人。{preview.summary()}")
    return EXIT_USER_ERROR if preview.refused else 0


def cmd_export_staff(args: argparse.Namespace) -> int:
    from app.reports.staff_xlsx import export_path, export_workers

    target = output_file(args, export_path(typed_file(args.file)))
    with opened_store(args, writes=True) as store:
        count = export_workers(store, target, unmasked=args.unmasked)
    print(f"已导出 {count} 人到 {target}" + ("（含完整身份证号和手机号，请妥善保管）" if args.unmasked else ""))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from app.demo import fill_demo

    with opened_store(args, writes=True) as store:
        count = fill_demo(store)
    print(f"已填入演示数据：{count} 名服务人员（虚构）、更换记录和系统账号；"
          "2026 年全年乙方排班和两条值守记录；"
          "付款台账：前三季度已审批、付款并开票，第四季度未到期。")
    return 0

def _backup_target(to: str | None, db_path: Path) -> tuple[Path, Path | None]:
    """`--to` may name a folder (a USB stick) or a file."""
    from app.paths import user_path
    from app.store import backup

    if to is None:
        return backup.backup_dir_for(db_path), None
    if not to.strip():
        raise UserError("--to 不能为空：请写要备份到的文件夹（如U盘）或新文件名；不写 --to 则备份到数据文件旁的 backups 文件夹。")
    target = user_path(to)
    if target.is_dir() or target.suffix.lower() not in {".sqlite3", ".sqlite", ".db", ".bak"}:
        # As in the window: the folder must be there (a USB stick not plugged in must not
        # turn into a new folder on this PC's disk), and a file is not a folder.
        return backup.check_target(to), None
    backup.check_target(str(target.parent))
    return target.parent, target


def _missing(db_path: Path, why: str) -> UserError:
    """A missing data file, with its newest backup named (nothing is created)."""
    from app.errors import DatabaseRefused
    from app.store.database import _with_newest_backup

    return _with_newest_backup(DatabaseRefused(f"数据文件 {db_path} 不存在，{why}".rstrip("，")), db_path)


def cmd_backup(args: argparse.Namespace) -> int:
    from app.paths import default_db_path
    from app.store import backup, inspect_file

    db_path = default_db_path(args.db)
    if not db_path.exists():
        raise _missing(db_path, "没有可备份的内容。")
    inspect_file(db_path)
    folder, exact = _backup_target(args.to, db_path)
    if exact is None:
        made = backup.backup_file(db_path, folder, reason="manual")
    else:
        source = backup.connect_ro(db_path)
        try:
            made = backup.backup_connection(source, exact)
        finally:
            source.close()
    print(f"备份完成，已校验：{made}")
    from app.scans import backup_note

    note = backup_note(db_path)
    if note:
        print(note, file=sys.stderr)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.paths import default_db_path
    from app.store.lock import InstanceLock
    from app.store.restore import describe_backup, of_another_file, restore_backup

    db_path = default_db_path(args.db)
    info = describe_backup(Path(args.file))
    print(info.describe())
    other = None if args.other_file else of_another_file(info.path, db_path)
    if other:
        raise UserError(f"{other}要查看那份数据，请恢复到一个新文件（--db 新文件.sqlite3）；确实要替换，请加 --other-file。")
    with InstanceLock(db_path, holder="restore", wait=COMMAND_WAIT_SECONDS):
        kept = restore_backup(info.path, db_path)
    print(f"恢复完成：{db_path} 现在是 {info.taken_at:%Y-%m-%d %H:%M:%S} 的备份。")
    if kept:
        print(f"恢复前的数据文件已保留为：{kept}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from app.paths import default_db_path
    from app.store.check import check_file

    db_path = default_db_path(args.db)
    if not db_path.exists():
        raise _missing(db_path, "")
    report = check_file(db_path)
    print("\n".join(report.lines()))
    if report.ok:
        return 0
    from app.store.restore import newest_good_backup

    newest = newest_good_backup(db_path)
    if newest:
        print(f"最新的完好备份：{newest.path}（{newest.taken_at:%Y-%m-%d %H:%M}，{newest.reason_label}）\n"
              f"恢复：python -m app restore \"{newest.path}\"")
    return EXIT_USER_ERROR


def build_parser() -> argparse.ArgumentParser:
    argparse_zh.install()
    parser = argparse.ArgumentParser(prog="python -m app", description=f"{APP_NAME} 命令行")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    # --db before or after the command: the sub-command's copy only overrides when given.
    parser.add_argument("--db", metavar="PATH", help="数据文件路径（默认：用户数据目录，或环境变量 DINGSHOU_DB）")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help="数据文件路径（默认：用户数据目录，或环境变量 DINGSHOU_DB）")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    p = sub.add_parser("words", parents=[common], help="把金额写成中文大写")
    p.add_argument("amount", help="金额，例如 1297300.82")
    p.set_defaults(func=cmd_words)

    p = sub.add_parser("calendar", parents=[common], help="列出某月每一天的工作日类型")
    p.add_argument("month", type=month_arg, help="月份，YYYY-MM")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_calendar)

    p = sub.add_parser("calendar-set", parents=[common],
                       help="按国务院通知更正某一天（工作日/休息日/法定节假日/调休上班日）")
    p.add_argument("date", type=date_arg, help="日期，YYYY-MM-DD")
    p.add_argument("kind", help="workday|restday|holiday|makeup_workday，或 工作日|休息日|法定节假日|调休上班日")
    p.add_argument("--name", help="名称，例如 春节、春节调休上班")
    p.add_argument("--note", help="备注，例如 国办发明电〔2026〕X号")
    p.set_defaults(func=cmd_calendar_set)

    p = sub.add_parser("calendar-clear", parents=[common], help="取消对某一天的更正")
    p.add_argument("date", type=date_arg, help="日期，YYYY-MM-DD")
    p.set_defaults(func=cmd_calendar_clear)

    p = sub.add_parser("contract", parents=[common], help="显示生效的合同及岗位")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_contract)

    p = sub.add_parser("staff", parents=[common], help="列出服务人员（身份证号、手机号已遮盖）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_staff)

    p = sub.add_parser("import-staff", parents=[common], help="从乙方的 Excel 名单（.xlsx）导入服务人员")
    p.add_argument("file", help="乙方人员名单 .xlsx 文件")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    p.add_argument("--sheet", metavar="工作表", help="要导入的工作表（有几个工作表都像名单时必须指定）")
    p.add_argument("--refused", metavar="FILE", help="把不导入的行连同原因另存为 .xlsx（退回乙方）")
    add_overwrite(p)
    p.set_defaults(func=cmd_import_staff)

    p = sub.add_parser("export-staff", parents=[common], help="把服务人员名单导出为 .xlsx")
    p.add_argument("file", help="导出到的 .xlsx 文件")
    p.add_argument("--unmasked", action="store_true", help="导出完整身份证号和手机号（记入修改记录）")
    add_overwrite(p)
    p.set_defaults(func=cmd_export_staff)

    p = sub.add_parser("demo", parents=[common], help="向新的数据文件填入虚构的演示人员")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("backup", parents=[common], help="备份数据文件（校验后才算完成）")
    p.add_argument("--to", metavar="PATH", help="备份到此文件夹（如U盘）或文件；默认：数据文件旁的 backups 文件夹")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", parents=[common], help="用一份备份替换数据文件（当前文件先另存）")
    p.add_argument("file", metavar="FILE", help="备份文件")
    p.add_argument("--other-file", action="store_true", help="备份属于另一个数据文件时也替换（默认拒绝）")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("check", parents=[common], help="检查数据文件：完整性、外键、修改记录与数据是否一致")
    p.set_defaults(func=cmd_check)

    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        from app import clock

        clock.check_override()
        return func(args)
    except UserError as err:
        print(f"错误：{err}", file=sys.stderr)
        newest = getattr(err, "newest_backup", None)
        if newest is not None:
            print(f"恢复：python -m app restore \"{newest.path}\"", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:  # `python -m app calendar 2026-10 | head`: the reader has gone
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nothing more is written
        return 0
    except OSError as err:  # a file the command was given that the system refuses
        from app.paths import describe_os_error

        print(f"错误：{describe_os_error(err)}", file=sys.stderr)
        return EXIT_USER_ERROR
