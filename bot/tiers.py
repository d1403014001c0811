"""Client tiers by AUM and how often each must be contacted (domain.md, seed 001/002).

Tier names, floors, contact frequency and retention effort are the bank's configuration: `bot/tiers.yml`
(or the file named by BOT_TIERS_FILE), loaded and checked once at import, i.e. at start-up. A bad file raises
`TierConfigError` naming the field. Thresholds below are in fen.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

WAN = 10_000 * 100  # one 万 yuan, in fen
DEFAULT_FILE = Path(__file__).with_name("tiers.yml")
VALUE_CLASSES = ("MVC", "MGC", "LVC")  # BZ (negative value) is never chased, whatever the tier
RETENTION_EFFORTS = ("fight_hard", "try", "opportunistic", "do_not_chase")

# ±20万 on one day, for clients with 50万 and more: reported to the branch head (seed 002).
LARGE_MOVEMENT_FEN = 20 * WAN
LARGE_MOVEMENT_MIN_AUM_FEN = 50 * WAN


class TierConfigError(ValueError):
    """The tiers file is missing a field or has a wrong value; the message names the field."""


@dataclass(frozen=True)
class Tier:
    code: str
    name: str
    floor_fen: int  # inclusive
    retention: dict[str, str]  # value class -> effort


@dataclass(frozen=True)
class Band:
    floor_fen: int  # inclusive
    tier: str  # the tier code at this floor
    contact_every_days: int | None  # None: no scheduled contact
    frequency_text: str  # how staff say it


@dataclass(frozen=True)
class TierConfig:
    tiers: tuple[Tier, ...]  # lowest first
    bands: tuple[Band, ...]  # highest first


def load(path: Path | str) -> TierConfig:
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise TierConfigError(f"{path}: cannot read the tiers file ({e.strerror})") from e
    except yaml.YAMLError as e:
        raise TierConfigError(f"{path}: not valid YAML ({e})") from e
    return parse(raw, str(path))


def parse(raw: Any, where: str = "tiers.yml") -> TierConfig:
    def fail(field: str, problem: str) -> TierConfigError:
        return TierConfigError(f"{where}: {field}: {problem}")

    if not isinstance(raw, dict):
        raise fail("(top level)", "must be a mapping with 'tiers' and 'contact'")
    tiers = _list(raw, "tiers", fail)
    found: list[Tier] = []
    for i, item in enumerate(tiers):
        at = f"tiers[{i}]"
        if not isinstance(item, dict):
            raise fail(at, "must be a mapping")
        code = item.get("code")
        if not isinstance(code, str) or not code.strip():
            raise fail(f"{at}.code", "missing")
        if code in {t.code for t in found}:
            raise fail(f"{at}.code", f"{code!r} appears twice")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise fail(f"{at}.name", "missing")
        floor = _floor(item, at, fail)
        if not found and floor != 0:
            raise fail(f"{at}.floor_wan", "the lowest tier must start at 0")
        if found and floor <= found[-1].floor_fen:
            raise fail(f"{at}.floor_wan", "tiers must be listed lowest first, each floor above the last")
        retention = item.get("retention")
        if not isinstance(retention, dict):
            raise fail(f"{at}.retention", f"missing (effort for {', '.join(VALUE_CLASSES)})")
        for vc in VALUE_CLASSES:
            if retention.get(vc) not in RETENTION_EFFORTS:
                raise fail(f"{at}.retention.{vc}", f"must be one of {', '.join(RETENTION_EFFORTS)}")
        found.append(Tier(code.strip(), name.strip(), floor, {vc: retention[vc] for vc in VALUE_CLASSES}))

    bands: list[Band] = []
    for i, item in enumerate(_list(raw, "contact", fail)):
        at = f"contact[{i}]"
        if not isinstance(item, dict):
            raise fail(at, "must be a mapping")
        floor = _floor(item, at, fail)
        if not bands and floor != 0:
            raise fail(f"{at}.floor_wan", "the lowest band must start at 0")
        if bands and floor <= bands[-1].floor_fen:
            raise fail(f"{at}.floor_wan", "bands must be listed lowest first, each floor above the last")
        every = item.get("every_days", "missing")
        if every is not None and (isinstance(every, bool) or not isinstance(every, int) or every <= 0):
            raise fail(f"{at}.every_days", "must be a whole number of days, or null for no scheduled contact")
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            raise fail(f"{at}.text", "missing")
        tier = next(t for t in reversed(found) if t.floor_fen <= floor)
        bands.append(Band(floor, tier.code, every, text.strip()))
    return TierConfig(tuple(found), tuple(reversed(bands)))


def _list(raw: dict, key: str, fail) -> list:
    value = raw.get(key)
    if not isinstance(value, list) or not value:
        raise fail(key, "missing or empty")
    return value


def _floor(item: dict, at: str, fail) -> int:
    value = item.get("floor_wan")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise fail(f"{at}.floor_wan", "must be a number of 万 yuan, 0 or more")
    return int(round(value * WAN))


CONFIG = load(os.environ.get("BOT_TIERS_FILE") or DEFAULT_FILE)

TIERS: tuple[Tier, ...] = CONFIG.tiers
BANDS: tuple[Band, ...] = CONFIG.bands  # highest first
TIER_NAMES = {t.code: t.name for t in TIERS}
# Highest tier first (0); lists of clients are sorted by it.
TIER_RANK = {t.code: rank for rank, t in enumerate(reversed(TIERS))}
TIER_FLOORS_FEN = {t.code: t.floor_fen for t in TIERS}


def band_for(aum_fen: int) -> Band:
    for band in BANDS:
        if aum_fen >= band.floor_fen:
            return band
    return BANDS[-1]


def tier_for(aum_fen: int) -> str:
    return next((t.code for t in reversed(TIERS) if aum_fen >= t.floor_fen), TIERS[0].code)


def floor_of(tier: str) -> int:
    """The tier's asset floor; 0 for an unknown code."""
    return TIER_FLOORS_FEN.get(tier, 0)


def retention_effort(value_class: str, tier: str) -> str:
    """How hard to fight for a client of this value class and tier, from the tiers file."""
    found = next((t for t in TIERS if t.code == tier), None)
    if found is None:
        return "opportunistic"
    return found.retention.get(value_class, found.retention["LVC"])


def next_tier_floor(aum_fen: int) -> tuple[str, int] | None:
    """The next tier up and its floor, or None for the top tier."""
    return next(((t.code, t.floor_fen) for t in TIERS if t.floor_fen > aum_fen), None)


def is_near_upgrade(aum_fen: int, within: float = 0.10) -> bool:
    """临界客户: AUM within `within` (10%) under the next tier's floor."""
    nxt = next_tier_floor(aum_fen)
    return nxt is not None and nxt[1] * (1 - within) <= aum_fen < nxt[1]
