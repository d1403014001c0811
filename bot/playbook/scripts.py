"""Choose a script (话术) for a client's situation and fill it in.

`script_for(situation, rm_name, branch_name, today, occasion=None, channel=None, purpose=None)`
picks the occasion from the facts unless one is asked for, renders the channel's template, and says
why it chose it. A requested occasion the facts do not support (no product maturing, no complaint…)
falls back to the chosen one, and `why` says so: a script never states something untrue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot import formatting as fmt
from bot import labels, purposes, tiers
from bot.playbook import signals as sig
from bot.playbook import suitability
from bot.playbook.library import CHANNELS, IDENTITY_CHECK, SMS_MAX_CHARS, advice_library, scripts_library
from bot.store.situation import ClientSituation

OCCASIONS = (
    "maturing_before",
    "maturing_today",
    "reconnect",
    "first_contact",
    "tier_upgrade",
    "fund_loss_review",
    "insurance_review",
    "demand_only",
    "service_recovery",
    "large_withdrawal",
    "fraud_warning",
    "account_safety",
    "birthday",
    # Named by staff only ("春节前的问候", "新产品上线的邀约", "基金赚了该不该止盈"); never chosen from the data.
    "festival",
    "new_product",
    "take_profit",
    "condolence",
    "get_well",
)
DEFAULT_FESTIVAL = "节日"
WITHDRAWAL_PURPOSES = (*sig.PURPOSES, "unknown")
FRAUD_SCREEN_AGE = 60  # large withdrawals by clients this old are screened for fraud before anything else
CHANNEL_ALIASES = {"visit": "meeting", "face": "meeting", "lobby": "meeting"}
CHANNEL_ALIASES.update({label: code for code, label in labels.CONTACT_CHANNEL.items()})
CHANNEL_ALIASES.update({"上门": "meeting", "当面": "meeting", "见面": "meeting", "面谈": "meeting"})


@dataclass(frozen=True)
class Script:
    occasion: str
    channel: str  # phone | wechat | sms | meeting
    text: str
    why: str  # short Chinese reason for choosing this script, for the RM
    title: str  # the occasion's Chinese name
    purpose: str | None = (
        None  # large_withdrawal only: house | car | school | other_bank | business | medical | unknown
    )
    kind: str = "appointment"  # appointment | care (care scripts end without a choice and sell nothing)
    notes: tuple[str, ...] = ()  # for the RM, not the client: identity check, suitability, disclosure, 双录


def occasion_title(occasion: str) -> str:
    return scripts_library()["occasions"][occasion]["title"]


def normalise_channel(channel: str | None) -> str | None:
    if channel is None:
        return None
    channel = channel.strip()
    channel = CHANNEL_ALIASES.get(channel, CHANNEL_ALIASES.get(channel.lower(), channel.lower()))
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; known: {', '.join(CHANNELS)}")
    return channel


# --- which occasions the facts support ---------------------------------------------------------

_APPLIES: dict[str, Callable[[ClientSituation], bool]] = {
    "maturing_before": lambda s: any(m.maturity_date > s.as_of for m in s.maturing),
    "maturing_today": lambda s: sig.maturing_on(s, s.as_of) is not None,
    "reconnect": lambda s: True,
    "first_contact": lambda s: True,
    "tier_upgrade": lambda s: tiers.next_tier_floor(s.aum_fen) is not None,
    "fund_loss_review": lambda s: s.fund_loss_pct is not None and s.fund_loss_pct > 0,
    "insurance_review": lambda s: s.low_yield_insurance_product is not None,
    "demand_only": lambda s: s.demand_deposit_fen > 0,
    "service_recovery": lambda s: s.open_complaint is not None,
    "large_withdrawal": lambda s: True,
    "fraud_warning": lambda s: True,
    "account_safety": lambda s: True,
    "birthday": sig.birthday_soon,
    "festival": lambda s: True,
    "new_product": lambda s: True,
    "take_profit": lambda s: True,
    "condolence": lambda s: True,
    "get_well": lambda s: True,
}
# Asked for by name, a birthday greeting is written for the next birthday however far it is.
_APPLIES_WHEN_NAMED = {**_APPLIES, "birthday": lambda s: True}


def applies(occasion: str, s: ClientSituation, named: bool = False) -> bool:
    """Do the facts support this occasion? named: staff asked for it by name (a birthday counts however far)."""
    return (_APPLIES_WHEN_NAMED if named else _APPLIES)[occasion](s)


def choose_occasion(s: ClientSituation, purpose: str | None = None) -> tuple[str, str | None]:
    """(occasion, purpose) the facts call for, most pressing first."""
    if purpose is not None:
        return "large_withdrawal", purpose
    if s.open_complaint is not None:
        return "service_recovery", None
    if sig.maturing_on(s, s.as_of) is not None:
        return "maturing_today", None
    upcoming = [m for m in s.maturing if m.maturity_date > s.as_of]
    if upcoming and (upcoming[0].maturity_date - s.as_of).days <= sig.MATURING_SOON_DAYS:
        return "maturing_before", None
    churn = sig.effective_churn_type(s)
    if churn == "consumption" and (sig.stated_purpose(s) in purposes.CONSUMPTION_PURPOSES or sig.large_outflow(s)):
        return "large_withdrawal", sig.stated_purpose(s) or "unknown"
    if churn == "product" and (s.outflow_30d_other_bank_fen > 0 or sig.stated_purpose(s) == "other_bank"):
        return "large_withdrawal", "other_bank"
    if upcoming:
        return "maturing_before", None
    if sig.needs_first_contact(s):
        return "first_contact", None
    if churn == "service" or sig.long_silence(s):
        return "reconnect", None
    if sig.fund_loss_worth_review(s):
        return "fund_loss_review", None
    if s.low_yield_insurance:
        return "insurance_review", None
    if sig.near_upgrade(s):
        return "tier_upgrade", None
    if sig.demand_only(s):
        return "demand_only", None
    if sig.birthday_soon(s):
        return "birthday", None
    return ("fraud_warning" if s.age >= 60 else "account_safety"), None


def default_channel(occasion: str, requested_purpose: bool) -> str:
    # A purpose given with the question means the client is at the counter right now.
    if occasion == "large_withdrawal" and requested_purpose:
        return "meeting"
    return "phone"


# --- rendering ----------------------------------------------------------------------------------


def script_for(
    situation: ClientSituation,
    rm_name: str,
    branch_name: str,
    today: date,
    occasion: str | None = None,
    channel: str | None = None,
    purpose: str | None = None,
    amount_fen: int | None = None,
    festival: str | None = None,
    named: bool = False,
    product_risk: str | None = None,
) -> Script:
    """The script to use with this client now.

    occasion: one of OCCASIONS to ask for a specific one; purpose: why a large withdrawal is made
    (a bot.purposes code; anything else reads as unknown); amount_fen: the withdrawal
    being made, when known. `today` should equal the day the situation was computed for.
    festival: the festival named (春节…); named: the occasion was named by staff in the message;
    product_risk: the risk level (R1..R5) of the product a new_product script is about, checked against the rating.
    """
    if occasion is not None and occasion not in OCCASIONS:
        raise ValueError(f"unknown occasion {occasion!r}; known: {', '.join(OCCASIONS)}")
    if purpose is not None and purpose not in WITHDRAWAL_PURPOSES:
        purpose = "unknown"
    s = situation if situation.as_of == today else _rebased(situation, today)
    lib = scripts_library()

    fallback_from = None
    if occasion is None:
        chosen, chosen_purpose = choose_occasion(s, purpose)
    elif applies(occasion, s, named):
        chosen, chosen_purpose = occasion, None
        if occasion == "large_withdrawal":
            chosen_purpose = (
                purpose or sig.stated_purpose(s) or ("other_bank" if s.outflow_30d_other_bank_fen > 0 else "unknown")
            )
    else:
        fallback_from = occasion
        chosen, chosen_purpose = choose_occasion(s, purpose)

    requested_channel = normalise_channel(channel)
    used_channel = requested_channel or default_channel(chosen, purpose is not None)

    spec = lib["occasions"][chosen]
    variant = spec["purposes"][chosen_purpose] if chosen == "large_withdrawal" else spec
    values = _values(s, chosen, rm_name, branch_name, amount_fen, festival)
    templates = variant["templates"][used_channel]
    if chosen == "large_withdrawal" and _screen_for_fraud(s):
        templates = [_with_fraud_screen(t, used_channel) for t in templates]
    text = _render_channel(templates, used_channel, values)
    why = variant["why"].format_map(values)
    if fallback_from is not None:
        why = lib["fragments"]["fallback"].format(requested=occasion_title(fallback_from), title=spec["title"], why=why)
    notes = _notes(s, chosen, variant, used_channel, product_risk if chosen == "new_product" else None)
    return Script(chosen, used_channel, text, why, spec["title"], chosen_purpose, variant["kind"], notes)


def _screen_for_fraud(s: ClientSituation) -> bool:
    """60 and over, or a client whose age we do not know (a walk-in at the counter)."""
    return s.age >= FRAUD_SCREEN_AGE or s.age <= 0


def _with_fraud_screen(template: str, channel: str) -> str:
    """The fraud-screening question before anything else (on the phone, right after the identity check)."""
    frag = scripts_library()["fragments"]
    screen = frag["fraud_screen_sms"] if channel == "sms" else frag["fraud_screen"]
    if channel == "phone":
        head, sep, rest = template.partition(IDENTITY_CHECK)
        return f"{head}{sep}{screen}{rest}"
    if channel == "sms" and template.startswith("【"):
        head, sep, rest = template.partition("】")
        return f"{head}{sep}{screen}{rest}"
    return f"{screen}{template}"


def _notes(
    s: ClientSituation, occasion: str, variant: dict, channel: str, product_risk: str | None = None
) -> tuple[str, ...]:
    words = advice_library()["compliance"]
    notes: list[str] = []
    if channel == "phone":
        notes.append(words["identity_first"])
    if occasion == "large_withdrawal" and _screen_for_fraud(s):
        notes.append(words["fraud_screen_first"])
    if variant["sells"]:
        m = _holding_for(s, occasion)
        if occasion.startswith("maturing") and m is not None:
            notes += suitability.sale_notes(
                s, s.as_of, product_type=m.product_type, product_risk=m.risk_level,
                wealth=m.product_type in suitability.WEALTH_TYPES,
            )  # fmt: skip
        else:
            notes += suitability.sale_notes(s, s.as_of, product_risk=product_risk)
    return tuple(notes)


def _holding_for(s: ClientSituation, occasion: str):
    if occasion == "maturing_before":
        return next((h for h in s.maturing if h.maturity_date > s.as_of), None)
    return sig.maturing_on(s, s.as_of) or next((h for h in s.maturing if h.maturity_date >= s.as_of), None)


def _render_channel(templates: list[str], channel: str, values: dict[str, str]) -> str:
    texts = [t.format_map(values) for t in templates]
    if channel != "sms":
        return texts[0]
    for text in texts:
        if len(text) <= SMS_MAX_CHARS:
            return text
    return texts[-1]  # the tersest; the library test keeps it within the limit for realistic values


def _values(
    s: ClientSituation, occasion: str, rm_name: str, branch_name: str, amount_fen: int | None,
    festival: str | None = None,
) -> dict[str, str]:  # fmt: skip
    lib = scripts_library()
    frag = lib["fragments"]
    today = s.as_of

    m = _holding_for(s, occasion)
    nxt = tiers.next_tier_floor(s.aum_fen)

    if s.days_since_contact is None:
        silence = frag["silence_never"]
    else:
        silence = frag["silence_days"].format(days=s.days_since_contact)

    birthday_when = fmt.relative_day(today + timedelta(days=sig.days_to_birthday(s)), today)

    complaint = frag["complaint_unknown"]
    complaint_date = ""
    if s.open_complaint is not None:
        category = complaint_label(s.open_complaint.category)
        if category:
            complaint = frag["complaint_known"].format(category=category)
        complaint_date = fmt.day(s.open_complaint.filed_on)

    sum_text = frag["sum_known"].format(amount=fmt.money(amount_fen)) if amount_fen else frag["sum_unknown"]

    values = {
        "address": fmt.form_of_address(s.name, s.gender, s.tier, s.occupation),
        "rm": (rm_name or "").strip(),
        "branch": (branch_name or "").strip() or frag["branch_unknown"],
        "product": m.product_name if m else "",
        "product_type": labels.PRODUCT_TYPE.get(m.product_type, "") if m else "",
        "amount": fmt.money(m.amount_fen) if m else "",
        "maturity_date": fmt.day(m.maturity_date) if m else "",
        "payout": _payout(m.product_type) if m else "",
        "tier_next": labels.TIER.get(nxt[0], "") if nxt else "",
        "gap": fmt.money(nxt[1] - s.aum_fen) if nxt else "",
        "fund": s.fund_loss_product or "",
        "loss": fmt.percent(s.fund_loss_pct) if s.fund_loss_pct is not None else "",
        "insurance": s.low_yield_insurance_product or "",
        "demand": fmt.money(s.demand_deposit_fen),
        "complaint": complaint,
        "complaint_date": complaint_date,
        "sum": sum_text,
        "silence": silence,
        "birthday_when": birthday_when,
        "festival": (festival or "").strip() or DEFAULT_FESTIVAL,
    }
    return values


def _payout(product_type: str) -> str:
    frag = scripts_library()["fragments"]
    if product_type in suitability.NET_VALUE_TYPES:
        return frag["payout_net_value"]
    return frag["payout_insurance"] if product_type == "insurance" else frag["payout_deposit"]


def complaint_label(category: str | None) -> str:
    """Wording of a complaint category: Chinese as stored, a known code translated, else empty."""
    category = (category or "").strip()
    if any("\u4e00" <= ch <= "\u9fff" for ch in category):
        return category
    return scripts_library()["complaint_categories"].get(category.lower(), "")


def _rebased(s: ClientSituation, today: date) -> ClientSituation:
    """Dates relative to `today` when the caller's situation was computed for another day."""
    days = (today - s.last_contact.contacted_on).days if s.last_contact else None
    return replace(s, as_of=today, days_since_contact=days)
