from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import BankAction, blocking, channel, entity_spans, entity_values, first, staff_id, text
from bot import replies
from bot.answers import NotStaff
from bot.answers.outflow import outflows
from bot.clock import today
from bot.replies.outflow import outflow_list

OTHER_BANK_WORDS = ("他行", "别的银行", "其他银行", "外行", "跨行")


class ActionQueryOutflow(BankAction):
    def name(self) -> Text:
        return "action_query_outflow"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
        other_bank = "other_bank" in entity_values(tracker, "purpose") or any(w in text(tracker) for w in OTHER_BANK_WORDS)
        answer = await blocking(
            outflows,
            staff_id(tracker),
            today(),
            first(entity_spans(tracker, "time_range")),
            first(entity_spans(tracker, "amount")),
            other_bank,
            channel(tracker),
        )
        if isinstance(answer, NotStaff):
            dispatcher.utter_message(text=replies.refusal(answer))
            return []
        dispatcher.utter_message(text=outflow_list(answer))
        return [SlotSet("focus_customer_id", answer.lines[0].customer_id)] if len(answer.lines) == 1 else []
