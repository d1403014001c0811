"""One aspect of one client (#13 §3): the short answer first, about that client only, audited once."""

from datetime import date, datetime

from sqlalchemy import select

from actions.profile import ActionCustomerProfile
from bot.store.db import session_scope
from bot.store.models import AuditEntry, Complaint, Transaction
from bot.tiers import WAN
from tests import factories as f
from tests.actions.trackers import entity, run, slot, tracker


def _book(db):
    """rm01's 邵文斌 (two maturities, money out to two banks, an open complaint, an expired rating),
    two 龚雪梅 of rm01, and rm02's 贺振宇. Today is 2026-11-18 (conftest)."""
    with session_scope(db) as s:
        f.branch(s, 1)
        f.staff(s, "rm01", "王丽")
        f.staff(s, "rm02", "赵强")
        f.staff(s, "ct01", "孙柜员", role="counter")
        shao = f.customer(
            s, "邵文斌", "rm01", gender="M", phone="13912345678", birth=date(1968, 3, 9), rated_on=date(2025, 10, 1)
        )
        f.holding(s, shao, f.product(s, "wealth", "稳享12个月"), 30, date(2026, 11, 25))  # next week
        f.holding(s, shao, f.product(s, "term_deposit", "三年定期"), 50, date(2027, 1, 20))  # in January
        f.contact(s, "rm01", shao, datetime(2026, 10, 3, 10, 0), "wechat")
        for day, bank, wan in ((3, "招商银行", 20), (9, "招商银行", 5), (12, "工商银行", 8)):
            s.add(
                Transaction(
                    customer_id=shao.id, occurred_at=datetime(2026, 11, day, 10), amount_fen=wan * WAN,
                    direction="out", channel="mobile", other_bank=True, counterparty=bank, purpose="transfer",
                )
            )  # fmt: skip
        s.add(
            Transaction(
                customer_id=shao.id,
                occurred_at=datetime(2026, 10, 20, 10),
                amount_fen=40 * WAN,
                direction="out",
                channel="mobile",
                other_bank=True,
                counterparty="建设银行",
                purpose="transfer",
            )
        )  # fmt: skip — last month: not in 这个月
        s.add(Complaint(customer_id=shao.id, filed_on=date(2026, 11, 2), category="排队等候", resolved=False))
        s.add(Complaint(customer_id=shao.id, filed_on=date(2026, 6, 2), category="收费", resolved=True))
        f.customer(s, "龚雪梅", "rm01", phone="13800001111", birth=date(1970, 1, 1))
        f.customer(s, "龚雪梅", "rm01", phone="13800002222", birth=date(1988, 1, 1))
        f.customer(s, "贺振宇", "rm02", gender="M")
        return shao.id


def _ask(sender: str, text: str, name: str | None = "邵文斌", slots: dict | None = None):
    entities = [entity(text, "customer_name", name)] if name else []
    return run(ActionCustomerProfile(), tracker(sender, text, "customer_profile", entities, slots))


async def test_maturities_in_the_period_asked_come_first(db):
    _book(db)
    text = "邵文斌下周有什么产品到期"
    messages, _ = await run(
        ActionCustomerProfile(),
        tracker(
            "rm01",
            text,
            "customer_profile",
            [entity(text, "customer_name", "邵文斌"), entity(text, "time_range", "下周")],
        ),
    )
    first_line = messages[0].splitlines()[0]
    assert first_line.startswith("邵文斌") and "1笔产品到期" in first_line
    assert "稳享12个月" in messages[0] and "三年定期" not in messages[0]  # January is not next week


async def test_maturities_without_a_period_cover_the_next_three_months(db):
    _book(db)
    messages, _ = await _ask("rm01", "邵文斌什么时候有产品到期")
    assert "2笔产品到期" in messages[0] and "三年定期" in messages[0]


