from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.risk_bands import HIGH_RISK_SCORE
from bot.store.branch_overview import branch_overview
from bot.store.models import Branch
from bot.store.scope import require, scope_of
from bot.store.staff_directory import staff_by_id
from tests.playbook.rows import TODAY, WAN, Bank, pg_schema_engine, sqlite_session


@pytest.fixture
def bank(tmp_path):
    session = sqlite_session(tmp_path)
    yield Bank(session)
    session.close()


@pytest.fixture
def staff(bank):
    west = bank.branch("西湖支行")
    east = bank.branch("城东支行")
    return {
        "head": bank.staff("head", west, role="branch_head", name="周行长"),
        "rm1": bank.staff("rm1", west, name="李娜"),
        "rm2": bank.staff("rm2", west, name="王强"),
        "rm3": bank.staff("rm3", east, name="赵敏"),
    }


@pytest.fixture
def branch(bank, staff):
    return bank.s.get(Branch, staff["head"].branch_id)


def by_rm(overview):
    return {r.rm_id: r for r in overview.rms}


def test_high_risk_counts_use_each_clients_latest_score(bank, branch, staff):
    rm1 = staff["rm1"]
    risky = bank.customer(rm1)
    bank.score(risky, TODAY - timedelta(days=7), HIGH_RISK_SCORE - 0.1)
    bank.score(risky, TODAY - timedelta(days=1), HIGH_RISK_SCORE + 0.2)
    recovered = bank.customer(rm1)
    bank.score(recovered, TODAY - timedelta(days=7), HIGH_RISK_SCORE + 0.3)
    bank.score(recovered, TODAY - timedelta(days=1), HIGH_RISK_SCORE - 0.01)
    edge = bank.customer(rm1)
    bank.score(edge, TODAY - timedelta(days=1), HIGH_RISK_SCORE)
    overview = branch_overview(bank.s, branch.id, TODAY)
    assert by_rm(overview)["rm1"].high_risk == 2
    assert overview.high_risk_threshold == HIGH_RISK_SCORE


def test_maturing_this_week_runs_to_sunday_and_this_month_to_month_end(bank, branch, staff):
    rm2 = staff["rm2"]
    c = bank.customer(rm2)
    wealth = bank.product("wealth")
    bank.holding(c, wealth, 10 * WAN, maturity_date=TODAY)  # Wednesday
    bank.holding(c, wealth, 20 * WAN, maturity_date=date(2024, 12, 1))  # Sunday
    bank.holding(c, wealth, 40 * WAN, maturity_date=date(2024, 11, 30))  # Saturday
    bank.holding(c, wealth, 80 * WAN, maturity_date=date(2024, 12, 2))  # next Monday
    bank.holding(c, wealth, 160 * WAN, maturity_date=TODAY - timedelta(days=1))
    row = by_rm(branch_overview(bank.s, branch.id, TODAY))["rm2"]
    assert (row.maturing_week_fen, row.maturing_week_count) == (70 * WAN, 3)
    assert (row.maturing_month_fen, row.maturing_month_count) == (50 * WAN, 2)


def test_large_outflows_follow_the_per_day_rule_for_clients_of_50_wan_and_more(bank, branch, staff):
    """The ±20万 rule (seed 002): 20万 out on one day, for clients of 50万+; the same rule as the plan."""
    rm1 = staff["rm1"]
    one_day = bank.customer(rm1, aum_fen=80 * WAN)
    bank.txn(one_day, TODAY - timedelta(days=3), 15 * WAN)
    bank.txn(one_day, TODAY - timedelta(days=3), 6 * WAN, other_bank=True)  # 21万 on that day
    spread = bank.customer(rm1, aum_fen=80 * WAN)
    bank.txn(spread, TODAY - timedelta(days=3), 15 * WAN)
    bank.txn(spread, TODAY - timedelta(days=20), 6 * WAN)  # 21万 in 30 days, never 20万 in a day
    small_client = bank.customer(rm1, aum_fen=30 * WAN)
    bank.txn(small_client, TODAY - timedelta(days=2), 25 * WAN)  # under 50万 of assets: not this rule
    old = bank.customer(rm1, aum_fen=80 * WAN)
    bank.txn(old, TODAY - timedelta(days=40), 50 * WAN)
    row = by_rm(branch_overview(bank.s, branch.id, TODAY))["rm1"]
    assert (row.large_outflow_customers, row.large_outflow_fen) == (1, 21 * WAN)


