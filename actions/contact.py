"""The log_contact form: "刚给张伟打了电话，她说钱要拿去买房" → ask only for what is missing → confirm → save once.

Form slots (all set here, none by NLU mappings):
  contact_customer_id, contact_via (channel code), contact_outcome: required, asked for when missing;
  contact_purpose, contact_next_on (ISO date), contact_note: optional, shown in the confirmation;
  contact_customer_said: a name that fitted several clients (or none), so a phone tail can pick one;
  contact_customer_how: how the client was resolved; anything but the exact name is asked about in the
    confirmation ("记在刘晓晶名下吗？"), so a write never lands on a client the RM did not see named;
  contact_also_ids: further clients of one report ("前两个都打了"): the same contact is confirmed once,
    naming every client, and saved once per client;
  contact_confirmed: the last required slot — None while waiting for "确认", then
  saved | already_saved | cancelled | refused, which ends the form; action_log_contact_done reports it.

The write happens here, in the validation of "确认": when the store is down the form stays open with
every slot kept, so the RM can simply confirm again, and the request key (the content and the turn that
asked for this confirmation) makes a retried or repeated confirmation land on the row already written,
while an identical report confirmed in a later form run (a second real call) is a row of its own.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import DBAPIError, OperationalError

from actions.base import (
    BankAction,
    blocking,
    channel,
    entity_values,
    first,
    staff_id,
    text,
)
from actions.picks import MAX_PICKED, Picked, pointed
from bot.answers import NotStaff
from bot.answers.contact import ContactDraft, find_contact_client, save_contact
from bot.clock import now, today
from bot.lookup import ClientLookup
from bot.nlu.contact_report import (
    has_correction_cue,
    is_bare_denial,
    is_confirmation,
    read_contact_report,
    wants_to_cancel,
)
from bot.replies import contact as wording
from bot.replies.lists import not_on_the_page

FORM = "log_contact_form"
CUSTOMER, NAME, SAID, HOW = (
    "contact_customer_id",
    "contact_customer_name",
    "contact_customer_said",
    "contact_customer_how",
)
VIA, OUTCOME, PURPOSE = "contact_via", "contact_outcome", "contact_purpose"
NEXT_ON, NOTE = "contact_next_on", "contact_note"
ALSO = "contact_also_ids"
STATUS = "contact_confirmed"
FORM_SLOTS = (CUSTOMER, NAME, SAID, HOW, VIA, OUTCOME, PURPOSE, NEXT_ON, NOTE, ALSO, STATUS)
NOTE_MAX_CHARS = 200
# Intents that are about the report itself; anything else mid-form is another question to answer first.
REPORT_INTENTS = frozenset({"log_contact", "affirm", "deny", "nlu_fallback"})
# Actions the form runs itself; any other action since the user spoke means the message was answered elsewhere.
FORM_OWN_ACTIONS = frozenset({"action_listen", "action_extract_slots", FORM, f"validate_{FORM}"})


def _intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def _answered_elsewhere(tracker: Tracker) -> bool:
    """The form is resuming after another action answered the user's last message: nothing new to read."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") not in FORM_OWN_ACTIONS:
            return True
    return False


def _ended(status: str) -> list[dict[str, Any]]:
    return [SlotSet(STATUS, status), SlotSet("requested_slot", None)]


def _confirmation_asked(tracker: Tracker) -> str | None:
    """When the form asked the confirmation question now being answered: Rasa's form sets requested_slot to
    contact_confirmed each time it asks it (again after a correction or another question), so the event's
    timestamp names this confirmation, the same for every retry of the answer. None without a timestamp."""
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == "requested_slot":
            if event.get("value") == STATUS and event.get("timestamp") is not None:
                return repr(float(event["timestamp"]))
            return None
    return None


def _next_on(tracker: Tracker) -> date | None:
    value = tracker.get_slot(NEXT_ON)
    return date.fromisoformat(value) if value else None


