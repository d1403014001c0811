"""Churn stories (domain.md, seed 003) injected into the demo bank, with their ground truth.

About 13% of customers get a story. Each story sets the customer's asset path (profiles.asset_path)
and leaves the signals a churn model should find, at dates spread over the past year and a few
weeks into the future (stories in progress today):

- yield (产品导向): money goes to another bank in the weeks before a product matures; at
  maturity the proceeds follow. Assets fall to 3-40% of what they were.
- service (服务导向): a complaint stays open, the RM stops calling months before the event,
  assets drain to other banks, then the rest goes.
- consumption (消费导向): a product matures and is not renewed, the client mentions the purpose,
  then one large withdrawal tagged house / car / school.
- intermediary (特殊导向): large round sums arrive from another bank a few days before quarter
  ends and leave a few days after; the month-end snapshot is inflated, the month after is not.
- none: churners without a story - assets drift out in ordinary-looking transfers.

Healthy decoys carry one frightening signal without leaving (a big purchase, a monthly mortgage
payment to another bank, an open complaint, a VIP nobody called for months, part of a maturity
moved elsewhere), so a model has to weigh signals rather than match one.

Ground truth is `demo_truth`: one row per story customer (story, event_date, a short note); the
event date is the maturity, the withdrawal, the first quarter-end or the day the assets leave.
"""

from __future__ import annotations

import numpy as np

from bot.tiers import WAN
from tools.demo.catalog import CATALOG, PRODUCT_INDEX
from tools.demo.context import BankContext
from tools.demo.extra_rows import ExtraRows, round_to
from tools.demo.profiles import (
    ADULT_DAYS,
    CONSUMPTION,
    HEALTHY,
    INTERMEDIARY,
    NOISE,
    SERVICE,
    YIELD,
    YUAN,
    Profiles,
)
from tools.demo.texts import OTHER_BANKS, bank_cp, special_cp

# Chance of each story for an eligible customer (eligibility by asset level, see assign()).
STORY_RATES = {YIELD: 0.10, CONSUMPTION: 0.06, SERVICE: 0.06, INTERMEDIARY: 0.01, NOISE: 0.02}
DECOY_RATE = 0.04
BIG_SPEND, MORTGAGE, OPEN_COMPLAINT, QUIET_VIP, PARTIAL_MOVE = range(1, 6)
CLOSE_RATES = {YIELD: 0.25, SERVICE: 0.3, CONSUMPTION: 0.1, NOISE: 0.2}
SALARY_STOP_RATES = {YIELD: 0.3, SERVICE: 0.5, CONSUMPTION: 0.1, NOISE: 0.4}
ROUND_SUMS_WAN = (50, 100, 150, 200, 300, 500, 800, 1000)
SERVICE_COMPLAINTS = ("服务态度", "排队时间长", "手续费", "系统故障")
YIELD_PRODUCTS = ("WM03A", "WM03B", "WM06A", "WM06B", "WM12A", "WM12B", "TD06", "TD1Y")
PURPOSE_TEXT = {"house": "购房", "car": "购车", "school": "子女教育", "business": "生意周转"}
PURPOSE_NOTE = {
    "house": "客户提到近期购房,需要用一笔钱",
    "car": "客户准备购车,近期要用款",
    "school": "孩子上学要交学费,近期用款",
}


def wan_text(fen: int) -> str:
    wan = fen / WAN
    return f"{wan:.0f}万元" if wan >= 10 else f"{wan:.1f}万元"


