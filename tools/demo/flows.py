"""Everyday activity of a chunk, vectorised: transactions, RM contacts, complaints, monthly AUM.

Volume is bounded per customer (about 30 transaction rows a year): salary or pension once a
month, card spending aggregated to 0-3 rows a month, a few transfers to and from other banks,
business receipts for the self-employed, the odd cash withdrawal.
"""

from __future__ import annotations

import numpy as np

from bot.tiers import BANDS
from tools.demo.context import BankContext
from tools.demo.dates import add_months
from tools.demo.extra_rows import NO_DATE
from tools.demo.profiles import YUAN, Profiles, asset_path
from tools.demo.texts import (
    CH,
    COMPLAINT_CATEGORIES,
    COMPLAINT_WEIGHTS,
    CONTACT_CHANNELS,
    OTHER_BANKS,
    OUTCOME_WEIGHTS,
    OUTCOMES,
    PU,
    ROUTINE_NOTE_CHOICES,
    bank_cp,
    employer_cp,
    merchant_cp,
    special_cp,
)

TXN_FIELDS = ("cust", "day", "minute", "amount", "direction", "channel", "other_bank", "cp", "purpose")


def _txn(cust, day, minute, amount, direction, channel, other_bank, cp, purpose) -> dict[str, np.ndarray]:
    m = len(cust)
    full = lambda v: np.broadcast_to(np.asarray(v), (m,)).astype(np.int64)  # noqa: E731
    return {
        "cust": np.asarray(cust, dtype=np.int64),
        "day": np.asarray(day, dtype=np.int64),
        "minute": np.asarray(minute, dtype=np.int64),
        "amount": np.asarray(amount, dtype=np.int64),
        "direction": full(direction),
        "channel": full(channel),
        "other_bank": full(other_bank).astype(bool),
        "cp": full(cp),
        "purpose": full(purpose),
    }


