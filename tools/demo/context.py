"""What every part of one generation run shares: today, the seed, the bank's shape, the calendar."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from tools.demo.bank import BankShape
from tools.demo.dates import month_end, quarter_ends, snapshot_months

HISTORY_DAYS = 365  # transactions and snapshots cover the 12 months before today
CHUNK_SIZE = 10_000  # customers per generation chunk; fixed so a seed always gives the same bank


@dataclass(frozen=True)
class BankContext:
    today: date
    seed: int
    customers: int
    shape: BankShape = field(init=False)
    months: tuple[date, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "shape", BankShape.for_customers(self.customers))
        object.__setattr__(self, "months", tuple(snapshot_months(self.today)))

    @property
    def t(self) -> int:
        """Today as an ordinal."""
        return self.today.toordinal()

    @property
    def window_start(self) -> int:
        return self.t - HISTORY_DAYS

    @property
    def far(self) -> int:
        """An ordinal that stands for 'never'."""
        return self.t + 100_000

    @property
    def snapshot_days(self) -> np.ndarray:
        """The day each monthly snapshot measures: month end for past months, today for this month."""
        ends = [month_end(m).toordinal() for m in self.months[:-1]] + [self.t]
        return np.array(ends, dtype=np.int64)

    @property
    def snapshot_firsts(self) -> np.ndarray:
        return np.array([m.toordinal() for m in self.months], dtype=np.int64)

    def story_quarter_ends(self) -> list[int]:
        """Quarter ends whose in-and-out window (a week either side) lies inside the history."""
        start = date.fromordinal(self.window_start + 8)
        end = self.today - timedelta(days=8)
        return [d.toordinal() for d in quarter_ends(start, end)]

    @property
    def chunks(self) -> int:
        return (self.customers + CHUNK_SIZE - 1) // CHUNK_SIZE

    def chunk_bounds(self, index: int) -> tuple[int, int]:
        """Customer ids [first, last] of chunk `index` (ids start at 1)."""
        first = index * CHUNK_SIZE + 1
        return first, min(self.customers, first + CHUNK_SIZE - 1)

    def chunk_rngs(self, index: int) -> tuple[np.random.Generator, random.Random]:
        """Vector and scalar random sources for one chunk, independent of every other chunk."""
        vector_seq, scalar_seq = np.random.SeedSequence([self.seed, 1, index]).spawn(2)
        return np.random.default_rng(vector_seq), random.Random(int(scalar_seq.generate_state(1, np.uint64)[0]))

    def staff_rng(self) -> np.random.Generator:
        return np.random.default_rng(np.random.SeedSequence([self.seed, 2]))
