from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import PENDING, BankAction, ClientQuestion, text
from actions.picks import rm_pointed
from actions.playbook import ActionAskNextSteps, ActionAskScript, ActionBranchOverview
from actions.risk import ActionExplainRisk
from bot.answers.profile import profile
from bot.nlu.attributes import is_bare_description
from bot.nlu.ordinals import is_bare_pick
from bot.replies.profile import profile_card

# The client questions a bare "最后那个呢" repeats, about another client of the list.
_ASKED_AGAIN: dict[str, BankAction] = {
    a.name(): a for a in (ActionExplainRisk(), ActionAskScript(), ActionAskNextSteps())
}
_CLIENT_ACTIONS = {*_ASKED_AGAIN, "action_customer_profile"}


def previous_client_question(tracker: Tracker) -> str | None:
    """The action that answered the last question about one client in this conversation."""
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") in _CLIENT_ACTIONS:
            return str(event["name"])
    return None


class ActionCustomerProfile(ClientQuestion):
    def name(self) -> str:
        return "action_customer_profile"

    def answer(self, *args: Any) -> Any:
        return profile(*args)

    def reply(self, answer: Any) -> str:
        return profile_card(answer)

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        said = text(tracker)
        if is_bare_pick(said) and rm_pointed(tracker) is not None:  # "第二个呢" under the branch overview: an RM
            return await ActionBranchOverview().respond(dispatcher, tracker)
        bare = is_bare_pick(said) or (is_bare_description(said) and tracker.get_slot(PENDING))
        again = _ASKED_AGAIN.get(previous_client_question(tracker) or "") if bare else None
        if again is not None:  # "第三个为什么这么高" → "最后那个呢" / "给张伟的话术" → "55岁的那个": the same question
            return await again.respond(dispatcher, tracker)
        return await super().respond(dispatcher, tracker)
