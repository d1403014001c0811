from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import BankAction, blocking, channel, entity_values, first, staff_id, text
from bot import replies
from bot.replies.profile import profile_card
from bot.answers import NotStaff
from bot.answers.profile import profile
from bot.clock import today


class ActionCustomerProfile(BankAction):
    def name(self) -> Text:
        return "action_customer_profile"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
        answer = await blocking(
            profile,
            staff_id(tracker),
            first(entity_values(tracker, "customer_name")),
            text(tracker),
            today(),
            tracker.get_slot("focus_customer_id"),
            channel(tracker),
        )
        if isinstance(answer, NotStaff):
            dispatcher.utter_message(text=replies.refusal(answer))
            return []
        dispatcher.utter_message(text=profile_card(answer))
        if answer.lookup.found:
            return [SlotSet("focus_customer_id", answer.lookup.found.customer_id)]
        return []
