import pytest

from bot.nlu.counts import chinese_int, parse_top_n, top_n_spans


@pytest.mark.parametrize(
    "span,expected",
    [
        ("前五", 5),
        ("前5", 5),
        ("前5个", 5),
        ("前十名", 10),
        ("排名前十", 10),
        ("前二十位", 20),
        ("十个", 10),
        ("3个", 3),
        ("两个", 2),
        ("五位", 5),
        ("十个客户", 10),
        ("5位客户", 5),
        ("top10", 10),
        ("TOP 10", 10),
        ("Top5", 5),
        ("ｔｏｐ１０", 10),
        ("5", 5),
        ("二十", 20),
        ("一百", 100),
    ],
)
def test_count_span_gives_number(span, expected):
    assert parse_top_n(span) == expected


@pytest.mark.parametrize(
    "span",
    ["", "前三天", "前5个月", "五位数", "几个", "一下", "0", "前0", "前1001", "十万", "客户", "三个月"],
)
def test_non_count_gives_none(span):
    assert parse_top_n(span) is None


@pytest.mark.parametrize(
    "text,expected",
    [
        ("风险最高的前五个客户", ["前五个"]),
        ("给我十个客户", ["十个"]),
        ("列出3个", ["3个"]),
        ("top 10客户", ["top 10"]),
        ("三十个客户", ["三十个"]),
        ("前五", ["前五"]),
        ("排名前十的客户", ["排名前十"]),
    ],
)
def test_counts_are_found_in_text_without_the_noun(text, expected):
    assert [text[s:e] for s, e in top_n_spans(text)] == expected


@pytest.mark.parametrize(
    "text",
    ["下周三个客户", "前三天的交易", "五位数的存款", "给我一个话术", "三个月定期", "帮我看一下"],
)
def test_weekdays_durations_and_single_items_are_not_counts(text):
    assert top_n_spans(text) == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("12", 12),
        ("十二", 12),
        ("两", 2),
        ("三百六十五", 365),
        ("零", 0),
        ("１２", 12),
        ("十二点五", None),
        ("abc", None),
        ("", None),
    ],
)
def test_chinese_int_reads_whole_numbers_only(text, expected):
    assert chinese_int(text) == expected
