"""本周哪些客户理财到期: maturing holdings in the asker's book."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.answers.question import question
from bot.nlu.amounts import parse_amount
from bot.nlu.timerange import DateRange, parse_time_range
from bot.store.maturing import MaturingFilter, MaturingPage, maturing_holdings

DEFAULT_DAYS = 7


@dataclass(frozen=True)
class MaturingRequest:
    """What was asked, as raw spans: kept in the conversation so '还有吗' and '那下周呢' can rerun it."""

    time_span: str | None = None
    product_types: tuple[str, ...] = ()
    amount_span: str | None = None

    def to_dict(self) -> dict:
        return {"time_span": self.time_span, "product_types": list(self.product_types), "amount_span": self.amount_span}

    @classmethod
    def from_dict(cls, d: dict) -> MaturingRequest:
        return cls(d.get("time_span"), tuple(d.get("product_types") or ()), d.get("amount_span"))


@dataclass(frozen=True)
class MaturingAnswer:
    period: DateRange
    request: MaturingRequest
    page: MaturingPage
    time_not_understood: bool = False
    amount_label: str | None = None


def period_for(span: str | None, today: date) -> tuple[DateRange, bool]:
    """The date range asked for, or the next seven days when none (or nothing parseable) was given."""
    if span:
        parsed = parse_time_range(span, today, "forward")
        if parsed is not None:
            return parsed, False
    default = DateRange(today, today + timedelta(days=DEFAULT_DAYS - 1), f"未来{DEFAULT_DAYS}天")
    return default, bool(span)


def maturing(
    staff_id: str, request: MaturingRequest, today: date, offset: int = 0, channel: str | None = None
) -> MaturingAnswer:
    period, not_understood = period_for(request.time_span, today)
    amount = parse_amount(request.amount_span) if request.amount_span else None
    filt = MaturingFilter(
        start=period.start,
        end=period.end,
        product_types=request.product_types,
        min_fen=amount.min_fen if amount else None,
        max_fen=amount.max_fen if amount else None,
    )
    with question(staff_id, "query_maturing", channel) as q:
        page = maturing_holdings(q.session, q.staff, filt, offset=offset)
        q.shown(sorted({i.customer_id for i in page.items}))
    return MaturingAnswer(period, request, page, not_understood, amount.label if amount else None)
