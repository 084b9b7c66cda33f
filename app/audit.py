"""The change history: who changed what, when — for the clerk and for an auditor.

Reads the append-only `audit_log` (written only by `Store.action`); nothing here
writes to it except the note that an export was made.
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from app.errors import UserError
from app.idcard import mask_id_number, mask_phone
from app.labels import ACTION_LABELS, HIDDEN_FIELDS, TABLE_LABELS, VALUE_LABELS, field_label, value_label
from app.store import Store

# A post's code is the program's handle for it; the clerk knows the post by its name.
HIDDEN_BY_TABLE = {"posts": {"code"}}
# Fields holding the id of another record: the history names that record instead.
REFERENCES = {"post_id": "posts", "worker_id": "workers", "leaving_worker_id": "workers",
              "incoming_worker_id": "workers", "covered_by": "workers", "shift_type_id": "shift_types"}
# Personal numbers stay masked in the history and its export, as on every other screen.
PERSONAL_FIELDS: dict[str, dict[str, Callable[[str], str]]] = {
    "workers": {"id_number": mask_id_number, "phone": mask_phone, "emergency_phone": mask_phone},
}
# A record's history includes its parts: a post's history shows its cover rules too.
CHILDREN = {
    "contracts": [("parties", "contract_id"), ("posts", "contract_id")],
    "posts": [("post_rules", "post_id")],
    "workers": [("system_accounts", "worker_id"), ("worker_posts", "worker_id")],
}
MAX_TEXT = 200  # a filter longer than this is not something a person typed


def table_label(table: str) -> str:
    return TABLE_LABELS.get(table, table)


def _show(value: Any, name: str = "") -> str:
    if value is None or value == "":
        return "（空）"
    return value_label(name, value)


@dataclass(frozen=True)
class Vocabulary:
    """What the history needs from the data to speak the clerk's words: the names of the
    records that changes refer to by id, and each table's columns in form order."""
    names: dict[str, dict[str, str]]
    columns: dict[str, list[str]]

    @classmethod
    def read(cls, store: Store) -> "Vocabulary":
        names = {
            table: {str(row[0]): row[1] for row in store.db.execute(f"SELECT id, name FROM [{table}]")}
            for table in set(REFERENCES.values()) | {"contracts"} if store.db[table].exists()
        }
        columns = {table.name: [c.name for c in table.columns] for table in store.db.tables}
        return cls(names, columns)

    def name_of(self, table: str, value: Any) -> str:
        return self.names.get(table, {}).get(str(value), f"#{value}")


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    operator: str
    action: str
    table_name: str
    record_id: str
    changes: dict[str, Any]
    summary: str
    vocabulary: Vocabulary | None = field(default=None, compare=False, repr=False)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def table_label(self) -> str:
        return table_label(self.table_name)

    @property
    def record_label(self) -> str:
        """Which record, in words: a worker or post by name, a setting by what it is."""
        if self.record_id in ("", "*"):
            return "全部" if self.record_id == "*" else ""
        if self.table_name == "settings":
            return VALUE_LABELS["key"].get(self.record_id, self.record_id)
        names = self.vocabulary.names.get(self.table_name, {}) if self.vocabulary else {}
        return names.get(self.record_id) or f"第 {self.record_id} 条"

    def _ordered_changes(self) -> list[tuple[str, Any]]:
        order = self.vocabulary.columns.get(self.table_name, []) if self.vocabulary else []
        rank = {name: i for i, name in enumerate(order)}
        hidden = HIDDEN_FIELDS | HIDDEN_BY_TABLE.get(self.table_name, set())
        return sorted(((k, v) for k, v in self.changes.items() if k not in hidden),
                      key=lambda item: (rank.get(item[0], len(rank)), item[0]))

    def describe_changes(self) -> str:
        parts = []
        masks = PERSONAL_FIELDS.get(self.table_name, {})
        for name, value in self._ordered_changes():
            label = field_label(self.table_name, name)
            if self.table_name == "settings" and name == "value":  # 经办人：王经办, not 值：王经办
                label = VALUE_LABELS["key"].get(self.record_id, label)
            if name in masks and isinstance(value, list):
                value = [masks[name](v) if isinstance(v, str) else v for v in value]
            if name in REFERENCES and self.vocabulary and isinstance(value, list):
                value = [None if v is None else self.vocabulary.name_of(REFERENCES[name], v) for v in value]
            if isinstance(value, list) and len(value) == 2:
                old, new = value
                if self.action == "insert":
                    if new not in (None, ""):  # a new record's empty fields say nothing
                        parts.append(f"{label}：{_show(new, name)}")
                elif self.action == "delete":
                    parts.append(f"{label}：{_show(old, name)}")
                else:
                    parts.append(f"{label}：{_show(old, name)} → {_show(new, name)}")
            else:
                parts.append(f"{label}：{_show(value)}")
        return "；".join(parts)


