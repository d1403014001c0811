"""看一下王秀英的情况: one client's card, only for clients the asker may see, showing what the asker's role may see."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from bot.answers.client_aspects import AspectFacts, aspect_facts
from bot.answers.question import question
from bot.lookup import ClientLookup, find_client
from bot.nlu.client_aspects import CARD, asked_aspect
from bot.store.profile import CustomerProfile, customer_profile
from bot.store.scope import FULL_VIEW, ClientView, view_of
from scoring.model import ModelMismatchError, ModelNotFoundError
from scoring.service import RiskResult, risk_for_customers


@dataclass(frozen=True)
class ProfileAnswer:
    lookup: ClientLookup
    profile: CustomerProfile | None
    today: date
    view: ClientView = FULL_VIEW
    risk: RiskResult | None = None  # only when the view shows it
    asked: AspectFacts | None = None  # the aspect asked about ("李静下周有什么产品到期"): answered first


def profile(
    staff_id: str, said: str | None, text: str, today: date, focus_id: int | None = None, channel: str | None = None
) -> ProfileAnswer:
    aspect = asked_aspect(text) if text else None
    with question(staff_id, "customer_profile", channel) as q:
        view = view_of(q.staff)
        lookup = find_client(q.session, q.staff, said, text, focus_id)
        card = customer_profile(q.session, lookup.found.customer_id) if lookup.found else None
        risk = None
        asked = None
        if card is not None and aspect is not None and aspect != CARD:
            asked = aspect_facts(q.session, aspect, card.customer_id, text, today, view)
        if card is not None:
            card = restricted(card, view)
            if view.risk:
                try:
                    risk = risk_for_customers(q.session, [card.customer_id], today).get(card.customer_id)
                except (ModelNotFoundError, ModelMismatchError):
                    risk = None  # the card still says who the client is and whom to tell; "暂无评分"
        q.shown_one(lookup.found.customer_id if lookup.found else None)
    return ProfileAnswer(lookup, card, today, view, risk, asked)


def restricted(card: CustomerProfile, view: ClientView) -> CustomerProfile:
    """The card without what the view may not show: blanked here, so no reply can leak it by mistake."""
    if not view.holdings:
        card = replace(card, holdings=(), holdings_count=0, aum_fen=0, demand_deposit_fen=0)
    if not view.phone:
        card = replace(card, phone="")
    if not view.contact_history:
        card = replace(card, last_contact=None)
    return card
