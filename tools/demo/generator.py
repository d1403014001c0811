"""The demo bank, generated chunk by chunk as rows ready for bulk insert.

`bank_tables` gives branches, staff and products; `chunk_tables(ctx, k)` gives every row of the
customers in chunk k (10,000 customers, each chunk with its own random stream), so the same seed,
today and size always give the same bank, and chunks could be generated in any order.
Dates are rendered as the text SQLAlchemy stores in SQLite (also valid input for PostgreSQL).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.tiers import TIERS, WAN
from tools.demo import flows, showcase, stories
from tools.demo.bank import branch_rows, staff_rows
from tools.demo.catalog import PRODUCT_IDS, product_rows
from tools.demo.context import BankContext
from tools.demo.dates import FIRST_DAY, date_texts, datetime_texts
from tools.demo.extra_rows import NO_DATE, ExtraRows
from tools.demo.holdings import everyday_holdings
from tools.demo.profiles import ADULT_DAYS, HEALTHY, INTERMEDIARY, YUAN, Profiles, asset_path, sample_profiles
from tools.demo.texts import (
    COMPLAINT_CATEGORIES,
    CONTACT_CHANNELS,
    CONTACT_NOTES,
    COUNTERPARTY_TABLE,
    DIRECTIONS,
    OUTCOMES,
    PURPOSES,
    STATUSES,
    TXN_CHANNELS,
)

COLUMNS = {
    "branches": ("id", "code", "name", "city"),
    "staff": ("id", "name", "role", "branch_id", "wecom_userid", "wechat_openid", "active"),
    "products": ("id", "code", "type", "name", "term_days", "expected_yield_bp", "risk_level"),
    "customers": (
        "id",
        "cust_no",
        "name",
        "gender",
        "birth_date",
        "phone",
        "id_number",
        "occupation",
        "tier",
        "value_class",
        "lifecycle_stage",
        "risk_rating",
        "risk_rated_on",
        "has_children",
        "rm_id",
        "branch_id",
        "opened_on",
        "closed_on",
        "aum_fen",
        "demand_deposit_fen",
    ),
    "holdings": ("customer_id", "product_id", "amount_fen", "current_value_fen", "buy_date", "maturity_date", "status"),
    "transactions": (
        "customer_id",
        "occurred_at",
        "amount_fen",
        "direction",
        "channel",
        "other_bank",
        "counterparty",
        "purpose",
    ),
    "aum_snapshots": ("customer_id", "month", "aum_fen"),
    "contacts": (
        "staff_id",
        "customer_id",
        "contacted_at",
        "channel",
        "outcome",
        "stated_purpose",
        "note",
        "next_contact_on",
        "announced_fen",
        "announced_on",
    ),
    "complaints": ("customer_id", "filed_on", "category", "resolved", "resolved_on"),
    "demo_truth": ("customer_id", "story", "event_date", "note"),
}
# Parents before children: the order tables are written in.
TABLE_ORDER = tuple(COLUMNS)
# Tables whose ids the generator assigns (the others take the database's own numbering).
EXPLICIT_IDS = ("branches", "products", "customers")


@dataclass
class TableRows:
    table: str
    rows: list[tuple]

    @property
    def columns(self) -> tuple[str, ...]:
        return COLUMNS[self.table]


def bank_tables(ctx: BankContext) -> list[TableRows]:
    return [
        TableRows("branches", branch_rows(ctx.shape)),
        TableRows("staff", staff_rows(ctx.shape, ctx.staff_rng())),
        TableRows("products", product_rows()),
    ]


def _objects(values) -> np.ndarray:
    return np.array(values, dtype=object)


def _optional_dates(ordinals: np.ndarray) -> list:
    out = np.full(len(ordinals), None, dtype=object)
    has = ordinals != NO_DATE
    out[has] = date_texts(ordinals[has])
    return out.tolist()


def _extra_columns(items: list[tuple], width: int) -> list[np.ndarray]:
    if not items:
        return [np.zeros(0, dtype=np.int64) for _ in range(width)]
    return [np.array(col) for col in zip(*items)]


def _tiers(aum: np.ndarray) -> np.ndarray:
    """The tier of each AUM, from the bank's tiers file (bot.tiers), highest floor first."""
    above = [t for t in reversed(TIERS) if t.floor_fen > 0]
    return np.select([aum >= t.floor_fen for t in above], [t.code for t in above], TIERS[0].code).astype(object)


