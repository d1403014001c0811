"""Client segments staff ask for (domain.md, seed 001), always inside the asker's own book.

`segment(session, rm_id, branch_id, kind, today, **params)` narrows the book in SQL where that is
cheap, then applies the same rule to each `ClientSituation`, so a segment and the playbook never
disagree about who is, say, a fund-loss client. Results are ordered most relevant first.

`segment_all(session, rm_id, branch_id, [(kind, params), ...], today)` is the conjunction: every
filter's SQL narrowing in one query, every filter's rule on each client, ordered by the first filter
("六十五岁以上、资产超过80万的" → aged(65) ∧ min_aum(80万), oldest first).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from bot import tiers
from bot.store.models import Customer, Holding, Product
from bot.store.situation import ClientSituation, situations

DEMAND_ONLY_MIN_AUM_FEN = 5 * tiers.WAN

# kind -> the parameters it accepts, with defaults.
SEGMENT_KINDS: dict[str, dict[str, object]] = {
    "near_upgrade": {"within": 0.10},
    "fund_loss": {"min_loss_pct": 10.0},
    "aged": {"min_age": 60},
    "no_contact": {"days": None},  # None: overdue by the tier's contact frequency
    "demand_only": {"min_aum_fen": DEMAND_ONLY_MIN_AUM_FEN},
    "low_yield_insurance": {},
    "with_children": {},
    "min_aum": {"min_aum_fen": 0},  # 资产超过80万
    "min_demand": {"min_demand_fen": 0},  # 活期超过20万
    "no_holdings": {},  # 没有任何理财: nothing but deposits on demand
}

Filter = tuple[str, dict[str, object]]


def segment(
    session: Session,
    rm_id: str | None,
    branch_id: int | None,
    kind: str,
    today: date,
    **params: object,
) -> list[ClientSituation]:
    """Clients of the RM `rm_id` (or, for a branch head, of branch `branch_id`) in segment `kind`.

    Pass the asker's own scope: an RM's id for an RM (branch_id may narrow further, never widen),
    only `branch_id` for a branch head. With neither, nothing is returned rather than the whole bank.
    """
    return segment_all(session, rm_id, branch_id, [(kind, params)], today)


def segment_all(
    session: Session, rm_id: str | None, branch_id: int | None, filters: list[Filter], today: date
) -> list[ClientSituation]:
    """Clients in every one of `filters` (same scope rule as `segment`), ordered by the first filter."""
    if not filters:
        raise ValueError("a segment needs at least one filter")
    resolved = [(kind, _params(kind, params)) for kind, params in filters]
    if rm_id is None and branch_id is None:
        raise ValueError("a segment must be scoped to an RM's book or a branch")

    query = select(Customer.id).where(or_(Customer.closed_on.is_(None), Customer.closed_on > today))
    if rm_id is not None:
        query = query.where(Customer.rm_id == rm_id)
    if branch_id is not None:
        query = query.where(Customer.branch_id == branch_id)
    for kind, p in resolved:
        query = _PREFILTERS[kind](query, today, p)
    ids = session.execute(query).scalars().all()
    facts = situations(session, ids, today)
    rules = [_RULES[kind](p) for kind, p in resolved]
    order = rules[0][1]
    members = [s for s in facts.values() if all(keep(s) for keep, _ in rules)]
    members.sort(key=lambda s: (*order(s), s.customer_id))
    return members


def _params(kind: str, params: dict[str, object]) -> dict[str, object]:
    if kind not in SEGMENT_KINDS:
        raise ValueError(f"unknown segment kind {kind!r}; known: {', '.join(SEGMENT_KINDS)}")
    unknown = set(params) - set(SEGMENT_KINDS[kind])
    if unknown:
        raise TypeError(f"segment {kind!r} takes no parameter(s) {', '.join(sorted(unknown))}")
    return {**SEGMENT_KINDS[kind], **params}


def is_fund_loss(s: ClientSituation, min_loss_pct: float = 10.0) -> bool:
    return s.fund_loss_pct is not None and s.fund_loss_pct >= min_loss_pct


def is_demand_only(s: ClientSituation, min_aum_fen: int = DEMAND_ONLY_MIN_AUM_FEN) -> bool:
    return s.active_holding_count == 0 and s.demand_deposit_fen > 0 and s.aum_fen >= min_aum_fen


def is_near_upgrade(s: ClientSituation, within: float = 0.10) -> bool:
    return tiers.is_near_upgrade(s.aum_fen, within)


def is_without_contact(s: ClientSituation, days: int | None = None) -> bool:
    if days is None:
        return s.contact_overdue
    return s.days_since_contact is None or s.days_since_contact >= days


# --- SQL narrowing (cheap, deliberately a superset of the rule below) ---------------------------


def _near_upgrade_sql(query, today, p):
    within = float(p["within"])
    bands = [
        Customer.aum_fen.between(int(floor * (1 - within)), floor - 1)
        for floor in sorted(set(tiers.TIER_FLOORS_FEN.values()))
        if floor > 0
    ]
    return query.where(or_(*bands))


def _fund_loss_sql(query, today, p):
    return query.where(
        exists()
        .where(Holding.customer_id == Customer.id, Holding.status == "active")
        .where(Holding.product_id == Product.id, Product.type == "fund")
        .where(Holding.current_value_fen < Holding.amount_fen)
    )


def _aged_sql(query, today, p):
    min_age = int(p["min_age"])
    try:
        latest_birth = today.replace(year=today.year - min_age)
    except ValueError:  # 29 February
        latest_birth = today.replace(year=today.year - min_age, day=28)
    return query.where(Customer.birth_date <= latest_birth)


def _demand_only_sql(query, today, p):
    return query.where(
        Customer.aum_fen >= int(p["min_aum_fen"]),
        Customer.demand_deposit_fen > 0,
        ~exists().where(Holding.customer_id == Customer.id, Holding.status == "active"),
    )


def _low_yield_sql(query, today, p):
    return query.where(
        exists()
        .where(Holding.customer_id == Customer.id, Holding.status == "active")
        .where(Holding.product_id == Product.id, Product.type == "insurance")
    )


def _children_sql(query, today, p):
    return query.where(Customer.has_children.is_(True))


_PREFILTERS: dict[str, Callable] = {
    "near_upgrade": _near_upgrade_sql,
    "fund_loss": _fund_loss_sql,
    "aged": _aged_sql,
    "no_contact": lambda query, today, p: query,
    "demand_only": _demand_only_sql,
    "low_yield_insurance": _low_yield_sql,
    "with_children": _children_sql,
    "min_aum": lambda query, today, p: query.where(Customer.aum_fen >= int(p["min_aum_fen"])),
    "min_demand": lambda query, today, p: query.where(Customer.demand_deposit_fen >= int(p["min_demand_fen"])),
    "no_holdings": lambda query, today, p: query.where(
        ~exists().where(Holding.customer_id == Customer.id, Holding.status == "active")
    ),
}


# --- the rule and the order, per kind ----------------------------------------------------------


def _gap_to_next_tier(s: ClientSituation) -> int:
    nxt = tiers.next_tier_floor(s.aum_fen)
    return nxt[1] - s.aum_fen if nxt else 0


def _rules_near_upgrade(p):
    return (lambda s: is_near_upgrade(s, float(p["within"]))), (lambda s: (_gap_to_next_tier(s),))


def _rules_fund_loss(p):
    return (lambda s: is_fund_loss(s, float(p["min_loss_pct"]))), (lambda s: (-(s.fund_loss_pct or 0.0),))


def _rules_aged(p):
    return (lambda s: s.age >= int(p["min_age"])), (lambda s: (-s.age,))


def _rules_no_contact(p):
    days = p["days"]

    def order(s: ClientSituation):
        never = s.days_since_contact is None
        return (tiers.TIER_RANK.get(s.tier, 9), 0 if never else 1, -(s.days_since_contact or 0))

    return (lambda s: is_without_contact(s, None if days is None else int(days))), order


def _rules_demand_only(p):
    return (lambda s: is_demand_only(s, int(p["min_aum_fen"]))), (lambda s: (-s.demand_deposit_fen,))


def _rules_low_yield(p):
    return (lambda s: s.low_yield_insurance), (lambda s: (-s.aum_fen,))


def _rules_children(p):
    return (lambda s: s.has_children), (lambda s: (-s.aum_fen,))


_RULES: dict[str, Callable] = {
    "near_upgrade": _rules_near_upgrade,
    "fund_loss": _rules_fund_loss,
    "aged": _rules_aged,
    "no_contact": _rules_no_contact,
    "demand_only": _rules_demand_only,
    "low_yield_insurance": _rules_low_yield,
    "with_children": _rules_children,
    "min_aum": lambda p: ((lambda s: s.aum_fen >= int(p["min_aum_fen"])), (lambda s: (-s.aum_fen,))),
    "min_demand": lambda p: (
        (lambda s: s.demand_deposit_fen >= int(p["min_demand_fen"])),
        (lambda s: (-s.demand_deposit_fen,)),
    ),
    "no_holdings": lambda p: ((lambda s: s.active_holding_count == 0), (lambda s: (-s.aum_fen,))),
}
