"""Commands of 排班日历: coverage, hours, roster, actuals, export-roster, import-roster."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli import EXIT_USER_ERROR, month_arg, opened_store, print_json


def cmd_coverage(args: argparse.Namespace) -> int:
    from app.coverage import coverage

    year, month = args.month
    with opened_store(args, writes=False) as store:
        report = coverage(store, year, month, actual=args.actual, hints=args.hints)
    gaps = []
    for gap in report.gaps:
        item = gap.as_json()
        if args.hints:
            item["could_cover"] = list(gap.could_cover)
        gaps.append(item)
    if args.json:
        print_json({"gaps": gaps, "summary": [p.as_json() for p in report.posts]} if args.summary else gaps)
        return 0
    what = "实际值守" if args.actual else "乙方排班"
    if not report.gaps:
        print(f"{year} 年 {month} 月（{what}）：各岗位均已覆盖。")
    for gap in report.gaps:
        hint = f"（可请乙方考虑：{'、'.join(gap.could_cover)}）" if args.hints and gap.could_cover else ""
        print(f"{gap.date.isoformat()} {gap.post_name}：{gap.describe()}{hint}")
    if args.summary or not args.json:
        for post in report.posts:
            print(f"覆盖率 {post.post.name}：{post.rate_text()}")
    return 0


def cmd_hours(args: argparse.Namespace) -> int:
    from app.labour import month_hours

    year, month = args.month
    with opened_store(args, writes=False) as store:
        figures = month_hours(store, year, month, actual=args.actual)
    if args.json:
        print_json(figures.as_json())
        return 0
    print(f"{year} 年 {month} 月：{figures.working_days} 个工作日（全年平均每月 20.83 天、166.64 小时）")
    for w in figures.workers:
        print(f"{w.name}\t{w.scheme.label}\t{w.minutes / 60:g} 小时\t加班 {w.overtime_minutes / 60:g} 小时"
              + ("".join(f"\n    提示：{x}" for x in w.warnings)))
    print("人力测算：")
    for post in figures.posts:
        print("  " + post.describe())
    return 0


def cmd_roster(args: argparse.Namespace) -> int:
    from app.roster import cell_label, month_roster

    year, month = args.month
    with opened_store(args, writes=False) as store:
        roster = month_roster(store, year, month)
    if args.json:
        print_json(roster.as_json())
        return 0
    print(f"{roster.contract.name} 乙方排班表 {year} 年 {month} 月")
    for group in roster.groups:
        print(f"[{group.post.name}]")
        for row in group.rows:
            print(f"  {row.name}\t" + " ".join(cell_label(c) or "·" for c in row.cells))
    return 0


def cmd_actuals(args: argparse.Namespace) -> int:
    from app.duty import month_actuals

    year, month = args.month
    with opened_store(args, writes=False) as store:
        figures = month_actuals(store, year, month)
    if args.json:
        print_json(figures.as_json())
        return 0
    for post in figures.posts.values():
        print(f"{post.plan.post.name}：计划覆盖率 {post.plan.rate_text()}，实际覆盖率 {post.actual.rate_text()}，"
              f"未覆盖 {post.uncovered_minutes / 60:g} 小时")
    for record in figures.records:
        print("值守记录：" + record.describe())
    return 0


def cmd_export_roster(args: argparse.Namespace) -> int:
    from app.reports.roster_xlsx import export_roster

    year, month = args.month
    with opened_store(args, writes=False) as store:
        written = export_roster(store, year, month, args.file)
    print(f"已导出 {year} 年 {month} 月乙方排班表到 {written}")
    return 0


def cmd_import_roster(args: argparse.Namespace) -> int:
    from app.reports.roster_xlsx import apply_import, preview_import

    with opened_store(args, writes=not args.dry_run) as store:
        preview = preview_import(store, args.file, month=args.month)
        for problem in preview.problems:
            print(problem, file=sys.stderr)
        if not preview.ok:
            print(f"没有导入：{preview.summary()}", file=sys.stderr)
            return EXIT_USER_ERROR
        if args.dry_run:
            print(f"试运行，未写入。{preview.summary()}")
            return 0
        changed = apply_import(store, preview)
    print(f"已导入：{preview.summary()}（改动 {changed} 格）")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("coverage", parents=[common], help="核验某月各岗位的覆盖情况（乙方排班或实际值守）")
    p.add_argument("month", type=month_arg, help="月份，YYYY-MM")
    p.add_argument("--actual", action="store_true", help="按值守记录（请假、缺岗、替班、加班）核验实际情况")
    p.add_argument("--summary", action="store_true", help="同时给出各岗位覆盖率（JSON 时输出 {gaps, summary}）")
    p.add_argument("--hints", action="store_true", help="给出每个缺口可请乙方考虑的本岗位人员（仅供参考）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_coverage)

    p = sub.add_parser("hours", parents=[common], help="某月每人工时、加班和提示，各岗位人力测算")
    p.add_argument("month", type=month_arg, help="月份，YYYY-MM")
    p.add_argument("--actual", action="store_true", help="按值守记录计算")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_hours)

    p = sub.add_parser("roster", parents=[common], help="显示某月乙方排班表")
    p.add_argument("month", type=month_arg, help="月份，YYYY-MM")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_roster)

    p = sub.add_parser("actuals", parents=[common], help="某月实际覆盖率、未覆盖小时和值守记录（供月度考核、付款台账）")
    p.add_argument("month", type=month_arg, help="月份，YYYY-MM")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_actuals)

    p = sub.add_parser("export-roster", parents=[common], help="把某月乙方排班表导出为 .xlsx（与导入的格式相同）")
    p.add_argument("month", type=month_arg, help="月份，YYYY-MM")
    p.add_argument("file", help="导出到的 .xlsx 文件")
    p.set_defaults(func=cmd_export_roster)

    p = sub.add_parser("import-roster", parents=[common], help="导入乙方发来的月排班表（.xlsx），替换文件中人员该月的排班")
    p.add_argument("file", help="乙方排班表 .xlsx 文件")
    p.add_argument("--month", type=month_arg, help="月份，YYYY-MM（文件标题或表头没有写明月份时必填）")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    p.set_defaults(func=cmd_import_roster)
