"""看一下王秀英的情况: one client's card, only for clients the asker may see."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.answers import NotStaff
from bot.lookup import ClientLookup, find_client
from bot.store.audit import record_lookups
from bot.store.db import session_scope
from bot.store.profile import CustomerProfile, customer_profile
from bot.store.staff_directory import staff_by_id


@dataclass(frozen=True)
class ProfileAnswer:
    lookup: ClientLookup
    profile: CustomerProfile | None
    today: date


def profile(
    staff_id: str, said: str | None, text: str, today: date, focus_id: int | None = None, channel: str | None = None
) -> ProfileAnswer | NotStaff:
    with session_scope() as session:
        staff = staff_by_id(session, staff_id)
        if staff is None:
            return NotStaff(staff_id)
        lookup = find_client(session, staff, said, text, focus_id)
        card = customer_profile(session, lookup.found.customer_id) if lookup.found else None
        record_lookups(session, staff.id, [lookup.found.customer_id if lookup.found else None], "customer_profile", channel)
    return ProfileAnswer(lookup, card, today)
