"""Everyday product positions, vectorised over a chunk.

Each customer gets 0-4 positions depending on assets (richer clients hold more), with part of
the money left on demand deposit. A fixed-term position matures on a day spread evenly over its
term from today, so maturities fall on every day of the coming months; its earlier terms within
the history window appear as matured holdings (the client rolled over). Funds have no maturity
and carry a gain or a loss. Every chunk plants maturities on any of the next 90 days it lacks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.tiers import WAN
from tools.demo.catalog import ACCRUES, IS_FUND, MIN_FEN, RISK, TERM_DAYS, YIELD_BP, pick_products
from tools.demo.context import BankContext
from tools.demo.extra_rows import ACTIVE, MATURED, NO_DATE

YUAN = 100
COVERAGE_DAYS = 90
# Positions per customer by assets: (upper bound of band in fen, probabilities of 0..4 positions)
POSITION_MIX = (
    (1 * WAN, (0.90, 0.10, 0, 0, 0)),
    (5 * WAN, (0.45, 0.55, 0, 0, 0)),
    (20 * WAN, (0.05, 0.60, 0.35, 0, 0)),
    (50 * WAN, (0, 0.30, 0.45, 0.25, 0)),
    (200 * WAN, (0, 0, 0.30, 0.40, 0.30)),
    (np.inf, (0, 0, 0, 0.40, 0.60)),
)
FUND_RETURN = {3: (0.03, 0.10), 4: (0.02, 0.17), 5: (0.0, 0.25)}  # risk level: (mean, sd)


@dataclass
class HoldingColumns:
    cust: np.ndarray  # position in chunk
    product: np.ndarray  # catalogue index
    amount: np.ndarray
    value: np.ndarray
    buy: np.ndarray
    maturity: np.ndarray  # NO_DATE for funds
    status: np.ndarray
    held_now: np.ndarray  # per customer: value of active positions (fen)


def _positions_per_customer(rng, assets, old_age):
    counts = np.zeros(len(assets), dtype=np.int64)
    u = rng.random(len(assets))
    lower = 0
    for upper, probs in POSITION_MIX:
        band = (assets >= lower) & (assets < upper)
        counts[band] = np.searchsorted(np.cumsum(probs), u[band], side="right").clip(0, 4)
        lower = upper
    counts[old_age & (rng.random(len(assets)) < 0.2)] = 0  # older clients who keep only deposits
    return counts


def _spread_maturities(rng, term, earliest):
    """Days from today to each position's maturity (at least `earliest`), covering each of the next 90 days."""
    offset = np.maximum((rng.random(len(term)) * np.maximum(term, 1)).astype(np.int64), earliest)
    fixed = term > 0
    covered = np.zeros(COVERAGE_DAYS, dtype=bool)
    near = fixed & (offset < COVERAGE_DAYS)
    covered[offset[near]] = True
    missing = np.flatnonzero(~covered)
    movable = np.flatnonzero(fixed & (offset >= COVERAGE_DAYS) & (term > COVERAGE_DAYS) & (earliest <= 0))
    movable = rng.permutation(movable)[: len(missing)]
    offset[movable] = missing[: len(movable)]
    return offset


def everyday_holdings(
    ctx: BankContext,
    rng: np.random.Generator,
    target: np.ndarray,
    risk: np.ndarray,
    old_age: np.ndarray,
    adult: np.ndarray,
    opened: np.ndarray,
    eligible: np.ndarray,
) -> HoldingColumns:
    """Positions worth about (1 - demand share) of `target` fen per eligible customer.

    `adult`: the day each customer turned 18; nothing is bought before it.
    """
    t, n = ctx.t, len(target)
    counts = _positions_per_customer(rng, target, old_age)
    counts[~eligible | (target <= 0)] = 0
    owner = np.repeat(np.arange(n), counts)
    invested = target * (1 - rng.uniform(0.08, 0.45, n))
    share = rng.gamma(1.5, 1.0, len(owner))
    share = share / np.bincount(owner, weights=share, minlength=n)[owner]
    amount = invested[owner] * share
    product = pick_products(rng, amount, risk[owner])
    step = np.where(amount >= 1 * WAN, 1000 * YUAN, 100 * YUAN)
    amount = np.maximum(np.round(amount / step) * step, MIN_FEN[product]).astype(np.int64)

    term = TERM_DAYS[product]
    maturity = t + _spread_maturities(rng, term, np.where(term > 0, adult[owner] - t + term, 0))
    buy = np.where(term > 0, maturity - term, np.maximum(t - rng.integers(30, 1500, len(owner)), adult[owner]))
    maturity = np.where(term > 0, maturity, NO_DATE)
    held_days = t - buy
    value = np.where(ACCRUES[product], amount * (1 + YIELD_BP[product] / 10_000 * held_days / 365), amount)
    fund = IS_FUND[product]
    if fund.any():
        mean = np.array([FUND_RETURN.get(r, (0.02, 0.1))[0] for r in RISK[product[fund]]])
        sd = np.array([FUND_RETURN.get(r, (0.02, 0.1))[1] for r in RISK[product[fund]]])
        value[fund] = amount[fund] * (1 + np.clip(rng.normal(mean, sd), -0.6, 1.0))
    value = np.round(value).astype(np.int64)
    held_now = np.bincount(owner, weights=value, minlength=n).astype(np.int64)

    # Earlier terms of the same position that matured within the history window.
    rolls = np.where(term > 0, (maturity - ctx.window_start) // np.maximum(term, 1), 0).clip(0, 12)
    src = np.repeat(np.arange(len(owner)), rolls)
    k = np.arange(len(src)) - np.repeat(np.cumsum(rolls) - rolls, rolls) + 1
    past_maturity = maturity[src] - k * term[src]
    past_buy = past_maturity - term[src]
    keep = past_buy >= opened[owner[src]]
    src, k, past_maturity, past_buy = src[keep], k[keep], past_maturity[keep], past_buy[keep]
    growth = 1 + YIELD_BP[product[src]] / 10_000 * term[src] / 365
    past_amount = (np.round(amount[src] / growth**k / (100 * YUAN)) * 100 * YUAN).astype(np.int64)
    past_value = np.round(past_amount * growth).astype(np.int64)

    return HoldingColumns(
        cust=np.concatenate([owner, owner[src]]),
        product=np.concatenate([product, product[src]]),
        amount=np.concatenate([amount, past_amount]),
        value=np.concatenate([value, past_value]),
        buy=np.concatenate([buy, past_buy]),
        maturity=np.concatenate([maturity, past_maturity]),
        status=np.concatenate([np.full(len(owner), ACTIVE), np.full(len(src), MATURED)]),
        held_now=held_now,
    )