@dataclass(frozen=True)
class AuditFilter:
    """Empty fields do not filter. Dates are inclusive."""
    table: str | None = None
    record_id: str | None = None
    operator: str | None = None
    action: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    text: str = ""

    def validate(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise UserError("开始日期不能晚于结束日期。")
        if len(self.text) > MAX_TEXT:
            raise UserError(f"搜索内容太长（最多 {MAX_TEXT} 个字）。")
        if "\x00" in self.text:
            raise UserError("搜索内容包含无法识别的控制字符。")


def _entry(row: dict[str, Any], vocabulary: Vocabulary | None = None) -> AuditEntry:
    try:
        changes = json.loads(row["changes"] or "{}")
    except ValueError:
        changes = {"?": row["changes"]}
    return AuditEntry(row["id"], row["at"], row["operator"], row["action"], row["table_name"],
                      row["record_id"], changes if isinstance(changes, dict) else {"?": changes},
                      row["summary"] or "", vocabulary)


def list_changes(store: Store, filt: AuditFilter = AuditFilter(), limit: int | None = None) -> list[AuditEntry]:
    """Matching audit rows, newest first."""
    filt.validate()
    where, params = [], []
    for column, value in (("table_name", filt.table), ("record_id", filt.record_id),
                          ("operator", filt.operator), ("action", filt.action)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if filt.since:
        where.append("at >= ?")
        params.append(filt.since.isoformat())
    if filt.until:
        where.append("at < ?")
        params.append((filt.until + dt.timedelta(days=1)).isoformat())
    if filt.text.strip():
        where.append("(summary LIKE ? ESCAPE '\\' OR changes LIKE ? ESCAPE '\\' OR operator LIKE ? ESCAPE '\\')")
        needle = "%" + filt.text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [needle, needle, needle]
    sql = "SELECT * FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC"
    text = filt.text.strip()
    if limit and not text:
        sql += f" LIMIT {int(limit)}"
    vocabulary = Vocabulary.read(store)
    entries = (_entry(row, vocabulary) for row in store.db.query(sql, params))
    if text:
        # SQL narrowed the rows on the raw JSON; what counts is the text the clerk can see,
        # with personal numbers masked — else the filter would confirm a guessed ID number.
        entries = (e for e in entries if text in e.summary or text in e.operator or text in e.describe_changes())
    return list(itertools.islice(entries, limit)) if limit else list(entries)


def history_tables(table: str) -> set[str]:
    """The record's table and those of its parts, whose changes belong to its history."""
    tables = {table}
    for child, _ in CHILDREN.get(table, []):
        tables |= history_tables(child)
    return tables


def _children(store: Store, table: str, record_id: str) -> list[tuple[str, str]]:
    """(table, id) of every part ever created under the record (deleted ones too)."""
    found = []
    for child, column in CHILDREN.get(table, []):
        for (child_id,) in store.db.execute(
            "SELECT record_id FROM audit_log WHERE table_name = ? AND action = 'insert' "
            "AND CAST(json_extract(changes, ?) AS TEXT) = ?",
            [child, f"$.{column}[1]", record_id],
        ):
            found.append((child, child_id))
            found += _children(store, child, child_id)
    return found


def record_history(store: Store, table: str, record_id: Any) -> list[AuditEntry]:
    """Every change of one record and of its parts, oldest first (as a history is read)."""
    keys = [(table, str(record_id))] + _children(store, table, str(record_id))
    vocabulary = Vocabulary.read(store)
    entries: list[AuditEntry] = []
    for start in range(0, len(keys), 400):  # SQLite's limit on bound parameters
        chunk = keys[start:start + 400]
        where = " OR ".join("(table_name = ? AND record_id = ?)" for _ in chunk)
        params = [v for key in chunk for v in key]
        entries += [_entry(row, vocabulary)
                    for row in store.db.query(f"SELECT * FROM audit_log WHERE {where}", params)]
    return sorted(entries, key=lambda e: e.id)


def operators(store: Store) -> list[str]:
    return [r[0] for r in store.db.execute("SELECT DISTINCT operator FROM audit_log ORDER BY operator")]


def tables(store: Store) -> list[str]:
    return [r[0] for r in store.db.execute("SELECT DISTINCT table_name FROM audit_log ORDER BY table_name")]


EXPORT_HEADERS = ["序号", "时间", "经办人", "操作", "对象", "记录", "事由", "修改内容"]


def write_xlsx(entries: list[AuditEntry], path: Path) -> int:
    """Write changes to an Excel file, oldest first. Touches no database, so the window
    runs it on a worker thread. Returns the number of rows written."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from app.reports.workbook import append_row

    entries = sorted(entries, key=lambda e: e.id)
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = "修改记录"
    ws.append(EXPORT_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for e in entries:  # operator, summary and changes carry what was typed: never a formula
        append_row(ws, [e.id, e.at, e.operator, e.action_label, e.table_label, e.record_label, e.summary,
                        e.describe_changes()])
    for column, width in zip("ABCDEFGH", (8, 20, 12, 12, 16, 12, 30, 80)):
        ws.column_dimensions[column].width = width
    for row in ws.iter_rows(min_row=2, min_col=8, max_col=8):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    path = Path(path)
    try:
        wb.save(path)
    except OSError as err:
        raise UserError(f"无法保存 {path}：{err.strerror or err}。") from err
    return len(entries)


def note_export(store: Store, path: Path, count: int) -> None:
    """The export is itself part of the history (who gave the auditor what, when)."""
    store.note("export", "audit_log", "", f"导出修改记录到 Excel（{count} 条）", {"file": Path(path).name})


def export_xlsx(store: Store, path: Path, filt: AuditFilter = AuditFilter(),
                entries: list[AuditEntry] | None = None) -> int:
    """Write the matching changes (or the given `entries`, e.g. one record's history) to an
    Excel file for an auditor and record the export. Returns the number of rows written."""
    if entries is None:
        entries = list_changes(store, filt)
    count = write_xlsx(entries, path)
    note_export(store, path, count)
    return count


def value_before(store: Store, table: str, record_id: int, field: str, new: Any) -> Any:
    """The value `field` had before the latest audited change that set it to `new`."""
    for row in store.db.execute("SELECT changes FROM audit_log WHERE table_name = ? AND record_id = ? "
                                "AND action = 'update' ORDER BY id DESC", [table, str(record_id)]):
        change = json.loads(row[0] or "{}").get(field)
        if isinstance(change, list) and len(change) == 2 and change[1] == new:
            return change[0]
    return None