def assign(ctx: BankContext, rng: np.random.Generator, p: Profiles) -> None:
    """Choose stories and decoys and set each customer's asset path (vectorised)."""
    n, t = len(p), ctx.t
    lvl = p.level
    rates = np.zeros((n, 5))
    rates[:, 0] = np.where(lvl >= 5 * WAN, STORY_RATES[YIELD], 0)
    rates[:, 1] = np.where(lvl >= 6 * WAN, STORY_RATES[CONSUMPTION], 0)
    rates[:, 2] = np.where(lvl >= 1 * WAN, STORY_RATES[SERVICE], 0)
    rates[:, 3] = np.where(lvl < 200 * WAN, STORY_RATES[INTERMEDIARY], 0)
    rates[:, 4] = np.where(lvl >= 1 * WAN, STORY_RATES[NOISE], 0)
    codes = np.array([YIELD, CONSUMPTION, SERVICE, INTERMEDIARY, NOISE])
    cum = np.cumsum(rates, axis=1)
    u = rng.random(n)
    picked = (cum <= u[:, None]).sum(axis=1)
    story = np.where(picked < 5, codes[np.minimum(picked, 4)], HEALTHY)
    p.story[:] = story

    churn = story != HEALTHY
    # Story clients have been with the bank for at least a year and a half.
    earlier = np.maximum(np.minimum(p.opened, t - 548 - rng.integers(0, 2000, n)), p.birth + ADULT_DAYS)
    p.opened[:] = np.where(churn, earlier, p.opened)
    p.growth[:] = np.where(churn, rng.normal(0, 0.04, n), p.growth)
    p.event[:] = np.where(churn, t + rng.integers(-330, 22, n), ctx.far)

    f = rng.uniform(0.03, 0.40, n)  # what is left after the story, relative to assets at the event
    e = p.event
    lv = lvl.astype(np.float64)

    def set_path(mask, start, mid, end, post):
        p.path_start[mask] = start[mask]
        p.path_mid[mask] = np.round(mid[mask]).astype(np.int64)
        p.path_end[mask] = end[mask]
        p.path_post[mask] = np.round(post[mask]).astype(np.int64)

    mid = lv * (1 - rng.uniform(0.05, 0.15, n))
    set_path(story == YIELD, e - rng.integers(40, 76, n), mid, e + rng.integers(1, 11, n), mid * f)
    complaint_day = e - rng.integers(30, 121, n)
    mid = lv * (1 - rng.uniform(0.2, 0.4, n))
    set_path(story == SERVICE, complaint_day, mid, e + rng.integers(10, 41, n), mid * f)
    withdrawn = lv * rng.uniform(0.6, 0.92, n)
    set_path(story == CONSUMPTION, e, lv, e, lv - withdrawn)
    mid = lv * (1 - rng.uniform(0.1, 0.3, n))
    set_path(story == NOISE, e - rng.integers(20, 41, n), mid, e + rng.integers(5, 31, n), mid * f)
    # Service: nobody calls for at least 90 days before the event (or before today, if still coming).
    lapse = np.minimum(complaint_day - rng.integers(20, 61, n), np.minimum(e, t) - 91 - rng.integers(0, 61, n))
    p.contact_stop[:] = np.where(story == SERVICE, lapse, p.contact_stop)
    # Once the money has gone, routine calls stop too.
    p.contact_stop[:] = np.where((story == YIELD) | (story == NOISE), p.path_end, p.contact_stop)
    # Intermediary clients keep their own (small) money; the story is in the spikes.
    quarter_ends = ctx.story_quarter_ends()
    inter = story == INTERMEDIARY
    if quarter_ends:
        p.event[inter] = np.array(quarter_ends)[rng.integers(0, len(quarter_ends), inter.sum())]
    else:  # history too short for a quarter end: no intermediary stories
        p.story[inter] = HEALTHY
        p.event[inter] = ctx.far

    # Aftermath: some accounts close, some payrolls move away.
    settled = churn & ~inter & (p.path_end <= t - 30)
    close = settled & (rng.random(n) < np.vectorize(lambda s: CLOSE_RATES.get(s, 0.0))(story))
    room = np.maximum(np.minimum(60, t - p.path_end - 1), 5)
    p.closed[close] = (p.path_end + 5 + (rng.random(n) * (room - 5)).astype(np.int64))[close]
    stop = churn & ~inter & (rng.random(n) < np.vectorize(lambda s: SALARY_STOP_RATES.get(s, 0.0))(story))
    p.salary_stop[stop] = (p.path_end + rng.integers(0, 61, n))[stop]
    p.contact_stop[:] = np.minimum(p.contact_stop, p.closed)

    # Decoys among the healthy.
    healthy = p.story == HEALTHY
    kind = rng.integers(1, 6, n)
    kind = np.where((kind == BIG_SPEND) & (lvl < 10 * WAN), OPEN_COMPLAINT, kind)
    kind = np.where((kind == QUIET_VIP) & (lvl < 50 * WAN), MORTGAGE, kind)
    kind = np.where((kind == PARTIAL_MOVE) & (lvl < 5 * WAN), OPEN_COMPLAINT, kind)
    p.decoy[:] = np.where(healthy & (rng.random(n) < DECOY_RATE), kind, 0)
    quiet = p.decoy == QUIET_VIP
    p.contact_stop[quiet] = t - rng.integers(100, 200, quiet.sum())
    move = p.decoy == PARTIAL_MOVE
    when = t - rng.integers(30, 300, n)
    p.event[move] = when[move]  # the day of the maturity; not a churn event (no truth row)
    p.path_start[move] = when[move]
    p.path_mid[move] = p.level[move]
    p.path_end[move] = when[move] + 5
    p.path_post[move] = np.round(p.level[move] * rng.uniform(0.65, 0.8, move.sum())).astype(np.int64)
    p.growth[move] = 0.0


