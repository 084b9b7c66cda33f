"""Schema steps, applied forward on open (after a backup copy of the file).

A step that has shipped is never edited: a change is a new step appended at the end.
Each step is a function named for what it does; sqlite-utils records it in
`_sqlite_migrations` in the same transaction as the change.
"""
from __future__ import annotations

import sqlite_utils
from sqlite_utils import Database

from app.store.sqlite import database

MIGRATION_SET = "dingshou"
migrations = sqlite_utils.Migrations(MIGRATION_SET)


@migrations()
def create_contract_tables(db: Database) -> None:
    db["settings"].create({"key": str, "value": str}, pk="key")
    db["contracts"].create(
        {
            "id": int,
            "code": str,
            "name": str,
            "start_date": str,
            "end_date": str,
            "total_fen": int,
            "payment_cycle": str,
            "payment_due_day": int,
            "payment_terms": str,
            "active": int,
        },
        pk="id",
        not_null={"code", "name", "start_date", "end_date", "total_fen", "active"},
        defaults={"active": 1},
    )
    db["contracts"].create_index(["code"], unique=True)
    db["parties"].create(
        {
            "id": int,
            "contract_id": int,
            "role": str,
            "name": str,
            "legal_representative": str,
            "address": str,
            "phone": str,
        },
        pk="id",
        foreign_keys=[("contract_id", "contracts", "id")],
        not_null={"contract_id", "role", "name"},
    )
    db["parties"].create_index(["contract_id", "role"], unique=True)
    db["posts"].create(
        {
            "id": int,
            "contract_id": int,
            "code": str,
            "name": str,
            "headcount": int,
            "sort_order": int,
            "description": str,
        },
        pk="id",
        foreign_keys=[("contract_id", "contracts", "id")],
        not_null={"contract_id", "code", "name", "headcount"},
    )
    db["posts"].create_index(["contract_id", "code"], unique=True)
    db["post_rules"].create(
        {
            "id": int,
            "post_id": int,
            "day_type": str,  # working | nonworking
            "mode": str,  # span | hours | as_needed
            "start_time": str,  # HH:MM, for span
            "end_time": str,  # HH:MM (24:00 allowed), for span
            "minutes": int,  # for hours
        },
        pk="id",
        foreign_keys=[("post_id", "posts", "id")],
        not_null={"post_id", "day_type", "mode"},
    )
    db["post_rules"].create_index(["post_id", "day_type"], unique=True)
    db["calendar_overrides"].create(
        {"date": str, "kind": str, "name": str, "note": str}, pk="date", not_null={"kind"}
    )


@migrations()
def create_audit_log(db: Database) -> None:
    db["audit_log"].create(
        {
            "id": int,
            "at": str,
            "operator": str,
            "action": str,  # insert | update | delete
            "table_name": str,
            "record_id": str,
            "changes": str,  # JSON: {field: [old, new]}
            "summary": str,  # the user action this change belongs to
        },
        pk="id",
        not_null={"at", "operator", "action", "table_name", "record_id"},
    )
    db["audit_log"].create_index(["table_name", "record_id"])
    # The audit trail is append-only: nothing in or outside the program edits history.
    db.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )


