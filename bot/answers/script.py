"""给王秀英打电话怎么说 / 客户要取五十万说是买房怎么挽留: a script (话术) for a client, or for a
walk-in client at the counter by the purpose they gave."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.alerts.counter import report_withdrawal
from bot.answers.question import question
from bot.lookup import ClientLookup, find_client
from bot.nlu.amounts import parse_amount
from bot.playbook import Script, script_for
from bot.store.models import Branch
from bot.store.situation import ClientSituation, situation


@dataclass(frozen=True)
class ScriptRequest:
    said: str | None  # the customer_name span, if any
    text: str
    focus_id: int | None  # the client in focus; pass None when the text is about someone new
    contact_channel: str | None = None  # phone | wechat | sms | meeting | visit
    purpose: str | None = None  # house | car | school | other_bank | business | medical
    amount_span: str | None = None  # the withdrawal being made: 五十万
    occasion: str | None = None  # named in the message (bot.nlu.occasions): wins over the data's choice
    festival: str | None = None  # festival only: 春节, 中秋节 …
    product_risk: str | None = None  # new_product only: the product's risk level as said (R2)


@dataclass(frozen=True)
class ScriptAnswer:
    lookup: ClientLookup
    script: Script | None  # None: no client found and nothing to go on
    walk_in: bool = False  # a generic interception script by purpose, without client data
    stated_purpose: str | None = None  # as asked; the playbook has a variant per bot.purposes purpose
    generic: bool = False  # an occasion named for no one client (春节前给贵宾客户的问候): a template for many


def stated_amount_fen(span: str | None) -> int | None:
    """The sum a client is withdrawing when a round figure was said (五十万, 三十来万); else None."""
    amount = parse_amount(span) if span else None
    if amount is None or amount.min_fen is None or amount.max_fen is None or not amount.label.startswith("约"):
        return None
    return (amount.min_fen + amount.max_fen) // 2


def script(staff_id: str, request: ScriptRequest, today: date, channel: str | None = None) -> ScriptAnswer:
    with question(staff_id, "ask_script", channel) as q:
        staff = q.staff
        lookup = find_client(q.session, staff, request.said, request.text, request.focus_id)
        found = lookup.found.customer_id if lookup.found else None
        q.shown_one(found)
        branch = q.session.get(Branch, staff.branch_id)
        branch_name = branch.name if branch else ""
        facts = situation(q.session, found, today) if found is not None else None
        if facts is not None and staff.role == "counter" and (request.purpose or request.amount_span):
            # A withdrawal at the counter: the client's RM hears of it now (queued with this question's audit).
            report_withdrawal(q.session, staff, facts, today, stated_amount_fen(request.amount_span), request.purpose)

    channel_code = "meeting" if request.contact_channel == "visit" else request.contact_channel
    amount_fen = stated_amount_fen(request.amount_span)
    named = request.occasion is not None
    if facts is not None:
        chosen = script_for(
            facts, staff.name, branch_name, today, channel=channel_code, purpose=request.purpose, amount_fen=amount_fen,
            occasion=request.occasion, festival=request.festival, named=named, product_risk=request.product_risk,
        )  # fmt: skip
        return ScriptAnswer(lookup, chosen, stated_purpose=request.purpose)
    if request.occasion and not request.purpose and lookup.unknown and not lookup.said:
        generic = script_for(
            _walk_in(today), staff.name, branch_name, today,
            channel=channel_code or "wechat",  # a greeting for many clients is written, not a call
            occasion=request.occasion, festival=request.festival, named=True, product_risk=request.product_risk,
        )  # fmt: skip
        return ScriptAnswer(lookup, generic, generic=True)
    if request.purpose and not lookup.candidates and lookup.suggested is None:
        walk_in = script_for(
            _walk_in(today), staff.name, branch_name, today,
            occasion="large_withdrawal", channel=channel_code, purpose=request.purpose, amount_fen=amount_fen,
        )  # fmt: skip
        return ScriptAnswer(lookup, walk_in, walk_in=True, stated_purpose=request.purpose)
    return ScriptAnswer(lookup, None)


def _walk_in(today: date) -> ClientSituation:
    """A client we know nothing about: the playbook addresses them as 尊敬的客户 and states no facts."""
    return ClientSituation(
        customer_id=0, name="", gender="", age=0, birth_date=today, occupation="", tier="basic",
        value_class="LVC", lifecycle_stage="", aum_fen=0, aum_90d_ago_fen=None, demand_deposit_fen=0,
        has_children=False, active_holding_count=0, maturing=(), fund_loss_pct=None, fund_loss_product=None,
        low_yield_insurance=False, low_yield_insurance_product=None, open_complaint=None, last_contact=None,
        contacted_by_rm=False, days_since_contact=None, contact_every_days=None, outflow_30d_fen=0,
        outflow_30d_other_bank_fen=0, inflow_30d_fen=0, last_notable_outflow_on=None, latest_score=None,
        rm_id=None, branch_id=0, as_of=today,
    )  # fmt: skip