def _shown_name(lookup: ClientLookup) -> str:
    """The name in the confirmation; a namesake picked by a description says which one it is."""
    assert lookup.found is not None
    chosen = lookup.chosen
    return f"{lookup.found.name}（{chosen.birth_year}年生，尾号{chosen.phone_tail}）" if chosen else lookup.found.name


def _customer_events(lookup: ClientLookup) -> list[dict[str, Any]]:
    if lookup.found:
        return [
            SlotSet(CUSTOMER, lookup.found.customer_id),
            SlotSet(NAME, _shown_name(lookup)),
            SlotSet(SAID, None),
            SlotSet(HOW, lookup.how),
        ]
    return [SlotSet(CUSTOMER, None), SlotSet(NAME, None), SlotSet(SAID, lookup.said), SlotSet(HOW, None)]


def _no_others(tracker: Tracker) -> list[dict[str, Any]]:
    """A client named now replaces the clients picked from a list before."""
    return [SlotSet(ALSO, None)] if tracker.get_slot(ALSO) else []


def _picked_events(lookups: list[ClientLookup]) -> list[dict[str, Any]]:
    """Clients pointed at in the last list ("前两个"): never by exact name, so the confirmation names them all."""
    found = [lookup.found for lookup in lookups if lookup.found is not None]
    if not found:
        return _customer_events(ClientLookup(None))
    return [
        SlotSet(CUSTOMER, found[0].customer_id),
        SlotSet(NAME, "、".join(ref.name for ref in found)),
        SlotSet(SAID, None),
        SlotSet(HOW, "list"),
        SlotSet(ALSO, [ref.customer_id for ref in found[1:]] or None),
    ]


