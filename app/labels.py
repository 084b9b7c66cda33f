"""The one catalogue of words: every table, field and stored code as the clerk reads it.

Forms, tables, the change history, exports and messages all take their labels from here,
so a field never has two names (an auditor compares the screen with the history). A new
table adds its entries here, next to the others, in the contract's own words.
"""
from __future__ import annotations

TABLE_LABELS = {
    "contracts": "合同",
    "parties": "合同当事方",
    "posts": "岗位",
    "post_rules": "岗位服务时段",
    "calendar_overrides": "工作日历调整",
    "settings": "设置",
    "audit_log": "修改记录",
    "workers": "服务人员",
    "replacements": "人员更换",
    "system_accounts": "系统账号",
    "worker_posts": "服务岗位记录",
    # 付款台账 (issue 12)
    "ledger_installments": "付款分期",
    "ledger_stage_steps": "付款状态办理",
    "ledger_deductions": "扣减",
    "ledger_payments": "付款",
    "ledger_invoices": "发票",
    "ledger_invoice_items": "发票对应付款期",
    "ledger_supplements": "补充协议",
    "ledger_payee": "收款账户",
    "shift_types": "班次",
    "roster_shifts": "乙方排班",
    "duty_records": "值守记录",
    "extra_requirements": "临时服务需求",
    "assessment_templates": "考核标准",
    "assessment_months": "月度考核",
    "assessment_scores": "考核评分",
    "assessment_deductions": "扣分",
    "assessment_attachments": "签字考核表扫描件",
    "assessment_sheet_codes": "考核表校验码",
    "district_rankings": "区月考核排名",
    "cure_notices": "催告",
    "replacement_demands": "更换服务人员通知函",
}
ACTION_LABELS = {
    "insert": "新增",
    "update": "修改",
    "delete": "删除",
    "reveal": "查看完整信息",
    "export": "导出",
    "restore": "从备份恢复",
}
FIELD_LABELS = {
    "code": "编号", "name": "名称", "start_date": "开始日期", "end_date": "结束日期",
    "total_fen": "金额（分）", "payment_cycle": "付款周期", "payment_due_day": "付款日",
    "payment_terms": "付款条件", "active": "生效", "contract_id": "合同", "role": "角色",
    "legal_representative": "法定代表人", "address": "地址", "phone": "电话",
    "headcount": "人数", "sort_order": "排序", "description": "说明", "post_id": "岗位",
    "day_type": "日期类型", "mode": "方式", "start_time": "开始时间", "end_time": "结束时间",
    "minutes": "分钟", "date": "日期", "kind": "类型", "note": "备注", "key": "项目",
    "value": "值", "backup": "所用备份", "kept": "原文件另存为", "file": "文件",
    # 人员 (workers, replacements, system accounts)
    "gender": "性别", "id_number": "身份证号", "planned_end": "计划离场日期", "left_on": "离场日期",
    "hours_scheme": "工时制度", "emergency_contact": "紧急联系人", "emergency_phone": "紧急联系电话",
    "labour_contract_on": "劳动合同核验日期", "social_insurance_on": "社保核验日期",
    "training_on": "岗前培训核验日期", "notes": "备注", "leaving_worker_id": "离场人员",
    "incoming_worker_id": "接替人员", "requested_by": "提出方", "notified_on": "通知日期",
    "effective_on": "生效日期", "consent": "甲方意见", "consent_on": "同意日期", "reason": "原因",
    "grounds": "依据", "worker_id": "服务人员", "platform": "平台", "account_name": "账号",
    "granted_on": "开通日期", "revoked_on": "注销日期",
    # 付款台账 (ledger_*)
    "seq": "期次", "period": "付款期", "start_on": "服务开始", "end_on": "服务结束", "due_on": "付款期限",
    "planned_fen": "计划金额（分）", "original_planned_fen": "原计划金额（分）", "original_due_on": "原付款期限",
    "stage": "付款状态", "installment_id": "付款期", "from_stage": "原状态", "to_stage": "新状态",
    "stepped_on": "办理日期", "operator": "经办人", "amount_fen": "金额（分）", "ref_kind": "关联类型",
    "ref_key": "关联记录", "ref_text": "关联说明", "recorded_on": "登记日期", "voided_on": "作废日期",
    "void_reason": "作废原因", "paid_on": "付款日期", "voucher": "凭证号", "early": "提前支付",
    "invoice_kind": "发票种类", "invoice_code": "发票代码", "invoice_no": "发票号码", "issued_on": "开票日期",
    "tax_rate": "税率", "invoice_id": "发票", "agreement_no": "协议编号", "signed_on": "签订日期",
    "title": "协议名称", "previous_total_fen": "原合同总额（分）", "changes": "变更内容",
    "bank": "开户银行", "account_no": "银行账号", "department": "申请部门",
    # what notes (export, reveal, restore) record
    "count": "人数", "unmasked": "完整号码", "failed": "失败原因",
    # 排班日历 (shift types, the vendor's plan, 值守记录, one-off requirements)
    "break_minutes": "休息（分钟）", "colour": "颜色", "shift_type_id": "班次",
    "record_type": "记录类型", "covered_by": "替班人员", "people": "人数",
    # 月度考核 (assessment, district ranking, cure notices)
    "post_code": "适用岗位", "version": "版本", "created_at": "创建时间", "pass_mark": "合格分数线",
    "bands": "等级划分", "criteria": "考核项目", "month": "月份", "status": "状态", "revision": "修订次数",
    "finalised_on": "定稿日期", "reopen_reason": "撤销签字原因",
    "month_id": "考核月份", "template_id": "考核标准版本", "comment": "考核意见", "score_id": "考核评分",
    "criterion": "考核项目序号", "points_tenths": "扣分（0.1分）", "decision": "扣分来源",
    "suggested_tenths": "建议扣分（0.1分）", "sha256": "文件指纹", "file_name": "文件名", "suffix": "文件类型",
    "size": "大小（字节）", "added_on": "添加日期", "sheet_no": "考核表编号", "printed_at": "打印时间",
    "rank": "排名", "streets": "参评街道数", "score": "公布得分", "vendor_caused": "乙方原因",
    "letter_no": "函号", "failure": "未按约履行的情形", "deadline": "整改期限",
    "cured_on": "整改完成日期",
}
# Codes stored in the data, shown in the words the clerk uses.
VALUE_LABELS = {
    "kind": {"workday": "工作日", "restday": "休息日", "holiday": "法定节假日", "makeup_workday": "调休上班日"},
    "day_type": {"working": "工作日", "nonworking": "节假日"},
    "mode": {"span": "固定时段", "hours": "每日时长", "as_needed": "视情况提供"},
    "hours_scheme": {"standard": "标准工时", "comprehensive": "综合工时"},
    "requested_by": {"vendor": "乙方申请", "office": "甲方要求"},
    "consent": {"pending": "待甲方同意", "agreed": "甲方已同意", "refused": "甲方不同意"},
    "key": {"operator": "经办人", "file_id": "数据文件标识"},  # settings
    "gender": {"男": "男", "女": "女"},
    "record_type": {"leave": "请假", "absent": "缺岗", "extra": "加班"},
}
VALUE_LABELS["payment_cycle"] = {"quarterly": "按季度"}
VALUE_LABELS["stage"] = {"pending": "待结算", "submitted": "送审", "audited": "审计通过", "approved": "审批通过",
                         "paid": "已支付"}
