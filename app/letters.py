"""The two letters the consequence rules lead to, as text: 更换服务人员通知函 (四.4) and
催告函 (六.1). `app.reports.letter_pdf` lays them out per GB/T 9704-2012."""
from __future__ import annotations

import datetime as dt

from app import clock
from app.assessment_template import fmt_points
from app.consequences import CureNotice, MonthResult, list_notices, month_results
from app.contract import active_contract
from app.errors import ValidationError
from app.reports.letter_pdf import Letter
from app.staff import get_worker
from app.store.store import Store

CLAUSE_4_4 = ("甲方对乙方派至甲方的服务人员每月进行考核，评估结果仅作为判断乙方是否按约履行服务义务的依据；"
              "对连续两个月考核不合格的或有其他严重失职行为的，甲方有权要求乙方立即更换服务人员。")
CLAUSE_6_1 = ("乙方或乙方服务人员不能按照协议约定及甲方需求按时、按质、按量向甲方提供服务，经甲方催告，"
              "15日内仍不能改正或提供合格服务的，甲方有权单方面解除本协议，并要求乙方承担相应的违约责任和损害赔偿责任。")


def date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _month_text(r: MonthResult) -> str:
    return f"{r.year}年{r.month}月考核得分 {fmt_points(r.total)} 分（{r.grade}）"


def replacement_letter(store: Store, worker_id: int, months: tuple[str, str], on: dt.date | None = None) -> Letter:
    """更换服务人员通知函 for a worker who failed two consecutive months (四.4)."""
    contract = active_contract(store)
    worker = get_worker(store, worker_id)
    results = {f"{r.year:04d}-{r.month:02d}": r for r in month_results(store, contract) if r.worker_id == worker_id}
    picked = [results.get(m) for m in months]
    if any(r is None or r.passed for r in picked):
        raise ValidationError(f"{worker.name}在 {'、'.join(months)} 没有连续两个月定稿的不合格考核结果，不能据第四条第 4 款要求更换。")
    first, second = picked
    assert first is not None and second is not None
    paragraphs = (
        f"根据双方签订的《{contract.name}》第四条第 4 款“{CLAUSE_4_4}”的约定，经我街道按月考核，"
        f"你公司派至我街道的服务人员{worker.name}（服务岗位：{worker.post_name}）{_month_text(first)}，"
        f"{_month_text(second)}，连续两个月考核不合格。",
        "现依约通知你公司立即更换该服务人员，与我街道协商确定接替人员（合同第五条第 4 款），"
        "做好工作交接，确保服务不中断，并于收到本函后 3 日内书面回复。",
        "特此函告。",
    )
    return Letter(f"龙街函〔{(on or clock.today()).year}〕　　号", "关于要求更换服务人员的通知函",
                  contract.vendor.name, paragraphs, contract.client.name, date_text(on or clock.today()))


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
    return notice, Letter(notice.letter_no, "催告函", contract.vendor.name, paragraphs, contract.client.name,
                          date_text(notice.issued_on))
