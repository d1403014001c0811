"""The independent store queries scripts name, on a tiny explicit bank (see conftest.bank)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.store.db import session_scope
from tools.converse.named_queries import QueryContext, resolve_date, run_query

TODAY = date(2026, 11, 18)  # Wednesday


@pytest.mark.parametrize(
    "expr,expected",
    [
        ("today", date(2026, 11, 18)),
        ("today+9", date(2026, 11, 27)),
        ("week_start", date(2026, 11, 16)),
        ("week_end", date(2026, 11, 22)),
        ("next_week_start", date(2026, 11, 23)),
        ("next_week_end-1", date(2026, 11, 28)),
        ("month_end", date(2026, 11, 30)),
        ("next_month_end", date(2026, 12, 31)),
        ("2027-01-05", date(2027, 1, 5)),
    ],
)
def test_date_expressions_resolve_against_the_scripts_today(expr, expected):
    assert resolve_date(expr, TODAY) == expected


def query(bank, name, staff="rm01", **params):
    with session_scope(bank) as s:
        return run_query(s, QueryContext(TODAY, staff), name, params)


def test_maturing_between_stays_in_the_rms_book(bank):
    assert query(bank, "maturing_between", start="week_start", end="week_end") == ["王秀英"]
    assert query(bank, "maturing_between", staff="rm02", start="week_start", end="week_end") == ["李娜"]


def test_maturing_between_for_a_branch_head_covers_the_branch_in_maturity_order(bank):
    assert query(bank, "maturing_between", staff="bh01", start="today", end="month_end") == ["李娜", "王秀英", "陈建国"]


def test_maturing_between_filters_type_and_amount_and_pages(bank):
    assert query(bank, "maturing_between", start="today", end="month_end", product_type="cd") == ["陈建国"]
    assert query(bank, "maturing_between", start="today", end="month_end", min_yuan=1_000_000) == ["陈建国"]
    assert query(bank, "maturing_between", start="today", end="month_end", offset=1, limit=1) == ["陈建国"]


def test_book_is_everyone_the_staff_member_may_see(bank):
    assert sorted(query(bank, "book")) == sorted(["王秀英", "陈建国", "张伟"])
    assert sorted(query(bank, "book", staff="bh01")) == sorted(["王秀英", "陈建国", "张伟", "李娜"])


def test_branch_rms_names_the_relationship_managers_only(bank):
    assert query(bank, "branch_rms", staff="bh01") == ["王丽", "李强"]


def test_near_upgrade_finds_clients_just_under_a_tier_floor(bank):
    # Floors from bot/tiers.yml (金卡 20万, 贵宾 50万, 钻石 200万, 私行 600万): 王秀英 80万, 陈建国 300万 and
    # 张伟 10万 are none of them within 10% of the next floor; rm02's 李娜 has 60万.
    assert query(bank, "near_upgrade") == []
    # Within 90%: 王秀英 (80万 of 200万), 陈建国 (300万 of 600万), 张伟 (10万 of 20万).
    assert query(bank, "near_upgrade", within_pct=90) == ["王秀英", "陈建国", "张伟"]


def test_unknown_staff_member_is_a_lookup_error(bank):
    with pytest.raises(LookupError):
        query(bank, "book", staff="rm99")