def _classes(ctx: BankContext, rng: np.random.Generator, p: Profiles) -> tuple[np.ndarray, np.ndarray]:
    """(value_class, lifecycle_stage) from assets, trend, tenure and the story so far."""
    t, n = ctx.t, len(p)
    aum = p.aum
    tenure = (t - p.opened) / 365.25
    age = (t - p.birth) / 365.25
    declining_story = (p.story != HEALTHY) & (p.story != INTERMEDIARY) & (p.path_start <= t)
    declining = declining_story | (p.growth < -0.2) | (p.path_post < 0.85 * p.level) & (p.path_end <= t)
    value = np.select(
        [
            (aum < 1000 * YUAN) & (rng.random(n) < 0.5),
            (aum >= 50 * WAN) | ((aum >= 20 * WAN) & (p.growth >= 0) & ~declining),
            (age < 45) & (p.growth > 0.08) & (aum >= 2 * WAN) & ~declining,
        ],
        ["BZ", "MVC", "MGC"],
        "LVC",
    ).astype(object)
    stage = np.select(
        [p.closed <= t, declining, tenure < 1, tenure < 3],
        ["terminated", "declining", "potential", "developing"],
        "mature",
    ).astype(object)
    stage[(stage == "potential") & (aum >= 1 * WAN)] = "developing"
    stage[(stage == "developing") & (p.growth > 0.05) & (tenure >= 1)] = "growing"
    stage[(stage == "mature") & (p.growth > 0.15)] = "growing"
    return value, stage


def chunk_tables(ctx: BankContext, index: int) -> list[TableRows]:
    rng, rnd = ctx.chunk_rngs(index)
    first, last = ctx.chunk_bounds(index)
    t = ctx.t
    p = sample_profiles(ctx, rng, first, last - first + 1)
    n = len(p)
    stories.assign(ctx, rng, p)
    rows = ExtraRows(ctx, rnd)
    story_held = np.zeros(n, dtype=np.int64)
    hand_demand = np.zeros(n, dtype=np.int64)
    if index == 0:
        showcase.plant(ctx, rng, p, rows, story_held, hand_demand)
    showcase.keep_names_unambiguous(rng, p)
    stories.emit_events(ctx, p, rows, story_held)

    # Holdings and balances today.
    now = np.round(asset_path(p, np.array([t]), t)[:, 0]).astype(np.int64)
    open_now = p.closed > t
    old = (t - p.birth) >= 60 * 365.25
    h = everyday_holdings(
        ctx,
        rng,
        np.maximum(now - story_held, 0),
        p.risk,
        old,
        p.birth + ADULT_DAYS,
        p.opened,
        eligible=~p.handmade & open_now,
    )
    held = h.held_now + story_held
    demand = np.where(open_now, np.maximum(now - held, np.round(now * 0.02).astype(np.int64)), 0)
    p.demand = np.where(p.handmade, hand_demand, demand)
    p.aum = p.demand + held
    ex = _extra_columns(rows.holdings, 7)
    h_cust = np.concatenate([h.cust, ex[0].astype(np.int64)])
    h_buy = np.concatenate([h.buy, ex[4].astype(np.int64)])
    if len(h_cust):
        earliest = np.full(n, ctx.far, dtype=np.int64)
        np.minimum.at(earliest, h_cust, h_buy)
        p.opened[:] = np.minimum(p.opened, earliest)

    rows.drop_before(p.opened)
    value_class, stage = _classes(ctx, rng, p)
    out = [TableRows("customers", _customer_rows(ctx, p, value_class, stage))]
    out.append(TableRows("holdings", _holding_rows(p, h, ex)))
    out.append(TableRows("transactions", _transaction_rows(p, flows.everyday_transactions(ctx, rng, p), rows)))
    out.append(TableRows("aum_snapshots", _snapshot_rows(ctx, p, flows.monthly_aum(ctx, rng, p, rows.spikes))))
    assets = np.maximum(p.level, p.aum)
    out.append(TableRows("contacts", _contact_rows(ctx, p, flows.routine_contacts(ctx, rng, p, assets), rows)))
    out.append(TableRows("complaints", _complaint_rows(p, flows.routine_complaints(ctx, rng, p), rows)))
    out.append(
        TableRows(
            "demo_truth",
            [(int(p.ids[i]), s, date_texts(np.array([e]))[0], note) for i, s, e, note in sorted(rows.truth)],
        )
    )
    return out


