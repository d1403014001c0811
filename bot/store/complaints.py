"""Logging a complaint a client made: an open Complaint row, read by the scorer's features and the
playbook (situation.open_complaint: the service-recovery script, the complaint line of today's plan)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Complaint, Customer
from bot.store.scope import covers
from bot.store.staff_directory import StaffMember

AUDIT_INTENT = "log_complaint"
_MAX_CATEGORY = 24


@dataclass(frozen=True)
class ComplaintLogged:
    complaint_id: int
    customer_id: int
    category: str
    filed_on: date
    created: bool  # False: the same open complaint was already logged that day


def log_complaint(
    session: Session, staff: StaffMember, customer_id: int, category: str, filed_on: date, channel: str | None = None
) -> ComplaintLogged:
    category = (category or "").strip()
    if not 0 < len(category) <= _MAX_CATEGORY:
        raise ValueError(f"category must be 1..{_MAX_CATEGORY} characters")
    customer = session.get(Customer, customer_id)
    if customer is None or customer.closed_on is not None:
        raise LookupError(customer_id)
    if not covers(staff, customer):
        raise PermissionError(f"{staff.id} may not log a complaint for customer {customer_id}")
    same = session.execute(
        select(Complaint.id).where(
            Complaint.customer_id == customer_id,
            Complaint.category == category,
            Complaint.filed_on == filed_on,
            Complaint.resolved.is_(False),
        )
    ).scalar()
    if same is not None:
        return ComplaintLogged(same, customer_id, category, filed_on, created=False)
    row = Complaint(customer_id=customer_id, filed_on=filed_on, category=category, resolved=False)
    session.add(row)
    session.flush()
    return ComplaintLogged(row.id, customer_id, category, filed_on, created=True)
