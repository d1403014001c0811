"""The retention playbook in the conversation: scripts, next steps, today's plan, segments, branch overview."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from rasa_sdk import Tracker
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
    pending_events,
    said_or_pending,
    staff_id,
    text,
)
from actions.lists import show_list
from actions.picks import MAX_PICKED, pointed, rm_pointed
from bot.answers import NotAllowed
from bot.answers.branch import rm_part_for
from bot.answers.daily_plan import DailyPlanRequest
from bot.answers.next_steps import next_steps_for
from bot.answers.script import ScriptRequest, script
from bot.answers.segment import SegmentQuery
from bot.clock import today
from bot.nlu.occasions import named_occasion
from bot.nlu.purposes import canonical_purpose, purpose_in
from bot.nlu.references import points_back, side_of, staff_ids_in
from bot.nlu.segment_request import parse_segment_request
from bot.nlu.vocab import canonical_channel, canonical_tier
from bot.nlu.weekly import product_offer
from bot.replies import playbook as wording
from bot.replies.lists import not_on_the_page


def _one_staff_id(said: str) -> str | None:
    """The staff id a message names when it names exactly one ("rm07手上有几个高风险的")."""
    ids = {staff for _, staff in staff_ids_in(said)}
    return ids.pop() if len(ids) == 1 else None


_SEND_A_MESSAGE = re.compile(r"发(一)?[条个段句](祝福|问候|消息|信息)?|发(祝福|问候)")


def script_request_from(tracker: Tracker) -> ScriptRequest:
    said_text = text(tracker)
    said = said_or_pending(tracker)
    purpose = canonical_purpose(first(entity_values(tracker, "purpose"))) or purpose_in(said_text)
    focus = tracker.get_slot("focus_customer_id")
    if purpose and not said and not points_back(said_text):
        focus = None  # "客户要取五十万买房": someone at the counter now, not the client discussed before
    occasion = named_occasion(said_text)
    if occasion is not None and not said and not points_back(said_text):
        focus = None  # "春节前给贵宾客户的问候": a greeting for many clients, not the one discussed before
    requested_channel = first(entity_values(tracker, "contact_channel"))
    asked_channel = canonical_channel(requested_channel) if requested_channel else None
    if asked_channel is None and occasion is not None and _SEND_A_MESSAGE.search(said_text):
        asked_channel = "wechat"  # 发条祝福 / 发个消息: written, not a call
    return ScriptRequest(
        said=said,
        text=said_text,
        focus_id=focus,
        contact_channel=asked_channel,
        purpose=purpose,
        amount_span=first(entity_spans(tracker, "amount")),
        occasion=occasion.occasion if occasion else None,
        festival=occasion.festival if occasion else None,
        product_risk=product_offer(said_text).risk if occasion and occasion.occasion == "new_product" else None,
    )


class ActionAskScript(BankAction):
    def name(self) -> str:
        return "action_ask_script"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        request = script_request_from(tracker)
        pick = pointed(tracker)
        if pick is not None and not pick.ids:
            dispatcher.utter_message(text=not_on_the_page(pick.shown))
            return []
        requests = (
            [replace(request, said=None, text="", focus_id=cid) for cid in pick.ids[:MAX_PICKED]] if pick else [request]
        )
        events: list[dict[str, Any]] = []
        for one in requests:  # "第4个的话术": that client, by id
            answer = await blocking(script, staff_id(tracker), one, today(), channel(tracker))
            dispatcher.utter_message(text=wording.script_reply(answer))
            found = answer.lookup.found
            events = focus_on(found.customer_id if found else None) + pending_events(answer.lookup)
        return events


class ActionAskNextSteps(ClientQuestion):
    def name(self) -> str:
        return "action_ask_next_steps"

    def answer(self, *args: Any) -> Any:
        return next_steps_for(*args)

    def reply(self, answer: Any) -> str:
        return wording.next_steps_reply(answer)


class ActionDailyPlan(BankAction):
    def name(self) -> str:
        return "action_daily_plan"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        request = DailyPlanRequest(first(entity_spans(tracker, "time_range")), first(entity_spans(tracker, "top_n")))
        return await show_list(dispatcher, tracker, "daily_plan", request.to_dict())


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
    def name(self) -> str:
        return "action_query_segment"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        query = segment_query_from(tracker)
        if query is None:
            dispatcher.utter_message(text=wording.SEGMENT_NOT_UNDERSTOOD)
            return []
        return await show_list(dispatcher, tracker, "segment", query.to_dict())


class ActionBranchOverview(BankAction):
    def name(self) -> str:
        return "action_branch_overview"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        said = text(tracker)
        side, rm_id = side_of(said), rm_pointed(tracker) or _one_staff_id(said)
        if side is None and rm_id is None:
            return await show_list(dispatcher, tracker, "branch", {})
        try:  # 李明那边呢 / rm02那边呢 / rm07手上有几个高风险的 / 第二个呢: that RM's part of the overview
            answer = await blocking(
                rm_part_for, staff_id(tracker), side or rm_id or "", said, today(), channel(tracker), rm_id
            )
        except NotAllowed:
            if rm_id is not None:  # an RM asking after a colleague's book by staff id: the scope refusal
                raise
            from actions.profile import ActionCustomerProfile  # "王秀英那边呢" from an RM: a client of that name

            return await ActionCustomerProfile().respond(dispatcher, tracker)
        dispatcher.utter_message(text=wording.rm_part_reply(answer))
        return []
