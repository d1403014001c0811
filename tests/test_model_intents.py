"""Trains the assistant once per test session (or reuses the model for unchanged inputs) and checks that
typical Chinese questions reach the right intents."""

import pytest

QUESTIONS = [
    ("本周哪些客户理财到期", "query_maturing"),
    ("下周三之前要到期的50w以上的定期有哪些", "query_maturing"),
    ("看一下王秀英的情况", "customer_profile"),
    ("陈总现在资产多少", "customer_profile"),
    ("还有吗", "more"),
    ("你能帮我做什么", "help"),
    ("你好", "greet"),
    ("谢谢啊", "thank"),
    ("再见", "goodbye"),
    ("今天天气怎么样", "out_of_scope"),
    ("别再推送生日提醒了", "alert_mutes"),
    ("我关了哪些推送", "alert_mutes"),
]


@pytest.fixture(scope="session")
def agent():
    from rasa.core.agent import Agent

    from bot.model_files import ensure_model

    return Agent.load(str(ensure_model()))


@pytest.mark.parametrize("text,intent", QUESTIONS)
async def test_question_reaches_intent(agent, text, intent):
    parsed = await agent.parse_message(text)
    assert parsed["intent"]["name"] == intent, parsed["intent"]
