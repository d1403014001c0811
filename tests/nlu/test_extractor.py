from datetime import date

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.extractor import BankEntityExtractor
from bot.nlu.timerange import parse_time_range


@pytest.fixture
def extractor(tmp_path):
    return make_extractor(tmp_path, {})


def make_extractor(tmp_path, config):
    return BankEntityExtractor.create(
        {**BankEntityExtractor.get_default_config(), **config},
        LocalModelStorage(tmp_path),
        Resource("bank_entity_extractor"),
        ExecutionContext(graph_schema=None, model_id="test"),
    )


def ml_entity(entity, start, end, value, extractor="DIETClassifier"):
    return {"entity": entity, "start": start, "end": end, "value": value, "extractor": extractor}


def process(extractor, text, entities=None):
    data = {TEXT: text}
    if entities is not None:
        data[ENTITIES] = entities
    message = Message(data=data)
    extractor.process([message])
    return message.get(ENTITIES)


def test_rule_entities_are_added_with_offsets_values_and_extractor_name(extractor):
    found = process(extractor, "下周三之前要到期的50w以上的理财")

    assert found == [
        {"entity": "time_range", "start": 0, "end": 5, "value": "下周三之前", "extractor": "BankEntityExtractor"},
        {"entity": "amount", "start": 9, "end": 14, "value": "50w以上", "extractor": "BankEntityExtractor"},
        {"entity": "product_type", "start": 15, "end": 17, "value": "wealth", "extractor": "BankEntityExtractor"},
    ]


def test_top_n_tier_and_channel_are_extracted(extractor):
    found = process(extractor, "给我前五个私行客户，打电话")

    assert [(e["entity"], e["value"]) for e in found] == [
        ("top_n", "前五个"),
        ("tier", "private"),
        ("contact_channel", "phone"),
    ]


def test_rule_owned_entities_from_the_ml_extractor_are_replaced(extractor):
    text = "本周到期的理财"
    ml = [ml_entity("time_range", 0, 1, "本"), ml_entity("product_type", 5, 7, "理财")]

    found = process(extractor, text, ml)

    assert [(e["entity"], e["value"], e["extractor"]) for e in found] == [
        ("time_range", "本周", "BankEntityExtractor"),
        ("product_type", "wealth", "BankEntityExtractor"),
    ]


def test_rule_entities_are_not_duplicated_when_processed_twice(extractor):
    first = process(extractor, "本周到期的理财")

    again = process(extractor, "本周到期的理财", first)

    assert again == first


def test_customer_name_from_the_ml_extractor_is_kept(extractor):
    text = "王秀英下周到期的理财"
    name = ml_entity("customer_name", 0, 3, "王秀英")

    found = process(extractor, text, [name])

    assert name in found
    assert [e["entity"] for e in found] == ["customer_name", "time_range", "product_type"]


def test_customer_name_that_swallowed_a_rule_span_is_dropped(extractor):
    text = "王秀英下周到期的理财"
    swallowed = ml_entity("customer_name", 0, 5, "王秀英下周")

    found = process(extractor, text, [swallowed])

    assert all(e["entity"] != "customer_name" for e in found)


def test_other_entities_are_left_alone(extractor):
    other = ml_entity("customer_name", 0, 3, "王秀英")

    found = process(extractor, "王秀英要取钱买房", [other])

    assert [(e["entity"], e["value"]) for e in found] == [("customer_name", "王秀英"), ("purpose", "house")]
    assert found[0] == other


@pytest.mark.parametrize(
    "text, span, code",
    [
        ("客户要取40万说买车，我现在说点啥", "买车", "car"),
        ("郁哥定期到了想转他行，怎么挽留", "转他行", "other_bank"),
        ("王秀英上周转到他行50万", "转到他行", "other_bank"),
        ("她说要转去别的银行", "转去别的银行", "other_bank"),
        ("钱转到招商银行了", "转到招商银行", "other_bank"),
        ("孩子出国留学要用钱", "孩子出国留学", "school"),
        ("他要付首付", "付首付", "house"),
        ("打算买房子", "买房子", "house"),
        ("资金周转不开", "资金周转", "business"),
        ("老伴住院要用钱", "住院", "medical"),
    ],
)
def test_purposes_are_found_with_the_words_the_nlu_data_marks_around_them(extractor, text, span, code):
    found = [e for e in process(extractor, text, []) if e["entity"] == "purpose"]

    assert [(text[e["start"] : e["end"]], e["value"]) for e in found] == [(span, code)]


