"""Words to say, what to do next, RMs by staff id, a counter withdrawal with its purpose (bot/nlu/ask_shapes.py).
Cases written for the grammar, apart from the training data and the held-out sets."""

from __future__ import annotations

import pytest

from bot.nlu.ask_shapes import ASK_NEXT_STEPS, ASK_SCRIPT, BRANCH_OVERVIEW, ask_shape
from bot.nlu.references import side_of, staff_ids_in


def _shape(text: str, name: str | None = None) -> str | None:
    spans = [(text.index(name), text.index(name) + len(name))] if name else []
    return ask_shape(text, spans)


@pytest.mark.parametrize(
    ("text", "name"),
    [("隔了半年没联系过濮叔 这回咋开口", "濮叔"), ("第三个给我来段话术", None), ("她人就在柜台 我该怎么跟她讲", None),
     ("诸葛芳下礼拜生日 祝福的话帮我想一段", "诸葛芳"), ("亏了钱的客户怎么安抚", None),
     ("明天要见伍总，麻烦准备个开场白", "伍总"), ("接手的新客户第一次打电话说点啥", None)],
)  # fmt: skip
def test_a_way_of_asking_for_words_is_a_script_request(text, name):
    assert _shape(text, name) == ASK_SCRIPT


@pytest.mark.parametrize(
    ("text", "name"),
    [("按你给的话术跟甄大姐说了，她答应续", "甄大姐"), ("开场白用过了，没什么效果", None), ("话术发完了", None)],
)  # fmt: skip
def test_words_already_used_are_a_report_not_a_request(text, name):
    assert _shape(text, name) != ASK_SCRIPT


@pytest.mark.parametrize(
    ("text", "name"),
    [("荣叔的定期转走一半了 接下来我该干啥", "荣叔"), ("这位一直不回消息 咋推进", None), ("戴姐要不要上门跑一趟", "戴姐"),
     ("他要把钱挪去别家，我怎么办", None), ("下一步咋整", None), ("武总理财到期后下一步", "武总"),
     ("下一步呢", None)],
)  # fmt: skip
def test_a_way_of_asking_what_to_do_is_a_next_steps_request(text, name):
    assert _shape(text, name) == ASK_NEXT_STEPS


@pytest.mark.parametrize(
    "text",
    ["你能帮我做点啥", "今天我要干点啥", "上午该做什么", "这周哪些客户要跟进", "不会用怎么办", "密码忘了怎么办",
     "打了电话没人接，下一步约他周五面谈", "下一步约她周五来网点", "下一步先发个短信"],
)  # fmt: skip
def test_the_day_the_tool_a_list_or_a_report_is_not_one_clients_next_steps(text):
    assert _shape(text) != ASK_NEXT_STEPS


@pytest.mark.parametrize(
    "text",
    [
        "rm06那边呢",
        "RM 12手上高风险的有几个",
        "rm03和rm08谁的到期多",
        "每个客户经理的流出情况",
        "哪个经理逾期没联系的最多",
    ],
)
def test_a_question_about_rms_by_staff_id_is_the_branch_overview(text):
    assert _shape(text) == BRANCH_OVERVIEW


@pytest.mark.parametrize(
    ("text", "name"),
    [("把rm03的客户都转给rm04", None), ("rm09离职了 客户交给rm10", None), ("切到rm03", None), ("用rm05的账号查一下", None),
     ("rm03的客户祁永看一下", "祁永")],
)  # fmt: skip
def test_handover_identity_or_a_named_client_is_no_branch_question(text, name):
    assert _shape(text, name) != BRANCH_OVERVIEW


@pytest.mark.parametrize(
    "text", ["客户过来取三十万说要给孩子交学费", "有个大爷取了二十万块说是看病", "小伙子要取十五万转他行"]
)
def test_a_counter_withdrawal_with_its_purpose_asks_for_words(text):
    assert _shape(text) == ASK_SCRIPT


@pytest.mark.parametrize(
    "text",
    ["她电话里说下周要取五十万买房", "王秀英说明天取50万买车", "帮我记一下邹强取了三十万买车用", "客户取了三十万"],
)
def test_a_relayed_or_logged_withdrawal_or_one_without_purpose_is_not_a_counter_ask(text):
    assert _shape(text) != ASK_SCRIPT


def test_staff_ids_are_read_in_the_stores_form():
    assert staff_ids_in("RM 03和rm12，还有xrm5") == [(0, "rm03"), (6, "rm12")]
    assert side_of("rm02那边呢") == "rm02"
    assert side_of("那RM07手上的呢") == "rm07"
    assert side_of("李明那边呢") == "李明"
