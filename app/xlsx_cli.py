"""Commands for the workbooks the clerk sends to the vendor: `import-template`."""
from __future__ import annotations

import argparse


def cmd_import_template(args: argparse.Namespace) -> int:
    from app.cli import opened_store, output_file, typed_file
    from app.reports.staff_xlsx import export_path
    from app.reports.vendor_files import write_template

    target = output_file(args, export_path(typed_file(args.file)))
    with opened_store(args, writes=False) as store:
        path = write_template(store, target)
    print(f"已导出导入模板到 {path}（“人员名单”工作表填写，“说明”工作表是填写说明）。")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    from app.cli import add_overwrite

    p = sub.add_parser("import-template", parents=[common], help="导出空白的人员名单导入模板（.xlsx，含填写说明）")
    p.add_argument("file", help="模板保存到的 .xlsx 文件")
    add_overwrite(p)
    p.set_defaults(func=cmd_import_template)
