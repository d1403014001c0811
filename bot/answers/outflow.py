"""最近有哪些大额资金流出: large outflows in the asker's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.answers.question import question
from bot.nlu.amounts import parse_amount
from bot.nlu.timerange import DateRange, parse_time_range
from bot.pages import Page, page_of
from bot.store.outflows import OutflowLine, large_outflows
from bot.tiers import LARGE_MOVEMENT_FEN, WAN

DEFAULT_DAYS = 30
VAGUE_PERIODS = ("最近", "近期", "最近一段时间", "这段时间")  # for money movements staff mean about a month
OTHER_BANK_MIN_FEN = 5 * WAN  # money leaving for another bank matters well below the ±20万 reporting line


@dataclass(frozen=True)
class OutflowRequest:
    """As asked, in raw spans: kept in the conversation so '还有吗' can rerun it."""

    time_span: str | None = None
    amount_span: str | None = None
    other_bank_only: bool = False

    def to_dict(self) -> dict:
        return {"time_span": self.time_span, "amount_span": self.amount_span, "other_bank_only": self.other_bank_only}

    @classmethod
    def from_dict(cls, d: dict) -> OutflowRequest:
        return cls(d.get("time_span"), d.get("amount_span"), bool(d.get("other_bank_only")))


@dataclass(frozen=True)
class OutflowAnswer:
    period: DateRange
    min_fen: int
    other_bank_only: bool
    page: Page[OutflowLine]


def outflows(
    staff_id: str, request: OutflowRequest, today: date, offset: int = 0, channel: str | None = None
) -> OutflowAnswer:
    time_span, amount_span = request.time_span, request.amount_span
    vague = not time_span or time_span.strip() in VAGUE_PERIODS
    period = None if vague or time_span is None else parse_time_range(time_span, today, "backward")
    period = period or DateRange(today - timedelta(days=DEFAULT_DAYS - 1), today, f"近{DEFAULT_DAYS}天")
    amount = parse_amount(amount_span) if amount_span else None
    default_min = OTHER_BANK_MIN_FEN if request.other_bank_only else LARGE_MOVEMENT_FEN
    min_fen = amount.min_fen if amount and amount.min_fen else default_min
    with question(staff_id, "query_outflow", channel) as q:
        lines = large_outflows(q.session, q.staff, period.start, period.end, min_fen, request.other_bank_only)
        page = page_of(lines, offset)
        q.shown(line.customer_id for line in page.items)
    return OutflowAnswer(period, min_fen, request.other_bank_only, page)
