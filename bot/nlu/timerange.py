"""Chinese time expressions → an inclusive date range, relative to an injected `today`.

Callers pass `bot.clock.today()` and a direction: "forward" for things that lie ahead (maturities),
"backward" for things that already happened (transactions). Conventions:

- Weeks run Monday–Sunday. 本周/下周/上周, like 本月/本季度/今年, mean the whole calendar period even when
  part of it has passed: a maturity earlier this week is still worth a call.
- "X前 / X之前 / X以前" runs from today to the day BEFORE X, where X is the next such day after today
  (on the 10th, 10号前 means before the 10th of next month). None when X is not after today.
  月底前 / 年底前 include the last day: 月底 names the end of the month, not a single day to stop before.
- "N天内 / 一周内 / 最近N天 / 未来N天" count today as the first of N days: forward today..today+N-1,
  backward today-N+1..today. 未来/接下来 are always forward, 过去 always backward; 最近 alone means 7 days.
- Bare weekdays, day numbers and months (周三, 10号, 12月) mean the next one on or after today going forward,
  the latest one on or before today going backward.
- 下周三 is next calendar week's Wednesday even when said on a Tuesday; 这周一 is this week's Monday even
  when it has passed. 下下周 / 下下个月 are the week / month after next.
- Parts of a month: 月初 / 上旬 are days 1–10, 月中 / 中旬 11–20, 下旬 21 to the end. With a month or a
  relative month named (11月下旬, 12月底, 上个月末) 底 / 末 / 尾 are days 21 to the end as well; bare 月底 /
  月末 / 月尾 and 本月底 / 下月底 keep the older reading "by the end of the month": today to the last day.
  年底 / 年末 / 年尾 likewise run from today to 31 December.
- "上/前 N 天|周|个月|年" and "下/后 N …" are the N whole calendar units before / after the current one, as
  上周 / 下周 are: 前两天 is the two days before today, 下三个月 the three months after this one.
  未来 / 接下来 / 过去 / 最近 N … stay rolling periods counted from today (above).
- Numeric dates: 2026-12-25, 2026/12/25, 2026.12.25, 12/25/2026 (month first, as Duckling reads it),
  12/25 and 12.25 (a dot date only before 号/日/前/到期 or at the end, not after 率/化: 利率3.5 is no date).
- A range "A到B" (also 至, -, ~) runs from the start of A to the end of B. A bare number after the connector
  takes A's unit (1月5号到15号, 星期三至四), a bare number before it takes B's (十二至一月); 星期三四 is
  Wednesday to Thursday. When B comes out before A it is read again as the next B after A (周五到周一),
  unless B is relative: 下周一到本周四 is None.
- Holidays (bot.nlu.holidays): 春节 and 国庆 (十一长假, 十一前) are their golden weeks, as before; every
  other holiday is the day itself (元旦, 清明, 劳动节/五一, 端午, 中秋, …): the days off around it are set
  each year by the State Council and move with the weekend, and "国庆前到期" needs the day. "X前" is today
  to the day before X. Beyond the tables (2024–2028; 春节 to 2035) a holiday gives None.

Deliberate differences from Facebook Duckling's Chinese corpus (tests/nlu/duckling_zh_time.tsv), said on
Tuesday 2013-02-12: 下周三 → 2013-02-20, not tomorrow; 这周一 → 2013-02-11, not the coming Monday; bare
周二 → today, not next Tuesday; 月尾 / 年尾 → today to the month's / year's end, not days 21– / Sep–Dec;
春节 → the golden week from the table (which starts in 2024), not the single day.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.nlu.counts import chinese_int
from bot.nlu.holidays import HOLIDAY_ALIASES, SPRING_FESTIVAL, holiday_days, holiday_names
from bot.nlu.voice import to_halfwidth

FORWARD, BACKWARD = "forward", "backward"
DEFAULT_RECENT_DAYS = 7


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date
    label: str

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class _Ctx:
    today: date
    direction: str


# (start, end, name) before the label gets its dates; None when the expression does not apply.
_Raw = tuple[date, date, str] | None

# ---------------------------------------------------------------- pieces of the grammar
_N = r"(?P<n>\d{1,3}|[零一二两三四五六七八九十百]{1,4}|半)"
_THIS = r"(?:本|这一|这个|这|今)"
# 看一下下个礼拜 / 查下下周 are "look at next week": 下下 after 一 or a verb is that verb's 下.
_VERB_XIA = r"(?<![一看查问找列算等想试说瞧翻搜刷统排筛])"
_NEXT = rf"(?:{_VERB_XIA}下下个|{_VERB_XIA}下下一|{_VERB_XIA}下下|下一|下个|下)"
_LAST = r"(?:上上个|上上一|上上|上一|上个|上)"
_REL = rf"(?P<rel>{_THIS}|{_NEXT}|{_LAST})"
_WEEK = r"(?:周|星期|礼拜)"
_WEEKDAY = r"(?P<wd>[一二三四五六日天1-7])"
_BEFORE = r"(?P<before>之前|以前|前)"
_WITHIN = r"(?:之内|以内|内|里)"
_MONTH_NUM = r"(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY_NUM = (
    r"(?P<day>3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
)
_DAY_SUFFIX = r"(?:号|日)"
# A day number without 号/日 (三月一, 12月25) only when no count or amount follows it.
_DAY_END = rf"(?:{_DAY_SUFFIX}|(?![\d零一二两三四五六七八九十百千万个位名条笔元块岁点]))"
_CN_YEAR_DIGITS = "零〇一二三四五六七八九"
_CN_DIGIT_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
_YEAR_WORDS = {"今年": 0, "本年": 0, "这一年": 0, "明年": 1, "下年": 1, "去年": -1, "上年": -1, "前年": -2, "后年": 2}
_YEAR_LABELS = {"本年": "今年", "这一年": "今年", "下年": "明年", "上年": "去年"}
# A written year: 1900–2099 in digits or in Chinese digits (二零二六年, 二〇二六年).
_WRITTEN_YEAR = rf"(?:(?:19|20)\d\d|(?:一九|二[零〇])[{_CN_YEAR_DIGITS}]{{2}})年"
_YEAR = rf"(?P<year>今年|本年|明年|下年|去年|上年|前年|后年|{_WRITTEN_YEAR})"
_UNIT = r"(?P<unit>天|日|周|星期|礼拜|个月|月|年)"

# Parts of a month → (first day, last day or None for the month's end).
_MONTH_PARTS = {"初": (1, 10), "上旬": (1, 10), "中": (11, 20), "中旬": (11, 20), "下旬": (21, None)}
_MONTH_PARTS |= {"底": (21, None), "末": (21, None), "尾": (21, None)}
_NOT_MID = r"(?![国行信银华])"  # 12月中行 is Bank of China, not mid-December
_PART = rf"(?P<part>上旬|中旬|下旬|初|中{_NOT_MID}|底|末|尾)"
_REL_NAMES = {0: "本", 1: "下", -1: "上", 2: "下下", -2: "上上"}

_WEEKDAY_INDEX = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAY_NAME = "一二三四五六日"


# ---------------------------------------------------------------- date arithmetic
def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_start(day: date, months: int = 0) -> date:
    return _add_months(day.replace(day=1), months)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _relative_offset(rel: str | None) -> int:
    if not rel:
        return 0
    for word, sign in (("下", 1), ("上", -1)):
        if rel.startswith(word):
            return 2 * sign if rel.startswith(word * 2) else sign
    return 0


def _rel_name(rel: str | None) -> str:
    return _REL_NAMES[_relative_offset(rel)]


def _before(anchor: date | None, ctx: _Ctx, name: str) -> _Raw:
    if anchor is None or anchor <= ctx.today:
        return None
    return ctx.today, anchor - timedelta(days=1), f"{name}前"


def _span_of_days(days: int, ctx: _Ctx, direction: str) -> tuple[date, date]:
    if direction == BACKWARD:
        return ctx.today - timedelta(days=days - 1), ctx.today
    return ctx.today, ctx.today + timedelta(days=days - 1)


def _span_of_months(months: int, ctx: _Ctx, direction: str) -> tuple[date, date]:
    if direction == BACKWARD:
        return _add_months(ctx.today, -months) + timedelta(days=1), ctx.today
    return ctx.today, _add_months(ctx.today, months) - timedelta(days=1)


def _next_or_last(candidates: list[date], ctx: _Ctx, strictly_after: bool = False) -> date | None:
    """The first candidate on/after today (forward) or the last on/before today (backward)."""
    if strictly_after:
        later = [d for d in candidates if d > ctx.today]
        return min(later) if later else None
    if ctx.direction == BACKWARD:
        earlier = [d for d in candidates if d <= ctx.today]
        return max(earlier) if earlier else None
    later = [d for d in candidates if d >= ctx.today]
    return min(later) if later else None


# ---------------------------------------------------------------- handlers, one per rule
def _week(m: re.Match, ctx: _Ctx) -> _Raw:
    monday = _monday(ctx.today) + timedelta(weeks=_relative_offset(m.group("rel")))
    return monday, monday + timedelta(days=6), f"{_rel_name(m.group('rel'))}周"


def _weekend(m: re.Match, ctx: _Ctx) -> _Raw:
    saturday = _monday(ctx.today) + timedelta(weeks=_relative_offset(m.group("rel")), days=5)
    name = f"{_rel_name(m.group('rel'))}周末" if m.group("rel") else "周末"
    return saturday, saturday + timedelta(days=1), name


def _weekday_index(raw: str) -> int:
    return int(raw) - 1 if raw.isdigit() else _WEEKDAY_INDEX[raw]


def _weekday(m: re.Match, ctx: _Ctx) -> _Raw:
    index = _weekday_index(m.group("wd"))
    rel = m.group("rel")
    if rel:
        day = _monday(ctx.today) + timedelta(weeks=_relative_offset(rel), days=index)
        name = f"{_rel_name(rel)}周{_WEEKDAY_NAME[index]}"
    else:
        this_week = _monday(ctx.today) + timedelta(days=index)
        candidates = [this_week + timedelta(weeks=k) for k in (-1, 0, 1)]
        found = _next_or_last(candidates, ctx, strictly_after=bool(m.group("before")))
        assert found is not None  # of three weeks, one is always on the asked side of today
        day = found
        name = f"周{_WEEKDAY_NAME[index]}"
    if m.group("before"):
        return _before(day, ctx, name)
    return day, day, name


_DAY_WORDS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}
_DAY_WORDS |= {"昨天": -1, "昨日": -1, "前天": -2, "前日": -2, "大前天": -3}


def _day_word(m: re.Match, ctx: _Ctx) -> _Raw:
    word = m.group("word")
    day = ctx.today + timedelta(days=_DAY_WORDS[word])
    name = {"今日": "今天", "明日": "明天", "昨日": "昨天", "前日": "前天"}.get(word, word)
    if m.group("before"):
        return _before(day, ctx, name)
    return day, day, name


def _two_days(m: re.Match, ctx: _Ctx) -> _Raw:
    word = m.group(0)
    if word.startswith("今明"):
        return ctx.today, ctx.today + timedelta(days=1), "今明两天"
    if word.startswith("明后"):
        return ctx.today + timedelta(days=1), ctx.today + timedelta(days=2), "明后天"
    days = 2 if "两" in word else 3
    start, end = _span_of_days(days, ctx, ctx.direction)
    return start, end, word


def _month(m: re.Match, ctx: _Ctx) -> _Raw:
    first = _month_start(ctx.today, _relative_offset(m.group("rel")))
    return first, _month_end(first.year, first.month), f"{_rel_name(m.group('rel'))}月"


def _part_of_month(first: date, part: str) -> tuple[date, date]:
    start_day, end_day = _MONTH_PARTS[part]
    end = first.replace(day=end_day) if end_day else _month_end(first.year, first.month)
    return first.replace(day=start_day), end


def _rolling_part(part: str, ctx: _Ctx) -> tuple[date, date]:
    """A bare 月初 / 中旬 / 下旬: this month's, or the next one once it is over (the last one going backward)."""
    spans = [_part_of_month(_month_start(ctx.today, k), part) for k in (-1, 0, 1)]
    if ctx.direction == BACKWARD:
        return max(span for span in spans if span[0] <= ctx.today)
    return min(span for span in spans if span[1] >= ctx.today)


