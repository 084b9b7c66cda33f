"""Commands of the 付款台账: `schedule`, `ledger`, `pay`, `invoice`, `deduct`, `status`, and
the rest of what the tab records (`split`, `void`, `supplement`, `payee`) and prints
(`payment-request`, `ledger-statement`, `export-ledger`). Same checks as the tab: they all
go through app.ledger_records."""
from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import add_overwrite, date_arg, opened_store, output_file, print_json, typed_file


def cmd_schedule(args: argparse.Namespace) -> int:
    from app.ledger import FISCAL_DELAY_NOTE, load_ledger, schedule_json
    from app.money import format_yuan

    with opened_store(args, writes=False) as store:
        ledger = load_ledger(store)
    if args.json:
        print_json(schedule_json(ledger))
        return 0
    late = False
    for i in ledger.installments:
        late = late or bool(i.late_days(ledger.today))
        print(f"{i.label}\t{i.due_on.isoformat()} 前\t计划 {format_yuan(i.planned)}\t扣减 {format_yuan(i.deductions)}\t"
              f"应付 {format_yuan(i.payable)}\t已付 {format_yuan(i.paid)}\t已开票 {format_yuan(i.invoiced)}\t"
              f"{i.state_text(ledger.today)}")
    if late:
        print(FISCAL_DELAY_NOTE)
    return 0


def cmd_ledger(args: argparse.Namespace) -> int:
    from app.ledger import FISCAL_DELAY_NOTE, ledger_json, load_ledger
    from app.money import format_yuan

    with opened_store(args, writes=False) as store:
        ledger = load_ledger(store)
    if args.json:
        print_json(ledger_json(ledger))
        return 0
    t = ledger.totals()
    print(f"合同总额 {format_yuan(t.total)}" + (f"（原合同 {format_yuan(t.original_total)}）" if t.total != t.original_total else ""))
    print(f"已付 {format_yuan(t.paid)}（{t.paid_percent}%）  已开票 {format_yuan(t.invoiced)}  "
          f"扣减 {format_yuan(t.deductions)}  未付 {format_yuan(t.outstanding)}")
    if t.next_due:
        print(f"下一笔：{t.next_due.label}，{t.next_due.due_on.isoformat()} 前，{format_yuan(t.next_due.outstanding)}")
    for p in ledger.uncovered_payments:
        print(f"发票未足额（合同第五条第5款）：{p.paid_on.isoformat()} 凭证号 {p.voucher} 付款 {format_yuan(p.amount)}，"
              f"尚有 {format_yuan(p.uncovered)} 没有发票")
    if any(i.late_days(ledger.today) for i in ledger.installments):
        print(FISCAL_DELAY_NOTE)
    return 0


def cmd_pay(args: argparse.Namespace) -> int:
    from app.ledger import load_ledger
    from app.ledger_records import record_payment
    from app.money import format_yuan

    with opened_store(args, writes=True) as store:
        record_payment(store, args.period, args.amount, args.date, args.voucher, early=args.early, note=args.note or "")
        inst = load_ledger(store).installment(args.period)
    print(f"已登记付款：{inst.label}，已付 {format_yuan(inst.paid)}，状态 {inst.stage.label}。")
    return 0


def cmd_invoice(args: argparse.Namespace) -> int:
    from app.ledger_records import record_invoice
    from app.money import parse_amount, format_yuan

    with opened_store(args, writes=True) as store:
        record_invoice(store, args.number, args.date, args.amount, args.periods, code=args.code,
                       tax_rate=args.tax_rate, note=args.note or "")
    print(f"已登记发票：{args.number}，{format_yuan(parse_amount(args.amount))}。")
    return 0


def cmd_deduct(args: argparse.Namespace) -> int:
    from app.ledger import load_ledger
    from app.ledger_records import add_deduction
    from app.money import format_yuan

    with opened_store(args, writes=True) as store:
        add_deduction(store, args.period, args.amount, args.reason, ref_kind=args.ref_kind, ref_key=args.ref_key or "",
                      ref_text=args.ref_text or "", on=args.date)
        inst = load_ledger(store).installment(args.period)
    print(f"已登记扣减：{inst.label}应付 {format_yuan(inst.payable)}。")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from app.ledger_records import step_stage

    with opened_store(args, writes=True) as store:
        inst = step_stage(store, args.period, args.stage, args.date, args.reason or "", early=args.early)
    print(f"{inst.label}：{inst.stage.label}（{inst.steps[-1].stepped_on.isoformat()}）。")
    return 0