def concat_txns(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {f: np.concatenate([part[f] for part in parts]) for f in TXN_FIELDS}


def _active_until(ctx: BankContext, p: Profiles) -> np.ndarray:
    return np.minimum(p.closed, ctx.t)


def everyday_transactions(ctx: BankContext, rng: np.random.Generator, p: Profiles) -> dict[str, np.ndarray]:
    n, t, ws = len(p), ctx.t, ctx.window_start
    firsts = ctx.snapshot_firsts
    lengths = np.diff(np.append(firsts, add_months(ctx.months[-1], 1).toordinal()))
    until = _active_until(ctx, p)
    start = np.maximum(p.opened, ws)
    parts = []

    def alive(cust, day):
        return (day >= start[cust]) & (day < until[cust]) & (day >= ws) & (day < t)

    # Salary through this bank's payroll service, and pensions.
    for who, day_of_month, purpose, cp in (
        (p.payroll, p.pay_day, "salary", employer_cp(p.employer)),
        (p.retired, np.full(n, 15), "pension", np.full(n, special_cp("pension"))),
    ):
        cust = np.repeat(np.flatnonzero(who), len(firsts))
        month = np.tile(np.arange(len(firsts)), int(who.sum()))
        day = firsts[month] + day_of_month[cust] - 1
        keep = alive(cust, day) & (day < p.salary_stop[cust])
        cust, day, month = cust[keep], day[keep], month[keep]
        amount = p.income[cust] * (1 + rng.normal(0, 0.03, len(cust)) * (purpose == "salary"))
        december = np.array([ctx.months[m].month == 12 for m in range(len(firsts))])[month]
        bonus = december & (purpose == "salary") & (rng.random(len(cust)) < 0.5)
        amount = amount + bonus * p.income[cust] * rng.uniform(0.5, 2.0, len(cust))
        parts.append(
            _txn(
                cust,
                day,
                rng.integers(9 * 60, 10 * 60, len(cust)),
                np.round(amount),
                0,
                CH["payroll"],
                False,
                cp[cust],
                PU[purpose],
            )
        )

    # Card spending, aggregated to a few rows a month.
    slots = 3
    cust = np.repeat(np.arange(n), len(firsts) * slots)
    month = np.tile(np.repeat(np.arange(len(firsts)), slots), n)
    slot = np.tile(np.arange(slots), n * len(firsts))
    keep = slot < p.n_spend[cust]
    cust, month = cust[keep], month[keep]
    day = firsts[month] + (rng.random(len(cust)) * lengths[month]).astype(np.int64)
    keep = alive(cust, day)
    cust, day = cust[keep], day[keep]
    amount = p.spend[cust] / np.maximum(p.n_spend[cust], 1) * rng.lognormal(0, 0.35, len(cust))
    channel = np.where(rng.random(len(cust)) < 0.55, CH["pos"], CH["online"])
    parts.append(
        _txn(
            cust,
            day,
            rng.integers(8 * 60, 22 * 60, len(cust)),
            np.maximum(np.round(amount), YUAN),
            1,
            channel,
            False,
            merchant_cp(rng.integers(0, 8, len(cust))),
            PU["spending"],
        )
    )

    # Transfers to and from other banks.
    for direction, rate in ((1, 1.2), (0, 0.8)):
        count = rng.poisson(rate, n)
        cust = np.repeat(np.arange(n), count)
        day = ws + rng.integers(0, 365, len(cust))
        keep = alive(cust, day)
        cust, day = cust[keep], day[keep]
        share = rng.lognormal(np.log(0.04), 0.7, len(cust))
        amount = np.clip(p.level[cust] * np.minimum(share, 0.3), 200 * YUAN, None)
        amount = np.round(amount / (100 * YUAN)) * 100 * YUAN
        channel = np.array([CH["mobile"], CH["online"], CH["counter"]])[rng.choice(3, len(cust), p=[0.7, 0.2, 0.1])]
        parts.append(
            _txn(
                cust,
                day,
                rng.integers(8 * 60, 21 * 60, len(cust)),
                amount,
                direction,
                channel,
                True,
                bank_cp(rng.integers(0, len(OTHER_BANKS), len(cust))),
                PU["transfer"],
            )
        )

    # Receipts of the self-employed.
    self_employed = ~p.payroll & ~p.retired
    count = np.where(self_employed, rng.poisson(6, n), 0)
    cust = np.repeat(np.arange(n), count)
    day = ws + rng.integers(0, 365, len(cust))
    keep = alive(cust, day)
    cust, day = cust[keep], day[keep]
    from_other = rng.random(len(cust)) < 0.5
    cp = np.where(from_other, bank_cp(rng.integers(0, len(OTHER_BANKS), len(cust))), special_cp("own_bank"))
    amount = np.round(p.income[cust] * rng.uniform(0.5, 2.0, len(cust)) / YUAN) * YUAN
    parts.append(
        _txn(
            cust, day, rng.integers(8 * 60, 21 * 60, len(cust)), amount, 0, CH["mobile"], from_other, cp, PU["transfer"]
        )
    )

    # Cash at the ATM.
    cust = np.repeat(np.arange(n), rng.poisson(1.0, n))
    day = ws + rng.integers(0, 365, len(cust))
    keep = alive(cust, day)
    cust, day = cust[keep], day[keep]
    parts.append(
        _txn(
            cust,
            day,
            rng.integers(7 * 60, 22 * 60, len(cust)),
            rng.integers(5, 31, len(cust)) * 100 * YUAN,
            1,
            CH["atm"],
            False,
            special_cp("cash"),
            PU["cash"],
        )
    )
    return concat_txns(parts)


def contact_interval(ctx: BankContext, rng: np.random.Generator, assets: np.ndarray) -> np.ndarray:
    """Days between an RM's routine contacts; 0 for clients nobody calls. Follows bot.tiers bands."""
    n = len(assets)
    every = np.zeros(n)
    lower = np.inf
    for band in BANDS:  # highest first
        inside = (assets >= band.floor_fen) & (assets < lower)
        if band.contact_every_days is not None:
            every[inside] = band.contact_every_days * rng.uniform(0.8, 1.5, inside.sum())
        else:
            called = inside & (rng.random(n) < 0.45)
            every[called] = rng.uniform(120, 400, called.sum())
        lower = band.floor_fen
    return np.round(every).astype(np.int64)


CHANNEL_MIX = {  # by band floor (fen): weights over CONTACT_CHANNELS (phone, wechat, sms, meeting, visit)
    "high": np.array([0.35, 0.30, 0.05, 0.20, 0.10]),
    "gold": np.array([0.45, 0.35, 0.10, 0.10, 0.0]),
    "basic": np.array([0.50, 0.25, 0.25, 0.0, 0.0]),
}


def routine_contacts(ctx: BankContext, rng: np.random.Generator, p: Profiles, assets: np.ndarray) -> dict:
    n, t = len(p), ctx.t
    every = contact_interval(ctx, rng, assets)
    every[p.rm < 0] = 0
    start = np.maximum(p.opened, ctx.window_start)
    last = t - 1 - (rng.random(n) * every).astype(np.int64)
    count = np.where(every > 0, np.clip((last - start) // np.maximum(every, 1) + 1, 0, 60), 0)
    cust = np.repeat(np.arange(n), count)
    k = np.arange(len(cust)) - np.repeat(np.cumsum(count) - count, count)
    day = last[cust] - k * every[cust] + rng.integers(-2, 3, len(cust))
    day = np.clip(day, start[cust], t - 1)
    keep = (day <= p.contact_stop[cust]) & (day < p.closed[cust])
    cust, day, k = cust[keep], day[keep], k[keep]
    m = len(cust)
    tier_mix = np.where(assets[cust] >= 50 * 10_000 * YUAN, 0, np.where(assets[cust] >= 20 * 10_000 * YUAN, 1, 2))
    channel = np.empty(m, dtype=np.int64)
    for code, mix in enumerate(CHANNEL_MIX.values()):
        sel = tier_mix == code
        channel[sel] = rng.choice(len(CONTACT_CHANNELS), sel.sum(), p=mix)
    outcome = rng.choice(len(OUTCOMES), m, p=OUTCOME_WEIGHTS)
    note = np.empty(m, dtype=np.int64)
    for code, name in enumerate(OUTCOMES):
        sel = outcome == code
        choices = ROUTINE_NOTE_CHOICES[name]
        note[sel] = choices[rng.integers(0, len(choices), sel.sum())]
    next_contact = np.where(
        k == 0, day + every[cust], np.where(outcome == OUTCOMES.index("callback"), day + 3, NO_DATE)
    )
    return {
        "cust": cust,
        "day": day,
        "minute": rng.integers(9 * 60, 18 * 60, m),
        "channel": channel,
        "outcome": outcome,
        "note": note,
        "next_contact": next_contact,
    }


def routine_complaints(ctx: BankContext, rng: np.random.Generator, p: Profiles) -> dict:
    n, t = len(p), ctx.t
    count = np.where(p.handmade, 0, rng.poisson(0.07, n))
    cust = np.repeat(np.arange(n), count)
    filed = t - rng.integers(1, 731, len(cust))
    keep = (filed >= p.opened[cust]) & (filed < p.closed[cust])
    cust, filed = cust[keep], filed[keep]
    resolved_on = filed + rng.integers(1, 31, len(cust))
    resolved = (rng.random(len(cust)) < 0.9) & (resolved_on < t)
    return {
        "cust": cust,
        "filed": filed,
        "category": rng.choice(len(COMPLAINT_CATEGORIES), len(cust), p=COMPLAINT_WEIGHTS),
        "resolved": resolved,
        "resolved_on": np.where(resolved, resolved_on, NO_DATE),
    }


def monthly_aum(ctx: BankContext, rng: np.random.Generator, p: Profiles, spikes: list[tuple]) -> dict:
    """One snapshot per customer and month: the asset path at month end, today's AUM for this month."""
    days = ctx.snapshot_days
    t = ctx.t
    path = asset_path(p, days, t)
    today_path = path[:, -1]
    ratio = np.where(today_path > 0, p.aum / np.maximum(today_path, 1), 1.0).clip(0.5, 2.0)
    value = path * ratio[:, None] * (1 + rng.uniform(-0.03, 0.03, path.shape))
    for i, first_day, last_day, amount in spikes:
        inside = (days >= first_day) & (days <= last_day)
        value[i, inside] += amount
    value[:, -1] = p.aum
    value = np.round(value).astype(np.int64)
    exists = days[None, :] >= p.opened[:, None]
    cust, month = np.nonzero(exists)
    return {"cust": cust, "month": month, "aum": value[cust, month]}