RATING_SPREAD_DAYS = 450  # ratings done 1..450 days ago: about one in five is over a year old (expired)


def _rated_on(ctx: BankContext, p: Profiles) -> np.ndarray:
    """Day of each client's risk rating, from the id (no draw on the chunk's random stream), never before opening."""
    ago = (p.ids.astype(np.int64) * 7331) % RATING_SPREAD_DAYS + 1
    return np.maximum(ctx.t - ago, p.opened)


def _customer_rows(ctx: BankContext, p: Profiles, value_class, stage) -> list[tuple]:
    rm_ids = np.append(ctx.shape.rm_ids(), None)  # index -1 -> None
    cust_no = (880_000_000_000 + p.ids).astype(str).astype(object)
    closed = np.where(p.closed <= ctx.t, p.closed, NO_DATE)
    cols = [
        p.ids.tolist(),
        cust_no.tolist(),
        p.name.tolist(),
        np.where(p.female, "F", "M").tolist(),
        date_texts(p.birth).tolist(),
        p.phone.tolist(),
        p.id_number.tolist(),
        p.occupation.tolist(),
        _tiers(p.aum).tolist(),
        value_class.tolist(),
        stage.tolist(),
        [f"C{r}" for r in p.risk.tolist()],
        date_texts(_rated_on(ctx, p)).tolist(),
        p.has_children.tolist(),
        rm_ids[p.rm].tolist(),
        (p.branch + 1).tolist(),
        date_texts(p.opened).tolist(),
        _optional_dates(closed),
        p.aum.tolist(),
        p.demand.tolist(),
    ]
    return list(zip(*cols))


def _holding_rows(p: Profiles, h, ex: list[np.ndarray]) -> list[tuple]:
    cust = np.concatenate([h.cust, ex[0].astype(np.int64)])
    product = np.concatenate([h.product, ex[1].astype(np.int64)])
    amount = np.concatenate([h.amount, ex[2].astype(np.int64)])
    value = np.concatenate([h.value, ex[3].astype(np.int64)])
    buy = np.concatenate([h.buy, ex[4].astype(np.int64)])
    maturity = np.concatenate([h.maturity, ex[5].astype(np.int64)])
    status = np.concatenate([h.status, ex[6].astype(np.int64)])
    order = np.lexsort((product, buy, cust))
    cols = [
        p.ids[cust[order]].tolist(),
        PRODUCT_IDS[product[order]].tolist(),
        amount[order].tolist(),
        value[order].tolist(),
        date_texts(buy[order]).tolist(),
        _optional_dates(maturity[order]),
        _objects(STATUSES)[status[order]].tolist(),
    ]
    return list(zip(*cols))


def _time_key(cust: np.ndarray, day: np.ndarray, minute: np.ndarray) -> np.ndarray:
    """One sortable int64 for (customer, day, minute)."""
    return (cust.astype(np.int64) << 32) | ((day - FIRST_DAY) << 11) | minute


