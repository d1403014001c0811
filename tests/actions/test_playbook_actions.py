"""Scripts, next steps, today's plan, segments and the branch overview, on a small hand-built branch.

Today is Wednesday 2026-11-18 (tests/conftest.py). 城东支行: RMs 王丽 (rm01) and 赵强 (rm02), branch head
周敏 (bh01), counter clerk 孙倩 (ct01).
"""

from datetime import date, datetime

from sqlalchemy import select

from actions.paging import ActionMore
from actions.playbook import (
    ActionAskNextSteps,
    ActionAskScript,
    ActionBranchOverview,
    ActionDailyPlan,
    ActionQuerySegment,
)
from bot import replies
from bot.replies import playbook as wording
from bot.store.db import session_scope
from bot.store.models import AuditEntry, Customer, Holding
from bot.tiers import WAN
from tests import factories as f
from tests.actions.trackers import entity, run, slot, tracker

WECOM_MAX_BYTES = 2048


def _branch(s):
    f.branch(s, 1)
    f.staff(s, "rm01", "王丽")
    f.staff(s, "rm02", "赵强")
    f.staff(s, "bh01", "周敏", role="branch_head")
    f.staff(s, "ct01", "孙倩", role="counter")


def _book(db):
    """王秀英 (rm01): 48万, 稳享12个月 30万 maturing tomorrow. 李娜 (rm02): 47万, nothing maturing."""
    with session_scope(db) as s:
        _branch(s)
        wang = f.customer(s, "王秀英", "rm01", aum_wan=48, phone="13912345678")
        f.holding(s, wang, f.product(s, "wealth", "稳享12个月"), 30, date(2026, 11, 19))
        f.contact(s, "rm01", wang, datetime(2026, 11, 2, 10, 0))
        li = f.customer(s, "李娜", "rm02", aum_wan=47)
        f.contact(s, "rm02", li, datetime(2026, 11, 2, 10, 0))
        return wang.id, li.id


def _fund_loss(s, customer, name, loss_pct):
    product = f.product(s, "fund", name)
    s.add(
        Holding(
            customer_id=customer.id, product_id=product.id, amount_fen=10 * WAN,
            current_value_fen=int(10 * WAN * (100 - loss_pct) / 100), buy_date=date(2026, 1, 5), status="active",
        )
    )  # fmt: skip


def _audit(db, staff_id):
    with session_scope(db) as s:
        rows = s.execute(select(AuditEntry).where(AuditEntry.staff_id == staff_id).order_by(AuditEntry.id)).scalars()
        return [(r.intent, r.customer_id) for r in rows]


# --- ask_script -----------------------------------------------------------------------------------


async def test_script_for_own_client_is_personal_says_why_and_sets_focus(db):
    wang_id, _ = _book(db)
    text = "给王秀英打电话怎么说"
    trk = tracker(
        "rm01",
        text,
        "ask_script",
        [entity(text, "customer_name", "王秀英"), entity(text, "contact_channel", "电话", "phone")],
    )
    messages, events = await run(ActionAskScript(), trk)
    reply = messages[0]
    assert reply.startswith("王秀英｜产品到期前·电话：")
    assert "您好，我是城东支行的客户经理王丽，请问是王女士本人吗？" in reply  # identity first
    assert "稳享12个月（30万）11月19日（周四）到期" in reply
    assert "\n为什么选这段：稳享12个月（30万）11月19日（周四）到期" in reply
    assert slot(events, "focus_customer_id") == wang_id
    assert _audit(db, "rm01") == [("ask_script", wang_id)]


async def test_rm_cannot_get_a_script_for_another_rms_client(db):
    _book(db)
    text = "给李娜打电话怎么说"
    messages, events = await run(
        ActionAskScript(), tracker("rm01", text, "ask_script", [entity(text, "customer_name", "李娜")])
    )
    assert "在您可查看的客户里没有" in messages[0]
    assert "李女士" not in messages[0] and "为什么选这段" not in messages[0]
    assert slot(events, "focus_customer_id") is None


async def test_script_follow_up_with_a_pronoun_uses_the_client_in_focus(db):
    wang_id, _ = _book(db)
    text = "给她发个微信怎么写"
    trk = tracker(
        "rm01",
        text,
        "ask_script",
        [entity(text, "contact_channel", "微信", "wechat")],
        slots={"focus_customer_id": wang_id},
    )
    messages, _ = await run(ActionAskScript(), trk)
    assert messages[0].startswith("王秀英｜产品到期前·微信：") and "王女士您好" in messages[0]


