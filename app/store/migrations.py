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


def known_names() -> list[str]:
    """Every step this build knows, in order (all of them are pending on an empty database)."""
    return [m.name for m in migrations.pending(Database(memory=True))]
