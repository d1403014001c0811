"""How the playbook writes money, dates and a client's form of address.

The one formatter module of the playbook: every Chinese fragment not kept in scripts.yml /
advice.yml is here.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from bot.nlu.names import surname_of, title_for

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
UNCATEGORISED = "未分类"

# Occupations (codes or Chinese) of clients who run or head a business: addressed as 陈总.
_BUSINESS_WORDS = (
    "business",
    "owner",
    "entrepreneur",
    "executive",
    "merchant",
    "self_employed",
    "director",
    "企业主",
    "老板",
    "经商",
    "个体",
    "私营",
    "商人",
    "董事",
    "总经理",
    "高管",
    "创业",
    "法人",
)
_BOSS_TIERS = frozenset({"private", "vip"})


def money(fen: int) -> str:
    """30万 / 45.6万 / 1.2亿 / 8000元: how a banker says an amount."""
    yuan = Decimal(int(fen)) / 100
    if yuan >= 100_000_000:
        return _trim(yuan / 100_000_000) + "亿"
    if yuan >= 10_000:
        return _trim(yuan / 10_000) + "万"
    return f"{yuan.quantize(Decimal(1), ROUND_HALF_UP)}元"


def _trim(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.1'), ROUND_HALF_UP)}"
    return text[:-2] if text.endswith(".0") else text


def day(d: date) -> str:
    """11月28日（周五）"""
    return f"{d.month}月{d.day}日（{WEEKDAYS[d.weekday()]}）"


def relative_day(d: date, today: date) -> str:
    """今天 / 明天 / 11月28日（周五）"""
    if d == today:
        return "今天"
    if d == today + timedelta(days=1):
        return "明天"
    return day(d)


def percent(value: float) -> str:
    """12.5% / 8%: one decimal, none when whole."""
    return _trim(Decimal(str(value))) + "%"


def is_business_occupation(occupation: str | None) -> bool:
    occ = (occupation or "").lower()
    return any(word in occ for word in _BUSINESS_WORDS)


def form_of_address(name: str, gender: str, tier: str = "basic", occupation: str | None = None) -> str:
    """张女士 / 王先生 (bot.nlu.names.title_for), or 陈总 for a private/VIP client who runs a business."""
    name = (name or "").strip()
    if not name:
        return {"F": "女士", "M": "先生"}.get(gender, "尊敬的客户")
    if tier in _BOSS_TIERS and is_business_occupation(occupation):
        return f"{surname_of(name)}总"
    return title_for(name, gender)
