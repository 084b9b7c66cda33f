"""Commands of 排班日历: coverage, hours, roster, actuals, export-roster, import-roster."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli import EXIT_USER_ERROR, add_overwrite, month_arg, opened_store, output_file, print_json, typed_file


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
    from app.reports.roster_xlsx import export_path, export_roster

    year, month = args.month
    target = output_file(args, export_path(typed_file(args.file)))
    with opened_store(args, writes=False) as store:
        written = export_roster(store, year, month, target)
    print(f"已导出 {year} 年 {month} 月乙方排班表到 {written}")
    return 0


def cmd_import_roster(args: argparse.Namespace) -> int:
    from app.errors import UserError
    from app.reports.roster_xlsx import RosterSheetChoice, apply_import, preview_import

    with opened_store(args, writes=not args.dry_run) as store:
        try:
            preview = preview_import(store, args.file, month=args.month, sheet=args.sheet)
        except RosterSheetChoice as choice:
            example = choice.candidates[-1]
            named = choice.month_of(example)
            raise UserError(f"{choice}用 --sheet 指定工作表，例如 --sheet {example}"
                            + (f"，或用 --month 指定月份，例如 --month {named[0]}-{named[1]:02d}" if named else "")
                            + "。") from choice
        for problem in preview.problems:
            print(problem, file=sys.stderr)
        if not preview.ok:
            print(f"没有导入：{preview.summary()}读取的工作表：“{preview.sheet}”。", file=sys.stderr)
            return EXIT_USER_ERROR
        if args.dry_run:
            print(f"试运行，未写入。{preview.summary()}读取的工作表：“{preview.sheet}”。")
            return 0
        changed = apply_import(store, preview)
    print(f"已导入：{preview.summary()}（工作表“{preview.sheet}”，改动 {changed} 格）")
    return 0


def _split_range(text: str) -> tuple[str, str]:
    from app.errors import ValidationError
    from app.shifts import clock_text, parse_time_range

    times = parse_time_range(text)
    if times is None:
        raise ValidationError(f"时段“{text}”无法识别，应写成 08:00-16:00 或 16:00-次日08:00。")
    return clock_text(times[0]), clock_text(times[1] % (24 * 60))


def cmd_duty(args: argparse.Namespace) -> int:
    from app.duty import RECORD_TYPES, add_record, parse_kind, worker_on

    kind = parse_kind(args.kind)
    start, end = _split_range(args.time)
    with opened_store(args, writes=True) as store:
        worker_id = worker_on(store, args.name, args.date)
        cover = worker_on(store, args.cover, args.date) if args.cover else None
        add_record(store, worker_id, args.date, kind, start, end, covered_by=cover, note=args.note or "")
    print(f"已记录：{args.date.isoformat()} {args.name} {RECORD_TYPES[kind]} {args.time}"
          + (f"，{args.cover}替班" if args.cover else "") + "。")
    return 0


def cmd_require(args: argparse.Namespace) -> int:
    from app.contract import active_contract
    from app.coverage import add_requirement
    from app.errors import ValidationError
    from app.staff import find_post

    with opened_store(args, writes=True) as store:
        post = find_post(active_contract(store), args.post)
        if args.hours is not None:
            add_requirement(store, post.code, args.date, people=args.people, hours=args.hours, note=args.note or "")
        elif args.span:
            start, end = _split_range(args.span)
            add_requirement(store, post.code, args.date, people=args.people, start=start,
                            end="24:00" if end == "00:00" else end, note=args.note or "")
        else:
            raise ValidationError("请用 --hours 给出每人时长，或用 --span 给出时段。")
    print(f"已添加临时服务需求：{args.date.isoformat()} {post.name}。")
    return 0


def cmd_shifts(args: argparse.Namespace) -> int:
    from app.shifts import list_shift_types, uses_of

    with opened_store(args, writes=False) as store:
        types = [(t, uses_of(store, t.id)[0]) for t in list_shift_types(store)]
    if args.json:
        print_json([{**t.as_json(), "uses": uses} for t, uses in types])
        return 0
    for t, uses in types:
        rest = f"（休息 {t.break_minutes} 分钟）" if t.break_minutes else ""
        print(f"{t.code}\t{t.name}\t{t.times_text()}{rest}\t{t.paid_minutes / 60:g} 小时\t{t.colour}\t已用 {uses} 次")
    return 0


def cmd_shift_set(args: argparse.Namespace) -> int:
    from app.shifts import add_shift_type, clock_text, shift_types_by_code, update_shift_type

    with opened_store(args, writes=True) as store:
        existing = shift_types_by_code(store).get(args.code)
        data = {"code": args.code, "name": args.name, "start": args.start or "", "end": args.end or "",
                "break_minutes": args.break_minutes, "colour": args.colour}
        if existing is None:
            add_shift_type(store, {**data, "colour": args.colour or "#FFFFFF"})
            print(f"已新增班次“{args.code}”。")
        else:
            if args.colour is None:
                data["colour"] = existing.colour
            if args.start is None and existing.start is not None:
                data["start"] = clock_text(existing.start)
            if args.end is None and existing.end is not None:
                data["end"] = clock_text(existing.end)
            if args.break_minutes is None:
                data["break_minutes"] = existing.break_minutes
            diff = update_shift_type(store, existing.id, data, from_month=args.from_month)
            print(f"已修改班次“{args.code}”。" if diff else f"班次“{args.code}”没有变化。")
    return 0


def cmd_shift_delete(args: argparse.Namespace) -> int:
    from app.errors import ValidationError
    from app.shifts import delete_shift_type, shift_types_by_code

    with opened_store(args, writes=True) as store:
        existing = shift_types_by_code(store).get(args.code)
        if existing is None:
            raise ValidationError(f"没有班次“{args.code}”。")
        delete_shift_type(store, existing.id)
    print(f"已删除班次“{args.code}”。")
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
    add_overwrite(p)
    p.set_defaults(func=cmd_export_roster)

    from app.cli import date_arg

    p = sub.add_parser("duty", parents=[common], help="记一条值守记录：请假、缺岗（可带替班人员）或加班")
    p.add_argument("date", type=date_arg, help="日期，YYYY-MM-DD")
    p.add_argument("name", help="服务人员姓名")
    p.add_argument("kind", help="请假 | 缺岗 | 加班")
    p.add_argument("time", help="时段，例如 08:00-16:00")
    p.add_argument("--cover", metavar="姓名", help="替班人员（请假、缺岗时）")
    p.add_argument("--note", help="说明")
    p.set_defaults(func=cmd_duty)

    p = sub.add_parser("require", parents=[common], help="为某一天添加临时服务需求（如 10-01 审核岗 1 人 8 小时）")
    p.add_argument("date", type=date_arg, help="日期，YYYY-MM-DD")
    p.add_argument("post", help="岗位（合同岗位名称、其中能认出岗位的一部分，或岗位代码）")
    p.add_argument("--people", type=int, default=1, help="人数（默认 1）")
    p.add_argument("--hours", type=str, help="每人至少工作的小时数，例如 8")
    p.add_argument("--span", help="须有人值守的时段，例如 10:00-18:00")
    p.add_argument("--note", help="说明")
    p.set_defaults(func=cmd_require)

    p = sub.add_parser("shifts", parents=[common], help="列出班次（代码、时间、休息、颜色、已用次数）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_shifts)

    p = sub.add_parser("shift-set", parents=[common], help="新增或修改班次；已用的班次改时间须用 --from 指定生效月份")
    p.add_argument("code", help="班次代码，例如 早")
    p.add_argument("name", help="班次名称，例如 早班")
    p.add_argument("start", nargs="?", help="开始时间，例如 08:00（不上班的班次不填）")
    p.add_argument("end", nargs="?", help="结束时间，例如 16:00；早于开始时间表示次日")
    p.add_argument("--break", dest="break_minutes", type=int, help="不计工时的休息分钟数")
    p.add_argument("--colour", help="颜色 #RRGGBB")
    p.add_argument("--from", dest="from_month", type=month_arg, help="新时间从哪个月起生效（YYYY-MM）")
    p.set_defaults(func=cmd_shift_set)

    p = sub.add_parser("shift-delete", parents=[common], help="删除未使用过的班次")
    p.add_argument("code", help="班次代码")
    p.set_defaults(func=cmd_shift_delete)

    p = sub.add_parser("import-roster", parents=[common], help="导入乙方发来的月排班表（.xlsx），替换文件中人员该月的排班")
    p.add_argument("file", help="乙方排班表 .xlsx 文件")
    p.add_argument("--month", type=month_arg, help="月份，YYYY-MM（文件标题或表头没有写明月份时必填）")
    p.add_argument("--sheet", metavar="工作表", help="要导入的工作表（默认：第一个写着该月排班的可见工作表）")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    p.set_defaults(func=cmd_import_roster)