def test_overdue_contacts_follow_the_tier_frequency(bank, branch, staff):
    rm1 = staff["rm1"]
    vip = bank.customer(rm1, aum_fen=60 * WAN)
    bank.contact(vip, rm1, TODAY - timedelta(days=20))  # every 14 days: overdue
    gold = bank.customer(rm1, aum_fen=30 * WAN)
    bank.contact(gold, rm1, TODAY - timedelta(days=20))  # every 30 days: fine
    bank.customer(rm1, aum_fen=30 * WAN)  # never contacted: overdue
    bank.customer(rm1, aum_fen=2 * WAN)  # no schedule
    row = by_rm(branch_overview(bank.s, branch.id, TODAY))["rm1"]
    assert (row.customers, row.overdue_contacts) == (4, 2)


def test_only_the_branchs_clients_count_and_every_rm_gets_a_row(bank, branch, staff):
    rm3 = staff["rm3"]
    other = bank.customer(rm3)
    bank.score(other, TODAY, 0.99)
    overview = branch_overview(bank.s, branch.id, TODAY)
    assert [(r.rm_id, r.rm_name, r.customers) for r in overview.rms] == [("rm1", "李娜", 0), ("rm2", "王强", 0)]
    assert overview.totals.high_risk == 0


def test_unassigned_clients_are_shown_on_their_own_row(bank, branch):
    c = bank.customer(None, branch=branch)
    bank.score(c, TODAY, 0.9)
    overview = branch_overview(bank.s, branch.id, TODAY)
    assert overview.rms[-1].rm_id is None and overview.rms[-1].high_risk == 1
    assert overview.totals.high_risk == 1


def test_totals_add_up_the_rms(bank, branch, staff):
    for rm_id in ("rm1", "rm2"):
        rm = staff[rm_id]
        c = bank.customer(rm)
        bank.score(c, TODAY, 0.7)
        bank.holding(c, bank.product(), 10 * WAN, maturity_date=TODAY + timedelta(days=1))
    overview = branch_overview(bank.s, branch.id, TODAY)
    assert (overview.totals.customers, overview.totals.high_risk, overview.totals.maturing_week_fen) == (2, 2, 20 * WAN)


def test_an_rm_asking_for_the_branch_overview_is_refused(bank, branch):
    with pytest.raises(PermissionError):
        require(staff_by_id(bank.s, "rm1"), "branch_overview")


def test_a_branch_head_gets_their_own_branch(bank, branch):
    head = staff_by_id(bank.s, "head")
    require(head, "branch_overview")
    assert branch_overview(bank.s, scope_of(head).branch_id, TODAY).branch_id == branch.id


def test_the_overview_runs_on_postgresql():
    with pg_schema_engine() as engine, Session(engine, future=True) as s:
        bank = Bank(s)
        west = bank.branch()
        rm = bank.staff("rm1", west, name="李娜")
        c = bank.customer(rm, aum_fen=60 * WAN)
        bank.score(c, TODAY - timedelta(days=1), 0.9)
        bank.holding(c, bank.product(), 30 * WAN, maturity_date=TODAY + timedelta(days=2))
        bank.txn(c, TODAY - timedelta(days=1), 25 * WAN)
        row = branch_overview(s, west.id, TODAY).rms[0]
        assert (row.rm_id, row.high_risk, row.maturing_week_fen, row.large_outflow_fen, row.overdue_contacts) == (
            "rm1",
            1,
            30 * WAN,
            25 * WAN,
            1,
        )
