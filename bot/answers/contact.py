"""刚给张伟打了电话，她说钱要拿去买房: finding the client a contact report is about, and writing the
confirmed report once, however often the confirmation arrives."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime

from bot.answers.question import question
from bot.lookup import ClientLookup, find_client
from bot.store.contacts import log_contact


@dataclass(frozen=True)
class ContactDraft:
    """A report as confirmed by the RM; codes as in the contacts table."""

    customer_id: int
    channel: str  # phone | wechat | sms | meeting | visit
    outcome: str  # reached | no_answer | agreed | declined | callback
    purpose: str | None = None  # house | car | school | other_bank | business | medical
    next_on: date | None = None
    note: str | None = None
    announced_fen: int | None = None  # money the client said will go out, and when (bot.nlu.contact_report)
    announced_on: date | None = None


@dataclass(frozen=True)
class SavedContact:
    contact_id: int
    created: bool  # False: this very report had been saved already


def request_key(staff_id: str, draft: ContactDraft, today: date, confirmation: str | None = None) -> str:
    """One key per confirmed report: `confirmation` names the confirmation question the RM answered (the
    form's turn that asked it), so a retried or repeated "确认" of that question maps to the same key and the
    store keeps one row, while the same words reported and confirmed again later (a second real call) get
    a key, and a row, of their own. The content is part of the key too: any correction gives a new one."""
    content = [
        staff_id, draft.customer_id, draft.channel, draft.outcome, draft.purpose, draft.note,
        draft.next_on.isoformat() if draft.next_on else None, today.isoformat(), confirmation,
    ]  # fmt: skip
    digest = hashlib.sha256(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"contact:{digest[:48]}"


def find_contact_client(
    staff_id: str,
    said: str | None,
    text: str,
    focus_id: int | None = None,
    channel: str | None = None,
    pending_said: str | None = None,
) -> ClientLookup:
    """pending_said: a name given earlier that fitted several clients; "尾号2222的" in `text` picks one."""
    with question(staff_id, "log_contact", channel) as q:
        lookup = find_client(q.session, q.staff, said, text, focus_id)
        if lookup.found is None and not said and pending_said:
            lookup = find_client(q.session, q.staff, pending_said, text)
        q.shown_one(lookup.found.customer_id if lookup.found else None)
    return lookup


def save_contact(
    staff_id: str, draft: ContactDraft, today: date, at: datetime, confirmation: str | None = None
) -> SavedContact:
    """One transaction. Raises PermissionError when the client is no longer the asker's, and the
    store's errors when it is unavailable (nothing is written then; the same call can be retried).
    `confirmation`: see `request_key`."""
    with question(staff_id, "log_contact") as q:  # the client was audited when the report was started
        contact_id, created = log_contact(
            q.session,
            q.staff.id,
            draft.customer_id,
            draft.channel,
            draft.outcome,
            draft.purpose,
            draft.note,
            draft.next_on,
            at,
            request_key(q.staff.id, draft, today, confirmation),
            draft.announced_fen,
            draft.announced_on,
        )
    return SavedContact(contact_id, created)
