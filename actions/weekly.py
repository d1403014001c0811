"""The week's bookkeeping in the conversation: match a new product, hand a book over, update a client's
information, log a complaint.

Writes are proposed first and kept in the `pending_write` slot ({"kind", ...what to write}); the next
message decides: 确认 (affirm) writes once, 取消 (deny) drops it. A confirmation counts only right after
the proposal: any other answer in between drops what was pending.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import DBAPIError, OperationalError

from actions.base import BankAction, ClientQuestion, blocking, channel, entity_values, first, focus_on, staff_id, text
from actions.lists import show_list
from bot.answers import NotAllowed, NotStaff
from bot.answers.client_info import propose_info_update, save_info_update
from bot.answers.client_products import client_products_for
from bot.answers.complaint import propose_complaint, save_complaint
from bot.answers.handover import confirm_handover, propose_handover
from bot.clock import now, today
from bot.nlu.weekly import product_offer
from bot.replies import weekly as wording
from bot.store.handover import HandoverRefused

PENDING = "pending_write"
PROPOSERS = frozenset({"action_handover_clients", "action_update_client_info", "action_log_complaint"})
_PASSIVE = frozenset({"action_listen", "action_confirm_pending", "action_cancel_pending"})


def _stamp() -> datetime:
    """Now on the assistant's today (BOT_TODAY in demos and tests), as contacts are stamped."""
    return datetime.combine(today(), now().time())


def just_proposed(tracker: Tracker) -> bool:
    """The bot's last action before the latest message proposed the pending write."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return False  # a whole exchange passed without a proposal
            seen_user = True
            continue
        if seen_user and event.get("event") == "action" and event.get("name") not in _PASSIVE:
            return event.get("name") in PROPOSERS
    return False


class _Proposer(BankAction):
    """Proposes a write; a refusal leaves nothing waiting for a yes."""

    def when_refused(self) -> list[dict[str, Any]]:
        return [SlotSet(PENDING, None)]


class ActionMatchProduct(ClientQuestion):
    """A product looking for clients ("这款R2理财推荐给谁", a list), or one client asking for products
    ("有啥产品适合殷姐": the client's rating frame, bot/answers/client_products.py)."""

    def name(self) -> str:
        return "action_match_product"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        if entity_values(tracker, "customer_name"):
            return await super().respond(dispatcher, tracker)
        return await show_list(dispatcher, tracker, "product_match", product_offer(text(tracker)).to_dict())

    def answer(self, *args: Any) -> Any:
        return client_products_for(*args)

    def reply(self, answer: Any) -> str:
        return wording.client_products_reply(answer)


class ActionHandoverClients(_Proposer):
    def name(self) -> str:
        return "action_handover_clients"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        names = entity_values(tracker, "customer_name")
        proposal = await blocking(propose_handover, staff_id(tracker), text(tracker), names, channel(tracker))
        dispatcher.utter_message(text=wording.handover_confirmation(proposal))
        if proposal.plan is None:
            return [SlotSet(PENDING, None)]
        plan = proposal.plan
        return [
            SlotSet(
                PENDING,
                {
                    "kind": "handover",
                    "from_rm": plan.from_rm,
                    "to_rm": plan.to_rm,
                    "customer_ids": list(plan.customer_ids) if proposal.partial else None,
                },
            )
        ]


class ActionUpdateClientInfo(_Proposer):
    def name(self) -> str:
        return "action_update_client_info"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        proposal = await blocking(
            propose_info_update, staff_id(tracker), first(entity_values(tracker, "customer_name")), text(tracker),
            tracker.get_slot("focus_customer_id"), channel(tracker),
        )  # fmt: skip
        dispatcher.utter_message(text=wording.info_confirmation(proposal))
        found, learned = proposal.lookup.found, proposal.learned
        if found is None or learned is None or not learned.valid:
            return [SlotSet(PENDING, None), *focus_on(found.customer_id if found else None)]
        pending = {"kind": "info", "customer_id": found.customer_id, "name": found.name}
        pending.update({"field": learned.field, "value": learned.value})
        return [SlotSet(PENDING, pending), *focus_on(found.customer_id)]


class ActionLogComplaint(_Proposer):
    def name(self) -> str:
        return "action_log_complaint"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        proposal = await blocking(
            propose_complaint, staff_id(tracker), first(entity_values(tracker, "customer_name")), text(tracker),
            tracker.get_slot("focus_customer_id"), channel(tracker),
        )  # fmt: skip
        dispatcher.utter_message(text=wording.complaint_confirmation(proposal))
        found = proposal.lookup.found
        if found is None:
            return [SlotSet(PENDING, None)]
        pending = {"kind": "complaint", "customer_id": found.customer_id, "name": found.name}
        pending["category"] = proposal.category
        return [SlotSet(PENDING, pending), *focus_on(found.customer_id)]


class ActionConfirmPending(BankAction):
    """确认 / 对 / 好的: write what was just proposed; a bare yes otherwise."""

    def name(self) -> str:
        return "action_confirm_pending"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        pending = tracker.get_slot(PENDING)
        if not pending or not just_proposed(tracker):
            dispatcher.utter_message(text=wording.NOTHING_PENDING)
            return [SlotSet(PENDING, None)] if pending else []
        who, via = staff_id(tracker), channel(tracker)
        try:
            reply = await self._write(who, pending, via)
        except (OperationalError, DBAPIError):
            dispatcher.utter_message(text=wording.SAVE_FAILED)
            return []  # kept: 确认 again retries
        except HandoverRefused as refused:
            reply = wording.handover_refused(refused.reason, refused.detail)
        except (NotStaff, NotAllowed):
            raise  # BankAction.run answers it
        except (PermissionError, LookupError):
            reply = wording.NO_LONGER_YOURS
        dispatcher.utter_message(text=reply)
        return [SlotSet(PENDING, None)]

    def when_refused(self) -> list[dict[str, Any]]:
        return [SlotSet(PENDING, None)]

    async def _write(self, who: str, pending: dict, via: str | None) -> str:
        kind = pending.get("kind")
        if kind == "handover":
            done = await blocking(
                confirm_handover, who, pending["from_rm"], pending["to_rm"], pending.get("customer_ids"), _stamp(), via
            )
            return wording.handover_done(done)
        if kind == "info":
            changed = await blocking(
                save_info_update, who, int(pending["customer_id"]), pending["field"], pending["value"], _stamp(), via
            )
            return wording.info_saved(pending["name"], changed)
        if kind == "complaint":
            logged = await blocking(save_complaint, who, int(pending["customer_id"]), pending["category"], today(), via)
            return wording.complaint_saved(pending["name"], logged)
        return wording.NOTHING_PENDING


class ActionCancelPending(BankAction):
    """取消 / 不对: drop what was proposed; a bare no otherwise."""

    def name(self) -> str:
        return "action_cancel_pending"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        if tracker.get_slot(PENDING) and just_proposed(tracker):
            dispatcher.utter_message(text=wording.CANCELLED)
        else:
            dispatcher.utter_message(text=wording.NOTHING_PENDING)
        return [SlotSet(PENDING, None)]
