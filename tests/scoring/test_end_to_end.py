"""The scorer on a small generated demo bank: train by time, batch-score today, answer for the showcase clients."""

from __future__ import annotations

import time
from datetime import date

import pytest
from sqlalchemy import func, select

from bot.store.db import engine_for, session_scope
from bot.store.models import ChurnScore
from scoring.batch import score_bank
from scoring.model import load_model, save_model
from scoring.service import risk_for_customers
from scoring.training import train_from_store
from tools.demo.load import generate_bank

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def small_bank(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('bank') / 'bank.db'}"
    generate_bank(url, customers=1_500, seed=20261122, today=TODAY, progress=False)
    return url


@pytest.fixture(scope="module")
def trained(small_bank, tmp_path_factory):
    t = time.perf_counter()
    with engine_for(small_bank).connect() as conn:
        model = train_from_store(conn, TODAY)
    seconds = time.perf_counter() - t
    path = save_model(model, tmp_path_factory.mktemp("model") / "model.joblib")
    return load_model(path), seconds


def test_model_trained_on_older_snapshots_ranks_the_newest_well(trained):
    model, seconds = trained
    ev = model.evaluation
    assert max(ev["fit_as_of"] + ev["calibrate_as_of"]) < ev["test_as_of"]
    assert model.metrics["gbm"]["roc_auc"] >= 0.80, model.metrics
    assert model.metrics["gbm"]["precision_top10"] > 2 * model.metrics["gbm"]["base_rate"]
    assert set(model.metrics) >= {"gbm", "logreg"}
    assert seconds < 30


def test_batch_then_assistant_lookups_on_the_showcase_clients(small_bank, trained, monkeypatch):
    model, _ = trained
    summary = score_bank(small_bank, TODAY, model, chunk_size=500, progress=False)
    assert summary.written == summary.customers > 1_000
    monkeypatch.setattr("scoring.service.get_model", lambda: pytest.fail("all clients were batch-scored"))
    with session_scope(small_bank) as s:
        n = s.execute(select(func.count()).select_from(ChurnScore)).scalar_one()
        risks = risk_for_customers(s, [1, 2, 8, 9, 11], TODAY)
    assert n == summary.customers
    wang, chen, liu, zhao, wu = (risks[i] for i in (1, 2, 8, 9, 11))
    assert wang.churn_type == "consumption" and any("买房" in e for e in wang.type_evidence)
    assert chen.churn_type == "product" and chen.band != "low"
    assert liu.churn_type == "service" and liu.band == "high"
    assert zhao.churn_type == "intermediary"
    assert wu.churn_type == "none" and wu.score < liu.score


def test_report_writes_plots_and_a_model_card(trained, tmp_path):
    from scoring.evaluation import write_report

    model, _ = trained
    written = write_report(model, tmp_path / "report")
    assert sorted(p.name for p in written) == ["calibration.png", "model_card.md", "roc.png"]
    assert all(p.stat().st_size > 1000 for p in written)
    card = (tmp_path / "report" / "model_card.md").read_text(encoding="utf-8")
    assert model.version in card and str(model.metrics["gbm"]["roc_auc"]) in card
    assert "precision in top 10%" in card


def test_command_line_scores_a_bank_with_a_saved_model(small_bank, trained, tmp_path, capsys):
    from scoring.__main__ import main

    model, _ = trained
    path = save_model(model, tmp_path / "cli.joblib")
    code = main(["score", "--db", small_bank, "--as-of", "2026-11-21", "--model", str(path), "--no-progress"])
    assert code == 0
    assert "scored" in capsys.readouterr().out
    with session_scope(small_bank) as s:
        n = s.execute(select(func.count()).select_from(ChurnScore).where(ChurnScore.as_of == date(2026, 11, 21)))
        assert n.scalar_one() > 1_000
