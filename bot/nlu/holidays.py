"""The holidays a banker names, as dates: lunar and solar-term days by table, fixed days by month and day.

The tables cover the years the bank uses; no calendar library is needed at run time. 端午 (五月初五) and
中秋 (八月十五) were counted once from the new moons (Meeus, Astronomical Algorithms ch. 49, in Beijing time)
from each lunar new year (正月初一, the older table below), with the leap months of 2025 (闰六月) and 2028
(闰五月); they agree with the dates the State Council's holiday notices give for 2024–2026. 清明 is the solar
term, by the usual formula [Y·0.2422 + 4.81] − [Y/4] (Y = year − 2000). Beyond a table a holiday is not
known: the parser answers None and the assistant asks rather than guess.
"""

from __future__ import annotations

from datetime import date

# Lunar new year's day (正月初一), 2024–2035.
SPRING_FESTIVAL = {
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
    2031: date(2031, 1, 23),
    2032: date(2032, 2, 11),
    2033: date(2033, 1, 31),
    2034: date(2034, 2, 19),
    2035: date(2035, 2, 8),
}

QINGMING = {
    2024: date(2024, 4, 4),
    2025: date(2025, 4, 4),
    2026: date(2026, 4, 5),
    2027: date(2027, 4, 5),
    2028: date(2028, 4, 4),
}

DRAGON_BOAT = {
    2024: date(2024, 6, 10),
    2025: date(2025, 5, 31),
    2026: date(2026, 6, 19),
    2027: date(2027, 6, 9),
    2028: date(2028, 5, 28),
}

MID_AUTUMN = {
    2024: date(2024, 9, 17),
    2025: date(2025, 10, 6),
    2026: date(2026, 9, 25),
    2027: date(2027, 9, 15),
    2028: date(2028, 10, 3),
}

# name → the days it falls on, for the holidays whose date moves.
MOVING_HOLIDAYS: dict[str, dict[int, date]] = {"清明": QINGMING, "端午": DRAGON_BOAT, "中秋": MID_AUTUMN}

# name → (month, day), the same every year. 国庆 has its own golden-week rule in timerange.
FIXED_HOLIDAYS: dict[str, tuple[int, int]] = {
    "元旦": (1, 1),
    "情人节": (2, 14),
    "妇女节": (3, 8),
    "消费者权益日": (3, 15),
    "愚人节": (4, 1),
    "劳动节": (5, 1),
    "儿童节": (6, 1),
    "建军节": (8, 1),
    "万圣节": (10, 31),
    "澳门回归纪念日": (12, 20),
    "圣诞节": (12, 25),
}

# What people say → the name above. A bare 五一 / 六一 / 三一五 is guarded against numbers in timerange.
HOLIDAY_ALIASES: dict[str, str] = {
    "元旦节": "元旦",
    "阳历新年": "元旦",
    "圣瓦伦丁节": "情人节",
    "三八妇女节": "妇女节",
    "国际妇女节": "妇女节",
    "三八节": "妇女节",
    "国际消费者权益日": "消费者权益日",
    "三一五": "消费者权益日",
    "五一国际劳动节": "劳动节",
    "五一劳动节": "劳动节",
    "国际劳动节": "劳动节",
    "五一": "劳动节",
    "国际儿童节": "儿童节",
    "六一儿童节": "儿童节",
    "六一": "儿童节",
    "八一建军节": "建军节",
    "圣诞": "圣诞节",
    "清明节": "清明",
    "端午节": "端午",
    "端阳节": "端午",
    "中秋节": "中秋",
}


def holiday_days(name: str, years: range) -> list[date]:
    """Every day `name` (a canonical name or an alias) falls on in `years` that the tables know."""
    name = HOLIDAY_ALIASES.get(name, name)
    if name in FIXED_HOLIDAYS:
        month, day = FIXED_HOLIDAYS[name]
        return [date(year, month, day) for year in years]
    table = MOVING_HOLIDAYS.get(name, {})
    return [table[year] for year in years if year in table]


def holiday_names() -> list[str]:
    """All the names and aliases, longest first so a regex prefers 五一劳动节 to 五一."""
    names = [*FIXED_HOLIDAYS, *MOVING_HOLIDAYS, *HOLIDAY_ALIASES]
    return sorted(names, key=len, reverse=True)
