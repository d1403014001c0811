"""临界客户有哪些 / 基金亏损超过15%的客户: a segment of the asker's book (RM) or branch (other staff)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot import tiers
from bot.answers.question import question
from bot.nlu.segment_request import SegmentRequest
from bot.pages import Page, page_of
from bot.store.scope import scope_of
from bot.store.segments import segment_all
from bot.store.situation import ClientSituation


@dataclass(frozen=True)
class SegmentQuery:
    """The segment plus an optional tier (贵宾客户里三个月没联系的); kept for '还有吗'."""

    segment: SegmentRequest
    tier: str | None = None  # for near_upgrade: the tier the clients are close to

    def to_dict(self) -> dict:
        return {**self.segment.to_dict(), "tier": self.tier}

    @classmethod
    def from_dict(cls, d: dict) -> SegmentQuery:
        return cls(SegmentRequest.from_dict(d), d.get("tier"))


@dataclass(frozen=True)
class SegmentAnswer:
    query: SegmentQuery
    page: Page[ClientSituation]
    scope: str  # book | branch
    today: date
    aum_total_fen: int = 0  # over the whole segment, not just the page: "总共多少钱"


def _tier_fits(s: ClientSituation, query: SegmentQuery) -> bool:
    if query.tier is None:
        return True
    if query.segment.kind == "near_upgrade":  # 快升金卡: the tier they are about to reach
        nxt = tiers.next_tier_floor(s.aum_fen)
        return nxt is not None and nxt[0] == query.tier
    return s.tier == query.tier


def segment_for(
    staff_id: str, query: SegmentQuery, today: date, offset: int = 0, channel: str | None = None
) -> SegmentAnswer:
    with question(staff_id, "query_segment", channel) as q:
        scope = scope_of(q.staff)
        members = segment_all(q.session, scope.rm_id, scope.branch_id, query.segment.filters, today)
        kept = [s for s in members if _tier_fits(s, query)]
        page = page_of(kept, offset)
        q.shown(s.customer_id for s in page.items)
    total = sum(s.aum_fen for s in kept)
    return SegmentAnswer(query, page, "book" if scope.is_book else "branch", today, total)
