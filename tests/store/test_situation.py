from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event, insert
from sqlalchemy.orm import Session

from bot.store.models import AumSnapshot, ChurnScore, Complaint, Contact, Customer, Holding, Transaction
from bot.store.situation import situation, situations
from tests.playbook.rows import TODAY, WAN, Bank, pg_schema_engine, sqlite_session


@pytest.fixture
def bank(tmp_path):
    session = sqlite_session(tmp_path)
    yield Bank(session)
    session.close()


@pytest.fixture
def rm(bank):
    return bank.staff("rm1", bank.branch())


def test_profile_age_and_contact_frequency_come_from_the_customer_row(bank, rm):
    c = bank.customer(rm, name="王秀英", gender="F", birth_date=date(1960, 11, 28), aum_fen=60 * WAN, tier="vip")
    s = situation(bank.s, c.id, TODAY)
    assert (s.name, s.gender, s.tier, s.rm_id, s.branch_id) == ("王秀英", "F", "vip", "rm1", rm.branch_id)
    assert s.age == 63  # birthday is tomorrow
    assert s.contact_every_days == 14
    assert s.as_of == TODAY


def test_maturing_lists_active_holdings_of_the_next_30_days_soonest_first(bank, rm):
    c = bank.customer(rm)
    wealth = bank.product("wealth", "稳盈90天")
    cd = bank.product("cd", "大额存单3年")
    bank.holding(c, wealth, 20 * WAN, maturity_date=TODAY + timedelta(days=12))
    bank.holding(c, cd, 30 * WAN, maturity_date=TODAY)
    bank.holding(c, wealth, 5 * WAN, maturity_date=TODAY + timedelta(days=31))  # too late
    bank.holding(c, wealth, 5 * WAN, maturity_date=TODAY - timedelta(days=1))  # already past
    bank.holding(c, wealth, 5 * WAN, maturity_date=TODAY + timedelta(days=3), status="redeemed")
    s = situation(bank.s, c.id, TODAY)
    assert [(m.product_name, m.product_type, m.amount_fen, m.maturity_date) for m in s.maturing] == [
        ("大额存单3年", "cd", 30 * WAN, TODAY),
        ("稳盈90天", "wealth", 20 * WAN, TODAY + timedelta(days=12)),
    ]
    assert s.active_holding_count == 4


def test_fund_loss_is_the_worst_active_fund_holding(bank, rm):
    c = bank.customer(rm)
    bank.holding(c, bank.product("fund", "成长混合"), 10 * WAN, current_value_fen=9 * WAN)
    bank.holding(c, bank.product("fund", "科技先锋"), 10 * WAN, current_value_fen=8 * WAN + 2500_00)
    bank.holding(c, bank.product("fund", "债券增强"), 10 * WAN, current_value_fen=11 * WAN)
    s = situation(bank.s, c.id, TODAY)
    assert (s.fund_loss_pct, s.fund_loss_product) == (17.5, "科技先锋")


def test_no_fund_at_a_loss_gives_no_fund_loss(bank, rm):
    c = bank.customer(rm)
    bank.holding(c, bank.product("fund", "债券增强"), 10 * WAN, current_value_fen=11 * WAN)
    assert situation(bank.s, c.id, TODAY).fund_loss_pct is None


