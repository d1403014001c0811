"""Why a client is moving money, as staff report it: 买房 → house, 转到他行 → other_bank.

Codes match `contacts.stated_purpose` / `transactions.purpose` and the `purpose` entity's synonyms
(data/nlu/synonyms.yml): house, car, school, other_bank, business, medical.
"""

from __future__ import annotations

import re

from bot.nlu.voice import to_halfwidth

PURPOSE_CODES = ("house", "car", "school", "other_bank", "business", "medical")

PURPOSE_WORDS: dict[str, tuple[str, ...]] = {
    "other_bank": (
        "他行", "别的银行", "其他银行", "别家银行", "别家", "外行",
        "工行", "建行", "农行", "中行", "招行", "交行", "邮储", "浦发", "兴业", "民生", "中信", "光大",
        "余额宝",
    ),
    "house": ("买房", "购房", "首付", "房款", "房贷", "买套房", "换房"),
    "car": ("买车", "换车", "购车", "提车", "车款"),
    "school": ("上学", "读书", "留学", "学费", "入学", "念书", "教育金"),
    "business": ("做生意", "生意", "周转", "进货", "开店", "货款"),
    "medical": ("看病", "治病", "住院", "手术", "医药费", "医疗费", "治疗"),
}  # fmt: skip

_ANY = re.compile("|".join(sorted((re.escape(w) for ws in PURPOSE_WORDS.values() for w in ws), key=len, reverse=True)))
_CODE_OF = {w: code for code, ws in PURPOSE_WORDS.items() for w in ws}


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
    found = [m.group(0) for m in _ANY.finditer(to_halfwidth(text or ""))]
    if not found:
        return None
    return _CODE_OF[found[-1] if last else found[0]]
