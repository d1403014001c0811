from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import BankAction
from actions.maturing import answer_maturing
from bot import replies
from bot.answers.maturing import MaturingRequest


class ActionMore(BankAction):
    """还有吗: the next page of whatever list was shown last."""

    def name(self) -> Text:
        return "action_more"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
        last = tracker.get_slot("last_list") or {}
        if last.get("kind") == "maturing":
            request = MaturingRequest.from_dict(last.get("request") or {})
            return await answer_maturing(dispatcher, tracker, request, int(last.get("offset") or 0))
        dispatcher.utter_message(text=replies.NOTHING_TO_PAGE)
        return []
