"""Chinese money expressions → a range in yuan: 五十万以上, 50w, 三十来万, 45-50万, 不到20万, 2亿.

Only the amount span is converted (never a whole sentence: cn2an would turn 下周三 into 下周3).
Bounds are inclusive. Tolerances, chosen so an RM's round figure still finds the client:
- a bare amount ("50万") means about that much: ±10%;
- 来 / 左右 / 上下 / 大约 / 差不多 ("三十来万", "50万左右"): ±15%;
- 多 ("五十多万"): from the number up to the next step of its last digit (50万–60万);
- 几 ("十几万", "几十万"): the spread the 几 stands for (11万–19万, 20万–99万);
- 将近 / 接近 ("将近50万"): 85%–100%; 出头 ("50万出头"): 100%–115%;
- 以上 / 超过: 以上 includes the number, 超过 starts one yuan above it; 以内 / 不到 likewise at the top.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from functools import lru_cache
from typing import cast

import cn2an

from bot.nlu.voice import to_halfwidth

BARE_TOLERANCE = Decimal("0.10")
ABOUT_TOLERANCE = Decimal("0.15")


@dataclass(frozen=True)
class AmountRange:
    min_yuan: int | None
    max_yuan: int | None
    label: str

    @property
    def min_fen(self) -> int | None:
        return None if self.min_yuan is None else self.min_yuan * 100

    @property
    def max_fen(self) -> int | None:
        return None if self.max_yuan is None else self.max_yuan * 100


# ---------------------------------------------------------------- grammar
_CN = "零〇一二两三四五六七八九"
_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CHINESE = rf"[{_CN}十][{_CN}十百千万亿]*(?:点[{_CN}]+)?"
_NUMBER = rf"(?:{_ARABIC}|{_CHINESE})"
_SCALE = r"(?:百万|千万|万亿|万|亿|千|百|kw|w|k)"  # kw: 千万, as typed (1kw)
_MONEY_WORD = r"(?:元|块钱|块|圆)"
# A number with an optional 来/多, or one with 几 in it, then an optional scale and 元/块.
_CORE = rf"(?:[{_CN}十百千]*几[十百千]?|{_NUMBER}[来多]?){_SCALE}?{_MONEY_WORD}?"
_PAIR = rf"[一二三四五六七八][二三四五六七八九][十百千]?{_SCALE}?{_MONEY_WORD}?"

_AT_LEAST_PREFIX = r"(?:不少于|不低于|至少|起码|最少|>=|≥)"
_MORE_THAN_PREFIX = r"(?:超过|多于|大于|高于|>)"
_AT_MOST_PREFIX = r"(?:不超过|不高于|最多|至多|<=|≤)"
_LESS_THAN_PREFIX = r"(?:不到|不足|少于|低于|小于|<)"
_ABOUT_PREFIX = r"(?:大约|大概|差不多|约)"
_NEAR_PREFIX = r"(?:将近|接近|快)"
_AT_LEAST_SUFFIX = r"(?:及以上|或以上|以上|往上|起)"
_AT_MOST_SUFFIX = r"(?:及以下|或以下|以下|以内|之内|往下)"
_ABOUT_SUFFIX = r"(?:左右|上下)"
_RANGE_SEP = r"(?:到|至|-|~|～|—|–|－)"

# Order matters: the first pattern that matches the whole span decides.
_PATTERNS = [
    ("range", rf"(?:在|从|介于)?(?P<a>{_CORE}){_RANGE_SEP}(?P<b>{_CORE})(?:之间|中间)?"),
    ("pair", rf"(?P<a>{_PAIR})(?:左右)?"),
    ("more_than", rf"{_MORE_THAN_PREFIX}(?P<a>{_CORE}){_AT_LEAST_SUFFIX}?"),
    ("at_least", rf"{_AT_LEAST_PREFIX}(?P<a>{_CORE}){_AT_LEAST_SUFFIX}?|(?P<b>{_CORE}){_AT_LEAST_SUFFIX}"),
    ("less_than", rf"{_LESS_THAN_PREFIX}(?P<a>{_CORE}){_AT_MOST_SUFFIX}?"),
    ("at_most", rf"{_AT_MOST_PREFIX}(?P<a>{_CORE}){_AT_MOST_SUFFIX}?|(?P<b>{_CORE}){_AT_MOST_SUFFIX}"),
    ("about", rf"{_ABOUT_PREFIX}(?P<a>{_CORE}){_ABOUT_SUFFIX}?|(?P<b>{_CORE}){_ABOUT_SUFFIX}"),
    ("near", rf"{_NEAR_PREFIX}(?P<a>{_CORE})"),
    ("just_over", rf"(?P<a>{_CORE})出头"),
    ("exact", rf"(?P<a>{_CORE})整"),
    ("bare", rf"(?P<a>{_CORE})"),
]
_COMPILED = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _PATTERNS]

_SCALE_VALUE = {
    "": 1,
    "百": 100,
    "千": 1000,
    "k": 1000,
    "万": 10_000,
    "w": 10_000,
    "kw": 10_000_000,
    "百万": 1_000_000,
    "千万": 10_000_000,
    "亿": 100_000_000,
    "万亿": 1_000_000_000_000,
}
_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")}
_CN_DIGIT.update({"〇": 0, "两": 2})
_PURE_CHINESE = re.compile(rf"[{_CN}十百千万亿]+")


# ---------------------------------------------------------------- numbers
@dataclass(frozen=True)
class _Value:
    """An amount in yuan as read from one number: low..high inclusive, and whether it said its unit."""

    low: Decimal
    high: Decimal
    spread: bool  # 来/多/几 or a pair (四五十万): the number itself is a range
    has_unit: bool
    about: bool = False  # 来


def _number(text: str) -> Decimal | None:
    if not text:
        return None
    if re.fullmatch(_ARABIC, text):
        return Decimal(text.replace(",", ""))
    try:
        value = cn2an.cn2an(text, "normal")
    except (ValueError, KeyError, IndexError):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _step(value: Decimal) -> Decimal:
    """The place value of the last non-zero digit: 50 → 10, 120 → 10, 5 → 1, 1.5 → 0.1."""
    if value == 0:
        return Decimal(1)
    return Decimal(1).scaleb(cast(int, value.normalize().as_tuple().exponent))  # finite: never "n"/"N"/"F"


_CORE_PARTS = re.compile(rf"(?P<num>.*?)(?P<scale>{_SCALE})?(?P<money>{_MONEY_WORD})?", re.IGNORECASE)
_PAIR_PARTS = re.compile(r"([一二三四五六七八])([二三四五六七八九])([十百千]?)")


@lru_cache(maxsize=512)
def _read_core(core: str) -> _Value | None:
    parts = _CORE_PARTS.fullmatch(core.lower())
    assert parts is not None  # every part of the pattern is optional
    number, scale_word = parts.group("num"), parts.group("scale") or ""
    has_unit = bool(scale_word or parts.group("money"))
    scale = Decimal(_SCALE_VALUE[scale_word])
    if "几" in number:
        return _read_ji(number, scale, has_unit)
    pair = _PAIR_PARTS.fullmatch(number)
    if pair:
        return _read_pair(pair, scale, has_unit)
    fuzzy = number[-1] if number.endswith(("来", "多")) else ""
    number = number[:-1] if fuzzy else number
    if scale_word and not fuzzy and _PURE_CHINESE.fullmatch(number + scale_word):
        value, scale = _number(number + scale_word), Decimal(1)  # cn2an reads 一千二百万, 五百万 whole
    else:
        value = _number(number)
    if value is None:
        return None
    has_unit = has_unit or bool(_PURE_CHINESE.fullmatch(number) and re.search("[万亿千]", number))
    amount = value * scale
    if fuzzy == "多":
        return _Value(amount, amount + _step(value) * scale - 1, True, has_unit)
    return _Value(amount, amount, fuzzy == "来", has_unit, about=fuzzy == "来")


def _read_ji(number: str, scale: Decimal, has_unit: bool) -> _Value | None:
    """几 stands for 2–9 in front (几十万 → 20万–99万) and 1–9 after a 十 (十几万 → 11万–19万)."""
    leading = number.startswith("几")
    low, high = _number(number.replace("几", "二" if leading else "一", 1)), _number(number.replace("几", "九", 1))
    if low is None or high is None:
        return None
    if leading and _step(high) > 1:
        high += _step(high) - 1  # 几十 → up to 99
    return _Value(low * scale, high * scale, True, has_unit)


def _read_pair(pair: re.Match, scale: Decimal, has_unit: bool) -> _Value | None:
    """Two neighbouring digits give a range: 四五十万 → 40万–50万, 三五万 → 3万–5万."""
    low, high = _CN_DIGIT[pair.group(1)], _CN_DIGIT[pair.group(2)]
    if not has_unit or high <= low:
        return None
    scale *= {"": 1, "十": 10, "百": 100, "千": 1000}[pair.group(3)]
    return _Value(low * scale, high * scale, True, True)


# ---------------------------------------------------------------- labels
def format_yuan(yuan: int) -> str:
    """Short figure for a label: 500000 → 50万, 1235000 → 123.5万, 200000000 → 2亿, 5000 → 5000元."""
    value = Decimal(yuan)
    if yuan >= 100_000_000 and yuan % 1_000_000 == 0:
        return f"{_plain(value / 100_000_000)}亿"
    if yuan >= 10_000 and yuan % 100 == 0:
        return f"{_plain(value / 10_000)}万"
    return f"{yuan}元"


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


# ---------------------------------------------------------------- public API
def _normalise(span: str) -> str:
    text = re.sub(r"\s+", "", to_halfwidth(span or ""))
    text = re.sub(r"^(?:金额|资金|余额|资产)?(?:在|是)?", "", text)
    return re.sub(r"的$", "", text)


def parse_amount(span: str) -> AmountRange | None:
    """The yuan range a money expression names, or None when it is not an amount.

    A number with no unit at all ("50") is read as yuan only after a bound word ("超过5000");
    on its own it is not taken for money.
    """
    text = _normalise(span)
    if not text:
        return None
    for kind, pattern in _COMPILED:
        match = pattern.fullmatch(text)
        if match:
            return _build(kind, match)
    return None


def _build(kind: str, match: re.Match) -> AmountRange | None:
    if kind == "range":
        return _range(match.group("a"), match.group("b"))
    value = _read_core(match.group("a") or match.group("b"))
    if value is None:
        return None
    low, high = _floor(value.low), _floor(value.high)
    figure = format_yuan(low)
    if kind == "more_than":
        return AmountRange(high + 1, None, f"超过{format_yuan(high)}")
    if kind == "at_least":
        return AmountRange(low, None, f"{figure}以上")
    if kind == "less_than":
        return AmountRange(None, low - 1, f"不到{figure}")
    if kind == "at_most":
        return AmountRange(None, high, f"{format_yuan(high)}以内")
    if not value.has_unit:
        return None
    if kind == "near":
        return AmountRange(_floor(value.low * Decimal("0.85")), high, f"将近{figure}")
    if kind == "just_over":
        return AmountRange(low, _ceil(value.high * Decimal("1.15")), f"{figure}出头")
    if kind == "exact":
        return AmountRange(low, high, figure)
    if kind == "about" or value.about:
        return _around(value, ABOUT_TOLERANCE)
    if value.spread:
        # 五十多万 is 500000..599999 and reads "50万–60万"; 十几万 ends on a round 19万 already.
        top = high + 1 if high % 10 else high
        return AmountRange(low, high, f"{figure}–{format_yuan(top)}")
    return _around(value, BARE_TOLERANCE)


def _around(value: _Value, tolerance: Decimal) -> AmountRange:
    low, high = _floor(value.low * (1 - tolerance)), _ceil(value.high * (1 + tolerance))
    return AmountRange(low, high, f"约{format_yuan(_floor(value.low))}")


def _range(first: str, second: str) -> AmountRange | None:
    """'45万到50万', '45-50万' (the first number borrows the second's unit)."""
    low_value, high_value = _read_core(first), _read_core(second)
    if low_value is None or high_value is None or not high_value.has_unit:
        return None
    low = low_value.low
    if not low_value.has_unit:
        scale = _CORE_PARTS.fullmatch(second.lower()).group("scale") or ""  # type: ignore[union-attr]  # always matches
        low *= _SCALE_VALUE[scale]
    low_int, high_int = _floor(low), _floor(high_value.high)
    if low_int > high_int:
        return None
    return AmountRange(low_int, high_int, f"{format_yuan(low_int)}–{format_yuan(high_int)}")


# ---------------------------------------------------------------- finding amounts in running text
_NUMBER_CHAR = re.compile(rf"[\d{_CN}十百千万亿几.,]")
_NOT_MONEY_AFTER = re.compile(r"[个位名人户天日年月号次笔岁%倍期]")
_BOUND_WORD = re.compile(
    f"{_MORE_THAN_PREFIX}|{_AT_LEAST_PREFIX}|{_LESS_THAN_PREFIX}|{_AT_MOST_PREFIX}"
    f"|{_AT_LEAST_SUFFIX}$|{_AT_MOST_SUFFIX}$"
)


def amount_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of money expressions in a whole utterance.

    Stricter than `parse_amount`: a span must name a scale (万, w, 千, 亿…) or 元/块, or put a bound word
    before a number of at least 1000 ("超过5000"); "一下", "一点", "一块去" are not money.
    """
    found = []
    for start in range(len(text)):
        if start and _NUMBER_CHAR.match(text[start - 1]) and _NUMBER_CHAR.match(text[start]):
            continue
        end = _longest_match_end(text, start)
        if end is None or (end < len(text) and _NOT_MONEY_AFTER.match(text, end)):
            continue
        span = text[start:end]
        if _looks_like_money(span) and parse_amount(span) is not None:
            found.append((start, end))
    return found


def _longest_match_end(text: str, start: int) -> int | None:
    ends = [m.end() for m in (pattern.match(text, start) for _, pattern in _COMPILED) if m and m.end() > start]
    return max(ends) if ends else None


def _looks_like_money(span: str) -> bool:
    if re.search(rf"\d\s*{_SCALE}|[{_CN}十几来多]\s*(?:万|亿|千|百万|千万)|[十百千]几?[万亿]", span, re.IGNORECASE):
        return True
    if re.search(rf"(?:\d|[{_CN}十百千]{{2,}}){_MONEY_WORD}", span):
        return True
    number = re.search(_ARABIC, span)
    return bool(_BOUND_WORD.search(span) and number and Decimal(number.group(0).replace(",", "")) >= 1000)
