"""Churn type per customer — 产品导向型 / 服务导向型 / 消费导向型 / 特殊导向型 (domain.md, seed 003) — with the
evidence that decided it.

Explicit evidence rules, not the model: each signal in the customer's facts gives points to one type; the type
with the most points (at least MIN_POINTS) wins, ties going to the earlier type in PRIORITY. What a client told
their RM (`contacts.stated_purpose`, logged through the assistant) weighs most: it is the one signal that says
*why* the money moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot import purposes
from scoring import reason_text as rt
from scoring.features import WAN

TYPES = ("product", "service", "consumption", "intermediary", "none")
PRIORITY = ("intermediary", "consumption", "product", "service")  # tie-break, most specific first
MIN_POINTS = 2
MAX_EVIDENCE = 3
SIGNIFICANT_FEN = 5 * WAN
MAJOR_TRANSFER_FEN = 50 * WAN
MAJOR_SHARE = 0.30
MINOR_SHARE = 0.10
MIN_TRANSFER_FEN = 1 * WAN
FUND_LOSS_SHARE = 0.10
QUARTER_END_DAYS = 10


@dataclass(frozen=True)
class ChurnType:
    code: str  # product | service | consumption | intermediary | none
    evidence: tuple[str, ...]


def decide_churn_type(facts: dict) -> ChurnType:
    points = {t: 0 for t in PRIORITY}
    evidence: dict[str, list[tuple[int, str]]] = {t: [] for t in PRIORITY}

    def add(kind: str, weight: int, text: str | None) -> None:
        if text:
            points[kind] += weight
            evidence[kind].append((weight, text))

    stated = facts.get("stated_purpose")
    stated_type = purposes.churn_type_for(stated)
    if stated_type is not None:
        add(stated_type, 3, rt.evidence_stated_purpose(facts))

    if facts.get("round_trip_fen"):
        add("intermediary", 3, rt.evidence_round_trip(facts, _near_quarter_end(facts.get("round_trip_in_on"))))

    if (facts.get("purchase_out_90d_fen") or 0) >= SIGNIFICANT_FEN:
        add("consumption", 2, rt.purchase({**facts, "stated_purpose": None}))

    # Transfers to other banks count by their share of the client's assets: routine ones are everywhere.
    out_other = facts.get("other_bank_out_90d_fen") or 0
    assets = max(facts.get("aum_90d_ago_fen") or 0, facts.get("aum_fen") or 0, 1)
    if out_other >= MAJOR_TRANSFER_FEN or (out_other >= SIGNIFICANT_FEN and out_other >= MAJOR_SHARE * assets):
        add("product", 2, rt.other_bank(facts, 90))
    elif out_other >= MINOR_SHARE * assets and out_other >= MIN_TRANSFER_FEN:
        add("product", 1, rt.other_bank(facts, 90))
    if (facts.get("maturing_30d_fen") or 0) >= SIGNIFICANT_FEN:
        add("product", 1, rt.maturing(facts))
    cost, value = facts.get("fund_cost_fen") or 0, facts.get("fund_value_fen") or 0
    if cost > 0 and value <= cost * (1 - FUND_LOSS_SHARE):
        add("product", 1, rt.fund_loss(facts))
    if facts.get("low_yield_insurance_fen"):
        add("product", 1, rt.low_yield_insurance(facts))

    if facts.get("open_complaints"):
        add("service", 2, rt.complaint(facts))
    days, every = facts.get("days_since_contact"), facts.get("contact_every_days")
    if every and (days is None or days > every):
        badly = days is None or days >= 2 * every
        add("service", 2 if badly else 1, rt.no_contact(facts))

    best = PRIORITY[0]
    for kind in PRIORITY[1:]:  # ties go to the earlier type
        if points[kind] > points[best]:
            best = kind
    if points[best] < MIN_POINTS:
        return ChurnType("none", ())
    ranked = sorted(evidence[best], key=lambda wt: -wt[0])
    return ChurnType(best, tuple(text for _w, text in ranked[:MAX_EVIDENCE]))


def _near_quarter_end(day: date | None) -> bool:
    """Within QUARTER_END_DAYS of a 3-31 / 6-30 / 9-30 / 12-31 reporting date."""
    if day is None:
        return False
    for year in (day.year - 1, day.year, day.year + 1):
        for month, dd in ((3, 31), (6, 30), (9, 30), (12, 31)):
            if abs((day - date(year, month, dd)).days) <= QUARTER_END_DAYS:
                return True
    return False
