"""Top reasons behind a score, read from the model's own contributions (see `scoring.contributions`).

Related features form one reason (AUM change over 30/90/180 days is one "assets falling" reason); a reason's
weight is the sum of its features' contributions in log-odds, so the reasons add up with the rest of the
explanation to the raw score. A customer's reasons are the groups that raise the risk most, strongest first,
worded with the customer's numbers by `scoring.reason_text`. Two kinds of group are never shown: profile
features nobody can act on (age, tenure, AUM level, tier), and groups whose numbers show nothing to worry about
(the model may lean on "contacted 3 days ago" versus the average; that is not a reason to call).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoring import reason_text
from scoring.features import FEATURE_INDEX, FEATURES

REASON_FEATURES: dict[str, tuple[str, ...]] = {
    "aum_drop": ("aum_change_30d", "aum_change_90d", "aum_change_180d"),
    "maturing": ("maturing_7d_wan", "maturing_30d_wan", "days_to_maturity"),
    "other_bank": ("other_bank_out_30d_wan", "other_bank_out_90d_wan"),
    "competitor_offer": ("stated_other_bank",),
    "outflow": ("largest_out_30d_wan", "net_flow_90d_wan"),
    "purchase": ("purchase_out_90d_wan", "stated_purchase"),
    "salary_stopped": ("salary_stopped",),
    "inactive": ("days_since_txn", "txn_count_90d"),
    "fund_loss": ("fund_pnl_pct",),
    "low_yield_insurance": ("low_yield_insurance_wan",),
    "complaint": ("open_complaints", "complaints_180d"),
    "no_contact": ("days_since_contact", "contact_overdue_ratio"),
    "round_trip": ("round_trip_90d_wan",),
    "few_products": ("product_count",),
}
PROFILE_FEATURES = ("aum_wan", "tier_rank", "tenure_years", "age")
REASON_CODES = tuple(REASON_FEATURES)
MAX_REASONS = 3
MIN_CONTRIBUTION = 0.05  # log-odds; below this a group barely moves the score

_GROUP_MATRIX = np.zeros((len(FEATURES), len(REASON_CODES)))
for _g, _code in enumerate(REASON_CODES):
    for _name in REASON_FEATURES[_code]:
        _GROUP_MATRIX[FEATURE_INDEX[_name], _g] = 1.0
assert set(FEATURES) == {f for fs in REASON_FEATURES.values() for f in fs} | set(PROFILE_FEATURES)


@dataclass(frozen=True)
class Reason:
    code: str  # one of REASON_CODES
    text: str  # Chinese, with the customer's numbers
    contribution: float  # log-odds this reason adds to the customer's risk

    def to_dict(self) -> dict:
        return {"code": self.code, "text": self.text, "contribution": self.contribution}

    @classmethod
    def from_dict(cls, d: dict) -> Reason:
        return cls(str(d["code"]), str(d["text"]), float(d.get("contribution", 0.0)))


def group_contributions(contrib: np.ndarray) -> np.ndarray:
    """n x len(REASON_CODES): summed contributions of each reason's features."""
    return np.asarray(contrib, dtype=np.float64) @ _GROUP_MATRIX


_MEMBERS = [np.array([FEATURE_INDEX[name] for name in REASON_FEATURES[code]]) for code in REASON_CODES]


def top_reasons(contrib_row: np.ndarray, facts: dict, limit: int = MAX_REASONS) -> list[Reason]:
    """Up to `limit` reasons raising this customer's risk, strongest first."""
    return reasons_for(np.asarray(contrib_row, dtype=np.float64)[None, :], [facts], limit)[0]


def reasons_for(contrib: np.ndarray, facts: list[dict], limit: int = MAX_REASONS) -> list[list[Reason]]:
    """`top_reasons` for many customers: group weights and their order are computed for all rows at once."""
    contrib = np.asarray(contrib, dtype=np.float64)
    groups = group_contributions(contrib)
    order = np.argsort(-groups, axis=1, kind="stable")
    out = []
    for row, ranked, weights, f in zip(contrib, order.tolist(), groups.tolist(), facts):
        found: list[Reason] = []
        for g in ranked:
            weight = weights[g]
            if weight < MIN_CONTRIBUTION or len(found) >= limit:
                break
            members = _MEMBERS[g]
            driver = FEATURES[members[int(np.argmax(row[members]))]] if len(members) > 1 else FEATURES[members[0]]
            text = reason_text.render(REASON_CODES[g], f, driver)
            if text:
                found.append(Reason(REASON_CODES[g], text, round(weight, 4)))
        out.append(found)
    return out
