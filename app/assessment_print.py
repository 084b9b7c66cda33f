"""What the printed assessment documents need from the data file, gathered in one place for
the window and the command line: the month's sheets and summary as PDF bytes, with each
printed code registered so `verify` can name the sheet later."""
from __future__ import annotations

from app.assessment import MonthView, Sheet, load_month, month_key, sheet_for
from app.assessment_codes import register_printed
from app.consequences import Fired, fired_rules, list_rankings
from app.errors import ValidationError
from app.store.store import Store


def month_rules(store: Store, view: MonthView) -> list[Fired]:
    """The rules that fired with this month among their months."""
    return [f for f in fired_rules(store) if view.month.key in f.months]


def ranking_text(store: Store, view: MonthView) -> str:
    for r in list_rankings(store, view.contract):
        if r.key == view.month.key:
            return f"{r.describe()}，是否乙方原因：{r.vendor_caused.label}。"
    return ""


def _header(view: MonthView) -> tuple[str, str, str]:
    return view.contract.name, view.contract.client.name, view.contract.vendor.name


def month_pdf(store: Store, year: int, month: int, *, register: bool = True) -> bytes:
    """The month's summary and every scored worker's sheet, as one file."""
    from app.reports.assessment_pdf import render_sheets

    view = load_month(store, year, month)
    if not view.sheets:
        raise ValidationError(f"{view.month.label}还没有评分，没有可打印的考核表。")
    extra = {"ranking": ranking_text(store, view), "rules": month_rules(store, view)}
    pdf = render_sheets(view.sheets, *_header(view), summary=view, summary_extra=extra)
    if register:
        register_printed(store, view.sheets)
    return pdf


def sheet_pdf(store: Store, year: int, month: int, worker_id: int, *, register: bool = True) -> tuple[Sheet, bytes]:
    from app.reports.assessment_pdf import render_sheets

    view = load_month(store, year, month)
    sheet = sheet_for(view, worker_id)
    if sheet is None:
        raise ValidationError("这位服务人员本月还没有评分，没有可打印的考核表。")
    pdf = render_sheets([sheet], *_header(view))
    if register:
        register_printed(store, [sheet])
    return sheet, pdf


def summary_pdf(store: Store, year: int, month: int) -> bytes:
    from app.reports.assessment_pdf import render_summary

    view = load_month(store, year, month)
    return render_summary(view, {"ranking": ranking_text(store, view), "rules": month_rules(store, view)})


def file_name(year: int, month: int, what: str = "考核表") -> str:
    return f"月度{what}-{month_key(year, month)}.pdf"
