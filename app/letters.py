"""The two letters the consequence rules lead to, as text: 更换服务人员通知函 (四.4) and
催告函 (六.1). `app.reports.letter_pdf` lays them out per GB/T 9704-2012.

Both print what was recorded when the letter was sent (`consequences.record_demand`,
`consequences.issue_notice`): its 函号 and its date, so a reprint is the same letter. The
函号 comes from the office's document system; where it was left blank, the letter prints
the number's frame (龙街函〔2026〕　　号) for the clerk to fill in by hand."""
from __future__ import annotations

import datetime as dt

from app.assessment_template import fmt_points
from app.consequences import CureNotice, MonthResult, failed_pair, find_demand, list_notices
from app.contract import active_contract
from app.errors import ValidationError
from app.reports.letter_pdf import Letter
from app.staff import get_worker
from app.store.store import Store

CLAUSE_4_4 = ("甲方对乙方派至甲方的服务人员每月进行考核，评估结果仅作为判断乙方是否按约履行服务义务的依据；"
              "对连续两个月考核不合格的或有其他严重失职行为的，甲方有权要求乙方立即更换服务人员。")
CLAUSE_6_1 = ("乙方或乙方服务人员不能按照协议约定及甲方需求按时、按质、按量向甲方提供服务，经甲方催告，"
              "15日内仍不能改正或提供合格服务的，甲方有权单方面解除本协议，并要求乙方承担相应的违约责任和损害赔偿责任。")


BLANK_NUMBER = "龙街函〔{year}〕\u3000\u3000号"  # the frame of a 函号 written by hand


def number_text(letter_no: str, issued_on: dt.date) -> str:
    return letter_no or BLANK_NUMBER.format(year=issued_on.year)


def date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _month_text(r: MonthResult) -> str:
    return f"{r.year}年{r.month}月考核得分 {fmt_points(r.total)} 分（{r.grade}）"


def replacement_letter(store: Store, worker_id: int, months: tuple[str, str]) -> Letter:
    """更换服务人员通知函 for a worker who failed two consecutive months (四.4), with the 函号
    and date recorded when it was sent."""
    contract = active_contract(store)
    worker = get_worker(store, worker_id)
    first, second = failed_pair(store, worker_id, months, contract)
    demand = find_demand(store, worker_id, months[1])
    if demand is None:
        raise ValidationError(f"{worker.name}的更换服务人员通知函还没有登记发函（函号、发函日期），请先登记。")
    paragraphs = (
        f"根据双方签订的《{contract.name}》第四条第 4 款“{CLAUSE_4_4}”的约定，经我街道按月考核，"
        f"你公司派至我街道的服务人员{worker.name}（服务岗位：{worker.post_name}）{_month_text(first)}，"
        f"{_month_text(second)}，连续两个月考核不合格。",
        "现依约通知你公司立即更换该服务人员，与我街道协商确定接替人员（合同第五条第 4 款），"
        "做好工作交接，确保服务不中断，并于收到本函后 3 日内书面回复。",
        "特此函告。",
    )
    return Letter(number_text(demand.letter_no, demand.issued_on), "关于要求更换服务人员的通知函",
                  contract.vendor.name, paragraphs, contract.client.name, date_text(demand.issued_on))


def cure_letter(store: Store, notice_id: int) -> tuple[CureNotice, Letter]:
    """催告函 for a recorded cure notice (六.1), dated on its issue date."""
    contract = active_contract(store)
    notice = next((n for n in list_notices(store, contract) if n.id == notice_id), None)
    if notice is None:
        raise ValidationError("找不到这份催告，可能已被删除。请刷新后重试。")
    paragraphs = (
        f"我街道与你公司签订的《{contract.name}》履行期间，经我街道核查，你公司存在以下未按约履行服务义务的情形：",
        notice.failure.rstrip("。") + "。",
        f"根据合同第六条第 1 款“{CLAUSE_6_1}”的约定，现正式向你公司催告：请于{date_text(notice.deadline)}前"
        "改正上述问题、提供符合合同约定的服务，并将整改情况书面回复我街道。",
        "逾期仍不能改正或提供合格服务的，我街道将依约行使单方解除合同的权利，并保留要求你公司承担违约责任和损害赔偿责任的权利。",
        "特此函告。",
    )
    return notice, Letter(number_text(notice.letter_no, notice.issued_on), "催告函", contract.vendor.name, paragraphs, contract.client.name,
                          date_text(notice.issued_on))
