"""What came of each alert: did the RM act on it, reach the client, keep the money?

The outcome is read from what the staff logged anyway — the contacts table — rather than asked for
twice: an alert about client c sent to staff member s at time t is

- contacted within 1 / 3 days when s logged a contact with c in that time after t (any outcome);
- reached when one of those contacts reached the client (not 没接通 / 关机 / 拒接);
- retained when one of them is 客户同意 (agreed: stays, renews, keeps the money);
- lost when the client declined, or their account was closed since.

`python -m bot alerts report --db URL [--since YYYY-MM-DD]` prints one row per alert kind (and a JSON line).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Contact, Customer, OutboxMessage

BRIEFING = "briefing"
_SUBJECT_CLIENT = re.compile(r"^c(\d+)")
WINDOWS_DAYS = (1, 3)


@dataclass
class KindOutcome:
    sent: int = 0
    acted: dict[int, int] = field(default_factory=lambda: {d: 0 for d in WINDOWS_DAYS})
    reached: int = 0
    retained: int = 0
    lost: int = 0

    def as_dict(self) -> dict:
        return {
            "sent": self.sent,
            **{f"acted_within_{d}d": n for d, n in self.acted.items()},
            "reached": self.reached,
            "retained": self.retained,
            "lost": self.lost,
        }


def alert_outcomes(session: Session, since: date) -> dict[str, KindOutcome]:
    """Per alert kind, over the alerts sent since `since` that name a client (briefings name many: left out)."""
    sent = session.execute(
        select(OutboxMessage.staff_id, OutboxMessage.kind, OutboxMessage.subject, OutboxMessage.sent_at)
        .where(
            OutboxMessage.status == "sent",
            OutboxMessage.kind != BRIEFING,
            OutboxMessage.sent_at >= datetime.combine(since, datetime.min.time()),
        )
        .order_by(OutboxMessage.id)
    ).all()
    alerts = []
    for staff_id, kind, subject, sent_at in sent:
        found = _SUBJECT_CLIENT.match(subject or "")
        if found and sent_at is not None:
            alerts.append((staff_id, kind, int(found.group(1)), sent_at))
    horizon = timedelta(days=max(WINDOWS_DAYS))
    clients = sorted({client for _, _, client, _ in alerts})
    # Two queries for the whole report, not two per alert: the contacts since the first alert, the closures.
    contacts: dict[tuple[str, int], list[tuple[datetime, str]]] = defaultdict(list)
    closed: set[int] = set()
    if alerts:
        first = min(at for *_, at in alerts)
        for staff_id, client, at, outcome in session.execute(
            select(Contact.staff_id, Contact.customer_id, Contact.contacted_at, Contact.outcome).where(
                Contact.customer_id.in_(clients), Contact.contacted_at >= first
            )
        ):
            contacts[(staff_id, client)].append((at, outcome))
        closed = set(
            session.execute(select(Customer.id).where(Customer.id.in_(clients), Customer.closed_on.is_not(None)))
            .scalars()
            .all()
        )
    out: dict[str, KindOutcome] = defaultdict(KindOutcome)
    for staff_id, kind, client, sent_at in alerts:
        row = out[kind]
        row.sent += 1
        after = [(at, o) for at, o in contacts[(staff_id, client)] if sent_at <= at < sent_at + horizon]
        for days in WINDOWS_DAYS:
            if any(at < sent_at + timedelta(days=days) for at, _ in after):
                row.acted[days] += 1
        outcomes = {outcome for _, outcome in after}
        row.reached += bool(outcomes - {"no_answer"})
        row.retained += "agreed" in outcomes
        row.lost += "declined" in outcomes or client in closed
    return dict(out)


def report_lines(outcomes: dict[str, KindOutcome]) -> list[str]:
    lines = [
        "| alert | sent | acted on within 1 day | within 3 days | reached | retained | lost |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in sorted(outcomes):
        o = outcomes[kind]
        pct = {d: f"{o.acted[d]} ({o.acted[d] / o.sent:.0%})" if o.sent else "0" for d in WINDOWS_DAYS}
        lines.append(f"| {kind} | {o.sent} | {pct[1]} | {pct[3]} | {o.reached} | {o.retained} | {o.lost} |")
    return lines
