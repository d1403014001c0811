"""还有吗 / 下一页 / 前面的: another page of whatever list was shown last."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import BankAction, text
from actions.lists import KINDS, previous_page_offset, show_list
from bot import replies
from bot.nlu.references import asks_previous_page
from bot.nlu.totals import is_bare_figure_question


class ActionMore(BankAction):
    def name(self) -> str:
        return "action_more"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        last = tracker.get_slot("last_list") or {}
        if last.get("kind") not in KINDS:
            dispatcher.utter_message(text=replies.NOTHING_TO_PAGE)
            return []
        offset = int(last.get("offset") or 0)
        if is_bare_figure_question(text(tracker)):
            offset = 0  # "一共几个？": the figure first, then the list from its top
        elif asks_previous_page(text(tracker)):
            offset = previous_page_offset(last) or 0  # from the first page, 前面的 shows it again
        return await show_list(dispatcher, tracker, last["kind"], last.get("request") or {}, offset)
