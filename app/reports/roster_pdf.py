"""乙方排班表（甲方核验）: the vendor's month plan on A4 landscape, as the clerk checks it —
the grid, each post's coverage, the gaps, and the two signature lines.

The vendor plans; the office checks (clauses 四.1, 九.3): the sheet says so, and nowhere
presents the office as assigning anybody.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any, Callable

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.reports.pdf import embedded_canvas, register_fonts, style
from app.reports.tables import CJKTable
from app.roster import MonthRoster, cell_label, month_roster
from app.store.store import Store
from app.workcalendar import DayKind, load_calendar

TITLE = "乙方排班表（甲方核验）"
WEEKDAYS = "一二三四五六日"
DAY_SHADES = {DayKind.MAKEUP_WORKDAY: "#FFF6D6", DayKind.RESTDAY: "#EEF2F7", DayKind.HOLIDAY: "#FDE7E7"}
OK_BG, GAP_BG, GAP_FG = "#DDF3E0", "#F9D6D5", "#B3261E"
POST_BG = "#E4E9F2"
GRID_LINE = colors.HexColor("#9AA3AF")


@dataclass(frozen=True)
class PostSummary:
    """One line of 覆盖情况汇总."""
    post_name: str
    rule: str
    required_hours: str
    covered_hours: str
    rate: str  # 100% / 98.7%
    gap_days: int
    capacity: str = ""  # 人力测算 in words


@dataclass(frozen=True)
class GapLine:
    date: dt.date
    post_name: str
    missing: str  # 00:00-08:00 / 缺 1 人 × 8 小时


@dataclass
class RosterSheet:
    """What the sheet prints beside the plan: coverage by post and by day, and the gaps."""
    roster: MonthRoster
    client: str
    vendor: str
    contract_name: str
    day_marks: dict[tuple[str, dt.date], bool | None] = field(default_factory=dict)  # post code, day → ok
    summaries: list[PostSummary] = field(default_factory=list)
    gaps: list[GapLine] = field(default_factory=list)
    basis: str = "乙方排班"  # or 实际值守
    printed_on: dt.date | None = None


def roster_sheet(store: Store, year: int, month: int, *, actual: bool = False,
                 printed_on: dt.date | None = None) -> RosterSheet:
    """Read the month's plan, coverage and 人力测算 from the core for the sheet."""
    from app.coverage import coverage
    from app.labour import month_hours

    calendar = load_calendar(store)
    roster = month_roster(store, year, month, calendar=calendar)
    report = coverage(store, year, month, actual=actual, calendar=calendar)
    hours = month_hours(store, year, month, actual=actual, calendar=calendar)
    contract = roster.contract
    marks = {}
    for post_code, covers in report.days.items():
        for day, cover in zip(roster.days, covers):
            marks[(post_code, day.date)] = None if not cover.required else cover.ok
    for gap in report.gaps:
        marks[(gap.post_code, gap.date)] = False
    capacity = {p.post.code: p for p in hours.posts}
    summaries = []
    for post_cover in report.posts:
        post = post_cover.post
        cap = capacity.get(post.code)
        gap_days = len({g.date for g in report.gaps if g.post_code == post.code})
        capacity_text = ""
        if cap is not None and cap.required_minutes:
            capacity_text = (f"{cap.workers} 人最多 {_hours(cap.capacity_minutes)} 小时，"
                             + ("在法定工时内可以完成" if cap.enough else f"超出法定工时，至少需要 {cap.workers_needed} 人"))
        summaries.append(PostSummary(post.name, f"{post.describe_rules()}，{post.headcount} 人",
                                     _hours(post_cover.required_minutes), _hours(post_cover.met_minutes),
                                     post_cover.rate_text(), gap_days, capacity_text))
    gaps = [GapLine(g.date, g.post_name, g.describe()) for g in report.gaps]
    return RosterSheet(roster, contract.client.name, contract.vendor.name, contract.name, marks, summaries, gaps,
                       "实际值守" if actual else "乙方排班", printed_on)


def roster_pdf(store: Store, year: int, month: int, *, actual: bool = False,
               printed_on: dt.date | None = None) -> bytes:
    return render_roster_pdf(roster_sheet(store, year, month, actual=actual, printed_on=printed_on))



def _hours(minutes: int) -> str:
    return f"{minutes // 60}" if minutes % 60 == 0 else f"{minutes / 60:.1f}"


