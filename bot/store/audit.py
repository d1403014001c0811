"""Audit log of customer lookups: who looked at which customer, when, for what."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bot.clock import now
from bot.store.models import AuditEntry


def record_lookups(
    session: Session, staff_id: str, customer_ids: Iterable[int | None], intent: str, channel: str | None = None
) -> None:
    at = now()
    rows = [
        {"staff_id": staff_id, "at": at, "customer_id": cid, "intent": intent, "channel": channel}
        for cid in customer_ids
    ]
    if rows:
        session.execute(insert(AuditEntry), rows)


def lookups(session: Session, staff_id: str | None = None, on: date | None = None) -> list[AuditEntry]:
    """Audit entries, newest first, optionally for one staff member and one day."""
    q = select(AuditEntry)
    if staff_id:
        q = q.where(AuditEntry.staff_id == staff_id)
    if on:
        start = datetime.combine(on, datetime.min.time())
        q = q.where(AuditEntry.at >= start, AuditEntry.at < start + timedelta(days=1))
    return list(session.execute(q.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())).scalars())
