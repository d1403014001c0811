from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import BankAction, blocking, channel, entity_spans, entity_values, first, is_follow_up, staff_id
from bot import replies
from bot.answers import NotStaff
from bot.answers.maturing import MaturingRequest, maturing
from bot.clock import today
from bot.nlu.vocab import canonical_product_type
from bot.replies.maturing import maturing_list


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


async def answer_maturing(
    dispatcher: CollectingDispatcher, tracker: Tracker, request: MaturingRequest, offset: int
) -> List[Dict[Text, Any]]:
    answer = await blocking(maturing, staff_id(tracker), request, today(), offset, channel(tracker))
    if isinstance(answer, NotStaff):
        dispatcher.utter_message(text=replies.refusal(answer))
        return []
    dispatcher.utter_message(text=maturing_list(answer))
    shown = offset + len(answer.page.items)
    state = {"kind": "maturing", "request": request.to_dict(), "offset": shown}
    events = [SlotSet("last_list", state)]
    if len(answer.page.items) == 1:
        events.append(SlotSet("focus_customer_id", answer.page.items[0].customer_id))
    return events


class ActionQueryMaturing(BankAction):
    def name(self) -> Text:
        return "action_query_maturing"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
        return await answer_maturing(dispatcher, tracker, request_from(tracker), 0)
