from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import BankAction
from actions.maturing import answer_maturing
from actions.playbook import answer_daily_plan, answer_segment
from bot import replies
from bot.answers.daily_plan import DailyPlanRequest
from bot.answers.maturing import MaturingRequest
from bot.answers.segment import SegmentQuery


class ActionMore(BankAction):
    """还有吗: the next page of whatever list was shown last."""

    def name(self) -> Text:
        return "action_more"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
        last = tracker.get_slot("last_list") or {}
        kind, request, offset = last.get("kind"), last.get("request") or {}, int(last.get("offset") or 0)
        if kind == "maturing":
            return await answer_maturing(dispatcher, tracker, MaturingRequest.from_dict(request), offset)
        if kind == "daily_plan":
            return await answer_daily_plan(dispatcher, tracker, DailyPlanRequest.from_dict(request), offset)
        if kind == "segment":
            return await answer_segment(dispatcher, tracker, SegmentQuery.from_dict(request), offset)
        dispatcher.utter_message(text=replies.NOTHING_TO_PAGE)
        return []
