from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import BankAction, ClientQuestion, entity_spans, entity_values, first
from actions.lists import show_list
from bot.answers.risk import explain_risk
from bot.nlu.counts import parse_top_n
from bot.nlu.vocab import canonical_tier
from bot.replies.risk import explain


class ActionQueryChurnRisk(BankAction):
    def name(self) -> str:
        return "action_query_churn_risk"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        span = first(entity_spans(tracker, "top_n"))
        tier_value = first(entity_values(tracker, "tier"))
        tier = canonical_tier(tier_value) or tier_value if tier_value else None
        request = {"top_n": parse_top_n(span) if span else None, "tier": tier}
        return await show_list(dispatcher, tracker, "risk", request)


class ActionExplainRisk(ClientQuestion):
    def name(self) -> str:
        return "action_explain_risk"

    def answer(self, *args: Any) -> Any:
        return explain_risk(*args)

    def reply(self, answer: Any) -> str:
        return explain(answer)