@migrations()
def create_staff_tables(db: Database) -> None:
    """Issue #3: the vendor's service workers, replacements (五.4, 四.4) and the
    system-account register (四.6). Dates are ISO text; a worker is never deleted once
    anything refers to them, they leave with an end date."""
    db["workers"].create(
        {
            "id": int,
            "contract_id": int,
            "post_id": int,
            "name": str,
            "gender": str,  # 男 | 女
            "id_number": str,
            "phone": str,
            "start_date": str,
            "planned_end": str,
            "left_on": str,  # last day of service, once they leave
            "hours_scheme": str,  # standard | comprehensive
            "emergency_contact": str,
            "emergency_phone": str,
            "labour_contract_on": str,  # date the office saw the labour contract (五.6)
            "social_insurance_on": str,  # date social insurance was verified (五.6)
            "training_on": str,  # date pre-service training was verified (五.7)
            "notes": str,
        },
        pk="id",
        foreign_keys=[("contract_id", "contracts", "id"), ("post_id", "posts", "id")],
        not_null={"contract_id", "post_id", "name", "id_number", "phone", "start_date", "hours_scheme"},
        defaults={"hours_scheme": "standard"},
    )
    db["workers"].create_index(["contract_id", "id_number"], unique=True)
    db["workers"].create_index(["post_id"])
    db["replacements"].create(
        {
            "id": int,
            "contract_id": int,
            "post_id": int,
            "leaving_worker_id": int,
            "incoming_worker_id": int,
            "requested_by": str,  # vendor | office
            "notified_on": str,  # vendor: date it told the office; office: date of the demand
            "effective_on": str,  # first day of the incoming worker
            "consent": str,  # pending | agreed | refused
            "consent_on": str,
            "reason": str,
            "grounds": str,  # office demand: the failed assessments or failure cited (四.4)
        },
        pk="id",
        foreign_keys=[
            ("contract_id", "contracts", "id"),
            ("post_id", "posts", "id"),
            ("leaving_worker_id", "workers", "id"),
            ("incoming_worker_id", "workers", "id"),
        ],
        not_null={"contract_id", "post_id", "leaving_worker_id", "requested_by", "notified_on",
                  "effective_on", "consent"},
    )
    db["system_accounts"].create(
        {
            "id": int,
            "worker_id": int,
            "platform": str,
            "account_name": str,
            "granted_on": str,
            "revoked_on": str,
            "notes": str,
        },
        pk="id",
        foreign_keys=[("worker_id", "workers", "id")],
        not_null={"worker_id", "platform", "account_name", "granted_on"},
    )
    db["system_accounts"].create_index(["worker_id"])


@migrations()
def chain_audit_log_and_identify_file(db: Database) -> None:
    """Issue #7: the change history becomes evidence. Every audit row gets `chain`, a hash
    over the row before it and its own fields (app.store.chain); the rows already there are
    chained here, in order. And the file gets an identity (settings `file_id`, audited like
    any setting) that its backups carry, so a backup is known to belong to this file and no
    other, whatever either is called."""
    import uuid

    from app.store import chain
    from app.store.store import SYSTEM_OPERATOR, append_audit

    db["audit_log"].add_column("chain", str)
    # The append-only triggers are lifted for this one step, inside its transaction.
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("DROP TRIGGER audit_log_no_delete")
    for row_id, value in list(chain.links(db.conn)):
        db.execute("UPDATE audit_log SET chain = ? WHERE id = ?", [value, row_id])
    db.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )
    file_id = uuid.uuid4().hex
    db["settings"].insert({"key": "file_id", "value": file_id}, pk="key")
    append_audit(db, SYSTEM_OPERATOR, "insert", "settings", "file_id",
                 {"key": [None, "file_id"], "value": [None, file_id]}, "数据文件标识")


@migrations()
def create_worker_posts(db: Database) -> None:
    """Issue #8: who served on which post from when. A worker who changes post keeps the
    past on the old post: each row is one stretch, from `start_date` until the day before
    the worker's next stretch (or their last day). Every worker on file gets one stretch,
    their post from their first day, written with its audit row like any other record."""
    db["worker_posts"].create(
        {
            "id": int,
            "worker_id": int,
            "post_id": int,
            "start_date": str,  # first day on this post
            "reason": str,  # why the post changed (empty for the first stretch)
        },
        pk="id",
        foreign_keys=[("worker_id", "workers", "id"), ("post_id", "posts", "id")],
        not_null={"worker_id", "post_id", "start_date"},
    )
    db["worker_posts"].create_index(["worker_id", "start_date"], unique=True)
    from app.store.store import SYSTEM_OPERATOR, append_audit

    for worker_id, post_id, start in db.execute("SELECT id, post_id, start_date FROM workers ORDER BY id").fetchall():
        record = {"worker_id": worker_id, "post_id": post_id, "start_date": start}
        stretch_id = db["worker_posts"].insert(record).last_pk
        # Through the chained history (issue #7's step runs before this one).
        append_audit(db, SYSTEM_OPERATOR, "insert", "worker_posts", stretch_id,
                     {k: [None, v] for k, v in record.items()}, "数据格式升级：记录每位服务人员的服务岗位")


