"""Find the rule-owned entities in a whole utterance: time_range, amount, top_n, product_type, tier,
contact_channel, purpose.

Each grammar lives with its parser (timerange, amounts, counts, vocab); this module gathers their
candidates (purposes: bot/nlu/purposes.py) and keeps the longest, never two that overlap: "下周三之前要到期的50w以上的理财" gives
time_range "下周三之前", amount "50w以上" and product_type "理财" (value "wealth"). Values are the
canonical code for product types, tiers, channels and purposes, and the raw text for the rest (normalise those
with parse_time_range / parse_amount / parse_top_n, which need today and a direction).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlu.amounts import amount_spans
from bot.nlu.counts import top_n_spans
from bot.nlu.purposes import purpose_spans
from bot.nlu.timerange import time_range_spans
from bot.nlu.vocab import CHANNEL_WORDS, PRODUCT_TYPE_WORDS, TIER_WORDS
from bot.nlu.voice import to_halfwidth

TIME_RANGE, AMOUNT, TOP_N = "time_range", "amount", "top_n"
PRODUCT_TYPE, TIER, CONTACT_CHANNEL = "product_type", "tier", "contact_channel"
PURPOSE = "purpose"
RULE_ENTITIES = (TIME_RANGE, AMOUNT, TOP_N, PRODUCT_TYPE, TIER, CONTACT_CHANNEL, PURPOSE)


@dataclass(frozen=True)
class Span:
    entity: str
    start: int
    end: int
    text: str
    value: str


# Contexts in which a vocabulary word means something else: 理财经理 is a job, 定期联系 is "regularly",
# 大额资金 is a large movement, 电话号码 is a number, 普通话 is Mandarin.
_NOT_THIS_WORD: dict[str, re.Pattern] = {
    "理财": re.compile(r"(?:经理|师|顾问)"),
    "定期": re.compile(r"(?:联系|回访|沟通|拜访|跟进|检查|维护|提醒|关注|复盘)"),
    "电话": re.compile(r"(?:号码|号|多少)"),
    "普通": re.compile(r"话"),
    "保险": re.compile(r"(?:柜|箱)"),
}
_NOT_AFTER: dict[str, str] = {"定期": "不"}  # 不定期 = "now and then"
# Bare 大额 is a CD only when nothing follows that makes it "large" in general (大额资金, 大额客户).
_BARE_CD = re.compile(r"(?:到期|产品|的?存单|[，,。？?！!\s]|$)")

_VOCAB: list[tuple[str, dict[str, str]]] = [
    (PRODUCT_TYPE, PRODUCT_TYPE_WORDS),
    (TIER, TIER_WORDS),
    (CONTACT_CHANNEL, CHANNEL_WORDS),
]
# Same length, overlapping: the earlier entity in this order wins.
_PRIORITY = {TIME_RANGE: 0, AMOUNT: 1, TOP_N: 2, PRODUCT_TYPE: 3, TIER: 4, CONTACT_CHANNEL: 5, PURPOSE: 6}


def _vocab_candidates(probe: str) -> list[tuple[str, int, int, str]]:
    lowered = probe.lower()
    found = []
    for entity, words in _VOCAB:
        for word, code in words.items():
            for match in re.finditer(re.escape(word), lowered):
                start, end = match.span()
                if _is_other_sense(lowered, word, start, end):
                    continue
                found.append((entity, start, end, code))
    return found


def _is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _is_other_sense(text: str, word: str, start: int, end: int) -> bool:
    if word.isascii() and (_is_ascii_alnum(text[start - 1 : start]) or _is_ascii_alnum(text[end : end + 1])):
        return True  # "vip" inside an ASCII word
    blocker = _NOT_THIS_WORD.get(word)
    if blocker and blocker.match(text, end):
        return True
    if _NOT_AFTER.get(word) and start and text[start - 1] in _NOT_AFTER[word]:
        return True
    return word == "大额" and not _BARE_CD.match(text, end)


def find_spans(text: str) -> list[Span]:
    """All rule-owned entity spans in `text`, longest first when they compete, ordered by position."""
    if not text:
        return []
    probe = to_halfwidth(text)  # one character for one, so offsets stay valid
    candidates = [(TIME_RANGE, s, e, text[s:e]) for s, e in time_range_spans(probe)]
    candidates += [(AMOUNT, s, e, text[s:e]) for s, e in amount_spans(probe)]
    candidates += [(TOP_N, s, e, text[s:e]) for s, e in top_n_spans(probe)]
    candidates += _vocab_candidates(probe)
    candidates += [(PURPOSE, s, e, code) for s, e, code in purpose_spans(probe)]
    candidates.sort(key=lambda c: (-(c[2] - c[1]), c[1], _PRIORITY[c[0]]))
    taken = [False] * len(text)
    chosen = []
    for entity, start, end, value in candidates:
        if any(taken[start:end]):
            continue
        taken[start:end] = [True] * (end - start)
        chosen.append(Span(entity, start, end, text[start:end], value))
    return sorted(chosen, key=lambda span: span.start)
