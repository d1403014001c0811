"""新发了一款R2的一年期理财，起点5万，哪些客户合适: clients of the asker's scope a new product suits, ranked.

A client fits when their risk rating is valid (done within a year) and covers the product's risk level
(C{n} for R{n} and below, bot/playbook/suitability.py), and money maturing in the next 30 days plus idle
demand deposits reach the minimum purchase. Intermediary-driven clients are left out (no special offers), and so are clients with an open complaint
(no product before it is resolved).
Ranked by money maturing soonest first, then by the money available; each line says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.answers.question import question
from bot.nlu.weekly import ProductOffer
from bot.pages import PAGE_SIZE, Page
from bot.playbook import signals as sig
from bot.playbook import suitability
from bot.store.scope import clients_in_scope
from bot.store.situation import ClientSituation, situations

CAPABILITY = "match_product"


@dataclass(frozen=True)
class ProductFit:
    customer_id: int
    name: str
    tier: str
    rating: str
    maturing_fen: int  # maturing in the next 30 days
    first_maturity: date | None
    maturing_product: str | None
    idle_fen: int  # demand deposits

    @property
    def available_fen(self) -> int:
        return self.maturing_fen + self.idle_fen


@dataclass(frozen=True)
class ProductMatchAnswer:
    offer: ProductOffer
    page: Page[ProductFit]


def fit_of(s: ClientSituation, offer: ProductOffer, today: date) -> ProductFit | None:
    if offer.risk is None or not suitability.suits(s, offer.risk, today):
        return None
    if sig.effective_churn_type(s) == "intermediary" or s.open_complaint is not None:
        return None  # no offers to a middleman's money, nor before a complaint is resolved
    maturing = [m for m in s.maturing if m.maturity_date >= today]
    fit = ProductFit(
        s.customer_id, s.name, s.tier, s.risk_rating or "",
        sum(m.amount_fen for m in maturing), maturing[0].maturity_date if maturing else None,
        maturing[0].product_name if maturing else None, s.demand_deposit_fen,
    )  # fmt: skip
    return fit if fit.available_fen > 0 and fit.available_fen >= offer.min_fen else None


def _rank(fit: ProductFit) -> tuple:
    return (fit.first_maturity is None, fit.first_maturity or date.max, -fit.available_fen, fit.customer_id)


def match_product(
    staff_id: str, offer: ProductOffer, today: date, offset: int = 0, channel: str | None = None
) -> ProductMatchAnswer:
    with question(staff_id, CAPABILITY, channel) as q:
        if offer.risk is None:
            return ProductMatchAnswer(offer, Page((), 0, 0))
        ids = [cid for cid, _name, _gender in clients_in_scope(q.session, q.staff)]
        fits = [f for s in situations(q.session, ids, today).values() if (f := fit_of(s, offer, today))]
        fits.sort(key=_rank)
        page = Page(tuple(fits[offset : offset + PAGE_SIZE]), offset, len(fits))
        q.shown(f.customer_id for f in page.items)
    return ProductMatchAnswer(offer, page)
