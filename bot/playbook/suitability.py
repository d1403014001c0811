"""Suitability (适当性): what may be suggested to a client, and what the RM must say and do when selling.

The one home of the rule, used by every place that suggests a product (scripts, next steps, advice):
- a client's risk rating is C1..C5, a product's risk level R1..R5; nothing above the rating is suggested
  (R{n} only to C{n} and higher);
- a rating older than RATING_VALID_DAYS (a year), or none at all, must be redone before any sale;
- every suggestion of a wealth product carries the standard disclosure, net-value products are said to be so,
  and a sale in the branch is recorded (双录).
Wording lives in advice.yml (`compliance`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot import formatting as fmt
from bot.playbook.library import advice_library
from bot.store.situation import ClientSituation

RATING_VALID_DAYS = 365
LEVELS = (1, 2, 3, 4, 5)
# Product types sold as wealth products (disclosure, 双录); deposits, CDs and treasury bonds are not.
WEALTH_TYPES = frozenset({"wealth", "fund", "insurance"})
NET_VALUE_TYPES = frozenset({"wealth", "fund"})  # priced at net value, principal not guaranteed


def _level(code: str | None, prefix: str) -> int | None:
    code = (code or "").strip().upper()
    if len(code) == 2 and code[0] == prefix and code[1].isdigit() and int(code[1]) in LEVELS:
        return int(code[1])
    return None


def client_level(rating: str | None) -> int | None:
    """C3 -> 3; None for a missing or malformed rating."""
    return _level(rating, "C")


def product_level(risk: str | None) -> int | None:
    """R3 -> 3; None for a missing or malformed level."""
    return _level(risk, "R")


def rating_state(s: ClientSituation, today: date) -> str:
    """valid | expired (older than a year) | missing | unknown (a walk-in with no client record: customer_id 0)."""
    if s.customer_id == 0:
        return "unknown"
    if client_level(s.risk_rating) is None or s.risk_rated_on is None:
        return "missing"
    return "expired" if today - s.risk_rated_on > timedelta(days=RATING_VALID_DAYS) else "valid"


def suits(s: ClientSituation, risk: str | None, today: date) -> bool:
    """May a product of this risk level be suggested to this client today?"""
    c, r = client_level(s.risk_rating), product_level(risk)
    return rating_state(s, today) == "valid" and c is not None and r is not None and r <= c


@dataclass(frozen=True)
class Verdict:
    ok: bool
    text: str  # one line for the RM, empty when ok


def check(s: ClientSituation, risk: str | None, today: date) -> Verdict:
    """The answer when the RM asks for a product of this risk level for this client."""
    words = advice_library()["compliance"]
    values = _values(s)
    state = rating_state(s, today)
    if state != "valid":
        return Verdict(False, words[f"rating_{state}"].format(**values))
    if product_level(risk) is None:
        return Verdict(False, words["risk_unknown"].format(**values))
    if not suits(s, risk, today):
        return Verdict(False, words["unsuitable"].format(risk=risk, **values))
    return Verdict(True, "")


def sale_notes(
    s: ClientSituation,
    today: date,
    *,
    product_type: str | None = None,
    product_risk: str | None = None,
    wealth: bool = True,
) -> tuple[str, ...]:
    """What the RM must keep in mind when this reply suggests a product: rating, suitability, disclosure, 双录.

    product_type / product_risk: the product the suggestion is measured against (a maturing holding to be
    replaced by a comparable one); wealth: whether the suggestion is a wealth product (not a plain deposit).
    """
    words = advice_library()["compliance"]
    values = _values(s)
    notes: list[str] = []
    state = rating_state(s, today)
    if state != "valid":
        notes.append(words[f"rating_{state}"].format(**values))
    elif product_risk is not None and not suits(s, product_risk, today):
        notes.append(
            f"{words['unsuitable'].format(risk=product_risk, **values)}，{words['within_rating'].format(**values)}"
        )
    if wealth:  # one line: disclosure, net value, 双录
        parts = [words["disclosure"]]
        if product_type is None or product_type in NET_VALUE_TYPES:
            parts.append(words["net_value"])
        parts.append(words["recorded_sale"])
        notes.append("；".join(parts))
    return tuple(notes)


def _values(s: ClientSituation) -> dict[str, str]:
    level = client_level(s.risk_rating)
    return {
        "address": fmt.form_of_address(s.name, s.gender, s.tier, s.occupation),
        "rating": s.risk_rating or "",
        "rated_on": fmt.short_day(s.risk_rated_on) if s.risk_rated_on else "",
        "rated_year": str(s.risk_rated_on.year) if s.risk_rated_on else "",
        "max_risk": f"R{level}" if level else "",
        "pronoun": {"F": "她", "M": "他"}.get((s.gender or "").upper(), "该客户"),
    }
