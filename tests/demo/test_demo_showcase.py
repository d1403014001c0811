"""The planted clients every demo relies on (tools/demo/showcase.py)."""

from __future__ import annotations

from datetime import date, timedelta

from pypinyin import lazy_pinyin
from sqlalchemy import func, select

from bot.store.db import make_engine
from bot.store.models import Complaint, Contact, Customer, DemoTruth, Holding, Product, Transaction
from bot.tiers import WAN, is_near_upgrade
from tests.demo.conftest import DEMO_TODAY
from tools.demo.load import generate_bank

TODAY = DEMO_TODAY
MONDAY = TODAY - timedelta(days=TODAY.weekday())
NEXT_MONDAY = MONDAY + timedelta(days=7)


def book(session, rm_id: str, name: str) -> list[Customer]:
    return session.execute(select(Customer).where(Customer.rm_id == rm_id, Customer.name == name)).scalars().all()


def one(session, rm_id: str, name: str) -> Customer:
    found = book(session, rm_id, name)
    assert len(found) == 1, f"{name} in {rm_id}: {len(found)}"
    return found[0]


def active_holdings(session, customer_id: int) -> list[tuple[Holding, Product]]:
    return session.execute(
        select(Holding, Product)
        .join(Product, Product.id == Holding.product_id)
        .where(Holding.customer_id == customer_id, Holding.status == "active")
    ).all()


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def test_wang_xiuying_is_about_to_withdraw_for_a_house(demo):
    c = one(demo, "rm01", "王秀英")
    truth = demo.get(DemoTruth, c.id)
    assert (c.gender, truth.story) == ("F", "consumption")
    assert TODAY <= truth.event_date <= TODAY + timedelta(days=3)
    assert c.demand_deposit_fen >= 50 * WAN
    last = (
        demo.execute(select(Contact).where(Contact.customer_id == c.id).order_by(Contact.contacted_at.desc()))
        .scalars()
        .first()
    )
    assert last.stated_purpose == "house"


def test_wang_xiuying_has_a_same_pinyin_namesake_in_rm02_book(demo):
    other = one(demo, "rm02", "王秀颖")
    assert other.gender == "F"
    assert lazy_pinyin("王秀颖") == lazy_pinyin("王秀英")
    assert book(demo, "rm01", "王秀颖") == []


def test_chen_jianguo_is_a_diamond_client_whose_300w_matures_next_week_after_transfers_out(demo):
    c = one(demo, "rm01", "陈建国")
    assert (c.gender, c.tier) == ("M", "diamond") and 200 * WAN <= c.aum_fen < 600 * WAN  # 私行 starts at 600万
    big = [h for h, _ in active_holdings(demo, c.id) if h.amount_fen == 300 * WAN]
    assert len(big) == 1 and NEXT_MONDAY <= big[0].maturity_date <= NEXT_MONDAY + timedelta(days=6)
    truth = demo.get(DemoTruth, c.id)
    assert (truth.story, truth.event_date) == ("yield", big[0].maturity_date)
    out = demo.execute(
        select(func.count()).where(
            Transaction.customer_id == c.id,
            Transaction.other_bank.is_(True),
            Transaction.direction == "out",
            Transaction.occurred_at >= TODAY - timedelta(days=30),
        )
    ).scalar_one()
    assert out >= 2


def test_rm01_has_two_different_clients_named_zhang_wei(demo):
    both = book(demo, "rm01", "张伟")
    assert len(both) == 2
    assert both[0].birth_date != both[1].birth_date and both[0].id_number != both[1].id_number


def test_rm01_has_li_jing_and_a_same_pinyin_li_jing(demo):
    a, b = one(demo, "rm01", "李静"), one(demo, "rm01", "李晶")
    assert a.id != b.id and lazy_pinyin(a.name) == lazy_pinyin(b.name)


def test_service_client_has_an_open_complaint_and_no_contact_for_90_days(demo):
    c = one(demo, "rm01", "刘芳")
    assert demo.get(DemoTruth, c.id).story == "service"
    open_complaints = (
        demo.execute(select(Complaint).where(Complaint.customer_id == c.id, Complaint.resolved.is_(False)))
        .scalars()
        .all()
    )
    assert open_complaints
    last = demo.execute(select(func.max(Contact.contacted_at)).where(Contact.customer_id == c.id)).scalar_one()
    assert last is None or last.date() <= TODAY - timedelta(days=90)


def test_intermediary_client_moves_round_sums_around_quarter_ends(demo):
    c = one(demo, "rm01", "赵磊")
    assert demo.get(DemoTruth, c.id).story == "intermediary"
    ins = (
        demo.execute(
            select(Transaction).where(
                Transaction.customer_id == c.id, Transaction.direction == "in", Transaction.amount_fen == 200 * WAN
            )
        )
        .scalars()
        .all()
    )
    assert len(ins) >= 2
    assert all(t.occurred_at.month in (3, 6, 9, 12) and t.occurred_at.day >= 20 for t in ins)


