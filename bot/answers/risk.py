"""谁最可能流失 / 王秀英为什么有流失风险: churn risk from the scorer, within the asker's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.answers.question import question
from bot.lookup import ClientLookup, find_client
from bot.pages import Page, page_of
from bot.store.scope import customer_ids_in_scope, names_of
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
    page: Page[RankedClient]  # total: how many the asker wanted ranked (top N, or everyone at risk)
    tier: str | None
    as_of: date


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
) -> RiskListAnswer:
    """The asker's clients ranked by risk; without a top N, the high- and medium-risk ones."""
    with question(staff_id, "query_churn_risk", channel) as q:
        ids = customer_ids_in_scope(q.session, q.staff, tier)
        risks = sorted(risk_for_customers(q.session, ids, today).values(), key=lambda r: (-r.score, r.customer_id))
        wanted = risks[: min(top_n, MAX_TOP)] if top_n else [r for r in risks if r.band != "low"][:MAX_TOP]
        shown = page_of(wanted, offset, page_size)
        names = names_of(q.session, [r.customer_id for r in shown.items])
        q.shown(r.customer_id for r in shown.items)
    ranked = tuple(RankedClient(names[r.customer_id][0], names[r.customer_id][1], r) for r in shown.items)
    return RiskListAnswer(Page(ranked, shown.offset, shown.total), tier, today)


def explain_risk(
    staff_id: str, said: str | None, text: str, today: date, focus_id: int | None = None, channel: str | None = None
) -> ExplainAnswer:
    with question(staff_id, "explain_risk", channel) as q:
        lookup = find_client(q.session, q.staff, said, text, focus_id)
        risk = None
        if lookup.found:
            risk = risk_for_customers(q.session, [lookup.found.customer_id], today).get(lookup.found.customer_id)
        q.shown_one(lookup.found.customer_id if lookup.found else None)
    return ExplainAnswer(lookup, risk)