def render_roster_pdf(sheet: RosterSheet) -> bytes:
    """The sheet as PDF bytes (the bundled font embedded)."""
    register_fonts()
    buffer = io.BytesIO()
    page = landscape(A4)
    margin = 9 * mm
    roster = sheet.roster
    doc = SimpleDocTemplate(buffer, pagesize=page, leftMargin=margin, rightMargin=margin, topMargin=margin,
                            bottomMargin=12 * mm, title=f"{TITLE} {roster.year}年{roster.month}月",
                            author=sheet.client, subject=sheet.contract_name)
    width = page[0] - 2 * margin
    title = style(15, align=1, leading=20)
    sub = style(8.5, align=1)
    story: list[Any] = [
        Paragraph(TITLE, title),
        Paragraph(f"{roster.year} 年 {roster.month} 月　·　{sheet.contract_name}　·　甲方：{sheet.client}"
                  f"　·　乙方：{sheet.vendor}", sub),
        Spacer(1, 2 * mm),
        _grid(sheet, width),
        Spacer(1, 1.5 * mm),
        Paragraph(_legend(roster) + "　覆盖：√ 已按合同覆盖，缺 有缺口，空白为该日无固定要求（视情况提供服务）。"
                  f"覆盖情况按{sheet.basis}计算。", style(6.5)),
        Spacer(1, 2 * mm),
    ]
    story += _summary_and_gaps(sheet, width)
    story.append(Spacer(1, 2 * mm))
    story.append(_signatures(width))
    doc.build(story, onFirstPage=_footer(sheet), onLaterPages=_footer(sheet), canvasmaker=embedded_canvas)
    return buffer.getvalue()


def _legend(roster: MonthRoster) -> str:
    return "班次：" + "；".join(f"{t.code} {t.name}{'' if t.start is None else ' ' + t.times_text()}"
                               for t in roster.shift_types)


