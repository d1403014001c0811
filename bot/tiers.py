"""Client tiers by AUM and how often each must be contacted (domain.md, seed 002).

Thresholds are in fen. The contact frequency follows the AUM band, which is finer than the
four tier names staff use (私行 / 贵宾 / 金卡 / 普通).
"""

from __future__ import annotations

from dataclasses import dataclass

WAN = 10_000 * 100  # one 万 yuan, in fen


@dataclass(frozen=True)
class Band:
    floor_fen: int  # inclusive
    tier: str  # private | vip | gold | basic
    contact_every_days: int | None  # None: no scheduled contact
    frequency_text: str  # how staff say it


# Highest first.
BANDS: tuple[Band, ...] = (
    Band(200 * WAN, "private", 7, "每周联系一次"),
    Band(50 * WAN, "vip", 14, "每两周联系一次"),
    Band(20 * WAN, "gold", 30, "每月联系一次"),
    Band(5 * WAN, "basic", 60, "每两个月联系一次"),
    Band(0, "basic", None, "无固定联系要求"),
)

# Highest tier first (0); lists of clients are sorted by it.
TIER_RANK = {"private": 0, "vip": 1, "gold": 2, "basic": 3}
TIER_FLOORS_FEN = {"private": 200 * WAN, "vip": 50 * WAN, "gold": 20 * WAN, "basic": 0}

# A ±200,000 yuan movement is reported to the branch head (seed 002).
LARGE_MOVEMENT_FEN = 20 * WAN


def band_for(aum_fen: int) -> Band:
    for band in BANDS:
        if aum_fen >= band.floor_fen:
            return band
    return BANDS[-1]


def tier_for(aum_fen: int) -> str:
    return band_for(aum_fen).tier


def next_tier_floor(aum_fen: int) -> tuple[str, int] | None:
    """The next tier up and its floor, or None for the top tier."""
    above = [(t, f) for t, f in TIER_FLOORS_FEN.items() if f > aum_fen]
    return min(above, key=lambda tf: tf[1]) if above else None


def is_near_upgrade(aum_fen: int, within: float = 0.10) -> bool:
    """临界客户: AUM within `within` (10%) under the next tier's floor."""
    nxt = next_tier_floor(aum_fen)
    return nxt is not None and nxt[1] * (1 - within) <= aum_fen < nxt[1]
