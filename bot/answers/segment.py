"""临界客户有哪些 / 基金亏损超过15%的客户: a segment of the asker's book (RM) or branch (other staff)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot import tiers
from bot.answers import NotStaff
from bot.nlu.segment_request import SegmentRequest
from bot.store.audit import record_lookups
from bot.store.db import session_scope
from bot.store.segments import segment
from bot.store.situation import ClientSituation
from bot.store.staff_directory import staff_by_id

PAGE_SIZE = 10


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
    total: int
    offset: int
    members: tuple[ClientSituation, ...]
    scope: str  # book | branch
    today: date

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.offset - len(self.members))


def _tier_fits(s: ClientSituation, query: SegmentQuery) -> bool:
    if query.tier is None:
        return True
    if query.segment.kind == "near_upgrade":  # 快升金卡: the tier they are about to reach
        nxt = tiers.next_tier_floor(s.aum_fen)
        return nxt is not None and nxt[0] == query.tier
    return s.tier == query.tier


def segment_for(
    staff_id: str, query: SegmentQuery, today: date, offset: int = 0, channel: str | None = None
) -> SegmentAnswer | NotStaff:
    with session_scope() as session:
        staff = staff_by_id(session, staff_id)
        if staff is None:
            return NotStaff(staff_id)
        if staff.role == "rm":
            rm_id, branch_id, scope = staff.id, None, "book"
        else:
            rm_id, branch_id, scope = None, staff.branch_id, "branch"
        members = segment(session, rm_id, branch_id, query.segment.kind, today, **query.segment.params)
        members = [s for s in members if _tier_fits(s, query)]
        page = tuple(members[offset : offset + PAGE_SIZE])
        record_lookups(session, staff.id, [s.customer_id for s in page], "query_segment", channel)
    return SegmentAnswer(query, len(members), offset, page, scope, today)
