"""The shape of the default demo bank: staff, tiers, holdings, activity, identities."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

from sqlalchemy import func, select

from bot.store.models import (
    AumSnapshot,
    Branch,
    Contact,
    Customer,
    Holding,
    Product,
    Staff,
    Transaction,
)
from bot.tiers import WAN
from tests.demo.conftest import DEMO_CUSTOMERS, DEMO_TODAY
from tools.demo.bank import BankShape
from tools.demo.identity import id_check_char

TODAY = DEMO_TODAY


def test_default_size_has_three_branches_twelve_rms_and_their_heads_and_counter_staff(demo):
    roles = dict(demo.execute(select(Staff.role, func.count()).group_by(Staff.role)).all())
    assert demo.execute(select(func.count()).select_from(Branch)).scalar_one() == 3
    assert roles == {"rm": 12, "branch_head": 3, "counter": 6}
    ids = set(demo.execute(select(Staff.id)).scalars())
    assert {f"rm{k:02d}" for k in range(1, 13)} | {"bh01", "bh03", "ct01", "ct06"} <= ids


def test_bank_grows_one_branch_per_2000_and_one_rm_per_500_customers():
    shape = BankShape.for_customers(1_000_000)
    assert (shape.branches, shape.rms) == (500, 2000)
    assert shape.rm_id(0) == "rm01" and shape.rm_id(1999) == "rm2000"


def test_staff_have_unique_pinyin_wecom_ids(demo):
    rows = demo.execute(select(Staff.name, Staff.wecom_userid)).all()
    userids = [u for _, u in rows]
    assert len(set(userids)) == len(userids)
    assert all(re.fullmatch(r"[A-Z][a-z]+[A-Z][a-z]+\d*", u) for u in userids)
    assert ("李明", "LiMing") in rows


def test_no_rm_holds_a_customer_of_another_branch(demo):
    crossed = demo.execute(
        select(func.count())
        .select_from(Customer)
        .join(Staff, Staff.id == Customer.rm_id)
        .where(Staff.branch_id != Customer.branch_id)
    ).scalar_one()
    assert crossed == 0


def test_a_few_percent_of_customers_have_no_rm(demo):
    without = demo.execute(select(func.count()).where(Customer.rm_id.is_(None))).scalar_one()
    assert 0.01 <= without / DEMO_CUSTOMERS <= 0.06


def test_rm_books_hold_about_500_clients(demo):
    sizes = (
        demo.execute(select(func.count()).where(Customer.rm_id.is_not(None)).group_by(Customer.rm_id)).scalars().all()
    )
    assert len(sizes) == 12 and all(400 <= s <= 600 for s in sizes)


def test_aum_is_skewed_across_the_tiers_as_the_brief_says(demo):
    aum = demo.execute(select(Customer.aum_fen)).scalars().all()
    bands = Counter(
        0 if a < 5 * WAN else 1 if a < 20 * WAN else 2 if a < 50 * WAN else 3 if a < 200 * WAN else 4 for a in aum
    )
    share = [bands[b] / len(aum) for b in range(5)]
    for got, want in zip(share, (0.55, 0.25, 0.12, 0.06, 0.02)):
        assert abs(got - want) <= max(0.04, want * 0.35), share


def test_tier_follows_aum(demo):
    wrong = demo.execute(
        select(func.count()).where(
            ((Customer.aum_fen >= 600 * WAN) & (Customer.tier != "private"))
            | ((Customer.aum_fen >= 200 * WAN) & (Customer.aum_fen < 600 * WAN) & (Customer.tier != "diamond"))
            | ((Customer.aum_fen < 20 * WAN) & (Customer.tier != "basic"))
        )
    ).scalar_one()
    assert wrong == 0


def test_aum_is_demand_deposit_plus_active_holdings_at_value(demo):
    held = dict(
        demo.execute(
            select(Holding.customer_id, func.sum(Holding.current_value_fen))
            .where(Holding.status == "active")
            .group_by(Holding.customer_id)
        ).all()
    )
    rows = demo.execute(select(Customer.id, Customer.aum_fen, Customer.demand_deposit_fen)).all()
    assert all(aum == demand + held.get(cid, 0) and demand >= 0 for cid, aum, demand in rows)


def test_holdings_are_active_until_maturity_and_matured_after(demo):
    bad = demo.execute(
        select(func.count()).where(
            ((Holding.status == "active") & (Holding.maturity_date < TODAY))
            | ((Holding.status != "active") & (Holding.maturity_date >= TODAY))
        )
    ).scalar_one()
    assert bad == 0


def test_every_day_of_the_next_90_days_has_maturities_bank_wide(demo):
    days = set(
        demo.execute(
            select(Holding.maturity_date).where(
                Holding.status == "active", Holding.maturity_date.between(TODAY, TODAY + timedelta(days=89))
            )
        ).scalars()
    )
    assert len(days) == 90


def test_every_rm_has_maturities_in_each_of_the_next_eight_weeks(demo):
    rows = demo.execute(
        select(Customer.rm_id, Holding.maturity_date)
        .join(Customer, Customer.id == Holding.customer_id)
        .where(
            Holding.status == "active",
            Customer.rm_id.is_not(None),
            Holding.maturity_date.between(TODAY, TODAY + timedelta(days=55)),
        )
    ).all()
    weeks: dict[str, set[int]] = {}
    for rm, day in rows:
        weeks.setdefault(rm, set()).add((day - TODAY).days // 7)
    assert len(weeks) == 12 and all(w == set(range(8)) for w in weeks.values())


def test_funds_have_no_maturity_and_some_lose_more_than_ten_percent(demo):
    funds = (
        demo.execute(
            select(Holding)
            .join(Product, Product.id == Holding.product_id)
            .where(Product.type == "fund", Holding.status == "active")
        )
        .scalars()
        .all()
    )
    assert funds and all(h.maturity_date is None for h in funds)
    assert sum(h.current_value_fen < 0.9 * h.amount_fen for h in funds) >= 5


def test_most_clients_above_5w_hold_one_to_four_products(demo):
    counts = dict(
        demo.execute(
            select(Holding.customer_id, func.count()).where(Holding.status == "active").group_by(Holding.customer_id)
        ).all()
    )
    ids = demo.execute(select(Customer.id).where(Customer.aum_fen >= 5 * WAN, Customer.id > 19)).scalars().all()
    holding = [counts.get(i, 0) for i in ids]
    assert sum(1 <= n <= 4 for n in holding) / len(holding) >= 0.8


def test_id_numbers_carry_birth_date_sex_and_a_valid_check_character(demo):
    for c in demo.execute(select(Customer).limit(500)).scalars():
        assert len(c.id_number) == 18 and c.id_number[6:14] == c.birth_date.strftime("%Y%m%d")
        assert int(c.id_number[16]) % 2 == (1 if c.gender == "M" else 0)
        assert c.id_number[17] == id_check_char(c.id_number[:17])


def test_phone_numbers_are_chinese_mobile_numbers(demo):
    phones = demo.execute(select(Customer.phone)).scalars().all()
    assert all(re.fullmatch(r"1[3-9]\d{9}", p) for p in phones)


def test_ages_run_from_22_to_85_and_most_are_35_to_65(demo):
    births = demo.execute(select(Customer.birth_date)).scalars().all()
    ages = [(TODAY - b).days / 365.25 for b in births]
    assert min(ages) >= 21.9 and max(ages) <= 86
    assert sum(35 <= a <= 65 for a in ages) / len(ages) >= 0.55


def test_some_rm_books_contain_the_same_name_twice_besides_the_planted_ones(demo):
    dupes = demo.execute(
        select(Customer.rm_id, Customer.name)
        .where(Customer.id > 19, Customer.rm_id.is_not(None))
        .group_by(Customer.rm_id, Customer.name)
        .having(func.count() > 1)
    ).all()
    assert len({rm for rm, _ in dupes}) >= 6


def test_transactions_cover_the_twelve_months_before_today(demo):
    first, last = demo.execute(select(func.min(Transaction.occurred_at), func.max(Transaction.occurred_at))).one()
    assert first.date() >= TODAY - timedelta(days=365) and first.date() <= TODAY - timedelta(days=360)
    assert TODAY - timedelta(days=3) <= last.date() < TODAY


def test_payroll_clients_are_credited_a_salary_every_month(demo):
    rows = demo.execute(
        select(Transaction.customer_id, Transaction.occurred_at).where(
            Transaction.purpose == "salary", Transaction.channel == "payroll"
        )
    ).all()
    months: dict[int, set] = {}
    for cid, at in rows:
        months.setdefault(cid, set()).add((at.year, at.month))
    assert len(months) >= DEMO_CUSTOMERS * 0.3
    assert sum(len(m) >= 11 for m in months.values()) / len(months) >= 0.7


def test_card_spending_and_other_bank_transfers_are_present(demo):
    kinds = dict(demo.execute(select(Transaction.purpose, func.count()).group_by(Transaction.purpose)).all())
    assert kinds["spending"] >= DEMO_CUSTOMERS * 10
    other = demo.execute(
        select(func.count()).where(Transaction.other_bank.is_(True), Transaction.purpose == "transfer")
    ).scalar_one()
    assert other >= DEMO_CUSTOMERS


def test_snapshots_cover_thirteen_months_and_end_with_todays_aum(demo):
    months = demo.execute(select(AumSnapshot.month).distinct().order_by(AumSnapshot.month)).scalars().all()
    assert len(months) == 13 and months[-1] == date(TODAY.year, TODAY.month, 1)
    assert all(m.day == 1 for m in months)
    mismatched = demo.execute(
        select(func.count())
        .select_from(AumSnapshot)
        .join(Customer, Customer.id == AumSnapshot.customer_id)
        .where(AumSnapshot.month == months[-1], AumSnapshot.aum_fen != Customer.aum_fen)
    ).scalar_one()
    assert mismatched == 0


def test_contacts_follow_the_tier_frequency_for_healthy_vips(demo):
    since = TODAY - timedelta(days=180)
    rows = demo.execute(
        select(Contact.customer_id, func.count())
        .join(Customer, Customer.id == Contact.customer_id)
        .where(
            Customer.tier.in_(("diamond", "private")),
            Customer.lifecycle_stage == "mature",
            Contact.contacted_at >= since,
        )
        .group_by(Contact.customer_id)
    ).all()
    assert rows and sum(n >= 12 for _, n in rows) / len(rows) >= 0.8  # weekly-ish: at least every two weeks


def test_accounts_open_after_the_18th_birthday_within_20_years_and_before_any_purchase(demo):
    customers = {c.id: c for c in demo.execute(select(Customer)).scalars()}
    for c in customers.values():
        assert (c.opened_on - c.birth_date).days >= 18 * 365, c.id
        assert (TODAY - c.opened_on).days <= 20 * 366, c.id
    early = demo.execute(
        select(func.count())
        .select_from(Holding)
        .join(Customer, Customer.id == Holding.customer_id)
        .where(Holding.buy_date < Customer.opened_on)
    ).scalar_one()
    assert early == 0
