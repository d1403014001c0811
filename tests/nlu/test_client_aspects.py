"""The grammar of questions about one aspect of one client, and its routing in ClientCardIntent."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu import client_aspects as a
from bot.nlu.client_aspects import asked_aspect, client_question
from bot.nlu.client_card import ClientCardIntent, _could_be_a_name


@pytest.mark.parametrize(
    "text, aspect",
    [
        ("熊志远月底前有啥要到期的", a.MATURING),
        ("她的大额存单哪天到期", a.MATURING),
        ("牛国庆上周转走了多少", a.OUTFLOW),
        ("钱都转到哪家银行去了", a.OUTFLOW),
        ("最近有没有把钱挪走", a.OUTFLOW),
        ("他是不是取钱了", a.OUTFLOW),
        ("最后一次联系他是哪天", a.LAST_CONTACT),
        ("多久没联系了", a.LAST_CONTACT),
        ("投诉处理了没", a.COMPLAINTS),
        ("有没有啥投诉", a.COMPLAINTS),
        ("风评还有效吗", a.RATING),
        ("手机号码多少", a.PHONE),
        ("今年几岁", a.AGE),
        ("什么时候开的户", a.OPENED),
        ("归哪个客户经理", a.MANAGER),
        ("把客户卡片发我", a.CARD),
        ("要怎么才能留住他", a.NEXT_STEPS),
    ],
)
def test_aspect_words_name_the_aspect(text, aspect):
    assert asked_aspect(text) == aspect


@pytest.mark.parametrize(
    "text, name, aspect",
    [
        ("戴文涛下周有什么产品到期", "戴文涛", a.MATURING),
        ("钟丽这个月转出去多少", "钟丽", a.OUTFLOW),
        ("郝立新最近有没有转钱出去", "郝立新", a.OUTFLOW),
        ("赵刚风险测评过期没", "赵刚", a.RATING),  # 刚 in a name is not "just now"
        ("石慧敏的电话", "石慧敏", a.PHONE),
        ("查廖春燕，尾号2231的", "廖春燕", a.CARD),
        ("怎么留住范美玲", "范美玲", a.NEXT_STEPS),
    ],
)
def test_a_name_the_extractor_missed_is_read_by_the_grammar(text, name, aspect):
    asked = client_question(text, [], _could_be_a_name)
    assert asked is not None and asked.aspect == aspect
    assert text[asked.name_start : asked.name_end] == name


def test_a_pronoun_asks_about_the_client_in_focus():
    assert client_question("她有没有投诉还没处理", [], _could_be_a_name) == a.ClientQuestion(a.COMPLAINTS)


@pytest.mark.parametrize(
    "text",
    [
        "下周哪些客户理财到期",  # a list over the book
        "我的客户里这个月谁转出去最多",
        "刚给谭亮打了电话，他说钱下周到期要转走",  # a contact report
        "靳国梁没接电话",  # a contact report, no question about his phone
        "汪雅琴投诉排队太久",  # a complaint to log
        "秦海峰换手机号了，新号码13766668888",  # a write
        "给秦海峰打电话",  # a call to make, not a number asked
        "给她发条生日祝福",  # a greeting to send (ask_script), not her age
        "下周有什么到期",  # no client at all
    ],
)
def test_lists_reports_and_writes_are_not_client_questions(text):
    assert client_question(text, [], _could_be_a_name) is None


def test_a_product_word_is_never_read_as_a_name():
    text = "大额存单下周到期的有哪些"
    assert client_question(text, [], _could_be_a_name, [(0, 4)]) is None


def test_two_clients_in_one_question_are_not_routed():
    assert client_question("龚雪梅和邵文斌谁先到期", [(0, 3), (4, 7)], _could_be_a_name) is None


def _routed(text: str, intent: str, entities: list[dict] | None = None) -> Message:
    message = Message({"text": text, "intent": {"name": intent, "confidence": 0.7}, "entities": entities or []})
    ClientCardIntent().process([message])
    return message


def test_a_list_intent_with_a_named_client_becomes_customer_profile():
    message = _routed("雷鸣下周有什么产品到期", "query_maturing")
    assert message.get("intent")["name"] == "customer_profile"
    assert [e["value"] for e in message.get("entities") if e["entity"] == "customer_name"] == ["雷鸣"]


def test_an_extracted_name_is_kept_as_it_was():
    name = {"entity": "customer_name", "start": 0, "end": 3, "value": "侯建新", "extractor": "DIETClassifier"}
    message = _routed("侯建新有没有投诉没解决", "log_complaint", [name])
    assert message.get("intent")["name"] == "customer_profile" and message.get("entities") == [name]


def test_how_to_keep_a_client_is_next_steps():
    assert _routed("怎么留住陶立强", "out_of_scope").get("intent")["name"] == "ask_next_steps"


def test_a_book_wide_list_keeps_its_intent():
    assert _routed("下周哪些客户理财到期", "query_maturing").get("intent")["name"] == "query_maturing"


def test_a_confident_wrong_guess_does_not_make_the_routed_question_ambiguous():
    message = Message(
        {
            "text": "侯建新有没有投诉没解决",
            "intent": {"name": "log_complaint", "confidence": 0.97},
            "intent_ranking": [{"name": "log_complaint", "confidence": 0.97}],
            "entities": [],
        }
    )
    ClientCardIntent().process([message])
    first, second = message.get("intent_ranking")[:2]
    assert first == {"name": "customer_profile", "confidence": 1.0}
    assert second["name"] == "log_complaint" and first["confidence"] - second["confidence"] > 0.1
