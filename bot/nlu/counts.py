"""How many results the user wants: 前五, 前5个, 十个, 3个, top10, 五位 → int.

Also home of `chinese_int`, the small-number reader the time parser shares.
"""

from __future__ import annotations

import re
from functools import lru_cache

import cn2an

from bot.nlu.voice import to_halfwidth

MAX_TOP_N = 1000
CN_DIGITS = "零〇一二两三四五六七八九"
NUMBER = rf"(?:\d+|[{CN_DIGITS}十百千]+)"

_COUNTER = r"(?:个|位|名|户|家)"
_WHO = r"(?:客户|大客户|人|户)"
_TOP_N_SPAN = re.compile(
    rf"(?:top|(?:排名)?前)\s*(?P<n>{NUMBER}){_COUNTER}?{_WHO}?"
    rf"|(?P<m>{NUMBER}){_COUNTER}{_WHO}?",
    re.IGNORECASE,
)
# Words after a number that make it a duration or a size, not a count: 前三天, 前5个月, 五位数.
_NOT_A_COUNT_AFTER = re.compile(r"个?(?:天|日|周|星期|礼拜|月|年|季|号|小时|分钟|次|笔|位数|万|千|亿|元|块)")
# In running text a bare "N个/N位" is a count only when people follow (十个客户) or the sentence ends.
_COUNT_CONTEXT_AFTER = re.compile(r"(?:客户|大客户|人|户|高风险|重点|最|风险|[，,。？?！!\s]|$)")
_NUMBER_CHARS = set(f"0123456789{CN_DIGITS}十百千")


@lru_cache(maxsize=1024)
def chinese_int(text: str) -> int | None:
    """'12' → 12, '十二' → 12, '两' → 2, '三百六十五' → 365; None when it is not a whole number."""
    text = to_halfwidth(text or "").strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if not re.fullmatch(rf"[{CN_DIGITS}十百千万]+", text):
        return None
    try:
        value = cn2an.cn2an(text, "normal")
    except (ValueError, KeyError, IndexError):
        return None
    return int(value) if float(value).is_integer() else None


def parse_top_n(span: str) -> int | None:
    """A count the user asked for, or None. Accepts the bare number too ('5'), as slots carry it."""
    text = re.sub(r"\s+", "", to_halfwidth(span or "")).lower()
    if not text:
        return None
    if chinese_int(text) is not None:
        return _valid(chinese_int(text))
    match = _TOP_N_SPAN.fullmatch(text)
    if not match or _NOT_A_COUNT_AFTER.match(text, match.end("n") if match.group("n") else match.end("m")):
        return None
    return _valid(chinese_int(match.group("n") or match.group("m")))


def _valid(value: int | None) -> int | None:
    return value if value is not None and 0 < value <= MAX_TOP_N else None


def top_n_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of count expressions in a whole utterance, without the noun after them ("十个客户" → "十个")."""
    found = []
    for match in _TOP_N_SPAN.finditer(text):
        group = "n" if match.group("n") else "m"
        number_start, number_end = match.span(group)
        if _NOT_A_COUNT_AFTER.match(text, number_end):
            continue
        if group == "m":
            if number_start > 0 and (text[number_start - 1] in _NUMBER_CHARS or text[number_start - 1] in "周期拜第"):
                continue
            counter_end = number_end + 1
            if chinese_int(match.group("m")) == 1 or not _COUNT_CONTEXT_AFTER.match(text, counter_end):
                continue
            end = counter_end
        else:
            end = _end_without_noun(text, match)
        if _valid(chinese_int(match.group(group))) is not None:
            found.append((match.start(), end))
    return found


def _end_without_noun(text: str, match: re.Match) -> int:
    end = match.end("n")
    if end < len(text) and re.match(_COUNTER, text[end]):
        end += 1
    return end
