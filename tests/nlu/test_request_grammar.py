"""Orders to operate an account, products for one client, push settings (bot/nlu/request_grammar.py).
Cases written for the grammar, apart from the training data and the held-out sets."""

from __future__ import annotations

import pytest

from bot.nlu.request_grammar import (
    ALERT_MUTES,
    MATCH_PRODUCT,
    OUT_OF_SCOPE,
    UPDATE_CLIENT_INFO,
    RequestGrammarIntent,
    request_kind,
)


def _kind(text: str, name: str | None = None):
    spans = [(text.index(name), text.index(name) + len(name))] if name else []
    return request_kind(text, spans)


@pytest.mark.parametrize(
    ("text", "name"),
    [("帮我把甘玉梅的卡解冻", "甘玉梅"), ("给老鲍汇两万过去", "老鲍"), ("直接赎回他那只基金", None),
     ("把这张存折挂失掉", None), ("替客户重置交易密码", None), ("帮客户改一下预留手机号码", None),
     ("转5万到他爱人账户", None), ("帮我开张大额存单给柏女士", "柏女士")],
)  # fmt: skip
def test_an_order_to_operate_an_account_is_out_of_scope(text, name):
    assert _kind(text, name) == (OUT_OF_SCOPE, None)


@pytest.mark.parametrize(
    ("text", "name"),
    [("客户要赎回理财我怎么劝", None), ("魏建新要把定期提前支取，为什么", "魏建新"), ("尹淑华上周赎回了基金", "尹淑华"),
     ("转账限额多少", None), ("帮我把雷振宇的手机号改成13700001111", "雷振宇"), ("谁这周要赎回", None)],
)  # fmt: skip
def test_a_question_or_a_report_about_an_operation_is_no_order(text, name):
    kind = _kind(text, name)
    assert kind is None or kind[0] != OUT_OF_SCOPE  # 客户要赎回理财我怎么劝 asks for words (ask_script)


@pytest.mark.parametrize(
    ("text", "name"),
    [("有没有适合计秀兰的产品", "计秀兰"), ("给储总配点理财", "储总"), ("莫晓燕能买基金吗", "莫晓燕"),
     ("祁阿姨到期的钱买什么", "祁阿姨"), ("童建华适合R2的吗", "童建华"), ("推荐给管先生的理财", "管先生")],
)  # fmt: skip
def test_products_for_one_named_client_are_a_product_match_about_that_client(text, name):
    start = text.index(name)
    assert _kind(text, name) == (MATCH_PRODUCT, (start, start + len(name)))


@pytest.mark.parametrize(
    ("text", "name"),
    [("这款R3基金推荐给谁", None), ("给计秀兰的话术怎么说", "计秀兰"), ("适合R2产品的客户有哪些", None),
     ("莫晓燕为什么流失", "莫晓燕"), ("有什么产品适合她", None)],
)  # fmt: skip
def test_a_product_question_without_one_named_client_is_no_client_product_match(text, name):
    kind = _kind(text, name)
    assert kind is None or kind[0] != MATCH_PRODUCT  # 给计秀兰的话术怎么说 asks for words (ask_script)


@pytest.mark.parametrize(
    "text", ["工资停发的通知别推了", "到期提醒先关掉", "生日的推送恢复一下", "大额异动消息太多了，屏蔽"]
)
def test_a_push_setting_is_alert_mutes(text):
    assert _kind(text) == (ALERT_MUTES, None)


@pytest.mark.parametrize("text", ["下周到期的提醒我一下", "有哪些客户到期", "今天的早报发了吗"])
def test_a_question_with_a_push_word_is_no_push_setting(text):
    assert _kind(text) is None


@pytest.mark.parametrize(
    "text",
    ["备注：他只接微信，不要打电话", "麻烦给屈阿姨加一条备注，周三下午联系最好", "这位客户最怕麻烦，备注一下。"],
)
def test_a_remark_for_the_file_is_a_client_information_update(text):
    assert _kind(text) == (UPDATE_CLIENT_INFO, None)


@pytest.mark.parametrize("text", ["刚打了电话，备注一下她说再考虑", "备注在哪里看", "上次的备注写了啥"])
def test_a_contact_report_or_a_question_about_notes_is_no_remark(text):
    assert _kind(text) is None


def test_the_component_sets_the_intent_and_outranks_the_classifier():
    from rasa.shared.nlu.training_data.message import Message

    text = "冻结一下邢丽君的卡"
    message = Message(
        data={
            "text": text,
            "intent": {"name": "customer_profile", "confidence": 0.9},
            "intent_ranking": [{"name": "customer_profile", "confidence": 0.9}],
            "entities": [{"entity": "customer_name", "start": 5, "end": 8, "value": "邢丽君"}],
        }
    )
    untouched = Message(data={"text": "邢丽君为什么流失", "intent": {"name": "explain_risk", "confidence": 0.8}})

    RequestGrammarIntent().process([message, untouched])

    assert message.get("intent") == {"name": "out_of_scope", "confidence": 1.0}
    assert message.get("intent_ranking")[1] == {"name": "customer_profile", "confidence": 0.45}
    assert message.get("entities")[0]["value"] == "邢丽君"  # annotated as found; nobody is looked up
    assert untouched.get("intent")["name"] == "explain_risk"