def emit_events(ctx: BankContext, p: Profiles, rows: ExtraRows, story_held: np.ndarray) -> None:
    """Rows for every story and decoy customer of the chunk (not the hand-made showcase)."""
    todo = np.flatnonzero(((p.story != HEALTHY) | (p.decoy != 0)) & ~p.handmade)
    for i in todo.tolist():
        story, decoy = int(p.story[i]), int(p.decoy[i])
        if story == YIELD:
            story_held[i] += _yield(ctx, p, rows, i)
        elif story == SERVICE:
            _service(ctx, p, rows, i)
        elif story == CONSUMPTION:
            story_held[i] += _consumption(ctx, p, rows, i)
        elif story == INTERMEDIARY:
            _intermediary(ctx, p, rows, i)
        elif story == NOISE:
            _noise(ctx, p, rows, i)
        else:
            story_held[i] += _decoy(ctx, p, rows, i, decoy)
        if story != HEALTHY and p.closed[i] < ctx.far:
            bank = rows.rnd.randrange(len(OTHER_BANKS))
            rest = int(p.path_post[i] * np.exp(p.growth[i] * (p.closed[i] - ctx.t) / 365))
            rows.txn(i, int(p.closed[i]), rest, "out", "counter", "transfer", True, int(bank_cp(bank)))


def _spread(
    rows: ExtraRows,
    i: int,
    total: int,
    first: int,
    last: int,
    parts: int,
    bank: int | None,
    own_bank_share: float = 0.0,
    already: bool = False,
) -> None:
    """`total` fen leaving in `parts` transfers between two days (to another bank unless told).

    `already`: the outflow has begun by today, so its transfers are kept inside the history window.
    """
    rnd = rows.rnd
    if already:
        first, last = max(first, rows.ctx.window_start), min(last, rows.ctx.t - 1)
    last = max(first, last)
    weights = [rnd.random() + 0.3 for _ in range(parts)]
    for w in weights:
        amount = round_to(total * w / sum(weights), 100 * YUAN)
        day = rnd.randint(first, last)
        if bank is None or rnd.random() < own_bank_share:
            if rnd.random() < 0.5:
                rows.txn(i, day, amount, "out", "mobile", "transfer", False, special_cp("own_bank"))
            else:
                rows.txn(i, day, amount, "out", "counter", "cash", False, special_cp("cash"))
        else:
            rows.txn(i, day, amount, "out", rnd.choice(("mobile", "online")), "transfer", True, int(bank_cp(bank)))


