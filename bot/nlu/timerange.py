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
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.nlu.counts import chinese_int
from bot.nlu.voice import to_halfwidth

FORWARD, BACKWARD = "forward", "backward"
DEFAULT_RECENT_DAYS = 7

# Lunar new year's day (正月初一), 2024–2035.
SPRING_FESTIVAL = {
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
    2031: date(2031, 1, 23),
    2032: date(2032, 2, 11),
    2033: date(2033, 1, 31),
    2034: date(2034, 2, 19),
    2035: date(2035, 2, 8),
}


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
_NEXT = r"(?:下一|下个|下)"
_LAST = r"(?:上一|上个|上)"
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
_YEAR = r"(?P<year>今年|明年|去年|20\d\d年)"
_UNIT = r"(?P<unit>天|日|周|星期|礼拜|个月|月|年)"

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
    if rel.startswith("下"):
        return 1
    if rel.startswith("上"):
        return -1
    return 0


def _rel_name(rel: str | None) -> str:
    return {0: "本", 1: "下", -1: "上"}[_relative_offset(rel)]


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


def _weekday(m: re.Match, ctx: _Ctx) -> _Raw:
    raw = m.group("wd")
    index = int(raw) - 1 if raw.isdigit() else _WEEKDAY_INDEX[raw]
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


_DAY_WORDS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3, "昨天": -1, "昨日": -1, "前天": -2}


def _day_word(m: re.Match, ctx: _Ctx) -> _Raw:
    word = m.group("word")
    day = ctx.today + timedelta(days=_DAY_WORDS[word])
    name = {"今日": "今天", "明日": "明天", "昨日": "昨天"}.get(word, word)
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
    offset = _relative_offset(m.group("rel"))
    first = _month_start(ctx.today, offset)
    name = {0: "本月", 1: "下月", -1: "上月"}[offset]
    return first, _month_end(first.year, first.month), name


def _month_early(m: re.Match, ctx: _Ctx) -> _Raw:
    rel = m.group("rel")
    if rel:
        first = _month_start(ctx.today, _relative_offset(rel))
        name = {0: "本月初", 1: "下月初", -1: "上月初"}[_relative_offset(rel)]
    else:
        candidates = [_month_start(ctx.today, k) for k in (-1, 0, 1)]
        if ctx.direction == BACKWARD:
            first = max(d for d in candidates if d <= ctx.today)
        else:
            first = min(d for d in candidates if d + timedelta(days=9) >= ctx.today)
        name = "月初"
    return first, first + timedelta(days=9), name


def _month_end_before(m: re.Match, ctx: _Ctx) -> _Raw:
    offset = 1 if m.group("rel") and m.group("rel").startswith("下") else 0
    first = _month_start(ctx.today, offset)
    end = _month_end(first.year, first.month)
    return ctx.today, end, "下月底前" if offset else "月底前"


def _year_end_before(m: re.Match, ctx: _Ctx) -> _Raw:
    return ctx.today, date(ctx.today.year, 12, 31), "年底前"


def _named_month(m: re.Match, ctx: _Ctx) -> _Raw:
    month = chinese_int(m.group("month"))
    if not month or not 1 <= month <= 12:
        return None
    year_word = m.group("year")
    if year_word:
        year = _explicit_year(year_word, ctx.today)
    elif ctx.direction == BACKWARD:
        year = ctx.today.year if month <= ctx.today.month else ctx.today.year - 1
    else:
        year = ctx.today.year if month >= ctx.today.month else ctx.today.year + 1
    name = f"{year_word or ''}{month}月"
    return date(year, month, 1), _month_end(year, month), name


def _explicit_year(word: str, today: date) -> int:
    relative = {"今年": 0, "明年": 1, "去年": -1}
    return today.year + relative[word] if word in relative else int(word.rstrip("年"))


def _named_date(m: re.Match, ctx: _Ctx) -> _Raw:
    month, day_number = chinese_int(m.group("month")), chinese_int(m.group("day"))
    if not month or not day_number:
        return None
    years: Iterable[int]
    if m.group("year"):
        years = [_explicit_year(m.group("year"), ctx.today)]
    else:
        years = range(ctx.today.year - 1, ctx.today.year + 6)
    candidates = [d for d in (_safe_date(y, month, day_number) for y in years) if d]
    name = f"{month}月{day_number}日"
    day = _next_or_last(candidates, ctx, strictly_after=bool(m.group("before")))
    if m.group("before"):
        return _before(day, ctx, name)
    return (day, day, name) if day else None


def _day_of_month(m: re.Match, ctx: _Ctx) -> _Raw:
    day_number = chinese_int(m.group("day"))
    if not day_number or not 1 <= day_number <= 31:
        return None
    rel = m.group("rel")
    if rel:
        first = _month_start(ctx.today, 1 if rel.startswith("下") else 0)
        day = _safe_date(first.year, first.month, day_number)
        name = f"{'下月' if rel.startswith('下') else '本月'}{day_number}号"
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
    name = {0: "本季度", 1: "下季度", -1: "上季度"}[_relative_offset(m.group("rel"))]
    return start, _month_end(year, index * 3 + 3), name


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
    word = m.group("word")
    year = ctx.today.year + {"今年": 0, "本年": 0, "本年度": 0, "明年": 1, "去年": -1}[word]
    return date(year, 1, 1), date(year, 12, 31), {"本年": "今年", "本年度": "今年"}.get(word, word)


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


