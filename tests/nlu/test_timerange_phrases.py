"""The time expressions a banker uses (issue #13, section 1), each with its explicit inclusive range."""

from datetime import date

import pytest

from bot.nlu.timerange import parse_time_range

WEDNESDAY = date(2026, 11, 18)  # the demo bank's date: this week is 11-16..11-22
DECEMBER = date(2026, 12, 10)
YEAR_END = date(2026, 12, 31)
F, B = "forward", "backward"

CASES = [
    # span, today, direction, start, end
    # parts of a month, bare: this month's part, or the next once it is over (the last one going backward)
    ("月初", WEDNESDAY, F, "2026-12-01", "2026-12-10"),
    ("月初", WEDNESDAY, B, "2026-11-01", "2026-11-10"),
    ("上旬", WEDNESDAY, F, "2026-12-01", "2026-12-10"),
    ("月中", WEDNESDAY, F, "2026-11-11", "2026-11-20"),
    ("中旬", WEDNESDAY, F, "2026-11-11", "2026-11-20"),
    ("下旬", WEDNESDAY, F, "2026-11-21", "2026-11-30"),
    ("下旬", YEAR_END, F, "2026-12-21", "2026-12-31"),
    ("月末", WEDNESDAY, F, "2026-11-18", "2026-11-30"),  # bare 月末 keeps 月底's reading: today to the end
    # with a month named
    ("11月初", WEDNESDAY, F, "2026-11-01", "2026-11-10"),
    ("11月中旬", WEDNESDAY, F, "2026-11-11", "2026-11-20"),
    ("11月下旬", WEDNESDAY, F, "2026-11-21", "2026-11-30"),
    ("11月末", WEDNESDAY, F, "2026-11-21", "2026-11-30"),
    ("11月底", WEDNESDAY, F, "2026-11-21", "2026-11-30"),
    ("11月月末", WEDNESDAY, F, "2026-11-21", "2026-11-30"),
    ("12月份中旬", WEDNESDAY, F, "2026-12-11", "2026-12-20"),
    ("12月初", WEDNESDAY, F, "2026-12-01", "2026-12-10"),
    ("三月中", WEDNESDAY, F, "2027-03-11", "2027-03-20"),
    ("2月下旬", WEDNESDAY, F, "2027-02-21", "2027-02-28"),
    ("2028年2月下旬", WEDNESDAY, F, "2028-02-21", "2028-02-29"),
    ("12月底前", WEDNESDAY, F, "2026-11-18", "2026-12-31"),
    ("下个月初", WEDNESDAY, F, "2026-12-01", "2026-12-10"),
    ("下个月初", DECEMBER, F, "2027-01-01", "2027-01-10"),
    ("下个月中旬", YEAR_END, F, "2027-01-11", "2027-01-20"),
    ("下月下旬", WEDNESDAY, F, "2026-12-21", "2026-12-31"),
    ("本月中旬", WEDNESDAY, F, "2026-11-11", "2026-11-20"),
    ("上个月末", WEDNESDAY, B, "2026-10-21", "2026-10-31"),
    ("下下个月初", WEDNESDAY, F, "2027-01-01", "2027-01-10"),
    # the week / month after next
    ("下下周", WEDNESDAY, F, "2026-11-30", "2026-12-06"),
    ("下下周三", WEDNESDAY, F, "2026-12-02", "2026-12-02"),
    ("下下个月", WEDNESDAY, F, "2027-01-01", "2027-01-31"),
    ("下下个月", DECEMBER, F, "2027-02-01", "2027-02-28"),
    ("上上周", WEDNESDAY, B, "2026-11-02", "2026-11-08"),
    # ranges between two points
    ("本周四到下周一", WEDNESDAY, F, "2026-11-19", "2026-11-23"),
    ("本周四至下周一", WEDNESDAY, F, "2026-11-19", "2026-11-23"),
    ("1月5号到15号", WEDNESDAY, F, "2027-01-05", "2027-01-15"),
    ("11月20号到12月5号", WEDNESDAY, F, "2026-11-20", "2026-12-05"),
    ("周三到周五", WEDNESDAY, F, "2026-11-18", "2026-11-20"),
    ("星期三四", WEDNESDAY, F, "2026-11-18", "2026-11-19"),
    ("12月到明年2月", WEDNESDAY, F, "2026-12-01", "2027-02-28"),
    ("今天到月底", WEDNESDAY, F, "2026-11-18", "2026-11-30"),
    ("12月25到1月5号", DECEMBER, F, "2026-12-25", "2027-01-05"),
    ("3月1日至15日", WEDNESDAY, F, "2027-03-01", "2027-03-15"),
    ("下周一到周五", WEDNESDAY, F, "2026-11-23", "2026-11-27"),  # the Friday after that Monday
    ("上个月10号到20号", WEDNESDAY, B, "2026-10-10", "2026-10-20"),
    ("从下周一到下周五", WEDNESDAY, F, "2026-11-23", "2026-11-27"),
    # numeric dates
    ("12/25", WEDNESDAY, F, "2026-12-25", "2026-12-25"),
    ("12.25", WEDNESDAY, F, "2026-12-25", "2026-12-25"),
    ("2026-12-25", WEDNESDAY, F, "2026-12-25", "2026-12-25"),
    ("2026/12/25", WEDNESDAY, F, "2026-12-25", "2026-12-25"),
    ("2026.12.25", WEDNESDAY, F, "2026-12-25", "2026-12-25"),
    ("2026年12月25日", WEDNESDAY, F, "2026-12-25", "2026-12-25"),
    ("12月25", WEDNESDAY, F, "2026-12-25", "2026-12-25"),
    ("12/25/2026", WEDNESDAY, F, "2026-12-25", "2026-12-25"),
    ("1/5", WEDNESDAY, F, "2027-01-05", "2027-01-05"),
    ("12/25之前", WEDNESDAY, F, "2026-11-18", "2026-12-24"),
    ("2025-03-03", WEDNESDAY, F, "2025-03-03", "2025-03-03"),  # a year given is that year, past or not
    # N whole calendar units before / after the current one; 未来 N stays a rolling period from today
    ("上两周", WEDNESDAY, B, "2026-11-02", "2026-11-15"),
    ("前两天", WEDNESDAY, B, "2026-11-16", "2026-11-17"),
    ("下三天", WEDNESDAY, F, "2026-11-19", "2026-11-21"),
    ("后三天", WEDNESDAY, F, "2026-11-19", "2026-11-21"),
    ("下三天", YEAR_END, F, "2027-01-01", "2027-01-03"),
    ("下两周", WEDNESDAY, F, "2026-11-23", "2026-12-06"),
    ("未来三个月", WEDNESDAY, F, "2026-11-18", "2027-02-17"),
    ("下三个月", WEDNESDAY, F, "2026-12-01", "2027-02-28"),
    ("上两个月", WEDNESDAY, B, "2026-09-01", "2026-10-31"),
    ("上一个月", WEDNESDAY, B, "2026-10-01", "2026-10-31"),
    ("前三年", WEDNESDAY, B, "2023-01-01", "2025-12-31"),
    # years
    ("上年", WEDNESDAY, B, "2025-01-01", "2025-12-31"),
    ("下年", WEDNESDAY, F, "2027-01-01", "2027-12-31"),
    ("下年9月", WEDNESDAY, F, "2027-09-01", "2027-09-30"),
    ("下年9月", DECEMBER, F, "2027-09-01", "2027-09-30"),
    ("前年", WEDNESDAY, B, "2024-01-01", "2024-12-31"),
    ("后年", WEDNESDAY, F, "2028-01-01", "2028-12-31"),
    ("2027年", WEDNESDAY, F, "2027-01-01", "2027-12-31"),
    ("前日", WEDNESDAY, B, "2026-11-16", "2026-11-16"),
    # holidays: the day itself (春节 and 国庆 keep their golden weeks)
    ("元旦", WEDNESDAY, F, "2027-01-01", "2027-01-01"),
    ("元旦", WEDNESDAY, B, "2026-01-01", "2026-01-01"),
    ("元旦", YEAR_END, F, "2027-01-01", "2027-01-01"),
    ("清明", WEDNESDAY, F, "2027-04-05", "2027-04-05"),
    ("清明节前", WEDNESDAY, F, "2026-11-18", "2027-04-04"),
    ("劳动节", WEDNESDAY, F, "2027-05-01", "2027-05-01"),
    ("五一前", WEDNESDAY, F, "2026-11-18", "2027-04-30"),
    ("端午", WEDNESDAY, F, "2027-06-09", "2027-06-09"),
    ("端午节", WEDNESDAY, B, "2026-06-19", "2026-06-19"),
    ("中秋", WEDNESDAY, F, "2027-09-15", "2027-09-15"),
    ("中秋节", WEDNESDAY, B, "2026-09-25", "2026-09-25"),
    ("中秋", date(2025, 10, 6), F, "2025-10-06", "2025-10-06"),
    ("国庆", WEDNESDAY, F, "2027-10-01", "2027-10-07"),
    ("国庆前", WEDNESDAY, F, "2026-11-18", "2027-09-30"),
    ("十一前", WEDNESDAY, F, "2026-11-18", "2027-09-30"),
    ("十一长假", WEDNESDAY, F, "2027-10-01", "2027-10-07"),
    ("国庆假期", WEDNESDAY, F, "2027-10-01", "2027-10-07"),
    ("春节", WEDNESDAY, F, "2027-02-05", "2027-02-12"),
    ("清明", date(2028, 1, 3), F, "2028-04-04", "2028-04-04"),
    ("端午", date(2024, 3, 1), F, "2024-06-10", "2024-06-10"),
]


