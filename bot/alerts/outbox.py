"""The outbox: every push is a row written before it is sent, so nothing is lost and nothing is sent twice.

Key. (staff, kind, subject, day) is unique: queuing the same push again (a second briefing run, a detector
re-examining data after a restart, two workers detecting at once) inserts nothing.

States.
  queued     waiting; `not_before` holds it for quiet hours or a retry backoff
  sending    claimed by one worker: `UPDATE ... SET status='sending' WHERE id=? AND status='queued'`, committed
             before the call (rowcount 1 = this worker owns it; on PostgreSQL the candidates are also picked
             with FOR UPDATE SKIP LOCKED so two workers do not queue up on the same rows)
  sent       every part confirmed by WeCom; their msgids kept
  uncertain  a briefing whose worker died between the call and the mark (see below); not resent
  failed     WeCom refused it for good (unknown user, ...) or `max_attempts` ran out
  muted      still queued (e.g. held for quiet hours) when its member muted the kind: never sent

Retries. WeCom 5xx, timeouts and errcode -1 are first retried inside the channel's client
(bot.channels.wecom_api); when those attempts are spent, or WeCom answers 45009 (rate limit), the row goes
back to queued with an exponential backoff. An expired token is refreshed by the client (refused before
delivery, so safe to repeat).

A crash between the send and the mark. WeCom's message/send has no idempotency key: a row found "sending"
after its lease ran out (a worker died mid-send) may or may not have reached the member, and nothing can
tell which. The choice:
  * same-day alerts are resent, the first resent part prefixed with "（补发）", so the RM sees a possible
    repeat as one: losing a large-movement or risk alert costs more than reading it twice;
  * briefings are not resent but marked `uncertain`: a missing briefing is replaced by asking
    "今天先联系谁", a duplicated one is noise in the whole team's morning.
Who a push named. A push that names clients also writes, with its row, the ordered list of them
(`alert_push_clients`), stamped with the real moment it was confirmed sent, so a reply in the chat can
point at them (bot.answers.pushes).

Long pushes are split under 2,048 bytes and each confirmed part is recorded (`parts_sent`, `msgids`), so
only the part in doubt is ever in doubt.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.alerts.settings import AlertSettings
from bot.store.models import OutboxMessage, PushClients

BRIEFING = "briefing"
ALERT_KINDS = ("large_movement", "other_bank", "salary_stopped", "risk_high", "counter_withdrawal")
MAX_BACKOFF = timedelta(minutes=30)


@dataclass(frozen=True)
class Push:
    staff_id: str
    recipient: str  # WeCom userid
    kind: str
    subject: str
    day: date
    content: str
    urgent: bool = False  # urgent pushes are not held by quiet hours
    # The clients the text names, in its order, with what it says of each (an alert kind or a briefing
    # section); the first `shown` are in the text, the rest only counted. Empty: the push names no client.
    clients: tuple[tuple[int, str], ...] = ()
    shown: int = 0

    @property
    def resend_on_doubt(self) -> bool:
        return resend_on_doubt(self.kind)


def resend_on_doubt(kind: str) -> bool:
    """Alerts are resent (marked 补发) after a crash left their delivery unknown; briefings are not."""
    return kind != BRIEFING


@dataclass
class EnqueueResult:
    queued: int = 0
    already_sent: int = 0
    already_queued: int = 0  # the key exists and is not sent (queued, sending, uncertain, failed)
    held: int = 0  # of the queued, held for the end of quiet hours
    kinds: dict[str, int] = field(default_factory=dict)

    def add(self, other: EnqueueResult) -> None:
        self.queued += other.queued
        self.already_sent += other.already_sent
        self.already_queued += other.already_queued
        self.held += other.held
        for k, n in other.kinds.items():
            self.kinds[k] = self.kinds.get(k, 0) + n


def in_quiet_hours(now: datetime, settings: AlertSettings) -> bool:
    t = now.time()
    start, end = settings.quiet_from, settings.quiet_until
    return (t >= start or t < end) if start > end else (start <= t < end)


def quiet_hours_end(now: datetime, settings: AlertSettings) -> datetime:
    end = datetime.combine(now.date(), settings.quiet_until)
    return end if now < end else end + timedelta(days=1)


def _insert_ignoring_duplicates(session: Session, row: dict) -> bool:
    """True when inserted; False when the natural key is already there (also when another worker just wrote it)."""
    dialect = session.get_bind().dialect.name
    table = OutboxMessage.__table__
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt = pg_insert(table).values(**row).on_conflict_do_nothing(constraint="uq_outbox_natural_key")
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(table).values(**row).on_conflict_do_nothing()
    return session.execute(stmt).rowcount == 1


def _remember_clients(session: Session, p: Push) -> None:
    outbox_id = session.execute(
        select(OutboxMessage.id).where(
            OutboxMessage.staff_id == p.staff_id,
            OutboxMessage.kind == p.kind,
            OutboxMessage.subject == p.subject,
            OutboxMessage.day == p.day,
        )
    ).scalar_one()
    clients = json.dumps([[cid, about] for cid, about in p.clients])
    session.add(PushClients(outbox_id=outbox_id, staff_id=p.staff_id, clients=clients, shown=p.shown))
    session.flush()


def enqueue(
    session: Session, pushes: Iterable[Push], now: datetime, settings: AlertSettings, *, quiet_hours: bool = True
) -> EnqueueResult:
    """Write each push unless its key exists. Non-urgent pushes found in quiet hours wait for the morning
    (`quiet_hours=False`: pushes that are due when queued, such as the briefing at its set time)."""
    result = EnqueueResult()
    quiet = quiet_hours and in_quiet_hours(now, settings)
    for p in pushes:
        hold = quiet and not p.urgent
        row = dict(
            staff_id=p.staff_id,
            kind=p.kind,
            subject=p.subject,
            day=p.day,
            recipient=p.recipient,
            content=p.content,
            urgent=p.urgent,
            status="queued",
            attempts=0,
            parts_sent=0,
            resend=False,
            not_before=quiet_hours_end(now, settings) if hold else now,
            created_at=now,
        )
        if _insert_ignoring_duplicates(session, row):
            if p.clients:
                _remember_clients(session, p)
            result.queued += 1
            result.held += hold
            result.kinds[p.kind] = result.kinds.get(p.kind, 0) + 1
            continue
        status = session.execute(
            select(OutboxMessage.status).where(
                OutboxMessage.staff_id == p.staff_id,
                OutboxMessage.kind == p.kind,
                OutboxMessage.subject == p.subject,
                OutboxMessage.day == p.day,
            )
        ).scalar_one_or_none()
        if status == "sent":
            result.already_sent += 1
        else:
            result.already_queued += 1
    return result


@dataclass(frozen=True)
class Claimed:
    id: int
    recipient: str
    kind: str
    content: str
    parts_sent: int
    msgids: str | None
    resend: bool
    attempts: int  # including this one
    token: str


def claim_due(session: Session, now: datetime, limit: int) -> list[Claimed]:
    """Claim up to `limit` due rows for this worker, urgent first; commits so the claim is visible at once."""
    if limit <= 0:
        return []
    candidates = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "queued", OutboxMessage.not_before <= now)
        .order_by(OutboxMessage.urgent.desc(), OutboxMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list(session.execute(candidates).scalars())
    token = secrets.token_hex(8)
    claimed: list[int] = []
    for row_id in ids:
        done = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.status == "queued")
            .values(status="sending", claimed_at=now, claim_token=token, attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount == 1:
            claimed.append(row_id)
    session.commit()
    if not claimed:
        return []
    rows = session.execute(select(OutboxMessage).where(OutboxMessage.id.in_(claimed))).scalars().all()
    by_id = {r.id: r for r in rows}
    return [
        Claimed(r.id, r.recipient, r.kind, r.content, r.parts_sent, r.msgids, r.resend, r.attempts, token)
        for r in (by_id[i] for i in claimed)
        if r.claim_token == token
    ]


def _mine(row: Claimed):
    return (OutboxMessage.id == row.id, OutboxMessage.status == "sending", OutboxMessage.claim_token == row.token)


def mark_part(session: Session, row: Claimed, parts_sent: int, msgids: str, now: datetime, done: bool) -> bool:
    values: dict = {"parts_sent": parts_sent, "msgids": msgids}
    if done:
        values.update(status="sent", sent_at=now, last_error=None)
    changed = session.execute(
        update(OutboxMessage).where(*_mine(row)).values(**values).execution_options(synchronize_session=False)
    ).rowcount
    if done and changed == 1:
        # The real moment (not the pushes' clock, which tests and demos pin): the chat's events are stamped so.
        session.execute(
            update(PushClients)
            .where(PushClients.outbox_id == row.id)
            .values(delivered_epoch=time.time())
            .execution_options(synchronize_session=False)
        )
    session.commit()
    return changed == 1


def backoff(attempts: int, settings: AlertSettings) -> timedelta:
    return min(timedelta(seconds=settings.backoff_seconds * 2 ** max(0, attempts - 1)), MAX_BACKOFF)


def release_for_retry(session: Session, row: Claimed, now: datetime, error: str, settings: AlertSettings) -> str:
    """Back to queued after a backoff, or failed when the attempts are spent; returns the new status."""
    status = "failed" if row.attempts >= settings.max_attempts else "queued"
    session.execute(
        update(OutboxMessage)
        .where(*_mine(row))
        .values(status=status, not_before=now + backoff(row.attempts, settings), last_error=error[:200])
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return status


def withdraw_queued(session: Session, staff_id: str, kind: str) -> int:
    """A member muted `kind`: their rows of it not yet claimed are never sent (a row already being sent is
    left to finish). Unmuting does not bring them back: the moment they were for has passed."""
    return session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.staff_id == staff_id, OutboxMessage.kind == kind, OutboxMessage.status == "queued")
        .values(status="muted", last_error="muted by the member")
        .execution_options(synchronize_session=False)
    ).rowcount


def mark_failed(session: Session, row: Claimed, error: str) -> None:
    session.execute(
        update(OutboxMessage)
        .where(*_mine(row))
        .values(status="failed", last_error=error[:200])
        .execution_options(synchronize_session=False)
    )
    session.commit()


@dataclass
class Recovered:
    resend: int = 0  # alerts queued again, marked 补发
    uncertain: int = 0  # briefings left as they are


def recover_stale(session: Session, now: datetime, settings: AlertSettings) -> Recovered:
    """Rows left "sending" past their lease by a worker that died: alerts are resent, briefings marked uncertain."""
    cutoff = now - timedelta(seconds=settings.lease_seconds)
    stale = session.execute(
        select(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.claim_token).where(
            OutboxMessage.status == "sending", OutboxMessage.claimed_at < cutoff
        )
    ).all()
    out = Recovered()
    for row_id, kind, token in stale:
        guard = (
            OutboxMessage.id == row_id,
            OutboxMessage.status == "sending",
            OutboxMessage.claim_token == token,
        )
        if resend_on_doubt(kind):
            values = dict(status="queued", resend=True, not_before=now, last_error="resent after an unconfirmed send")
        else:
            values = dict(status="uncertain", last_error="worker stopped between send and mark; not resent")
        changed = session.execute(
            update(OutboxMessage).where(*guard).values(**values).execution_options(synchronize_session=False)
        ).rowcount
        if changed == 1:
            if resend_on_doubt(kind):
                out.resend += 1
            else:
                out.uncertain += 1
    session.commit()
    return out


def sent_since(session: Session, since: datetime) -> int:
    return int(session.execute(select(func.count()).where(OutboxMessage.sent_at >= since)).scalar_one())


def counts_by_status(session: Session, now: datetime) -> dict[str, int]:
    rows = session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
    out = {status: int(n) for status, n in rows}
    out["held"] = int(
        session.execute(
            select(func.count()).where(OutboxMessage.status == "queued", OutboxMessage.not_before > now)
        ).scalar_one()
    )
    return out
