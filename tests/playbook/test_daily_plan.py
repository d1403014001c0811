import random
from datetime import date, timedelta

from bot.playbook.daily_plan import daily_plan
from bot.playbook.scripts import OCCASIONS
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


def recent(days=3):
    return LastContact(TODAY - timedelta(days=days), "phone", "reached", None, "rm1")


def matures(days, amount=30 * WAN, name="稳盈90天"):
    return (MaturingHolding(name, "wealth", amount, TODAY + timedelta(days=days)),)


def plan_names(situations):
    return [item.name for item in daily_plan(situations, TODAY)]


def test_the_most_at_stake_comes_first_announced_withdrawals_and_large_same_day_maturities_on_top():
    # Expected loss = likelihood × money × 1/(1 + days until it can go) (bot/playbook/stake.py).
    said = LastContact(TODAY - timedelta(days=2), "phone", "reached", "house", "rm1", 50 * WAN, TODAY + timedelta(1))
    book = [
        situation(customer_id=1, name="高风险私行", tier="private", aum_fen=300 * WAN, last_contact=recent(),
                  latest_score=LatestScore(0.9, "product", "他行转出", TODAY)),  # 0.9 × 300万 / 15
        situation(customer_id=2, name="明天到期", maturing=matures(1)),  # 0.3 × 30万 / 2
        situation(customer_id=3, name="大额流出", aum_fen=80 * WAN, outflow_30d_fen=25 * WAN,
                  last_notable_outflow_on=TODAY - timedelta(days=1),
                  largest_day_outflow=DayMovement(TODAY - timedelta(days=1), "out", 25 * WAN)),  # 0.6 × 80万 / 4
        situation(customer_id=4, name="今天到期", maturing=matures(0)),  # 0.3 × 30万 / 1
        situation(customer_id=5, name="明天要取50万", last_contact=said),  # 1.0 × 50万 / 2
        situation(customer_id=6, name="私行今天到期300万", tier="private", aum_fen=320 * WAN,
                  maturing=matures(0, 300 * WAN)),  # 0.3 × 300万 / 1
    ]  # fmt: skip
    # What cannot wait (the client's own word, 20万+ maturing today) first, then by expected loss.
    assert plan_names(book) == ["私行今天到期300万", "明天要取50万", "今天到期", "高风险私行", "大额流出", "明天到期"]
    plan = daily_plan(book, TODAY)
    assert plan[1].reason == "announced_withdrawal" and plan[1].why.startswith("明天要取出50万（买房）")


def test_an_announcement_is_live_until_its_day_and_an_undated_one_for_two_weeks():
    def said(days_ago, on):
        return LastContact(TODAY - timedelta(days=days_ago), "phone", "reached", None, "rm1", 30 * WAN, on)

    live = [
        situation(customer_id=1, name="今天要取", last_contact=said(1, TODAY)),
        situation(customer_id=2, name="近日要取", last_contact=said(10, None)),
    ]
    gone = [
        situation(customer_id=3, name="昨天已取", last_contact=said(3, TODAY - timedelta(days=1))),
        situation(customer_id=4, name="很久前说的", last_contact=said(20, None)),
    ]
    reasons = {i.name: i.reason for i in daily_plan(live + gone, TODAY)}
    assert reasons["今天要取"] == reasons["近日要取"] == "announced_withdrawal"
    assert "昨天已取" not in reasons or reasons["昨天已取"] != "announced_withdrawal"
    assert "很久前说的" not in reasons or reasons["很久前说的"] != "announced_withdrawal"


def test_risk_complaints_and_overdue_contacts_go_by_what_the_client_holds_and_how_likely_they_leave():
    overdue_vip = situation(customer_id=1, name="贵宾逾期", tier="vip", aum_fen=60 * WAN, last_contact=recent(20))
    risky_gold = situation(
        customer_id=2, name="金卡高风险", tier="gold", latest_score=LatestScore(0.95, "service", "久未联系", TODAY)
    )
    risky_private = situation(
        customer_id=3, name="私行高风险", tier="private", aum_fen=300 * WAN, last_contact=recent(2),
        latest_score=LatestScore(0.6, "product", "理财到期", TODAY),
    )  # fmt: skip
    complaint_gold = situation(
        customer_id=4, name="金卡投诉", tier="gold", open_complaint=OpenComplaint("fee", date(2024, 11, 1))
    )
    # 0.6 × 300万 / 15 · 0.95 × 30万 / 15 · 0.3 × 30万 / 8 · 0.05 × 60万 / 31
    assert plan_names([overdue_vip, risky_gold, risky_private, complaint_gold]) == [
        "私行高风险", "金卡高风险", "金卡投诉", "贵宾逾期",
    ]  # fmt: skip


