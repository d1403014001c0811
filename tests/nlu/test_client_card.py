"""The shortest client questions (#13 section 2), as a grammar. Cases here use names and verb shapes the
grammar was not tuned on; the negatives are questions of the assistant's other capabilities that are just
as short."""

from __future__ import annotations

import pytest

from bot.nlu.client_card import card_request

ASKS_ABOUT = [
    ("瞧瞧宋美玲", "宋美玲"),
    ("帮忙查一下邓文斌", "邓文斌"),
    ("麻烦你看看客户韩雪", "韩雪"),
    ("给我调一下蒋志明的资料", "蒋志明"),
    ("搜一下曹丽华", "曹丽华"),
    ("查下彭建军", "彭建军"),
    ("看一看崔玉珍的近况", "崔玉珍"),
    ("翻翻潘海涛的情况吧", "潘海涛"),
    ("找一下冯倩", "冯倩"),
    ("了解下田志强", "田志强"),
    ("董丽娟怎么样了", "董丽娟"),
    ("袁斌最近咋样", "袁斌"),
    ("客户程小红现在什么情况？", "程小红"),
    ("于海波情况如何", "于海波"),
    ("魏建华这阵子怎样", "魏建华"),
    ("老蔡啥情况", "老蔡"),
    ("贾总最近怎么样啊", "贾总"),
    ("吕阿姨咋样了", "吕阿姨"),
    ("上官婉清有啥变化", "上官婉清"),
    ("查查 任晓东", "任晓东"),
    ("说说沈慧敏", "沈慧敏"),
    ("讲一下陶建平", "陶建平"),
    ("那个钱丽君怎么样", "钱丽君"),
    ("那严国栋最近咋样了", "严国栋"),
    ("rm05的客户郑子涵看下", "郑子涵"),
    ("把孔令辉的资料调出来", "孔令辉"),
    ("裴雅琴查一下", "裴雅琴"),
    ("瞄一眼郏文军", "郏文军"),
]

NOT_A_CLIENT_QUESTION = [
    "查查下周到期的",
    "看一下今天的计划",
    "看看风险名单",
    "查一下余额",
    "帮我看看进度",
    "看下全部",
    "今天情况怎么样",
    "网点整体咋样",
    "我的业绩怎么样",
    "效果怎么样",
    "还有吗",
    "下一个呢",
    "他怎么样",
    "看看这个",
    "本周到期的理财",
    "谁最可能流失",
    "给她打电话怎么说",
    "再见",
    "",
    "查查" + "王" * 30,
]


@pytest.mark.parametrize(("text", "name"), ASKS_ABOUT)
def test_a_verb_of_looking_or_a_status_word_with_a_name_asks_about_that_client(text, name):
    found = card_request(text)
    assert found is not None and found.name == name and text[found.start : found.end] == name


@pytest.mark.parametrize("text", ["那麦冬呢", "客户江河", "还有海燕吧"])
def test_a_bare_name_is_a_card_request_only_when_a_name_extractor_marked_it(text):
    name = text.rstrip("呢吧")[-2:]
    span = (text.index(name), text.index(name) + 2)
    assert card_request(text) is None
    found = card_request(text, frozenset({span}))
    assert found is not None and (found.start, found.end) == span


@pytest.mark.parametrize("text", NOT_A_CLIENT_QUESTION)
def test_other_short_questions_are_left_to_the_classifier(text):
    assert card_request(text) is None


def test_the_component_makes_the_message_a_profile_question_with_the_name():
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.client_card import ClientCardIntent

    message = Message(
        data={
            "text": "查查邓文斌",
            "intent": {"name": "more", "confidence": 0.6},
            "intent_ranking": [{"name": "more", "confidence": 0.6}, {"name": "customer_profile", "confidence": 0.3}],
            "entities": [{"entity": "customer_name", "start": 1, "end": 5, "value": "查邓文斌"}],
        }
    )
    untouched = Message(data={"text": "还有吗", "intent": {"name": "more", "confidence": 0.9}, "entities": []})
    ClientCardIntent().process([message, untouched])
    assert message.get("intent") == {"name": "customer_profile", "confidence": 1.0}
    assert [r["name"] for r in message.get("intent_ranking")] == ["customer_profile", "more"]
    assert [(e["value"], e["start"], e["end"]) for e in message.get("entities")] == [("邓文斌", 2, 5)]
    assert untouched.get("intent") == {"name": "more", "confidence": 0.9}


@pytest.mark.parametrize(
    "text,intent,names",
    [
        ("最后那个呢", "customer_profile", []),  # a position in the last list, no name
        ("63岁的那个", "customer_profile", []),  # which of two namesakes
        ("李明那边呢", "branch_overview", ["李明"]),  # one RM's part of the overview
        ("一共几个？", "more", []),  # a figure of the list shown last
    ],
)
def test_the_component_reads_follow_ups_of_a_list(text, intent, names):
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.client_card import ClientCardIntent

    guessed = {"entity": "customer_name", "start": 0, "end": 2, "value": text[:2]}
    message = Message(data={"text": text, "intent": {"name": "greet", "confidence": 0.5}, "entities": [guessed]})
    ClientCardIntent().process([message])
    assert message.get("intent")["name"] == intent
    assert [e["value"] for e in message.get("entities") if e["entity"] == "customer_name"] == names
