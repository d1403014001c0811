"""Why a client is moving money, as staff report it: 买房 → house, 转到他行 → other_bank.

Codes match `contacts.stated_purpose` / `transactions.purpose` and the `purpose` entity's synonyms
(data/nlu/synonyms.yml): house, car, school, other_bank, business, medical.

`purpose_spans` is the `purpose` entity (bot/nlu/spans.py). It was DIET's only job in the pipeline, and a
table does it as well: the purposes are a closed list of words, and a span takes in the words around
them the way the NLU data marks it (转到他行, 孩子出国留学, 付首付, 资金周转, 买房子), so held-out spans
line up. Against DIET on the held-out sets: better on six of ten, worse on two (benchmarks/results-nlu.md,
2026-12-07); dropping DIET took a TensorFlow inference off every message (parse p50 17.8 → 10.9 ms).
"""

from __future__ import annotations

import re

from bot.nlu.voice import to_halfwidth

PURPOSE_CODES = ("house", "car", "school", "other_bank", "business", "medical")

PURPOSE_WORDS: dict[str, tuple[str, ...]] = {
    "other_bank": (
        "他行", "别的银行", "其他银行", "别家银行", "别家", "外行",
        "工行", "建行", "农行", "中行", "招行", "交行", "邮储", "浦发", "兴业", "民生", "中信", "光大",
        "招商银行", "工商银行", "建设银行", "农业银行", "中国银行", "交通银行", "邮储银行", "平安银行",
        "网商银行", "微众银行", "余额宝",
    ),
    "house": ("买房", "购房", "首付", "房款", "房贷", "买套房", "换房"),
    "car": ("买车", "换车", "购车", "提车", "车款"),
    "school": ("上学", "读书", "留学", "学费", "入学", "念书", "教育金"),
    "business": ("做生意", "生意", "周转", "进货", "开店", "货款"),
    "medical": ("看病", "治病", "住院", "手术", "医药费", "医疗费", "治疗"),
}  # fmt: skip

# What the NLU data includes in a purpose span around the word itself.
_LEADING = {
    "other_bank": "(?:转到|转去|转入|转向|转给|存到|存去|挪到|挪去|放到|放去|搬到|搬去|转)?",
    "school": "(?:(?:孩子|小孩|儿子|女儿|闺女|孙子|孙女|外孙|娃)(?:出国)?|出国)?",
    "house": "(?:付|交)?",
    "business": "(?:资金|生意)?",
}
_TRAILING = {"house": "子?", "other_bank": "(?:银行)?"}
# A bank word that names an alert, not where a client's money goes: 他行转出提醒 (alert_mutes).
_ALERT_NAME = re.compile(r"转出(?:的)?(?:提醒|预警|推送)|(?:提醒|预警|推送)")


def _span_pattern(code: str) -> re.Pattern:
    words = "|".join(sorted((re.escape(w) for w in PURPOSE_WORDS[code]), key=len, reverse=True))
    return re.compile(f"{_LEADING.get(code, '')}(?:{words}){_TRAILING.get(code, '')}")


_SPAN_PATTERNS = {code: _span_pattern(code) for code in PURPOSE_CODES}


def canonical_purpose(value: str | None) -> str | None:
    """A purpose code from an entity value (already a code after synonym mapping) or a raw span."""
    if not value:
        return None
    value = to_halfwidth(value).strip()
    if value in PURPOSE_CODES:
        return value
    return purpose_in(value)


def purpose_in(text: str, last: bool = False) -> str | None:
    """The first (or, for a correction like "不是买房，是买车", the last) purpose named in the text."""
    found = sorted(purpose_spans(to_halfwidth(text or "")))
    if not found:
        return None
    return (found[-1] if last else found[0])[2]


def purpose_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, code) of every purpose named in `text`, in no particular order.

    `text` is already half-width (offsets are the caller's). Overlaps between purposes are left to the
    caller: find_spans keeps the longest of all rule entities, purpose_in the first or last.
    """
    found = []
    for code, pattern in _SPAN_PATTERNS.items():
        for match in pattern.finditer(text):
            if code == "other_bank" and _ALERT_NAME.match(text, match.end()):
                continue
            found.append((match.start(), match.end(), code))
    return found
