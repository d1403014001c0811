"""Small, shared renderings of money, dates and personal data for phone-sized replies."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

WEEKDAYS = "一二三四五六日"


def money(fen: int) -> str:
    """30万 / 3.5万 / 1.2亿 / 8,000元: how bankers say amounts."""
    yuan = Decimal(fen) / 100
    if abs(yuan) >= Decimal(100_000_000):
        return f"{_trim(yuan / Decimal(100_000_000), 2)}亿"
    if abs(yuan) >= Decimal(10_000):
        return f"{_trim(yuan / Decimal(10_000), 1)}万"
    return f"{int(yuan.to_integral_value(ROUND_HALF_UP)):,}元"


def _trim(value: Decimal, places: int) -> str:
    q = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    text = format(q, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def day(d: date) -> str:
    """11月28日(周五)"""
    return f"{d.month}月{d.day}日(周{WEEKDAYS[d.weekday()]})"


def short_day(d: date) -> str:
    return f"{d.month}月{d.day}日"


def mask_phone(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_id_number(id_number: str) -> str:
    if len(id_number) < 8:
        return "*" * len(id_number)
    return f"{id_number[:4]}{'*' * (len(id_number) - 8)}{id_number[-4:]}"


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
