from datetime import date

import pytest

from bot.nlu.timerange import DateRange, parse_time_range, time_range_spans

SUNDAY = date(2026, 11, 22)  # a Sunday: the current week is 11-16..11-22
YEAR_END = date(2026, 12, 31)  # a Thursday on the last day of the month and of the year
MONDAY = date(2026, 11, 23)
BEFORE_NEW_YEAR = date(2027, 2, 3)  # Wednesday, three days before the 2027 Spring Festival (02-06)

F, B = "forward", "backward"


def d(text: str) -> date:
    return date.fromisoformat(text)


CASES = [
    # span, today, direction, start, end
    ("本周", SUNDAY, F, "2026-11-16", "2026-11-22"),
    ("这礼拜", SUNDAY, F, "2026-11-16", "2026-11-22"),
    ("这周", SUNDAY, B, "2026-11-16", "2026-11-22"),
    ("这星期", SUNDAY, F, "2026-11-16", "2026-11-22"),
    ("这个星期", SUNDAY, F, "2026-11-16", "2026-11-22"),
    ("本周内", SUNDAY, F, "2026-11-16", "2026-11-22"),
    ("下周", SUNDAY, F, "2026-11-23", "2026-11-29"),
    ("下礼拜", SUNDAY, F, "2026-11-23", "2026-11-29"),
    ("下星期", SUNDAY, F, "2026-11-23", "2026-11-29"),
    ("下个星期", SUNDAY, F, "2026-11-23", "2026-11-29"),
    ("上周", SUNDAY, B, "2026-11-09", "2026-11-15"),
    ("下周三", SUNDAY, F, "2026-11-25", "2026-11-25"),
    ("下周三之前", SUNDAY, F, "2026-11-22", "2026-11-24"),
    ("下周三前", SUNDAY, F, "2026-11-22", "2026-11-24"),
    ("下礼拜一之前", SUNDAY, F, "2026-11-22", "2026-11-22"),
    ("下周日", SUNDAY, F, "2026-11-29", "2026-11-29"),
    ("周三", SUNDAY, F, "2026-11-25", "2026-11-25"),
    ("周三", SUNDAY, B, "2026-11-18", "2026-11-18"),
    ("星期天", SUNDAY, F, "2026-11-22", "2026-11-22"),
    ("周末", SUNDAY, F, "2026-11-21", "2026-11-22"),
    ("下周末", SUNDAY, F, "2026-11-28", "2026-11-29"),
    ("今天", SUNDAY, F, "2026-11-22", "2026-11-22"),
    ("明天", SUNDAY, F, "2026-11-23", "2026-11-23"),
    ("后天", SUNDAY, F, "2026-11-24", "2026-11-24"),
    ("大后天", SUNDAY, F, "2026-11-25", "2026-11-25"),
    ("昨天", SUNDAY, B, "2026-11-21", "2026-11-21"),
    ("今明两天", SUNDAY, F, "2026-11-22", "2026-11-23"),
    ("这个月", SUNDAY, F, "2026-11-01", "2026-11-30"),
    ("本月", SUNDAY, F, "2026-11-01", "2026-11-30"),
    ("这个月底", SUNDAY, F, "2026-11-22", "2026-11-30"),
    ("月底前", SUNDAY, F, "2026-11-22", "2026-11-30"),
    ("月底之前", SUNDAY, F, "2026-11-22", "2026-11-30"),
    ("下个月", SUNDAY, F, "2026-12-01", "2026-12-31"),
    ("下月初", SUNDAY, F, "2026-12-01", "2026-12-10"),
    ("上个月", SUNDAY, B, "2026-10-01", "2026-10-31"),
    ("十二月", SUNDAY, F, "2026-12-01", "2026-12-31"),
    ("12月", SUNDAY, F, "2026-12-01", "2026-12-31"),
    ("12月份", SUNDAY, F, "2026-12-01", "2026-12-31"),
    ("12月", SUNDAY, B, "2025-12-01", "2025-12-31"),
    ("三月", SUNDAY, F, "2027-03-01", "2027-03-31"),
    ("今年12月", SUNDAY, B, "2026-12-01", "2026-12-31"),
    ("12月10号", SUNDAY, F, "2026-12-10", "2026-12-10"),
    ("12月10号之前", SUNDAY, F, "2026-11-22", "2026-12-09"),
    ("本季度", SUNDAY, F, "2026-10-01", "2026-12-31"),
    ("这个季度", SUNDAY, F, "2026-10-01", "2026-12-31"),
    ("下季度", SUNDAY, F, "2027-01-01", "2027-03-31"),
    ("上季度", SUNDAY, B, "2026-07-01", "2026-09-30"),
    ("未来十天", SUNDAY, F, "2026-11-22", "2026-12-01"),
    ("未来7天", SUNDAY, F, "2026-11-22", "2026-11-28"),
    ("未来7天", SUNDAY, B, "2026-11-22", "2026-11-28"),
    ("两周内", SUNDAY, F, "2026-11-22", "2026-12-05"),
    ("两周内", SUNDAY, B, "2026-11-09", "2026-11-22"),
    ("三天内", SUNDAY, F, "2026-11-22", "2026-11-24"),
    ("一周内", SUNDAY, F, "2026-11-22", "2026-11-28"),
    ("一周之内", SUNDAY, B, "2026-11-16", "2026-11-22"),
    ("半个月内", SUNDAY, F, "2026-11-22", "2026-12-06"),
    ("最近一周", SUNDAY, B, "2026-11-16", "2026-11-22"),
    ("最近一周", SUNDAY, F, "2026-11-22", "2026-11-28"),
    ("近30天", SUNDAY, B, "2026-10-24", "2026-11-22"),
    ("最近", SUNDAY, B, "2026-11-16", "2026-11-22"),
    ("最近", SUNDAY, F, "2026-11-22", "2026-11-28"),
    ("过去一周", SUNDAY, F, "2026-11-16", "2026-11-22"),
    ("最近三个月", SUNDAY, B, "2026-08-23", "2026-11-22"),
    ("10号之前", SUNDAY, F, "2026-11-22", "2026-12-09"),
    ("10号前", SUNDAY, F, "2026-11-22", "2026-12-09"),
    ("十号以前", SUNDAY, F, "2026-11-22", "2026-12-09"),
    ("25号前", SUNDAY, F, "2026-11-22", "2026-11-24"),
    ("10号", SUNDAY, B, "2026-11-10", "2026-11-10"),
    ("31号", SUNDAY, F, "2026-12-31", "2026-12-31"),
    ("春节前", SUNDAY, F, "2026-11-22", "2027-02-05"),
    ("过年前", SUNDAY, F, "2026-11-22", "2027-02-05"),
    ("年前", SUNDAY, F, "2026-11-22", "2027-02-05"),
    ("年底前", SUNDAY, F, "2026-11-22", "2026-12-31"),
    ("国庆前", SUNDAY, F, "2026-11-22", "2027-09-30"),
    ("元旦前", SUNDAY, F, "2026-11-22", "2026-12-31"),
    ("下半年", SUNDAY, F, "2026-07-01", "2026-12-31"),
    # the last day of the month and of the year
    ("本周", YEAR_END, F, "2026-12-28", "2027-01-03"),
    ("下周", YEAR_END, F, "2027-01-04", "2027-01-10"),
    ("上周", YEAR_END, B, "2026-12-21", "2026-12-27"),
    ("下周三之前", YEAR_END, F, "2026-12-31", "2027-01-05"),
    ("明天", YEAR_END, F, "2027-01-01", "2027-01-01"),
    ("本月", YEAR_END, F, "2026-12-01", "2026-12-31"),
    ("月底前", YEAR_END, F, "2026-12-31", "2026-12-31"),
    ("下个月", YEAR_END, F, "2027-01-01", "2027-01-31"),
    ("十二月", YEAR_END, F, "2026-12-01", "2026-12-31"),
    ("一月", YEAR_END, F, "2027-01-01", "2027-01-31"),
    ("一月", YEAR_END, B, "2026-01-01", "2026-01-31"),
    ("本季度", YEAR_END, F, "2026-10-01", "2026-12-31"),
    ("下个季度", YEAR_END, F, "2027-01-01", "2027-03-31"),
    ("未来十天", YEAR_END, F, "2026-12-31", "2027-01-09"),
    ("近30天", YEAR_END, B, "2026-12-02", "2026-12-31"),
    ("最近三个月", YEAR_END, B, "2026-10-01", "2026-12-31"),
    ("10号前", YEAR_END, F, "2026-12-31", "2027-01-09"),
    ("10号", YEAR_END, B, "2026-12-10", "2026-12-10"),
    ("春节前", YEAR_END, F, "2026-12-31", "2027-02-05"),
    ("年底前", YEAR_END, F, "2026-12-31", "2026-12-31"),
    ("元旦前", YEAR_END, F, "2026-12-31", "2026-12-31"),
    ("12月10号之前", YEAR_END, F, "2026-12-31", "2027-12-09"),
    # around the Spring Festival, and a month without the 29th
    ("春节前", BEFORE_NEW_YEAR, F, "2027-02-03", "2027-02-05"),
    ("春节前", date(2027, 2, 6), F, "2027-02-06", "2028-01-25"),
    ("春节", BEFORE_NEW_YEAR, F, "2027-02-05", "2027-02-12"),
    ("周三", BEFORE_NEW_YEAR, F, "2027-02-03", "2027-02-03"),
    ("29号前", date(2027, 2, 10), F, "2027-02-10", "2027-03-28"),
    ("本月", date(2028, 2, 10), F, "2028-02-01", "2028-02-29"),
]


