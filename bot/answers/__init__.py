"""Answer builders: one module per capability. Each takes the asker's staff id and already-normalised
parameters, opens one database session, authorises, queries, audits, and returns a plain answer object.
Blocking by design — actions run them in a thread. No Rasa here and no Chinese wording (see bot.replies)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NotStaff:
    """The sender is not a known, active staff member."""

    sender_id: str


@dataclass(frozen=True)
class NotAllowed:
    """The asker's role may not use this capability (e.g. an RM asking for the branch overview)."""

    role: str