def _month_early(m: re.Match, ctx: _Ctx) -> _Raw:
    rel = m.group("rel")
    if not rel:
        return (*_rolling_part("初", ctx), "月初")
    first = _month_start(ctx.today, _relative_offset(rel))
    return (*_part_of_month(first, "初"), f"{_rel_name(rel)}月初")


def _bare_month_part(m: re.Match, ctx: _Ctx) -> _Raw:
    word = m.group("part")
    return (*_rolling_part(word.lstrip("月"), ctx), word)


def _relative_month_part(m: re.Match, ctx: _Ctx) -> _Raw:
    rel, part = m.group("rel"), m.group("part")
    first = _month_start(ctx.today, _relative_offset(rel))
    return (*_part_of_month(first, part), f"{_rel_name(rel)}月{part}")


def _month_end_before(m: re.Match, ctx: _Ctx) -> _Raw:
    offset = _relative_offset(m.group("rel"))
    first = _month_start(ctx.today, offset)
    end = _month_end(first.year, first.month)
    return ctx.today, end, f"{_rel_name(m.group('rel'))}月底前" if offset else "月底前"


def _year_end_before(m: re.Match, ctx: _Ctx) -> _Raw:
    return ctx.today, date(ctx.today.year, 12, 31), "年底前"


def _month_year(month: int, year_word: str | None, ctx: _Ctx) -> int:
    """The year of a named month: the one given, else the next (forward) or last (backward) such month."""
    if year_word:
        return _explicit_year(year_word, ctx.today)
    if ctx.direction == BACKWARD:
        return ctx.today.year if month <= ctx.today.month else ctx.today.year - 1
    return ctx.today.year if month >= ctx.today.month else ctx.today.year + 1


