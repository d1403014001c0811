"""最近有哪些大额资金流出: large outflows in the asker's scope."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.answers import NotStaff
from bot.nlu.amounts import parse_amount
from bot.nlu.timerange import DateRange, parse_time_range
from bot.store.audit import record_lookups
from bot.store.db import session_scope
from bot.store.outflows import OutflowLine, large_outflows
from bot.store.staff_directory import staff_by_id
from bot.tiers import LARGE_MOVEMENT_FEN, WAN

DEFAULT_DAYS = 30
VAGUE_PERIODS = ("最近", "近期", "最近一段时间", "这段时间")  # for money movements staff mean about a month
OTHER_BANK_MIN_FEN = 5 * WAN  # money leaving for another bank matters well below the ±20万 reporting line


@dataclass(frozen=True)
class OutflowAnswer:
    period: DateRange
    min_fen: int
    other_bank_only: bool
    lines: tuple[OutflowLine, ...]


def outflows(
    staff_id: str,
    today: date,
    time_span: str | None = None,
    amount_span: str | None = None,
    other_bank_only: bool = False,
    channel: str | None = None,
) -> OutflowAnswer | NotStaff:
    vague = not time_span or time_span.strip() in VAGUE_PERIODS
    period = None if vague else parse_time_range(time_span, today, "backward")
    period = period or DateRange(today - timedelta(days=DEFAULT_DAYS - 1), today, f"近{DEFAULT_DAYS}天")
    amount = parse_amount(amount_span) if amount_span else None
    default_min = OTHER_BANK_MIN_FEN if other_bank_only else LARGE_MOVEMENT_FEN
    min_fen = amount.min_fen if amount and amount.min_fen else default_min
    with session_scope() as session:
        staff = staff_by_id(session, staff_id)
        if staff is None:
            return NotStaff(staff_id)
        lines = large_outflows(session, staff, period.start, period.end, min_fen, other_bank_only)
        record_lookups(session, staff.id, [l.customer_id for l in lines[:10]], "query_outflow", channel)
    return OutflowAnswer(period, min_fen, other_bank_only, tuple(lines))
