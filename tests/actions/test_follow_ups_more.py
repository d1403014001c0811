"""Issue #13 §4–5 in the actions: ordinals into the last list, namesakes told apart by what the RM knows,
one RM's part of the branch overview, several corrections at once, combined segments, counts first."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import select

from actions.contact import ActionAskContactConfirmed, ValidateLogContactForm
from actions.playbook import ActionAskScript, ActionBranchOverview, ActionQuerySegment
from actions.profile import ActionCustomerProfile
from actions.risk import ActionExplainRisk, ActionQueryChurnRisk
from bot.store.db import session_scope
from bot.store.models import ChurnScore, Contact
from tests import factories as f
from tests.actions.trackers import entity, run, slot, tracker


def _book(db) -> dict[str, int]:
    """rm01 (王丽) has four scored clients, two of them called 张伟; rm02 (赵强) has 李娜; bh01 heads the branch."""
    ids = {}
    with session_scope(db) as s:
        f.branch(s, 1)
        f.staff(s, "rm01", "王丽")
        f.staff(s, "rm02", "赵强")
        f.staff(s, "bh01", "周敏", role="branch_head")
        people = [
            ("王秀英", "F", date(1958, 3, 1), 48, 0.9),
            ("陈建国", "M", date(1966, 8, 8), 230, 0.8),
            ("张伟", "M", date(1988, 1, 1), 9, 0.7),
            ("张伟", "M", date(1963, 1, 1), 85, 0.6),
        ]
        for i, (name, gender, birth, aum, score) in enumerate(people):
            c = f.customer(s, name, "rm01", gender=gender, birth=birth, aum_wan=aum, phone=f"1390000{3000 + i:04d}")
            if i == 2:
                c.occupation = "工程师"
            if i == 3:
                c.occupation = "退休"
            reasons = [{"code": "maturing", "text": "理财即将到期", "contribution": 0.5}]
            s.add(
                ChurnScore(
                    customer_id=c.id, as_of=date(2026, 11, 18), score=score, churn_type="product",
                    reasons=json.dumps(reasons), model_version="test-1", scored_at=datetime(2026, 11, 18, 6),
                )
            )  # fmt: skip
            ids[f"{name}{i}"] = c.id
        ids["李娜"] = f.customer(s, "李娜", "rm02").id
    return ids


async def _risk_list(staff="rm01"):
    messages, events = await run(ActionQueryChurnRisk(), tracker(staff, "我的客户里谁最可能流失", "query_churn_risk"))
    return messages[0], slot(events, "last_list")


async def test_the_list_remembers_who_was_on_the_page(db):
    ids = _book(db)
    reply, state = await _risk_list()
    assert state["shown"] == [ids["王秀英0"], ids["陈建国1"], ids["张伟2"], ids["张伟3"]]
    assert reply.index("王秀英") < reply.index("陈建国")


async def test_an_ordinal_explains_that_client(db):
    ids = _book(db)
    _, state = await _risk_list()
    messages, events = await run(
        ActionExplainRisk(), tracker("rm01", "第二个为什么这么高", "explain_risk", slots={"last_list": state})
    )
    assert "陈建国" in messages[0] and "王秀英" not in messages[0]
    assert slot(events, "focus_customer_id") == ids["陈建国1"]


async def test_the_last_one_and_from_the_end(db):
    ids = _book(db)
    _, state = await _risk_list()
    for said, who in [("最后那个为什么风险高", "张伟3"), ("倒数第二个的风险原因", "张伟2")]:
        _, events = await run(ActionExplainRisk(), tracker("rm01", said, "explain_risk", slots={"last_list": state}))
        assert slot(events, "focus_customer_id") == ids[who]


async def test_a_script_for_the_fourth_follows_his_gender(db):
    ids = _book(db)
    _, state = await _risk_list()
    messages, events = await run(
        ActionAskScript(), tracker("rm01", "第4个的话术", "ask_script", slots={"last_list": state})
    )
    assert slot(events, "focus_customer_id") == ids["张伟3"]
    assert "她" not in messages[0]


async def test_a_bare_ordinal_repeats_the_question_before(db):
    ids = _book(db)
    _, state = await _risk_list()
    trk = tracker("rm01", "最后那个呢", "customer_profile", slots={"last_list": state})
    trk.events.append({"event": "action", "name": "action_explain_risk"})
    messages, events = await run(ActionCustomerProfile(), trk)
    assert slot(events, "focus_customer_id") == ids["张伟3"]
    assert messages[0] != ""


async def test_a_position_past_the_page_or_without_a_list_is_never_guessed(db):
    _book(db)
    _, state = await _risk_list()
    messages, events = await run(
        ActionExplainRisk(), tracker("rm01", "第七个为什么这么高", "explain_risk", slots={"last_list": state})
    )
    assert messages == ["刚才那页只有4位，请说第1到第4个，或者直接说名字。"] and events == []
    messages, _ = await run(ActionExplainRisk(), tracker("rm01", "第三个为什么这么高", "explain_risk"))
    assert "还没有可以选的名单" in messages[0]


async def test_two_of_the_list_are_confirmed_together_and_saved_once_each(db):
    ids = _book(db)
    _, state = await _risk_list()
    said = "前两个都打了，都说考虑一下"
    trk = tracker("rm01", said, "log_contact", slots={"last_list": state, "requested_slot": None})
    _, events = await run(ValidateLogContactForm(), trk)
    filled = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert filled["contact_customer_id"] == ids["王秀英0"] and filled["contact_also_ids"] == [ids["陈建国1"]]
    assert filled["contact_customer_name"] == "王秀英、陈建国" and filled["contact_via"] == "phone"
    assert filled["contact_outcome"] == "callback"
    messages, _ = await run(
        ActionAskContactConfirmed(), tracker("rm01", said, "log_contact", slots={**filled, "requested_slot": "x"})
    )
    assert messages[0].startswith("记在王秀英、陈建国名下吗？")
    confirm = tracker("rm01", "确认", "affirm", slots={**filled, "requested_slot": "contact_confirmed"})
    _, events = await run(ValidateLogContactForm(), confirm)
    assert slot(events, "contact_confirmed") == "saved"
    with session_scope(db) as s:
        saved = sorted(s.execute(select(Contact.customer_id)).scalars().all())
    assert saved == sorted([ids["王秀英0"], ids["陈建国1"]])


async def test_one_correction_changes_channel_and_outcome(db):
    ids = _book(db)
    slots = {
        "contact_customer_id": ids["王秀英0"], "contact_customer_name": "王秀英", "contact_customer_how": "exact",
        "contact_via": "phone", "contact_outcome": "reached", "contact_confirmed": None,
        "requested_slot": "contact_confirmed",
    }  # fmt: skip
    said = "不对，是短信，而且他答应了"
    trk = tracker("rm01", said, "deny", [entity(said, "contact_channel", "短信", "sms")], slots)
    _, events = await run(ValidateLogContactForm(), trk)
    assert slot(events, "contact_via") == "sms" and slot(events, "contact_outcome") == "agreed"


async def _ambiguous_then(said: str, ids: dict) -> list[dict]:
    first = "张伟为什么有流失风险"
    _, events = await run(
        ActionExplainRisk(), tracker("rm01", first, "explain_risk", [entity(first, "customer_name", "张伟")])
    )
    assert slot(events, "pending_client_said") == "张伟"
    trk = tracker("rm01", said, "customer_profile", slots={"pending_client_said": "张伟"})
    trk.events.append({"event": "action", "name": "action_explain_risk"})
    messages, events = await run(ActionCustomerProfile(), trk)
    return events


async def test_namesakes_told_apart_by_age_job_birth_year_or_phone_tail(db):
    ids = _book(db)
    cases = [
        ("63岁的那个", "张伟3"),
        ("38岁那位", "张伟2"),
        ("退休的那个", "张伟3"),
        ("搞IT的那个", None),  # nobody of the two: still asked, never guessed
        ("88年生的", "张伟2"),
        ("年纪大的那个", "张伟3"),
        ("尾号3002的", "张伟2"),
    ]
    for said, who in cases:
        events = await _ambiguous_then(said, ids)
        assert slot(events, "focus_customer_id") == (ids[who] if who else None), said


async def test_a_branch_head_asks_after_one_rm(db):
    _book(db)
    messages, _ = await run(ActionBranchOverview(), tracker("bh01", "王丽那边呢", "branch_overview"))
    assert messages[0].startswith("王丽名下") and "客户4位" in messages[0]
    messages, _ = await run(ActionBranchOverview(), tracker("bh01", "李雷那边呢", "branch_overview"))
    assert "没有叫“李雷”的客户经理" in messages[0]


async def test_a_branch_head_asks_after_one_rm_by_staff_id(db):
    _book(db)
    for said in ("rm01那边呢", "RM 01手上有几个高风险的"):
        messages, _ = await run(ActionBranchOverview(), tracker("bh01", said, "branch_overview"))
        assert messages[0].startswith("王丽名下") and "客户4位" in messages[0], said
    messages, _ = await run(ActionBranchOverview(), tracker("bh01", "rm09那边呢", "branch_overview"))
    assert "没有工号为rm09的客户经理" in messages[0]
    messages, _ = await run(ActionBranchOverview(), tracker("rm02", "rm01那边呢", "branch_overview"))
    assert "仅对网点负责人开放" in messages[0] and "张伟" not in messages[0]  # an RM never sees a colleague's book


async def test_combined_segment_and_a_count_first(db):
    _book(db)
    said = "六十岁以上、资产超过50万的有几个"
    messages, events = await run(ActionQuerySegment(), tracker("rm01", said, "query_segment"))
    lines = messages[0].splitlines()
    assert lines[0] == "共2位。"
    assert "60岁以上、资产50万以上的客户" in lines[1]
    assert "陈建国" in messages[0] and "王秀英" not in messages[0]
    assert [k["kind"] for k in slot(events, "last_list")["request"]["more"]] == ["min_aum"]


async def test_a_sum_first(db):
    _book(db)
    messages, _ = await run(ActionQuerySegment(), tracker("rm01", "资产超过40万的客户总共多少钱", "query_segment"))
    assert messages[0].splitlines()[0] == "资产合计363万（3位）。"


async def test_a_tier_fragment_narrows_the_segment_shown_last_whatever_its_intent(db):
    from actions.maturing import ActionQueryMaturing

    _book(db)
    _, events = await run(ActionQuerySegment(), tracker("rm01", "六十岁以上、资产超过50万的", "query_segment"))
    said = "那贵宾客户呢"
    trk = tracker(
        "rm01", said, "query_maturing", [entity(said, "tier", "贵宾", "vip")], {"last_list": slot(events, "last_list")}
    )
    messages, events = await run(ActionQueryMaturing(), trk)
    assert "60岁以上、资产50万以上的贵宾客户" in messages[0] and "张伟" in messages[0] and "陈建国" not in messages[0]
    assert slot(events, "last_list")["kind"] == "segment"


async def test_the_form_asks_who_and_a_position_or_a_description_answers(db):
    ids = _book(db)
    _, state = await _risk_list()
    waiting = {"last_list": state, "requested_slot": "contact_customer_id", "contact_via": "phone"}
    _, events = await run(ValidateLogContactForm(), tracker("rm01", "第二个", "customer_profile", slots=waiting))
    assert slot(events, "contact_customer_id") == ids["陈建国1"] and slot(events, "contact_customer_how") == "list"

    waiting = {"requested_slot": "contact_customer_id", "contact_customer_said": "张伟", "contact_via": "phone"}
    _, events = await run(ValidateLogContactForm(), tracker("rm01", "63岁的那个", "customer_profile", slots=waiting))
    assert slot(events, "contact_customer_id") == ids["张伟3"]
    assert slot(events, "contact_customer_name") == "张伟（1963年生，尾号3003）"  # which 张伟, in the confirmation


async def test_a_position_under_the_branch_overview_is_an_rm(db):
    _book(db)
    _, events = await run(ActionBranchOverview(), tracker("bh01", "网点整体预警情况", "branch_overview"))
    state = slot(events, "last_list")
    assert state["shown"][:2] == ["rm01", "rm02"]  # by name: 王丽, 赵强
    messages, _ = await run(
        ActionCustomerProfile(), tracker("bh01", "第二个呢", "customer_profile", slots={"last_list": state})
    )
    assert messages[0].startswith("赵强名下")


async def test_a_bare_figure_question_asks_it_of_the_list_shown_last(db):
    from actions.paging import ActionMore

    _book(db)
    _, events = await run(ActionQuerySegment(), tracker("rm01", "资产超过40万的客户", "query_segment"))
    state = {**slot(events, "last_list"), "offset": 10}  # as if a later page had been shown
    messages, _ = await run(ActionMore(), tracker("rm01", "这些客户总共多少钱", "more", slots={"last_list": state}))
    lines = messages[0].splitlines()
    assert lines[0] == "资产合计363万（3位）。" and lines[1].startswith("您名下的资产40万以上的客户共3位")


async def test_a_client_named_beats_a_position_word(db):
    ids = _book(db)
    _, state = await _risk_list()
    said = "给王秀英打第二个电话怎么说"
    trk = tracker("rm01", said, "ask_script", [entity(said, "customer_name", "王秀英")], {"last_list": state})
    _, events = await run(ActionAskScript(), trk)
    assert slot(events, "focus_customer_id") == ids["王秀英0"]
    said = "第二个为什么这么高"  # a position misread as a name is still a position
    trk = tracker("rm01", said, "explain_risk", [entity(said, "customer_name", "第二")], {"last_list": state})
    _, events = await run(ActionExplainRisk(), trk)
    assert slot(events, "focus_customer_id") == ids["陈建国1"]


async def test_a_correction_to_another_position_of_the_list(db):
    ids = _book(db)
    _, state = await _risk_list()
    slots = {
        "last_list": state, "contact_customer_id": ids["王秀英0"], "contact_customer_name": "王秀英",
        "contact_customer_how": "list", "contact_via": "phone", "contact_outcome": "reached",
        "contact_confirmed": None, "requested_slot": "contact_confirmed",
    }  # fmt: skip
    _, events = await run(ValidateLogContactForm(), tracker("rm01", "不对，是第三个", "deny", slots=slots))
    assert slot(events, "contact_customer_id") == ids["张伟2"] and slot(events, "contact_via") is None
