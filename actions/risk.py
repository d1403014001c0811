from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import BankAction, ClientQuestion, blocking, channel, entity_spans, entity_values, first, staff_id
from bot import replies
from bot.answers import NotStaff
from bot.answers.risk import explain_risk, risk_list
from bot.clock import today
from bot.nlu.counts import parse_top_n
from bot.nlu.vocab import canonical_tier
from bot.replies.risk import explain
from bot.replies.risk import risk_list as risk_list_text


async def answer_risk_list(
    dispatcher: CollectingDispatcher, tracker: Tracker, top_n: int | None, tier: str | None, offset: int
) -> List[Dict[Text, Any]]:
    answer = await blocking(risk_list, staff_id(tracker), today(), top_n, tier, offset, 10, channel(tracker))
    if isinstance(answer, NotStaff):
        dispatcher.utter_message(text=replies.refusal(answer))
        return []
    dispatcher.utter_message(text=risk_list_text(answer))
    state = {"kind": "risk", "top_n": top_n, "tier": tier, "offset": offset + len(answer.ranked)}
    events = [SlotSet("last_list", state)]
    if len(answer.ranked) == 1:
        events.append(SlotSet("focus_customer_id", answer.ranked[0].risk.customer_id))
    return events


class ActionQueryChurnRisk(BankAction):
    def name(self) -> Text:
        return "action_query_churn_risk"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
        span = first(entity_spans(tracker, "top_n"))
        tier_value = first(entity_values(tracker, "tier"))
        tier = canonical_tier(tier_value) or tier_value if tier_value else None
        return await answer_risk_list(dispatcher, tracker, parse_top_n(span) if span else None, tier, 0)


class ActionExplainRisk(ClientQuestion):
    def name(self) -> Text:
        return "action_explain_risk"

    def answer(self, *args: Any) -> Any:
        return explain_risk(*args)

    def reply(self, answer: Any) -> str:
        return explain(answer)
