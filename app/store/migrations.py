"""Schema steps, applied forward on open (after a backup copy of the file).

A step that has shipped is never edited: a change is a new step appended at the end.
Each step is a function named for what it does; sqlite-utils records it in
`_sqlite_migrations` in the same transaction as the change.
"""
from __future__ import annotations

import sqlite_utils
from sqlite_utils import Database

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


def known_names() -> list[str]:
    """Every step this build knows, in order (all of them are pending on an empty database)."""
    return [m.name for m in migrations.pending(Database(memory=True))]
