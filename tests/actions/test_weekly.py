"""The week's bookkeeping (#15): named-occasion scripts, product matches, handovers, client-information updates
and complaints, through the actions against a store of their own."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from actions.lists import KINDS
from actions.playbook import ActionAskScript
from actions.weekly import (
    ActionCancelPending,
    ActionConfirmPending,
    ActionHandoverClients,
    ActionLogComplaint,
    ActionMatchProduct,
    ActionUpdateClientInfo,
)
from bot.answers.daily_plan import DailyPlanRequest, daily_plan_for
from bot.handover_cli import main as handover_cli
from bot.store.db import session_scope
from bot.store.models import AuditEntry, ClientInfoChange, Complaint, Customer, Handover
from bot.store.situation import situation
from scoring.features import FEATURE_INDEX, build_features
from tests import factories as f
from tests.actions.trackers import entity, run, slot, tracker

TODAY = date(2026, 11, 18)


def _bank(db):
    with session_scope(db) as s:
        f.branch(s, 1)
        f.branch(s, 2, "城西支行")
        f.staff(s, "rm01", "王丽")
        f.staff(s, "rm02", "赵强")
        f.staff(s, "rm05", "钱进", branch_id=2)
        f.staff(s, "bh01", "周行", role="branch_head")
        f.staff(s, "ct01", "孙倩", role="counter")
        wang = f.customer(s, "王秀英", "rm01", phone="13912345678", aum_wan=60, risk_rating="C3")
        li = f.customer(s, "李静", "rm01", aum_wan=28, risk_rating="C1")
        old = f.customer(s, "高玉兰", "rm01", aum_wan=40, risk_rating="C4", rated_on=date(2024, 1, 5))
        zhao = f.customer(s, "赵敏", "rm02", aum_wan=35, risk_rating="C2")
        f.holding(s, wang, f.product(s, "wealth", "稳享12个月"), 30, date(2026, 11, 25))
        f.contact(s, "rm01", wang, datetime(2026, 11, 1, 10, 0))
        return {c.name: c.id for c in (wang, li, old, zhao)}


def _after_proposal(sender: str, text: str, intent: str, slots: dict, proposer: str):
    """The tracker of a yes/no right after `proposer` asked for confirmation."""
    trk = tracker(sender, text, intent, slots=slots)
    trk.events[:0] = [
        {"event": "user", "text": "…", "input_channel": "rest"},
        {"event": "action", "name": proposer},
        {"event": "action", "name": "action_listen"},
    ]
    return trk


# --- named occasions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [("给她发条生日祝福", "生日问候"), ("基金赚了该不该止盈怎么说，给她打个电话", "基金止盈沟通"),
     ("给她一段新产品上线的邀约", "新产品上线邀约")],
)  # fmt: skip
async def test_the_occasion_named_wins_over_the_one_the_data_picks(db, text, title):
    ids = _bank(db)  # 王秀英 has a product maturing in a week: the data alone would pick that
    messages, _ = await run(
        ActionAskScript(), tracker("rm01", text, "ask_script", slots={"focus_customer_id": ids["王秀英"]})
    )
    assert messages[0].startswith(f"王秀英｜{title}")
    assert "到期" not in messages[0].split("\n")[1]


async def test_a_birthday_greeting_is_care_and_a_new_product_carries_the_disclosure(db):
    ids = _bank(db)
    focus = {"focus_customer_id": ids["王秀英"]}
    care, _ = await run(ActionAskScript(), tracker("rm01", "给她发条生日祝福", "ask_script", slots=focus))
    assert "微信" in care[0] and "还是" not in care[0] and "理财非存款" not in care[0]
    sale, _ = await run(ActionAskScript(), tracker("rm01", "给她打电话说新产品上线", "ask_script", slots=focus))
    assert "理财非存款、产品有风险、投资须谨慎" in sale[0] and "双录" in sale[0]


async def test_a_new_product_above_the_clients_rating_is_flagged(db):
    ids = _bank(db)  # 李静 is rated C1
    messages, _ = await run(
        ActionAskScript(),
        tracker("rm01", "给她打电话邀约新上线的R3理财", "ask_script", slots={"focus_customer_id": ids["李静"]}),
    )
    assert "新产品上线邀约" in messages[0] and "C1" in messages[0] and "R3产品不适合她" in messages[0]


@pytest.mark.parametrize(
    ("text", "title"), [("她家里老人去世了，发条慰问", "家中变故慰问"), ("她住院了，给她打个电话问候", "病中问候")]
)
async def test_condolence_and_get_well_are_care_identity_first_and_sell_nothing(db, text, title):
    ids = _bank(db)
    messages, _ = await run(
        ActionAskScript(), tracker("rm01", text, "ask_script", slots={"focus_customer_id": ids["王秀英"]})
    )
    reply = messages[0]
    assert reply.startswith(f"王秀英｜{title}")
    said = reply.split("\n")[1]  # what to say comes under the header; why and the notes follow
    assert "还是" not in said and "理财" not in said and "产品" not in said, reply  # no choice, no product
    if "电话" in text:
        assert "本人吗" in said, reply


async def test_a_festival_greeting_for_a_group_is_a_generic_template(db):
    _bank(db)
    messages, events = await run(ActionAskScript(), tracker("rm01", "春节前给贵宾客户的问候", "ask_script"))
    assert "节日问候" in messages[0] and "春节" in messages[0] and "通用版" in messages[0]
    assert slot(events, "focus_customer_id") is None


# --- product match ----------------------------------------------------------------------------------


async def test_a_new_product_is_matched_to_rated_clients_with_money_ranked_with_a_reason(db):
    ids = _bank(db)
    text = "新发了一款R2的一年期理财，起点5万，哪些客户合适"
    messages, events = await run(ActionMatchProduct(), tracker("rm01", text, "match_product"))
    reply = messages[0]
    # 王秀英 (C3, maturing money) fits; 李静 (C1) does not; 高玉兰's rating expired; 赵敏 is rm02's.
    assert "王秀英" in reply and "李静" not in reply and "高玉兰" not in reply and "赵敏" not in reply
    assert "11月25日有30万到期" in reply and "理财非存款" in reply
    assert slot(events, "last_list")["kind"] == "product_match"
    assert "product_match" in KINDS
    with session_scope(db) as s:
        audited = s.execute(select(AuditEntry.customer_id).where(AuditEntry.intent == "match_product")).scalars()
        assert list(audited) == [ids["王秀英"]]


async def test_a_product_without_a_risk_level_is_asked_for(db):
    _bank(db)
    messages, _ = await run(ActionMatchProduct(), tracker("rm01", "新理财哪些客户合适", "match_product"))
    assert "风险等级" in messages[0]


@pytest.mark.parametrize(
    ("text", "name", "within", "without"),
    [("有什么产品适合王秀英", "王秀英", ["C3", "R3及以下", "11月25日稳享12个月30万到期", "理财非存款", "双录"], []),
     ("王秀英适合R4的产品吗", "王秀英", ["这款R4产品不适合她，只能推荐R3及以下", "理财非存款"], ["R4产品可以考虑"]),
     ("李静能买R1的吗", "李静", ["R1产品可以考虑"], []),
     ("给高玉兰配个产品", "高玉兰", ["已超过一年", "重新评估"], ["R4及以下", "理财非存款"])],
)  # fmt: skip
async def test_products_for_one_named_client_stay_within_the_rating(db, text, name, within, without):
    ids = _bank(db)
    trk = tracker("rm01", text, "match_product", entities=[entity(text, "customer_name", name)])
    messages, events = await run(ActionMatchProduct(), trk)
    reply = messages[0]
    assert reply.startswith(name), reply
    assert all(w in reply for w in within), reply
    assert not any(w in reply for w in without), reply
    assert slot(events, "focus_customer_id") == ids[name]
    with session_scope(db) as s:  # one client looked up, audited under the capability it used
        audited = s.execute(select(AuditEntry.customer_id).where(AuditEntry.intent == "match_product")).scalars()
        assert list(audited) == [ids[name]]


async def test_products_for_another_rms_client_are_refused_like_an_unknown_name(db):
    _bank(db)
    text = "有什么产品适合赵敏"
    messages, _ = await run(
        ActionMatchProduct(), tracker("rm01", text, "match_product", entities=[entity(text, "customer_name", "赵敏")])
    )
    assert "赵敏" in messages[0] and "C2" not in messages[0] and "R2" not in messages[0]


# --- handover ---------------------------------------------------------------------------------------


async def test_a_branch_head_hands_a_book_over_after_confirming_and_the_new_rm_plans_a_first_contact(db):
    ids = _bank(db)
    messages, events = await run(ActionHandoverClients(), tracker("bh01", "把rm01的客户都转给rm02", "handover_clients"))
    assert "王丽（rm01）名下全部3位客户" in messages[0] and "确认" in messages[0]
    pending = slot(events, "pending_write")
    with session_scope(db) as s:  # nothing moved before the yes
        assert s.get(Customer, ids["王秀英"]).rm_id == "rm01"
    messages, events = await run(
        ActionConfirmPending(),
        _after_proposal("bh01", "确认", "affirm", {"pending_write": pending}, "action_handover_clients"),
    )
    assert "已移交：3位客户" in messages[0] and slot(events, "pending_write") is None
    with session_scope(db) as s:
        assert {c.rm_id for c in s.execute(select(Customer).where(Customer.name != "赵敏")).scalars()} == {"rm02"}
        moves = s.execute(select(Handover)).scalars().all()
        assert {(m.from_rm, m.to_rm, m.by_staff) for m in moves} == {("rm01", "rm02", "bh01")} and len(moves) == 3
        assert len(s.execute(select(AuditEntry).where(AuditEntry.intent == "handover")).all()) == 3
        wang = situation(s, ids["王秀英"], TODAY)
        assert wang.handed_over_on == TODAY and not wang.contacted_by_rm  # rm01's contact does not count for rm02
    plan = daily_plan_for("rm02", DailyPlanRequest(), TODAY)
    first = [i for i in plan.page.items if i.reason == "handed_over"]
    assert {i.name for i in first} == {"王秀英", "李静", "高玉兰"}
    assert {i.occasion for i in first} == {"first_contact"} and {i.group for i in first} == {1}
    assert plan.received_count == 3


@pytest.mark.parametrize(
    ("sender", "text", "said"),
    [("rm01", "把rm01的客户都转给rm02", "只能由网点负责人"), ("bh01", "把rm01的客户都转给rm05", "不是本网点"),
     ("ct01", "把rm01的客户都转给rm02", "网点负责人")],
)  # fmt: skip
async def test_only_a_branch_head_hands_over_and_only_within_the_branch(db, sender, text, said):
    ids = _bank(db)
    messages, events = await run(ActionHandoverClients(), tracker(sender, text, "handover_clients"))
    assert said in messages[0] and not slot(events, "pending_write")
    with session_scope(db) as s:
        assert s.get(Customer, ids["王秀英"]).rm_id == "rm01"


async def test_a_yes_long_after_the_proposal_writes_nothing(db):
    ids = _bank(db)
    pending = {"kind": "handover", "from_rm": "rm01", "to_rm": "rm02", "customer_ids": None}
    trk = _after_proposal("bh01", "好的", "affirm", {"pending_write": pending}, "action_query_maturing")
    messages, _ = await run(ActionConfirmPending(), trk)
    assert messages == ["好的。"]
    with session_scope(db) as s:
        assert s.get(Customer, ids["王秀英"]).rm_id == "rm01"


def test_the_handover_command_moves_some_clients_all_or_nothing(db, capsys):
    ids = _bank(db)
    assert (
        handover_cli(["--db", db, "--from", "rm01", "--to", "rm02", "--customers", str(ids["李静"]), "--by", "bh01"])
        == 0
    )
    # 赵敏 is not rm01's: the whole command is refused and 王秀英 stays too.
    refs = [str(ids["王秀英"]), str(ids["赵敏"])]
    assert handover_cli(["--db", db, "--from", "rm01", "--to", "rm02", "--customers", *refs, "--by", "bh01"]) == 1
    assert handover_cli(["--db", db, "--from", "rm01", "--to", "rm05", "--by", "bh01"]) == 1  # another branch
    with session_scope(db) as s:
        owners = {c.name: c.rm_id for c in s.execute(select(Customer)).scalars()}
        assert owners == {"王秀英": "rm01", "李静": "rm02", "高玉兰": "rm01", "赵敏": "rm02"}
        assert [h.customer_id for h in s.execute(select(Handover)).scalars()] == [ids["李静"]]


# --- client information -----------------------------------------------------------------------------


async def test_a_new_phone_number_is_confirmed_masked_then_written_with_the_old_one_kept(db):
    ids = _bank(db)
    text = "王秀英换手机号了，新号码13812340000"
    messages, events = await run(
        ActionUpdateClientInfo(),
        tracker("rm01", text, "update_client_info", [entity(text, "customer_name", "王秀英")]),
    )
    assert "139****5678" in messages[0] and "138****0000" in messages[0] and "13812340000" not in messages[0]
    pending = slot(events, "pending_write")
    with session_scope(db) as s:
        assert s.get(Customer, ids["王秀英"]).phone == "13912345678"
    messages, _ = await run(
        ActionConfirmPending(),
        _after_proposal("rm01", "确认", "affirm", {"pending_write": pending}, "action_update_client_info"),
    )
    assert "138****0000" in messages[0] and "13812340000" not in messages[0]
    with session_scope(db) as s:
        assert s.get(Customer, ids["王秀英"]).phone == "13812340000"
        change = s.execute(select(ClientInfoChange)).scalar_one()
        assert (change.field, change.old_value, change.new_value, change.staff_id) == (
            "phone", "13912345678", "13812340000", "rm01",
        )  # fmt: skip
        assert s.execute(select(AuditEntry).where(AuditEntry.intent == "update_client_info")).first() is not None


async def test_an_invalid_phone_number_is_refused_and_nothing_waits_for_a_yes(db):
    _bank(db)
    text = "王秀英手机号换成1381234了"
    messages, events = await run(
        ActionUpdateClientInfo(),
        tracker("rm01", text, "update_client_info", [entity(text, "customer_name", "王秀英")]),
    )
    assert "11位" in messages[0] and slot(events, "pending_write") is None


async def test_a_change_of_job_and_family_news_are_recorded_and_a_no_cancels(db):
    ids = _bank(db)
    text = "李静换工作了，现在在华润集团当经理"
    messages, events = await run(
        ActionUpdateClientInfo(), tracker("rm01", text, "update_client_info", [entity(text, "customer_name", "李静")])
    )
    assert "企业主" in messages[0] and "华润集团经理" in messages[0]
    messages, events = await run(
        ActionCancelPending(),
        _after_proposal("rm01", "取消", "deny", {"pending_write": slot(events, "pending_write")},
                        "action_update_client_info"),
    )  # fmt: skip
    assert "已取消" in messages[0]
    with session_scope(db) as s:
        assert s.get(Customer, ids["李静"]).occupation == "企业主"
        assert s.execute(select(ClientInfoChange)).first() is None


async def test_the_counter_may_not_update_a_clients_record(db):
    _bank(db)
    text = "王秀英换手机号了，新号码13812340000"
    messages, _ = await run(ActionUpdateClientInfo(), tracker("ct01", text, "update_client_info"))
    assert "客户经理" in messages[0]


# --- complaints -------------------------------------------------------------------------------------


@pytest.mark.parametrize("sender", ["rm01", "ct01"])
async def test_a_complaint_is_logged_after_a_yes_and_the_recovery_script_picks_it_up(db, sender):
    ids = _bank(db)
    text = "王秀英投诉排队太久"
    messages, events = await run(
        ActionLogComplaint(), tracker(sender, text, "log_complaint", [entity(text, "customer_name", "王秀英")])
    )
    assert "排队等候" in messages[0] and "确认" in messages[0]
    pending = slot(events, "pending_write")
    for _ in range(2):  # a repeated yes does not log it twice
        await run(
            ActionConfirmPending(),
            _after_proposal(sender, "确认", "affirm", {"pending_write": pending}, "action_log_complaint"),
        )
    with session_scope(db) as s:
        rows = s.execute(select(Complaint)).scalars().all()
        assert [(r.customer_id, r.category, r.filed_on, r.resolved) for r in rows] == [
            (ids["王秀英"], "排队等候", TODAY, False)
        ]
        assert situation(s, ids["王秀英"], TODAY).open_complaint is not None
        # The scorer counts it from the next day on (complaints filed before as_of): the service-driven signal.
        _ids, X, facts = build_features(s, date(2026, 11, 19), [ids["王秀英"]])
        assert X[0, FEATURE_INDEX["open_complaints"]] == 1 and facts[0].get("open_complaint_category") == "排队等候"
    messages, _ = await run(
        ActionAskScript(), tracker("rm01", "给她打电话怎么说", "ask_script", slots={"focus_customer_id": ids["王秀英"]})
    )
    assert "投诉后服务补救" in messages[0] and "排队等候" in messages[0]


async def test_a_complaint_without_a_client_asks_who(db):
    _bank(db)
    messages, events = await run(ActionLogComplaint(), tracker("rm01", "客户投诉排队太久", "log_complaint"))
    assert "哪位客户" in messages[0] and slot(events, "pending_write") is None


def test_the_store_refuses_a_malformed_phone_number_and_keeps_every_change(db):
    from bot.store.client_info import update_client_info
    from bot.store.staff_directory import staff_by_id

    ids = _bank(db)
    with session_scope(db) as s:
        rm = staff_by_id(s, "rm01")
        with pytest.raises(ValueError):
            update_client_info(s, rm, ids["王秀英"], "phone", "138-1234", datetime(2026, 11, 18, 9))
        update_client_info(s, rm, ids["王秀英"], "phone", "13800001111", datetime(2026, 11, 18, 9))
        update_client_info(s, rm, ids["王秀英"], "phone", "13800002222", datetime(2026, 11, 18, 10))
        history = [(c.old_value, c.new_value) for c in s.execute(select(ClientInfoChange)).scalars()]
        assert history == [("13912345678", "13800001111"), ("13800001111", "13800002222")]
        with pytest.raises(PermissionError):
            update_client_info(s, rm, ids["赵敏"], "occupation", "教师", datetime(2026, 11, 18, 9))


async def test_a_branch_head_hands_over_only_the_clients_named(db):
    ids = _bank(db)
    text = "把王秀英从rm01转给rm02"
    messages, events = await run(
        ActionHandoverClients(),
        tracker("bh01", text, "handover_clients", [entity(text, "customer_name", "王秀英")]),
    )
    assert "所列1位客户（王秀英）" in messages[0]
    pending = slot(events, "pending_write")
    assert pending["customer_ids"] == [ids["王秀英"]]
    await run(
        ActionConfirmPending(),
        _after_proposal("bh01", "确认", "affirm", {"pending_write": pending}, "action_handover_clients"),
    )
    with session_scope(db) as s:
        owners = {c.name: c.rm_id for c in s.execute(select(Customer)).scalars()}
        assert owners == {"王秀英": "rm02", "李静": "rm01", "高玉兰": "rm01", "赵敏": "rm02"}
