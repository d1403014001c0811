"""Aggregates and rankings read complete scores: clients nobody has asked about yet are scored first.

The nightly batch (python -m scoring score) scores every client before the morning; this covers a day it
did not run, or clients added since, so that "今天先联系谁" and the branch overview never rank or count
only the clients someone happened to ask a churn question about. Scores are written (one per client and
day), so the cost is paid once a day.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.orm import Session

from scoring.model import ModelMismatchError, ModelNotFoundError
from scoring.service import risk_for_customers

logger = logging.getLogger(__name__)


def ensure_scores(session: Session, customer_ids: list[int], today: date) -> bool:
    """Score the clients without a score for `today`; False when no churn model is available (the
    answer then ranks without risk, as before a model was trained)."""
    try:
        risk_for_customers(session, customer_ids, today)
    except (ModelNotFoundError, ModelMismatchError) as exc:
        logger.warning("churn model unavailable, ranking without scores: %s", exc)
        return False
    session.flush()
    return True