def test_an_old_policy_trailing_its_stated_return_is_low_yield_and_a_young_one_never(bank, rm):
    six_years = TODAY - timedelta(days=6 * 365)
    low = bank.customer(rm)
    stated_3_5 = bank.product("insurance", "鑫享年金", expected_yield_bp=350)
    bank.holding(low, stated_3_5, 10 * WAN, current_value_fen=10 * WAN + 6 * 1000_00, buy_date=six_years)  # 1%/yr
    on_track = bank.customer(rm)
    bank.holding(on_track, stated_3_5, 10 * WAN, current_value_fen=10 * WAN + 6 * 3000_00, buy_date=six_years)  # 3%
    young = bank.customer(rm)  # two years old and still under its premium: normal for a young policy
    bank.holding(young, stated_3_5, 10 * WAN, current_value_fen=9 * WAN, buy_date=TODAY - timedelta(days=2 * 365))
    no_stated = bank.customer(rm)
    bank.holding(no_stated, bank.product("insurance", "终身寿险"), 10 * WAN, buy_date=six_years)
    found = situations(bank.s, [low.id, on_track.id, young.id, no_stated.id], TODAY)
    assert (found[low.id].low_yield_insurance, found[low.id].low_yield_insurance_product) == (True, "鑫享年金")
    assert found[on_track.id].low_yield_insurance is False
    assert found[young.id].low_yield_insurance is False
    assert found[no_stated.id].low_yield_insurance is False


def test_open_complaint_is_the_oldest_unresolved_one(bank, rm):
    c = bank.customer(rm)
    bank.complaint(c, date(2024, 9, 1), "fee", resolved=True, resolved_on=date(2024, 9, 5))
    bank.complaint(c, date(2024, 10, 8), "wait_time")
    bank.complaint(c, date(2024, 11, 2), "attitude")
    s = situation(bank.s, c.id, TODAY)
    assert (s.open_complaint.category, s.open_complaint.filed_on) == ("wait_time", date(2024, 10, 8))


def test_last_contact_is_the_latest_and_days_since_are_counted_from_today(bank, rm):
    c = bank.customer(rm)
    bank.contact(c, rm, date(2024, 9, 1), channel="wechat")
    bank.contact(c, rm, date(2024, 11, 7), channel="phone", outcome="agreed_visit", stated_purpose="house")
    s = situation(bank.s, c.id, TODAY)
    assert s.last_contact.contacted_on == date(2024, 11, 7)
    assert (s.last_contact.channel, s.last_contact.outcome, s.last_contact.stated_purpose) == (
        "phone",
        "agreed_visit",
        "house",
    )
    assert s.days_since_contact == 20
    assert s.contact_due_on == date(2024, 12, 7)  # gold: monthly


def test_never_contacted_client_is_due_now(bank, rm):
    c = bank.customer(rm, aum_fen=30 * WAN)
    s = situation(bank.s, c.id, TODAY)
    assert (s.last_contact, s.days_since_contact, s.contact_due_on, s.contact_overdue) == (None, None, TODAY, True)


def test_contacted_by_rm_ignores_contacts_by_other_staff(bank, rm):
    other = bank.staff("rm2", bank.branch("城东支行"))
    c = bank.customer(rm)
    bank.contact(c, other, date(2024, 11, 1))
    assert situation(bank.s, c.id, TODAY).contacted_by_rm is False
    bank.contact(c, rm, date(2024, 10, 1))
    assert situation(bank.s, c.id, TODAY).contacted_by_rm is True


def test_flows_count_the_last_30_days_with_the_other_bank_share(bank, rm):
    c = bank.customer(rm)
    bank.txn(c, TODAY - timedelta(days=3), 25 * WAN, "out", other_bank=True)
    bank.txn(c, TODAY - timedelta(days=10), 6 * WAN, "out")
    bank.txn(c, TODAY - timedelta(days=12), 1 * WAN, "out")
    bank.txn(c, TODAY - timedelta(days=31), 50 * WAN, "out", other_bank=True)  # outside the window
    bank.txn(c, datetime.combine(TODAY, datetime.min.time()).replace(hour=23), 2 * WAN, "in")
    s = situation(bank.s, c.id, TODAY)
    assert (s.outflow_30d_fen, s.outflow_30d_other_bank_fen, s.inflow_30d_fen) == (32 * WAN, 25 * WAN, 2 * WAN)
    assert s.net_flow_30d_fen == -30 * WAN
    assert s.last_notable_outflow_on == TODAY - timedelta(days=3)