@pytest.mark.parametrize("span,today,direction,start,end", CASES)
def test_banker_expression_gives_its_range(span, today, direction, start, end):
    result = parse_time_range(span, today, direction)

    assert result is not None, span
    assert (result.start.isoformat(), result.end.isoformat()) == (start, end)


def test_holiday_tables_cover_2024_to_2028():
    for year in range(2024, 2029):
        for name in ("清明", "端午", "中秋"):
            found = parse_time_range(name, date(year, 1, 1))
            assert found is not None and found.start.year == year, (name, year)


@pytest.mark.parametrize(
    "span,today",
    [
        ("清明", date(2028, 12, 1)),  # the next one lies beyond the table
        ("端午前", date(2028, 5, 28)),
        ("利率3.5", WEDNESDAY),
        ("12-25", WEDNESDAY),
        ("13/45", WEDNESDAY),
        ("零零零零年", WEDNESDAY),
        ("周日，2月10号", WEDNESDAY),  # no 10 February within a year of today is a Sunday
        ("下周一到本周四", WEDNESDAY),  # the end lies before the start
    ],
)
def test_holiday_beyond_the_table_or_impossible_expression_gives_none(span, today):
    assert parse_time_range(span, today) is None


@pytest.mark.parametrize(
    "span,label",
    [
        ("11月下旬", "11月下旬（11月21日–11月30日）"),
        ("本周四到下周一", "本周四到下周一（11月19日–11月23日）"),
        ("下年", "明年（2027年1月1日–2027年12月31日）"),
        ("五一前", "劳动节前（11月18日–2027年4月30日）"),
        ("前两天", "前两天（11月16日–11月17日）"),
    ],
)
def test_label_of_a_new_expression_names_it_and_its_dates(span, label):
    assert parse_time_range(span, WEDNESDAY).label == label
