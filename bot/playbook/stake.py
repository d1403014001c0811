"""What a plan line puts at stake: expected loss = how likely the money goes × how much × how soon.

- How likely: the churn score when the client has one, never below the floor of the reason — a client who
  said they will take the money out, or whose product matures, can move it whatever a model says.
- How much: the sum the reason names (the announced withdrawal, the maturing product, the client's assets
  for a large movement, a complaint, a high risk or an overdue contact).
- How soon: 1 / (1 + days until the money can go): today counts in full, tomorrow half, a week out an eighth.
  Reasons with no date of their own (a complaint, an overdue contact) are given the horizon below.

The numbers are a ranking, not a forecast: they only decide who is called first.
"""

from __future__ import annotations

from datetime import date

# The least likelihood of losing the money for each reason, whatever the score says.
FLOOR = {
    "announced_withdrawal": 1.0,  # the client said so
    "large_outflow": 0.6,  # it is already moving
    "large_outflow_report": 0.3,
    "maturing_today": 0.3,
    "maturing_tomorrow": 0.3,
    "complaint": 0.3,
    "handed_over": 0.3,  # the RM who left may take the client along
    "large_inflow": 0.1,
    "large_inflow_report": 0.05,
    "high_risk": 0.0,
    "high_risk_no_reason": 0.0,
    "overdue": 0.05,
    "never_contacted": 0.05,
    "maturing_this_week": 0.2,
    "birthday": 0.02,
}
# Days until the money can go, for reasons without a date of their own.
HORIZON_DAYS = {
    "large_outflow": 3,  # what is left may follow within days
    "large_outflow_report": 3,
    "large_inflow": 7,
    "large_inflow_report": 7,
    "complaint": 7,
    "handed_over": 7,  # introduce yourself within the week
    "high_risk": 14,
    "high_risk_no_reason": 14,
    "overdue": 30,
    "never_contacted": 30,
}
DEFAULT_HORIZON_DAYS = 30


def expected_loss(reason: str, score: float | None, at_stake_fen: int, due: date | None, today: date) -> float:
    likelihood = max(score or 0.0, FLOOR.get(reason, 0.0))
    days = (due - today).days if due is not None else HORIZON_DAYS.get(reason, DEFAULT_HORIZON_DAYS)
    return likelihood * max(at_stake_fen, 0) / (1 + max(days, 0))