def cmd_split(args: argparse.Namespace) -> int:
    from app.ledger import load_ledger
    from app.ledger_records import set_split

    with opened_store(args, writes=True) as store:
        periods = load_ledger(store).periods
        if len(args.amounts) != len(periods):
            from app.errors import ValidationError

            raise ValidationError(f"请依次给出 {len(periods)} 期的金额（{'、'.join(periods)}）。")
        set_split(store, dict(zip(periods, args.amounts)))
    print("已修改分期金额。")
    return 0


def cmd_void(args: argparse.Namespace) -> int:
    from app.ledger_records import VOIDABLE, void_record

    with opened_store(args, writes=True) as store:
        void_record(store, args.kind, args.id, args.reason)
    print(f"已作废{VOIDABLE[args.kind][1]}（编号 {args.id}）。")
    return 0


def cmd_supplement(args: argparse.Namespace) -> int:
    from app.ledger import load_ledger
    from app.ledger_records import record_supplement

    with opened_store(args, writes=True) as store:
        split = None
        if args.split:
            split = dict(zip(load_ledger(store).periods, args.split))
        dues = {}
        for item in args.due or []:
            period, _, day = item.partition("=")
            dues[period] = date_arg(day)
        record_supplement(store, title=args.title, signed_on=args.date, agreement_no=args.number or "",
                          new_total=args.total, split=split, due_dates=dues, note=args.note or "")
    print("已登记补充协议。")
    return 0


def cmd_payee(args: argparse.Namespace) -> int:
    from app.ledger_records import set_payee

    with opened_store(args, writes=True) as store:
        set_payee(store, account_name=args.name, bank=args.bank, account_no=args.account,
                  department=args.department or "")
    print("已保存收款账户。")
    return 0


def _pdf_target(args: argparse.Namespace) -> Path:
    """The PDF a printing command writes: the name always ends in .pdf (as the .xlsx exports
    end in .xlsx); app.output_files decides whether it may be written."""
    target = typed_file(args.file)
    if target.suffix.lower() != ".pdf":
        target = target.with_name(target.name + ".pdf")
    return output_file(args, target)


def _write(target: Path, data: bytes) -> Path:
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(data)
    partial.replace(target)
    return target


def cmd_payment_request(args: argparse.Namespace) -> int:
    from app.reports.ledger_pdf import payment_request_pdf

    target = _pdf_target(args)
    with opened_store(args, writes=False) as store:
        pdf = payment_request_pdf(store, args.period, args.date)
    print(f"已生成付款申请单：{_write(target, pdf)}")
    return 0


def cmd_ledger_statement(args: argparse.Namespace) -> int:
    from app.reports.ledger_pdf import ledger_statement_pdf

    target = _pdf_target(args)
    with opened_store(args, writes=False) as store:
        pdf = ledger_statement_pdf(store)
    print(f"已生成付款台账：{_write(target, pdf)}")
    return 0


