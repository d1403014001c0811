"""第三个 / 最后那个 / 前两个: the clients a message points at in the page of the list last shown.

The page is the one the user saw: `last_list["shown"]` (actions/lists.py) holds its customer ids in
order. Nothing is guessed: with no list shown, or a position past the page, nobody is picked and the
caller says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker

from bot.nlu.ordinals import list_positions

MAX_PICKED = 3  # "前三个的话术": answered one after another, never more than a screen or two
CLIENT_LISTS = frozenset({"maturing", "risk", "daily_plan", "segment", "outflow", "push"})


@dataclass(frozen=True)
class Picked:
    """What "第三个" / "前两个" / "最后那个" point at in the page last shown."""

    ids: tuple[Any, ...] = ()
    shown: int = 0  # how many were on that page (0: no list shown yet)


def picked(state: dict | None, positions: list[int]) -> Picked:
    """Positions count from the top of the page shown (negative: from its end); a number past the page
    that is one of the numbers printed on it ("第12个" on the page 11–20) is taken as that number."""
    shown = list((state or {}).get("shown") or [])
    if not shown:
        return Picked()
    first_number = int((state or {}).get("offset") or 0) - len(shown) + 1
    ids = []
    for n in positions:
        if n < 0 and -n <= len(shown):
            ids.append(shown[n])
        elif 0 < n <= len(shown):
            ids.append(shown[n - 1])
        elif first_number <= n < first_number + len(shown):
            ids.append(shown[n - first_number])
        else:
            return Picked((), len(shown))  # out of the page: say so, never guess
    return Picked(tuple(dict.fromkeys(ids)), len(shown))


# A "name" holding a position word is the position misread as a name (第三个 → customer_name 第三).
_POSITION_CHARS = re.compile(r"第|个|位|最后|倒数|前|头|末")


def pointed(tracker: Tracker) -> Picked | None:
    """The clients the latest message points at; None when it points at no position at all, or when it
    names a client ("给王秀英打第二个电话" is about 王秀英)."""
    positions = list_positions(tracker.latest_message.get("text") or "")
    if not positions:
        return None
    names = [
        e.get("value")
        for e in tracker.latest_message.get("entities") or []
        if e.get("entity") == "customer_name" and e.get("value")
    ]
    if any(not _POSITION_CHARS.search(str(name)) for name in names):
        return None
    state = tracker.get_slot("last_list") or {}
    if state.get("kind") not in CLIENT_LISTS:
        return Picked()
    return picked(state, positions)


def rm_pointed(tracker: Tracker) -> str | None:
    """The RM of the branch overview shown last that the message points at ("第二个呢", "第三个那边呢")."""
    state = tracker.get_slot("last_list") or {}
    positions = list_positions(tracker.latest_message.get("text") or "")
    if state.get("kind") != "branch" or not positions:
        return None
    ids = picked(state, positions[:1]).ids
    return str(ids[0]) if ids and ids[0] else None
