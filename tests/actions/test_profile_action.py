from datetime import date, datetime

from actions.profile import ActionCustomerProfile
from bot.store.db import session_scope
from tests import factories as f
from tests.actions.trackers import entity, run, slot, tracker


def _book(db):
    with session_scope(db) as s:
        f.branch(s, 1)
        f.staff(s, "rm01", "王丽")
        f.staff(s, "rm02", "赵强")
        wang = f.customer(s, "王秀英", "rm01", phone="13912345678", aum_wan=48)
        f.holding(s, wang, f.product(s, "wealth", "稳享12个月"), 30, date(2026, 11, 25))
        f.contact(s, "rm01", wang, datetime(2026, 10, 3, 10, 0), "wechat")
        f.customer(s, "张伟", "rm01", gender="M", phone="13800001111", birth=date(1970, 1, 1))
        f.customer(s, "张伟", "rm01", gender="M", phone="13800002222", birth=date(1988, 1, 1))
        f.customer(s, "李娜", "rm02")
        return wang.id


async def test_profile_of_own_client_shows_tier_assets_holdings_last_contact_and_masks_phone(db):
    wang_id = _book(db)
    text = "看一下王秀英的情况"
    messages, events = await run(
        ActionCustomerProfile(), tracker("rm01", text, "customer_profile", [entity(text, "customer_name", "王秀英")])
    )
    reply = messages[0]
    assert "王秀英" in reply and "金卡" in reply and "48万" in reply and "稳享12个月" in reply and "10月3日" in reply
    assert "139****5678" in reply and "13912345678" not in reply
    assert slot(events, "focus_customer_id") == wang_id


async def test_rm_cannot_see_other_rms_client(db):
    _book(db)
    text = "李娜的资产情况"
    messages, events = await run(
        ActionCustomerProfile(), tracker("rm01", text, "customer_profile", [entity(text, "customer_name", "李娜")])
    )
    assert "在您可查看的客户里没有“李娜”" in messages[0] and "万" not in messages[0]
    assert slot(events, "focus_customer_id") is None


async def test_a_span_off_by_a_character_still_finds_the_client_named_in_the_text(db):
    # Cleaned voice transcripts glue words to names, and the tokenizer can cut "客户王秀英" as 客户王 | 秀英:
    # the extracted span "秀英" is no client's name, but the text names one.
    wang_id = _book(db)
    text = "那个客户王秀英她的情况"
    messages, events = await run(
        ActionCustomerProfile(), tracker("rm01", text, "customer_profile", [entity(text, "customer_name", "秀英")])
    )
    assert "王秀英" in messages[0] and "48万" in messages[0]
    assert slot(events, "focus_customer_id") == wang_id


async def test_the_text_fallback_never_reaches_beyond_the_rms_own_book(db):
    _book(db)
    text = "那个李娜呀 她的资产"
    messages, events = await run(
        ActionCustomerProfile(), tracker("rm01", text, "customer_profile", [entity(text, "customer_name", "李娜呀")])
    )
    assert "万" not in messages[0] and slot(events, "focus_customer_id") is None


async def test_shared_name_gets_a_question_back_with_distinguishing_hints(db):
    _book(db)
    text = "张伟的持仓"
    messages, events = await run(
        ActionCustomerProfile(), tracker("rm01", text, "customer_profile", [entity(text, "customer_name", "张伟")])
    )
    assert "2位" in messages[0] and "1111" in messages[0] and "2222" in messages[0]
    assert slot(events, "focus_customer_id") is None


async def test_phone_tail_picks_one_of_the_namesakes(db):
    _book(db)
    text = "张伟 尾号2222的那位"
    messages, _ = await run(
        ActionCustomerProfile(), tracker("rm01", text, "customer_profile", [entity(text, "customer_name", "张伟")])
    )
    assert "1988" not in messages[0] and "男" in messages[0] and "138****2222" in messages[0]


async def test_unknown_name_is_said_plainly(db):
    _book(db)
    text = "看看欧阳震华"
    messages, _ = await run(
        ActionCustomerProfile(), tracker("rm01", text, "customer_profile", [entity(text, "customer_name", "欧阳震华")])
    )
    assert "在您可查看的客户里没有“欧阳震华”" in messages[0]


async def test_pronoun_uses_the_client_in_focus(db):
    wang_id = _book(db)
    messages, _ = await run(
        ActionCustomerProfile(), tracker("rm01", "她的持仓呢", "customer_profile", slots={"focus_customer_id": wang_id})
    )
    assert messages[0].startswith("王秀英")


async def test_chen_zong_means_the_client_the_bank_addresses_as_chen_zong(db):
    with session_scope(db) as s:
        f.branch(s, 1)
        f.staff(s, "rm01", "王丽")
        boss = f.customer(s, "陈建国", "rm01", gender="M", aum_wan=320)  # 企业主 (factory default), 私行
        clerk = f.customer(s, "陈明", "rm01", gender="M", aum_wan=8)
        clerk.occupation = "教师"
        boss_id = boss.id
    text = "陈总的情况"
    messages, events = await run(
        ActionCustomerProfile(), tracker("rm01", text, "customer_profile", [entity(text, "customer_name", "陈总")])
    )
    assert messages[0].startswith("陈建国")
    assert slot(events, "focus_customer_id") == boss_id