def test_relationship_lines_follow_what_is_at_stake():
    book = [
        situation(customer_id=1, name="周五到期", maturing=matures(2)),  # 0.2 × 30万 / 3
        situation(customer_id=2, name="后天生日", birth_date=date(1970, 11, 29)),  # 0.02 × 30万 / 3
        situation(customer_id=3, name="逾期", last_contact=recent(45)),  # 0.05 × 30万 / 31
        situation(customer_id=4, name="下周到期", maturing=matures(9)),  # beyond the week: not on the plan
    ]
    assert plan_names(book) == ["周五到期", "后天生日", "逾期"]


def test_each_line_says_why_and_which_script_to_use():
    book = [
        situation(customer_id=1, name="张伟", maturing=matures(0, 12 * WAN, "大额存单")),
        situation(customer_id=2, name="李娜", last_contact=None, contacted_by_rm=False),
        situation(customer_id=3, name="王芳", birth_date=date(1970, 11, 27)),
    ]
    items = {i.name: i for i in daily_plan(book, TODAY)}
    assert (items["张伟"].why, items["张伟"].occasion, items["张伟"].occasion_title) == (
        "大额存单今天到期（12万）",
        "maturing_today",
        "产品到期当天",
    )
    assert (items["李娜"].reason, items["李娜"].occasion) == ("never_contacted", "first_contact")
    assert (items["王芳"].why, items["王芳"].occasion) == ("今天生日", "birthday")


def test_a_movement_already_followed_up_is_not_listed_again():
    followed = situation(
        outflow_30d_fen=25 * WAN,
        last_notable_outflow_on=TODAY - timedelta(days=5),
        last_contact=recent(2),
        largest_day_outflow=DayMovement(TODAY - timedelta(days=5), "out", 25 * WAN),
    )
    assert daily_plan([followed], TODAY) == []


def test_clients_not_worth_chasing_appear_only_to_report_a_large_movement():
    quiet_bz = situation(customer_id=1, value_class="BZ", maturing=matures(0), last_contact=recent(90))
    moving = situation(
        customer_id=2, name="中介资金", outflow_30d_fen=500 * WAN, last_notable_outflow_on=TODAY,
        largest_day_outflow=DayMovement(TODAY, "out", 500 * WAN),
        latest_score=LatestScore(0.9, "intermediary", "月末进出", TODAY), last_contact=recent(5),
    )  # fmt: skip
    items = daily_plan([quiet_bz, moving], TODAY)
    assert [(i.name, i.reason) for i in items] == [("中介资金", "large_outflow_report")]
    assert "不追加优惠" in items[0].why


def test_a_large_inflow_is_followed_up_too():
    moved = DayMovement(TODAY - timedelta(days=3), "in", 40 * WAN)
    s = situation(aum_fen=80 * WAN, inflow_30d_fen=40 * WAN, largest_day_inflow=moved, last_contact=recent(40))
    item = daily_plan([s], TODAY)[0]
    assert (item.group, item.reason, item.why) == (1, "large_inflow", "11月24日单日流入40万：报告网点负责人，尽快跟进")


def test_a_quiet_client_is_not_on_the_plan():
    assert daily_plan([situation()], TODAY) == []


def test_the_order_is_the_same_whatever_order_the_clients_come_in():
    rng = random.Random(7)
    book = []
    for i in range(200):
        book.append(
            situation(
                customer_id=i,
                name=f"客户{i}",
                tier=rng.choice(["private", "vip", "gold", "basic"]),
                aum_fen=rng.choice([3, 30, 60, 300]) * WAN,
                maturing=matures(rng.randint(0, 10)) if rng.random() < 0.3 else (),
                last_contact=recent(rng.randint(0, 90)) if rng.random() < 0.9 else None,
                latest_score=(
                    LatestScore(round(rng.random(), 2), "product", "理财到期", TODAY) if rng.random() < 0.5 else None
                ),
                birth_date=date(1970, rng.randint(1, 12), rng.randint(1, 28)),
            )
        )
    first = daily_plan(book, TODAY)
    shuffled = book[:]
    rng.shuffle(shuffled)
    assert daily_plan(shuffled, TODAY) == first
    assert daily_plan({s.customer_id: s for s in shuffled}, TODAY) == first
    assert len({i.customer_id for i in first}) == len(first)
    urgent = [i.reason == "announced_withdrawal" or (i.reason == "maturing_today" and i.large) for i in first]
    assert urgent == sorted(urgent, reverse=True)  # what cannot wait comes first
    for part in (True, False):
        stakes = [i.stake for i, u in zip(first, urgent) if u is part]
        assert stakes == sorted(stakes, reverse=True)  # then the most at stake
    for item in first:
        assert item.occasion in OCCASIONS
        assert item.why and "{" not in item.why and "None" not in item.why
