"""王秀英下一步怎么跟进: how hard to fight for the client, when to contact them, what to do."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.answers import NotStaff
from bot.lookup import ClientLookup, find_client
from bot.playbook import NextSteps, next_steps
from bot.store.audit import record_lookups
from bot.store.db import session_scope
from bot.store.situation import ClientSituation, situation
from bot.store.staff_directory import staff_by_id


@dataclass(frozen=True)
class NextStepsAnswer:
    lookup: ClientLookup
    situation: ClientSituation | None
    steps: NextSteps | None
    today: date


def next_steps_for(
    staff_id: str, said: str | None, text: str, today: date, focus_id: int | None = None, channel: str | None = None
) -> NextStepsAnswer | NotStaff:
    with session_scope() as session:
        staff = staff_by_id(session, staff_id)
        if staff is None:
            return NotStaff(staff_id)
        lookup = find_client(session, staff, said, text, focus_id)
        found = lookup.found.customer_id if lookup.found else None
        record_lookups(session, staff.id, [found], "ask_next_steps", channel)
        facts = situation(session, found, today) if found is not None else None
    steps = next_steps(facts, today) if facts is not None else None
    return NextStepsAnswer(lookup, facts, steps, today)