def _named_month(m: re.Match, ctx: _Ctx) -> _Raw:
    month = chinese_int(m.group("month"))
    if not month or not 1 <= month <= 12:
        return None
    year_word = m.group("year")
    year = _month_year(month, year_word, ctx)
    name = f"{year_word or ''}{month}月"
    return date(year, month, 1), _month_end(year, month), name


def _named_month_part(m: re.Match, ctx: _Ctx) -> _Raw:
    month = chinese_int(m.group("month"))
    if not month or not 1 <= month <= 12:
        return None
    year_word, part = m.group("year"), m.group("part")
    first = date(_month_year(month, year_word, ctx), month, 1)
    start, end = _part_of_month(first, part)
    name = f"{year_word or ''}{month}月{part}"
    if not m.group("before"):
        return start, end, name
    if _MONTH_PARTS[part][1] is None:  # 12月底前, like 月底前, includes the last day
        return (ctx.today, end, f"{name}前") if end >= ctx.today else None
    return _before(start, ctx, name)


def _explicit_year(word: str, today: date) -> int:
    if word in _YEAR_WORDS:
        return today.year + _YEAR_WORDS[word]
    return int("".join(str(_CN_DIGIT_VALUE.get(c, c)) for c in word.rstrip("年")))


def _full_year(raw: str) -> int:
    """A year written with two digits (3/3/15, 10/31/74) is the nearest such year to 2000."""
    year = int(raw)
    if len(raw) == 2:
        return 2000 + year if year <= 50 else 1900 + year
    return year


