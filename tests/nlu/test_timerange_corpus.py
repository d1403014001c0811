"""The time normaliser against Facebook Duckling's Chinese corpus (tests/nlu/duckling_zh_time.tsv).

Every row is read with today = Duckling's reference day, going forward. At least 95% of the rows that are not
deliberate differences must give Duckling's range; the misses are printed (pytest -s, or on failure).
"""

import csv
from datetime import date
from pathlib import Path

from bot.nlu.timerange import parse_time_range

CORPUS = Path(__file__).with_name("duckling_zh_time.tsv")
REFERENCE_DAY = date(2013, 2, 12)  # Duckling's test context: Tuesday 2013-02-12 04:30
TARGET = 0.95

_NEXT_WEEK = "下周X is next calendar week's weekday (weeks run Monday–Sunday), not the coming one this week"
_THIS_WEEK = "这周X is this calendar week's weekday even when it has passed, not the coming one"
_BARE_WEEKDAY = "a bare weekday said on that weekday is today (the next one on or after today), not a week later"
_MONTH_END = "月尾, like 月底 / 月末, means by the end of this month: today to the last day, not days 21–end"
_YEAR_END = "年尾, like 年底 / 年末, means today to 31 December, not September–December"
_SPRING = "春节 is the golden week (eve to the 6th day) from the lunar table, which starts in 2024, not the day"
_LITERARY = "a literary or dialect name of 春节 the bank's staff do not use; 春节 itself differs (above)"

DELIBERATE = {
    "星期二": _BARE_WEEKDAY,
    "礼拜二": _BARE_WEEKDAY,
    "周二": _BARE_WEEKDAY,
    "下周三": _NEXT_WEEK,
    "下礼拜三": _NEXT_WEEK,
    "下星期三": _NEXT_WEEK,
    "这周一": _THIS_WEEK,
    "这礼拜一": _THIS_WEEK,
    "月尾": _MONTH_END,
    "年尾": _YEAR_END,
    "今年年尾": _YEAR_END,
    "春节": _SPRING,
    "农历新年": _SPRING,
    "新春": _LITERARY,
    "正月正时": _LITERARY,
    "正月朔日": _LITERARY,
}


def corpus_rows() -> list[dict[str, str]]:
    lines = [line for line in CORPUS.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def reading(phrase: str) -> tuple[str, str] | None:
    found = parse_time_range(phrase, REFERENCE_DAY)
    return (found.start.isoformat(), found.end.isoformat()) if found else None


def test_corpus_table_is_well_formed():
    rows = corpus_rows()
    phrases = [row["phrase"] for row in rows]

    assert len(rows) >= 150
    assert len(set(phrases)) == len(phrases)
    assert set(DELIBERATE) <= set(phrases)
    for row in rows:
        assert date.fromisoformat(row["start"]) <= date.fromisoformat(row["end"]), row
        assert row["grain"] in {"day", "week", "month", "year"}, row


def test_at_least_95_percent_of_the_duckling_corpus_agrees():
    scored = [row for row in corpus_rows() if row["phrase"] not in DELIBERATE]
    misses = [
        (row["phrase"], (row["start"], row["end"]), reading(row["phrase"]))
        for row in scored
        if reading(row["phrase"]) != (row["start"], row["end"])
    ]
    agreement = 1 - len(misses) / len(scored)
    print(
        f"\nDuckling ZH corpus: {len(scored) - len(misses)}/{len(scored)} agree ({agreement:.1%}), "
        f"{len(DELIBERATE)} deliberate differences left out"
    )
    for phrase, expected, got in misses:
        print(f"  miss {phrase}: expected {expected}, got {got}")

    assert agreement >= TARGET, misses


def test_deliberate_differences_really_differ_and_are_understood():
    """Each listed difference still differs (else take it off the list); the ones we read give a range."""
    expected = {row["phrase"]: (row["start"], row["end"]) for row in corpus_rows()}
    for phrase, reason in DELIBERATE.items():
        assert reading(phrase) != expected[phrase], f"{phrase} now agrees with Duckling; drop it: {reason}"
    assert reading("下周三") == ("2013-02-20", "2013-02-20")
    assert reading("这周一") == ("2013-02-11", "2013-02-11")
    assert reading("周二") == ("2013-02-12", "2013-02-12")
    assert reading("月尾") == ("2013-02-12", "2013-02-28")
    assert reading("年尾") == ("2013-02-12", "2013-12-31")
    assert reading("春节") is None  # 2013 lies before the lunar table
    assert parse_time_range("春节", date(2026, 11, 18)) is not None
