from __future__ import annotations

from datetime import date, timedelta

from scoring.churn_type import decide_churn_type
from scoring.features import build_features
from tests.scoring import builders as b

AS_OF = date(2026, 11, 18)


def churn_type_of(session, customer):
    ids, _X, facts = build_features(session, AS_OF, [customer.id])
    assert ids.tolist() == [customer.id]
    return decide_churn_type(facts[0])


def test_money_to_another_bank_before_a_maturity_is_product_driven(session):
    b.bank(session)
    c = b.customer(session, "陈建国", aum_wan=300)
    b.snapshot(session, c, date(2026, 10, 1), 300)
    b.txn(session, c, date(2026, 11, 5), 40, "out", other_bank=True)
    b.holding(session, c, "wealth", 200, buy=date(2026, 5, 27), maturity=date(2026, 11, 25))
    b.contact(session, c, AS_OF - timedelta(days=3))
    kind = churn_type_of(session, c)
    assert kind.code == "product"
    assert kind.evidence == ("近90天转出他行40万", "200万理财7天后到期")


def test_open_complaint_and_no_contact_is_service_driven(session):
    b.bank(session)
    c = b.customer(session, "刘芳", aum_wan=80)
    b.snapshot(session, c, date(2026, 10, 1), 80)
    b.complaint(session, c, date(2026, 8, 20), "服务态度")
    b.contact(session, c, AS_OF - timedelta(days=95))
    kind = churn_type_of(session, c)
    assert kind.code == "service"
    assert kind.evidence == ("投诉未解决：服务态度（8月20日）", "已95天未联系（贵宾客户应每两周联系一次）")


def test_house_purchase_is_consumption_driven(session):
    b.bank(session)
    c = b.customer(session, "王秀英", aum_wan=60)
    b.snapshot(session, c, date(2026, 10, 1), 60)
    b.contact(session, c, date(2026, 10, 20), stated_purpose="house")
    b.txn(session, c, date(2026, 11, 6), 50, "out", purpose="house", channel="counter")
    kind = churn_type_of(session, c)
    assert kind.code == "consumption"
    assert kind.evidence == ("10月20日联系记录：资金要用于买房", "11月6日取出50万用于买房")


def test_what_the_client_told_the_rm_outweighs_a_maturity(session):
    b.bank(session)
    c = b.customer(session, "周敏", aum_wan=60)
    b.snapshot(session, c, date(2026, 10, 1), 60)
    b.holding(session, c, "wealth", 30, buy=date(2026, 5, 27), maturity=date(2026, 11, 25))
    b.txn(session, c, date(2026, 10, 1), 1, "out", other_bank=True)
    b.contact(session, c, date(2026, 11, 10), stated_purpose="car")
    assert churn_type_of(session, c).code == "consumption"


def test_stated_interest_in_another_banks_product_is_product_driven(session):
    b.bank(session)
    c = b.customer(session, "赵磊", aum_wan=60)
    b.snapshot(session, c, date(2026, 10, 1), 60)
    b.contact(session, c, date(2026, 11, 10), stated_purpose="other_bank")
    kind = churn_type_of(session, c)
    assert kind.code == "product"
    assert kind.evidence == ("11月10日联系记录：资金要用于买他行产品",)


def test_round_sum_parked_over_quarter_end_is_intermediary_driven(session):
    b.bank(session)
    c = b.customer(session, "孙强", aum_wan=3)
    b.snapshot(session, c, date(2026, 10, 1), 3)
    b.txn(session, c, date(2026, 9, 27), 100, "in", other_bank=True, channel="counter")
    b.txn(session, c, date(2026, 10, 3), 100, "out", other_bank=True, channel="counter")
    kind = churn_type_of(session, c)
    assert kind.code == "intermediary"
    assert kind.evidence == ("9月27日转入100万，10月3日转出100万（季末前后）",)


def test_quiet_healthy_client_has_no_type(session):
    b.bank(session)
    c = b.customer(session, "李静", aum_wan=30)
    b.snapshot(session, c, date(2026, 10, 1), 30)
    b.contact(session, c, AS_OF - timedelta(days=10))
    b.txn(session, c, date(2026, 11, 1), 1, "in", purpose="salary", channel="payroll")
    kind = churn_type_of(session, c)
    assert (kind.code, kind.evidence) == ("none", ())


def test_a_single_weak_signal_does_not_decide_a_type(session):
    b.bank(session)
    c = b.customer(session, "吴刚", aum_wan=30)
    b.snapshot(session, c, date(2026, 10, 1), 30)
    b.contact(session, c, AS_OF - timedelta(days=10))
    b.holding(session, c, "wealth", 20, buy=date(2026, 5, 27), maturity=date(2026, 11, 25))  # routine maturity
    assert churn_type_of(session, c).code == "none"