def _whole_year(m: re.Match, ctx: _Ctx) -> _Raw:
    year = _explicit_year(m.group("year"), ctx.today)
    return date(year, 1, 1), date(year, 12, 31), f"{year}年"


def _date_candidates(month: int | None, day_number: int | None, year: int | None, ctx: _Ctx) -> list[date]:
    if not month or not day_number:
        return []
    years: Iterable[int] = [year] if year else range(ctx.today.year - 1, ctx.today.year + 6)
    return [d for d in (_safe_date(y, month, day_number) for y in years) if d]


def _calendar_date(month: int | None, day_number: int | None, year: int | None, before: bool, ctx: _Ctx) -> _Raw:
    """One day of the calendar: in the year given, else the next (forward) or last (backward) one."""
    candidates = _date_candidates(month, day_number, year, ctx)
    name = f"{month}月{day_number}日"
    if year:
        day = candidates[0] if candidates else None
    else:
        day = _next_or_last(candidates, ctx, strictly_after=before)
    if before:
        return _before(day, ctx, name)
    return (day, day, name) if day else None


def _named_date(m: re.Match, ctx: _Ctx) -> _Raw:
    year = _explicit_year(m.group("year"), ctx.today) if m.group("year") else None
    month, day_number = chinese_int(m.group("month")), chinese_int(m.group("day"))
    return _calendar_date(month, day_number, year, bool(m.group("before")), ctx)


def _numeric_date(m: re.Match, ctx: _Ctx) -> _Raw:
    year = _full_year(m.group("year")) if m.group("year") else None
    before = bool(m.groupdict().get("before"))
    return _calendar_date(int(m.group("month")), int(m.group("day")), year, before, ctx)


def _dated_weekday(m: re.Match, ctx: _Ctx) -> _Raw:
    """周日，2月10号: of the dates within a year of today, the nearest that falls on that weekday."""
    year = _explicit_year(m.group("year"), ctx.today) if m.group("year") else None
    month, day_number = chinese_int(m.group("month")), chinese_int(m.group("day"))
    wanted = _weekday_index(m.group("wd"))
    candidates = [d for d in _date_candidates(month, day_number, year, ctx) if d.weekday() == wanted]
    candidates = [d for d in candidates if year or abs((d - ctx.today).days) <= 366]
    if not candidates:
        return None
    day = min(candidates, key=lambda d: (abs((d - ctx.today).days), d < ctx.today))
    return day, day, f"{day.month}月{day.day}日周{_WEEKDAY_NAME[wanted]}"


def _nth_weekday(m: re.Match, ctx: _Ctx) -> _Raw:
    """十月第一个星期一: the Kth such weekday of that month."""
    month, nth = chinese_int(m.group("month")), chinese_int(m.group("k"))
    if not month or not 1 <= month <= 12 or not nth:
        return None
    index = _weekday_index(m.group("wd"))
    first = date(_month_year(month, m.group("year"), ctx), month, 1)
    day = first + timedelta(days=(index - first.weekday()) % 7 + 7 * (nth - 1))
    if day.month != month:
        return None
    return day, day, f"{month}月第{nth}个周{_WEEKDAY_NAME[index]}"


def _day_of_month(m: re.Match, ctx: _Ctx) -> _Raw:
    day_number = chinese_int(m.group("day"))
    if not day_number or not 1 <= day_number <= 31:
        return None
    rel = m.group("rel")
    if rel:
        first = _month_start(ctx.today, _relative_offset(rel))
        day = _safe_date(first.year, first.month, day_number)
        name = f"{_rel_name(rel)}月{day_number}号"
    else:
        months = [_month_start(ctx.today, k) for k in range(-3, 4)]
        candidates = [d for d in (_safe_date(f.year, f.month, day_number) for f in months) if d]
        day = _next_or_last(candidates, ctx, strictly_after=bool(m.group("before")))
        name = f"{day_number}号"
    if m.group("before"):
        return _before(day, ctx, name)
    return (day, day, name) if day else None


