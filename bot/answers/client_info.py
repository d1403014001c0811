"""王秀英换手机号了，新号码138…: what was learned in a contact, proposed for confirmation, then written
(the old value kept, the phone number masked in every reply)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.answers.question import question
from bot.lookup import ClientLookup, find_client
from bot.nlu.weekly import InfoLearned, info_learned
from bot.store.client_info import NOTE_FIELDS, InfoChanged, update_client_info
from bot.store.models import Customer

CAPABILITY = "update_client_info"


@dataclass(frozen=True)
class InfoProposal:
    lookup: ClientLookup
    learned: InfoLearned | None
    old_value: str | None = None


def propose_info_update(
    staff_id: str, said: str | None, text: str, focus_id: int | None, channel: str | None = None
) -> InfoProposal:
    learned = info_learned(text)
    with question(staff_id, CAPABILITY, channel) as q:
        lookup = find_client(q.session, q.staff, said, text, focus_id)
        q.shown_one(lookup.found.customer_id if lookup.found else None)
        old = None
        if lookup.found is not None and learned is not None and learned.field not in NOTE_FIELDS:
            customer = q.session.get(Customer, lookup.found.customer_id)
            old = getattr(customer, learned.field) if customer is not None else None
    return InfoProposal(lookup, learned, old)


def save_info_update(
    staff_id: str, customer_id: int, field: str, value: str, at: datetime, channel: str | None = None
) -> InfoChanged:
    with question(staff_id, CAPABILITY, channel) as q:
        changed = update_client_info(q.session, q.staff, customer_id, field, value, at, channel)
        q.shown_one(customer_id)
        return changed
