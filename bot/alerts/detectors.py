"""Same-day alerts found in data as it arrives: new transactions and new churn scores since a watermark.

Each detector reads only rows after its watermark (the last transaction / score id it examined, kept in
`alert_watermarks`) and the queue writes and the watermark move in one transaction, so a restart resumes
where the last committed pass stopped and re-examined rows only meet the outbox's unique key.

* large movement (domain.md, seed 002): for a client with 50万 or more in assets, the sum of one day's
  inflows or outflows reaching ±20万 (bot.tiers.LARGE_MOVEMENT_FEN) -> the RM and the branch head;
* money to other banks: a day's transfers out to other banks reaching OTHER_BANK_ALERT_FEN -> the RM
  (not repeated when the same outflow already makes a large-movement alert);
* salary stopped: a client paid through this bank every month whose salary has not come for
  SALARY_GAP_DAYS -> the RM (a daily check; its watermark is the day examined);
* risk rising to high: a new score of the high band when the client's previous score was below it -> the
  RM, with the scorer's first reason. A first-ever score has nothing to rise from and is left to the
  briefing's "new high-risk" line (otherwise the first scoring run would alert on every high-risk client);
  rises found overnight before a briefing morning are left to the briefing too (bot.alerts.jobs.detect).

This is the alerts' own per-day reading over transactions, apart from the daily plan's 30-day signals in
bot/playbook/signals.py.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from bot import tiers
from bot.alerts.facts import Client, LargeMovement, OtherBankTransfer, RiskRise, SalaryStopped
from bot.risk_bands import HIGH_RISK_SCORE
from bot.store.models import AlertWatermark, ChurnScore, Customer, Transaction
from bot.store.situation import NOTABLE_OUTFLOW_FEN, first_reason_text
from bot.store.values import as_date

# Clients with at least this much in assets have their ±20万 days reported (seed 002: the 50万-200万 band and up).
LARGE_MOVEMENT_FLOOR_FEN = 50 * tiers.WAN
# A day's transfers to other banks worth a call: the size the store already calls a notable outflow (5万) -
# the first tranche of money leaving for a competitor's product, well above card repayments and daily spending.
OTHER_BANK_ALERT_FEN = NOTABLE_OUTFLOW_FEN
# Only today's and yesterday's transactions alert ("by the end of the day or the next day"); older rows
# arriving late, or a first run over the whole history, are examined but stay quiet.
LOOKBACK_DAYS = 1
# A monthly salary is late after a month and ten days; reported within the two weeks after that.
SALARY_GAP_DAYS = 40
SALARY_REPORT_DAYS = 14
SALARY_HISTORY_DAYS = 150
SALARY_MIN_CREDITS = 3  # paid regularly: at least three credits in the history before the gap
SCORE_HISTORY_DAYS = 120
BATCH = 50_000  # new rows examined per query
_CHUNK = 500

TXN_DETECTOR = "transactions"
SCORE_DETECTOR = "churn_scores"
SALARY_DETECTOR = "salary_stopped"
BRIEFING_DETECTOR = "briefing"


def watermark(session: Session, detector: str) -> int:
    value = session.execute(select(AlertWatermark.last_id).where(AlertWatermark.detector == detector)).scalar()
    return int(value) if value is not None else 0


def set_watermark(session: Session, detector: str, last_id: int, now: datetime) -> None:
    """Move forward only; an upsert, so two workers passing at once do not collide on the first row."""
    table = AlertWatermark.__table__
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(table).values(detector=detector, last_id=last_id, updated_at=now)
    ahead = stmt.excluded.last_id > table.c.last_id
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["detector"],
            set_={
                "last_id": case((ahead, stmt.excluded.last_id), else_=table.c.last_id),
                "updated_at": case((ahead, stmt.excluded.updated_at), else_=table.c.updated_at),
            },
        )
    )


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def clients(session: Session, ids: Iterable[int]) -> dict[int, Client]:
    out: dict[int, Client] = {}
    for chunk in _chunks(sorted(set(ids))):
        rows = session.execute(
            select(
                Customer.id, Customer.name, Customer.tier, Customer.aum_fen, Customer.rm_id, Customer.branch_id
            ).where(Customer.id.in_(chunk), Customer.closed_on.is_(None))
        ).all()
        for cid, name, tier, aum, rm_id, branch_id in rows:
            out[cid] = Client(cid, name, tier, int(aum or 0), rm_id, branch_id)
    return out


@dataclass
class TransactionFindings:
    movements: list[LargeMovement]
    other_bank: list[OtherBankTransfer]
    last_id: int
    examined: int


def scan_transactions(session: Session, after_id: int, today: date) -> TransactionFindings:
    """Large movements and transfers to other banks on the (client, day)s touched by transactions after `after_id`."""
    top = session.execute(select(func.max(Transaction.id))).scalar_one_or_none() or 0
    findings = TransactionFindings([], [], max(after_id, top), 0)
    if top <= after_id:
        return findings
    since = datetime.combine(today - timedelta(days=LOOKBACK_DAYS), time.min)
    until = datetime.combine(today + timedelta(days=1), time.min)
    touched: set[tuple[int, date]] = set()
    lo = after_id
    while lo < top:
        hi = min(top, lo + BATCH)
        rows = session.execute(
            select(Transaction.customer_id, Transaction.occurred_at).where(
                Transaction.id > lo, Transaction.id <= hi, Transaction.occurred_at >= since
            )
        ).all()
        findings.examined += hi - lo
        touched.update((cid, as_date(at)) for cid, at in rows)
        lo = hi
    if not touched:
        return findings
    who = clients(session, {cid for cid, _ in touched})
    days: dict[tuple[int, date], dict] = {}
    for chunk in _chunks(sorted(who)):
        rows = session.execute(
            select(
                Transaction.customer_id,
                Transaction.occurred_at,
                Transaction.direction,
                Transaction.amount_fen,
                Transaction.other_bank,
                Transaction.counterparty,
            ).where(
                Transaction.customer_id.in_(chunk), Transaction.occurred_at >= since, Transaction.occurred_at < until
            )
        ).all()
        for cid, at, direction, amount, other_bank, counterparty in rows:
            key = (cid, as_date(at))
            if key not in touched:
                continue
            d = days.setdefault(key, {"in": 0, "out": 0, "other": 0, "largest_other": (0, None)})
            d[direction] += int(amount)
            if direction == "out" and other_bank:
                d["other"] += int(amount)
                if amount > d["largest_other"][0]:
                    d["largest_other"] = (int(amount), counterparty)
    for (cid, day), d in sorted(days.items()):
        c = who[cid]
        # Assets before the day's movements, as far as the denormalised figure allows (it may not be refreshed yet).
        assets = max(c.aum_fen, c.aum_fen + d["out"] - d["in"])
        large_out = False
        if assets >= LARGE_MOVEMENT_FLOOR_FEN:
            for direction in ("out", "in"):
                if d[direction] >= tiers.LARGE_MOVEMENT_FEN:
                    other = d["other"] if direction == "out" else 0
                    findings.movements.append(LargeMovement(c, day, direction, d[direction], other))
                    large_out = large_out or direction == "out"
        if d["other"] >= OTHER_BANK_ALERT_FEN and not large_out and c.rm_id:
            findings.other_bank.append(OtherBankTransfer(c, day, d["other"], d["largest_other"][1]))
    return findings


@dataclass
class ScoreFindings:
    rises: list[RiskRise]
    last_id: int
    examined: int


def scan_scores(session: Session, after_id: int, today: date) -> ScoreFindings:
    top = session.execute(select(func.max(ChurnScore.id))).scalar_one_or_none() or 0
    findings = ScoreFindings([], max(after_id, top), 0)
    if top <= after_id:
        return findings
    fresh: dict[int, tuple] = {}
    lo = after_id
    while lo < top:
        hi = min(top, lo + BATCH)
        rows = session.execute(
            select(ChurnScore.customer_id, ChurnScore.as_of, ChurnScore.score, ChurnScore.reasons, ChurnScore.id)
            .where(
                ChurnScore.id > lo,
                ChurnScore.id <= hi,
                ChurnScore.as_of >= today - timedelta(days=LOOKBACK_DAYS),
                ChurnScore.score >= HIGH_RISK_SCORE,
            )
            .order_by(ChurnScore.id)
        ).all()
        findings.examined += hi - lo
        for row in rows:
            fresh[row[0]] = tuple(row)  # the latest new high score per client
        lo = hi
    if not fresh:
        return findings
    who = clients(session, fresh)
    earlier = _scores_before(session, {cid: fresh[cid][1] for cid in who})
    for cid in sorted(who):
        _cid, as_of, score, reasons, _id = fresh[cid]
        previous = earlier.get(cid)
        if previous is None or previous >= HIGH_RISK_SCORE or not who[cid].rm_id:
            continue
        findings.rises.append(RiskRise(who[cid], as_date(as_of), float(score), previous, first_reason_text(reasons)))
    return findings


def _scores_before(session: Session, as_of_by_client: dict[int, date]) -> dict[int, float]:
    """Each client's latest score dated before the given day (the last scored among several models)."""
    out: dict[int, tuple] = {}
    earliest = min(as_of_by_client.values(), default=date.today()) - timedelta(days=SCORE_HISTORY_DAYS)
    for chunk in _chunks(sorted(as_of_by_client)):
        rows = session.execute(
            select(ChurnScore.customer_id, ChurnScore.as_of, ChurnScore.scored_at, ChurnScore.id, ChurnScore.score)
            .where(ChurnScore.customer_id.in_(chunk), ChurnScore.as_of >= earliest)
            .order_by(ChurnScore.customer_id, ChurnScore.as_of, ChurnScore.scored_at, ChurnScore.id)
        ).all()
        for cid, as_of, _at, _id, score in rows:
            if as_date(as_of) < as_of_by_client[cid]:
                out[cid] = (as_of, float(score))
    return {cid: score for cid, (_as_of, score) in out.items()}