async def test_counter_interception_for_a_known_client_uses_the_stated_purpose_and_sum(db):
    wang_id, _ = _book(db)
    text = "客户王秀英要取五十万说是买房"
    trk = tracker(
        "ct01", text, "ask_script",
        [entity(text, "customer_name", "王秀英"), entity(text, "amount", "五十万"), entity(text, "purpose", "买房", "house")],
    )  # fmt: skip
    messages, events = await run(ActionAskScript(), trk)
    reply = messages[0]
    assert reply.startswith("王秀英｜大额取款挽留·面谈：")
    assert "王女士，恭喜您要买房了！这50万取出来之前" in reply
    assert slot(events, "focus_customer_id") == wang_id


async def test_walk_in_interception_without_a_name_is_generic_and_ignores_the_client_in_focus(db):
    wang_id, _ = _book(db)
    text = "客户要取五十万说是买房怎么挽留"
    trk = tracker(
        "ct01", text, "ask_script", [entity(text, "amount", "五十万"), entity(text, "purpose", "买房", "house")],
        slots={"focus_customer_id": wang_id},
    )  # fmt: skip
    messages, events = await run(ActionAskScript(), trk)
    reply = messages[0]
    # Age unknown at the counter: the fraud-screening question comes before anything else.
    assert reply.startswith("通用拦截话术（买房·面谈）：\n先问您一句：这笔钱是您自己要用的吗？")
    assert "尊敬的客户，恭喜您要买房了！这50万取出来之前" in reply
    assert "王" not in reply
    assert slot(events, "focus_customer_id") is None
    assert _audit(db, "ct01") == [("ask_script", None)]


async def test_medical_withdrawal_gets_its_own_interception_script(db):
    _book(db)
    text = "客户要取二十万说是看病，怎么说"
    trk = tracker(
        "ct01", text, "ask_script", [entity(text, "amount", "二十万"), entity(text, "purpose", "看病", "medical")]
    )
    messages, _ = await run(ActionAskScript(), trk)
    lines = messages[0].splitlines()
    assert lines[0] == "通用拦截话术（看病就医·面谈）："
    assert "20万" in messages[0] and "康复" not in lines[0] and "先保证治疗" in messages[0]
    assert lines[2].startswith("为什么选这段：为看病取资金")  # then the RM's notes (fraud screening first)


async def test_script_without_a_client_asks_which_one(db):
    _book(db)
    messages, _ = await run(ActionAskScript(), tracker("rm01", "给个话术", "ask_script"))
    assert messages == [wording.SCRIPT_WHICH_CLIENT]


# --- ask_next_steps -------------------------------------------------------------------------------


async def test_next_steps_give_priority_due_date_and_concrete_actions(db):
    wang_id, _ = _book(db)
    text = "王秀英下一步怎么跟进"
    messages, events = await run(
        ActionAskNextSteps(), tracker("rm01", text, "ask_next_steps", [entity(text, "customer_name", "王秀英")])
    )
    lines = messages[0].splitlines()
    # MGC at the gold tier: 尽力挽留; gold clients are called monthly, last call 11-02.
    assert lines[0] == "王秀英（金卡）：尽力挽留｜暂无明显类型"
    assert lines[1] == "该做的事："
    assert lines[2].startswith("1. 11月18日（周三）前联系：稳享12个月（30万）11月19日（周四）到期")
    assert lines[3] == "2. 下次联系不晚于12月2日（周三）（每月联系一次）"
    assert "离贵宾客户只差2万：邀约升级" in messages[0]
    assert slot(events, "focus_customer_id") == wang_id
    assert _audit(db, "rm01") == [("ask_next_steps", wang_id)]


async def test_next_steps_without_a_contact_schedule_say_so(db):
    with session_scope(db) as s:
        _branch(s)
        f.customer(s, "刘平", "rm01", aum_wan=3)  # under 5万: no scheduled contact
    text = "刘平下一步怎么跟进"
    messages, _ = await run(
        ActionAskNextSteps(), tracker("rm01", text, "ask_next_steps", [entity(text, "customer_name", "刘平")])
    )
    assert messages[0].splitlines()[1] == "联系频率：无固定要求"


async def test_next_steps_for_another_rms_client_is_refused(db):
    _book(db)
    text = "李娜下一步怎么跟进"
    messages, _ = await run(
        ActionAskNextSteps(), tracker("rm01", text, "ask_next_steps", [entity(text, "customer_name", "李娜")])
    )
    assert "在您可查看的客户里没有" in messages[0] and "挽留" not in messages[0]