def _grid(sheet: RosterSheet, width: float) -> Table:
    roster = sheet.roster
    days = roster.days
    n = len(days)
    name_width = 24 * mm
    hours_width = 10 * mm
    day_width = (width - name_width - hours_width) / n
    cell = style(6.5, align=1, leading=7.5)
    name_style = style(6.5, leading=7.5)
    head = style(6.5, align=1, leading=7.5)
    data: list[list[Any]] = [
        [Paragraph("姓名", head)] + [Paragraph(f"{d.date.day}<br/>{WEEKDAYS[d.date.weekday()]}"
                                               + (f"<br/>{d.short_name}" if d.short_name else "<br/>&nbsp;"),
                                               head) for d in days] + [Paragraph("工时", head)],
    ]
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.3, GRID_LINE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 1),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]
    for column, day in enumerate(days, start=1):
        shade = DAY_SHADES.get(day.kind)
        if shade:
            commands.append(("BACKGROUND", (column, 0), (column, 0), colors.HexColor(shade)))
    colours = {t.code: t.colour for t in roster.shift_types}
    for group in roster.groups:
        row = len(data)
        post = group.post
        data.append([Paragraph(f"<b>{post.name}</b>　{post.describe_rules()}　{post.headcount} 人", name_style)]
                    + [""] * (n + 1))
        commands += [("SPAN", (0, row), (-1, row)), ("BACKGROUND", (0, row), (-1, row), colors.HexColor(POST_BG))]
        for worker in group.rows:
            row = len(data)
            values: list[Any] = [Paragraph(worker.name, name_style)]
            for column, (day, shifts) in enumerate(zip(days, worker.cells), start=1):
                text = cell_label(shifts)
                values.append(Paragraph(text.replace("-", "-<br/>") if len(text) > 3 else text, cell))
                if not worker.serves[column - 1]:
                    commands.append(("BACKGROUND", (column, row), (column, row), colors.HexColor("#D9D9D9")))
                    continue
                colour = colours.get(shifts[0].code) if shifts else DAY_SHADES.get(day.kind)
                if colour:
                    commands.append(("BACKGROUND", (column, row), (column, row), colors.HexColor(colour)))
            values.append(Paragraph(_hours(worker.planned_minutes()), cell))
            data.append(values)
        row = len(data)
        marks: list[Any] = [Paragraph("覆盖情况", name_style)]
        for column, day in enumerate(days, start=1):
            ok = sheet.day_marks.get((post.code, day.date))
            marks.append(Paragraph("" if ok is None else ("√" if ok else f"<font color='{GAP_FG}'>缺</font>"), cell))
            if ok is not None:
                commands.append(("BACKGROUND", (column, row), (column, row), colors.HexColor(OK_BG if ok else GAP_BG)))
        marks.append("")
        data.append(marks)
    table = CJKTable(data, colWidths=[name_width] + [day_width] * n + [hours_width], repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


def _summary_and_gaps(sheet: RosterSheet, width: float) -> list[Any]:
    body = style(7, leading=8.5)
    centred = style(7, leading=8.5, align=1)
    head = style(7, leading=8.5, align=1)
    heading = style(9.5, leading=12)
    parts: list[Any] = []
    if sheet.summaries:
        rows = [[Paragraph(h, head) for h in ("岗位", "合同要求", "应覆盖（小时）", "已覆盖（小时）", "覆盖率", "有缺口的天数",
                                              "人力测算（提示）")]]
        for s in sheet.summaries:
            rows.append([Paragraph(s.post_name, body), Paragraph(s.rule, body), Paragraph(s.required_hours, centred),
                         Paragraph(s.covered_hours, centred), Paragraph(s.rate, centred),
                         Paragraph(str(s.gap_days), centred), Paragraph(s.capacity, body)])
        table = CJKTable(rows, colWidths=[w * width for w in (0.15, 0.29, 0.07, 0.07, 0.06, 0.07, 0.29)], repeatRows=1)
        table.setStyle(_plain_table())
        parts.append(KeepTogether([Paragraph(f"覆盖情况汇总（按{sheet.basis}）", heading), table]))
        parts.append(Spacer(1, 2 * mm))
    if sheet.gaps:
        rows = [[Paragraph(h, head) for h in ("日期", "岗位", "缺口")]]
        for g in sheet.gaps:
            rows.append([Paragraph(f"{g.date.isoformat()} 星期{WEEKDAYS[g.date.weekday()]}", centred),
                         Paragraph(g.post_name, body), Paragraph(g.missing, body)])
        table = CJKTable(rows, colWidths=[w * width for w in (0.16, 0.3, 0.54)], repeatRows=1)
        table.setStyle(_plain_table())
        title = Paragraph(f"缺口明细（{len(sheet.gaps)} 处）", heading)
        # The heading never stays alone at a page's foot: it goes with the table, or with
        # its first rows when the list is long (the header row repeats on each page).
        parts.append(KeepTogether([title, table]) if len(rows) <= 25 else title)
        if len(rows) > 25:
            parts.append(table)
    elif sheet.summaries:
        parts.append(Paragraph("缺口明细：本月各岗位均已按合同要求覆盖，无缺口。", body))
    return parts


def _plain_table() -> TableStyle:
    return TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.3, GRID_LINE),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(POST_BG)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ])


def _signatures(width: float) -> KeepTogether:
    text = style(9.5, leading=14)
    line = "＿＿＿＿＿＿＿＿＿＿"
    date = "＿＿＿＿年＿＿月＿＿日"
    rows = [[Paragraph(f"乙方负责人（签字）：{line}", text), Paragraph(f"日期：{date}", text),
             Paragraph(f"甲方核验人（签字）：{line}", text), Paragraph(f"日期：{date}", text)]]
    table = CJKTable(rows, colWidths=[width * 0.3, width * 0.2, width * 0.3, width * 0.2])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("TOPPADDING", (0, 0), (-1, -1), 6)]))
    return KeepTogether([
        Paragraph("本表为乙方编制的服务人员排班计划，由乙方负责人签字确认；甲方仅核验各岗位是否按合同第四条第2款覆盖"
                  "（合同第四条第1款、第九条第3款），不构成甲方对乙方服务人员的岗位任命或用工安排。", style(7.5, leading=10)),
        table,
    ])


def _footer(sheet: RosterSheet) -> Callable[[Any, Any], None]:
    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(register_fonts(), 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        printed = f"　打印日期 {sheet.printed_on.isoformat()}" if sheet.printed_on else ""
        canvas.drawString(doc.leftMargin, 6 * mm, f"{TITLE}　{sheet.roster.year}年{sheet.roster.month}月{printed}")
        canvas.drawRightString(doc.pagesize[0] - doc.rightMargin, 6 * mm, f"第 {doc.page} 页")
        canvas.restoreState()
    return draw

