"""The retention playbook in the conversation: scripts, next steps, today's plan, segments, branch overview."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import (
    BankAction,
    ClientQuestion,
    blocking,
    channel,
    entity_spans,
    entity_values,
    first,
    focus_on,
    is_follow_up,
    staff_id,
    text,
)
from bot import replies
from bot.answers import NotAllowed, NotStaff
from bot.answers.branch import branch_overview_for
from bot.answers.daily_plan import DailyPlanRequest, daily_plan_for
from bot.answers.next_steps import next_steps_for
from bot.answers.script import ScriptRequest, script
from bot.answers.segment import SegmentQuery, segment_for
from bot.clock import today
from bot.nlu.purposes import canonical_purpose, purpose_in
from bot.nlu.references import points_back
from bot.nlu.segment_request import parse_segment_request
from bot.nlu.vocab import canonical_channel, canonical_tier
from bot.replies import playbook as wording


def script_request_from(tracker: Tracker) -> ScriptRequest:
    said_text = text(tracker)
    said = first(entity_values(tracker, "customer_name"))
    purpose = canonical_purpose(first(entity_values(tracker, "purpose"))) or purpose_in(said_text)
    focus = tracker.get_slot("focus_customer_id")
    if purpose and not said and not points_back(said_text):
        focus = None  # "客户要取五十万买房": someone at the counter now, not the client discussed before
    requested_channel = first(entity_values(tracker, "contact_channel"))
    return ScriptRequest(
        said=said,
        text=said_text,
        focus_id=focus,
        contact_channel=canonical_channel(requested_channel) if requested_channel else None,
        purpose=purpose,
        amount_span=first(entity_spans(tracker, "amount")),
    )


class ActionAskScript(BankAction):
    def name(self) -> Text:
        return "action_ask_script"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
        answer = await blocking(script, staff_id(tracker), script_request_from(tracker), today(), channel(tracker))
        if isinstance(answer, NotStaff):
            dispatcher.utter_message(text=replies.refusal(answer))
            return []
        dispatcher.utter_message(text=wording.script_reply(answer))
        return focus_on(answer.lookup.found.customer_id if answer.lookup.found else None)


class ActionAskNextSteps(ClientQuestion):
    def name(self) -> Text:
        return "action_ask_next_steps"

    def answer(self, *args: Any) -> Any:
        return next_steps_for(*args)

    def reply(self, answer: Any) -> str:
        return wording.next_steps_reply(answer)


async def answer_daily_plan(
    dispatcher: CollectingDispatcher, tracker: Tracker, request: DailyPlanRequest, offset: int
) -> List[Dict[Text, Any]]:
    answer = await blocking(daily_plan_for, staff_id(tracker), request, today(), offset, channel(tracker))
    if isinstance(answer, NotStaff):
        dispatcher.utter_message(text=replies.refusal(answer))
        return []
    if isinstance(answer, NotAllowed):
        dispatcher.utter_message(text=wording.PLAN_NOT_FOR_COUNTER)
        return []
    dispatcher.utter_message(text=wording.daily_plan_reply(answer))
    state = {"kind": "daily_plan", "request": request.to_dict(), "offset": offset + len(answer.items)}
    only = answer.items[0].customer_id if len(answer.items) == 1 else None
    return [SlotSet("last_list", state)] + focus_on(only)


class ActionDailyPlan(BankAction):
    def name(self) -> Text:
        return "action_daily_plan"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
        request = DailyPlanRequest(first(entity_spans(tracker, "time_range")), first(entity_spans(tracker, "top_n")))
        return await answer_daily_plan(dispatcher, tracker, request, 0)


async def answer_segment(
    dispatcher: CollectingDispatcher, tracker: Tracker, query: SegmentQuery, offset: int
) -> List[Dict[Text, Any]]:
    answer = await blocking(segment_for, staff_id(tracker), query, today(), offset, channel(tracker))
    if isinstance(answer, NotStaff):
        dispatcher.utter_message(text=replies.refusal(answer))
        return []
    dispatcher.utter_message(text=wording.segment_reply(answer))
    state = {"kind": "segment", "request": query.to_dict(), "offset": offset + len(answer.members)}
    only = answer.members[0].customer_id if len(answer.members) == 1 else None
    return [SlotSet("last_list", state)] + focus_on(only)


def segment_query_from(tracker: Tracker) -> SegmentQuery | None:
    asked = parse_segment_request(text(tracker))
    tier_word = first(entity_values(tracker, "tier"))
    tier = canonical_tier(tier_word) if tier_word else None
    if asked is not None:
        return SegmentQuery(asked, tier)
    last = tracker.get_slot("last_list") or {}
    if tier and is_follow_up(tracker) and last.get("kind") == "segment":  # 那贵宾客户呢
        return SegmentQuery(SegmentQuery.from_dict(last.get("request") or {}).segment, tier)
    return None


class ActionQuerySegment(BankAction):
    def name(self) -> Text:
        return "action_query_segment"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
        query = segment_query_from(tracker)
        if query is None:
            dispatcher.utter_message(text=wording.SEGMENT_NOT_UNDERSTOOD)
            return []
        return await answer_segment(dispatcher, tracker, query, 0)


class ActionBranchOverview(BankAction):
    def name(self) -> Text:
        return "action_branch_overview"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
        answer = await blocking(branch_overview_for, staff_id(tracker), today(), channel(tracker))
        if isinstance(answer, (NotStaff, NotAllowed)):
            dispatcher.utter_message(text=replies.refusal(answer))
            return []
        dispatcher.utter_message(text=wording.branch_reply(answer))
        return []
