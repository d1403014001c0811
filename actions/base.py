"""What every action shares: who is asking, blocking work off the event loop, failures as clear answers."""

from __future__ import annotations

import asyncio
import logging
import re
from abc import ABCMeta, abstractmethod
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import DBAPIError, OperationalError

from bot import replies
from bot.answers import NotAllowed, NotStaff
from scoring.model import ModelMismatchError, ModelNotFoundError

logger = logging.getLogger(__name__)

_FOLLOW_UP = re.compile(r"^\s*(那|那么|那就|那再)|(呢|的呢)\s*[？?。！!]*\s*$")


class BankAction(Action, metaclass=ABCMeta):
    """Subclasses implement `name` and `respond`. The one place where an unknown asker or a refused role
    (`NotStaff` / `NotAllowed`, raised by the answers' door) becomes a reply, and where data-store outages
    become a polite retry message; and where, before any answer, a push the asker got since the
    conversation's own last list or client is taken into its focus (actions/pushes.py).

    Abstract so that rasa_sdk, which registers every concrete Action subclass, skips it."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        from actions.pushes import take_in_newest_push

        try:
            # A push sent since the conversation's own last list is what "第一个" / "他" now refer to.
            taken_in = await take_in_newest_push(tracker)
            return taken_in + await self.respond(dispatcher, tracker)
        except (NotStaff, NotAllowed) as refused:
            dispatcher.utter_message(text=replies.refusal(refused))
            return self.when_refused()
        except (OperationalError, DBAPIError):
            logger.exception("data store unavailable in %s", self.name())
            dispatcher.utter_message(text=replies.DATA_UNAVAILABLE)
        except (ModelNotFoundError, ModelMismatchError):
            logger.exception("churn model not servable in %s", self.name())
            dispatcher.utter_message(text=replies.MODEL_UNAVAILABLE)
        except Exception:  # a reply, never silence: the details go to the log, not to the user
            logger.exception("unexpected failure in %s", self.name())
            dispatcher.utter_message(text=replies.SOMETHING_WENT_WRONG)
        return []

    @abstractmethod
    def name(self) -> str:
        """The action's name in domain.yml."""

    @abstractmethod
    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        """Answer the latest message; return the events to apply."""

    def when_refused(self) -> list[dict[str, Any]]:
        """Events after a refusal (a form ends itself); none by default."""
        return []


class ClientQuestion(BankAction, metaclass=ABCMeta):
    """A question about one client — named, spotted in the text, or the client in focus ("他/她").

    Subclasses give the answer builder `(staff_id, said, text, today, focus_id, channel) -> answer`
    (an answer with a `.lookup`) and the function that words it."""

    @abstractmethod
    def answer(self, *args: Any) -> Any:
        """The bot.answers builder for this question (blocking; run in a thread)."""

    @abstractmethod
    def reply(self, answer: Any) -> str:
        """The bot.replies wording of the answer."""

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        from actions.picks import MAX_PICKED, pointed
        from bot.replies.lists import not_on_the_page

        pick = pointed(tracker)
        if pick is None:
            said, message = said_or_pending(tracker), text(tracker)
            return await self._answer_about(dispatcher, tracker, said, message, tracker.get_slot("focus_customer_id"))
        if not pick.ids:
            dispatcher.utter_message(text=not_on_the_page(pick.shown))
            return []
        events: list[dict[str, Any]] = []
        for customer_id in pick.ids[:MAX_PICKED]:  # "第三个": that client, by id, never a name read from the text
            events = await self._answer_about(dispatcher, tracker, None, "", customer_id)
        return events

    async def _answer_about(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, said: str | None, message: str, focus: int | None
    ) -> list[dict[str, Any]]:
        from bot.clock import today

        answer = await blocking(self.answer, staff_id(tracker), said, message, today(), focus, channel(tracker))
        reply = self.reply(answer)
        found = answer.lookup.found
        if found is not None and answer.lookup.how == "pinyin":
            reply = f"（按读音理解为{found.name}）\n{reply}"  # a sure reading by sound is answered, never silently
        dispatcher.utter_message(text=reply)
        return focus_on(found.customer_id if found else None) + pending_events(answer.lookup)


PENDING = "pending_client_said"


def said_or_pending(tracker: Tracker) -> str | None:
    """The name said, or — for "55岁的那个" / "尾号3009的" right after "您名下有2位张伟" — the name that
    fitted several clients, so the description chooses among them."""
    from bot.nlu.attributes import is_bare_description

    said = first(entity_values(tracker, "customer_name"))
    if said is None and tracker.get_slot(PENDING) and is_bare_description(text(tracker)):
        return str(tracker.get_slot(PENDING))
    return said


def pending_events(lookup: Any) -> list[dict[str, Any]]:
    """Remember a name that fitted several clients until one of them is chosen."""
    if lookup.candidates:
        return [SlotSet(PENDING, lookup.said)]
    return [SlotSet(PENDING, None)] if lookup.found is not None else []


def focus_on(customer_id: int | None) -> list[dict[str, Any]]:
    """Make a client the one "他/她" refers to next."""
    return [SlotSet("focus_customer_id", customer_id)] if customer_id is not None else []


async def blocking(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Database and model work runs in a worker thread, one session per call."""
    return await asyncio.to_thread(fn, *args, **kwargs)


def staff_id(tracker: Tracker) -> str:
    """The channel put the authenticated staff id in the sender id; the text never decides who asks."""
    return tracker.sender_id


def channel(tracker: Tracker) -> str | None:
    return tracker.get_latest_input_channel()


def text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def entity_spans(tracker: Tracker, name: str) -> list[str]:
    """Raw spans as typed (time and amount are normalised in code, not trusted from the span's value)."""
    msg = tracker.latest_message
    raw = msg.get("text") or ""
    spans = []
    for e in msg.get("entities") or []:
        if e.get("entity") != name:
            continue
        start, end = e.get("start"), e.get("end")
        spans.append(raw[start:end] if isinstance(start, int) and isinstance(end, int) else str(e.get("value")))
    return spans


def entity_values(tracker: Tracker, name: str) -> list[str]:
    """Canonical values (after synonyms), unique, in order."""
    seen: list[str] = []
    for e in tracker.latest_message.get("entities") or []:
        value = e.get("value")
        if e.get("entity") == name and value and str(value) not in seen:
            seen.append(str(value))
    return seen


def first(values: list[str]) -> str | None:
    return values[0] if values else None


def is_follow_up(tracker: Tracker) -> bool:
    """'那下周呢' / '下个月的呢': a fragment that reuses the previous question."""
    return bool(_FOLLOW_UP.search(text(tracker)))
