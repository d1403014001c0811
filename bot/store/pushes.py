"""The clients each push named (table `alert_push_clients`, written by bot.alerts.outbox), as the chat
reads them back: the newest push a staff member got, and one push by id."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import OutboxMessage, PushClients


@dataclass(frozen=True)
class PushedClients:
    outbox_id: int
    kind: str
    clients: tuple[tuple[int, str], ...]  # (customer id, what the push said of them), in the text's order
    shown: int  # how many of them the text names; the rest were only counted
    delivered_epoch: float


def _row(outbox_id: int, kind: str, clients: str, shown: int, delivered: float | None) -> PushedClients:
    pairs = tuple((int(cid), str(about)) for cid, about in json.loads(clients))
    return PushedClients(outbox_id, kind, pairs, int(shown), float(delivered or 0))


_COLUMNS = (
    PushClients.outbox_id,
    OutboxMessage.kind,
    PushClients.clients,
    PushClients.shown,
    PushClients.delivered_epoch,
)


def newest_delivered(
    session: Session, staff_id: str, after_epoch: float, before_epoch: float | None, today: date
) -> PushedClients | None:
    """The newest push sent to `staff_id` today that named clients, delivered after `after_epoch` and
    (when given) no later than `before_epoch`; None when there is none."""
    q = (
        select(*_COLUMNS)
        .join(OutboxMessage, OutboxMessage.id == PushClients.outbox_id)
        .where(
            PushClients.staff_id == staff_id,
            PushClients.delivered_epoch > after_epoch,
            OutboxMessage.status == "sent",
            OutboxMessage.sent_at >= datetime.combine(today, datetime.min.time()),
        )
        .order_by(PushClients.delivered_epoch.desc(), PushClients.outbox_id.desc())
        .limit(1)
    )
    if before_epoch is not None:
        q = q.where(PushClients.delivered_epoch <= before_epoch)
    row = session.execute(q).first()
    return _row(*row) if row else None


def pushed_to(session: Session, staff_id: str, outbox_id: int) -> PushedClients | None:
    """One push's clients, only when it was sent to `staff_id`."""
    row = session.execute(
        select(*_COLUMNS)
        .join(OutboxMessage, OutboxMessage.id == PushClients.outbox_id)
        .where(PushClients.outbox_id == outbox_id, PushClients.staff_id == staff_id, OutboxMessage.status == "sent")
    ).first()
    return _row(*row) if row else None