@migrations()
def create_ledger_tables(db: Database) -> None:
    """Issue #12: the payment ledger of clause 三 (installments, their audit/approval steps,
    deductions, payments), invoices of 五.5, supplementary agreements of 九.1 and the payee's
    bank account. Money in integer fen; a record is never deleted, a mistake is voided
    (voided_on + void_reason) so the ledger and the change history keep it.

    A deduction may point at a month's assessment, a roster's uncovered hours or a cure
    notice, which other parts keep: the link is a kind and a key in text (ref_kind,
    ref_key, ref_text), not a foreign key, so this step depends on no table of theirs."""
    db["ledger_installments"].create(
        {
            "id": int,
            "contract_id": int,
            "seq": int,
            "period": str,  # 2026Q1
            "start_on": str,  # first day of service the installment pays for
            "end_on": str,
            "due_on": str,  # 次季度的 10 日前
            "planned_fen": int,
            "original_planned_fen": int,  # before any supplementary agreement
            "original_due_on": str,
            "stage": str,  # pending | submitted | audited | approved | paid
            "note": str,
        },
        pk="id",
        foreign_keys=[("contract_id", "contracts", "id")],
        not_null={"contract_id", "seq", "period", "start_on", "end_on", "due_on", "planned_fen",
                  "original_planned_fen", "original_due_on", "stage"},
    )
    db["ledger_installments"].create_index(["contract_id", "period"], unique=True)
    db["ledger_stage_steps"].create(
        {
            "id": int,
            "installment_id": int,
            "from_stage": str,
            "to_stage": str,
            "stepped_on": str,
            "operator": str,
            "reason": str,  # required for a step back
        },
        pk="id",
        foreign_keys=[("installment_id", "ledger_installments", "id")],
        not_null={"installment_id", "from_stage", "to_stage", "stepped_on", "operator"},
    )
    db["ledger_stage_steps"].create_index(["installment_id"])
    db["ledger_deductions"].create(
        {
            "id": int,
            "installment_id": int,
            "amount_fen": int,
            "reason": str,
            "ref_kind": str,  # assessment | roster | cure_notice, or NULL
            "ref_key": str,  # e.g. 2026-03, or the notice's number
            "ref_text": str,
            "recorded_on": str,
            "voided_on": str,
            "void_reason": str,
        },
        pk="id",
        foreign_keys=[("installment_id", "ledger_installments", "id")],
        not_null={"installment_id", "amount_fen", "reason", "recorded_on"},
    )
    db["ledger_payments"].create(
        {
            "id": int,
            "installment_id": int,
            "paid_on": str,
            "amount_fen": int,
            "voucher": str,  # 凭证号
            "early": int,  # 提前支付 (clause 三)
            "note": str,
            "voided_on": str,
            "void_reason": str,
        },
        pk="id",
        foreign_keys=[("installment_id", "ledger_installments", "id")],
        not_null={"installment_id", "paid_on", "amount_fen", "voucher", "early"},
        defaults={"early": 0},
    )
    db["ledger_invoices"].create(
        {
            "id": int,
            "contract_id": int,
            "invoice_kind": str,  # digital | special | normal
            "invoice_code": str,  # 发票代码 of the older invoices, else NULL
            "invoice_no": str,  # 发票号码
            "issued_on": str,
            "amount_fen": int,
            "tax_rate": str,  # percent as text: "6", "3", "免税"
            "note": str,
            "voided_on": str,
            "void_reason": str,
        },
        pk="id",
        foreign_keys=[("contract_id", "contracts", "id")],
        not_null={"contract_id", "invoice_kind", "invoice_no", "issued_on", "amount_fen", "tax_rate"},
    )
    db["ledger_invoice_items"].create(
        {"id": int, "invoice_id": int, "installment_id": int, "amount_fen": int},
        pk="id",
        foreign_keys=[("invoice_id", "ledger_invoices", "id"), ("installment_id", "ledger_installments", "id")],
        not_null={"invoice_id", "installment_id", "amount_fen"},
    )
    db["ledger_invoice_items"].create_index(["invoice_id"])
    db["ledger_supplements"].create(
        {
            "id": int,
            "contract_id": int,
            "agreement_no": str,
            "signed_on": str,
            "title": str,
            "total_fen": int,  # the contract total from this agreement on
            "previous_total_fen": int,
            "changes": str,  # what it changed, in words, as recorded
            "note": str,
        },
        pk="id",
        foreign_keys=[("contract_id", "contracts", "id")],
        not_null={"contract_id", "signed_on", "title", "total_fen", "previous_total_fen"},
    )
    db["ledger_payee"].create(
        {
            "id": int,
            "contract_id": int,
            "account_name": str,  # 收款单位
            "bank": str,  # 开户银行
            "account_no": str,  # 银行账号
            "department": str,  # the office's 申请部门 on the 付款申请单
        },
        pk="id",
        foreign_keys=[("contract_id", "contracts", "id")],
        not_null={"contract_id", "account_name"},
    )
    db["ledger_payee"].create_index(["contract_id"], unique=True)