class ValidateLogContactForm(BankAction):
    """Reads each message of the form: the first report, answers to questions, corrections, "确认", "取消"."""

    def name(self) -> str:
        return f"validate_{FORM}"

    def when_refused(self) -> list[dict[str, Any]]:
        return _ended("refused")

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        if _answered_elsewhere(tracker):
            return []
        message = text(tracker)
        requested = tracker.get_slot("requested_slot")
        named = first(entity_values(tracker, "customer_name"))
        if requested is not None and wants_to_cancel(message):
            return _ended("cancelled")
        if requested is None or (requested == STATUS and _intent(tracker) == "log_contact" and named):
            return await self._new_report(dispatcher, tracker, message, named)
        if requested == STATUS and is_confirmation(message):
            return await self._save(dispatcher, tracker)
        return await self._update(dispatcher, tracker, message, named, requested)

    async def _lookup(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, said: str | None, message: str,
        focus: int | None, pending: str | None = None,
    ) -> ClientLookup | list[dict[str, Any]]:  # fmt: skip
        """The client meant, or the events that end the form (unknown staff, another RM's client)."""
        # A name outside the asker's book is treated exactly like a name of nobody (asked again, same
        # wording): the form must not tell whether that person is a client elsewhere in the bank.
        return await blocking(find_contact_client, staff_id(tracker), said, message, focus, channel(tracker), pending)

    async def _new_report(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, message: str, named: str | None
    ) -> list[dict[str, Any]]:
        pick = pointed(tracker)
        if pick is not None:  # "前两个都打了": clients of the last list, by id
            who = await self._picked(dispatcher, tracker, pick)
        else:
            lookup = await self._lookup(dispatcher, tracker, named, message, tracker.get_slot("focus_customer_id"))
            if isinstance(lookup, list):
                return lookup
            who = _customer_events(lookup) + _no_others(tracker)
        report = read_contact_report(message, today(), first(entity_values(tracker, "purpose")))
        return who + [
            SlotSet(VIA, report.channel),
            SlotSet(OUTCOME, report.outcome),
            SlotSet(PURPOSE, report.purpose),
            SlotSet(NEXT_ON, report.next_on.isoformat() if report.next_on else None),
            SlotSet(NOTE, message.strip()[:NOTE_MAX_CHARS] or None),
            SlotSet(STATUS, None),
        ]

    async def _picked(self, dispatcher: CollectingDispatcher, tracker: Tracker, pick: Picked) -> list[dict[str, Any]]:
        """The clients a position points at, or the events that end the form; a bad position is said."""
        if not pick.ids:
            dispatcher.utter_message(text=not_on_the_page(pick.shown))
        lookups = [await self._lookup(dispatcher, tracker, None, "", cid) for cid in pick.ids[:MAX_PICKED]]
        for lookup in lookups:
            if isinstance(lookup, list):
                return lookup
        return _picked_events([lk for lk in lookups if isinstance(lk, ClientLookup)])

    async def _update(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, message: str, named: str | None, requested: str
    ) -> list[dict[str, Any]]:
        """An answer to the question asked, or a correction of the report being confirmed."""
        if _intent(tracker) not in REPORT_INTENTS and not has_correction_cue(message):
            # Another question ("下周到期的有哪些"): only a direct answer to what the form asked counts;
            # otherwise its own action answers it and the form asks again afterwards.
            events = await self._direct_answer(dispatcher, tracker, message, named, requested)
            return events + [SlotSet(STATUS, None)] if events else []

        events: list[dict[str, Any]] = []
        pick = pointed(tracker)
        if pick is not None and pick.ids:  # "不对，是第三个": another client of the last list
            events += await self._picked(dispatcher, tracker, pick)
            if any(e.get("name") == "requested_slot" for e in events):
                return events  # the form ended (not the asker's client any more, unknown staff)
        elif named or requested == CUSTOMER:
            lookup = await self._lookup(dispatcher, tracker, named, message, None, tracker.get_slot(SAID))
            if isinstance(lookup, list):
                return lookup
            if lookup.found:
                events += _customer_events(lookup) + _no_others(tracker)
            elif requested == CUSTOMER:  # still not clear who: ask again, remembering the name given
                events.append(SlotSet(SAID, lookup.said or tracker.get_slot(SAID)))

        report = read_contact_report(message, today(), correction=True)
        if report.channel and report.channel != tracker.get_slot(VIA):
            events.append(SlotSet(VIA, report.channel))
        outcome = report.outcome
        if outcome == "reached" and tracker.get_slot(OUTCOME):
            outcome = None  # "要改成周五" is not news about how the contact went
        if outcome is None and requested == OUTCOME and not events and not report.purpose and not report.next_on:
            outcome = "reached"  # a free description of how it went: keep the words in the note
            note = "；".join(x for x in (tracker.get_slot(NOTE), message.strip()) if x)
            events.append(SlotSet(NOTE, note[:NOTE_MAX_CHARS]))
        if outcome and outcome != tracker.get_slot(OUTCOME):
            events.append(SlotSet(OUTCOME, outcome))
        if report.purpose and report.purpose != tracker.get_slot(PURPOSE):
            events.append(SlotSet(PURPOSE, report.purpose))
        if report.next_on and report.next_on != _next_on(tracker):
            events.append(SlotSet(NEXT_ON, report.next_on.isoformat()))
        if events:
            return events + [SlotSet(STATUS, None)]
        if requested == STATUS and (is_bare_denial(message) or has_correction_cue(message)):
            dispatcher.utter_message(text=wording.NOT_UNDERSTOOD)
        # Nothing usable: keep the form (a no-op slot event), which asks its question again.
        return [SlotSet(requested, None)]

    async def _direct_answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, message: str, named: str | None, requested: str
    ) -> list[dict[str, Any]]:
        pick = pointed(tracker) if requested == CUSTOMER else None
        if pick is not None:  # "记哪位？" — "第二个"
            events = await self._picked(dispatcher, tracker, pick)
            return events if any(e.get("name") == CUSTOMER and e.get("value") for e in events) else []
        if requested == CUSTOMER:
            lookup = await self._lookup(dispatcher, tracker, named, message, None, tracker.get_slot(SAID))
            if isinstance(lookup, list):
                return lookup
            return _customer_events(lookup) if lookup.found else []
        report = read_contact_report(message, today(), correction=True)
        if requested == VIA and report.channel:
            return [SlotSet(VIA, report.channel)]
        if requested == OUTCOME and report.outcome:
            return [SlotSet(OUTCOME, report.outcome)]
        return []

    async def _save(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        # The report as first said holds the announced money ("明天要取50万"): read it from the note.
        said = read_contact_report(tracker.get_slot(NOTE) or "", today())
        drafts = [
            ContactDraft(
                customer_id=int(customer_id),
                channel=tracker.get_slot(VIA),
                outcome=tracker.get_slot(OUTCOME),
                purpose=tracker.get_slot(PURPOSE),
                next_on=_next_on(tracker),
                note=tracker.get_slot(NOTE),
                announced_fen=said.announced_fen,
                announced_on=said.announced_on,
            )
            for customer_id in [tracker.get_slot(CUSTOMER), *(tracker.get_slot(ALSO) or [])]
        ]
        day = today()
        at = datetime.combine(day, now().time())
        try:
            confirmation = _confirmation_asked(tracker)
            results = [
                await blocking(save_contact, staff_id(tracker), draft, day, at, confirmation) for draft in drafts
            ]
        except (OperationalError, DBAPIError):
            dispatcher.utter_message(text=wording.SAVE_FAILED)
            return [SlotSet(STATUS, None)]
        except NotStaff:
            raise  # BankAction.run answers it and ends the form
        except (PermissionError, LookupError):
            dispatcher.utter_message(text=wording.NO_LONGER_YOURS)
            return _ended("refused")
        return [SlotSet(STATUS, "saved" if any(r.created for r in results) else "already_saved")]


class ActionAskContactCustomer(BankAction):
    def name(self) -> str:
        return "action_ask_contact_customer_id"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        said = tracker.get_slot(SAID)
        lookup = None
        if said:
            try:
                lookup = await blocking(find_contact_client, staff_id(tracker), said, "", None, channel(tracker))
            except NotStaff:
                lookup = None  # the form's validation refuses; here only the question is asked
        dispatcher.utter_message(text=wording.ask_customer(lookup))
        return []


class ActionAskContactVia(BankAction):
    def name(self) -> str:
        return "action_ask_contact_via"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=wording.ask_channel(tracker.get_slot(NAME)))
        return []


