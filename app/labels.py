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
}
# Codes stored in the data, shown in the words the clerk uses.
VALUE_LABELS = {
    "kind": {"workday": "工作日", "restday": "休息日", "holiday": "法定节假日", "makeup_workday": "调休上班日"},
    "day_type": {"working": "工作日", "nonworking": "节假日"},
    "mode": {"span": "固定时段", "hours": "每日时长", "as_needed": "视情况提供"},
    "hours_scheme": {"standard": "标准工时", "comprehensive": "综合工时"},
    "requested_by": {"vendor": "乙方", "office": "甲方"},
    "consent": {"pending": "待甲方同意", "agreed": "同意", "refused": "不同意"},
}
VALUE_LABELS["payment_cycle"] = {"quarterly": "按季度"}
VALUE_LABELS["stage"] = {"pending": "待结算", "submitted": "送审", "audited": "审计通过", "approved": "审批通过",
                         "paid": "已支付"}
VALUE_LABELS["from_stage"] = VALUE_LABELS["to_stage"] = VALUE_LABELS["stage"]
VALUE_LABELS["ref_kind"] = {"assessment": "月度考核", "roster": "排班未覆盖时段", "cure_notice": "催告通知"}
VALUE_LABELS["invoice_kind"] = {"digital": "数电发票", "coded": "增值税发票（代码+号码）"}
# Where a table's form says it differently, the history uses the form's word.
TABLE_FIELD_LABELS = {
    "workers": {"name": "姓名", "phone": "手机号", "start_date": "到岗日期"},
    "posts": {"name": "岗位名称", "code": "岗位代码"},
    "worker_posts": {"start_date": "调岗日期", "reason": "调岗原因"},
    "ledger_installments": {"note": "备注"},
    "ledger_supplements": {"total_fen": "合同总额（分）", "note": "备注"},
    "ledger_payee": {"account_name": "收款单位"},
}