def test_rm01_has_several_healthy_vips(demo):
    vips = (
        demo.execute(
            select(Customer)
            .outerjoin(DemoTruth, DemoTruth.customer_id == Customer.id)
            .where(
                Customer.rm_id == "rm01",
                Customer.id <= 19,
                Customer.tier.in_(("vip", "diamond", "private")),
                DemoTruth.customer_id.is_(None),
            )
        )
        .scalars()
        .all()
    )
    assert len(vips) >= 3


def test_rm01_has_clients_just_under_a_tier_threshold(demo):
    near = [one(demo, "rm01", n) for n in ("黄磊", "马丽", "胡军")]
    assert all(is_near_upgrade(c.aum_fen) for c in near)
    assert any(45 * WAN <= c.aum_fen < 50 * WAN for c in near)
    assert any(180 * WAN <= c.aum_fen < 200 * WAN for c in near)


def test_rm01_has_a_client_with_a_fund_loss_over_ten_percent(demo):
    c = one(demo, "rm01", "林涛")
    funds = [h for h, p in active_holdings(demo, c.id) if p.type == "fund"]
    assert any(h.current_value_fen < 0.9 * h.amount_fen for h in funds)


def test_rm01_has_a_senior_holding_only_demand_deposits(demo):
    c = one(demo, "rm01", "何桂英")
    assert age_on(c.birth_date, TODAY) >= 60
    assert active_holdings(demo, c.id) == [] and c.aum_fen == c.demand_deposit_fen > 0


def test_rm01_has_a_client_whose_birthday_is_in_two_days(demo):
    c = one(demo, "rm01", "高玉兰")
    soon = TODAY + timedelta(days=2)
    assert (c.birth_date.month, c.birth_date.day) == (soon.month, soon.day)


def test_rm01_has_maturities_today_tomorrow_across_this_week_and_next_week(demo):
    days = set(
        demo.execute(
            select(Holding.maturity_date)
            .join(Customer, Customer.id == Holding.customer_id)
            .where(Customer.rm_id == "rm01", Holding.maturity_date.between(MONDAY, NEXT_MONDAY + timedelta(days=6)))
        ).scalars()
    )
    this_week = {MONDAY + timedelta(days=k) for k in range(7)}
    assert {TODAY, TODAY + timedelta(days=1)} <= days
    assert this_week <= days
    assert len({d for d in days if d >= NEXT_MONDAY}) >= 3


def test_li_na_is_only_in_rm02_book(demo):
    assert one(demo, "rm02", "李娜").branch_id == 1
    assert book(demo, "rm01", "李娜") == []


def test_showcase_names_are_unambiguous_in_their_branch(demo):
    counts = dict(
        demo.execute(
            select(Customer.name, func.count())
            .where(Customer.branch_id == 1, Customer.name.in_(("王秀英", "陈建国", "李娜", "刘芳", "赵磊", "张伟")))
            .group_by(Customer.name)
        ).all()
    )
    assert counts == {"王秀英": 1, "陈建国": 1, "李娜": 1, "刘芳": 1, "赵磊": 1, "张伟": 2}


def test_showcase_is_planted_whatever_the_seed_and_when_today_is_a_sunday(tmp_path):
    sunday = date(2026, 11, 22)
    url = f"sqlite:///{tmp_path / 'other.db'}"
    generate_bank(url, customers=200, seed=7, today=sunday)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            names = set(conn.execute(select(Customer.name).where(Customer.rm_id == "rm01")).scalars())
            maturing = set(
                conn.execute(
                    select(Holding.maturity_date)
                    .join(Customer, Customer.id == Holding.customer_id)
                    .where(Customer.rm_id == "rm01", Holding.status == "active")
                ).scalars()
            )
    finally:
        engine.dispose()
    assert {"王秀英", "陈建国", "张伟", "李静", "李晶", "刘芳", "赵磊", "何桂英", "高玉兰"} <= names
    assert {sunday, sunday + timedelta(days=1), sunday + timedelta(days=3)} <= maturing


def test_li_jing_was_re_rated_c1_after_buying_the_r2_product_that_matures_today(demo):
    c = one(demo, "rm01", "李静")
    due = [(h, p) for h, p in active_holdings(demo, c.id) if h.maturity_date == TODAY]
    assert c.risk_rating == "C1" and len(due) == 1 and due[0][1].risk_level == "R2"
    assert due[0][0].buy_date < c.risk_rated_on <= TODAY


def test_zhou_min_has_a_rating_more_than_a_year_old(demo):
    c = one(demo, "rm01", "周敏")
    assert (TODAY - c.risk_rated_on).days > 365


def test_clients_hold_only_products_within_their_rating_but_the_planted_one(demo):
    above = demo.execute(
        select(Customer.name)
        .join(Holding, Holding.customer_id == Customer.id)
        .join(Product, Product.id == Holding.product_id)
        .where(Holding.status == "active", func.substr(Product.risk_level, 2) > func.substr(Customer.risk_rating, 2))
    ).all()
    assert [name for (name,) in above] == ["李静"]
