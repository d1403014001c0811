from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.store.segments import SEGMENT_KINDS, segment, segment_all
from tests.playbook.rows import TODAY, WAN, Bank, pg_schema_engine, sqlite_session


@pytest.fixture
def bank(tmp_path):
    session = sqlite_session(tmp_path)
    yield Bank(session)
    session.close()


@pytest.fixture
def book(bank):
    """Two RMs in one branch, a third in another branch."""
    west = bank.branch("西湖支行")
    east = bank.branch("城东支行")
    return {
        "branch": west,
        "rm1": bank.staff("rm1", west),
        "rm2": bank.staff("rm2", west),
        "rm3": bank.staff("rm3", east),
    }


def names(members):
    return [m.name for m in members]


def test_near_upgrade_finds_clients_within_ten_percent_under_a_threshold(bank, book):
    rm1 = book["rm1"]
    bank.customer(rm1, name="差两万", aum_fen=48 * WAN)  # 48万 < 50万 by 4%
    bank.customer(rm1, name="差一万", aum_fen=49 * WAN)
    bank.customer(rm1, name="差得远", aum_fen=40 * WAN)
    bank.customer(rm1, name="刚过线", aum_fen=50 * WAN)
    bank.customer(rm1, name="金卡临界", aum_fen=19 * WAN)
    assert names(segment(bank.s, "rm1", None, "near_upgrade", TODAY)) == ["差一万", "金卡临界", "差两万"]


def test_rm_never_sees_other_rms_clients(bank, book):
    bank.customer(book["rm1"], name="我的", aum_fen=48 * WAN)
    bank.customer(book["rm2"], name="同事的", aum_fen=48 * WAN)
    bank.customer(book["rm3"], name="别的网点", aum_fen=48 * WAN)
    assert names(segment(bank.s, "rm1", None, "near_upgrade", TODAY)) == ["我的"]


def test_branch_head_sees_the_branch_but_not_other_branches(bank, book):
    bank.customer(book["rm1"], name="甲", aum_fen=48 * WAN)
    bank.customer(book["rm2"], name="乙", aum_fen=49 * WAN)
    bank.customer(book["rm3"], name="丙", aum_fen=49 * WAN)
    assert names(segment(bank.s, None, book["branch"].id, "near_upgrade", TODAY)) == ["乙", "甲"]


def test_a_branch_given_with_an_rm_only_narrows(bank, book):
    bank.customer(book["rm3"], name="丙", aum_fen=49 * WAN)
    assert segment(bank.s, "rm3", book["branch"].id, "near_upgrade", TODAY) == []


def test_an_unscoped_segment_is_refused(bank, book):
    with pytest.raises(ValueError):
        segment(bank.s, None, None, "aged", TODAY)


def test_closed_accounts_are_left_out(bank, book):
    bank.customer(book["rm1"], name="已销户", aum_fen=48 * WAN, closed_on=TODAY - timedelta(days=3))
    assert segment(bank.s, "rm1", None, "near_upgrade", TODAY) == []


def test_fund_loss_over_a_threshold_worst_first(bank, book):
    rm1 = book["rm1"]
    fund = bank.product("fund", "成长混合")
    for name, value in (("亏5", 95), ("亏12", 88), ("亏30", 70)):
        bank.holding(bank.customer(rm1, name=name), fund, 100 * 100_00, current_value_fen=value * 100_00)
    assert names(segment(bank.s, "rm1", None, "fund_loss", TODAY)) == ["亏30", "亏12"]
    assert names(segment(bank.s, "rm1", None, "fund_loss", TODAY, min_loss_pct=3)) == ["亏30", "亏12", "亏5"]