def _yield(ctx: BankContext, p: Profiles, rows: ExtraRows, i: int) -> int:
    rnd = rows.rnd
    e, s, d = int(p.event[i]), int(p.path_start[i]), int(p.path_end[i])
    level, mid, post = int(p.level[i]), int(p.path_mid[i]), int(p.path_post[i])
    bank = rnd.randrange(len(OTHER_BANKS))
    code = rnd.choice(YIELD_PRODUCTS if p.risk[i] >= 2 else ("TD06", "TD1Y"))
    if mid - post >= 40 * WAN and rnd.random() < 0.4:
        code = "CD1Y"
    pidx = PRODUCT_INDEX[code]
    amount = round_to((mid - post) * rnd.uniform(0.85, 0.98), 1000 * YUAN)
    held = rows.term_position(i, pidx, amount, e)
    _spread(rows, i, level - mid, s, e - 2, rnd.randint(1, 3), bank, already=True)
    rows.txn(i, e + rnd.randint(0, min(3, d - e)), mid - post, "out", "mobile", "transfer", True, int(bank_cp(bank)))
    if rnd.random() < 0.3:
        filed = e - rnd.randint(60, 200)
        rows.complaint(i, filed, "理财收益不达预期", filed + rnd.randint(3, 20))
    if p.rm[i] >= 0 and rnd.random() < 0.4:
        rows.contact(
            i,
            e - rnd.randint(3, 30),
            "phone",
            "reached",
            f"客户比较{OTHER_BANKS[bank]}的理财收益,到期后想转过去",
            stated_purpose="other_bank",
        )
    if p.rm[i] >= 0 and rnd.random() < 0.5:
        rows.contact(i, d + rnd.randint(3, 20), "phone", "declined", "客户表示资金已转到他行,那边收益更高")
    rows.story_truth(i, "yield", e, f"{CATALOG[pidx].name}{wan_text(amount)}到期,资金转往{OTHER_BANKS[bank]}")
    return held


def _service(ctx: BankContext, p: Profiles, rows: ExtraRows, i: int) -> None:
    rnd = rows.rnd
    e, s, d = int(p.event[i]), int(p.path_start[i]), int(p.path_end[i])
    level, mid, post = int(p.level[i]), int(p.path_mid[i]), int(p.path_post[i])
    bank = rnd.randrange(len(OTHER_BANKS))
    category = rnd.choice(SERVICE_COMPLAINTS)
    rows.complaint(i, s, category, None)
    if rnd.random() < 0.3:
        earlier = s - rnd.randint(60, 300)
        rows.complaint(i, earlier, rnd.choice(SERVICE_COMPLAINTS), earlier + rnd.randint(10, 40))
    _spread(rows, i, level - mid, s, e - 1, rnd.randint(2, 4), bank, already=True)
    _spread(rows, i, mid - post, e, d, rnd.randint(1, 2), bank)
    rows.story_truth(i, "service", e, f"投诉({category})未解决,长期无人联系,资产转往{OTHER_BANKS[bank]}")


def _consumption(ctx: BankContext, p: Profiles, rows: ExtraRows, i: int) -> int:
    rnd = rows.rnd
    e = int(p.event[i])
    level, post = int(p.level[i]), int(p.path_post[i])
    withdrawn = level - post
    if withdrawn >= 30 * WAN and rnd.random() < 0.75:
        purpose = "house"
    elif withdrawn >= 8 * WAN and rnd.random() < 0.6:
        purpose = "car"
    else:
        purpose = "school"
    held = 0
    if level >= 5 * WAN:
        code = rnd.choice(("WM03A", "WM06A", "TD06", "TD1Y") if p.risk[i] >= 2 else ("TD06", "TD1Y"))
        amount = round_to(withdrawn * rnd.uniform(0.5, 0.9), 1000 * YUAN)
        held = rows.term_position(i, PRODUCT_INDEX[code], amount, e - rnd.randint(1, 20))
    rows.txn(i, e, withdrawn, "out", "counter", purpose, rnd.random() < 0.3, special_cp(purpose))
    if p.rm[i] >= 0 and rnd.random() < 0.6:
        rows.contact(
            i,
            e - rnd.randint(5, 40),
            rnd.choice(("phone", "meeting")),
            "reached",
            PURPOSE_NOTE[purpose],
            stated_purpose=purpose,
        )
    if p.rm[i] >= 0 and rnd.random() < 0.4:
        rows.contact(i, e + rnd.randint(7, 30), "phone", "reached", "大额支出已完成,留意后续资金回流")
    rows.story_truth(i, "consumption", e, f"取出{wan_text(withdrawn)}用于{PURPOSE_TEXT[purpose]}")
    return held


