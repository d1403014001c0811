"""王秀英下一步怎么跟进: how hard to fight for the client, when to contact them, what to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.answers.question import question
from bot.lookup import ClientLookup, find_client
from bot.playbook import NextSteps, next_steps
from bot.store.situation import ClientSituation, situation


@dataclass(frozen=True)
class NextStepsAnswer:
    lookup: ClientLookup
    situation: ClientSituation | None
    steps: NextSteps | None
    today: date


def next_steps_for(
    staff_id: str, said: str | None, text: str, today: date, focus_id: int | None = None, channel: str | None = None
) -> NextStepsAnswer:
    with question(staff_id, "ask_next_steps", channel) as q:
        lookup = find_client(q.session, q.staff, said, text, focus_id)
        found = lookup.found.customer_id if lookup.found else None
        q.shown_one(found)
        facts = situation(q.session, found, today) if found is not None else None
    steps = next_steps(facts, today) if facts is not None else None
    return NextStepsAnswer(lookup, facts, steps, today)