# --- daily_plan -----------------------------------------------------------------------------------


def _busy_book(db):
    """rm01: eleven gold clients with a product maturing tomorrow (10万..20万) and 陈建国 (钻石, never
    called). rm02's 李娜 also has a product maturing tomorrow."""
    with session_scope(db) as s:
        _branch(s)
        p = f.product(s, "wealth", "稳享6个月")
        for i in range(11):
            c = f.customer(s, f"客户{i:02d}", "rm01")
            f.holding(s, c, p, 10 + i, date(2026, 11, 19))
            f.contact(s, "rm01", c, datetime(2026, 11, 10, 9, 0))
        chen = f.customer(s, "陈建国", "rm01", gender="M", aum_wan=320)
        li = f.customer(s, "李娜", "rm02")
        f.holding(s, li, p, 99, date(2026, 11, 19))
        return chen.id


async def test_daily_plan_puts_tomorrows_maturities_first_ten_at_a_time(db):
    _busy_book(db)
    messages, events = await run(ActionDailyPlan(), tracker("rm01", "今天先联系谁", "daily_plan"))
    lines = messages[0].splitlines()
    assert lines[0] == "今天先联系这些客户（共12位）："
    assert lines[1] == "1. 客户10（金卡）稳享6个月明天到期（20万）"
    assert lines[10] == "10. 客户01（金卡）稳享6个月明天到期（11万）"
    assert lines[11] == "还有2位，" + replies.MORE_HINT
    assert "李娜" not in messages[0]
    state = slot(events, "last_list")
    assert {k: v for k, v in state.items() if k != "shown"} == {
        "kind": "daily_plan",
        "request": {"time_span": None, "top_n_span": None},
        "offset": 10,
    }
    assert len(state["shown"]) == 10  # who was on the page, for "第三个"


async def test_more_continues_the_daily_plan_and_one_client_on_a_page_takes_focus(db):
    chen_id = _busy_book(db)
    state = {"kind": "daily_plan", "request": {"time_span": None, "top_n_span": None}, "offset": 11}
    messages, events = await run(ActionMore(), tracker("rm01", "还有吗", "more", slots={"last_list": state}))
    assert messages[0].splitlines() == [
        "续上（第12–12位，共12位）",
        "12. 陈建国（钻石）还没有联系记录，钻石客户应每周联系一次",
    ]
    assert slot(events, "focus_customer_id") == chen_id
    assert slot(events, "last_list")["offset"] == 12


async def test_daily_plan_is_audited_for_every_client_listed(db):
    _busy_book(db)
    text = "今天前3个要联系的客户"
    await run(
        ActionDailyPlan(),
        tracker("rm01", text, "daily_plan", [entity(text, "time_range", "今天"), entity(text, "top_n", "前3个")]),
    )
    audited = _audit(db, "rm01")
    assert len(audited) == 3 and {intent for intent, _ in audited} == {"daily_plan"}


async def test_daily_plan_for_tomorrow_reads_the_facts_as_of_tomorrow(db):
    _busy_book(db)
    text = "明天先联系谁"
    messages, _ = await run(
        ActionDailyPlan(), tracker("rm01", text, "daily_plan", [entity(text, "time_range", "明天")])
    )
    assert messages[0].splitlines()[1] == "1. 客户10（金卡）稳享6个月今天到期（20万）"
    assert messages[0].startswith("明天（11月19日）先联系这些客户")


async def test_daily_plan_is_not_offered_to_counter_staff(db):
    _busy_book(db)
    messages, _ = await run(ActionDailyPlan(), tracker("ct01", "今天先联系谁", "daily_plan"))
    assert messages == [replies.PLAN_NOT_FOR_COUNTER]


# --- query_segment --------------------------------------------------------------------------------


async def test_segment_lists_only_the_rms_own_clients(db):
    wang_id, _ = _book(db)
    messages, events = await run(ActionQuerySegment(), tracker("rm01", "临界客户有哪些", "query_segment"))
    assert messages[0].splitlines() == [
        "您名下的临界客户（离上一级差不到10%）共1位：",
        "1. 王秀英（金卡）资产48万，差2万升贵宾",
    ]
    assert slot(events, "focus_customer_id") == wang_id
    assert _audit(db, "rm01") == [("query_segment", wang_id)]


