"""Which pushes staff may mute for themselves ("别再推送生日提醒了"), and the one check the pushes make.

A kind is an alert kind of bot.alerts.outbox, a section of the morning briefing, or the briefing itself:

* may be muted (conveniences: everything in them can be asked for in the chat):
  the briefing as a whole; its sections 今明到期 (maturity), 新增高风险 (risk_high), 该联系了 (overdue),
  约好今天回访 (callback), 今天生日 (birthday); the alerts 他行转出 (other_bank), 代发停发 (salary_stopped)
  and 流失风险升高 (risk_high: muting 风险提醒 silences the alert and the briefing's section alike).
* never muted (duties, `DUTIES`): the large-movement alert — the reporting rule says a client of 50万 and
  more moving ±20万 in a day must reach the RM and the branch head — and the counter's withdrawal alert,
  sent while the client is still in the branch. A request to mute either is refused with its reason, and
  a row for them, however it got there, mutes nothing (`is_muted`).

The briefing as a whole may be muted. It carries no duty of its own: the duties above are separate urgent
alerts that no mute touches, and everything it lists is what "今天先联系谁" answers on demand. The one
thing it alone delivers is the overnight rise of a client's churn risk (bot.alerts.jobs leaves those to
the briefing on a briefing morning); for a member who muted the briefing those rises go out as ordinary
risk alerts instead, unless 风险提醒 is muted too. Staff who want a quieter morning can also mute a single
section and keep the rest.
"""

from __future__ import annotations

from dataclasses import replace

from bot.alerts.facts import RmBriefing
from bot.alerts.outbox import BRIEFING

# Sections of the RM's briefing, in the order the briefing shows them.
BRIEFING_SECTIONS = ("maturity", "risk_high", "overdue", "callback", "birthday")
MUTABLE = (BRIEFING, *BRIEFING_SECTIONS, "other_bank", "salary_stopped")
DUTIES = ("large_movement", "counter_withdrawal")


def may_mute(kind: str) -> bool:
    return kind in MUTABLE


def is_muted(mutes: frozenset[str] | set[str] | None, kind: str) -> bool:
    """Whether a push of `kind` is held back for a member with these mutes; a duty never is."""
    return bool(mutes) and kind in MUTABLE and kind in (mutes or ())


def without_muted_sections(b: RmBriefing, mutes: frozenset[str] | None) -> RmBriefing:
    """The briefing without the sections its reader muted (it may end up empty: then nothing is sent)."""
    if not mutes:
        return b
    cut: dict = {}
    if is_muted(mutes, "maturity"):
        cut["maturities"] = ()
    if is_muted(mutes, "risk_high"):
        cut["new_high_risk"] = ()
    if is_muted(mutes, "overdue"):
        cut.update(overdue=(), overdue_by_tier={})
    if is_muted(mutes, "callback"):
        cut["callbacks"] = ()
    if is_muted(mutes, "birthday"):
        cut["birthdays"] = ()
    return replace(b, **cut) if cut else b
