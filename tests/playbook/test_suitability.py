"""Suitability: C1–C5 clients, R1–R5 products; nothing above the rating, an expired rating redone first, and
the disclosure and 双录 reminder wherever a product is suggested."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.playbook import suitability
from bot.playbook.next_steps import next_steps
from bot.playbook.scripts import script_for
from tests.playbook.rows import TODAY, WAN, MaturingHolding, situation

FRESH = TODAY - timedelta(days=100)
STALE = TODAY - timedelta(days=400)
DISCLOSURE = "理财非存款、产品有风险、投资须谨慎"


def wang(rating="C2", rated_on=FRESH, **kw):
    return situation(name="王秀英", gender="F", risk_rating=rating, risk_rated_on=rated_on, **kw)


def r3_maturing(days=3, type="wealth"):
    return (MaturingHolding("增利12个月理财", type, 30 * WAN, TODAY + timedelta(days=days), "R3"),)


@pytest.mark.parametrize(
    "rating, risk, ok", [("C2", "R3", False), ("C3", "R3", True), ("C5", "R1", True), ("C1", "R2", False)]
)
def test_a_product_above_the_clients_rating_is_never_suitable(rating, risk, ok):
    assert suitability.suits(wang(rating), risk, TODAY) is ok


def test_asking_for_an_r3_product_for_a_c2_client_is_refused_in_words():
    verdict = suitability.check(wang("C2"), "R3", TODAY)
    assert not verdict.ok
    assert verdict.text == "王女士的风险评级是C2，这款R3产品不适合她"


def test_a_rating_older_than_a_year_must_be_redone_before_any_sale():
    s = wang("C4", STALE)
    assert not suitability.suits(s, "R1", TODAY)
    verdict = suitability.check(s, "R1", TODAY)
    assert not verdict.ok and "已超过一年" in verdict.text and "重新评估" in verdict.text
    assert suitability.rating_state(wang("C4", TODAY - timedelta(days=365)), TODAY) == "valid"


def test_a_client_never_rated_is_assessed_first():
    assert "先做风险评估" in suitability.check(wang(None, None), "R1", TODAY).text


def test_the_maturing_script_of_a_c2_client_holding_an_r3_product_says_it_does_not_suit_her():
    script = script_for(wang("C2", maturing=r3_maturing()), "李明", "城东支行", TODAY, occasion="maturing_before")
    assert "王女士的风险评级是C2，这款R3产品不适合她，只能推荐R2及以下的产品" in script.notes
    assert "风险评估" in script.text  # offers only what her assessment allows


def test_the_next_steps_carry_the_same_refusal_and_the_expiry():
    steps = next_steps(wang("C2", maturing=r3_maturing()), TODAY)
    assert any("王女士的风险评级是C2，这款R3产品不适合她" in n for n in steps.notes)
    expired = next_steps(wang("C3", STALE, maturing=r3_maturing()), TODAY)
    assert any("已超过一年" in n for n in expired.notes)


def test_every_script_that_suggests_a_wealth_product_carries_the_disclosure_and_the_recorded_sale():
    s = wang("C3", maturing=r3_maturing(), demand_deposit_fen=8 * WAN, aum_fen=47 * WAN, fund_loss_pct=12.0,
             fund_loss_product="成长混合")  # fmt: skip
    for occasion in ("maturing_before", "demand_only", "tier_upgrade", "fund_loss_review"):
        for channel in ("phone", "meeting"):
            notes = script_for(s, "李明", "城东支行", TODAY, occasion=occasion, channel=channel).notes
            assert any(DISCLOSURE in n for n in notes), (occasion, channel)
            assert any("双录" in n for n in notes), (occasion, channel)
    assert any(DISCLOSURE in n for n in next_steps(s, TODAY).notes)


def test_a_net_value_product_is_described_as_such():
    script = script_for(wang("C3", maturing=r3_maturing(0)), "李明", "城东支行", TODAY, occasion="maturing_today")
    assert "净值型" in script.text and "本金" not in script.text
    assert any("净值型" in n for n in script.notes)


def test_a_maturing_deposit_returns_principal_and_interest_without_a_wealth_disclosure():
    deposit = (MaturingHolding("大额存单", "cd", 50 * WAN, TODAY, "R1"),)
    script = script_for(wang("C3", maturing=deposit), "李明", "城东支行", TODAY, occasion="maturing_today")
    assert "本金和利息" in script.text
    assert not any(DISCLOSURE in n for n in script.notes)


def test_scripts_that_sell_nothing_carry_no_sale_notes():
    script = script_for(wang(), "李明", "城东支行", TODAY, occasion="account_safety", channel="wechat")
    assert script.notes == ()


def test_phone_scripts_confirm_the_client_before_anything_else():
    s = wang("C3", maturing=r3_maturing())
    text = script_for(s, "李明", "城东支行", TODAY, occasion="maturing_before", channel="phone").text
    check = text.index("请问是王女士本人吗？")
    assert check < text.index("增利12个月理财") and check < text.index("30万")


@pytest.mark.parametrize("occasion", ["birthday", "fraud_warning"])
def test_care_scripts_do_not_end_with_a_sales_choice(occasion):
    s = wang(birth_date=date(1960, TODAY.month, TODAY.day), age=64)
    for channel in ("phone", "wechat", "sms", "meeting"):
        script = script_for(s, "李明", "城东支行", TODAY, occasion=occasion, channel=channel)
        assert script.kind == "care" and "还是" not in script.text.split("。")[-1], (occasion, channel)
        assert script.notes in ((), ("电话先确认是客户本人，再谈账户、产品或家事",))


def test_a_medical_withdrawal_is_care_and_sells_nothing():
    script = script_for(wang(), "李明", "城东支行", TODAY, purpose="medical", channel="meeting", amount_fen=30 * WAN)
    assert script.kind == "care"
    assert not any(DISCLOSURE in n for n in script.notes)


@pytest.mark.parametrize("channel", ["phone", "wechat", "sms", "meeting"])
def test_a_large_withdrawal_by_a_client_over_60_starts_with_the_fraud_screening_question(channel):
    s = wang(age=67)
    script = script_for(s, "李明", "城东支行", TODAY, purpose="house", channel=channel, amount_fen=50 * WAN)
    text = script.text
    if channel == "phone":
        text = text.split("本人吗？", 1)[1]
    elif channel == "sms":
        text = text.split("】", 1)[1]
    assert text.startswith(("先问您一句：这笔钱是您自己要用的吗？", "请先确认：这笔钱是您本人要用")), text
    young = script_for(wang(age=45), "李明", "城东支行", TODAY, purpose="house", channel=channel, amount_fen=50 * WAN)
    assert "先问您一句" not in young.text and "请先确认" not in young.text


def test_a_walk_in_at_the_counter_is_told_to_check_the_rating_before_any_sale():
    s = situation(customer_id=0, name="", gender="", age=0, risk_rating=None, risk_rated_on=None)
    script = script_for(s, "李明", "城东支行", TODAY, occasion="large_withdrawal", purpose="house", channel="meeting")
    assert any("先查客户的风险评级" in n for n in script.notes)
    assert script.text.startswith("先问您一句")  # age unknown: screened like a client over 60
