"""What a client says the money is for, and the churn type that purpose means (domain.md, seed 003).

The one mapping of purpose -> churn type: the scorer's churn type, the next steps and the script choice all
read it. The courses class cash needs for a house, a car, school, a business or medical care as
consumption-driven (消费导向型): the money leaves for a need, not for a better yield. Only moving the money to
another bank's product is product-driven (产品导向型).
"""

from __future__ import annotations

CHURN_TYPE_BY_PURPOSE = {
    "house": "consumption",
    "car": "consumption",
    "school": "consumption",
    "business": "consumption",
    "medical": "consumption",
    "other_bank": "product",
}
PURPOSES = tuple(CHURN_TYPE_BY_PURPOSE)  # every purpose the playbook knows, in a stable order
CONSUMPTION_PURPOSES = frozenset(p for p, kind in CHURN_TYPE_BY_PURPOSE.items() if kind == "consumption")
# Purchases an RM may meet with a loan or instalments (house, car, school); business and medical needs are not
# sold credit to keep a deposit.
FINANCEABLE_PURPOSES = frozenset({"house", "car", "school"})


def churn_type_for(purpose: str | None) -> str | None:
    """The churn type a stated purpose means, or None when the purpose says nothing (unknown, empty)."""
    return CHURN_TYPE_BY_PURPOSE.get(purpose or "")
