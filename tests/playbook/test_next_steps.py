from datetime import date, timedelta

import pytest

from bot.playbook.next_steps import next_steps
from tests.playbook.rows import (
    TODAY,
    WAN,
    DayMovement,
    LastContact,
    LatestScore,
    MaturingHolding,
    OpenComplaint,
    situation,
)


def codes(steps):
    return [a.code for a in steps.actions]


def action(steps, code):
    return next(a for a in steps.actions if a.code == code)


@pytest.mark.parametrize(
    "value_class, tier, priority",
    [
        ("MVC", "private", "fight_hard"),
        ("MVC", "vip", "fight_hard"),
        ("MGC", "private", "fight_hard"),
        ("MVC", "gold", "try"),
        ("MGC", "vip", "try"),
        ("LVC", "private", "try"),
        ("LVC", "gold", "opportunistic"),
        ("MGC", "basic", "opportunistic"),
        ("BZ", "private", "do_not_chase"),
    ],
)
def test_retention_priority_follows_value_class_and_tier(value_class, tier, priority):
    assert next_steps(situation(value_class=value_class, tier=tier), TODAY).priority == priority


def test_priority_has_a_chinese_label():
    assert next_steps(situation(value_class="MVC", tier="vip"), TODAY).priority_label == "全力挽留"


def test_call_the_day_before_maturity_with_a_comparable_product():
    s = situation(maturing=(MaturingHolding("稳盈90天", "wealth", 30 * WAN, TODAY + timedelta(days=5)),))
    call = action(next_steps(s, TODAY), "call_before_maturity")
    assert call.due_on == TODAY + timedelta(days=4)
    assert "稳盈90天" in call.text and "30万" in call.text and "同类理财" in call.text


def test_maturity_today_means_call_today():
    s = situation(maturing=(MaturingHolding("大额存单", "cd", 50 * WAN, TODAY),))
    steps = next_steps(s, TODAY)
    assert action(steps, "call_on_maturity_day").due_on == TODAY
    assert steps.occasion == "maturing_today"


def test_an_open_complaint_is_resolved_first():
    s = situation(
        open_complaint=OpenComplaint("wait_time", date(2024, 11, 10)),
        maturing=(MaturingHolding("稳盈90天", "wealth", 30 * WAN, TODAY + timedelta(days=5)),),
    )
    steps = next_steps(s, TODAY)
    assert codes(steps)[0] == "resolve_complaint"
    assert "排队等候" in steps.actions[0].text and "11月10日" in steps.actions[0].text


def test_a_200_000_outflow_on_one_day_is_reported_to_the_branch_head():
    moved = DayMovement(date(2024, 11, 25), "out", 20 * WAN)
    steps = next_steps(situation(aum_fen=60 * WAN, outflow_30d_fen=20 * WAN, largest_day_outflow=moved), TODAY)
    assert action(steps, "report_outflow").due_on == TODAY
    assert action(steps, "report_outflow").text == "11月25日（周一）单日流出20万（达20万）：向网点负责人报告"


def test_a_200_000_inflow_on_one_day_is_reported_too():
    moved = DayMovement(date(2024, 11, 20), "in", 25 * WAN)
    s = situation(aum_fen=80 * WAN, inflow_30d_fen=25 * WAN, outflow_30d_fen=2 * WAN, largest_day_inflow=moved)
    assert "report_inflow" in codes(next_steps(s, TODAY))


def test_movements_under_200_000_are_not_reported():
    found = codes(next_steps(situation(aum_fen=80 * WAN, outflow_30d_fen=19 * WAN, inflow_30d_fen=19 * WAN), TODAY))
    assert "report_outflow" not in found and "report_inflow" not in found


def test_intermediary_money_gets_no_special_terms_and_no_chasing():
    s = situation(
        latest_score=LatestScore(0.9, "intermediary", "月末大额进出", TODAY),
        outflow_30d_fen=300 * WAN,
        largest_day_outflow=DayMovement(TODAY, "out", 300 * WAN),
        maturing=(MaturingHolding("稳盈90天", "wealth", 300 * WAN, TODAY + timedelta(days=3)),),
    )
    steps = next_steps(s, TODAY)
    assert steps.priority == "do_not_chase"
    assert codes(steps) == ["report_outflow", "no_special_terms"]


def test_a_negative_value_client_is_not_chased_but_a_complaint_is_still_handled():
    s = situation(value_class="BZ", open_complaint=OpenComplaint("fee", date(2024, 11, 1)))
    assert codes(next_steps(s, TODAY)) == ["resolve_complaint", "do_not_chase"]


def test_a_stated_house_purpose_makes_the_client_consumption_driven():
    s = situation(
        last_contact=LastContact(date(2024, 11, 26), "phone", "reached", "house", "rm1"),
        latest_score=LatestScore(0.6, "product", "理财到期", date(2024, 11, 20)),
    )
    steps = next_steps(s, TODAY)
    assert steps.churn_type == "consumption"
    assert "买房" in action(steps, "offer_financing").text


def test_a_score_newer_than_the_stated_purpose_keeps_its_churn_type():
    s = situation(
        last_contact=LastContact(date(2024, 11, 10), "phone", "reached", "house", "rm1"),
        latest_score=LatestScore(0.6, "service", "久未联系", date(2024, 11, 20)),
    )
    assert next_steps(s, TODAY).churn_type == "service"


def test_contact_due_date_follows_the_tier_frequency():
    s = situation(aum_fen=60 * WAN, last_contact=LastContact(date(2024, 11, 20), "phone", "reached", None, "rm1"))
    steps = next_steps(s, TODAY)
    assert (steps.contact_due_on, steps.overdue_days) == (date(2024, 12, 4), 0)
    assert action(steps, "contact_due").due_on == date(2024, 12, 4)


def test_an_overdue_contact_says_by_how_many_days():
    s = situation(aum_fen=250 * WAN, last_contact=LastContact(date(2024, 11, 1), "phone", "reached", None, "rm1"))
    steps = next_steps(s, TODAY)
    assert steps.overdue_days == 19  # weekly: due 11月8日
    assert "已逾期19天" in action(steps, "contact_overdue").text
    assert "钻石客户应每周联系一次" in action(steps, "contact_overdue").text  # 250万: 钻石 (私行 starts at 600万)


def test_opportunities_are_listed_after_the_urgent_actions():
    s = situation(
        aum_fen=48 * WAN,
        fund_loss_pct=22.0,
        fund_loss_product="成长混合",
        low_yield_insurance=True,
        low_yield_insurance_product="鑫享年金",
        open_complaint=OpenComplaint("fee", date(2024, 11, 1)),
    )
    found = codes(next_steps(s, TODAY))
    assert found[0] == "resolve_complaint"
    assert found[-3:] == ["fund_review", "insurance_review", "upgrade_invite"]


def test_every_action_text_is_filled_in():
    s = situation(
        value_class="MGC",
        aum_fen=8 * WAN,
        demand_deposit_fen=8 * WAN,
        active_holding_count=0,
        last_contact=None,
        contacted_by_rm=False,
        outflow_30d_fen=30 * WAN,
        outflow_30d_other_bank_fen=30 * WAN,
        latest_score=LatestScore(0.7, "consumption", None, TODAY),
        open_complaint=OpenComplaint("unknown_code", date(2024, 11, 1)),
    )
    for a in next_steps(s, TODAY).actions:
        assert "{" not in a.text and "None" not in a.text and a.text, a
    assert "未分类" in next_steps(s, TODAY).actions[0].text