def _quarter(m: re.Match, ctx: _Ctx) -> _Raw:
    index = (ctx.today.month - 1) // 3 + _relative_offset(m.group("rel"))
    year, index = ctx.today.year + index // 4, index % 4
    start = date(year, index * 3 + 1, 1)
    return start, _month_end(year, index * 3 + 3), f"{_rel_name(m.group('rel'))}季度"


def _numbered_quarter(m: re.Match, ctx: _Ctx) -> _Raw:
    quarter = chinese_int(m.group("q"))
    if not quarter or not 1 <= quarter <= 4:
        return None
    year = ctx.today.year
    current = (ctx.today.month - 1) // 3 + 1
    if not m.group("year"):
        if ctx.direction == FORWARD and quarter < current:
            year += 1
        elif ctx.direction == BACKWARD and quarter > current:
            year -= 1
    return date(year, quarter * 3 - 2, 1), _month_end(year, quarter * 3), f"第{'一二三四'[quarter - 1]}季度"


def _half_year(m: re.Match, ctx: _Ctx) -> _Raw:
    year = ctx.today.year
    if m.group("half") == "上":
        return date(year, 1, 1), date(year, 6, 30), "上半年"
    return date(year, 7, 1), date(year, 12, 31), "下半年"


def _year(m: re.Match, ctx: _Ctx) -> _Raw:
    word = m.group("word").removesuffix("度")
    year = ctx.today.year + _YEAR_WORDS[word]
    return date(year, 1, 1), date(year, 12, 31), _YEAR_LABELS.get(word, word)


def _this_year_rest(m: re.Match, ctx: _Ctx) -> _Raw:
    return ctx.today, date(ctx.today.year, 12, 31), "年内"


def _amount_of_time(m: re.Match) -> tuple[str, int] | None:
    """('days'|'months', count) for 'N天', '两周', '3个月', '半年', '半个月'."""
    unit, raw = m.group("unit"), m.group("n")
    if raw == "半":
        return {"个月": ("days", 15), "月": ("days", 15), "年": ("months", 6)}.get(unit)
    count = chinese_int(raw)
    if not count:
        return None
    if unit in ("天", "日"):
        return "days", count
    if unit in ("周", "星期", "礼拜"):
        return "days", 7 * count
    if unit in ("个月", "月"):
        return "months", count
    return "months", 12 * count


def _period_name(m: re.Match) -> str:
    number, unit = m.group("n"), m.group("unit")
    unit = {"日": "天", "星期": "周", "礼拜": "周", "月": "个月"}.get(unit, unit)
    return f"{number}{unit}"


def _period(direction: str | None, prefix: str, suffix: str) -> Callable[[re.Match, _Ctx], _Raw]:
    def handler(m: re.Match, ctx: _Ctx) -> _Raw:
        amount = _amount_of_time(m)
        if amount is None:
            return None
        way = direction or ctx.direction
        kind, count = amount
        spread = _span_of_days if kind == "days" else _span_of_months
        start, end = spread(count, ctx, way)
        return start, end, f"{prefix}{_period_name(m)}{suffix}"

    return handler


def _calendar_units(sign: int) -> Callable[[re.Match, _Ctx], _Raw]:
    """上两周 / 下三个月: N whole calendar units right before (sign -1) or after (+1) the current one."""

    def handler(m: re.Match, ctx: _Ctx) -> _Raw:
        count = chinese_int(m.group("n"))
        if not count:
            return None
        unit = m.group("unit").lstrip("个")
        first, last = _unit_bounds(unit, sign, count, ctx.today)
        name = f"{m.group('way')}{m.group('n')}{_UNIT_NAMES.get(unit, unit)}"
        return first, last, name

    return handler


_UNIT_NAMES = {"日": "天", "星期": "周", "礼拜": "周", "月": "个月"}


def _unit_bounds(unit: str, sign: int, count: int, today: date) -> tuple[date, date]:
    """First and last day of the `count` units of `unit` next to today's, before (sign -1) or after (+1)."""
    if unit in ("天", "日"):
        start, length = today, timedelta(days=1)
    elif unit in ("周", "星期", "礼拜"):
        start, length = _monday(today), timedelta(weeks=1)
    else:
        months = 12 if unit == "年" else 1
        start = date(today.year, 1, 1) if unit == "年" else today.replace(day=1)
        if sign < 0:
            return _add_months(start, -months * count), start - timedelta(days=1)
        return _add_months(start, months), _add_months(start, months * (count + 1)) - timedelta(days=1)
    if sign < 0:
        return start - length * count, start - timedelta(days=1)
    return start + length, start + length * (count + 1) - timedelta(days=1)


def _recent(m: re.Match, ctx: _Ctx) -> _Raw:
    start, end = _span_of_days(DEFAULT_RECENT_DAYS, ctx, ctx.direction)
    return start, end, "最近"


def _spring_festival(m: re.Match, ctx: _Ctx) -> _Raw:
    if ctx.today.year not in SPRING_FESTIVAL:
        return None  # before or beyond the table: the next one is not known
    festivals = sorted(SPRING_FESTIVAL.values())
    if m.group("before"):
        day = next((d for d in festivals if d > ctx.today), None)
        return _before(day, ctx, "春节")
    day = _next_or_last(festivals, ctx)
    if day is None:
        return None
    # The public holiday runs from new year's eve for about a week.
    return day - timedelta(days=1), day + timedelta(days=6), "春节"


