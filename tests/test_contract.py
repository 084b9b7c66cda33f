from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.contract import CoverMode, DayType, active_contract, load_seed_contract
from app.errors import ValidationError


def test_seed_contract_is_the_signed_one(store):
    c = active_contract(store)
    assert c.name == "2026 年龙潭街道接诉即办平台盯守服务合同"
    assert (c.start_date, c.end_date) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert c.total == Decimal("1297300.82")
    assert c.total_words == "人民币壹佰贰拾玖万柒仟叁佰元捌角贰分"
    assert c.client.name == "北京市东城区人民政府龙潭街道办事处"
    assert c.client.legal_representative == "张莉莉"
    assert c.client.phone == "87192148"
    assert c.vendor.legal_representative == "刘建军"
    assert c.vendor.address == "北京市朝阳区望京街 2 号楼 27 层 2702"
    assert c.payment_cycle == "quarterly" and c.payment_due_day == 10


def test_posts_of_clause_4_2(store):
    c = active_contract(store)
    assert [(p.name, p.headcount) for p in c.posts] == [
        ("接派单、退单、案件核实", 1),
        ("接诉即办案件回复意见审核", 2),
        ("接诉即办不计入考核工作", 2),
        ("城市管理网格平台盯守", 1),
        ("机动岗", 1),
    ]
    assert c.total_headcount == 7
    dispatch = c.post("dispatch")
    for day_type in DayType:
        rule = dispatch.rule_for(day_type)
        assert (rule.mode, rule.start_minute, rule.end_minute) == (CoverMode.SPAN, 0, 24 * 60)
    grid = c.post("grid_watch")
    assert grid.rule_for(DayType.WORKING).describe() == "08:00–18:30"
    assert grid.rule_for(DayType.NONWORKING).describe() == "10:00–16:30"
    assert grid.rule_for(DayType.WORKING).required_minutes == 630
    review = c.post("reply_review")
    assert review.rule_for(DayType.WORKING).required_minutes == 480
    assert review.rule_for(DayType.NONWORKING).mode is CoverMode.AS_NEEDED


def test_seed_file_and_database_agree(store):
    seeded = load_seed_contract()
    stored = active_contract(store)
    assert [p.rules for p in seeded.posts] == [p.rules for p in stored.posts]
    assert seeded.parties == stored.parties


def test_dates_outside_the_period_are_refused(store):
    c = active_contract(store)
    c.check_in_period(dt.date(2026, 6, 1))
    with pytest.raises(ValidationError, match="不在合同服务期限内"):
        c.check_in_period(dt.date(2027, 1, 1), "到岗日期", field="start")


def test_progress():
    c = load_seed_contract()
    assert c.progress(dt.date(2026, 11, 25)).elapsed_days == 329
    assert c.progress(dt.date(2026, 11, 25)).remaining_days == 36
    assert c.progress(dt.date(2025, 12, 1)).elapsed_days == 0
    assert c.progress(dt.date(2027, 3, 1)).remaining_days == 0


def test_seed_with_wrong_capital_words_is_refused(tmp_path):
    from app.errors import UserError
    from app.paths import data_path

    text = data_path("contract-2026.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("捌角贰分", "捌角叁分"), encoding="utf-8")
    with pytest.raises(UserError, match="大写金额"):
        load_seed_contract(bad)