def test_aged_is_sixty_and_over_by_default_oldest_first(bank, book):
    rm1 = book["rm1"]
    bank.customer(rm1, name="明天六十", birth_date=date(1964, 11, 28))
    bank.customer(rm1, name="今天六十", birth_date=date(1964, 11, 27))
    bank.customer(rm1, name="七十", birth_date=date(1954, 1, 1))
    assert names(segment(bank.s, "rm1", None, "aged", TODAY)) == ["七十", "今天六十"]
    assert names(segment(bank.s, "rm1", None, "aged", TODAY, min_age=65)) == ["七十"]


def test_no_contact_by_default_means_overdue_for_the_tier(bank, book):
    rm1 = book["rm1"]
    vip = bank.customer(rm1, name="贵宾逾期", aum_fen=60 * WAN)  # every 14 days
    bank.contact(vip, rm1, TODAY - timedelta(days=15))
    gold = bank.customer(rm1, name="金卡未到期", aum_fen=30 * WAN)  # every 30 days
    bank.contact(gold, rm1, TODAY - timedelta(days=15))
    bank.customer(rm1, name="金卡从未联系", aum_fen=30 * WAN)
    bank.customer(rm1, name="小客户", aum_fen=3 * WAN)  # no schedule
    assert names(segment(bank.s, "rm1", None, "no_contact", TODAY)) == ["贵宾逾期", "金卡从未联系"]


def test_no_contact_for_n_days(bank, book):
    rm1 = book["rm1"]
    recent = bank.customer(rm1, name="十天前", aum_fen=30 * WAN)
    bank.contact(recent, rm1, TODAY - timedelta(days=10))
    old = bank.customer(rm1, name="四十天前", aum_fen=3 * WAN)
    bank.contact(old, rm1, TODAY - timedelta(days=40))
    assert names(segment(bank.s, "rm1", None, "no_contact", TODAY, days=30)) == ["四十天前"]


def test_demand_only_needs_no_active_holding_and_five_wan(bank, book):
    rm1 = book["rm1"]
    bank.customer(rm1, name="只有活期", aum_fen=8 * WAN, demand_deposit_fen=8 * WAN)
    bank.customer(rm1, name="太少", aum_fen=4 * WAN, demand_deposit_fen=4 * WAN)
    investor = bank.customer(rm1, name="有理财", aum_fen=30 * WAN, demand_deposit_fen=10 * WAN)
    bank.holding(investor, bank.product("wealth"), 20 * WAN, maturity_date=TODAY + timedelta(days=90))
    redeemed = bank.customer(rm1, name="理财已赎回", aum_fen=12 * WAN, demand_deposit_fen=12 * WAN)
    bank.holding(redeemed, bank.product("wealth"), 20 * WAN, status="redeemed")
    assert names(segment(bank.s, "rm1", None, "demand_only", TODAY)) == ["理财已赎回", "只有活期"]


def test_low_yield_insurance(bank, book):
    rm1 = book["rm1"]
    policy = bank.product("insurance", "鑫享年金", expected_yield_bp=300)  # stated 3% a year
    six_years = TODAY - timedelta(days=6 * 365)
    bank.holding(bank.customer(rm1, name="收益低"), policy, 10 * WAN, buy_date=six_years)
    bank.holding(
        bank.customer(rm1, name="收益好"), policy, 10 * WAN, current_value_fen=11 * WAN + 6 * WAN // 10,
        buy_date=six_years,
    )  # fmt: skip
    bank.holding(
        bank.customer(rm1, name="保单还新"), policy, 10 * WAN, buy_date=TODAY - timedelta(days=400)
    )  # young: never flagged by its realised return
    assert names(segment(bank.s, "rm1", None, "low_yield_insurance", TODAY)) == ["收益低"]


def test_with_children(bank, book):
    rm1 = book["rm1"]
    bank.customer(rm1, name="有孩子", has_children=True)
    bank.customer(rm1, name="没孩子", has_children=False)
    assert names(segment(bank.s, "rm1", None, "with_children", TODAY)) == ["有孩子"]