def cmd_export_ledger(args: argparse.Namespace) -> int:
    from app.reports.ledger_xlsx import export_ledger, export_path

    target = output_file(args, export_path(typed_file(args.file)))
    with opened_store(args, writes=True) as store:  # the export is noted in the change history
        written = export_ledger(store, target)
    print(f"已导出付款台账：{written}")
    return 0


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]", common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("schedule", parents=[common], help="付款计划：每一期的期限、金额、扣减、已付、已开票、状态")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_schedule)

    p = sub.add_parser("ledger", parents=[common], help="付款台账合计：合同总额、已付、已开票、未付、下一笔期限")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_ledger)

    p = sub.add_parser("pay", parents=[common], help="登记一笔付款（可部分付款；--early 提前支付）")
    p.add_argument("period", help="付款期，例如 2026Q1")
    p.add_argument("amount", help="金额，例如 324325.20")
    p.add_argument("--date", type=date_arg, required=True, help="付款日期 YYYY-MM-DD")
    p.add_argument("--voucher", required=True, help="凭证号，例如 记-0412")
    p.add_argument("--early", action="store_true", help="提前支付（财政国库支付要求，合同第三条）")
    p.add_argument("--note", help="备注")
    p.set_defaults(func=cmd_pay)

    p = sub.add_parser("invoice", parents=[common], help="登记乙方开具的发票（合同第五条第5款）")
    p.add_argument("periods", nargs="+", metavar="period", help="发票对应的付款期，可多个，例如 2026Q1")
    p.add_argument("--number", required=True, help="发票号码：数电发票 20 位；旧版发票 8 位（同时填 --code）")
    p.add_argument("--code", help="旧版增值税发票的发票代码（10 或 12 位）")
    p.add_argument("--date", type=date_arg, required=True, help="开票日期 YYYY-MM-DD")
    p.add_argument("--amount", required=True, help="发票金额（价税合计）")
    p.add_argument("--tax-rate", default="6", help="税率，默认 6%%")
    p.add_argument("--note", help="备注")
    p.set_defaults(func=cmd_invoice)

    p = sub.add_parser("deduct", parents=[common], help="登记扣减（说明原因，可关联考核、排班或催告）")
    p.add_argument("period", help="付款期，例如 2026Q1")
    p.add_argument("amount", help="扣减金额")
    p.add_argument("--reason", required=True, help="扣减原因")
    p.add_argument("--ref-kind", help="关联：assessment|roster|cure_notice 或 月度考核|排班未覆盖时段|催告通知")
    p.add_argument("--ref-key", help="关联的哪一条：月份 2026-03 或通知编号")
    p.add_argument("--ref-text", help="关联说明")
    p.add_argument("--date", type=date_arg, help="登记日期（默认今天）")
    p.set_defaults(func=cmd_deduct)

    p = sub.add_parser("status", parents=[common], help="办理付款状态：送审、审计通过、审批通过（退回须 --reason）")
    p.add_argument("period", help="付款期，例如 2026Q1")
    p.add_argument("stage", help="待结算|送审|审计通过|审批通过|已支付")
    p.add_argument("--date", type=date_arg, help="办理日期（默认今天）")
    p.add_argument("--reason", help="原因（退回时必填）")
    p.add_argument("--early", action="store_true",
                   help="确认提前支付：季度服务期结束前送审（合同第三条，财政国库支付要求）")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("split", parents=[common], help="修改分期金额（合计必须等于合同总额）")
    p.add_argument("amounts", nargs="+", help="依次每一期的金额")
    p.set_defaults(func=cmd_split)

    p = sub.add_parser("void", parents=[common], help="作废录错的付款、发票或扣减（保留记录）")
    p.add_argument("kind", choices=["payment", "invoice", "deduction"], help="payment|invoice|deduction")
    p.add_argument("id", type=int, help="记录编号（见 ledger --json 的 payments / invoices / deductions）")
    p.add_argument("--reason", required=True, help="作废原因")
    p.set_defaults(func=cmd_void)

    p = sub.add_parser("supplement", parents=[common], help="登记补充协议（合同第九条第1款）改变总额或付款安排")
    p.add_argument("--title", required=True, help="协议名称")
    p.add_argument("--number", help="协议编号")
    p.add_argument("--date", type=date_arg, required=True, help="签订日期")
    p.add_argument("--total", help="新的合同总额")
    p.add_argument("--split", nargs="+", help="新的各期金额（依次）")
    p.add_argument("--due", nargs="+", metavar="PERIOD=DATE", help="新的付款期限，例如 2026Q4=2026-12-20")
    p.add_argument("--note", help="备注")
    p.set_defaults(func=cmd_supplement)

    p = sub.add_parser("payee", parents=[common], help="乙方收款账户（付款申请单用，录入一次）")
    p.add_argument("--name", required=True, help="收款单位")
    p.add_argument("--bank", required=True, help="开户银行")
    p.add_argument("--account", required=True, help="银行账号")
    p.add_argument("--department", help="甲方申请部门")
    p.set_defaults(func=cmd_payee)

    p = sub.add_parser("payment-request", parents=[common], help="打印一期的付款申请单（PDF）")
    p.add_argument("period", help="付款期，例如 2026Q4")
    p.add_argument("file", help="PDF 文件")
    p.add_argument("--date", type=date_arg, help="申请日期（默认今天）")
    add_overwrite(p)
    p.set_defaults(func=cmd_payment_request)

    p = sub.add_parser("ledger-statement", parents=[common], help="打印本年度付款台账（PDF）")
    p.add_argument("file", help="PDF 文件")
    add_overwrite(p)
    p.set_defaults(func=cmd_ledger_statement)

    p = sub.add_parser("export-ledger", parents=[common], help="把付款台账导出为 .xlsx")
    p.add_argument("file", help=".xlsx 文件")
    add_overwrite(p)
    p.set_defaults(func=cmd_export_ledger)
