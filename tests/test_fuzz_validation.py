"""Bad input everywhere: every validation in app/ meets random strings, huge numbers,
control characters and emoji, and either accepts the input or refuses it with a
Chinese message (a UserError). Any other exception is a bug.

To cover a new form, add one (name, callable) pair to VALIDATIONS: the callable takes
the store and one random text and does what the form's OK button does with it.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import audit
from app.contract import active_contract, parse_clock
from app import staff
from app.errors import UserError
from app.idcard import parse_id_number
from app.replacements import add_account
from app.money import parse_amount
from app.store import Store, open_memory_store
from app.store import backup
from app.store.location import location_warning
from app.store.restore import describe_backup
from app.validation import check_text
from app.workcalendar import DayKind, set_override

CJK = re.compile(r"[\u4e00-\u9fff]")


def _override(store: Store, text: str) -> Any:
    kind = DayKind.parse(text) if text in {k.value for k in DayKind} else DayKind.HOLIDAY
    return set_override(store, dt.date(2026, 5, 1), kind, name=text, note=text)


def _override_kind(store: Store, text: str) -> Any:
    return DayKind.parse(text)


def _date_in_period(store: Store, text: str) -> Any:
    """The contract's date check, with a date built from the text (as a date field would)."""
    digits = int.from_bytes(text.encode()[:8] or b"\0", "big")
    date = dt.date.fromordinal(1 + digits % dt.date.max.toordinal())
    return active_contract(store).check_in_period(date, "服务日期")


def _audit_filter(store: Store, text: str) -> Any:
    return audit.list_changes(store, audit.AuditFilter(text=text, operator=text or None), limit=5)


def _worker_form(store: Store, text: str) -> Any:
    """Every field of the 服务人员 form typed with the same text (as a careless paste would)."""
    return staff.validate_worker(store, dict.fromkeys(staff.FORM_FIELDS, text))


def _worker_name(store: Store, text: str) -> Any:
    """A valid form but for the name: what 保存 does, without writing."""
    return staff.validate_worker(store, {
        "name": text, "gender": "女", "id_number": "110101199001010023", "phone": "13900001234",
        "post": "机动岗", "start_date": "2026-03-01", "hours_scheme": "standard"})


def _account(store: Store, text: str) -> Any:
    if not staff.list_workers(store):
        staff.add_worker(store, {"name": "测试", "gender": "女", "id_number": "110101199001010023",
                                 "phone": "13900001234", "post": "机动岗", "start_date": "2026-03-01",
                                 "hours_scheme": "standard"})
    worker_id = staff.list_workers(store)[0].id
    return add_account(store, worker_id, {"platform": text, "account_name": text, "granted_on": "2026-03-02"})


VALIDATIONS: list[tuple[str, Callable[[Store, str], Any]]] = [
    ("身份证号 parse_id_number", lambda store, text: parse_id_number(text)),
    ("手机号 staff.clean_mobile", lambda store, text: staff.clean_mobile(text)),
    ("服务人员表单（每栏同一内容）", _worker_form),
    ("服务人员姓名", _worker_name),
    ("系统账号登记 add_account", _account),
    ("金额 money.parse_amount", lambda store, text: parse_amount(text)),
    ("金额（可为负）", lambda store, text: parse_amount(text, allow_negative=True)),
    ("时间 contract.parse_clock", lambda store, text: parse_clock(text)),
    ("工作日历调整 set_override", _override),
    ("日期类型 DayKind.parse", _override_kind),
    ("合同期限 check_in_period", _date_in_period),
    ("经办人 set_operator", lambda store, text: store.set_operator(text)),
    ("备份位置 backup.check_target", lambda store, text: backup.check_target(text)),
    ("恢复文件 describe_backup", lambda store, text: describe_backup(Path(text))),
    ("修改记录筛选 audit.list_changes", _audit_filter),
    ("文字 validation.check_text", lambda store, text: check_text(text, "备注", 500, multiline=True)),
    ("数据文件位置 location_warning", lambda store, text: location_warning(text, mounts="")),
]

NASTY = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=500),
    st.text(alphabet=st.sampled_from("0123456789.,-+eE ¥￥元人民币，。 \u3000")),
    st.integers().map(str),
    st.integers(min_value=10**20, max_value=10**400).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " ", "\x00", "\x1b[31m", "\u202e", "😀" * 300, "１２３．４５", "NaN", "-0",
                     "1e9999", "9" * 5000, "08:00", "24:00", "24:01", "holiday", "调休上班日",
                     "../../../etc/passwd", "\\\\server\\share", "CON", "C:\\", "/"]),
    st.text(alphabet=st.characters(categories=["Cc", "So", "Zs", "Mn"]), max_size=50),
)


@pytest.fixture(scope="module")
def fuzz_store():
    store = open_memory_store()
    yield store
    store.close()


@pytest.mark.parametrize("name, validate", VALIDATIONS, ids=[n for n, _ in VALIDATIONS])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=NASTY)
def test_accepted_or_refused_with_a_message_never_an_exception(fuzz_store, name, validate, text):
    try:
        validate(fuzz_store, text)
    except UserError as err:
        message = str(err)
        assert message and CJK.search(message), f"{name}: refusal without a Chinese message: {message!r}"
    assert not fuzz_store.db.conn.in_transaction  # a refused write left no transaction open


def test_refusals_say_what_is_wrong(store):
    with pytest.raises(UserError, match="控制字符"):
        store.set_operator("王\x1b经办")
    with pytest.raises(UserError, match="太长"):
        store.set_operator("王" * 21)
    with pytest.raises(UserError, match="不是日期类型"):
        DayKind.parse("节日")
    with pytest.raises(UserError, match="不存在"):
        backup.check_target("/no/such/usb")
    store.set_operator("王经办😀")  # emoji are text like any other
    assert store.operator == "王经办😀"