async def test_segment_for_a_branch_head_covers_the_branch(db):
    _book(db)
    messages, events = await run(ActionQuerySegment(), tracker("bh01", "临界客户有哪些", "query_segment"))
    assert messages[0].splitlines()[0] == "本网点的临界客户（离上一级差不到10%）共2位："
    assert "王秀英" in messages[0] and "李娜" in messages[0]
    assert slot(events, "focus_customer_id") is None


async def test_segment_threshold_comes_from_the_question(db):
    with session_scope(db) as s:
        _branch(s)
        _fund_loss(s, f.customer(s, "钱多多", "rm01"), "成长混合A", 20)
        _fund_loss(s, f.customer(s, "孙少少", "rm01"), "稳健债券C", 12)
    text = "基金亏损超过15%的客户"
    messages, _ = await run(
        ActionQuerySegment(), tracker("rm01", text, "query_segment", [entity(text, "product_type", "基金", "fund")])
    )
    assert messages[0].splitlines() == ["您名下的基金浮亏15%以上的客户共1位：", "1. 钱多多（金卡）成长混合A浮亏20%"]


async def test_segment_narrowed_to_a_tier(db):
    with session_scope(db) as s:
        _branch(s)
        chen = f.customer(s, "陈建国", "rm01", gender="M", aum_wan=80)
        f.contact(s, "rm01", chen, datetime(2026, 7, 1, 10, 0))
        liu = f.customer(s, "刘平", "rm01", aum_wan=30)
        f.contact(s, "rm01", liu, datetime(2026, 6, 1, 10, 0))
    text = "三个月没联系的贵宾客户"
    trk = tracker(
        "rm01", text, "query_segment", [entity(text, "time_range", "三个月"), entity(text, "tier", "贵宾", "vip")]
    )
    messages, _ = await run(ActionQuerySegment(), trk)
    assert messages[0].splitlines() == ["您名下的90天以上没联系的贵宾客户共1位：", "1. 陈建国（贵宾）已140天没联系"]


async def test_segment_pages_with_more(db):
    with session_scope(db) as s:
        _branch(s)
        for i in range(12):
            f.customer(s, f"老客户{i:02d}", "rm01", birth=date(1950 + i, 1, 1))
    messages, events = await run(ActionQuerySegment(), tracker("rm01", "60岁以上的客户", "query_segment"))
    assert messages[0].splitlines()[1].startswith("1. 老客户00（金卡）76岁")
    assert "还有2位" in messages[0]
    messages, _ = await run(
        ActionMore(), tracker("rm01", "还有吗", "more", slots={"last_list": slot(events, "last_list")})
    )
    assert [line.split("（")[0] for line in messages[0].splitlines()[1:]] == ["11. 老客户10", "12. 老客户11"]


async def test_unknown_segment_says_what_can_be_asked(db):
    _book(db)
    messages, _ = await run(ActionQuerySegment(), tracker("rm01", "女性客户有哪些", "query_segment"))
    assert messages == [wording.SEGMENT_NOT_UNDERSTOOD]


# --- branch_overview ------------------------------------------------------------------------------


async def test_branch_overview_is_refused_for_an_rm(db):
    _book(db)
    messages, _ = await run(ActionBranchOverview(), tracker("rm01", "网点整体预警怎么样", "branch_overview"))
    assert messages == [replies.NOT_ALLOWED]
    assert _audit(db, "rm01") == []


async def test_branch_overview_for_the_head_counts_per_rm(db):
    _book(db)
    messages, _ = await run(ActionBranchOverview(), tracker("bh01", "网点整体预警怎么样", "branch_overview"))
    lines = messages[0].splitlines()
    assert lines[0] == "城东支行概况（11月18日）"
    assert lines[2] == "本周到期1笔30万｜本月到期1笔30万"
    assert "王丽：客户1｜高风险0｜本周到期1笔30万" in lines[5]
    assert lines[6].startswith("赵强：客户1｜高风险0｜本周到期0笔")
    assert _audit(db, "bh01") == [("branch_overview", None)]


# --- shared ---------------------------------------------------------------------------------------


async def test_unknown_sender_gets_no_playbook_data(db):
    _book(db)
    for action, text, intent in [
        (ActionAskScript(), "给王秀英打电话怎么说", "ask_script"),
        (ActionDailyPlan(), "今天先联系谁", "daily_plan"),
        (ActionQuerySegment(), "临界客户有哪些", "query_segment"),
        (ActionBranchOverview(), "网点整体情况", "branch_overview"),
    ]:
        messages, _ = await run(action, tracker("intruder", text, intent))
        assert messages == [replies.NOT_STAFF], text