@migrations()
def create_roster_tables(db: Database) -> None:
    """Issue #10: shift types, the vendor's month plan (乙方排班), what really happened
    against it (值守记录) and the clerk's one-off requirements for a date."""
    from app.store.store import SYSTEM_OPERATOR, append_audit

    db["shift_types"].create(
        {
            "id": int,
            "code": str,
            "name": str,
            "start_time": str,  # HH:MM; NULL for a day off (休)
            "end_time": str,  # HH:MM, 24:00 allowed; at or before start = the next day
            "break_minutes": int,  # unpaid
            "colour": str,  # #RRGGBB
            "sort_order": int,
        },
        pk="id",
        not_null={"code", "name"},
        defaults={"break_minutes": 0},
    )
    db["shift_types"].create_index(["code"], unique=True)
    # The default types, each with its (chained) audit row: the change history replays to
    # exactly the records a table holds. Written out here: a shipped step never changes.
    defaults = (
        ("早", "早班", "08:00", "16:00", 0, "#CFE8FF"),
        ("中", "中班", "16:00", "24:00", 0, "#FFE2B8"),
        ("夜", "夜班", "00:00", "08:00", 0, "#D9D2F0"),
        ("白", "白班", "08:30", "17:30", 60, "#D5F0D2"),
        ("网", "网格班", "08:00", "18:30", 0, "#C8EDE6"),
        ("节", "节假日班", "10:00", "16:30", 0, "#FAD4D8"),
        ("休", "休息", None, None, 0, "#EEEEEE"),
    )
    for order, (code, name, start, end, break_minutes, colour) in enumerate(defaults, start=1):
        record = {"code": code, "name": name, "start_time": start, "end_time": end,
                  "break_minutes": break_minutes, "colour": colour, "sort_order": order}
        type_id = db["shift_types"].insert(record).last_pk
        append_audit(db, SYSTEM_OPERATOR, "insert", "shift_types", type_id,
                     {k: [None, v] for k, v in record.items() if v is not None}, "预置班次")
    db["roster_shifts"].create(
        {
            "id": int,
            "worker_id": int,
            "date": str,  # the day the shift starts
            "seq": int,  # 1 or 2: a cell holds at most two shifts
            "shift_type_id": int,  # NULL for a time range that matches no type
            "start_time": str,  # the shift's own times, kept as planned
            "end_time": str,
            "break_minutes": int,
        },
        pk="id",
        foreign_keys=[("worker_id", "workers", "id"), ("shift_type_id", "shift_types", "id")],
        not_null={"worker_id", "date", "seq"},
        defaults={"break_minutes": 0},
    )
    db["roster_shifts"].create_index(["worker_id", "date", "seq"], unique=True)
    db["roster_shifts"].create_index(["date"])
    db["roster_shifts"].create_index(["shift_type_id"])
    db["duty_records"].create(
        {
            "id": int,
            "worker_id": int,
            "date": str,
            "record_type": str,  # leave | absent | extra
            "start_time": str,
            "end_time": str,  # at or before start = the next day
            "covered_by": int,  # 替班: the worker who served instead (leave/absent only)
            "note": str,
        },
        pk="id",
        foreign_keys=[("worker_id", "workers", "id"), ("covered_by", "workers", "id")],
        not_null={"worker_id", "date", "record_type", "start_time", "end_time"},
    )
    db["duty_records"].create_index(["date"])
    db["extra_requirements"].create(
        {
            "id": int,
            "post_id": int,
            "date": str,
            "mode": str,  # span | hours
            "start_time": str,  # span
            "end_time": str,
            "people": int,
            "minutes": int,  # hours: each person at least this long
            "note": str,
        },
        pk="id",
        foreign_keys=[("post_id", "posts", "id")],
        not_null={"post_id", "date", "mode", "people"},
    )
    db["extra_requirements"].create_index(["date"])