def _national_day(m: re.Match, ctx: _Ctx) -> _Raw:
    candidates = [date(y, 10, 1) for y in (ctx.today.year - 1, ctx.today.year, ctx.today.year + 1)]
    if m.group("before"):
        return _before(_next_or_last(candidates, ctx, strictly_after=True), ctx, "国庆")
    if ctx.direction == BACKWARD:
        day = max(d for d in candidates if d <= ctx.today)
    else:  # the holiday still running counts as the coming one
        day = min(d for d in candidates if d + timedelta(days=6) >= ctx.today)
    return day, day + timedelta(days=6), "国庆"


def _holiday(m: re.Match, ctx: _Ctx) -> _Raw:
    """元旦 / 清明 / 劳动节 / 端午 / 中秋 …: the day itself; X前 runs up to the day before the next one."""
    word = m.group("name")
    name = HOLIDAY_ALIASES.get(word, word)
    days = holiday_days(word, range(ctx.today.year - 1, ctx.today.year + 2))
    if m.group("before"):
        return _before(_next_or_last(days, ctx, strictly_after=True), ctx, name)
    day = _next_or_last(days, ctx)
    return (day, day, name) if day else None


# ---------------------------------------------------------------- the rule table
_NO_DIGIT_BEFORE = r"(?<![\d零一二两三四五六七八九十百])"
_NOT_COUNTED = r"(?<![\d零一二两三四五六七八九十百几多半去今明每])"  # 年前 = before Spring Festival, 三年前 is not
_HOLIDAY = "|".join(holiday_names())
_COUNT = r"(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3})"
_CALENDAR_UNIT = r"(?P<unit>天|日|个?(?:周|星期|礼拜)|个?月|年)"
_DATE = rf"{_YEAR}?{_MONTH_NUM}月{_DAY_NUM}{_DAY_END}"
_NUMERIC_END = r"(?![\d./%])"
_RULES: list[tuple[str, Callable[[re.Match, _Ctx], _Raw]]] = [
    (rf"{_REL}{_WEEK}{_WEEKDAY}{_BEFORE}?", _weekday),
    (rf"(?<![本这今下上个一]){_WEEK}{_WEEKDAY}{_BEFORE}?(?P<rel>)", _weekday),
    (rf"{_REL}?{_WEEK}末", _weekend),
    (rf"{_REL}{_WEEK}{_WITHIN}?", _week),
    (rf"(?P<word>大后天|大前天|今天|今日|明天|明日|后天|昨天|昨日|前天|前日)(?:{_BEFORE}|{_WITHIN})?", _day_word),
    (r"今明两天|今明天|明后两天|明后天|这两天|这几天", _two_days),
    (rf"(?P<rel>{_THIS}|{_NEXT})?月(?:底|末|尾){_BEFORE}?", _month_end_before),
    (rf"(?:今年)?(?:年底|年末|年尾){_BEFORE}?|(?:今年|年)(?:之内|以内|内)", _year_end_before),
    (rf"{_REL}?月初", _month_early),
    (rf"{_REL}月份?的?(?P<part>上旬|中旬|下旬|中{_NOT_MID}|底|末|尾)", _relative_month_part),
    (rf"(?P<part>月?(?:上旬|中旬|下旬)|月中{_NOT_MID})", _bare_month_part),
    (rf"{_REL}月份?{_WITHIN}?", _month),
    (rf"当月{_WITHIN}?(?P<rel>)", _month),
    (rf"{_NO_DIGIT_BEFORE}{_YEAR}?{_MONTH_NUM}月份?的?第(?P<k>[一二三四五1-5])个?{_WEEK}{_WEEKDAY}", _nth_weekday),
    (rf"{_NO_DIGIT_BEFORE}{_YEAR}?{_MONTH_NUM}月(?:份|月)?{_PART}{_BEFORE}?", _named_month_part),  # 11月月底
    (rf"{_WEEK}{_WEEKDAY}[,，、]?{_NO_DIGIT_BEFORE}{_DATE}", _dated_weekday),
    (rf"{_NO_DIGIT_BEFORE}{_DATE}[,，、(（]?{_WEEK}{_WEEKDAY}[)）]?", _dated_weekday),
    (rf"{_NO_DIGIT_BEFORE}{_YEAR}?{_MONTH_NUM}月{_DAY_NUM}{_DAY_END}{_BEFORE}?", _named_date),
    (rf"{_NO_DIGIT_BEFORE}{_YEAR}?{_MONTH_NUM}月份?(?![\d零一二两三四五六七八九十号日])", _named_month),
    (
        rf"(?<![\d./])(?P<year>(?:19|20)\d\d)(?P<sep>[-/.])(?P<month>\d{{1,2}})(?P=sep)(?P<day>\d{{1,2}})"
        rf"{_DAY_SUFFIX}?{_BEFORE}?{_NUMERIC_END}",
        _numeric_date,
    ),
    (rf"(?<![\d./])(?P<month>\d{{1,2}})/(?P<day>\d{{1,2}})/(?P<year>\d{{4}}|\d\d){_NUMERIC_END}", _numeric_date),
    (
        rf"(?<![\d./])(?P<month>\d{{1,2}})/(?P<day>\d{{1,2}})(?P<year>){_DAY_SUFFIX}?{_BEFORE}?{_NUMERIC_END}",
        _numeric_date,
    ),
    # A dot date only where an amount or a rate cannot be meant (not 利率3.5, 3.5万).
    (
        rf"(?<![\d./率化])(?P<month>\d{{1,2}})\.(?P<day>\d{{1,2}})(?P<year>)"
        rf"(?:{_DAY_SUFFIX}?{_BEFORE}|{_DAY_SUFFIX}|(?=到期|$))",
        _numeric_date,
    ),
    (
        rf"(?P<rel>本月|这个月|{_NEXT}月|{_LAST}月)?{_NO_DIGIT_BEFORE}{_DAY_NUM}{_DAY_SUFFIX}{_BEFORE}?(?![楼线门院床])",
        _day_of_month,
    ),
    (rf"{_REL}季度?{_WITHIN}?|当季度?", _quarter),
    (r"(?P<year>今年)?第?(?P<q>[一二三四1-4])季度", _numbered_quarter),
    (r"(?:今年)?(?P<half>上|下)半年", _half_year),
    (r"(?P<word>今年|本年度|本年|这一年|明年|下年度|下年|去年|上年度|上年|前年|后年)", _year),
    (
        rf"{_NO_DIGIT_BEFORE}(?P<year>{_WRITTEN_YEAR})度?(?!\d|[{_CN_YEAR_DIGITS}十]|[月前])",
        _whole_year,
    ),
    (rf"(?:未来|接下来|往后)的?{_N}{_UNIT}{_WITHIN}?", _period(FORWARD, "未来", "")),
    (rf"过去的?{_N}{_UNIT}{_WITHIN}?", _period(BACKWARD, "过去", "")),
    (rf"(?P<way>上|前){_COUNT}{_CALENDAR_UNIT}{_WITHIN}?", _calendar_units(-1)),
    (rf"(?P<way>下|后){_COUNT}{_CALENDAR_UNIT}{_WITHIN}?", _calendar_units(1)),
    (rf"(?:最近|近期|近|这)的?{_N}{_UNIT}{_WITHIN}?(?:以来)?", _period(None, "近", "")),
    (rf"{_NO_DIGIT_BEFORE}{_N}{_UNIT}{_WITHIN}", _period(None, "", "内")),
    (r"最近|近期|近来|这段时间|近段时间", _recent),
    (rf"(?:春节|过年|农历新年|{_NOT_COUNTED}年)(?P<before>之前|以前|前)|(?:春节|农历新年)(?:期间)?", _spring_festival),
    # 十一 alone is a number; 十一长假 / 十一前 are National Day.
    (
        rf"(?:国庆节|国庆|{_NO_DIGIT_BEFORE}十一(?=假期|长假|黄金周|之前|以前|前))(?:假期|长假|黄金周)?"
        rf"(?P<before>之前|以前|前)?",
        _national_day,
    ),
    # 五一 / 六一 / 三一五 are numbers too: not when a digit, a counter or an amount follows.
    (
        rf"{_NO_DIGIT_BEFORE}(?P<name>{_HOLIDAY})(?![\d零一二两三四五六七八九十百千万个位号日月])(?:当天)?{_BEFORE}?",
        _holiday,
    ),
]
_COMPILED = [(re.compile(pattern), handler) for pattern, handler in _RULES]


