"""有啥产品适合殷姐 / 给方圆配个产品: what one client may be offered, within their risk rating.

The answer is the suitability frame, not a product pick: the client's rating and until when it is valid,
the highest product risk level it allows (C{n} → R{n} and below, bot/playbook/suitability.py), the money
that could move (maturing in the next 30 days, demand deposits), and what stops any offer (an expired or
missing rating, an open complaint, intermediary-driven money). When the question names a product risk
level ("王阿姨适合R3吗") the verdict for that level comes first. The reply carries the disclosure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.answers.question import question
from bot.lookup import ClientLookup, find_client
from bot.store.situation import ClientSituation, situation

CAPABILITY = "match_product"  # the same role rule as matching a product to the book (RMs, branch heads)

_RISK_ASKED = re.compile(r"[Rr]\s*([1-5])")


@dataclass(frozen=True)
class ClientProductsAnswer:
    lookup: ClientLookup
    situation: ClientSituation | None
    today: date
    risk_asked: str | None  # "R3" when the question named a product risk level


def risk_asked(text: str) -> str | None:
    match = _RISK_ASKED.search(text or "")
    return f"R{match.group(1)}" if match else None


def client_products_for(
    staff_id: str, said: str | None, text: str, today: date, focus_id: int | None = None, channel: str | None = None
) -> ClientProductsAnswer:
    with question(staff_id, CAPABILITY, channel) as q:
        lookup = find_client(q.session, q.staff, said, text, focus_id)
        found = lookup.found.customer_id if lookup.found else None
        q.shown_one(found)
        facts = situation(q.session, found, today) if found is not None else None
    return ClientProductsAnswer(lookup, facts, today, risk_asked(text))
