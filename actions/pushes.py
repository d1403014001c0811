"""A reply to a push in the same chat: the briefing or alert the staff member just got is what "第一个",
"他" and 还有吗 refer to, until they ask something that shows a new list or names a client.

A push goes out through WeCom's message/send, outside Rasa, so the conversation does not know it. Before
each action answers, the newest push sent to the asker today (bot.answers.pushes) is compared with the
conversation's own last list and client in focus, by the tracker's event timestamps: when the push was
delivered after the last `last_list` / `focus_customer_id` the conversation set (and before the message
being answered), it becomes the conversation's list — `last_list` of kind "push" with the ids its text
shows, in order, and the client in focus when it names exactly one (else none: "他" after a briefing is
asked back, never guessed). Those SlotSets are newer than the push, so it is taken in once; the one list
mechanism (actions/lists.py, actions/picks.py) does the rest.

The push's time is the real moment WeCom confirmed it (not the pushes' clock, which tests and demos pin),
the conversation's the timestamps Rasa gave its events since the last restart — with the SQL tracker store,
those of the current session, so after an hour's silence a push of the day is taken in again (the
conversation itself has by then forgotten its list). Only today's pushes count.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.base import blocking, channel, staff_id
from bot.answers import NotStaff
from bot.answers.pushes import newest_push
from bot.clock import today

FOCUS_SLOTS = frozenset({"last_list", "focus_customer_id"})


def _since_restart(tracker: Tracker) -> list[dict[str, Any]]:
    events = list(tracker.events or [])
    for i in range(len(events) - 1, -1, -1):
        if events[i].get("event") == "restart":
            return events[i + 1 :]
    return events


def own_focus_set_at(tracker: Tracker) -> float:
    """When the conversation last set its list or its client in focus (Unix seconds; 0: never)."""
    times = [
        float(e["timestamp"])
        for e in _since_restart(tracker)
        if e.get("event") == "slot" and e.get("name") in FOCUS_SLOTS and e.get("timestamp") is not None
    ]
    return max(times, default=0.0)


def message_at(tracker: Tracker) -> float | None:
    """When the message being answered arrived (None when the tracker does not say)."""
    for e in reversed(tracker.events or []):
        if e.get("event") == "user":
            stamp = e.get("timestamp")
            return float(stamp) if stamp is not None else None
    return None


async def take_in_newest_push(tracker: Tracker) -> list[dict[str, Any]]:
    """The events that put the newest push in the conversation's focus; none when the conversation is newer.
    The tracker's slots are updated too, so the action about to answer reads them."""
    try:
        push = await blocking(
            newest_push, staff_id(tracker), own_focus_set_at(tracker), message_at(tracker), today(), channel(tracker)
        )
    except NotStaff:
        return []  # nobody's pushes: the answer itself says who may ask
    if push is None:
        return []
    state = {
        "kind": "push",
        "request": {"outbox_id": push.outbox_id},
        "offset": len(push.shown_ids),
        "shown": list(push.shown_ids),
    }
    focus = push.single_client
    tracker.slots["last_list"] = state
    tracker.slots["focus_customer_id"] = focus
    return [SlotSet("last_list", state), SlotSet("focus_customer_id", focus)]