@pytest.mark.parametrize("span,today,direction,start,end", CASES)
def test_time_expression_gives_inclusive_date_range(span, today, direction, start, end):
    result = parse_time_range(span, today, direction)

    assert result is not None, span
    assert (result.start, result.end) == (d(start), d(end))


@pytest.mark.parametrize(
    "span,today,label",
    [
        ("本周", MONDAY, "本周（11月23日–11月29日）"),
        ("这礼拜", MONDAY, "本周（11月23日–11月29日）"),
        ("明天", SUNDAY, "明天（11月23日）"),
        ("下周三之前", SUNDAY, "下周三前（11月22日–11月24日）"),
        ("明天", YEAR_END, "明天（2027年1月1日）"),
        ("春节前", SUNDAY, "春节前（11月22日–2027年2月5日）"),
        ("两周内", SUNDAY, "两周内（11月22日–12月5日）"),
        ("十二月", SUNDAY, "12月（12月1日–12月31日）"),
    ],
)
def test_label_names_the_period_and_its_dates(span, today, label):
    assert parse_time_range(span, today).label == label


@pytest.mark.parametrize(
    "span",
    [
        "",
        "   ",
        "随便",
        "下周三个客户",
        "13月",
        "2月30号",
        "32号",
        "3个月",
        "三个月",
        "本周一之前",
        "上周三之前",
        "五十万",
    ],
)
def test_unknown_or_impossible_expression_gives_none(span):
    assert parse_time_range(span, SUNDAY) is None


