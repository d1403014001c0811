"""Out of scope: the generic answer, or, for a claim of another identity, that identity comes from the sign-in."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import text
from bot.nlu.identity_claims import claim_in
from bot.replies import IDENTITY_FROM_SIGN_IN


class ActionOutOfScope(Action):
    """No store, no staff lookup: what is said does not depend on who asks."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if claim_in(text(tracker)) is not None:
            dispatcher.utter_message(text=IDENTITY_FROM_SIGN_IN)
        else:
            dispatcher.utter_message(response="utter_out_of_scope")
        return []
