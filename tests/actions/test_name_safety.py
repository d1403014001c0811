"""Answers and writes never land on the wrong client (#13 section 6).

Cases from the production-style stack: 刘晓萍 (another branch) answered as 刘晓晶; "胡美静为什么…" answered about
金伟 through the fragment 静为; 史佳 answered as 石嘉玮; the channel word 微信 read as a client 魏鑫. Then a
property over many generated name pairs: a name that exists outside the asker's book never resolves to a
client inside it, and a client resolved by anything but the exact name is asked about before a write.
"""

from __future__ import annotations

import random

import pytest

from actions.contact import ActionAskContactConfirmed, ValidateLogContactForm
from actions.profile import ActionCustomerProfile
from actions.risk import ActionExplainRisk
from bot.lookup import find_client
from bot.nlu.names import syllables
from bot.store.db import session_scope
from bot.store.staff_directory import staff_by_id
from tests import factories as f
from tests.actions.trackers import entity, run, tracker

NOBODY = "在您可查看的客户里没有"


def _bank(db):
    with session_scope(db) as s:
        f.branch(s, 1)
        f.branch(s, 2, "城西支行")
        f.staff(s, "rm01", "王丽")
        f.staff(s, "bh01", "周敏", role="branch_head")
        f.staff(s, "rm09", "钱进", branch_id=2)
        ids = {
            "刘晓晶": f.customer(s, "刘晓晶", "rm01").id,
            "金伟": f.customer(s, "金伟", "rm01", gender="M").id,
            "石嘉玮": f.customer(s, "石嘉玮", "rm01", gender="M").id,
            "魏鑫": f.customer(s, "魏鑫", "rm01", gender="M").id,
            "王晓晶": f.customer(s, "王晓晶", "rm01").id,
            "陈建国": f.customer(s, "陈建国", "rm01", gender="M", aum_wan=300).id,
        }
        f.customer(s, "刘晓萍", "rm09", branch_id=2)  # another branch's client
        return ids


def _lookup(db, staff, said, text):
    with session_scope(db) as s:
        return find_client(s, staff_by_id(s, staff), said, text)


@pytest.mark.parametrize("staff", ["rm01", "bh01"])
@pytest.mark.parametrize("said", ["刘晓萍", None])
def test_an_exact_name_outside_scope_is_refused_never_swapped(db, staff, said):
    _bank(db)
    got = _lookup(db, staff, said, "看一下刘晓萍的情况")
    assert got.found is None and got.suggested is None


async def test_the_refusal_reads_exactly_like_a_name_of_nobody(db):
    _bank(db)
    replies = []
    for name in ("刘晓萍", "刘晓苹果"):
        text = f"看一下{name}的情况"
        messages, _ = await run(
            ActionCustomerProfile(), tracker("bh01", text, "customer_profile", [entity(text, "customer_name", name)])
        )
        replies.append(messages[0].replace(name, "X"))
    assert replies[0] == replies[1] == f"{NOBODY}“X”，请核对姓名。"


@pytest.mark.parametrize("said", ["胡美静", None])
async def test_a_fragment_across_a_word_is_no_name(db, said):
    _bank(db)
    text = "胡美静为什么有流失风险"
    ents = [entity(text, "customer_name", said)] if said else []
    messages, events = await run(ActionExplainRisk(), tracker("rm01", text, "explain_risk", ents))
    assert "金伟" not in messages[0] and events == []


@pytest.mark.parametrize(("said", "text"), [("史佳", "史佳为什么有流失风险"), (None, "史佳为什么有流失风险")])
def test_a_shorter_name_is_not_read_as_a_longer_one(db, said, text):
    _bank(db)
    got = _lookup(db, "rm01", said, text)
    assert got.found is None and got.suggested is None


@pytest.mark.parametrize(("said", "text"), [("微信", "刚用微信联系了"), (None, "刚用微信联系了"), ("短信", "发了短信")])
def test_a_channel_word_is_never_a_client(db, said, text):
    _bank(db)
    got = _lookup(db, "rm01", said, text)
    assert got.found is None and got.suggested is None


