"""Pointing into the list just shown: 第三个 / 第4位 / 最后那个 / 倒数第二个 / 前两个 / 头一个 / 第一和第三个.

`list_positions(text)` gives the positions the text points at, 1-based from the top of the page the
user saw, negative from its end (最后那个 → -1). The list itself is the caller's (actions/lists.py).
第一次 / 第三季度 / 前三个月 are times, not positions; 前面的 pages back (bot/nlu/references.py).
"""

from __future__ import annotations

import re

from bot.nlu.counts import CN_DIGITS, chinese_int
from bot.nlu.voice import to_halfwidth

_N = rf"(?:\d{{1,2}}|[{CN_DIGITS}十]{{1,3}})"
_COUNTER = r"(?:个|位|名|条|项|户|号)"
# A position word must be followed by a counter or by something that is not a unit of time.
_NOT_TIME = r"(?!次|季|周|天|日|年|月|期|轮|批|页|步|遍|笔)"
_TIME_AFTER = r"(?!周末|周|工作日|交易日|星期|礼拜|月|季度|小时|钟头|年)"  # 第一个周末 / 前两个月 are times
_NTH = re.compile(rf"(?P<back>倒数)?第(?P<n>{_N}){_NOT_TIME}(?:{_COUNTER}{_TIME_AFTER})?(?!{_COUNTER})")
_AND_NTH = re.compile(rf"^[和跟与、,，及还有]+(?:第)?(?P<n>{_N}){_NOT_TIME}{_COUNTER}?")
_FIRST_N = re.compile(rf"(?:前|头)(?P<n>{_N}){_COUNTER}{_TIME_AFTER}")
_FIRST = re.compile(rf"(?:头(?:一|1)|第一){_COUNTER}{_TIME_AFTER}")
_LAST = re.compile(rf"最后(?:那|这|一)?{_COUNTER}|最末(?:那|一)?{_COUNTER}|最底下(?:那|一)?{_COUNTER}")
MAX_POSITION = 50


def _int(text: str) -> int | None:
    value = int(text) if text.isdigit() else chinese_int(text)
    return value if value is not None and 0 < value <= MAX_POSITION else None


def list_positions(text: str) -> list[int]:
    """Positions pointed at, in the order said, each once; [] when the text points at none."""
    t = re.sub(r"\s+", "", to_halfwidth(text or ""))
    found: list[int] = []
    for match in _NTH.finditer(t):
        n = _int(match.group("n"))
        if n is None:
            continue
        found.append(-n if match.group("back") else n)
        rest = t[match.end() :]
        while (more := _AND_NTH.match(rest)) and (m := _int(more.group("n"))) is not None:
            found.append(m)  # 第一和第三个 / 第二、四个
            rest = rest[more.end() :]
    if not found:
        first_n = _FIRST_N.search(t)
        if first_n and (n := _int(first_n.group("n"))) is not None:
            found = list(range(1, n + 1))
        elif _FIRST.search(t):
            found = [1]
    if _LAST.search(t):
        found.append(-1)
    return list(dict.fromkeys(found))


_BARE = re.compile(
    rf"^(?:那|那么|还有|再看看?|看看|说说)?(?:{_NTH.pattern}|{_LAST.pattern}|头(?:一|1){_COUNTER})"
    r"(?:那个|这个|那位|这位|客户)?(?:的)?(?:呢|怎么样|咋样|如何|情况呢?|怎么说)?[？?。.!！~～]*$"
)


def is_bare_pick(text: str) -> bool:
    """The whole message only points into the list ("最后那个呢", "第二个呢", "那第三位"): it asks the
    question before it again, about another client of the list."""
    t = re.sub(r"\s+", "", to_halfwidth(text or ""))
    return bool(_BARE.match(t))
