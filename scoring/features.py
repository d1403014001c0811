"""What the churn model sees about each customer as of a date, using only data strictly before that date.

`build_features(session_or_conn, as_of, customer_ids=None) -> (ids, X, facts)`:
- `ids`   int64 array of customer ids, ascending;
- `X`     float64 matrix, one row per id, columns in `FEATURES` order;
- `facts` one dict per id with the raw numbers (fen, dates, counts) that reasons and churn types are worded from.

A fixed number of set-based queries (GROUP BY aggregates over date windows) per call, whatever the number of
customers: batch scoring calls it per chunk of ids. "Before as_of" means: transactions and contacts with a
timestamp < as_of 00:00, complaints/holdings/snapshots dated < as_of. Maturity dates on or after as_of are known in
advance (a term product's maturity is fixed when bought), so "maturing in the next 7 days" is not leakage.

Known limitation: `holdings.status` has no date, so a fund with status 'redeemed' is treated as redeemed before
as_of (funds have no maturity date to reconstruct it from). Customer attributes that only exist as current values
(lifecycle_stage, value_class, tier, aum_fen) are not used as model inputs for that reason; tier is derived from
the AUM snapshot instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.engine import Engine

from bot import policy_review, tiers
from bot.purposes import CONSUMPTION_PURPOSES
from bot.store.models import AumSnapshot, Complaint, Contact, Customer, Holding, Product, Transaction

FEATURES: tuple[str, ...] = (
    "aum_wan",  # AUM at the latest month end before as_of, in 万 yuan
    "aum_change_30d",  # relative change of AUM vs 30/90/180 days earlier (-1 .. 2)
    "aum_change_90d",
    "aum_change_180d",
    "maturing_7d_wan",  # held products maturing in [as_of, as_of + 7)
    "maturing_30d_wan",
    "days_to_maturity",  # to the next maturity within 90 days; 90 when none
    "other_bank_out_30d_wan",  # transfers out to other banks
    "other_bank_out_90d_wan",
    "net_flow_90d_wan",  # inflows minus outflows over 90 days
    "largest_out_30d_wan",  # largest single outflow in 30 days
    "purchase_out_90d_wan",  # outflows tagged house / car / school in 90 days
    "salary_stopped",  # payroll credits 45-90 days ago but none in the last 45 days
    "days_since_txn",  # capped at 90
    "txn_count_90d",
    "fund_pnl_pct",  # held funds: (value - cost) / cost * 100
    "low_yield_insurance_wan",  # bancassurance trailing its stated return, once old enough (bot.policy_review)
    "open_complaints",  # filed before as_of, not resolved before as_of
    "complaints_180d",
    "days_since_contact",  # capped at 365 (also when never contacted)
    "contact_overdue_ratio",  # days since contact / the tier's required interval; 0 when none required
    "stated_purchase",  # latest purpose an RM logged in 90 days is house / car / school
    "stated_other_bank",  # ... is other_bank (comparing with another bank's product)
    "round_trip_90d_wan",  # large inflow moved out again within ROUND_TRIP_DAYS (intermediary pattern)
    "product_count",  # distinct product types held
    "tier_rank",  # 0 basic .. 3 private, from the AUM at as_of
    "tenure_years",
    "age",
)
FEATURE_INDEX = {name: i for i, name in enumerate(FEATURES)}

WAN = tiers.WAN
LOOKBACK_DAYS = 90
SALARY_RECENT_DAYS = 45
CONTACT_LOOKBACK_DAYS = 365
SNAPSHOT_LOOKBACK_DAYS = 215  # reaches the month end at or before as_of - 180
MATURITY_HORIZON_DAYS = 90
LARGE_TXN_FEN = 5 * WAN  # rows at least this big are fetched one by one (largest outflow, round trips)
ROUND_TRIP_MIN_FEN = 20 * WAN
ROUND_TRIP_DAYS = 20
ROUND_TRIP_SHARE = 0.8  # the outflow returns at least 80% of the inflow
PURCHASE_PURPOSES = tuple(sorted(CONSUMPTION_PURPOSES))  # bot.purposes: the one mapping
MIN_CHANGE_BASE_FEN = 1000 * 100  # AUM changes are measured against at least 1,000 yuan
_IN_LIST_MAX = 500  # explicit id lists longer than this are fetched by id range and filtered


def build_features(
    session_or_conn: Any, as_of: date, customer_ids: Sequence[int] | None = None
) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """Features of `customer_ids` (all customers open on as_of when None) from data strictly before `as_of`."""
    if isinstance(session_or_conn, Engine):
        with session_or_conn.connect() as conn:
            return build_features(conn, as_of, customer_ids)
    q = _Query(session_or_conn, as_of, customer_ids)
    ids, birth, opened = q.customers()
    n = len(ids)
    X = np.zeros((n, len(FEATURES)), dtype=np.float64)
    if n == 0:
        return ids, X, []
    col = lambda name: X[:, FEATURE_INDEX[name]]  # noqa: E731 - a view to write one feature column
    a = as_of.toordinal()

    aum = q.aum(ids)
    col("aum_wan")[:] = aum["now"] / WAN
    for k in (30, 90, 180):
        col(f"aum_change_{k}d")[:] = _relative_change(aum["now"], aum[k])
    tier_rank = np.array(
        [len(tiers.TIER_RANK) - 1 - tiers.TIER_RANK[tiers.tier_for(int(v))] for v in aum["now"]], dtype=np.float64
    )
    col("tier_rank")[:] = tier_rank
    every = np.array([tiers.band_for(int(v)).contact_every_days or 0 for v in aum["now"]], dtype=np.float64)

    tx = q.transaction_totals(ids)
    big = q.large_transactions(ids)
    col("other_bank_out_30d_wan")[:] = tx["other_bank_out_30d"] / WAN
    col("other_bank_out_90d_wan")[:] = tx["other_bank_out_90d"] / WAN
    col("net_flow_90d_wan")[:] = (tx["in_90d"] - tx["out_90d"]) / WAN
    col("largest_out_30d_wan")[:] = tx["largest_out_30d"] / WAN
    col("purchase_out_90d_wan")[:] = tx["purchase_out_90d"] / WAN
    salary_stopped = (tx["salary_early"] > 0) & (tx["salary_recent"] == 0)
    col("salary_stopped")[:] = salary_stopped
    has_txn = tx["last_txn"] > 0
    col("days_since_txn")[:] = np.where(has_txn, a - tx["last_txn"], LOOKBACK_DAYS)
    col("txn_count_90d")[:] = tx["count_90d"]
    col("round_trip_90d_wan")[:] = big["round_trip_fen"] / WAN

    hold = q.holdings(ids)
    col("maturing_7d_wan")[:] = hold["maturing_7d"] / WAN
    col("maturing_30d_wan")[:] = hold["maturing_30d"] / WAN
    col("days_to_maturity")[:] = np.where(hold["next_maturity"] > 0, hold["next_maturity"] - a, MATURITY_HORIZON_DAYS)
    col("fund_pnl_pct")[:] = np.where(
        hold["fund_cost"] > 0, (hold["fund_value"] - hold["fund_cost"]) * 100.0 / np.maximum(hold["fund_cost"], 1), 0.0
    )
    col("low_yield_insurance_wan")[:] = hold["low_yield_insurance"] / WAN
    col("product_count")[:] = hold["product_types"]

    comp = q.complaints(ids)
    col("open_complaints")[:] = comp["open"]
    col("complaints_180d")[:] = comp["recent"]

    cont = q.contacts(ids)
    contacted = cont["last"] > 0
    days_since_contact = np.where(contacted, np.minimum(a - cont["last"], CONTACT_LOOKBACK_DAYS), CONTACT_LOOKBACK_DAYS)
    col("days_since_contact")[:] = days_since_contact
    col("contact_overdue_ratio")[:] = np.where(every > 0, days_since_contact / np.maximum(every, 1), 0.0)
    purposes = cont["purpose"]
    col("stated_purchase")[:] = [p in PURCHASE_PURPOSES for p in purposes]
    col("stated_other_bank")[:] = [p == "other_bank" for p in purposes]

    col("tenure_years")[:] = (a - opened) / 365.25
    col("age")[:] = np.floor((a - birth) / 365.25)

    facts = []
    for i, cid in enumerate(ids.tolist()):
        band = tiers.band_for(int(aum["now"][i]))
        facts.append(
            {
                "customer_id": cid,
                "as_of": as_of,
                "aum_fen": int(aum["now"][i]),
                "aum_30d_ago_fen": _opt_int(aum[30][i]),
                "aum_90d_ago_fen": _opt_int(aum[90][i]),
                "aum_180d_ago_fen": _opt_int(aum[180][i]),
                "tier": band.tier,
                "contact_every_days": band.contact_every_days,
                "maturing_7d_fen": int(hold["maturing_7d"][i]),
                "maturing_30d_fen": int(hold["maturing_30d"][i]),
                "maturing_7d_count": int(hold["maturing_7d_count"][i]),
                "maturing_30d_count": int(hold["maturing_30d_count"][i]),
                "next_maturity_on": _opt_date(hold["next_maturity"][i]),
                "next_maturity_fen": int(hold["next_maturity_fen"][i]),
                "next_maturity_type": hold["next_maturity_type"][i],
                "other_bank_out_30d_fen": int(tx["other_bank_out_30d"][i]),
                "other_bank_out_90d_fen": int(tx["other_bank_out_90d"][i]),
                "inflow_90d_fen": int(tx["in_90d"][i]),
                "outflow_90d_fen": int(tx["out_90d"][i]),
                "largest_out_30d_fen": int(tx["largest_out_30d"][i]),
                "largest_out_30d_on": big["largest_out_on"][i],
                "largest_out_30d_purpose": big["largest_out_purpose"][i],
                "largest_out_30d_other_bank": big["largest_out_other_bank"][i],
                "purchase_out_90d_fen": int(tx["purchase_out_90d"][i]),
                "purchase_out_on": big["purchase_on"][i],
                "purchase_purpose": big["purchase_purpose"][i],
                "salary_stopped": bool(salary_stopped[i]),
                "last_salary_on": _opt_date(tx["last_salary"][i]),
                "days_since_txn": int(a - tx["last_txn"][i]) if has_txn[i] else None,
                "txn_count_90d": int(tx["count_90d"][i]),
                "fund_cost_fen": int(hold["fund_cost"][i]),
                "fund_value_fen": int(hold["fund_value"][i]),
                "low_yield_insurance_fen": int(hold["low_yield_insurance"][i]),
                "low_yield_insurance_bp": _opt_int(hold["low_yield_bp"][i]),
                "open_complaints": int(comp["open"][i]),
                "complaints_180d": int(comp["recent"][i]),
                "open_complaint_category": comp["category"][i],
                "open_complaint_filed_on": comp["filed_on"][i],
                "last_contact_on": _opt_date(cont["last"][i]),
                "days_since_contact": int(a - cont["last"][i]) if contacted[i] else None,
                "stated_purpose": purposes[i],
                "stated_purpose_on": cont["purpose_on"][i],
                "round_trip_fen": int(big["round_trip_fen"][i]),
                "round_trip_in_on": big["round_trip_in_on"][i],
                "round_trip_out_on": big["round_trip_out_on"][i],
                "round_trip_out_fen": int(big["round_trip_out_fen"][i]),
                "product_count": int(hold["product_types"][i]),
                "tenure_years": float(col("tenure_years")[i]),
                "age": int(col("age")[i]),
            }
        )
    return ids, X, facts


def feature_vector(X: np.ndarray, **values: float) -> np.ndarray:
    """A copy of X with the named feature columns set (used by what-if checks and tests)."""
    out = np.array(X, dtype=np.float64, copy=True)
    for name, value in values.items():
        out[..., FEATURE_INDEX[name]] = value
    return out


def _relative_change(now: np.ndarray, then: np.ndarray) -> np.ndarray:
    known = ~np.isnan(then)
    base = np.maximum(np.where(known, then, 0.0), MIN_CHANGE_BASE_FEN)
    change = np.where(known, (now - np.where(known, then, 0.0)) / base, 0.0)
    return np.clip(change, -1.0, 2.0)


def _opt_int(v: float) -> int | None:
    return None if v is None or (isinstance(v, float) and np.isnan(v)) else int(v)


def _opt_date(ordinal: float) -> date | None:
    return date.fromordinal(int(ordinal)) if ordinal and ordinal > 0 else None


def _ordinal(value: Any) -> int:
    """Day number of a date / datetime / ISO string (SQLite returns aggregates over dates as text)."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return value.date().toordinal()
    if isinstance(value, date):
        return value.toordinal()
    return datetime.fromisoformat(str(value)).date().toordinal()