@migrations()
def create_assessment_tables(db: Database) -> None:
    """Issue #11: monthly service assessment (四.4), the district ranking register (七.1),
    cure notices (六.1), scanned signed sheets and the register of printed sheet codes.
    Points are integer tenths (a deduction of 0.5 is 5); JSON columns hold a template's
    criteria and grade bands, which never change once a month is scored with them."""
    db["assessment_templates"].create(
        {"id": int, "name": str, "post_code": str, "version": int, "created_at": str, "pass_mark": int,
         "bands": str, "criteria": str, "note": str},
        pk="id", not_null={"name", "post_code", "version", "pass_mark", "bands", "criteria"},
    )
    db["assessment_templates"].create_index(["post_code", "version"], unique=True)
    db["assessment_months"].create(
        {"id": int, "contract_id": int, "month": str, "status": str, "revision": int,
         "finalised_on": str, "signed_on": str, "reopen_reason": str},
        pk="id", foreign_keys=[("contract_id", "contracts", "id")],
        not_null={"contract_id", "month", "status", "revision"}, defaults={"status": "draft", "revision": 1},
    )
    db["assessment_months"].create_index(["contract_id", "month"], unique=True)
    db["assessment_scores"].create(
        {"id": int, "month_id": int, "worker_id": int, "post_id": int, "template_id": int, "comment": str},
        pk="id",
        foreign_keys=[("month_id", "assessment_months", "id"), ("worker_id", "workers", "id"),
                      ("post_id", "posts", "id"), ("template_id", "assessment_templates", "id")],
        not_null={"month_id", "worker_id", "post_id", "template_id"},
    )
    db["assessment_scores"].create_index(["month_id", "worker_id"], unique=True)
    db["assessment_deductions"].create(
        {"id": int, "score_id": int, "criterion": int, "points_tenths": int, "reason": str, "date": str,
         "decision": str, "suggested_tenths": int},
        pk="id", foreign_keys=[("score_id", "assessment_scores", "id")],
        not_null={"score_id", "criterion", "points_tenths", "reason", "date", "decision"},
    )
    db["assessment_deductions"].create_index(["score_id"])
    db["assessment_attachments"].create(
        {"id": int, "month_id": int, "sha256": str, "file_name": str, "suffix": str, "size": int,
         "added_on": str},
        pk="id", foreign_keys=[("month_id", "assessment_months", "id")],
        not_null={"month_id", "sha256", "file_name", "suffix", "size"},
    )
    db["assessment_sheet_codes"].create(
        {"code": str, "sheet_no": str, "month": str, "worker_id": int, "revision": int, "printed_at": str},
        pk="code", foreign_keys=[("worker_id", "workers", "id")],
        not_null={"sheet_no", "month", "worker_id", "revision"},
    )
    db["district_rankings"].create(
        {"id": int, "contract_id": int, "month": str, "rank": int, "streets": int, "score": str,
         "vendor_caused": str, "note": str},
        pk="id", foreign_keys=[("contract_id", "contracts", "id")],
        not_null={"contract_id", "month", "rank", "streets", "vendor_caused"},
    )
    db["district_rankings"].create_index(["contract_id", "month"], unique=True)
    db["cure_notices"].create(
        {"id": int, "contract_id": int, "letter_no": str, "issued_on": str, "failure": str, "deadline": str,
         "status": str, "cured_on": str, "note": str},
        pk="id", foreign_keys=[("contract_id", "contracts", "id")],
        not_null={"contract_id", "issued_on", "failure", "deadline", "status"},
    )



