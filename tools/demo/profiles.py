"""Who the customers of one chunk are: demographics, money and the parameters of their year.

A `Profiles` object holds one numpy array per attribute. Sampling fills the demographics and the
pre-story asset level; `stories` then sets each customer's story and the shape of their asset
path (see `asset_path`), and the flows, holdings and snapshots are all derived from these arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.tiers import WAN
from tools.demo.context import BankContext
from tools.demo.identity import sample_id_numbers, sample_phones
from tools.demo.names import sample_names
from tools.demo.texts import EMPLOYERS, OCCUPATIONS, RETIRED

YUAN = 100
ADULT_DAYS = 18 * 366  # accounts are opened and products bought from the 18th birthday on

# Share of customers per AUM band (domain.md tiers) before the churn stories: < 5万, 5-20万, 20-50万,
# 50-200万, >= 200万. Churners end lower, so today's AUM lands near 55 / 25 / 12 / 6 / 2 per cent.
BAND_SHARES = np.array([0.49, 0.28, 0.135, 0.07, 0.025])
BAND_EDGES_FEN = np.array([50 * YUAN, 5 * WAN, 20 * WAN, 50 * WAN, 200 * WAN])
JUST_UNDER = {2: (45 * WAN, 50 * WAN, 0.20), 3: (180 * WAN, 200 * WAN, 0.10)}  # band: (low, high, share)


# Story codes (Profiles.story). demo_truth.story holds their names: yield, service, consumption,
# intermediary, and "none" for churners without a story (NOISE).
HEALTHY, YIELD, SERVICE, CONSUMPTION, INTERMEDIARY, NOISE = range(6)


@dataclass
class Profiles:
    ids: np.ndarray
    female: np.ndarray
    birth: np.ndarray
    name: np.ndarray
    phone: np.ndarray
    id_number: np.ndarray
    occupation: np.ndarray
    payroll: np.ndarray
    retired: np.ndarray
    has_children: np.ndarray
    risk: np.ndarray
    branch: np.ndarray
    rm: np.ndarray  # global RM index, -1 for none
    opened: np.ndarray
    level: np.ndarray  # AUM before any story, fen
    growth: np.ndarray  # annual drift of a healthy client's assets
    income: np.ndarray  # monthly salary or pension, fen
    pay_day: np.ndarray
    employer: np.ndarray
    spend: np.ndarray  # monthly card spending, fen
    n_spend: np.ndarray  # card-spending rows per month
    # Story and asset path (set by stories.assign; defaults describe a healthy client).
    story: np.ndarray
    decoy: np.ndarray
    event: np.ndarray
    path_start: np.ndarray  # S: assets start to leave
    path_mid: np.ndarray  # assets left at the event (fen)
    path_end: np.ndarray  # D: the outflow is complete
    path_post: np.ndarray  # assets after D (fen)
    closed: np.ndarray  # closing day, `far` if open
    salary_stop: np.ndarray
    contact_stop: np.ndarray
    handmade: np.ndarray  # showcase clients: holdings and events come from showcase.py
    # Filled in once holdings are known.
    demand: np.ndarray | None = None
    aum: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)


def _years_of(ordinals: np.ndarray) -> np.ndarray:
    epoch = 719163  # date(1970, 1, 1).toordinal()
    return (ordinals - epoch).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def sample_levels(rng: np.random.Generator, n: int) -> np.ndarray:
    """AUM in fen: the band shares of the brief, log-uniform inside a band, Pareto at the top."""
    band = np.searchsorted(np.cumsum(BAND_SHARES), rng.random(n), side="right").clip(0, 4)
    u = rng.random(n)
    low, high = BAND_EDGES_FEN[np.minimum(band, 3)], BAND_EDGES_FEN[np.minimum(band + 1, 4)]
    level = np.exp(np.log(low) + u * (np.log(high) - np.log(low)))
    top = band == 4
    level[top] = np.minimum(200 * WAN * (1 - u[top]) ** (-1 / 1.6), 5000 * WAN)
    for b, (lo, hi, share) in JUST_UNDER.items():
        pick = (band == b) & (rng.random(n) < share)
        level[pick] = rng.uniform(lo, hi - YUAN, pick.sum())
    return np.round(level).astype(np.int64)


def sample_profiles(ctx: BankContext, rng: np.random.Generator, first_id: int, n: int) -> Profiles:
    t = ctx.t
    ids = np.arange(first_id, first_id + n, dtype=np.int64)
    female = rng.random(n) < 0.53
    age_years = 22 + 63 * rng.beta(2.0, 2.4, n)
    birth = (t - age_years * 365.25).astype(np.int64)
    age = (t - birth) / 365.25
    birth_years = _years_of(birth)
    name = sample_names(rng, female, birth_years)

    occ_names = np.array([o for o, _, _ in OCCUPATIONS], dtype=object)
    occ_w = np.array([w for _, w, _ in OCCUPATIONS], dtype=np.float64)
    occ_payroll = np.array([p for _, _, p in OCCUPATIONS])
    occ = rng.choice(len(OCCUPATIONS), size=n, p=occ_w / occ_w.sum())
    retired = (age >= np.where(female, 55, 60)) & (rng.random(n) < 0.9)
    occupation = np.where(retired, RETIRED, occ_names[occ])
    payroll = ~retired & occ_payroll[occ] & (rng.random(n) < 0.65)

    child_p = np.select([age < 28, age < 35, age < 50], [0.15, 0.5, 0.85], 0.9)
    has_children = rng.random(n) < child_p
    young_risk = np.array([0.15, 0.35, 0.32, 0.12, 0.06])
    old_risk = np.array([0.30, 0.45, 0.20, 0.05, 0.0])
    risk = (
        np.where(
            age >= 60,
            np.searchsorted(np.cumsum(old_risk), rng.random(n), side="right"),
            np.searchsorted(np.cumsum(young_risk), rng.random(n), side="right"),
        ).clip(0, 4)
        + 1
    )

    shape = ctx.shape
    branch = rng.integers(0, shape.branches, n)
    rm = branch * shape.rms_per_branch + rng.integers(0, shape.rms_per_branch, n)
    rm[rng.random(n) < 0.03] = -1

    tenure_days = np.minimum(rng.exponential(6.0, n), 20.0) * 365.25
    opened = np.maximum(t - tenure_days.astype(np.int64), birth + ADULT_DAYS)

    level = sample_levels(rng, n)
    growth = np.clip(rng.normal(0.04, 0.12, n), -0.35, 0.5)
    wealth_factor = np.clip((level / (10 * WAN)) ** 0.15, 0.6, 2.5)
    salary = np.exp(rng.normal(np.log(8000), 0.45, n)) * wealth_factor
    pension = np.exp(rng.normal(np.log(4200), 0.3, n))
    other = np.exp(rng.normal(np.log(6000), 0.6, n)) * wealth_factor
    monthly = np.where(payroll, salary, np.where(retired, pension, other))
    income = np.round(monthly * YUAN).astype(np.int64)
    spend = np.round(monthly * rng.uniform(0.25, 0.7, n) * YUAN).astype(np.int64)
    n_spend = rng.choice(4, size=n, p=[0.08, 0.5, 0.32, 0.10])

    far = ctx.far
    full = lambda v: np.full(n, v, dtype=np.int64)  # noqa: E731
    return Profiles(
        ids=ids,
        female=female,
        birth=birth,
        name=name,
        phone=sample_phones(rng, n),
        id_number=sample_id_numbers(rng, birth, female),
        occupation=occupation,
        payroll=payroll,
        retired=retired,
        has_children=has_children,
        risk=risk.astype(np.int64),
        branch=branch,
        rm=rm,
        opened=opened,
        level=level,
        growth=growth,
        income=income,
        pay_day=rng.integers(5, 26, n),
        employer=rng.integers(0, len(EMPLOYERS), n),
        spend=spend,
        n_spend=n_spend,
        story=full(HEALTHY),
        decoy=full(0),
        event=full(far),
        path_start=full(far),
        path_mid=level.copy(),
        path_end=full(far),
        path_post=level.copy(),
        closed=full(far),
        salary_stop=full(far),
        contact_stop=full(far),
        handmade=np.zeros(n, dtype=bool),
    )


def asset_path(p: Profiles, days: np.ndarray, today: int) -> np.ndarray:
    """Assets (fen, float) of each customer on each day: rows are customers, columns are `days`.

    Piecewise linear: `level` until S, `path_mid` at the event E, `path_post` from D on; healthy
    clients drift with `growth` (the path passes through their current assets today); zero once
    the account is closed.
    """
    d = np.asarray(days, dtype=np.float64)[None, :]
    s, e, end = (x[:, None].astype(np.float64) for x in (p.path_start, p.event, p.path_end))
    lvl, mid, post = (x[:, None].astype(np.float64) for x in (p.level, p.path_mid, p.path_post))
    before = lvl + (mid - lvl) * np.clip((d - s) / np.maximum(e - s, 1), 0, 1)
    after = mid + (post - mid) * np.clip((d - e) / np.maximum(end - e, 1), 0, 1)
    value = np.where(d < e, before, after)
    value = value * np.exp(p.growth[:, None] * (d - today) / 365.0)
    return np.where(d >= p.closed[:, None], 0.0, value)
