"""How hard to fight for a client (domain.md, seed 000): by value class and tier.

fight_hard  important clients: most valuable or high-growth at the top tiers
try         main clients
opportunistic  ordinary and small clients: keep up when a chance comes
do_not_chase   negative value (BZ), or money moved by an intermediary
"""

from __future__ import annotations

from bot import tiers
from bot.playbook.library import advice_library
from bot.playbook.signals import effective_churn_type
from bot.store.situation import ClientSituation

PRIORITIES = ("fight_hard", "try", "opportunistic", "do_not_chase")


def retention_priority(s: ClientSituation) -> str:
    """By value class and tier, as the bank's tiers file says (bot/tiers.yml)."""
    if s.value_class == "BZ" or effective_churn_type(s) == "intermediary":
        return "do_not_chase"
    return tiers.retention_effort(s.value_class, s.tier)


def priority_label(priority: str) -> str:
    return advice_library()["priorities"][priority]


def priority_rank(priority: str) -> int:
    return PRIORITIES.index(priority)
