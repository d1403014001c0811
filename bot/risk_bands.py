"""Risk bands on the calibrated 90-day churn probability, shared by the store, the scorer and the replies.

The demo bank's base rate per 90-day window is a few percent, so 0.30 is roughly ten times the average
client's risk (these clients are called first) and 0.10 about three times it (call this month).
"""

from __future__ import annotations

HIGH_RISK_SCORE = 0.30
MEDIUM_RISK_SCORE = 0.10
BANDS = {"high": HIGH_RISK_SCORE, "medium": MEDIUM_RISK_SCORE}


def band_for(score: float) -> str:
    """'high' | 'medium' | 'low'."""
    if score >= HIGH_RISK_SCORE:
        return "high"
    if score >= MEDIUM_RISK_SCORE:
        return "medium"
    return "low"