def new_high_risk(session: Session, ids: Iterable[int], today: date) -> dict[int, str | None]:
    """For the briefing: clients whose latest score, dated yesterday or today, is high while the one before
    it (if any) was not; the value is the first reason."""
    out: dict[int, str | None] = {}
    since = today - timedelta(days=SCORE_HISTORY_DAYS)
    for chunk in _chunks(sorted(set(ids))):
        rows = session.execute(
            select(ChurnScore.customer_id, ChurnScore.as_of, ChurnScore.score, ChurnScore.reasons)
            .where(ChurnScore.customer_id.in_(chunk), ChurnScore.as_of >= since, ChurnScore.as_of <= today)
            .order_by(ChurnScore.customer_id, ChurnScore.as_of, ChurnScore.scored_at, ChurnScore.id)
        ).all()
        history: dict[int, list[tuple]] = defaultdict(list)
        for cid, as_of, score, reasons in rows:
            seq = history[cid]
            if seq and seq[-1][0] == as_date(as_of):
                seq[-1] = (as_date(as_of), float(score), reasons)  # several models on one day: the last scored
            else:
                seq.append((as_date(as_of), float(score), reasons))
        for cid, seq in history.items():
            as_of, score, reasons = seq[-1]
            if as_of < today - timedelta(days=1) or score < HIGH_RISK_SCORE:
                continue
            if len(seq) > 1 and seq[-2][1] >= HIGH_RISK_SCORE:
                continue
            out[cid] = first_reason_text(reasons)
    return out


def scan_salary(session: Session, today: date) -> list[SalaryStopped]:
    since = datetime.combine(today - timedelta(days=SALARY_HISTORY_DAYS), time.min)
    until = datetime.combine(today + timedelta(days=1), time.min)
    rows = session.execute(
        select(Transaction.customer_id, Transaction.occurred_at, Transaction.amount_fen).where(
            and_(
                Transaction.purpose == "salary",
                Transaction.direction == "in",
                Transaction.occurred_at >= since,
                Transaction.occurred_at < until,
            )
        )
    ).all()
    credits: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for cid, at, amount in rows:
        credits[cid].append((as_date(at), int(amount)))
    stopped: dict[int, tuple[date, int, int]] = {}
    for cid, seq in credits.items():
        seq.sort()
        last = seq[-1][0]
        gap = (today - last).days
        if SALARY_GAP_DAYS <= gap < SALARY_GAP_DAYS + SALARY_REPORT_DAYS and len(seq) >= SALARY_MIN_CREDITS:
            stopped[cid] = (last, int(statistics.median(a for _, a in seq)), gap)
    who = clients(session, stopped)
    return [SalaryStopped(who[cid], *stopped[cid]) for cid in sorted(who) if who[cid].rm_id]