@pytest.mark.parametrize("text", ["他行转出提醒不要推了", "他行预警先关掉", "本周哪些客户理财到期"])
def test_an_alert_named_after_other_banks_is_not_a_purpose(extractor, text):
    assert [e for e in process(extractor, text, []) if e["entity"] == "purpose"] == []


def test_a_purpose_from_another_extractor_is_replaced_by_the_rule(extractor):
    found = process(extractor, "王秀英要取钱买房", [ml_entity("purpose", 0, 1, "王")])

    assert [(e["entity"], e["value"], e["start"]) for e in found] == [("purpose", "house", 6)]


def test_message_without_text_is_left_untouched(extractor):
    message = Message(data={})

    extractor.process([message])

    assert message.get(ENTITIES) is None


def test_config_can_limit_the_emitted_entities(tmp_path):
    extractor = make_extractor(tmp_path, {"entities": ["product_type"]})

    found = process(extractor, "本周到期的理财", [ml_entity("time_range", 0, 2, "本周")])

    assert [(e["entity"], e["value"]) for e in found] == [("product_type", "wealth")]


def test_unknown_entity_in_config_is_rejected(tmp_path):
    with pytest.raises(ValueError):
        make_extractor(tmp_path, {"entities": ["customer_name"]})


def test_component_is_registered_as_a_non_trainable_entity_extractor():
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe

    registered = DefaultV1Recipe._from_registry("BankEntityExtractor")

    assert registered.clazz is BankEntityExtractor
    assert DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR in registered.types
    assert registered.is_trainable is False


@pytest.mark.parametrize(
    "text,span,start,end",
    [
        ("11月下旬到期的理财有哪些", "11月下旬", "2026-11-21", "2026-11-30"),
        ("本周四到下周一到期的存单", "本周四到下周一", "2026-11-19", "2026-11-23"),
        ("1月5号到15号到期的客户", "1月5号到15号", "2027-01-05", "2027-01-15"),
        ("12.25到期的理财", "12.25", "2026-12-25", "2026-12-25"),
        ("2026-12-25之前到期的", "2026-12-25之前", "2026-11-18", "2026-12-24"),
        ("下三个月到期的大额存单", "下三个月", "2026-12-01", "2027-02-28"),
        ("上两周有大额流出的客户", "上两周", "2026-11-02", "2026-11-15"),
        ("下下周到期的", "下下周", "2026-11-30", "2026-12-06"),
        ("下年9月到期的定期", "下年9月", "2027-09-01", "2027-09-30"),
        ("五一前到期的理财", "五一前", "2026-11-18", "2027-04-30"),
        ("中秋节之前到期的", "中秋节之前", "2026-11-18", "2027-09-14"),
    ],
)
def test_new_time_expressions_become_one_time_range_entity(extractor, text, span, start, end):
    found = [e for e in process(extractor, text) if e["entity"] == "time_range"]

    assert [e["value"] for e in found] == [span]
    assert (found[0]["start"], found[0]["end"]) == (text.index(span), text.index(span) + len(span))
    parsed = parse_time_range(found[0]["value"], date(2026, 11, 18))
    assert (parsed.start.isoformat(), parsed.end.isoformat()) == (start, end)


@pytest.mark.parametrize(
    "text,expected",
    [("利率3.5的产品有哪些", []), ("五一个客户", []), ("12月中行的理财", ["12月"])],  # 中行 = Bank of China
)
def test_numbers_that_look_like_dates_or_holidays_are_not_taken_for_them(extractor, text, expected):
    assert [e["value"] for e in process(extractor, text) if e["entity"] == "time_range"] == expected


@pytest.mark.parametrize(
    "text,span",
    [
        ("帮我看一下下个礼拜有哪些理财到期", "下个礼拜"),  # 一下 + 下个礼拜, not 下下个礼拜
        ("查下下周到期的", "下周"),  # 查下 is "have a look"
        ("那下下周呢", "下下周"),
        ("星期三四到期的", "星期三四"),
        ("周三四个客户", "周三"),
    ],
)
def test_time_range_span_keeps_the_verb_and_the_count_out(extractor, text, span):
    assert [e["value"] for e in process(extractor, text) if e["entity"] == "time_range"] == [span]
