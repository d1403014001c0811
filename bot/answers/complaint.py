"""客户投诉排队太久: a complaint the client made, proposed for confirmation, then logged as an open complaint
(the service-recovery script and the complaint line of today's plan read it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.answers.question import question
from bot.lookup import ClientLookup, find_client
from bot.nlu.weekly import complaint_category
from bot.playbook.scripts import complaint_label
from bot.store.complaints import ComplaintLogged, log_complaint

CAPABILITY = "log_complaint"


@dataclass(frozen=True)
class ComplaintProposal:
    lookup: ClientLookup
    category: str  # stored as staff read it (排队等候): the scorer's reasons and the playbook show it as is


def propose_complaint(
    staff_id: str, said: str | None, text: str, focus_id: int | None, channel: str | None = None
) -> ComplaintProposal:
    with question(staff_id, CAPABILITY, channel) as q:
        lookup = find_client(q.session, q.staff, said, text, focus_id)
        q.shown_one(lookup.found.customer_id if lookup.found else None)
    return ComplaintProposal(lookup, complaint_label(complaint_category(text)) or "服务")


def save_complaint(
    staff_id: str, customer_id: int, category: str, today: date, channel: str | None = None
) -> ComplaintLogged:
    with question(staff_id, CAPABILITY, channel) as q:
        logged = log_complaint(q.session, q.staff, customer_id, category, today, channel)
        q.shown_one(customer_id)
        return logged