def _date(value: Any) -> date | None:
    o = _ordinal(value)
    return date.fromordinal(o) if o else None


def month_start(d: date) -> date:
    return d.replace(day=1)


def month_end(first: date) -> date:
    """Last day of the month starting on `first`."""
    nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _month_end_ordinal(month: Any) -> int:
    return month_end(month_start(date.fromordinal(_ordinal(month)))).toordinal()


def _midnight(d: date) -> datetime:
    return datetime.combine(d, time.min)


class _Query:
    """The set-based queries behind `build_features`, each returning per-id numpy columns aligned to `ids`."""

    def __init__(self, conn: Any, as_of: date, customer_ids: Sequence[int] | None) -> None:
        self.conn = conn
        self.as_of = as_of
        self.start = _midnight(as_of)
        self.requested = None if customer_ids is None else np.unique(np.asarray(list(customer_ids), dtype=np.int64))
        self.ids = np.zeros(0, dtype=np.int64)

    # -- scoping -------------------------------------------------------------------------------------
    def _scope(self, column):
        """WHERE clause limiting `column` (a customer id column) to the requested customers."""
        if self.requested is None:
            return None
        if len(self.requested) <= _IN_LIST_MAX:
            return column.in_([int(i) for i in self.requested])
        return column.between(int(self.requested[0]), int(self.requested[-1]))

    def _where(self, stmt, column, *conditions):
        scope = self._scope(column)
        conds = [c for c in (scope, *conditions) if c is not None]
        return stmt.where(*conds) if conds else stmt

    def _rows(self, stmt) -> list:
        return self.conn.execute(stmt).all()

    def _positions(self, cids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """(row selector, position in ids) for result rows whose customer is one of ids."""
        c = np.asarray(cids, dtype=np.int64)
        pos = np.searchsorted(self.ids, c)
        pos_clipped = np.minimum(pos, max(len(self.ids) - 1, 0))
        ok = (pos < len(self.ids)) & (self.ids[pos_clipped] == c)
        return ok, pos_clipped[ok]

    def _scatter(self, rows: list, columns: dict[str, int], default: float = 0.0) -> dict[str, np.ndarray]:
        """Numeric result columns (by index in each row; row[0] is the customer id) spread onto ids."""
        out = {name: np.full(len(self.ids), default, dtype=np.float64) for name in columns}
        if not rows:
            return out
        cols = list(zip(*rows))
        ok, pos = self._positions(cols[0])
        for name, idx in columns.items():
            values = np.array([default if v is None else float(v) for v in cols[idx]], dtype=np.float64)
            out[name][pos] = values[ok]
        return out

    # -- queries -------------------------------------------------------------------------------------
    def customers(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        stmt = select(Customer.id, Customer.birth_date, Customer.opened_on).order_by(Customer.id)
        if self.requested is None:
            stmt = stmt.where(
                Customer.opened_on < self.as_of, or_(Customer.closed_on.is_(None), Customer.closed_on >= self.as_of)
            )
        else:
            stmt = self._where(stmt, Customer.id)
        rows = self._rows(stmt)
        if self.requested is not None and len(self.requested) > _IN_LIST_MAX:
            wanted = set(self.requested.tolist())
            rows = [r for r in rows if r[0] in wanted]
        self.ids = np.array([r[0] for r in rows], dtype=np.int64)
        birth = np.array([_ordinal(r[1]) for r in rows], dtype=np.float64)
        opened = np.array([_ordinal(r[2]) for r in rows], dtype=np.float64)
        return self.ids, birth, opened

    def aum(self, ids: np.ndarray) -> dict:
        """AUM from monthly snapshots. The row for month m holds the month-END figure (today's for the current
        month), so it is known only after its month ends: "now" is the latest month end before as_of, and
        "k days ago" the latest month end at or before as_of - k (NaN when the customer has none that old)."""
        rows = self._rows(
            self._where(
                select(AumSnapshot.customer_id, AumSnapshot.month, AumSnapshot.aum_fen).order_by(
                    AumSnapshot.customer_id, AumSnapshot.month
                ),
                AumSnapshot.customer_id,
                AumSnapshot.month >= month_start(self.as_of - timedelta(days=SNAPSHOT_LOOKBACK_DAYS)),
                AumSnapshot.month < month_start(self.as_of),
            )
        )
        out = {"now": np.zeros(len(ids)), 30: np.full(len(ids), np.nan), 90: np.full(len(ids), np.nan)}
        out[180] = np.full(len(ids), np.nan)
        if not rows:
            return out
        cid = np.array([r[0] for r in rows], dtype=np.int64)
        ends = {m: _month_end_ordinal(m) for m in {r[1] for r in rows}}
        month_end_ord = np.array([ends[r[1]] for r in rows], dtype=np.int64)
        value = np.array([r[2] for r in rows], dtype=np.float64)
        a = self.as_of.toordinal()
        for key, cutoff in (("now", a - 1), (30, a - 30), (90, a - 90), (180, a - 180)):
            sel = month_end_ord <= cutoff
            c, v = cid[sel], value[sel]
            if len(c) == 0:
                continue
            last = np.flatnonzero(np.r_[c[1:] != c[:-1], True])  # rows are sorted by (customer, month)
            ok, pos = self._positions(c[last])
            out[key][pos] = v[last][ok]
        return out

    def transaction_totals(self, ids: np.ndarray) -> dict:
        a = self.as_of
        t30 = _midnight(a - timedelta(days=30))
        t45 = _midnight(a - timedelta(days=SALARY_RECENT_DAYS))
        out_ = Transaction.direction == "out"
        in_ = Transaction.direction == "in"
        amt = Transaction.amount_fen
        salary = and_(in_, Transaction.purpose == "salary")
        stmt = select(
            Transaction.customer_id,
            func.count(),
            func.max(Transaction.occurred_at),
            func.sum(case((in_, amt), else_=0)),
            func.sum(case((out_, amt), else_=0)),
            func.sum(
                case((and_(out_, Transaction.other_bank.is_(True), Transaction.occurred_at >= t30), amt), else_=0)
            ),
            func.sum(case((and_(out_, Transaction.other_bank.is_(True)), amt), else_=0)),
            func.max(case((and_(out_, Transaction.occurred_at >= t30), amt), else_=0)),
            func.sum(case((and_(out_, Transaction.purpose.in_(PURCHASE_PURPOSES)), amt), else_=0)),
            func.sum(case((and_(salary, Transaction.occurred_at < t45), 1), else_=0)),
            func.sum(case((and_(salary, Transaction.occurred_at >= t45), 1), else_=0)),
            func.max(case((salary, Transaction.occurred_at), else_=None)),
        ).group_by(Transaction.customer_id)
        stmt = self._where(
            stmt,
            Transaction.customer_id,
            Transaction.occurred_at >= _midnight(a - timedelta(days=LOOKBACK_DAYS)),
            Transaction.occurred_at < self.start,
        )
        rows = [(r[0], r[1], _ordinal(r[2]), *r[3:11], _ordinal(r[11])) for r in self._rows(stmt)]
        names = (
            "count_90d last_txn in_90d out_90d other_bank_out_30d other_bank_out_90d largest_out_30d "
            "purchase_out_90d salary_early salary_recent last_salary"
        ).split()
        return self._scatter(rows, {name: i + 1 for i, name in enumerate(names)})

    def large_transactions(self, ids: np.ndarray) -> dict:
        """Row-level look at the few big movements: the largest recent outflow and what it was for, the latest
        purchase-tagged outflow, and large inflows moved out again shortly after (round trips)."""
        a = self.as_of
        rows = self._rows(
            self._where(
                select(
                    Transaction.customer_id,
                    Transaction.occurred_at,
                    Transaction.amount_fen,
                    Transaction.direction,
                    Transaction.purpose,
                    Transaction.other_bank,
                ).order_by(Transaction.customer_id, Transaction.occurred_at, Transaction.id),
                Transaction.customer_id,
                Transaction.occurred_at >= _midnight(a - timedelta(days=LOOKBACK_DAYS)),
                Transaction.occurred_at < self.start,
                Transaction.amount_fen >= LARGE_TXN_FEN,
            )
        )
        n = len(ids)
        out: dict[str, Any] = {
            "largest_out_on": [None] * n,
            "largest_out_purpose": [None] * n,
            "largest_out_other_bank": [False] * n,
            "purchase_on": [None] * n,
            "purchase_purpose": [None] * n,
            "round_trip_fen": np.zeros(n),
            "round_trip_out_fen": np.zeros(n),
            "round_trip_in_on": [None] * n,
            "round_trip_out_on": [None] * n,
        }
        if not rows:
            return out
        ok, pos = self._positions([r[0] for r in rows])
        by_pos: dict[int, list] = {}
        for r, keep, p in zip(rows, ok, np.cumsum(ok) - 1):
            if keep:
                by_pos.setdefault(int(pos[p]), []).append((_date(r[1]), int(r[2]), r[3], r[4], bool(r[5])))
        t30 = a - timedelta(days=30)
        for p, txns in by_pos.items():
            largest = 0
            for day, amount, direction, purpose, other_bank in txns:
                if direction != "out":
                    continue
                if day >= t30 and amount >= largest:
                    largest = amount
                    out["largest_out_on"][p], out["largest_out_purpose"][p] = day, purpose
                    out["largest_out_other_bank"][p] = other_bank
                if purpose in PURCHASE_PURPOSES:
                    out["purchase_on"][p], out["purchase_purpose"][p] = day, purpose
            _round_trips(txns, out, p)
        return out

    def holdings(self, ids: np.ndarray) -> dict:
        a = self.as_of
        d7, d30 = a + timedelta(days=7), a + timedelta(days=30)
        d90 = a + timedelta(days=MATURITY_HORIZON_DAYS)
        held = and_(
            Holding.buy_date < a,
            or_(Holding.maturity_date >= a, and_(Holding.maturity_date.is_(None), Holding.status != "redeemed")),
        )
        amt = Holding.amount_fen
        fund = Product.type == "fund"
        stmt = (
            select(
                Holding.customer_id,
                func.count(func.distinct(Product.type)),
                func.sum(case((Holding.maturity_date < d7, amt), else_=0)),
                func.sum(case((Holding.maturity_date < d30, amt), else_=0)),
                func.sum(case((Holding.maturity_date < d7, 1), else_=0)),
                func.sum(case((Holding.maturity_date < d30, 1), else_=0)),
                func.min(case((Holding.maturity_date < d90, Holding.maturity_date), else_=None)),
                func.sum(case((fund, amt), else_=0)),
                func.sum(case((fund, Holding.current_value_fen), else_=0)),
            )
            .join(Product, Product.id == Holding.product_id)
            .group_by(Holding.customer_id)
        )
        rows = [(*r[:6], _ordinal(r[6]), *r[7:]) for r in self._rows(self._where(stmt, Holding.customer_id, held))]
        names = (
            "product_types maturing_7d maturing_30d maturing_7d_count maturing_30d_count next_maturity fund_cost "
            "fund_value"
        ).split()
        out: dict[str, Any] = self._scatter(rows, {name: i + 1 for i, name in enumerate(names)})
        out.update(self._low_yield_policies(ids, held))
        # What matures first: amount and product type of the soonest maturity date (for "30万理财5天后到期").
        out["next_maturity_fen"] = np.zeros(len(ids))
        out["next_maturity_type"] = [None] * len(ids)
        soon = self._rows(
            self._where(
                select(Holding.customer_id, Holding.maturity_date, amt, Product.type)
                .join(Product, Product.id == Holding.product_id)
                .order_by(Holding.customer_id, Holding.maturity_date, Holding.amount_fen.desc()),
                Holding.customer_id,
                held,
                Holding.maturity_date < d30,
            )
        )
        if soon:
            ok, pos = self._positions([r[0] for r in soon])
            for r, keep, p in zip(soon, ok, np.cumsum(ok) - 1):
                if not keep:
                    continue
                i = int(pos[p])
                if _ordinal(r[1]) != out["next_maturity"][i]:
                    continue
                out["next_maturity_fen"][i] += int(r[2])
                if out["next_maturity_type"][i] is None:
                    out["next_maturity_type"][i] = r[3]
        return out

    def _low_yield_policies(self, ids: np.ndarray, held) -> dict[str, np.ndarray]:
        """Policies old enough and trailing their stated return (bot.policy_review): amount, lowest realised bp."""
        a = self.as_of
        amount = np.zeros(len(ids))
        realised_bp = np.full(len(ids), np.nan)
        rows = self._rows(
            self._where(
                select(
                    Holding.customer_id,
                    Holding.amount_fen,
                    Holding.current_value_fen,
                    Holding.buy_date,
                    Product.expected_yield_bp,
                ).join(Product, Product.id == Holding.product_id),
                Holding.customer_id,
                held,
                Product.type == "insurance",
                Holding.buy_date <= a - timedelta(days=policy_review.MIN_HELD_DAYS),
            )
        )
        if rows:
            ok, pos = self._positions([r[0] for r in rows])
            for r, keep, p in zip(rows, ok, np.cumsum(ok) - 1):
                bought = _date(r[3])
                if not keep or bought is None or not policy_review.needs_review(int(r[1]), int(r[2]), bought, a, r[4]):
                    continue
                i = int(pos[p])
                amount[i] += int(r[1])
                pct = policy_review.realised_yearly_pct(int(r[1]), int(r[2]), bought, a) or 0.0
                realised_bp[i] = min(realised_bp[i], pct * 100) if not np.isnan(realised_bp[i]) else pct * 100
        return {"low_yield_insurance": amount, "low_yield_bp": realised_bp}

    def complaints(self, ids: np.ndarray) -> dict:
        a = self.as_of
        rows = self._rows(
            self._where(
                select(
                    Complaint.customer_id,
                    Complaint.filed_on,
                    Complaint.category,
                    Complaint.resolved,
                    Complaint.resolved_on,
                ).order_by(Complaint.customer_id, Complaint.filed_on, Complaint.id),
                Complaint.customer_id,
                Complaint.filed_on < a,
            )
        )
        n = len(ids)
        out: dict[str, Any] = {
            "open": np.zeros(n),
            "recent": np.zeros(n),
            "category": [None] * n,
            "filed_on": [None] * n,
        }
        if not rows:
            return out
        ok, pos = self._positions([r[0] for r in rows])
        recent_from = a - timedelta(days=180)
        for r, keep, p in zip(rows, ok, np.cumsum(ok) - 1):
            if not keep:
                continue
            i = int(pos[p])
            filed = _date(r[1])
            resolved_on = _date(r[4])
            # Open at as_of unless resolved before it; a resolved flag without a date counts as resolved.
            is_open = (resolved_on is None and not r[3]) or (resolved_on is not None and resolved_on >= a)
            if filed >= recent_from:  # type: ignore[operator]  # filed_on < a above: never NULL
                out["recent"][i] += 1
            if is_open:
                out["open"][i] += 1
                if out["category"][i] is None:  # the oldest open one
                    out["category"][i], out["filed_on"][i] = r[2], filed
        return out

    def contacts(self, ids: np.ndarray) -> dict:
        a = self.as_of
        since = _midnight(a - timedelta(days=CONTACT_LOOKBACK_DAYS))
        last = self._rows(
            self._where(
                select(Contact.customer_id, func.max(Contact.contacted_at)).group_by(Contact.customer_id),
                Contact.customer_id,
                Contact.contacted_at >= since,
                Contact.contacted_at < self.start,
            )
        )
        out: dict[str, Any] = self._scatter([(r[0], _ordinal(r[1])) for r in last], {"last": 1})
        # The latest purpose a client stated to their RM in the last 90 days.
        stated = self._rows(
            self._where(
                select(Contact.customer_id, Contact.contacted_at, Contact.stated_purpose).order_by(
                    Contact.customer_id, Contact.contacted_at, Contact.id
                ),
                Contact.customer_id,
                Contact.stated_purpose.is_not(None),
                Contact.stated_purpose != "",
                Contact.contacted_at >= _midnight(a - timedelta(days=LOOKBACK_DAYS)),
                Contact.contacted_at < self.start,
            )
        )
        out["purpose"] = [None] * len(ids)
        out["purpose_on"] = [None] * len(ids)
        if stated:
            ok, pos = self._positions([r[0] for r in stated])
            for r, keep, p in zip(stated, ok, np.cumsum(ok) - 1):
                if keep:
                    i = int(pos[p])
                    out["purpose"][i], out["purpose_on"][i] = r[2], _date(r[1])
        return out


def _round_trips(txns: list[tuple[date, int, str, str, bool]], out: dict, p: int) -> None:
    """Large inflows that leave again within ROUND_TRIP_DAYS with most of the money: money parked by a
    middleman around a reporting date. Each outflow pays back at most one inflow."""
    used: set[int] = set()
    for i, (day, amount, direction, _purpose, _other) in enumerate(txns):
        if direction != "in" or amount < ROUND_TRIP_MIN_FEN:
            continue
        for j in range(i + 1, len(txns)):
            d2, a2, dir2 = txns[j][:3]
            if (d2 - day).days > ROUND_TRIP_DAYS:
                break
            if dir2 == "out" and j not in used and a2 >= ROUND_TRIP_SHARE * amount:
                used.add(j)
                out["round_trip_fen"][p] += amount
                out["round_trip_out_fen"][p] += a2
                out["round_trip_in_on"][p], out["round_trip_out_on"][p] = day, d2
                break
