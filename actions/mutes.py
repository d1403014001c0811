"""别再推送生日提醒了 / 恢复早报 / 我关了哪些推送: the pushes the asker mutes for themselves."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import BankAction, blocking, channel, staff_id, text
from bot.answers.mutes import manage_mutes
from bot.clock import now
from bot.nlu.alert_topics import read_mute_request
from bot.replies.alerts import mute_reply


class ActionAlertMutes(BankAction):
    def name(self) -> str:
        return "action_alert_mutes"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        request = read_mute_request(text(tracker))
        answer = await blocking(manage_mutes, staff_id(tracker), request, now(), channel(tracker))
        dispatcher.utter_message(text=mute_reply(answer))
        return []
