"""看一下王秀英的情况: one client's card, only for clients the asker may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.answers.question import question
from bot.lookup import ClientLookup, find_client
from bot.store.profile import CustomerProfile, customer_profile


@dataclass(frozen=True)
class ProfileAnswer:
    lookup: ClientLookup
    profile: CustomerProfile | None
    today: date


def profile(
    staff_id: str, said: str | None, text: str, today: date, focus_id: int | None = None, channel: str | None = None
) -> ProfileAnswer:
    with question(staff_id, "customer_profile", channel) as q:
        lookup = find_client(q.session, q.staff, said, text, focus_id)
        card = customer_profile(q.session, lookup.found.customer_id) if lookup.found else None
        q.shown_one(lookup.found.customer_id if lookup.found else None)
    return ProfileAnswer(lookup, card, today)
