"""Rows written one at a time (stories, decoys, showcase) before they join the vectorised ones.

Customers are addressed by their position in the chunk (`i`), days by ordinal. Transactions
outside the history window (before it, or from today on) are dropped here, so story code can
describe a whole story and let the window cut it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from tools.demo.catalog import ACCRUES, CATALOG, TERM_DAYS, YIELD_BP
from tools.demo.context import BankContext
from tools.demo.texts import CH, PU

ACTIVE, MATURED, REDEEMED = 0, 1, 2
NO_DATE = -1


def round_to(fen: float, step_fen: int) -> int:
    return max(step_fen, int(round(fen / step_fen)) * step_fen)


def accrued(amount: int, pidx: int, days_held: int) -> int:
    """Value of a position after `days_held` days at the product's expected yield."""
    return int(round(amount * (1 + YIELD_BP[pidx] / 10_000 * max(days_held, 0) / 365)))


@dataclass
class ExtraRows:
    ctx: BankContext
    rnd: random.Random
    txns: list[tuple] = field(default_factory=list)
    holdings: list[tuple] = field(default_factory=list)
    contacts: list[tuple] = field(default_factory=list)
    complaints: list[tuple] = field(default_factory=list)
    truth: list[tuple] = field(default_factory=list)
    spikes: list[tuple] = field(default_factory=list)  # (i, first_day, last_day, fen): money parked for a while

    def txn(
        self,
        i: int,
        day: int,
        amount: int,
        direction: str,
        channel: str,
        purpose: str,
        other_bank: bool = False,
        cp: int = 0,
        minute: int | None = None,
    ) -> None:
        if not self.ctx.window_start <= day < self.ctx.t or amount <= 0:
            return
        if minute is None:
            minute = self.rnd.randint(9 * 60, 17 * 60)
        self.txns.append(
            (i, day, minute, int(amount), 0 if direction == "in" else 1, CH[channel], other_bank, cp, PU[purpose])
        )

    def holding(self, i: int, pidx: int, amount: int, value: int, buy: int, maturity: int, status: int) -> None:
        self.holdings.append((i, pidx, int(amount), int(value), buy, maturity, status))

    def term_position(
        self, i: int, pidx: int, amount: int, maturity: int, history: bool = True, status_if_past: int = MATURED
    ) -> int:
        """A fixed-term position maturing on `maturity`, plus the earlier terms it rolled over from
        (back to the start of the history). Returns its value counted in today's AUM (0 if no longer held)."""
        t = self.ctx.t
        term = int(TERM_DAYS[pidx])
        buy = maturity - term
        if maturity >= t:
            value = accrued(amount, pidx, t - buy) if ACCRUES[pidx] else amount
            self.holding(i, pidx, amount, value, buy, maturity, ACTIVE)
            held = value
        else:
            self.holding(i, pidx, amount, accrued(amount, pidx, term), buy, maturity, status_if_past)
            held = 0
        if history and CATALOG[pidx].term_days is not None:
            earlier, k = amount, 1
            while maturity - k * term >= self.ctx.window_start:
                earlier = round_to(earlier / (1 + YIELD_BP[pidx] / 10_000 * term / 365), 100 * 100)
                m = maturity - k * term
                self.holding(i, pidx, earlier, accrued(earlier, pidx, term), m - term, m, MATURED)
                k += 1
        return held

    def contact(
        self,
        i: int,
        day: int,
        channel: str,
        outcome: str,
        note: str,
        stated_purpose: str | None = None,
        next_contact: int = NO_DATE,
        announced_fen: int | None = None,
        announced_on: int = NO_DATE,
    ) -> None:
        if not self.ctx.window_start <= day < self.ctx.t:
            return
        minute = self.rnd.randint(9 * 60, 18 * 60)
        self.contacts.append(
            (i, day, minute, channel, outcome, stated_purpose, note, next_contact, announced_fen, announced_on)
        )

    def complaint(self, i: int, filed: int, category: str, resolved_on: int | None) -> None:
        if filed >= self.ctx.t:
            return
        if resolved_on is not None and resolved_on >= self.ctx.t:
            resolved_on = None
        self.complaints.append(
            (i, filed, category, resolved_on is not None, NO_DATE if resolved_on is None else resolved_on)
        )

    def story_truth(self, i: int, story: str, event: int, note: str) -> None:
        self.truth.append((i, story, event, note))

    def drop_before(self, opened) -> None:
        """Forget activity dated before the customer's account was opened (decoys of new clients)."""
        self.txns = [r for r in self.txns if r[1] >= opened[r[0]]]
        self.contacts = [r for r in self.contacts if r[1] >= opened[r[0]]]
        self.complaints = [r for r in self.complaints if r[1] >= opened[r[0]]]
