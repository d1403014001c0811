"""Answer builders: one module per capability. Each takes the asker's staff id and already-normalised
parameters and goes through one door, `bot.answers.question.question`: one session, the asker resolved,
the role checked, the audit written. Unknown or refused askers raise `NotStaff` / `NotAllowed`.
Blocking by design — actions run them in a thread. No Rasa here and no Chinese wording (see bot.replies)."""

from bot.store.scope import NotAllowed, NotStaff

__all__ = ["NotAllowed", "NotStaff"]
