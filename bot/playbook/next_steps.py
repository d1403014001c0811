"""What an RM should do next for one client: how hard to fight, when to call, what to do.

`next_steps(situation, today) -> NextSteps`. Actions come most urgent first; each has a due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot import formatting as fmt
from bot import labels, purposes, tiers
from bot.playbook import signals as sig
from bot.playbook import suitability
from bot.playbook.library import advice_library
from bot.playbook.priorities import priority_label, retention_priority
from bot.playbook.scripts import choose_occasion, complaint_label
from bot.store.situation import ClientSituation

# Actions that suggest a product: the steps then carry the suitability and disclosure notes.
MATURING_ACTIONS = frozenset({"call_on_maturity_day", "call_before_maturity"})
SELLING_ACTIONS = MATURING_ACTIONS | {"explain_yield_risk", "demand_only_offer", "upgrade_invite", "fund_review"}


@dataclass(frozen=True)
class Action:
    code: str
    text: str  # one short Chinese line
    due_on: date | None


@dataclass(frozen=True)
class NextSteps:
    customer_id: int
    priority: str  # fight_hard | try | opportunistic | do_not_chase
    priority_label: str
    churn_type: str  # effective: the scorer's, updated by the last stated purpose
    contact_due_on: date | None  # by the tier's frequency; None: no scheduled contact
    overdue_days: int  # 0 when not overdue
    actions: tuple[Action, ...]
    occasion: str  # the script occasion to use now (bot.playbook.scripts)
    purpose: str | None  # for the large_withdrawal occasion
    notes: tuple[str, ...] = ()  # suitability and disclosure, when an action suggests a product


def next_steps(situation: ClientSituation, today: date) -> NextSteps:
    s = situation
    words = advice_library()["actions"]
    priority = retention_priority(s)
    churn = sig.effective_churn_type(s)
    actions: list[Action] = []

    def add(code: str, due: date | None, /, **values: object) -> None:
        actions.append(Action(code, words[code].format(**values), due))

    if s.open_complaint is not None:
        add(
            "resolve_complaint",
            today,
            filed_on=fmt.day(s.open_complaint.filed_on),
            category=complaint_label(s.open_complaint.category) or labels.UNCATEGORISED,
        )
    moved = sig.large_movement(s)
    if moved is not None:
        code = "report_outflow" if moved.direction == "out" else "report_inflow"
        add(code, today, day=fmt.day(moved.day), amount=fmt.money(moved.amount_fen))

    if priority == "do_not_chase":
        add("no_special_terms" if churn == "intermediary" else "do_not_chase", None)
    else:
        for m in s.maturing:
            if m.maturity_date < today:
                continue
            values = dict(
                product=m.product_name,
                amount=fmt.money(m.amount_fen),
                product_type=labels.PRODUCT_TYPE.get(m.product_type, ""),
                maturity_date=fmt.day(m.maturity_date),
            )
            if m.maturity_date == today:
                add("call_on_maturity_day", today, **values)
            else:
                due = max(today, m.maturity_date - timedelta(days=1))
                add("call_before_maturity", due, due_on=fmt.day(due), **values)
        purpose = sig.stated_purpose(s)
        if churn == "consumption":
            if purpose in purposes.FINANCEABLE_PURPOSES:
                add("offer_financing", today, purpose=labels.PURPOSE[purpose])
            elif purpose == "business":
                add("business_cash_need", today)
            elif purpose == "medical":
                add("medical_care", today)
            else:
                add("ask_purpose", today)
        if churn == "product":
            add("explain_yield_risk", today)
        if s.outflow_30d_other_bank_fen > 0:
            add("other_bank_outflow", today, amount=fmt.money(s.outflow_30d_other_bank_fen))
        if churn == "service":
            add("raise_frequency", None)
        _contact_action(s, today, add)
        if sig.fund_loss_worth_review(s):
            add("fund_review", None, fund=s.fund_loss_product, loss=fmt.percent(s.fund_loss_pct))
        if s.low_yield_insurance:
            add("insurance_review", None, insurance=s.low_yield_insurance_product)
        if sig.near_upgrade(s):
            nxt = tiers.next_tier_floor(s.aum_fen)
            add("upgrade_invite", None, tier_next=labels.TIER[nxt[0]], gap=fmt.money(nxt[1] - s.aum_fen))
        if sig.demand_only(s):
            add("demand_only_offer", None, demand=fmt.money(s.demand_deposit_fen))

    due = s.contact_due_on
    overdue = max(0, (today - due).days) if due is not None and s.last_contact is not None else 0
    notes = _sale_notes(s, today, {a.code for a in actions})
    occasion, purpose = choose_occasion(s)
    return NextSteps(
        customer_id=s.customer_id,
        priority=priority,
        priority_label=priority_label(priority),
        churn_type=churn,
        contact_due_on=due,
        overdue_days=overdue,
        actions=tuple(actions),
        occasion=occasion,
        purpose=purpose,
        notes=notes,
    )


def _sale_notes(s: ClientSituation, today: date, codes: set[str]) -> tuple[str, ...]:
    """Suitability and disclosure when an action suggests a product; measured against the maturing holding."""
    if not codes & SELLING_ACTIONS:
        return ()
    upcoming = next((m for m in s.maturing if m.maturity_date >= today), None)
    if upcoming is None or not codes & MATURING_ACTIONS:
        return suitability.sale_notes(s, today)
    other_sales = bool(codes & (SELLING_ACTIONS - MATURING_ACTIONS))
    return suitability.sale_notes(
        s, today, product_type=None if other_sales else upcoming.product_type, product_risk=upcoming.risk_level,
        wealth=other_sales or upcoming.product_type in suitability.WEALTH_TYPES,
    )  # fmt: skip


def _contact_action(s: ClientSituation, today: date, add) -> None:
    band = tiers.band_for(s.aum_fen)
    if band.contact_every_days is None:
        return
    tier = labels.TIER.get(band.tier, "")
    if s.last_contact is None:
        add("contact_never", today, tier=tier, frequency=band.frequency_text)
        return
    due = s.contact_due_on
    if due < today:
        add("contact_overdue", today, tier=tier, frequency=band.frequency_text, days=(today - due).days)
    else:
        add("contact_due", due, due_on=fmt.day(due), frequency=band.frequency_text)
