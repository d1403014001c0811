"""Updating what the bank knows about a client (learned in a contact), the old value kept beside the new."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.store.models import ClientInfoChange, Customer
from bot.store.scope import covers
from bot.store.staff_directory import StaffMember

MOBILE = re.compile(r"1[3-9]\d{9}")  # a mainland mobile number, digits only
FIELDS = ("phone", "occupation", "address", "family", "note")
# Kept as notes only (子女出国…, 不喜欢电话打扰, 搬到滨江路18号): no column of the customer is overwritten.
NOTE_FIELDS = frozenset({"address", "family", "note"})
AUDIT_INTENT = "update_client_info"
_MAX_VALUE = 200
_MAX_OCCUPATION = 32  # the customers.occupation column


@dataclass(frozen=True)
class InfoChanged:
    change_id: int
    customer_id: int
    field: str
    old_value: str | None
    new_value: str
    created: bool  # False: the same change was already recorded


def update_client_info(
    session: Session, staff: StaffMember, customer_id: int, field: str, new_value: str, at: datetime,
    channel: str | None = None,
) -> InfoChanged:  # fmt: skip
    if field not in FIELDS:
        raise ValueError(f"unknown field {field!r}; known: {', '.join(FIELDS)}")
    new_value = (new_value or "").strip()
    if not 0 < len(new_value) <= _MAX_VALUE:
        raise ValueError(f"new value must be 1..{_MAX_VALUE} characters")
    if field == "phone" and not MOBILE.fullmatch(new_value):
        raise ValueError("a phone number must be an 11-digit mobile number")
    if field == "occupation" and len(new_value) > _MAX_OCCUPATION:
        new_value = new_value[:_MAX_OCCUPATION]
    customer = session.get(Customer, customer_id)
    if customer is None or customer.closed_on is not None:
        raise LookupError(customer_id)
    if not covers(staff, customer):
        raise PermissionError(f"{staff.id} may not update customer {customer_id}")
    old = getattr(customer, field) if field not in NOTE_FIELDS else None
    last = (
        session.query(ClientInfoChange)
        .filter_by(customer_id=customer_id, field=field)
        .order_by(ClientInfoChange.id.desc())
        .first()
    )
    if last is not None and last.new_value == new_value and (field in NOTE_FIELDS or old == new_value):
        return InfoChanged(last.id, customer_id, field, last.old_value, new_value, created=False)
    if field not in NOTE_FIELDS:
        setattr(customer, field, new_value)
    change = ClientInfoChange(
        customer_id=customer_id, staff_id=staff.id, field=field, old_value=old, new_value=new_value, at=at
    )
    session.add(change)
    session.flush()
    return InfoChanged(change.id, customer_id, field, old, new_value, created=True)