def test_before_a_day_already_past_gives_none():
    assert parse_time_range("本周三之前", SUNDAY) is None


def test_spring_festival_beyond_the_lunar_table_gives_none():
    assert parse_time_range("春节前", date(2035, 3, 1)) is None


def test_surrounding_spaces_and_full_width_digits_are_ignored():
    assert parse_time_range(" １０号前 ", SUNDAY) == parse_time_range("10号前", SUNDAY)


def test_trailing_particles_from_the_utterance_are_ignored():
    assert parse_time_range("下周到期的", SUNDAY) == parse_time_range("下周", SUNDAY)


def test_unknown_direction_is_rejected():
    with pytest.raises(ValueError):
        parse_time_range("本周", SUNDAY, "sideways")


def test_date_range_is_frozen_and_contains_its_days():
    week = parse_time_range("下周", SUNDAY)

    assert isinstance(week, DateRange)
    assert date(2026, 11, 23) in week and date(2026, 11, 29) in week
    assert date(2026, 11, 30) not in week
    with pytest.raises(AttributeError):
        week.start = SUNDAY


@pytest.mark.parametrize(
    "text,expected",
    [
        ("下周三之前要到期的理财", "下周三之前"),
        ("一周内到期的客户", "一周内"),
        ("最近一周大额流出", "最近一周"),
        ("帮我看看12月10号之前到期的", "12月10号之前"),
        ("这个月底前到期的", "这个月底前"),
    ],
)
def test_longest_time_expression_is_among_those_found_in_text(text, expected):
    found = [text[s:e] for s, e in time_range_spans(text)]

    assert expected in found
    assert max(found, key=len) == expected


@pytest.mark.parametrize("text", ["三个月定期", "三年前买的基金", "十个客户", "一下", "住10号楼"])
def test_no_time_expression_is_found_in_text_without_one(text):
    assert time_range_spans(text) == []
