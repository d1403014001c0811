"""谁最可能流失 / 王秀英为什么有流失风险: churn risk from the scorer, within the asker's scope."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.answers import NotStaff
from bot.lookup import ClientLookup, find_client
from bot.store.audit import record_lookups
from bot.store.db import session_scope
from bot.store.scope import customer_ids_in_scope, names_of
from bot.store.staff_directory import staff_by_id
from scoring.service import RiskResult, risk_for_customers

DEFAULT_TOP = 10
MAX_TOP = 50


@dataclass(frozen=True)
class RankedClient:
    name: str
    tier: str
    risk: RiskResult


@dataclass(frozen=True)
class RiskListAnswer:
    ranked: tuple[RankedClient, ...]  # the page shown
    offset: int
    total: int  # how many the asker wanted ranked (top N, or everyone at risk)
    tier: str | None
    as_of: date

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.offset - len(self.ranked))


@dataclass(frozen=True)
class ExplainAnswer:
    lookup: ClientLookup
    risk: RiskResult | None


def risk_list(
    staff_id: str,
    today: date,
    top_n: int | None = None,
    tier: str | None = None,
    offset: int = 0,
    page_size: int = 10,
    channel: str | None = None,
) -> RiskListAnswer | NotStaff:
    """The asker's clients ranked by risk; without a top N, the high- and medium-risk ones."""
    with session_scope() as session:
        staff = staff_by_id(session, staff_id)
        if staff is None:
            return NotStaff(staff_id)
        ids = customer_ids_in_scope(session, staff, tier)
        risks = sorted(risk_for_customers(session, ids, today).values(), key=lambda r: (-r.score, r.customer_id))
        wanted = risks[: min(top_n, MAX_TOP)] if top_n else [r for r in risks if r.band != "low"][:MAX_TOP]
        page = wanted[offset : offset + page_size]
        names = names_of(session, [r.customer_id for r in page])
        record_lookups(session, staff.id, [r.customer_id for r in page], "query_churn_risk", channel)
    ranked = tuple(RankedClient(names[r.customer_id][0], names[r.customer_id][1], r) for r in page)
    return RiskListAnswer(ranked, offset, len(wanted), tier, today)


def explain_risk(
    staff_id: str, said: str | None, text: str, today: date, focus_id: int | None = None, channel: str | None = None
) -> ExplainAnswer | NotStaff:
    with session_scope() as session:
        staff = staff_by_id(session, staff_id)
        if staff is None:
            return NotStaff(staff_id)
        lookup = find_client(session, staff, said, text, focus_id)
        risk = None
        if lookup.found:
            risk = risk_for_customers(session, [lookup.found.customer_id], today).get(lookup.found.customer_id)
        record_lookups(session, staff.id, [lookup.found.customer_id if lookup.found else None], "explain_risk", channel)
    return ExplainAnswer(lookup, risk)