def _recent(m: re.Match, ctx: _Ctx) -> _Raw:
    start, end = _span_of_days(DEFAULT_RECENT_DAYS, ctx, ctx.direction)
    return start, end, "最近"


def _spring_festival(m: re.Match, ctx: _Ctx) -> _Raw:
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


def _new_year_day(m: re.Match, ctx: _Ctx) -> _Raw:
    return _before(date(ctx.today.year + 1, 1, 1), ctx, "元旦")


# ---------------------------------------------------------------- the rule table
_NO_DIGIT_BEFORE = r"(?<![\d零一二两三四五六七八九十百])"
_NOT_COUNTED = r"(?<![\d零一二两三四五六七八九十百几多半去今明每])"  # 年前 = before Spring Festival, 三年前 is not
_RULES: list[tuple[str, Callable[[re.Match, _Ctx], _Raw]]] = [
    (rf"{_REL}{_WEEK}{_WEEKDAY}{_BEFORE}?", _weekday),
    (rf"(?<![本这今下上个一]){_WEEK}{_WEEKDAY}{_BEFORE}?(?P<rel>)", _weekday),
    (rf"{_REL}?{_WEEK}末", _weekend),
    (rf"{_REL}{_WEEK}{_WITHIN}?", _week),
    (rf"(?P<word>大后天|今天|今日|明天|明日|后天|昨天|昨日|前天)(?:{_BEFORE}|{_WITHIN})?", _day_word),
    (r"今明两天|今明天|明后两天|明后天|这两天|这几天", _two_days),
    (rf"(?P<rel>{_THIS}|{_NEXT})?月(?:底|末){_BEFORE}?", _month_end_before),
    (rf"(?:今年)?(?:年底|年末){_BEFORE}?|(?:今年|年)(?:之内|以内|内)", _year_end_before),
    (rf"{_REL}?月初", _month_early),
    (rf"{_REL}月份?{_WITHIN}?", _month),
    (rf"当月{_WITHIN}?(?P<rel>)", _month),
    (rf"{_NO_DIGIT_BEFORE}{_YEAR}?{_MONTH_NUM}月{_DAY_NUM}{_DAY_SUFFIX}{_BEFORE}?", _named_date),
    (rf"{_NO_DIGIT_BEFORE}{_YEAR}?{_MONTH_NUM}月份?(?![\d零一二两三四五六七八九十号日])", _named_month),
    (
        rf"(?P<rel>本月|这个月|下个月|下月)?{_NO_DIGIT_BEFORE}{_DAY_NUM}{_DAY_SUFFIX}{_BEFORE}?(?![楼线门院床])",
        _day_of_month,
    ),
    (rf"{_REL}季度?{_WITHIN}?|当季度?", _quarter),
    (r"(?P<year>今年)?第?(?P<q>[一二三四1-4])季度", _numbered_quarter),
    (r"(?:今年)?(?P<half>上|下)半年", _half_year),
    (r"(?P<word>今年|本年度|本年|明年|去年)", _year),
    (rf"(?:未来|接下来|往后)的?{_N}{_UNIT}{_WITHIN}?", _period(FORWARD, "未来", "")),
    (rf"(?:过去|前)的?{_N}{_UNIT}{_WITHIN}?", _period(BACKWARD, "过去", "")),
    (rf"(?:最近|近期|近|这)的?{_N}{_UNIT}{_WITHIN}?(?:以来)?", _period(None, "近", "")),
    (rf"{_NO_DIGIT_BEFORE}{_N}{_UNIT}{_WITHIN}", _period(None, "", "内")),
    (r"最近|近期|近来|这段时间|近段时间", _recent),
    (rf"(?:春节|过年|{_NOT_COUNTED}年)(?P<before>之前|以前|前)|春节(?:期间)?", _spring_festival),
    (r"(?:国庆节|国庆)(?P<before>之前|以前|前)?", _national_day),
    (rf"元旦{_BEFORE}", _new_year_day),
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


def parse_time_range(span: str, today: date, direction: str = FORWARD) -> DateRange | None:
    """The date range a time expression names, or None when it is not understood or is empty."""
    if direction not in (FORWARD, BACKWARD):
        raise ValueError(f"direction must be 'forward' or 'backward', not {direction!r}")
    text = _normalise(span)
    if not text:
        return None
    ctx = _Ctx(today, direction)
    for pattern, handler in _COMPILED:
        match = pattern.fullmatch(text)
        if not match:
            continue
        raw = handler(match, ctx)
        if raw is None:
            return None
        start, end, name = raw
        if end < start:
            return None
        return DateRange(start, end, _label(name, start, end, today))
    return None


# A fixed day to check that an expression is understood at all, independent of the real clock.
_REFERENCE_DAY = date(2030, 1, 7)


def time_range_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every time expression found in a whole utterance; overlaps are left to the caller."""
    found = []
    for pattern, handler in _COMPILED:
        for match in pattern.finditer(text):
            if match.end() > match.start() and handler(match, _Ctx(_REFERENCE_DAY, FORWARD)) is not None:
                found.append((match.start(), match.end()))
    return found