async def test_a_guess_by_sound_is_offered_as_a_question_not_answered(db):
    _bank(db)
    text = "看一下王晓萍的情况"  # nobody is called 王晓萍; 王晓晶 sounds close
    messages, events = await run(
        ActionCustomerProfile(), tracker("rm01", text, "customer_profile", [entity(text, "customer_name", "王晓萍")])
    )
    assert messages == ["没有叫“王晓萍”的客户。您是说王晓晶吗？是的话请说全名“王晓晶”。"]
    assert events == []  # no client in focus: "他/她" next does not mean 王晓晶


async def test_a_sure_reading_by_sound_is_answered_and_says_so(db):
    _bank(db)
    text = "看一下陈建果的情况"  # 果 and 国 are both guo
    messages, _ = await run(
        ActionCustomerProfile(), tracker("rm01", text, "customer_profile", [entity(text, "customer_name", "陈建果")])
    )
    assert messages[0].startswith("（按读音理解为陈建国）\n陈建国")


async def _confirmation(db, text, said):
    ents = [entity(text, "customer_name", said)]
    _, events = await run(
        ValidateLogContactForm(), tracker("rm01", text, "log_contact", ents, {"requested_slot": None})
    )
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    messages, _ = await run(
        ActionAskContactConfirmed(),
        tracker("rm01", text, "log_contact", slots={**slots, "requested_slot": "contact_confirmed"}),
    )
    return slots, messages[0]


async def test_a_write_whose_client_was_not_named_exactly_asks_whose_it_is(db):
    ids = _bank(db)
    slots, question = await _confirmation(db, "刚给陈总打了电话，他说要考虑", "陈总")
    assert slots["contact_customer_id"] == ids["陈建国"]
    assert question.startswith("记在陈建国名下吗？确认记录：陈建国")
    slots, question = await _confirmation(db, "刚给陈建国打了电话，他说要考虑", "陈建国")
    assert question.startswith("确认记录：陈建国")


# ------------------------------------------------------------------ property over generated name pairs
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰晶萍鑫嘉佳建国"


def _pairs(n: int, seed: int = 13) -> list[tuple[str, str]]:
    """(inside, outside) names: same surname and first given character, last character sounding alike or not."""
    rng = random.Random(seed)
    pairs = set()
    while len(pairs) < n:
        a = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        b = a[:2] + rng.choice(GIVEN)
        if a != b:
            pairs.add((a, b))
    return sorted(pairs)


def test_no_name_outside_the_book_ever_resolves_to_a_client_inside_it(db):
    pairs = _pairs(300)
    with session_scope(db) as s:
        f.branch(s, 1)
        f.branch(s, 2, "城西支行")
        f.staff(s, "rm01", "王丽")
        f.staff(s, "rm09", "钱进", branch_id=2)
        inside = {a for a, _ in pairs}
        for name in inside:
            f.customer(s, name, "rm01")
        for _, b in pairs:
            if b not in inside:
                f.customer(s, b, "rm09", branch_id=2)
    swapped, asked, sure = [], 0, 0
    with session_scope(db) as s:
        rm = staff_by_id(s, "rm01")
        for _, b in pairs:
            if b in inside:
                continue
            for said, text in ((b, f"刚给{b}打了电话"), (None, f"刚给{b}打了电话，他说要考虑")):
                got = find_client(s, rm, said, text)
                if got.found is not None or got.suggested is not None:
                    swapped.append((b, (got.found or got.suggested).name))
        # A homophone of a client that exists nowhere: answered only when every syllable sounds the same,
        # and then never as an exact match (so a write asks "记在…名下吗？").
        for a in sorted(inside)[:100]:
            ghost = next((a[:2] + c for c in GIVEN if a[:2] + c not in inside and a[:2] + c != a), None)
            got = find_client(s, rm, ghost, f"看一下{ghost}的情况")
            if got.found is not None:
                assert got.how != "exact" and syllables(got.found.name) == syllables(ghost)
                sure += 1
            elif got.suggested is not None:
                asked += 1
    assert swapped == []
    assert asked + sure > 0  # the second half really exercised the fuzzy path
