from __future__ import annotations

from typing import Any

from actions.base import ClientQuestion
from bot.answers.profile import profile
from bot.replies.profile import profile_card


class ActionCustomerProfile(ClientQuestion):
    def name(self) -> str:
        return "action_customer_profile"

    def answer(self, *args: Any) -> Any:
        return profile(*args)

    def reply(self, answer: Any) -> str:
        return profile_card(answer)
