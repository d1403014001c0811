from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import BankAction, entity_spans, entity_values, first, is_follow_up
from actions.lists import show_list
from bot.answers.maturing import MaturingRequest
from bot.nlu.vocab import canonical_product_type


def request_from(tracker: Tracker) -> MaturingRequest:
    asked = MaturingRequest(
        time_span=first(entity_spans(tracker, "time_range")),
        product_types=tuple(
            code for code in (canonical_product_type(v) or v for v in entity_values(tracker, "product_type"))
        ),
        amount_span=first(entity_spans(tracker, "amount")),
    )
    last = tracker.get_slot("last_list") or {}
    if is_follow_up(tracker) and last.get("kind") == "maturing":
        before = MaturingRequest.from_dict(last.get("request") or {})
        return MaturingRequest(
            time_span=asked.time_span or before.time_span,
            product_types=asked.product_types or before.product_types,
            amount_span=asked.amount_span or before.amount_span,
        )
    return asked


class ActionQueryMaturing(BankAction):
    def name(self) -> str:
        return "action_query_maturing"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        other = _other_list_narrowed(tracker)
        if other is not None:  # "那贵宾客户呢" after a segment: that list, narrowed to the tier
            return await other.respond(dispatcher, tracker)
        return await show_list(dispatcher, tracker, "maturing", request_from(tracker).to_dict())


def _other_list_narrowed(tracker: Tracker) -> BankAction | None:
    """A follow-up fragment that names only a tier ("那贵宾客户呢") continues the list shown last when
    that is a segment or the risk ranking; it says nothing about maturities."""
    last = (tracker.get_slot("last_list") or {}).get("kind")
    if last not in ("segment", "risk") or not is_follow_up(tracker) or not entity_values(tracker, "tier"):
        return None
    if any(entity_values(tracker, name) for name in ("time_range", "product_type", "amount")):
        return None
    from actions.playbook import ActionQuerySegment
    from actions.risk import ActionQueryChurnRisk

    return ActionQuerySegment() if last == "segment" else ActionQueryChurnRisk()
