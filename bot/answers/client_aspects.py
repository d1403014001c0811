"""The facts behind a question about one aspect of one client ("李静下周有什么产品到期", "周敏这个月转出去多少"):
read for the client the lookup found, inside the door `bot/answers/profile.profile` opened, and only what the
asker's role may see (bot/store/scope.view_of)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from bot.nlu import client_aspects as aspects
from bot.nlu.timerange import DateRange, parse_time_range, time_range_spans
from bot.store.client_facts import MoneyOut, OpenComplaint, maturing_of, money_out_of, open_complaints_of
from bot.store.profile import HoldingLine
from bot.store.scope import ClientView

MATURING_DAYS = 90  # "李静什么时候有产品到期" with no period: the next three months
OUTFLOW_DAYS = 30  # "周敏转出去多少" with no period: the last thirty days


@dataclass(frozen=True)
class AspectFacts:
    aspect: str
    hidden: bool = False  # the asker's role may not see this aspect (counter: holdings, money, phone, contacts)
    period: DateRange | None = None
    maturing: tuple[HoldingLine, ...] = ()
    maturing_count: int = 0
    money_out: MoneyOut | None = None
    complaints: tuple[OpenComplaint, ...] = ()


def hidden_from(aspect: str, view: ClientView) -> bool:
    if aspect in (aspects.MATURING, aspects.OUTFLOW, aspects.RATING):
        return not view.holdings
    if aspect == aspects.PHONE:
        return not view.phone
    if aspect == aspects.LAST_CONTACT:
        return not view.contact_history
    return False


def period_in(text: str, today: date, direction: str) -> DateRange | None:
    """The first time expression of the text that parses, read forward (maturities) or backward (money out)."""
    for start, end in time_range_spans(text):
        parsed = parse_time_range(text[start:end], today, direction)
        if parsed is not None:
            return parsed
    return None


def aspect_facts(
    session: Session, aspect: str, customer_id: int, text: str, today: date, view: ClientView
) -> AspectFacts:
    if hidden_from(aspect, view):
        return AspectFacts(aspect, hidden=True)
    if aspect == aspects.MATURING:
        period = period_in(text, today, "forward") or DateRange(
            today, today + timedelta(days=MATURING_DAYS - 1), f"未来{MATURING_DAYS}天"
        )
        lines, count = maturing_of(session, customer_id, period.start, period.end)
        return AspectFacts(aspect, period=period, maturing=lines, maturing_count=count)
    if aspect == aspects.OUTFLOW:
        period = period_in(text, today, "backward") or DateRange(
            today - timedelta(days=OUTFLOW_DAYS - 1), today, f"近{OUTFLOW_DAYS}天"
        )
        return AspectFacts(
            aspect, period=period, money_out=money_out_of(session, customer_id, period.start, period.end)
        )
    if aspect == aspects.COMPLAINTS:
        return AspectFacts(aspect, complaints=open_complaints_of(session, customer_id))
    return AspectFacts(aspect)
