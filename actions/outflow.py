from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import BankAction, entity_spans, entity_values, first, text
from actions.lists import show_list
from bot.answers.outflow import OutflowRequest

OTHER_BANK_WORDS = ("他行", "别的银行", "其他银行", "外行", "跨行")


class ActionQueryOutflow(BankAction):
    def name(self) -> str:
        return "action_query_outflow"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        other_bank = "other_bank" in entity_values(tracker, "purpose") or any(
            w in text(tracker) for w in OTHER_BANK_WORDS
        )
        request = OutflowRequest(
            first(entity_spans(tracker, "time_range")), first(entity_spans(tracker, "amount")), other_bank
        )
        return await show_list(dispatcher, tracker, "outflow", request.to_dict())