async def test_long_lists_stay_within_one_wecom_message(db):
    with session_scope(db) as s:
        _branch(s)
        p = f.product(s, "wealth", "安心稳健收益增强型理财产品第十二期")
        for i in range(15):
            c = f.customer(s, f"欧阳慕容{i:02d}", "rm01")
            f.holding(s, c, p, 100 + i, date(2026, 11, 18))
    messages, _ = await run(ActionDailyPlan(), tracker("rm01", "今天先联系谁", "daily_plan"))
    assert len(messages[0].encode("utf-8")) < WECOM_MAX_BYTES


async def test_the_plan_lists_what_an_rm_can_do_in_a_day_and_counts_the_rest(db):
    with session_scope(db) as s:
        _branch(s)
        p = f.product(s, "wealth", "稳享6个月")
        for i in range(20):
            c = f.customer(s, f"客户{i:02d}", "rm01")
            f.holding(s, c, p, 10 + i, date(2026, 11, 19))
            f.contact(s, "rm01", c, datetime(2026, 11, 10, 9, 0))
    messages, events = await run(ActionDailyPlan(), tracker("rm01", "今天先联系谁", "daily_plan"))
    lines = messages[0].splitlines()
    assert lines[0] == "今天先联系最要紧的15位（共20位需要联系）："
    assert lines[1] == "1. 客户19（金卡）稳享6个月明天到期（29万）"  # the most money first
    assert lines[11] == "还有5位，" + replies.MORE_HINT
    assert lines[12].startswith("另有5位可以之后再联系")
    state = slot(events, "last_list")
    messages, _ = await run(ActionMore(), tracker("rm01", "还有吗", "more", slots={"last_list": state}))
    assert messages[0].splitlines()[0] == "续上（第11–15位，共15位）"


async def test_a_client_who_announced_a_withdrawal_comes_first(db):
    with session_scope(db) as s:
        _branch(s)
        p = f.product(s, "wealth", "稳享6个月")
        for i in range(5):
            c = f.customer(s, f"客户{i:02d}", "rm01")
            f.holding(s, c, p, 20, date(2026, 11, 19))
            f.contact(s, "rm01", c, datetime(2026, 11, 10, 9, 0))
        wang = f.customer(s, "王秀英", "rm01", aum_wan=60)
        said = f.contact(s, "rm01", wang, datetime(2026, 11, 16, 9, 0))
        said.stated_purpose, said.announced_fen, said.announced_on = "house", 50 * 10_000 * 100, date(2026, 11, 19)
    messages, _ = await run(ActionDailyPlan(), tracker("rm01", "今天先联系谁", "daily_plan"))
    assert messages[0].splitlines()[1] == "1. 王秀英（贵宾）明天要取出50万（买房）：赶在资金转走前联系"


async def test_a_call_that_did_not_reach_the_client_does_not_reset_the_contact_clock(db):
    with session_scope(db) as s:
        _branch(s)
        chen = f.customer(s, "陈建国", "rm01", gender="M", aum_wan=320)
        missed = f.contact(s, "rm01", chen, datetime(2026, 11, 17, 9, 0))
        missed.outcome = "no_answer"
    messages, _ = await run(ActionDailyPlan(), tracker("rm01", "今天先联系谁", "daily_plan"))
    assert "陈建国（钻石）还没有联系记录" in messages[0]


async def test_an_announcement_stands_through_later_contacts_until_the_client_agrees_to_stay(db):
    with session_scope(db) as s:
        _branch(s)
        wang = f.customer(s, "王秀英", "rm01", aum_wan=60)
        said = f.contact(s, "rm01", wang, datetime(2026, 11, 15, 9, 0))
        said.stated_purpose, said.announced_fen, said.announced_on = "house", 50 * 10_000 * 100, date(2026, 11, 19)
        f.contact(s, "rm01", wang, datetime(2026, 11, 17, 9, 0), "wechat")  # about something else
    messages, _ = await run(ActionDailyPlan(), tracker("rm01", "今天先联系谁", "daily_plan"))
    assert "王秀英（贵宾）明天要取出50万（买房）" in messages[0]
    with session_scope(db) as s:
        stays = f.contact(s, "rm01", s.get(Customer, wang.id), datetime(2026, 11, 18, 9, 0))
        stays.outcome = "agreed"  # 钱不动了
    messages, _ = await run(ActionDailyPlan(), tracker("rm01", "今天先联系谁", "daily_plan"))
    assert "要取出" not in messages[0]
