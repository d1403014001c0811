"""The kinds of push each staff member muted (table `alert_mutes`). Which kinds may be muted is
bot.alerts.mutes's rule; this module only keeps the rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.store.models import AlertMute


def mute(session: Session, staff_id: str, kind: str, now: datetime) -> bool:
    """True when newly muted; False when it already was (also when another request just wrote it)."""
    table = AlertMute.__table__
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(table).values(staff_id=staff_id, kind=kind, muted_at=now).on_conflict_do_nothing()
    return session.execute(stmt).rowcount == 1


def unmute(session: Session, staff_id: str, kind: str) -> bool:
    """True when it was muted."""
    done = session.execute(delete(AlertMute).where(AlertMute.staff_id == staff_id, AlertMute.kind == kind))
    return done.rowcount == 1


def mutes_of(session: Session, staff_id: str) -> list[str]:
    """The kinds one staff member muted, oldest mute first."""
    rows = session.execute(
        select(AlertMute.kind).where(AlertMute.staff_id == staff_id).order_by(AlertMute.muted_at, AlertMute.kind)
    )
    return list(rows.scalars())


def mutes_by_staff(session: Session, staff_ids: Iterable[str] | None = None) -> dict[str, frozenset[str]]:
    """Every staff member's mutes at once (the pushes' pass reads them in one query)."""
    q = select(AlertMute.staff_id, AlertMute.kind)
    if staff_ids is not None:
        q = q.where(AlertMute.staff_id.in_(sorted(set(staff_ids))))
    out: dict[str, set[str]] = {}
    for staff_id, kind in session.execute(q):
        out.setdefault(staff_id, set()).add(kind)
    return {k: frozenset(v) for k, v in out.items()}
