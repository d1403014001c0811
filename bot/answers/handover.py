"""把rm03的客户都转给rm05: a branch head moves a book (or part of it) to another RM of the branch.

`propose_handover` reads only (what would move, for the confirmation); `confirm_handover` writes, all or
nothing (bot/store/handover.py), once the branch head has confirmed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.answers.question import question
from bot.lookup import find_client
from bot.nlu.references import staff_ids_in
from bot.nlu.voice import to_halfwidth
from bot.store.handover import HandoverDone, HandoverPlan, HandoverRefused, hand_over, plan_handover
from bot.store.models import Staff

CAPABILITY = "handover_clients"
_TARGET_CUE = re.compile(r"(接手|接管|来接)")


@dataclass(frozen=True)
class HandoverProposal:
    plan: HandoverPlan | None
    refused: str | None = None  # a HandoverRefused reason, or "which_rms" / "client_unknown"
    detail: str = ""
    partial: bool = False  # only the clients named, not the whole book


def rms_named(text: str, rms: Sequence[tuple[str, str]]) -> list[str]:
    """RM ids mentioned (rm03 or the RM's name), in the order meant: (from, to)."""
    said = to_halfwidth(text or "")
    found: list[tuple[int, str]] = staff_ids_in(said)
    for staff_id, name in rms:
        at = said.find(name) if name else -1
        if at >= 0 and all(staff_id != s for _, s in found):
            found.append((at, staff_id))
    ordered = [s for _, s in sorted(found)]
    cue = _TARGET_CUE.search(said)
    if len(ordered) == 2 and cue:
        positions = sorted(found)
        if positions[0][0] < cue.start() < positions[1][0]:  # "rm05接手rm03的客户"
            ordered.reverse()
    return ordered


def propose_handover(
    staff_id: str, text: str, client_names: Sequence[str], channel: str | None = None
) -> HandoverProposal:
    with question(staff_id, CAPABILITY, channel) as q:
        rows = q.session.execute(
            select(Staff.id, Staff.name).where(Staff.branch_id == q.staff.branch_id, Staff.role == "rm")
        ).all()
        named = rms_named(text, [(r.id, r.name) for r in rows])
        if len(named) != 2:
            return HandoverProposal(None, "which_rms")
        ids: list[int] | None = None
        if client_names:
            ids = []
            for name in client_names:
                lookup = find_client(q.session, q.staff, name, text)
                if lookup.found is None:
                    return HandoverProposal(None, "client_unknown", name)
                ids.append(lookup.found.customer_id)
        try:
            plan = plan_handover(q.session, q.staff, named[0], named[1], ids)
        except HandoverRefused as refused:
            return HandoverProposal(None, refused.reason, refused.detail)
        return HandoverProposal(plan, partial=ids is not None)


def confirm_handover(
    staff_id: str, from_rm: str, to_rm: str, customer_ids: Sequence[int] | None, at: datetime,
    channel: str | None = None,
) -> HandoverDone:  # fmt: skip
    """Raises HandoverRefused when the book changed since the proposal (nothing is written then)."""
    with question(staff_id, CAPABILITY, channel) as q:
        return hand_over(q.session, q.staff, from_rm, to_rm, customer_ids, at, channel)
