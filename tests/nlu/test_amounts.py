import pytest

from bot.nlu.amounts import AmountRange, amount_spans, format_yuan, parse_amount

WAN = 10_000

CASES = [
    # span, min_yuan, max_yuan
    ("五十万以上", 50 * WAN, None),
    ("50万以上", 50 * WAN, None),
    ("50w以上", 50 * WAN, None),
    ("100万以上", 100 * WAN, None),
    ("100万及以上", 100 * WAN, None),
    ("至少30万", 30 * WAN, None),
    ("20万起", 20 * WAN, None),
    ("超过100万", 100 * WAN + 1, None),
    ("大于50万", 50 * WAN + 1, None),
    ("超过5000", 5001, None),
    ("二十万以内", None, 20 * WAN),
    ("20万以下", None, 20 * WAN),
    ("不超过20万", None, 20 * WAN),
    ("不到20万", None, 20 * WAN - 1),
    ("少于5万", None, 5 * WAN - 1),
    ("50万", 45 * WAN, 55 * WAN),  # a bare figure: ±10%
    ("50w", 45 * WAN, 55 * WAN),
    ("50W", 45 * WAN, 55 * WAN),
    ("五十万", 45 * WAN, 55 * WAN),
    ("五十万元", 45 * WAN, 55 * WAN),
    ("1000万", 900 * WAN, 1100 * WAN),
    ("2kw", 1800 * WAN, 2200 * WAN),  # kw: 千万 as typed
    ("1kw以上", 1000 * WAN, None),
    ("2亿", 180_000_000, 220_000_000),
    ("两亿", 180_000_000, 220_000_000),
    ("5千", 4_500, 5_500),
    ("5k", 4_500, 5_500),
    ("五千块", 4_500, 5_500),
    ("5000元", 4_500, 5_500),
    ("1,000,000元", 900_000, 1_100_000),
    ("1.5万", 13_500, 16_500),
    ("一百二十三点五万", 1_111_500, 1_358_500),
    ("十二万五", 112_500, 137_500),
    ("一千二百万", 1080 * WAN, 1320 * WAN),
    ("三十来万", 255_000, 345_000),  # 来 / 左右 / 大约: ±15%
    ("50万左右", 425_000, 575_000),
    ("大约30万", 255_000, 345_000),
    ("45万到50万之间", 45 * WAN, 50 * WAN),
    ("在45万到50万之间", 45 * WAN, 50 * WAN),
    ("45-50万", 45 * WAN, 50 * WAN),
    ("45~50万", 45 * WAN, 50 * WAN),
    ("四十五到五十万", 45 * WAN, 50 * WAN),
    ("五十多万", 50 * WAN, 60 * WAN - 1),
    ("一百多万", 100 * WAN, 200 * WAN - 1),
    ("十几万", 11 * WAN, 19 * WAN),
    ("几十万", 20 * WAN, 99 * WAN),
    ("四五十万", 40 * WAN, 50 * WAN),
    ("三五万", 3 * WAN, 5 * WAN),
    ("将近50万", 425_000, 50 * WAN),
    ("50万出头", 50 * WAN, 575_000),
    ("50万整", 50 * WAN, 50 * WAN),
    ("５０万以上", 50 * WAN, None),
]


@pytest.mark.parametrize("span,low,high", CASES)
def test_amount_span_gives_yuan_range(span, low, high):
    result = parse_amount(span)

    assert result is not None, span
    assert (result.min_yuan, result.max_yuan) == (low, high)


@pytest.mark.parametrize(
    "span,label",
    [
        ("五十万以上", "50万以上"),
        ("50w", "约50万"),
        ("三十来万", "约30万"),
        ("45-50万", "45万–50万"),
        ("超过100万", "超过100万"),
        ("二十万以内", "20万以内"),
        ("不到20万", "不到20万"),
        ("一百二十三点五万", "约123.5万"),
        ("五十多万", "50万–60万"),
        ("2亿", "约2亿"),
        ("5千", "约5000元"),
    ],
)
def test_label_restates_the_amount_briefly(span, label):
    assert parse_amount(span).label == label


@pytest.mark.parametrize("span", ["", "一下", "一点", "50", "五", "千万", "万一", "100到50万", "三个", "好的"])
def test_non_amount_gives_none(span):
    assert parse_amount(span) is None


def test_fen_bounds_are_yuan_times_one_hundred():
    result = parse_amount("45-50万")

    assert (result.min_fen, result.max_fen) == (45_000_000, 50_000_000)


def test_open_bound_stays_none_in_fen():
    assert parse_amount("50万以上").max_fen is None
    assert parse_amount("不到20万").min_fen is None


def test_amount_range_is_frozen():
    with pytest.raises(AttributeError):
        AmountRange(1, 2, "x").min_yuan = 3


@pytest.mark.parametrize(
    "yuan,text",
    [
        (500_000, "50万"),
        (1_235_000, "123.5万"),
        (200_000_000, "2亿"),
        (150_000_000, "1.5亿"),
        (5_000, "5000元"),
        (12_345, "12345元"),
    ],
)
def test_format_yuan_is_short(yuan, text):
    assert format_yuan(yuan) == text


@pytest.mark.parametrize(
    "text,expected",
    [
        ("下周三之前要到期的50w以上的理财", ["50w以上"]),
        ("客户王秀英要取五十万说是买房", ["五十万"]),
        ("余额在四五十万的", ["四五十万"]),
        ("超过5000的交易", ["超过5000"]),
        ("1,000,000元以上", ["1,000,000元以上"]),
        ("10号前到期五十多万", ["五十多万"]),
    ],
)
def test_amounts_are_found_in_text(text, expected):
    found = [text[s:e] for s, e in amount_spans(text)]

    assert max(found, key=len) == expected[0]


@pytest.mark.parametrize(
    "text",
    ["看一下一点半的安排", "我们一块去", "超过3个", "千万不要忘记", "五位数", "十个客户", "下周三联系"],
)
def test_words_with_numerals_are_not_amounts(text):
    assert amount_spans(text) == []