# ---------------------------------------------------------------- public API
def _normalise(span: str) -> str:
    text = re.sub(r"\s+", "", to_halfwidth(span or ""))
    text = re.sub(r"^(?:在|从)", "", text)
    return re.sub(r"(?:到期|的)+$", "", text)


def _format_day(day: date, today: date) -> str:
    if day.year != today.year:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.month}月{day.day}日"


def _label(name: str, start: date, end: date, today: date) -> str:
    if start == end:
        return f"{name}（{_format_day(start, today)}）"
    return f"{name}（{_format_day(start, today)}–{_format_day(end, today)}）"


def _single(text: str, ctx: _Ctx) -> _Raw:
    """The first rule that matches all of `text` decides; None when none does or it cannot apply."""
    for pattern, handler in _COMPILED:
        match = pattern.fullmatch(text)
        if match:
            raw = handler(match, ctx)
            return raw if raw and raw[0] <= raw[1] else None
    return None


_CONNECTOR = re.compile(r"到|至|-|~|—|–")
_BARE_NUMBER = re.compile(r"(?P<n>\d{1,4}|[零一二三四五六七八九十]{1,3})(?P<suffix>号|日)?")
_ENDS_WITH_NUMBER = re.compile(
    r"(?P<head>.*?[^\d零一二三四五六七八九十])(?P<n>\d{1,4}|[零一二三四五六七八九十]{1,3})(?:号|日)?"
)
_STARTS_WITH_NUMBER = re.compile(r"(?:\d{1,4}|[零一二三四五六七八九十]{1,3})(?P<unit>\D.*)")
_RELATIVE_WORD = re.compile(r"[本这今当下上明去后前昨]")
_WEEKDAY_PAIR = re.compile(rf"(?P<head>.*{_WEEK})(?P<a>[一二三四五六日天])(?P<b>[一二三四五六日天])")


