"""Least privilege by role (#16): what each role may ask, and what of a client the counter sees.

The expected table is written out here, apart from bot/store/scope.py, so a change to either shows up.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
import yaml
from sqlalchemy import select

from actions.maturing import ActionQueryMaturing
from actions.outflow import ActionQueryOutflow
from actions.profile import ActionCustomerProfile
from actions.risk import ActionQueryChurnRisk
from bot import replies
from bot.model_files import ROOT
from bot.store.db import session_scope
from bot.store.models import AuditEntry, ChurnScore
from bot.store.scope import ROLES_FOR, may_use, view_of
from bot.store.staff_directory import StaffMember
from tests import factories as f
from tests.actions.trackers import entity, run, tracker

ALL = {"rm", "branch_head", "counter"}
BOOK = {"rm", "branch_head"}
# Every intent of domain.yml and the roles that may ask it.
EXPECTED = {
    "query_maturing": BOOK,
    "query_churn_risk": BOOK,
    "explain_risk": ALL,
    "ask_script": ALL,
    "ask_next_steps": ALL,
    "query_outflow": BOOK,
    "customer_profile": ALL,
    "daily_plan": BOOK,
    "log_contact": ALL,
    "query_segment": BOOK,
    "branch_overview": {"branch_head"},
    "more": ALL,
    "help": ALL,
    "greet": ALL,
    "goodbye": ALL,
    "thank": ALL,
    "affirm": ALL,
    "deny": ALL,
    "out_of_scope": ALL,
    "match_product": BOOK,
    "handover_clients": {"branch_head"},
    "update_client_info": BOOK,
    "log_complaint": ALL,
    "alert_mutes": BOOK,
}


def _member(role: str) -> StaffMember:
    return StaffMember(id="x01", name="测试", role=role, branch_id=1)


def test_the_table_covers_every_intent_of_the_domain():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert set(EXPECTED) == set(domain["intents"])
    assert set(ROLES_FOR) <= set(domain["intents"])  # no capability named after an intent that does not exist


@pytest.mark.parametrize("intent", sorted(EXPECTED))
@pytest.mark.parametrize("role", sorted(ALL))
def test_each_role_may_ask_exactly_what_the_table_says(intent, role):
    assert may_use(_member(role), intent) == (role in EXPECTED[intent])


def test_only_the_counter_has_a_restricted_view_of_a_client():
    assert not view_of(_member("counter")).holdings and not view_of(_member("counter")).phone
    for role in BOOK:
        view = view_of(_member(role))
        assert view.holdings and view.phone and view.contact_history


def _branch(db):
    with session_scope(db) as s:
        f.branch(s, 1)
        f.staff(s, "rm01", "王丽")
        f.staff(s, "ct01", "孙倩", role="counter")
        wang = f.customer(s, "王秀英", "rm01", phone="13912345678", aum_wan=48)
        f.holding(s, wang, f.product(s, "wealth", "稳享12个月"), 30, date(2026, 11, 25))
        f.contact(s, "rm01", wang, datetime(2026, 10, 3, 10, 0), "wechat")
        s.flush()
        s.add(
            ChurnScore(
                customer_id=wang.id,
                as_of=date(2026, 11, 18),
                score=0.81,
                churn_type="consumption",
                reasons=json.dumps([]),
                model_version="test",
                scored_at=datetime(2026, 11, 18, 6, 0),
            )
        )
        return wang.id


async def test_the_counter_sees_risk_churn_type_and_the_rm_but_no_holdings_assets_or_phone(db, monkeypatch):
    monkeypatch.setenv("BOT_TODAY", "2026-11-18")
    _branch(db)
    text = "看一下王秀英的情况"
    messages, _ = await run(
        ActionCustomerProfile(), tracker("ct01", text, "customer_profile", [entity(text, "customer_name", "王秀英")])
    )
    reply = messages[0]
    assert "王秀英" in reply and "客户经理：王丽" in reply and "流失风险：高（消费导向型）" in reply
    for hidden in ("稳享12个月", "48万", "5678", "139", "持有产品", "10月3日"):
        assert hidden not in reply
    assert "她要取钱怎么说" in reply


async def test_the_rm_still_sees_the_whole_card(db, monkeypatch):
    monkeypatch.setenv("BOT_TODAY", "2026-11-18")
    _branch(db)
    text = "看一下王秀英的情况"
    messages, _ = await run(
        ActionCustomerProfile(), tracker("rm01", text, "customer_profile", [entity(text, "customer_name", "王秀英")])
    )
    assert "稳享12个月" in messages[0] and "139****5678" in messages[0] and "流失风险" not in messages[0]


@pytest.mark.parametrize(
    ("action", "text", "intent"),
    [
        (ActionQueryMaturing(), "明天到期的客户有哪些", "query_maturing"),
        (ActionQueryChurnRisk(), "谁最可能流失", "query_churn_risk"),
        (ActionQueryOutflow(), "最近谁把钱转到他行了", "query_outflow"),
    ],
)
async def test_the_counter_gets_no_lists_of_the_branchs_clients_and_nothing_is_audited_as_shown(
    db, action, text, intent
):
    _branch(db)
    messages, _ = await run(action, tracker("ct01", text, intent))
    assert messages == [replies.LISTS_NOT_FOR_COUNTER]
    with session_scope(db) as s:
        shown = s.execute(select(AuditEntry.customer_id).where(AuditEntry.staff_id == "ct01")).scalars().all()
    assert [c for c in shown if c is not None] == []