def _intermediary(ctx: BankContext, p: Profiles, rows: ExtraRows, i: int) -> None:
    rnd = rows.rnd
    first = int(p.event[i])
    ends = [q for q in ctx.story_quarter_ends() if q >= first]
    ends = ends[: rnd.randint(1, len(ends))] if rnd.random() < 0.5 else ends
    own = max(int(p.level[i]), 1 * WAN)
    sums = [w for w in ROUND_SUMS_WAN if w * WAN >= 2 * own] or [ROUND_SUMS_WAN[-1]]
    amount = rnd.choice(sums[:4]) * WAN
    bank = rnd.randrange(len(OTHER_BANKS))
    for q in ends:
        arrive, leave = q - rnd.randint(1, 6), q + rnd.randint(1, 6)
        channel = rnd.choice(("counter", "online"))
        rows.txn(i, arrive, amount, "in", channel, "transfer", True, int(bank_cp(bank)))
        rows.txn(i, leave, amount, "out", channel, "transfer", True, int(bank_cp(bank)))
        rows.spikes.append((i, arrive, leave - 1, amount))
    rows.story_truth(
        i, "intermediary", first, f"季末前后{len(ends)}次{wan_text(amount)}整数资金进出{OTHER_BANKS[bank]},疑似中介揽储"
    )


def _noise(ctx: BankContext, p: Profiles, rows: ExtraRows, i: int) -> None:
    rnd = rows.rnd
    e, s, d = int(p.event[i]), int(p.path_start[i]), int(p.path_end[i])
    level, mid, post = int(p.level[i]), int(p.path_mid[i]), int(p.path_post[i])
    bank = rnd.randrange(len(OTHER_BANKS))
    _spread(rows, i, level - mid, s, e - 1, rnd.randint(2, 4), bank, own_bank_share=0.5, already=True)
    _spread(rows, i, mid - post, e, d, rnd.randint(1, 2), bank, own_bank_share=0.5)
    rows.story_truth(i, "none", e, "资产逐步转出,无明显单一原因")


def _decoy(ctx: BankContext, p: Profiles, rows: ExtraRows, i: int, kind: int) -> int:
    rnd, t = rows.rnd, ctx.t
    level = int(p.level[i])
    if kind == BIG_SPEND:
        purpose = rnd.choice(("car", "school", "house", "business"))
        cp = special_cp(purpose)
        rows.txn(
            i,
            rnd.randint(ctx.window_start + 30, t - 1),
            round_to(level * rnd.uniform(0.08, 0.25), 100 * YUAN),
            "out",
            "counter",
            purpose,
            False,
            cp,
        )
    elif kind == MORTGAGE:
        bank = int(bank_cp(rnd.randrange(len(OTHER_BANKS))))
        amount = max(round_to(p.income[i] * rnd.uniform(0.2, 0.4), 100), 1500 * YUAN)
        day = rnd.randint(1, 25)
        for first in ctx.snapshot_firsts.tolist():
            rows.txn(i, first + day, amount, "out", "online", "transfer", True, bank)
    elif kind == OPEN_COMPLAINT:
        rows.complaint(i, t - rnd.randint(20, 200), rnd.choice(SERVICE_COMPLAINTS), None)
        if p.rm[i] >= 0 and rnd.random() < 0.3:
            rows.contact(
                i,
                t - rnd.randint(5, 80),
                "phone",
                "reached",
                "客户提到他行收益更高,但表示会继续在本行",
                stated_purpose="other_bank",
            )
    elif kind == PARTIAL_MOVE:
        maturity = int(p.event[i])
        moved = level - int(p.path_post[i])
        rows.term_position(
            i,
            PRODUCT_INDEX[rnd.choice(("WM03A", "WM06A", "TD06"))],
            round_to(moved * rnd.uniform(1.0, 1.3), 1000 * YUAN),
            maturity,
        )
        rows.txn(
            i,
            maturity + rnd.randint(0, 4),
            moved,
            "out",
            "mobile",
            "transfer",
            True,
            int(bank_cp(rnd.randrange(len(OTHER_BANKS)))),
        )
    return 0