def _completed(left: str, right: str) -> tuple[str, str]:
    """1月5号到15号 → 1月15号 for the end; 十二至一月 → 十二月 for the start."""
    bare_right, ends = _BARE_NUMBER.fullmatch(right), _ENDS_WITH_NUMBER.fullmatch(left)
    if bare_right and ends:
        suffix = bare_right.group("suffix") or left[ends.end("n") :]
        return left, f"{ends.group('head')}{bare_right.group('n')}{suffix}"
    bare_left, starts = _BARE_NUMBER.fullmatch(left), _STARTS_WITH_NUMBER.fullmatch(right)
    if bare_left and not bare_left.group("suffix") and starts:
        return left + starts.group("unit"), right
    return left, right


def _between(left: str, right: str, ctx: _Ctx) -> _Raw:
    left, right = _completed(left, right)
    first, last = _single(left, ctx), _single(right, ctx)
    if first is None or last is None:
        return None
    if last[1] < first[0] and not _RELATIVE_WORD.search(right):
        # 12月1号到1月1号 said in February, 周五到周一: the next B after A. 下周一到本周四 stays wrong.
        last = _single(right, _Ctx(first[0], FORWARD))
    if last is None or last[1] < first[0]:
        return None
    return first[0], last[1], f"{first[2]}到{last[2]}"


def _range(text: str, ctx: _Ctx) -> _Raw:
    """A到B, A至B, A-B, A~B; and 星期三四 (Wednesday to Thursday)."""
    pair = _WEEKDAY_PAIR.fullmatch(text)
    if pair:
        return _between(pair["head"] + pair["a"], pair["head"] + pair["b"], ctx)
    for connector in _CONNECTOR.finditer(text):
        left, right = text[: connector.start()], text[connector.end() :]
        if left and right:
            found = _between(left, right, ctx)
            if found:
                return found
    return None


def parse_time_range(span: str, today: date, direction: str = FORWARD) -> DateRange | None:
    """The date range a time expression names, or None when it is not understood or is empty."""
    if direction not in (FORWARD, BACKWARD):
        raise ValueError(f"direction must be 'forward' or 'backward', not {direction!r}")
    text = _normalise(span)
    if not text:
        return None
    ctx = _Ctx(today, direction)
    raw = _single(text, ctx) or _range(text, ctx)
    if raw is None:
        return None
    start, end, name = raw
    return DateRange(start, end, _label(name, start, end, today))


# Fixed days to check that an expression is understood at all, independent of the real clock: the second lies
# inside the holiday tables (bot.nlu.holidays), which end before the first.
_REFERENCE_DAYS = (date(2030, 1, 7), date(2026, 1, 5))
_RANGE_TAIL = re.compile(r"\s*(?:到|至|-|~|—|–)\s*")
_BARE_END = re.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:号|日)?(?![\d个位名万千百元块])")
# 星期三四 but not 周三四个客户
_WEEKDAY_PAIR_END = re.compile(r"[一二三四五六日天][二三四五六日天](?![\d个位名万千百元块十])")


def _understood(text: str) -> bool:
    return any(parse_time_range(text, day) is not None for day in _REFERENCE_DAYS)


def _single_spans(text: str) -> list[tuple[int, int]]:
    found = []
    for pattern, handler in _COMPILED:
        for match in pattern.finditer(text):
            if match.end() > match.start() and any(handler(match, _Ctx(day, FORWARD)) for day in _REFERENCE_DAYS):
                found.append((match.start(), match.end()))
    return found


def _range_spans(text: str, singles: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Two expressions joined by 到/至/-/~ (or a bare number after the connector), and 星期三四."""
    found = []
    for start, end in singles:
        ends = []
        tail = _RANGE_TAIL.match(text, end)
        if tail:
            ends += [e for s, e in singles if s == tail.end()]
            bare = _BARE_END.match(text, tail.end())
            ends += [bare.end()] if bare else []
        if _WEEKDAY_PAIR_END.match(text, end - 1):
            ends.append(end + 1)
        found += [(start, e) for e in set(ends) if _understood(text[start:e])]
    return found


def time_range_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every time expression found in a whole utterance; overlaps are left to the caller."""
    singles = _single_spans(text)
    return singles + _range_spans(text, singles)
