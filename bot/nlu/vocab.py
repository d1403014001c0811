"""Canonical codes for product types, client tiers and contact channels, with the words staff use for them.

Codes match the store and `bot.labels`. Each table maps a code to its synonyms; lookups ignore case,
surrounding spaces and full-width letters, and accept a trailing 客户/类 ("贵宾客户", "理财类").
"""

from __future__ import annotations

import re

from bot.nlu.voice import to_halfwidth

PRODUCT_TYPE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "wealth": ("理财", "理财产品", "银行理财"),
    "term_deposit": ("定期", "定存", "定期存款"),
    "cd": ("大额存单", "大额", "存单"),
    "fund": ("基金",),
    "insurance": ("保险", "银保", "保险产品"),
    "bond": ("国债", "凭证式国债"),
}

TIER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "private": ("私行", "私人银行"),
    "diamond": ("钻石", "钻石卡"),
    "vip": ("贵宾", "vip"),
    "gold": ("金卡",),
    "basic": ("普通", "普卡", "大众"),
}

CHANNEL_SYNONYMS: dict[str, tuple[str, ...]] = {
    "phone": ("电话", "打电话", "致电"),
    "wechat": ("微信",),
    "sms": ("短信",),
    "meeting": ("面谈", "见面", "来网点"),
    "visit": ("上门", "拜访", "上门拜访"),
}

_TRAILING_NOUN = re.compile(r"(?:客户|类)$")


def _invert(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {word: code for code, words in table.items() for word in words}


PRODUCT_TYPE_WORDS = _invert(PRODUCT_TYPE_SYNONYMS)
TIER_WORDS = _invert(TIER_SYNONYMS)
CHANNEL_WORDS = _invert(CHANNEL_SYNONYMS)


def _key(text: str) -> str:
    return to_halfwidth(text or "").strip().lower()


def _lookup(words: dict[str, str], text: str) -> str | None:
    key = _key(text)
    if key in words:
        return words[key]
    if key in words.values():  # already a code
        return key
    bare = _TRAILING_NOUN.sub("", key)
    return words.get(bare) if bare else None


def canonical_product_type(text: str) -> str | None:
    """'理财产品' → 'wealth'; None when the word is not a product type we know."""
    return _lookup(PRODUCT_TYPE_WORDS, text)


def canonical_tier(text: str) -> str | None:
    """'VIP' → 'vip', '私人银行' → 'private'; None when unknown."""
    return _lookup(TIER_WORDS, text)


def canonical_channel(text: str) -> str | None:
    """'打电话' → 'phone'; None when unknown."""
    return _lookup(CHANNEL_WORDS, text)