def _transaction_rows(p: Profiles, everyday: dict, rows: ExtraRows) -> list[tuple]:
    ex = _extra_columns(rows.txns, 9)
    col = {f: np.concatenate([everyday[f], ex[k].astype(everyday[f].dtype)]) for k, f in enumerate(flows.TXN_FIELDS)}
    order = np.argsort(_time_key(col["cust"], col["day"], col["minute"]), kind="stable")
    col = {f: v[order] for f, v in col.items()}
    cols = [
        p.ids[col["cust"]].tolist(),
        datetime_texts(col["day"], col["minute"]).tolist(),
        col["amount"].tolist(),
        _objects(DIRECTIONS)[col["direction"]].tolist(),
        _objects(TXN_CHANNELS)[col["channel"]].tolist(),
        col["other_bank"].tolist(),
        COUNTERPARTY_TABLE[col["cp"]].tolist(),
        _objects(PURPOSES)[col["purpose"]].tolist(),
    ]
    return list(zip(*cols))


def _snapshot_rows(ctx: BankContext, p: Profiles, snap: dict) -> list[tuple]:
    months = date_texts(ctx.snapshot_firsts)
    return list(zip(p.ids[snap["cust"]].tolist(), months[snap["month"]].tolist(), snap["aum"].tolist()))


def _contact_rows(ctx: BankContext, p: Profiles, routine: dict, rows: ExtraRows) -> list[tuple]:
    rm_ids = np.append(ctx.shape.rm_ids(), None)
    ex = rows.contacts
    cust = np.concatenate([routine["cust"], np.array([c[0] for c in ex], dtype=np.int64)])
    day = np.concatenate([routine["day"], np.array([c[1] for c in ex], dtype=np.int64)])
    minute = np.concatenate([routine["minute"], np.array([c[2] for c in ex], dtype=np.int64)])
    channel = np.concatenate([_objects(CONTACT_CHANNELS)[routine["channel"]], _objects([c[3] for c in ex])])
    outcome = np.concatenate([_objects(OUTCOMES)[routine["outcome"]], _objects([c[4] for c in ex])])
    purpose = np.concatenate([np.full(len(routine["cust"]), None, dtype=object), _objects([c[5] for c in ex])])
    note = np.concatenate([_objects(CONTACT_NOTES)[routine["note"]], _objects([c[6] for c in ex])])
    next_on = np.concatenate([routine["next_contact"], np.array([c[7] for c in ex], dtype=np.int64)])
    announced = np.concatenate([np.full(len(routine["cust"]), None, dtype=object), _objects([c[8] for c in ex])])
    announced_on = np.concatenate(
        [np.full(len(routine["cust"]), NO_DATE, dtype=np.int64), np.array([c[9] for c in ex], dtype=np.int64)]
    )
    keep = np.flatnonzero(p.rm[cust] >= 0)
    order = keep[np.argsort(_time_key(cust[keep], day[keep], minute[keep]), kind="stable")]
    cols = [
        rm_ids[p.rm[cust[order]]].tolist(),
        p.ids[cust[order]].tolist(),
        datetime_texts(day[order], minute[order]).tolist(),
        channel[order].tolist(),
        outcome[order].tolist(),
        purpose[order].tolist(),
        note[order].tolist(),
        _optional_dates(next_on[order]),
        announced[order].tolist(),
        _optional_dates(announced_on[order]),
    ]
    return list(zip(*cols))


def _complaint_rows(p: Profiles, routine: dict, rows: ExtraRows) -> list[tuple]:
    ex = rows.complaints
    cust = np.concatenate([routine["cust"], np.array([c[0] for c in ex], dtype=np.int64)])
    filed = np.concatenate([routine["filed"], np.array([c[1] for c in ex], dtype=np.int64)])
    category = np.concatenate([_objects(COMPLAINT_CATEGORIES)[routine["category"]], _objects([c[2] for c in ex])])
    resolved = np.concatenate([routine["resolved"], np.array([c[3] for c in ex], dtype=bool)])
    resolved_on = np.concatenate([routine["resolved_on"], np.array([c[4] for c in ex], dtype=np.int64)])
    order = np.lexsort((filed, cust))
    cols = [
        p.ids[cust[order]].tolist(),
        date_texts(filed[order]).tolist(),
        category[order].tolist(),
        resolved[order].tolist(),
        _optional_dates(resolved_on[order]),
    ]
    return list(zip(*cols))
