from __future__ import annotations

from datetime import date

from bot.tiers import WAN
from scoring import reason_text as rt

AS_OF = date(2026, 11, 18)


def test_asset_drop_shows_percentage_and_both_amounts():
    facts = {"aum_fen": 50 * WAN, "aum_90d_ago_fen": 86 * WAN}
    assert rt.aum_drop(facts, 90) == "近90天资产下降42%（86万→50万）"


def test_asset_growth_is_not_worded_as_a_drop():
    assert rt.aum_drop({"aum_fen": 90 * WAN, "aum_90d_ago_fen": 86 * WAN}, 90) is None


def test_single_maturity_names_amount_product_and_days_left():
    facts = {
        "as_of": AS_OF,
        "next_maturity_on": date(2026, 11, 23),
        "next_maturity_fen": 30 * WAN,
        "next_maturity_type": "wealth",
        "maturing_30d_fen": 30 * WAN,
        "maturing_30d_count": 1,
    }
    assert rt.maturing(facts) == "30万理财5天后到期"
    assert rt.maturing({**facts, "next_maturity_on": AS_OF}) == "30万理财今天到期"
    assert (
        rt.maturing({**facts, "next_maturity_on": date(2026, 11, 19), "next_maturity_type": "cd"})
        == "30万大额存单明天到期"
    )


def test_several_maturities_are_summed_with_the_first_date():
    facts = {
        "as_of": AS_OF,
        "next_maturity_on": date(2026, 11, 23),
        "next_maturity_fen": 30 * WAN,
        "next_maturity_type": "wealth",
        "maturing_30d_fen": 45 * WAN,
        "maturing_30d_count": 2,
    }
    assert rt.maturing(facts) == "30天内45万产品到期（最早5天后）"


def test_contact_gap_quotes_the_tiers_rule():
    assert rt.no_contact({"days_since_contact": 78, "contact_every_days": 14, "aum_fen": 80 * WAN}) == (
        "已78天未联系（贵宾客户应每两周联系一次）"
    )
    assert rt.no_contact({"days_since_contact": None, "contact_every_days": 7, "aum_fen": 300 * WAN}) == (
        "一年内没有联系记录（钻石客户应每周联系一次）"  # 300万: 钻石 (私行 starts at 600万)
    )
    assert rt.no_contact({"days_since_contact": 10, "contact_every_days": 14, "aum_fen": 80 * WAN}) is None


def test_other_texts_carry_their_numbers():
    facts = {
        "other_bank_out_30d_fen": 12 * WAN,
        "stated_purpose": "house",
        "stated_purpose_on": date(2026, 10, 9),
        "fund_cost_fen": 20 * WAN,
        "fund_value_fen": 17 * WAN,
        "open_complaints": 1,
        "open_complaint_category": "服务态度",
        "open_complaint_filed_on": date(2026, 9, 1),
        "salary_stopped": True,
        "last_salary_on": date(2026, 8, 10),
        "round_trip_fen": 100 * WAN,
        "round_trip_out_fen": 100 * WAN,
        "round_trip_in_on": date(2026, 9, 27),
        "round_trip_out_on": date(2026, 10, 3),
        "low_yield_insurance_fen": 20 * WAN,
        "low_yield_insurance_bp": 210,
    }
    assert rt.other_bank(facts, 30) == "近30天转出他行12万"
    assert rt.purchase(facts) == "10月9日客户说资金要用于买房"
    assert rt.fund_loss(facts) == "基金亏损15%（浮亏3万）"
    assert rt.complaint(facts) == "投诉未解决：服务态度（9月1日）"
    assert rt.salary_stopped(facts) == "代发工资已停发（最后一笔8月10日）"
    assert rt.round_trip(facts) == "9月27日转入100万，10月3日转出100万"
    assert rt.low_yield_insurance(facts) == "持有低收益银保20万（年化约2.1%）"


def test_every_reason_fits_on_a_phone_line():
    facts = {
        "as_of": AS_OF,
        "next_maturity_on": date(2026, 11, 23),
        "next_maturity_fen": 3000 * WAN,
        "next_maturity_type": "term_deposit",
        "maturing_30d_fen": 3000 * WAN,
        "maturing_30d_count": 5,
        "days_since_contact": 365,
        "contact_every_days": 7,
        "aum_fen": 3000 * WAN,
    }
    for text in (rt.maturing(facts), rt.no_contact(facts)):
        assert len(text) <= 24


def test_largest_outflow_says_what_it_was_for_or_where_it_went():
    facts = {"largest_out_30d_fen": 50 * WAN, "largest_out_30d_on": date(2026, 11, 2)}
    assert rt.largest_outflow({**facts, "largest_out_30d_purpose": "house"}) == "11月2日单笔转出50万（买房）"
    assert rt.largest_outflow({**facts, "largest_out_30d_purpose": "transfer", "largest_out_30d_other_bank": True}) == (
        "11月2日单笔转出50万（转往他行）"
    )
    assert rt.largest_outflow({**facts, "largest_out_30d_fen": 9_000 * 100}) is None  # everyday spending