class ActionAskContactOutcome(BankAction):
    def name(self) -> str:
        return "action_ask_contact_outcome"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=wording.ask_outcome(tracker.get_slot(NAME)))
        return []


class ActionAskContactConfirmed(BankAction):
    def name(self) -> str:
        return "action_ask_contact_confirmed"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        dispatcher.utter_message(
            text=wording.confirmation(
                tracker.get_slot(NAME),
                tracker.get_slot(VIA),
                tracker.get_slot(OUTCOME),
                tracker.get_slot(PURPOSE),
                _next_on(tracker),
                by_exact_name=tracker.get_slot(HOW) == "exact",
            )
        )
        return []


class ActionLogContactDone(BankAction):
    """After the form: say what happened to the report and clear the form's slots."""

    def name(self) -> str:
        return "action_log_contact_done"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        status = tracker.get_slot(STATUS)
        customer = tracker.get_slot(CUSTOMER)
        events: list[dict[str, Any]] = [SlotSet(slot, None) for slot in FORM_SLOTS]
        if status in ("saved", "already_saved"):
            dispatcher.utter_message(
                text=wording.saved(
                    tracker.get_slot(NAME),
                    tracker.get_slot(VIA),
                    tracker.get_slot(OUTCOME),
                    tracker.get_slot(PURPOSE),
                    _next_on(tracker),
                    created=status == "saved",
                )
            )
            events.append(SlotSet("focus_customer_id", customer))
        elif status == "cancelled":
            dispatcher.utter_message(text=wording.CANCELLED)
        return events
