"""月度考核 commands: assessment, sheets, rules, verify (registered from `app.cli`)."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli import EXIT_USER_ERROR, add_overwrite, month_arg, opened_store, output_file, print_json


def cmd_assessment(args: argparse.Namespace) -> int:
    from app.assessment import load_month

    year, month = args.month
    with opened_store(args, writes=False) as store:
        view = load_month(store, year, month)
    rows = [{"worker_id": r.assignment.worker_id, "name": r.assignment.worker_name, "post": r.post_name,
             **({"total": None, "grade": "未评分", "passed": None} if r.sheet is None else r.sheet.as_json())}
            for r in view.rows]
    if args.json:
        print_json({"month": view.month.key, "status": view.month.status.label, "revision": view.month.revision,
                    "signed_on": view.month.signed_on.isoformat() if view.month.signed_on else None, "workers": rows})
        return 0
    print(f"{view.month.label} 月度考核（{view.month.status.label}）")
    for r in rows:
        print(f"{r['name']}\t{r['post']}\t{r['total'] if r['total'] is not None else '—'}\t{r['grade']}")
    return 0


def _safe(name: str) -> str:
    return "".join(ch for ch in name if ch not in '\\/:*?"<>|').strip() or "服务人员"


def cmd_sheets(args: argparse.Namespace) -> int:
    from app.assessment import load_month, month_key
    from app.assessment_codes import register_printed
    from app.assessment_print import month_rules, ranking_text
    from app.errors import UserError
    from app.reports.assessment_pdf import render_sheets, render_summary

    year, month = args.month
    if not args.out.strip():
        raise UserError("请指定保存考核表的文件夹（--out 文件夹）。")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UserError(f"{out} 是一个文件，不是文件夹。请指定保存考核表的文件夹。")
    with opened_store(args, writes=True) as store:
        view = load_month(store, year, month)
        if not view.sheets:
            raise UserError(f"{view.month.label}还没有评分，没有可打印的考核表。")
        try:  # only now: a refused month leaves no empty folder behind
            out.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise UserError(f"无法创建文件夹 {out}：{err.strerror or err}") from None
        header = (view.contract.name, view.contract.client.name, view.contract.vendor.name)
        extra = {"ranking": ranking_text(store, view), "rules": month_rules(store, view)}
        if args.separate:
            files: list[tuple[Path, bytes]] = [(out / f"月度考核汇总表-{month_key(year, month)}.pdf",
                                                render_summary(view, extra))]
            files += [(out / f"考核表-{sheet.sheet_no}-{_safe(sheet.worker_name)}.pdf", render_sheets([sheet], *header))
                      for sheet in view.sheets]
        else:  # the whole month as one file to print: the summary, then every sheet
            files = [(out / f"月度考核表-{month_key(year, month)}.pdf",
                      render_sheets(view.sheets, *header, summary=view, summary_extra=extra))]
        for path, _ in files:  # every file may be written, or none is
            output_file(args, path)
        _write_all(files)
        register_printed(store, view.sheets)
    where = files[0][0] if len(files) == 1 else out
    print(f"已生成 {len(view.sheets)} 份考核表和 1 份汇总表：{where}")
    return 0


def _write_all(files: list[tuple[Path, bytes]]) -> None:
    """Every file of the month is written, or none is: each goes to a partial file first,
    and only when all are on disk are they put in place (a full disk half-way through a
    --separate run left the summary without its sheets). A file being replaced is first
    moved aside, so one that cannot be replaced (on Windows: open in the PDF viewer,
    read-only) puts back those replaced before it. Partial and set-aside files get names
    of their own: a file or folder the user has is never touched."""
    import os
    import secrets

    from app.errors import UserError
    from app.paths import describe_os_error

    def spare(path: Path, tail: str) -> Path:
        """A new, empty file of its own name beside `path` (mkstemp's way, but with the
        usual permissions rather than mkstemp's owner-only 0600: a colleague opens the
        printed sheets from a shared folder)."""
        while True:
            name = path.with_name(f"~{path.name}.{secrets.token_hex(4)}{tail}")
            try:
                os.close(os.open(name, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o666))
            except FileExistsError:
                continue
            return name

    partials: list[tuple[Path, Path]] = []
    aside: list[tuple[Path, Path]] = []  # (the earlier file's place, where it waits)
    placed: list[Path] = []
    try:
        for path, data in files:
            partials.append((spare(path, ".part"), path))
            partials[-1][0].write_bytes(data)
        for partial, path in partials:
            if path.exists():
                old = spare(path, ".old")
                try:
                    os.replace(path, old)
                except OSError:
                    old.unlink(missing_ok=True)
                    raise
                aside.append((path, old))
            os.replace(partial, path)
            placed.append(path)
    except OSError as err:
        for path in placed:
            path.unlink(missing_ok=True)
        for path, old in reversed(aside):
            try:
                os.replace(old, path)
            except OSError:
                pass  # still there under its set-aside name, said below
        left = [old for _, old in aside if old.exists()]
        for partial, _ in partials:
            partial.unlink(missing_ok=True)
        kept = f"原有的文件暂存为 {'、'.join(str(p) for p in left)}。" if left else ""
        raise UserError(f"考核表没有保存（一份也没有写入）：{describe_os_error(err)}{kept}") from None
    for _, old in aside:
        old.unlink(missing_ok=True)


def cmd_rules(args: argparse.Namespace) -> int:
    from app.consequences import fired_rules

    with opened_store(args, writes=False) as store:
        fired = fired_rules(store)
    if args.json:
        print_json([f.as_json() for f in fired])
        return 0
    if not fired:
        print("没有触发合同约定的情形。")
    for f in fired:
        print(f"【合同{f.clause_text}】{f.title}（{'、'.join(f.months)}）：{f.detail}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from app.assessment_codes import verify_code

    with opened_store(args, writes=False) as store:
        result = verify_code(store, args.code)
    print(result.message)
    return 0 if result.matches else EXIT_USER_ERROR


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("assessment", parents=[common], help="某月每位服务人员的考核得分和等级")
    p.add_argument("month", type=month_arg, help="月份，YYYY-MM")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_assessment)

    p = sub.add_parser("sheets", parents=[common], help="生成某月每位服务人员的考核表和汇总表（PDF）")
    p.add_argument("month", type=month_arg, help="月份，YYYY-MM")
    p.add_argument("--out", required=True, metavar="DIR", help="保存到的文件夹")
    p.add_argument("--separate", action="store_true", help="每位服务人员一个文件（默认：整月一个文件，汇总表在前）")
    add_overwrite(p)
    p.set_defaults(func=cmd_sheets)

    p = sub.add_parser("rules", parents=[common], help="已触发的合同约定情形（四.4 更换、七.1 排名、六.1 催告）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_rules)

    p = sub.add_parser("verify", parents=[common], help="核验考核表上的校验码")
    p.add_argument("code", help="校验码，例如 KWLDC-5JT2Q")
    p.set_defaults(func=cmd_verify)
