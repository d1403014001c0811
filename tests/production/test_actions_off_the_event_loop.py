"""No action blocks the action server's event loop: every SQL statement an action causes runs in a worker
thread (one blocked loop stalls every conversation the server is handling)."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import event
from sqlalchemy.engine import Engine

from actions.maturing import ActionQueryMaturing
from actions.outflow import ActionQueryOutflow
from actions.playbook import (
    ActionAskNextSteps,
    ActionAskScript,
    ActionBranchOverview,
    ActionDailyPlan,
    ActionQuerySegment,
)
from actions.profile import ActionCustomerProfile
from actions.risk import ActionExplainRisk, ActionQueryChurnRisk

NAME = "王秀英"  # the demo bank's first showcase client, rm01's


def entity(text: str, name: str, value: str) -> dict:
    start = text.index(value)
    return {"entity": name, "value": value, "start": start, "end": start + len(value)}


CASES = [
    (ActionQueryMaturing, "rm01", "query_maturing", "本周哪些客户理财到期", [("time_range", "本周")]),
    (ActionCustomerProfile, "rm01", "customer_profile", f"看一下{NAME}的情况", [("customer_name", NAME)]),
    (ActionQueryChurnRisk, "rm01", "query_churn_risk", "谁最可能流失", []),
    (ActionExplainRisk, "rm01", "explain_risk", f"{NAME}为什么有流失风险", [("customer_name", NAME)]),
    (ActionQueryOutflow, "rm01", "query_outflow", "最近有大额资金转出的客户吗", []),
    (ActionAskScript, "rm01", "ask_script", f"给{NAME}打电话怎么说", [("customer_name", NAME)]),
    (ActionAskNextSteps, "rm01", "ask_next_steps", f"{NAME}下一步怎么做", [("customer_name", NAME)]),
    (ActionDailyPlan, "rm01", "daily_plan", "今天先联系谁", []),
    (ActionQuerySegment, "rm01", "query_segment", "临界客户有哪些", []),
    (ActionBranchOverview, "bh01", "branch_overview", "网点整体预警情况", []),
]


@pytest.fixture
def sql_on_the_loop():
    """Statements executed while an event loop runs in the current thread, and all statements."""
    on_loop, everywhere = [], []

    def spy(conn, cursor, statement, *_):
        everywhere.append(statement)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # a worker thread: fine
        on_loop.append(statement[:80])

    event.listen(Engine, "before_cursor_execute", spy)
    yield on_loop, everywhere
    event.remove(Engine, "before_cursor_execute", spy)


@pytest.mark.parametrize("action_class, staff, intent, text, entities", CASES, ids=[c[0].__name__ for c in CASES])
def test_action_runs_its_database_work_off_the_event_loop(
    demo_bank, churn_model_path, monkeypatch, sql_on_the_loop, action_class, staff, intent, text, entities
):
    monkeypatch.setenv("BOT_CHURN_MODEL", str(churn_model_path))
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.99},
        "entities": [entity(text, n, v) for n, v in entities],
    }
    tracker = Tracker(staff, {}, message, [], False, None, {}, {"action_name": "action_listen"})
    dispatcher = CollectingDispatcher()

    asyncio.run(action_class().run(dispatcher, tracker, {}))

    on_loop, everywhere = sql_on_the_loop
    assert dispatcher.messages, "the action answered nothing"
    assert everywhere, "the action did not touch the store at all"
    assert on_loop == []