def test_latest_churn_score_carries_type_and_first_reason_text(bank, rm):
    c = bank.customer(rm)
    bank.score(c, date(2024, 11, 20), 0.05, "service")
    bank.score(c, date(2024, 11, 26), 0.81, "product", reasons=[
        {"code": "maturity_soon", "text": "理财12月2日到期", "contribution": 0.31},
        {"code": "other_bank", "text": "有他行转出", "contribution": 0.2},
        {"code": "churn_type_evidence", "evidence": ["理财到期"]},
    ])  # fmt: skip
    s = situation(bank.s, c.id, TODAY)
    assert (s.latest_score.score, s.latest_score.churn_type, s.latest_score.top_reason) == (
        0.81,
        "product",
        "理财12月2日到期",
    )
    assert s.is_high_risk


def test_elements_that_are_not_reasons_are_skipped(bank, rm):
    c = bank.customer(rm)
    bank.score(c, date(2024, 11, 26), 0.3, reasons=[
        {"code": "churn_type_evidence", "evidence": []}, {"code": "no_contact", "text": "90天未联系"},
    ])  # fmt: skip
    assert situation(bank.s, c.id, TODAY).latest_score.top_reason == "90天未联系"


@pytest.mark.parametrize(
    "reasons", ["not json", "[]", '{"text": "x"}', '[{"code": "a"}]', '[{"code": "churn_type_evidence"}]', "[1]"]
)
def test_malformed_or_empty_reasons_give_no_reason_text(bank, rm, reasons):
    c = bank.customer(rm)
    bank.score(c, date(2024, 11, 26), 0.3, reasons=reasons)
    assert situation(bank.s, c.id, TODAY).latest_score.top_reason is None


def test_aum_90_days_ago_is_the_last_month_end_figure_before_that_day(bank, rm):
    c = bank.customer(rm, aum_fen=40 * WAN)
    bank.snapshot(c, date(2024, 7, 1), 70 * WAN)  # July's close (07-31): the last one measured by 08-29
    bank.snapshot(c, date(2024, 8, 1), 65 * WAN)  # August's close (08-31): after today - 90 days = 2024-08-29
    bank.snapshot(c, date(2024, 9, 1), 50 * WAN)
    s = situation(bank.s, c.id, TODAY)
    assert (s.aum_fen, s.aum_90d_ago_fen) == (40 * WAN, 70 * WAN)


def test_unknown_ids_are_left_out(bank, rm):
    c = bank.customer(rm)
    assert set(situations(bank.s, [c.id, 999_999], TODAY)) == {c.id}
    assert situations(bank.s, [], TODAY) == {}


