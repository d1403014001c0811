import json
from datetime import date, datetime

from actions.outflow import ActionQueryOutflow
from actions.risk import ActionExplainRisk, ActionQueryChurnRisk
from bot import replies
from bot.store.db import session_scope
from bot.store.models import ChurnScore, Transaction
from bot.tiers import WAN
from tests import factories as f
from tests.actions.trackers import entity, run, slot, tracker


def _score(s, customer, score, churn_type="product", reasons=(), evidence=()):
    payload = [{"code": c, "text": t, "contribution": 0.5} for c, t in reasons]
    payload.append({"code": "churn_type_evidence", "evidence": list(evidence)})
    s.add(
        ChurnScore(
            customer_id=customer.id,
            as_of=date(2026, 11, 18),
            score=score,
            churn_type=churn_type,
            reasons=json.dumps(payload, ensure_ascii=False),
            model_version="test-1",
            scored_at=datetime(2026, 11, 18, 6),
        )
    )


def _book(db):
    with session_scope(db) as s:
        f.branch(s, 1)
        f.staff(s, "rm01", "王丽")
        f.staff(s, "rm02", "赵强")
        chen = f.customer(s, "陈建国", "rm01", gender="M", aum_wan=320)
        wang = f.customer(s, "王秀英", "rm01", aum_wan=48)
        calm = f.customer(s, "刘平", "rm01", aum_wan=8)
        li = f.customer(s, "李娜", "rm02")
        _score(
            s,
            chen,
            0.71,
            "product",
            [("maturing", "300万理财2天后到期"), ("other_bank", "近30天转出他行80万")],
            ["转出他行80万"],
        )
        _score(s, wang, 0.42, "consumption", [("purchase", "近30天取现50万（买房）")], ["联系记录：买房"])
        _score(s, calm, 0.02, "none")
        _score(s, li, 0.95, "service", [("complaint", "有1笔投诉未解决")])
        s.add(
            Transaction(
                customer_id=chen.id,
                occurred_at=datetime(2026, 11, 10, 9),
                amount_fen=80 * WAN,
                direction="out",
                channel="mobile",
                other_bank=True,
                counterparty="某银行",
                purpose="transfer",
            )
        )
        return chen.id, wang.id


async def test_risk_list_ranks_own_clients_at_risk_with_first_reason_and_type(db):
    _book(db)
    messages, _ = await run(ActionQueryChurnRisk(), tracker("rm01", "我的客户里谁最可能流失", "query_churn_risk"))
    lines = messages[0].splitlines()
    assert (
        lines[1].startswith("1. 陈建国")
        and "%" not in lines[1]
        and "产品导向型" in lines[1]
        and "300万理财" in lines[1]
    )
    assert lines[2].startswith("2. 王秀英") and "消费导向型" in lines[2]
    assert "刘平" not in messages[0] and "李娜" not in messages[0]


async def test_top_n_and_single_result_sets_focus(db):
    chen_id, _ = _book(db)
    text = "风险最高的前1个"
    messages, events = await run(
        ActionQueryChurnRisk(), tracker("rm01", text, "query_churn_risk", [entity(text, "top_n", "前1个")])
    )
    assert "1. 陈建国" in messages[0] and "王秀英" not in messages[0]
    assert slot(events, "focus_customer_id") == chen_id


async def test_explain_gives_band_reasons_type_evidence_and_date(db):
    _, wang_id = _book(db)
    text = "王秀英为什么有流失风险"
    messages, events = await run(
        ActionExplainRisk(), tracker("rm01", text, "explain_risk", [entity(text, "customer_name", "王秀英")])
    )
    reply = messages[0]
    assert reply.startswith("王秀英：流失风险高，消费导向型")  # a band, not a probability (#13)
    assert "近30天取现50万（买房）" in reply and "联系记录：买房" in reply and "11月18日" in reply
    assert "给她打电话怎么说" in reply
    assert slot(events, "focus_customer_id") == wang_id


async def test_explain_names_a_male_client_with_his_pronoun(db):
    _book(db)
    text = "陈建国为什么有流失风险"
    messages, _ = await run(
        ActionExplainRisk(), tracker("rm01", text, "explain_risk", [entity(text, "customer_name", "陈建国")])
    )
    assert "给他打电话怎么说" in messages[0] and "给她" not in messages[0] and "%" not in messages[0]


async def test_explain_for_another_rms_client_is_refused(db):
    _book(db)
    text = "李娜为什么有风险"
    messages, _ = await run(
        ActionExplainRisk(), tracker("rm01", text, "explain_risk", [entity(text, "customer_name", "李娜")])
    )
    assert "在您可查看的客户里没有" in messages[0] and "投诉" not in messages[0]


async def test_pronoun_explains_client_in_focus(db):
    chen_id, _ = _book(db)
    messages, _ = await run(
        ActionExplainRisk(), tracker("rm01", "他为什么有风险", "explain_risk", slots={"focus_customer_id": chen_id})
    )
    assert messages[0].startswith("陈建国")


async def test_outflows_to_other_banks_in_own_book(db):
    chen_id, _ = _book(db)
    messages, events = await run(ActionQueryOutflow(), tracker("rm01", "最近谁把钱转到他行了", "query_outflow"))
    assert "陈建国" in messages[0] and "80万" in messages[0]
    assert slot(events, "focus_customer_id") == chen_id


async def test_vague_recent_means_a_month_and_smaller_other_bank_transfers_count(db):
    _book(db)
    with session_scope(db) as s:
        wang = f.customer(s, "周婷", "rm01")
        s.add(
            Transaction(
                customer_id=wang.id,
                occurred_at=datetime(2026, 10, 25, 9),
                amount_fen=8 * WAN,
                direction="out",
                channel="mobile",
                other_bank=True,
                counterparty="某银行",
                purpose="transfer",
            )
        )
    text = "最近谁把钱转到他行了"
    messages, _ = await run(
        ActionQueryOutflow(), tracker("rm01", text, "query_outflow", [entity(text, "time_range", "最近")])
    )
    assert "近30天" in messages[0] and "周婷" in messages[0] and "8万" in messages[0]


async def test_without_a_churn_model_the_rm_gets_a_clear_answer_not_silence(db, monkeypatch, tmp_path):
    with session_scope(db) as s:
        f.branch(s, 1)
        f.staff(s, "rm01", "王丽")
        f.customer(s, "陈建国", "rm01", gender="M")  # no stored score: needs the model
    monkeypatch.setenv("BOT_CHURN_MODEL", str(tmp_path / "missing.joblib"))
    messages, _ = await run(ActionQueryChurnRisk(), tracker("rm01", "谁最可能流失", "query_churn_risk"))
    assert messages == [replies.MODEL_UNAVAILABLE]


async def test_an_unexpected_failure_still_answers(db, monkeypatch):
    import actions.lists

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(actions.lists, "risk_list", broken)  # the list registry calls the builder
    messages, _ = await run(ActionQueryChurnRisk(), tracker("rm01", "谁最可能流失", "query_churn_risk"))
    assert messages == [replies.SOMETHING_WENT_WRONG]