def test_unknown_kind_and_unknown_parameter_are_rejected(bank, book):
    with pytest.raises(ValueError):
        segment(bank.s, "rm1", None, "rich", TODAY)
    with pytest.raises(TypeError):
        segment(bank.s, "rm1", None, "aged", TODAY, min_loss_pct=5)


def test_every_kind_runs_on_an_empty_book(bank, book):
    for kind in SEGMENT_KINDS:
        assert segment(bank.s, "rm2", None, kind, TODAY) == []


def test_every_kind_runs_on_postgresql():
    with pg_schema_engine() as engine, Session(engine, future=True) as s:
        bank = Bank(s)
        rm = bank.staff("rm1", bank.branch())
        near = bank.customer(rm, name="临界", aum_fen=48 * WAN, has_children=True, birth_date=date(1950, 1, 1))
        bank.holding(near, bank.product("fund"), 10 * WAN, current_value_fen=8 * WAN)
        policy = bank.product("insurance", expected_yield_bp=300)
        bank.holding(near, policy, 10 * WAN, buy_date=TODAY - timedelta(days=6 * 365))
        bank.customer(rm, name="活期", aum_fen=8 * WAN, demand_deposit_fen=8 * WAN)
        expected = {
            "near_upgrade": ["临界"],
            "fund_loss": ["临界"],
            "aged": ["临界"],
            "no_contact": ["临界", "活期"],
            "demand_only": ["活期"],
            "low_yield_insurance": ["临界"],
            "with_children": ["临界"],
            "min_aum": ["临界", "活期"],
            "min_demand": ["活期", "临界"],
            "no_holdings": ["活期"],
        }
        assert {kind: names(segment(s, "rm1", None, kind, TODAY)) for kind in SEGMENT_KINDS} == expected


def test_filters_combine_in_one_query_ordered_by_the_first(bank, book):
    rm1 = book["rm1"]
    bank.customer(rm1, name="老而富", aum_fen=120 * WAN, birth_date=date(1950, 1, 1))
    bank.customer(rm1, name="老而不富", aum_fen=30 * WAN, birth_date=date(1945, 1, 1))
    bank.customer(rm1, name="富而不老", aum_fen=200 * WAN, birth_date=date(1990, 1, 1))
    bank.customer(rm1, name="更老更富", aum_fen=90 * WAN, birth_date=date(1940, 1, 1))
    bank.customer(book["rm2"], name="同事的", aum_fen=120 * WAN, birth_date=date(1950, 1, 1))
    filters = [("aged", {"min_age": 65}), ("min_aum", {"min_aum_fen": 80 * WAN})]
    assert names(segment_all(bank.s, "rm1", None, filters, TODAY)) == ["更老更富", "老而富"]
    assert names(segment_all(bank.s, None, book["branch"].id, filters, TODAY)) == ["更老更富", "老而富", "同事的"]


def test_demand_above_a_floor_without_any_product(bank, book):
    rm1 = book["rm1"]
    bank.customer(rm1, name="活期多", aum_fen=30 * WAN, demand_deposit_fen=30 * WAN)
    bank.customer(rm1, name="活期少", aum_fen=10 * WAN, demand_deposit_fen=10 * WAN)
    has_fund = bank.customer(rm1, name="有基金", aum_fen=60 * WAN, demand_deposit_fen=40 * WAN)
    bank.holding(has_fund, bank.product("fund"), 20 * WAN)
    filters = [("min_demand", {"min_demand_fen": 20 * WAN}), ("no_holdings", {})]
    assert names(segment_all(bank.s, "rm1", None, filters, TODAY)) == ["活期多"]


def test_every_filter_of_a_conjunction_is_checked(bank, book):
    with pytest.raises(ValueError):
        segment_all(bank.s, "rm1", None, [("aged", {}), ("rich", {})], TODAY)
    with pytest.raises(ValueError):
        segment_all(bank.s, None, None, [("aged", {})], TODAY)
