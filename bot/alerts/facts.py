"""What a push is about, as plain facts: detectors and the briefing make these, bot.replies.alerts words them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Client:
    customer_id: int
    name: str
    tier: str  # private | vip | gold | basic
    aum_fen: int
    rm_id: str | None
    branch_id: int


@dataclass(frozen=True)
class LargeMovement:
    """The sum of one direction's transactions on one day reached ±20万, for a client of 50万 and more."""

    client: Client
    day: date
    direction: str  # in | out
    amount_fen: int
    other_bank_fen: int  # of an outflow, how much went to other banks


@dataclass(frozen=True)
class OtherBankTransfer:
    client: Client
    day: date
    amount_fen: int
    counterparty: str | None  # the bank named on the largest transfer


@dataclass(frozen=True)
class SalaryStopped:
    client: Client
    last_salary_on: date
    usual_fen: int  # the typical credit
    days_since: int


@dataclass(frozen=True)
class RiskRise:
    client: Client
    as_of: date
    score: float
    previous_score: float
    reason: str | None  # the scorer's first reason


@dataclass(frozen=True)
class Named:
    """A client a briefing names (by name; the id lets a reply in the chat point at them)."""

    customer_id: int
    name: str


@dataclass(frozen=True)
class Maturity:
    customer_id: int
    name: str
    product: str
    amount_fen: int
    on: date


@dataclass(frozen=True)
class NewHighRisk:
    customer_id: int
    name: str
    reason: str | None


@dataclass(frozen=True)
class Overdue:
    customer_id: int
    name: str
    tier: str  # the AUM band's tier (bot.tiers), as the daily plan counts it
    days_since_contact: int | None  # None: never contacted


@dataclass(frozen=True)
class RmBriefing:
    """One RM's morning: each list ranked as the daily plan ranks its clients."""

    staff_id: str
    staff_name: str
    day: date
    maturities: tuple[Maturity, ...] = ()  # today and tomorrow
    new_high_risk: tuple[NewHighRisk, ...] = ()  # became high since yesterday
    overdue: tuple[Overdue, ...] = ()
    overdue_by_tier: dict[str, int] = field(default_factory=dict)
    callbacks: tuple[Named, ...] = ()  # clients promised a call back today
    birthdays: tuple[Named, ...] = ()  # birthday today

    @property
    def empty(self) -> bool:
        return not (self.maturities or self.new_high_risk or self.overdue or self.callbacks or self.birthdays)


@dataclass(frozen=True)
class BranchBriefing:
    staff_id: str  # the branch head
    staff_name: str
    branch_name: str
    day: date
    rms: tuple[RmBriefing, ...]  # RMs of the branch with something to do, in staff-id order

    @property
    def empty(self) -> bool:
        return not self.rms