async def test_money_out_this_month_by_bank(db):
    _book(db)
    messages, _ = await _ask("rm01", "邵文斌这个月转出去多少、去了哪家银行")
    first_line = messages[0].splitlines()[0]
    assert "转出33万（3笔）" in first_line and "招商银行25万" in first_line and "工商银行8万" in first_line
    assert "建设银行" not in messages[0]


async def test_last_contact_says_the_day_who_and_how_long_ago(db):
    _book(db)
    messages, _ = await _ask("rm01", "邵文斌上次联系是什么时候")
    assert messages[0].splitlines()[0] == "邵文斌最近一次联系：10月3日，王丽微信联系（46天前）。"


async def test_open_complaints_only_the_unresolved_ones(db):
    _book(db)
    messages, _ = await _ask("rm01", "邵文斌有没有投诉没解决")
    first_line = messages[0].splitlines()[0]
    assert "有1笔投诉未解决" in first_line and "11月2日" in first_line and "6月2日" not in messages[0]


async def test_rating_validity_says_until_when_and_that_it_expired(db):
    _book(db)
    messages, _ = await _ask("rm01", "邵文斌风险测评过期没")
    assert "有效期至2026年10月1日，已过期" in messages[0].splitlines()[0]


async def test_phone_is_masked_for_the_rm(db):
    _book(db)
    messages, _ = await _ask("rm01", "邵文斌电话多少")
    assert messages[0].splitlines()[0] == "邵文斌的电话：139****5678。" and "13912345678" not in messages[0]


async def test_counter_gets_no_phone_but_whom_to_ask(db):
    _book(db)
    messages, _ = await _ask("ct01", "邵文斌电话多少")
    assert "柜面不显示客户的联系方式，请找客户经理王丽" in messages[0]
    assert "5678" not in messages[0] and "****" not in messages[0]


async def test_age_account_opening_and_manager(db):
    _book(db)
    age, _ = await _ask("rm01", "邵文斌多大了")
    opened, _ = await _ask("rm01", "邵文斌哪年开的户")
    manager, _ = await _ask("rm01", "邵文斌是谁的客户")
    assert age[0].splitlines()[0] == "邵文斌今年58岁（1968年生）。"
    assert opened[0].splitlines()[0] == "邵文斌2015年3月1日开户，已有11年。"
    assert manager[0].splitlines()[0] == "邵文斌的客户经理是王丽。"


async def test_the_client_in_focus_answers_he_or_she(db):
    shao_id = _book(db)
    messages, events = await _ask("rm01", "他有没有投诉没解决", None, {"focus_customer_id": shao_id})
    assert messages[0].startswith("邵文斌有1笔投诉未解决")
    assert slot(events, "focus_customer_id") == shao_id


async def test_a_name_outside_the_book_gets_the_one_refusal(db):
    _book(db)
    messages, events = await _ask("rm01", "贺振宇下周有什么产品到期", "贺振宇")
    assert messages == ["在您可查看的客户里没有“贺振宇”，请核对姓名。"]
    assert slot(events, "focus_customer_id") is None


async def test_namesakes_are_asked_which_then_the_aspect_is_answered(db):
    _book(db)
    asked, events = await _ask("rm01", "龚雪梅多大了", "龚雪梅")
    assert "2位客户" in asked[0] and "尾号1111" in asked[0]
    messages, _ = await _ask("rm01", "龚雪梅多大了，尾号2222的", "龚雪梅")
    assert messages[0].splitlines()[0] == "龚雪梅今年38岁（1988年生）。"


async def test_each_question_is_audited_once_for_the_client(db):
    shao_id = _book(db)
    await _ask("rm01", "邵文斌这个月转出去多少")
    with session_scope(db) as s:
        rows = s.execute(select(AuditEntry.customer_id, AuditEntry.intent).where(AuditEntry.staff_id == "rm01")).all()
    assert [(r.customer_id, r.intent) for r in rows] == [(shao_id, "customer_profile")]