def _busy_book(bank, rm, n):
    """n clients with a realistic spread of facts, inserted in bulk (fast to build)."""
    wealth = bank.product("wealth", "稳盈90天")
    fund = bank.product("fund", "成长混合")
    insurance = bank.product("insurance", "鑫享年金")
    template = bank.customer(rm)  # a valid row to copy the required columns from
    base = {col.name: getattr(template, col.key) for col in Customer.__table__.columns if col.name != "id"}
    ids = list(range(10_001, 10_001 + n))
    rows = {m: [] for m in (Customer, Holding, Transaction, Contact, ChurnScore, AumSnapshot, Complaint)}
    for i, cid in enumerate(ids):
        rows[Customer].append({**base, "id": cid, "cust_no": f"X{cid}", "aum_fen": (5 + i % 300) * WAN})
        for product, amount, value, buy, maturity in (
            (wealth, 10 * WAN, 10 * WAN, date(2024, 9, 1), TODAY + timedelta(days=i % 40)),
            (fund, 5 * WAN, 4 * WAN + i * 100, date(2024, 3, 1), None),
            (insurance, 5 * WAN, 5 * WAN, TODAY - timedelta(days=400), None),
        ):
            rows[Holding].append(
                dict(
                    customer_id=cid,
                    product_id=product.id,
                    amount_fen=amount,
                    current_value_fen=value,
                    buy_date=buy,
                    maturity_date=maturity,
                    status="active",
                )
            )
        for d in range(0, 60, 6):
            rows[Transaction].append(
                dict(
                    customer_id=cid,
                    occurred_at=datetime.combine(TODAY - timedelta(days=d), datetime.min.time()),
                    amount_fen=(i % 9 + 1) * 1000_00,
                    direction="out" if d % 12 else "in",
                    channel="online",
                    other_bank=d % 18 == 0,
                    purpose="transfer",
                )
            )
        for d in (i % 70, i % 70 + 30):
            rows[Contact].append(
                dict(
                    staff_id=rm.id,
                    customer_id=cid,
                    channel="phone",
                    outcome="reached",
                    contacted_at=datetime.combine(TODAY - timedelta(days=d), datetime.min.time()),
                )
            )
        for d, score in ((1, (i % 100) / 100), (8, 0.5)):
            as_of = TODAY - timedelta(days=d)
            rows[ChurnScore].append(
                dict(
                    customer_id=cid,
                    as_of=as_of,
                    score=score,
                    churn_type="product",
                    model_version="v1",
                    reasons='[{"code": "maturity", "text": "理财下周到期", "contribution": 0.3}]',
                    scored_at=datetime.combine(as_of, datetime.min.time()),
                )
            )
        rows[AumSnapshot].append(dict(customer_id=cid, month=date(2024, 8, 1), aum_fen=40 * WAN))
        if i % 10 == 0:
            rows[Complaint].append(
                dict(customer_id=cid, filed_on=TODAY - timedelta(days=i % 20), category="fee", resolved=False)
            )
    for model, dicts in rows.items():
        bank.s.execute(insert(model), dicts)
    bank.s.commit()
    return ids  # fmt: skip


def _count_queries(session, call):
    statements = []

    def count(*_args):
        statements.append(1)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_query_count_does_not_grow_with_the_number_of_customers(bank, rm):
    ids = _busy_book(bank, rm, 40)
    few = _count_queries(bank.s, lambda: situations(bank.s, ids[:2], TODAY))
    many = _count_queries(bank.s, lambda: situations(bank.s, ids, TODAY))
    assert few == many <= 11  # one query per fact (announcements are the eleventh), never one per customer


def _client_with_every_fact(bank):
    rm = bank.staff("rm1", bank.branch())
    c = bank.customer(rm, aum_fen=48 * WAN, birth_date=date(1958, 3, 2))
    bank.holding(c, bank.product("wealth", "稳盈90天"), 20 * WAN, maturity_date=TODAY + timedelta(days=2))
    bank.holding(c, bank.product("fund", "成长混合"), 10 * WAN, current_value_fen=8 * WAN)
    bank.holding(c, bank.product("insurance", "鑫享年金"), 10 * WAN, buy_date=TODAY - timedelta(days=400))
    bank.txn(c, TODAY - timedelta(days=2), 21 * WAN, "out", other_bank=True)
    bank.txn(c, TODAY - timedelta(days=5), 1 * WAN, "in")
    bank.contact(c, rm, datetime(2024, 10, 2, 9, 0), stated_purpose="house")
    bank.contact(c, rm, datetime(2024, 10, 2, 9, 0), outcome="callback")  # same minute: the later row wins
    bank.complaint(c, date(2024, 11, 1), "fee")
    bank.score(c, TODAY - timedelta(days=1), 0.7, "consumption")
    bank.snapshot(c, date(2024, 8, 1), 60 * WAN)
    bank.s.commit()
    return c.id


def test_postgresql_reads_the_same_situation_as_sqlite(tmp_path):
    lite = sqlite_session(tmp_path)
    expected = situation(lite, _client_with_every_fact(Bank(lite)), TODAY)
    lite.close()
    with pg_schema_engine() as engine:
        with Session(engine, future=True) as pg:
            got = situation(pg, _client_with_every_fact(Bank(pg)), TODAY)
    assert got == expected
    assert got.last_contact.outcome == "callback"
