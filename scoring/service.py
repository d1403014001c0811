"""What the assistant calls: churn risk for a list of customers, from stored scores or computed on demand.

Blocking (database and model): async callers run these in a thread with a session of their own.

    risk_for_customers(session, customer_ids, as_of) -> {customer_id: RiskResult}
    top_risk(session, customer_ids, as_of, n) -> [RiskResult, ...] riskiest first

A stored score is used when one exists for `as_of`, else the most recent one at most STALE_AFTER_DAYS older;
anyone without such a score is scored on the spot with the served model (loaded once per process, reloaded when
the file changes) and the result is stored, so the next question is a lookup. Bands: see `bot.risk_bands`.

churn_scores.reasons holds a JSON list: the reasons ({"code", "text", "contribution"}, strongest first) followed
by one {"code": "churn_type_evidence", "evidence": [...]} element (the table has no column of its own for it).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

from bot import clock, labels
from bot.risk_bands import band_for
from bot.store.models import ChurnScore
from scoring.churn_type import decide_churn_type
from scoring.features import build_features
from scoring.model import ChurnModel, load_model, model_path
from scoring.reasons import Reason, reasons_for

STALE_AFTER_DAYS = 31
EVIDENCE_CODE = "churn_type_evidence"
_IN_CHUNK = 500


@dataclass(frozen=True)
class RiskResult:
    customer_id: int
    score: float  # calibrated probability of churn within 90 days, 0..1
    band: str  # high | medium | low (bot.risk_bands)
    churn_type: str  # product | service | consumption | intermediary | none
    type_evidence: list[str] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    model_version: str = ""
    scored_at: datetime | None = None
    as_of: date | None = None

    @property
    def churn_type_label(self) -> str:
        return labels.CHURN_TYPE.get(self.churn_type, self.churn_type)

    @property
    def first_reason(self) -> Reason | None:
        return self.reasons[0] if self.reasons else None


# -- the model, once per process ---------------------------------------------------------------------------
_model_lock = threading.Lock()
_model_cache: dict[str, tuple[float, ChurnModel]] = {}


def get_model(path: str | Path | None = None) -> ChurnModel:
    """The served model (BOT_CHURN_MODEL or var/churn/model.joblib), loaded once and reused; a retrained file
    (new modification time) is picked up on the next call. Raises ModelNotFoundError / ModelMismatchError."""
    p = Path(path or model_path())
    key = str(p.resolve())
    mtime = p.stat().st_mtime if p.exists() else -1.0
    with _model_lock:
        cached = _model_cache.get(key)
        if cached and cached[0] == mtime:
            return cached[1]
        model = load_model(p)
        _model_cache[key] = (mtime, model)
        return model


# -- scoring -------------------------------------------------------------------------------------------------
def assess(
    model: ChurnModel, as_of: date, ids: np.ndarray, X: np.ndarray, facts: list[dict], scored_at: datetime | None = None
) -> list[RiskResult]:
    """Score, reasons and churn type for feature rows built by `build_features`."""
    if len(ids) == 0:
        return []
    scored_at = scored_at or clock.now().replace(microsecond=0)
    bias, contrib = model.contributions(X)
    scores = model.calibrate(bias + contrib.sum(axis=1))
    reasons = reasons_for(contrib, facts)
    out = []
    for cid, score, rs, f in zip(ids.tolist(), scores.tolist(), reasons, facts):
        kind = decide_churn_type(f)
        out.append(
            RiskResult(
                customer_id=int(cid),
                score=round(float(score), 4),
                band=band_for(score),
                churn_type=kind.code,
                type_evidence=list(kind.evidence),
                reasons=rs,
                model_version=model.version,
                scored_at=scored_at,
                as_of=as_of,
            )
        )
    return out


def to_row(r: RiskResult) -> dict:
    payload = [x.to_dict() for x in r.reasons] + [{"code": EVIDENCE_CODE, "evidence": list(r.type_evidence)}]
    return {
        "customer_id": r.customer_id,
        "as_of": r.as_of,
        "score": r.score,
        "churn_type": r.churn_type,
        "reasons": json.dumps(payload, ensure_ascii=False),
        "model_version": r.model_version,
        "scored_at": r.scored_at,
    }


def from_row(row: Any) -> RiskResult:
    reasons, evidence = [], []
    try:
        items = json.loads(row.reasons or "[]")
    except ValueError:
        items = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        if item.get("code") == EVIDENCE_CODE:
            evidence = [str(e) for e in item.get("evidence") or []]
        elif item.get("text"):
            reasons.append(Reason.from_dict(item))
    score = float(row.score)
    return RiskResult(
        customer_id=int(row.customer_id),
        score=score,
        band=band_for(score),
        churn_type=row.churn_type,
        type_evidence=evidence,
        reasons=reasons,
        model_version=row.model_version,
        scored_at=row.scored_at,
        as_of=row.as_of,
    )


def insert_scores(conn: Any, results: Sequence[RiskResult]) -> int:
    """Insert, skipping any (customer, as_of, model_version) already stored; returns rows offered."""
    return insert_rows(conn, [to_row(r) for r in results])


def insert_rows(conn: Any, rows: list[dict]) -> int:
    """`insert_scores` for rows already made by `to_row`."""
    if not rows:
        return 0
    dialect = _dialect_name(conn)
    table = ChurnScore.__table__
    if dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        stmt = insert(table).on_conflict_do_nothing(index_elements=["customer_id", "as_of", "model_version"])
        conn.execute(stmt, rows)
        return len(rows)
    # Other databases: skip the keys already present (single writer assumed there).
    have = _stored_keys(conn, [r["customer_id"] for r in rows], rows[0]["as_of"], rows[0]["model_version"])
    fresh = [r for r in rows if r["customer_id"] not in have]
    if fresh:
        conn.execute(table.insert(), fresh)
    return len(rows)


def _stored_keys(conn: Any, ids: list[int], as_of: date, version: str) -> set[int]:
    out: set[int] = set()
    for i in range(0, len(ids), _IN_CHUNK):
        part = ids[i : i + _IN_CHUNK]
        out.update(
            r[0]
            for r in conn.execute(
                select(ChurnScore.customer_id).where(
                    ChurnScore.customer_id.in_(part), ChurnScore.as_of == as_of, ChurnScore.model_version == version
                )
            )
        )
    return out


def _dialect_name(conn: Any) -> str:
    bind = conn.get_bind() if hasattr(conn, "get_bind") else conn
    return bind.dialect.name


# -- what the assistant calls ---------------------------------------------------------------------------------
def stored_risk(session: Any, customer_ids: Iterable[int], as_of: date) -> dict[int, RiskResult]:
    """Latest stored score per customer with as_of in [as_of - STALE_AFTER_DAYS, as_of]."""
    ids = sorted({int(i) for i in customer_ids})
    out: dict[int, RiskResult] = {}
    oldest = as_of - timedelta(days=STALE_AFTER_DAYS)
    for i in range(0, len(ids), _IN_CHUNK):
        rows = session.execute(
            select(ChurnScore)
            .where(
                ChurnScore.customer_id.in_(ids[i : i + _IN_CHUNK]),
                ChurnScore.as_of <= as_of,
                ChurnScore.as_of >= oldest,
            )
            .order_by(
                ChurnScore.customer_id, ChurnScore.as_of.desc(), ChurnScore.scored_at.desc(), ChurnScore.id.desc()
            )
        ).scalars()
        for row in rows:
            if row.customer_id not in out:
                out[row.customer_id] = from_row(row)
    return out


def risk_for_customers(
    session: Any,
    customer_ids: Iterable[int],
    as_of: date | None = None,
    *,
    model: ChurnModel | None = None,
    persist: bool = True,
) -> dict[int, RiskResult]:
    """Risk for each existing customer among `customer_ids` (unknown ids are left out), keyed by id."""
    as_of = as_of or clock.today()
    ids = sorted({int(i) for i in customer_ids})
    found = stored_risk(session, ids, as_of)
    missing = [i for i in ids if i not in found]
    if missing:
        model = model or get_model()
        f_ids, X, facts = build_features(session, as_of, missing)
        fresh = assess(model, as_of, f_ids, X, facts)
        if persist and fresh:
            insert_scores(session, fresh)
        found.update((r.customer_id, r) for r in fresh)
    return {i: found[i] for i in ids if i in found}


def top_risk(
    session: Any,
    customer_ids: Iterable[int],
    as_of: date | None = None,
    n: int = 10,
    *,
    model: ChurnModel | None = None,
) -> list[RiskResult]:
    """The `n` riskiest of `customer_ids`, highest score first (ties: lower customer id first)."""
    risks = risk_for_customers(session, customer_ids, as_of, model=model)
    return sorted(risks.values(), key=lambda r: (-r.score, r.customer_id))[: max(0, n)]