@migrations()
def create_replacement_demands(db: Database) -> None:
    """Issue #11: the office's demands to replace a worker after two consecutive failed months
    (四.4), one per pair of months, recorded when the 更换服务人员通知函 is printed: its 函号
    (from the office's own document system; '' when it is written on the paper by hand) and
    its date. A reprint uses them."""
    db["replacement_demands"].create(
        {"id": int, "contract_id": int, "worker_id": int, "first_month": str, "second_month": str,
         "letter_no": str, "issued_on": str},
        pk="id", foreign_keys=[("contract_id", "contracts", "id"), ("worker_id", "workers", "id")],
        not_null={"contract_id", "worker_id", "first_month", "second_month", "letter_no", "issued_on"},
        defaults={"letter_no": ""},
    )
    db["replacement_demands"].create_index(["contract_id", "worker_id", "second_month"], unique=True)


@migrations()
def add_worker_to_assessment_attachments(db: Database) -> None:
    """Issue #11: a scanned signed sheet says whose it is. The clerk scans each service
    worker's signed sheet (or the whole stack, or the summary, in one file): `worker_id`
    names the worker, NULL means the whole month (全月/汇总表) — which is what every scan
    added before this step was. Nothing is rewritten, so the change history stays as it was."""
    db["assessment_attachments"].add_column("worker_id", int, fk="workers", fk_col="id")
    db["assessment_attachments"].create_index(["month_id", "worker_id"])


@migrations()
def keep_names_on_fixed_sheets(db: Database) -> None:
    """Issue #11: a finalised sheet keeps the worker's name it was printed with. The name was
    read from the staff record, so correcting a typo in it changed every signed sheet's
    verification code and `verify` called the paper altered. The name is written at 定稿
    and cleared when the month goes back to draft; months already finalised get the name
    they had when they were last finalised — read back from the change history (the first
    correction of the name after that moment holds it as its old value; without one, the
    name on file is it) — with their history rows."""
    import json

    db["assessment_scores"].add_column("worker_name", str)
    from app.store.store import SYSTEM_OPERATOR, append_audit

    def changes(table: str, record_id: object) -> list[tuple[int, dict[str, list[object]]]]:
        return [(row_id, json.loads(text or "{}")) for row_id, text in db.execute(
            "SELECT id, changes FROM audit_log WHERE table_name = ? AND record_id = ? ORDER BY id",
            [table, str(record_id)]).fetchall()]

    fixed = db.execute(
        "SELECT s.id, s.month_id, s.worker_id, w.name FROM assessment_scores s "
        "JOIN assessment_months m ON m.id = s.month_id JOIN workers w ON w.id = s.worker_id "
        "WHERE m.status != 'draft' ORDER BY s.id").fetchall()
    for score_id, month_id, worker_id, name in fixed:
        finalised = [row_id for row_id, change in changes("assessment_months", month_id)
                     if (change.get("status") or [None, None])[1] == "final"]
        if finalised:
            later = [change["name"][0] for row_id, change in changes("workers", worker_id)
                     if row_id > finalised[-1] and "name" in change]
            name = later[0] if later else name
        db.execute("UPDATE assessment_scores SET worker_name = ? WHERE id = ?", [name, score_id])
        append_audit(db, SYSTEM_OPERATOR, "update", "assessment_scores", score_id, {"worker_name": [None, name]},
                     "数据格式升级：已定稿的考核表保留打印时的姓名")


def known_names() -> list[str]:
    """Every step this build knows, in order (all of them are pending on an empty database)."""
    return [m.name for m in migrations.pending(database())]
