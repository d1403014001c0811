"""Writing what happened when staff contacted a client.

`log_contact` is idempotent by `request_key`: a retried or repeated confirmation returns the row
already written. Race-safe on SQLite and PostgreSQL: the unique constraint on contacts.request_key
decides, the loser catches IntegrityError inside a savepoint and reads the winner's row.
Call it in its own unit of work (`with session_scope() as s: log_contact(s, ...)`); the row is
durable when that scope commits.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.models import Contact, Customer
from bot.store.scope import NotStaff, covers
from bot.store.staff_directory import staff_by_id

CHANNELS = frozenset({"phone", "wechat", "sms", "meeting", "visit"})
_MAX_CODE = 16  # outcome and stated_purpose columns
_MAX_KEY = 64


def log_contact(
    session: Session,
    staff_id: str,
    customer_id: int,
    channel: str,
    outcome: str,
    stated_purpose: str | None,
    note: str | None,
    next_contact_on: date | None,
    contacted_at: datetime,
    request_key: str | None,
    announced_fen: int | None = None,
    announced_on: date | None = None,
) -> tuple[int, bool]:
    """Write one contact; returns (contact id, created). created=False: this request_key was already written."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown contact channel {channel!r}; known: {', '.join(sorted(CHANNELS))}")
    if not outcome or len(outcome) > _MAX_CODE:
        raise ValueError(f"outcome must be a code of 1..{_MAX_CODE} characters")
    if stated_purpose is not None and len(stated_purpose) > _MAX_CODE:
        raise ValueError(f"stated_purpose must be at most {_MAX_CODE} characters")
    if request_key is not None and not 0 < len(request_key) <= _MAX_KEY:
        raise ValueError(f"request_key must be 1..{_MAX_KEY} characters")
    if not isinstance(contacted_at, datetime):
        raise TypeError("contacted_at must be a datetime (naive, Asia/Shanghai)")

    if request_key is not None:
        existing = _by_key(session, request_key)
        if existing is not None:
            return _replayed(existing, staff_id, customer_id)

    staff = staff_by_id(session, staff_id)
    if staff is None:
        raise NotStaff(staff_id)
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise LookupError(f"no customer {customer_id}")
    if not covers(staff, customer):  # staff log contacts only for clients they may see
        raise PermissionError(f"customer {customer_id} is not in the book of staff {staff_id!r}")

    row = Contact(
        staff_id=staff_id,
        customer_id=customer_id,
        contacted_at=contacted_at,
        channel=channel,
        outcome=outcome,
        stated_purpose=stated_purpose or None,
        note=note or None,
        next_contact_on=next_contact_on,
        request_key=request_key,
        announced_fen=announced_fen,
        announced_on=announced_on,
    )
    _begin_sqlite_transaction(session)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        if request_key is None:
            raise
        # Someone else wrote this request_key between our read and our insert: theirs stands.
        existing = _by_key(session, request_key)
        if existing is None:
            raise
        return _replayed(existing, staff_id, customer_id)
    return row.id, True


def _begin_sqlite_transaction(session: Session) -> None:
    """Make the savepoint nest inside a real transaction on SQLite.

    pysqlite opens a transaction only before its first INSERT/UPDATE/DELETE, so a SAVEPOINT issued
    first becomes the outermost transaction and its RELEASE commits at once: the contact would be
    durable before the caller's unit of work commits. An explicit BEGIN keeps it one transaction.
    (SQLAlchemy's global SQLite savepoint recipe was tried and rejected: it makes every read-then-audit
    session a deferred transaction that fails with "database is locked" under concurrent writers.)
    """
    conn = session.connection()
    if conn.dialect.name == "sqlite" and not conn.connection.driver_connection.in_transaction:
        conn.exec_driver_sql("BEGIN")


def _by_key(session: Session, request_key: str) -> tuple[int, str, int] | None:
    found = session.execute(
        select(Contact.id, Contact.staff_id, Contact.customer_id).where(Contact.request_key == request_key)
    ).first()
    return tuple(found) if found is not None else None


def _replayed(existing: tuple[int, str, int], staff_id: str, customer_id: int) -> tuple[int, bool]:
    contact_id, by_staff, for_customer = existing
    if by_staff != staff_id or for_customer != customer_id:
        raise ValueError("request_key already used for a different contact")
    return contact_id, False
