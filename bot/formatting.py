"""How every reply writes money, dates, percentages, personal data and a client's form of address.

The one home of these renderings: replies, the playbook and the scorer's reason texts all call here, so
150,000,000 yuan reads "1.5亿" wherever it appears and every date carries the same full-width brackets.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from bot import tiers
from bot.nlu.names import surname_of

WEEKDAYS = "一二三四五六日"
_YI = Decimal(100_000_000)
_WAN = Decimal(10_000)


# -- money -------------------------------------------------------------------------------------------------
def money(fen: int | float | None, *, brief: bool = False) -> str:
    """How a banker says an amount: 1.5亿 / 45.6万 / 9999元.

    `brief` (risk reasons, where several amounts share one line) rounds to whole 万 from 10万 up:
    12.34万 → "12万".
    """
    yuan = Decimal(int(fen or 0)) / 100
    size = abs(yuan)
    if size >= _YI:
        return f"{_trim(yuan / _YI, 2)}亿"
    if size >= _WAN:
        return f"{_trim(yuan / _WAN, 0 if brief and size >= 10 * _WAN else 1)}万"
    return f"{yuan.quantize(Decimal(1), ROUND_HALF_UP)}元"


def percent(points: float, places: int = 1) -> str:
    """12.5% / 8%: `points` are percentage points; trailing zeros dropped."""
    return f"{_trim(Decimal(str(points)), places)}%"


def _trim(value: Decimal, places: int) -> str:
    text = format(value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# -- dates -------------------------------------------------------------------------------------------------
def day(d: date) -> str:
    """11月28日（周五）"""
    return f"{d.month}月{d.day}日（周{WEEKDAYS[d.weekday()]}）"


def short_day(d: date | None) -> str:
    """11月28日; empty when there is no date."""
    return f"{d.month}月{d.day}日" if d else ""


def relative_day(d: date, today: date) -> str:
    """今天 / 明天 / 11月28日（周五）"""
    if d == today:
        return "今天"
    if d == today + timedelta(days=1):
        return "明天"
    return day(d)


def recent_day(d: date, today: date) -> str:
    """今天 / 昨天 / 11月28日（周五）: for what already happened."""
    if d == today:
        return "今天"
    if d == today - timedelta(days=1):
        return "昨天"
    return day(d)


def days_ahead(days: int) -> str:
    """今天 / 明天 / 5天后"""
    if days <= 0:
        return "今天"
    return "明天" if days == 1 else f"{days}天后"


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


# -- personal data -----------------------------------------------------------------------------------------
def mask_phone(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_id_number(id_number: str) -> str:
    if len(id_number) < 8:
        return "*" * len(id_number)
    return f"{id_number[:4]}{'*' * (len(id_number) - 8)}{id_number[-4:]}"


# -- form of address ---------------------------------------------------------------------------------------
# Occupations (codes or Chinese) of clients who run or head a business: a private/VIP one is addressed 陈总.
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
_BOSS_FLOOR_FEN = 50 * tiers.WAN  # 贵宾 (50万) and above, whatever the bank calls its tiers
_HONORIFIC = {"F": "女士", "M": "先生"}


def is_business_occupation(occupation: str | None) -> bool:
    occ = (occupation or "").lower()
    return any(word in occ for word in _BUSINESS_WORDS)


def form_of_address(name: str, gender: str | None, tier: str = "basic", occupation: str | None = None) -> str:
    """陈总 (贵宾 or higher client who runs a business) / 张女士 / 王先生; the full name when the gender is unknown."""
    name = (name or "").strip()
    honorific = _HONORIFIC.get((gender or "").upper())
    if not name:
        return honorific or "尊敬的客户"
    if tiers.floor_of(tier) >= _BOSS_FLOOR_FEN and is_business_occupation(occupation):
        return f"{surname_of(name)}总"
    return f"{surname_of(name)}{honorific}" if honorific else name


def pronoun(gender: str) -> str:
    """她 for a woman, 他 otherwise: replies follow the client's gender ("给他打电话", never 她 for a man)."""
    return "她" if (gender or "").upper() == "F" else "他"