VALUE_LABELS["from_stage"] = VALUE_LABELS["to_stage"] = VALUE_LABELS["stage"]
VALUE_LABELS["ref_kind"] = {"assessment": "月度考核", "roster": "排班未覆盖时段", "cure_notice": "催告通知"}
VALUE_LABELS["invoice_kind"] = {"digital": "数电发票", "coded": "增值税发票（代码+号码）"}
# Where a table's form says it differently, the history uses the form's word. The forms
# of 人员 take their labels from here (app.staff, app.replacements), so they cannot differ.
# 月度考核: the month's status, where a deduction came from, the ranking's cause, a notice's state.
VALUE_LABELS["status"] = {"draft": "草稿", "final": "已定稿", "signed": "已签字",
                          "pending": "待整改", "cured": "已整改", "overdue": "逾期未整改"}
VALUE_LABELS["decision"] = {"manual": "经办人扣分", "accepted": "采纳排班建议", "changed": "修改排班建议",
                            "rejected": "不采纳排班建议"}
VALUE_LABELS["vendor_caused"] = {"yes": "是", "no": "否", "pending": "待定"}
TABLE_FIELD_LABELS = {
    "workers": {"name": "姓名", "phone": "手机号", "start_date": "到岗日期", "notes": "备注"},
    "posts": {"name": "岗位名称", "code": "岗位代码"},
    "worker_posts": {"worker_id": "服务人员", "post_id": "岗位", "start_date": "调岗日期", "reason": "调岗原因"},
    "replacements": {"post_id": "岗位", "leaving_worker_id": "被更换人员", "incoming_worker_id": "接替人员",
                     "notified_on": "告知日期", "consent_on": "甲方意见日期", "reason": "更换原因",
                     "grounds": "考核依据"},
    "system_accounts": {"worker_id": "服务人员", "platform": "系统平台", "account_name": "账号"},
    "settings": {"key": "项目", "value": "内容"},
    "ledger_installments": {"note": "备注"},
    "ledger_supplements": {"total_fen": "合同总额（分）", "note": "备注"},
    "ledger_payee": {"account_name": "收款单位"},
    "shift_types": {"code": "班次代码", "name": "班次名称"},
    "roster_shifts": {"date": "日期", "seq": "班次序号"},
    "duty_records": {"worker_id": "服务人员", "note": "说明"},
    "extra_requirements": {"minutes": "每人时长（分钟）"},
    "assessment_months": {"signed_on": "签字日期"},
    "cure_notices": {"issued_on": "催告日期"},
    "replacement_demands": {"worker_id": "服务人员", "first_month": "第一个不合格月份",
                            "second_month": "第二个不合格月份", "issued_on": "发函日期"},
}
# Columns the clerk never sees or types: bookkeeping, not facts.
HIDDEN_FIELDS = frozenset({"sort_order", "contract_id", "id", "chain"})


def field_label(table: str, field: str) -> str:
    """A field's one name, as the clerk reads it on that table's screens and in its history."""
    return TABLE_FIELD_LABELS.get(table, {}).get(field) or FIELD_LABELS.get(field) or field


def value_label(field: str, value: object) -> str:
    """A stored value in words: codes by their label, yes/no for flags."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        return VALUE_LABELS.get(field, {}).get(value, value)
    return str(value)
