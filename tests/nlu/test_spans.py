import pytest

from bot.labels import CONTACT_CHANNEL, PRODUCT_TYPE, TIER
from bot.nlu.spans import Span, find_spans
from bot.nlu.vocab import (
    CHANNEL_SYNONYMS,
    PRODUCT_TYPE_SYNONYMS,
    TIER_SYNONYMS,
    canonical_channel,
    canonical_product_type,
    canonical_tier,
)


def entities(text):
    return [(s.entity, s.text, s.value) for s in find_spans(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "下周三之前要到期的50w以上的理财",
            [
                ("time_range", "下周三之前", "下周三之前"),
                ("amount", "50w以上", "50w以上"),
                ("product_type", "理财", "wealth"),
            ],
        ),
        ("前五", [("top_n", "前五", "前五")]),
        ("给我十个客户", [("top_n", "十个", "十个")]),
        ("风险最高的前5个客户", [("top_n", "前5个", "前5个")]),
        ("请给我top10私行客户", [("top_n", "top10", "top10"), ("tier", "私行", "private")]),
        (
            "本周哪些贵宾客户理财到期",
            [("time_range", "本周", "本周"), ("tier", "贵宾", "vip"), ("product_type", "理财", "wealth")],
        ),
        ("王秀英的大额存单下个月到期", [("product_type", "大额存单", "cd"), ("time_range", "下个月", "下个月")]),
        ("给陈总打电话还是发微信", [("contact_channel", "打电话", "phone"), ("contact_channel", "微信", "wechat")]),
        ("45-50万之间的临界客户有哪些", [("amount", "45-50万之间", "45-50万之间")]),
        (
            "近30天他行转出超过20万的",
            [("time_range", "近30天", "近30天"), ("purpose", "他行", "other_bank"), ("amount", "超过20万", "超过20万")],
        ),
        ("最近三个月的基金亏损客户", [("time_range", "最近三个月", "最近三个月"), ("product_type", "基金", "fund")]),
        (
            "１２月到期的定存，５０万以上",
            [
                ("time_range", "１２月", "１２月"),
                ("product_type", "定存", "term_deposit"),
                ("amount", "５０万以上", "５０万以上"),
            ],
        ),
        ("三个月定期", [("product_type", "定期", "term_deposit")]),
        ("需要定期联系的VIP客户", [("tier", "VIP", "vip")]),
        ("上门拜访", [("contact_channel", "上门拜访", "visit")]),
        ("春节前到期的银保", [("time_range", "春节前", "春节前"), ("product_type", "银保", "insurance")]),
        ("客户王秀英要取五十万说是买房", [("amount", "五十万", "五十万"), ("purpose", "买房", "house")]),
        ("凭证式国债下周到期", [("product_type", "凭证式国债", "bond"), ("time_range", "下周", "下周")]),
        ("金卡客户约了面谈", [("tier", "金卡", "gold"), ("contact_channel", "面谈", "meeting")]),
    ],
)
def test_entities_are_found_longest_first_without_overlap(text, expected):
    assert entities(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "帮我看一下一点半的安排",  # 一下 / 一点 are not amounts
        "下周三个客户",  # 三 in 下周三 is not a count (the time wins)
        "我是理财经理",
        "他的电话号码",
        "大额资金流出的客户",
        "普通话说得好",
        "你好",
        "",
    ],
)
def test_words_that_only_look_like_entities_are_not_marked_as_such(text):
    found = entities(text)

    assert ("top_n", "三个", "三个") not in found
    assert all(e[0] not in ("amount", "product_type", "contact_channel") for e in found)


def test_weekday_is_a_time_not_a_count():
    assert entities("下周三个客户") == [("time_range", "下周三", "下周三")]


def test_span_offsets_point_into_the_original_text():
    text = "嗯，５０万以上的理财"

    for span in find_spans(text):
        assert isinstance(span, Span)
        assert text[span.start : span.end] == span.text


def test_spans_are_sorted_by_position_and_never_overlap():
    spans = find_spans("最近一周前五个私行客户的大额存单50万以上电话联系")

    for first, second in zip(spans, spans[1:]):
        assert first.end <= second.start


# ---------------------------------------------------------------- vocabulary
@pytest.mark.parametrize(
    "word,code",
    [
        ("理财", "wealth"),
        ("理财产品", "wealth"),
        ("银行理财", "wealth"),
        ("理财类", "wealth"),
        ("定期", "term_deposit"),
        ("定存", "term_deposit"),
        ("定期存款", "term_deposit"),
        ("大额存单", "cd"),
        ("大额", "cd"),
        ("存单", "cd"),
        ("基金", "fund"),
        ("保险", "insurance"),
        ("银保", "insurance"),
        ("保险产品", "insurance"),
        ("国债", "bond"),
        ("凭证式国债", "bond"),
        ("wealth", "wealth"),
    ],
)
def test_product_type_synonyms_give_the_store_code(word, code):
    assert canonical_product_type(word) == code


@pytest.mark.parametrize(
    "word,code",
    [
        ("私行", "private"),
        ("私人银行", "private"),
        ("贵宾", "vip"),
        ("VIP", "vip"),
        ("vip", "vip"),
        ("ＶＩＰ", "vip"),
        ("贵宾客户", "vip"),
        ("金卡", "gold"),
        ("普通", "basic"),
        ("普卡", "basic"),
        ("大众", "basic"),
        (" 金卡 ", "gold"),
    ],
)
def test_tier_synonyms_give_the_store_code(word, code):
    assert canonical_tier(word) == code


@pytest.mark.parametrize(
    "word,code",
    [
        ("电话", "phone"),
        ("打电话", "phone"),
        ("致电", "phone"),
        ("微信", "wechat"),
        ("短信", "sms"),
        ("面谈", "meeting"),
        ("见面", "meeting"),
        ("来网点", "meeting"),
        ("上门", "visit"),
        ("拜访", "visit"),
    ],
)
def test_channel_synonyms_give_the_store_code(word, code):
    assert canonical_channel(word) == code


@pytest.mark.parametrize("word", ["", "股票", "黄金", "客户", "类", None])
def test_unknown_vocabulary_gives_none(word):
    assert canonical_product_type(word) is None
    assert canonical_tier(word) is None
    assert canonical_channel(word) is None


@pytest.mark.parametrize(
    "synonyms,labels",
    [(PRODUCT_TYPE_SYNONYMS, PRODUCT_TYPE), (TIER_SYNONYMS, TIER), (CHANNEL_SYNONYMS, CONTACT_CHANNEL)],
)
def test_every_code_has_a_label_for_replies(synonyms, labels):
    assert set(synonyms) == set(labels)
