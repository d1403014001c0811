"""Compare NLU pipelines on the training data's 80/20 split: accuracy, training time, parse latency.

Candidates are the Rasa configs in benchmarks/configs/*.yml plus a scikit-learn TF-IDF char n-gram +
logistic-regression baseline (intents only). For each Rasa candidate: train on 80% of data/nlu
(stratified per intent, fixed seed), score the other 20% with Rasa's own evaluation code, and time
`parse_message` over the test texts several times (p50/p95 per pass, median over passes).

Entity F1 is scored on what the whole pipeline returns: Rasa's token-level entity report counts each
extractor on its own, and BankEntityExtractor deliberately removes the ML extractor's time/amount/…
entities, so per-extractor reports say nothing about the pipeline. All predicted entities are given
one extractor name before Rasa's `evaluate_entities` runs. The headline figure is the support-weighted
F1 Rasa itself reports; micro F1 is shown next to it.

With --heldout each candidate is also trained on all of data/nlu and scored on every held-out set in
tests/nlu_eval (HELDOUT_SETS: typed.yml, voice.yml and the independent writer's independent_typed.yml and
independent_voice.yml; voice transcripts cleaned by bot.nlu.voice.clean_transcript first, as the counter
channel does in production). With --model, an already trained model (e.g. the assistant's models/*.tar.gz)
is scored on the held-out sets without training anything. Only aggregate scores are printed; the held-out
utterances are not shown. Besides Rasa's token-level entity F1, the held-out table shows customer_name
exact-span F1 (a predicted name counts only with the annotated start and end).

    .venv/bin/python benchmarks/nlu_pipelines.py [--only lr_intents_diet_entities diet] [--heldout] [--runs 5] [--seed 42]
    .venv/bin/python benchmarks/nlu_pipelines.py --model models/assistant-<fingerprint>.tar.gz

Appends a section to benchmarks/results-nlu.md (--out - prints only). A DIET candidate trains for minutes on 2
cores; --only keeps a run short. `tests/test_nlu_eval.py` imports the scoring functions from here so
the CI gate and this table count the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "benchmarks" / "configs"
NLU_DATA = ROOT / "data" / "nlu"
HELDOUT_TYPED = ROOT / "tests" / "nlu_eval" / "typed.yml"
HELDOUT_VOICE = ROOT / "tests" / "nlu_eval" / "voice.yml"
INDEPENDENT_TYPED = ROOT / "tests" / "nlu_eval" / "independent_typed.yml"
INDEPENDENT_VOICE = ROOT / "tests" / "nlu_eval" / "independent_voice.yml"
UNSEEN_TYPED = ROOT / "tests" / "nlu_eval" / "unseen_typed.yml"
UNSEEN_VOICE = ROOT / "tests" / "nlu_eval" / "unseen_voice.yml"
FINAL_TYPED = ROOT / "tests" / "nlu_eval" / "final_typed.yml"
FINAL_VOICE = ROOT / "tests" / "nlu_eval" / "final_voice.yml"
FRESH_TYPED = ROOT / "tests" / "nlu_eval" / "fresh_typed.yml"
FRESH_VOICE = ROOT / "tests" / "nlu_eval" / "fresh_voice.yml"
BLIND_TYPED = ROOT / "tests" / "nlu_eval" / "blind_typed.yml"
BLIND_VOICE = ROOT / "tests" / "nlu_eval" / "blind_voice.yml"
BLIND2_TYPED = ROOT / "tests" / "nlu_eval" / "blind2_typed.yml"
BLIND2_VOICE = ROOT / "tests" / "nlu_eval" / "blind2_voice.yml"
# name -> (file, is a voice transcript set). The independent sets (issue #13) are reported, not gated in CI.
HELDOUT_SETS: dict[str, tuple[Path, bool]] = {
    "typed": (HELDOUT_TYPED, False),
    "voice": (HELDOUT_VOICE, True),
    "independent typed": (INDEPENDENT_TYPED, False),
    "independent voice": (INDEPENDENT_VOICE, True),
    "unseen typed": (UNSEEN_TYPED, False),
    "unseen voice": (UNSEEN_VOICE, True),
    "final typed": (FINAL_TYPED, False),
    "final voice": (FINAL_VOICE, True),
    "fresh typed": (FRESH_TYPED, False),
    "fresh voice": (FRESH_VOICE, True),
    "blind typed": (BLIND_TYPED, False),
    "blind voice": (BLIND_VOICE, True),
    "blind2 typed": (BLIND2_TYPED, False),
    "blind2 voice": (BLIND2_VOICE, True),
}
RESULTS = ROOT / "benchmarks" / "results-nlu.md"
TFIDF = "tfidf_logreg"
OUT_OF_SCOPE_PROBE = "今天天气怎么样"
FALLBACK_SWEEP = (0.2, 0.3, 0.4, 0.5, 0.6)
PIPELINE = "pipeline"  # the single extractor name entities are scored under
FALLBACK_INTENT = "nlu_fallback"


@dataclass
class Scores:
    """Aggregate NLU scores of one model on one data set."""

    intent_macro_f1: float
    intent_accuracy: float
    entity_f1_weighted: float | None  # None when the data set has no entities
    entity_f1_micro: float | None
    intent_f1: dict[str, float] = field(default_factory=dict)
    entity_f1: dict[str, float] = field(default_factory=dict)
    # per example, before any fallback: (target, predicted, confidence, margin over the runner-up)
    predictions: list[tuple[str, str, float, float]] = field(default_factory=list)
    # share of right answers the pipeline's own FallbackClassifier turned into nlu_fallback
    right_answers_lost: float = 0.0
    # per entity label: F1 counting a prediction right only with the annotated label, start and end
    span_f1: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------- data


def load_nlu(path: Path):
    from rasa.shared.nlu.training_data.loading import load_data

    return load_data(str(path), language="zh")


def cleaned_voice_data(path: Path = HELDOUT_VOICE):
    """The voice set with each transcript run through clean_transcript, entity offsets moved to match.

    Every annotated span is looked up, in order, in the cleaned text; cleaning removes fillers and
    stutters around names and amounts, not inside them. A span that cannot be found is an error, not a
    silent drop: the evaluation would otherwise score less than the file holds.
    """
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.nlu.voice import clean_transcript

    raw = load_nlu(path)
    examples = []
    for number, example in enumerate(raw.intent_examples, start=1):
        text = example.get("text")
        cleaned = clean_transcript(text)
        entities, cursor = [], 0
        for entity in sorted(example.get("entities") or [], key=lambda e: e["start"]):
            span = text[entity["start"] : entity["end"]]
            start = cleaned.find(span, cursor)
            if start < 0:
                raise ValueError(f"{path.name} example {number}: entity {entity['entity']} lost in cleaning")
            cursor = start + len(span)
            entities.append({**entity, "start": start, "end": cursor})
        data = {"text": cleaned, "intent": example.get("intent")}
        if entities:
            data["entities"] = entities
        examples.append(Message(data=data))
    return TrainingData(examples)


def heldout_data(name: str):
    """One held-out set of HELDOUT_SETS, voice transcripts cleaned as in production."""
    path, voice = HELDOUT_SETS[name]
    return cleaned_voice_data(path) if voice else load_nlu(path)


def split(data, seed: int):
    """80/20, stratified per intent by Rasa."""
    return data.train_test_split(train_frac=0.8, random_seed=seed)


# ---------------------------------------------------------------- scoring


def _intent_scores(intent_results) -> tuple[float, float, dict[str, float]]:
    from rasa.nlu.test import evaluate_intents

    result = evaluate_intents(
        intent_results, None, successes=False, errors=False, disable_plotting=True, report_as_dict=True
    )
    report = result["report"]
    per_intent = {
        label: row["f1-score"]
        for label, row in report.items()
        if isinstance(row, dict) and "support" in row and not label.endswith("avg")
    }
    return report["macro avg"]["f1-score"], result["accuracy"], per_intent


def _entity_scores(entity_results) -> tuple[float | None, float | None, dict[str, float]]:
    from rasa.nlu.test import EntityEvaluationResult, evaluate_entities

    if not any(r.entity_targets for r in entity_results):
        return None, None, {}
    merged = [
        EntityEvaluationResult(
            r.entity_targets,
            [{**e, "extractor": PIPELINE} for e in r.entity_predictions],
            r.tokens,
            r.message,
        )
        for r in entity_results
    ]
    result = evaluate_entities(
        merged, {PIPELINE}, None, successes=False, errors=False, disable_plotting=True, report_as_dict=True
    )[PIPELINE]
    report = result["report"]
    per_entity = {
        label: row["f1-score"]
        for label, row in report.items()
        if isinstance(row, dict) and "support" in row and not label.endswith("avg")
    }
    micro = report.get("micro avg", {}).get("f1-score", result["accuracy"])
    return result["f1_score"], micro, per_entity


def exact_span_f1(entity_results) -> dict[str, float]:
    """Per entity label, F1 over (label, start, end) triples: a partly overlapping span is a miss."""
    from collections import Counter

    found, wanted, right = Counter(), Counter(), Counter()
    for r in entity_results:
        targets = {(e["entity"], e["start"], e["end"]) for e in r.entity_targets}
        predictions = {(e["entity"], e["start"], e["end"]) for e in r.entity_predictions}
        for label, *_ in targets:
            wanted[label] += 1
        for label, *_ in predictions:
            found[label] += 1
        for label, *_ in targets & predictions:
            right[label] += 1
    return {label: 2 * right[label] / (found[label] + wanted[label]) for label in wanted}


class _RecordingProcessor:
    """Passes everything to the real processor and notes, per parse, whether the FallbackClassifier fired
    and the margin between the two best intents (Rasa's evaluation undoes the fallback and drops both)."""

    def __init__(self, processor) -> None:
        self._processor = processor
        self.outcomes: list[tuple[bool, float]] = []

    def __getattr__(self, name):
        return getattr(self._processor, name)

    async def parse_message(self, message, tracker=None, only_output_properties=True):
        result = await self._processor.parse_message(
            message, tracker=tracker, only_output_properties=only_output_properties
        )
        ranking = [r["confidence"] for r in result.get("intent_ranking", []) if r.get("name") != FALLBACK_INTENT]
        margin = ranking[0] - ranking[1] if len(ranking) > 1 else 1.0
        self.outcomes.append((result.get("intent", {}).get("name") == FALLBACK_INTENT, margin))
        return result


async def score_processor(processor, test_data) -> Scores:
    """Rasa's NLU evaluation of one loaded model on one data set (fallback undone, as `rasa test nlu`)."""
    from rasa.nlu.test import get_eval_data

    recording = _RecordingProcessor(processor)
    intent_results, _, entity_results = await get_eval_data(recording, test_data)
    macro, accuracy, per_intent = _intent_scores(intent_results)
    weighted, micro, per_entity = _entity_scores(entity_results)
    return Scores(
        intent_macro_f1=macro,
        intent_accuracy=accuracy,
        entity_f1_weighted=weighted,
        entity_f1_micro=micro,
        intent_f1=per_intent,
        entity_f1=per_entity,
        predictions=[
            (r.intent_target, r.intent_prediction, r.confidence or 0.0, margin)
            for r, (_, margin) in zip(intent_results, recording.outcomes)
        ],
        right_answers_lost=_right_answers_lost(intent_results, recording.outcomes),
        span_f1=exact_span_f1(entity_results),
    )


def _right_answers_lost(intent_results, outcomes: Sequence[tuple[bool, float]]) -> float:
    fired = [fell_back for r, (fell_back, _) in zip(intent_results, outcomes) if r.intent_target == r.intent_prediction]
    return sum(fired) / len(fired) if fired else 0.0


def fallback_effect(
    predictions: Sequence[tuple[str, str, float, float]], threshold: float, ambiguity: float = 0.1
) -> tuple[float, float]:
    """Share of right answers a FallbackClassifier (threshold, ambiguity_threshold) would turn into
    nlu_fallback, and share of wrong answers it would catch."""

    def falls_back(confidence: float, margin: float) -> bool:
        return confidence < threshold or margin < ambiguity

    right = [falls_back(c, m) for target, predicted, c, m in predictions if target == predicted]
    wrong = [falls_back(c, m) for target, predicted, c, m in predictions if target != predicted]
    lost = sum(right) / len(right) if right else 0.0
    caught = sum(wrong) / len(wrong) if wrong else 0.0
    return lost, caught


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def parse_latency(processor, texts: Sequence[str], runs: int) -> tuple[float, float]:
    """Median over `runs` passes of each pass's p50 and p95 `parse_message` time, in ms."""
    from rasa.core.channels.channel import UserMessage

    for text in texts[:10]:  # warm-up: lazy graph and TF initialisation
        await processor.parse_message(UserMessage(text))
    p50s, p95s = [], []
    for _ in range(runs):
        times = []
        for text in texts:
            started = time.perf_counter()
            await processor.parse_message(UserMessage(text))
            times.append((time.perf_counter() - started) * 1000)
        p50s.append(_percentile(times, 0.50))
        p95s.append(_percentile(times, 0.95))
    return statistics.median(p50s), statistics.median(p95s)


# ---------------------------------------------------------------- candidates


@dataclass
class Row:
    name: str
    split: Scores
    train_seconds: float
    p50_ms: float
    p95_ms: float
    probe: str = ""  # intent and confidence for OUT_OF_SCOPE_PROBE
    fallback: tuple[float, float] | None = None  # (threshold, ambiguity_threshold) of the config
    heldout: dict[str, Scores] = field(default_factory=dict)  # HELDOUT_SETS name -> scores
    full_train_seconds: float | None = None


def fallback_config(config_path: Path) -> tuple[float, float] | None:
    """(threshold, ambiguity_threshold) of the config's FallbackClassifier, with Rasa's defaults."""
    import yaml

    for component in yaml.safe_load(config_path.read_text(encoding="utf-8")).get("pipeline", []):
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3)), float(component.get("ambiguity_threshold", 0.1))
    return None


def train_rasa(config_path: Path, training_data, out_dir: Path, name: str) -> tuple[str, float]:
    """Train an NLU-only model; returns its path and the wall-clock training time in seconds."""
    from rasa.model_training import train_nlu

    data_file = out_dir / f"{name}-data.yml"
    data_file.write_text(training_data.nlu_as_yaml(), encoding="utf-8")
    started = time.perf_counter()
    model = train_nlu(
        config=str(config_path),
        nlu_data=str(data_file),
        output=str(out_dir),
        fixed_model_name=name,
        domain=str(ROOT / "domain.yml"),
    )
    seconds = time.perf_counter() - started
    if not model:
        raise RuntimeError(f"training {config_path.name} produced no model")
    return model, seconds


async def _probe(processor) -> str:
    from rasa.core.channels.channel import UserMessage

    parsed = await processor.parse_message(UserMessage(OUT_OF_SCOPE_PROBE))
    return f"{parsed['intent']['name']} {parsed['intent']['confidence']:.2f}"


def run_rasa_candidate(config_path: Path, data, seed: int, runs: int, heldout: bool, work: Path) -> Row:
    from rasa.core.agent import Agent

    name = config_path.stem
    train, test = split(data, seed)
    model, seconds = train_rasa(config_path, train, work, f"{name}-split")
    processor = Agent.load(model).processor
    split_scores = asyncio.run(score_processor(processor, test))
    texts = [m.get("text") for m in test.intent_examples]
    p50, p95 = asyncio.run(parse_latency(processor, texts, runs))
    row = Row(name, split_scores, seconds, p50, p95, fallback=fallback_config(config_path))
    if heldout:
        model, row.full_train_seconds = train_rasa(config_path, data, work, f"{name}-full")
        processor = Agent.load(model).processor
        row.heldout = score_heldout(processor)
    row.probe = asyncio.run(_probe(processor))
    return row


def score_heldout(processor) -> dict[str, Scores]:
    return {name: asyncio.run(score_processor(processor, heldout_data(name))) for name in HELDOUT_SETS}


def _tfidf_fit(train):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True),
        LogisticRegression(C=10, max_iter=1000, class_weight="balanced"),
    )
    examples = train.intent_examples
    model.fit([m.get("text") for m in examples], [m.get("intent") for m in examples])
    return model


def _tfidf_scores(model, test) -> Scores:
    from rasa.nlu.test import IntentEvaluationResult

    texts = [m.get("text") for m in test.intent_examples]
    results, margins = [], []
    for message, row in zip(test.intent_examples, model.predict_proba(texts)):
        second, best = row.argsort()[-2:]
        margins.append(float(row[best] - row[second]))
        results.append(
            IntentEvaluationResult(message.get("intent"), model.classes_[best], message.get("text"), float(row[best]))
        )
    macro, accuracy, per_intent = _intent_scores(results)
    predictions = [(r.intent_target, r.intent_prediction, r.confidence, m) for r, m in zip(results, margins)]
    return Scores(macro, accuracy, None, None, per_intent, predictions=predictions)


def run_tfidf(data, seed: int, runs: int, heldout: bool) -> Row:
    train, test = split(data, seed)
    started = time.perf_counter()
    model = _tfidf_fit(train)
    seconds = time.perf_counter() - started
    texts = [m.get("text") for m in test.intent_examples]
    p50s, p95s = [], []
    for _ in range(runs):
        times = []
        for text in texts:
            begun = time.perf_counter()
            model.predict_proba([text])
            times.append((time.perf_counter() - begun) * 1000)
        p50s.append(_percentile(times, 0.5))
        p95s.append(_percentile(times, 0.95))
    row = Row(TFIDF, _tfidf_scores(model, test), seconds, statistics.median(p50s), statistics.median(p95s))
    if heldout:
        started = time.perf_counter()
        model = _tfidf_fit(data)
        row.full_train_seconds = time.perf_counter() - started
        row.heldout = {name: _tfidf_scores(model, heldout_data(name)) for name in HELDOUT_SETS}
    probabilities = model.predict_proba([OUT_OF_SCOPE_PROBE])[0]
    row.probe = f"{model.classes_[probabilities.argmax()]} {probabilities.max():.2f}"
    return row


# ---------------------------------------------------------------- report


def _f(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _entity(scores: Scores | None) -> str:
    if scores is None or scores.entity_f1_weighted is None:
        return "–"
    return f"{scores.entity_f1_weighted:.3f} / {scores.entity_f1_micro:.3f}"


def _fallback_cell(scores: Scores | None, fallback: tuple[float, float] | None) -> str:
    if scores is None or fallback is None:
        return "–"
    lost, caught = fallback_effect(scores.predictions, *fallback)
    return f"{lost:.1%} / {caught:.0%}"


def _weakest(per_label: dict[str, float], n: int = 6) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in sorted(per_label.items(), key=lambda kv: kv[1])[:n])


def render(rows: list[Row], data_size: int, seed: int, runs: int, heldout: bool) -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        f"## Run {datetime.now():%Y-%m-%d %H:%M} · {platform.node()} · {os.cpu_count()} cores · "
        f"load avg {load:.1f} at the end",
        "",
        f"Split: {data_size} training examples, 80/20 per intent, seed {seed}. Parse latency: "
        f"`parse_message` over the test texts, p50/p95 per pass, median over {runs} passes. "
        "Entity F1 = Rasa's token-level report on the merged output of the whole pipeline, "
        "weighted / micro average. Fallback = share of right answers the config's FallbackClassifier "
        "(threshold, ambiguity_threshold) turns into nlu_fallback / share of wrong answers it catches.",
        "",
        "| pipeline | intent macro-F1 | intent acc. | entity F1 w/μ | train s | parse p50 ms | parse p95 ms "
        f"| fallback | {OUT_OF_SCOPE_PROBE} → |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        setting = f"@{row.fallback[0]:g}/{row.fallback[1]:g}: " if row.fallback else ""
        lines.append(
            f"| {row.name} | {_f(row.split.intent_macro_f1)} | {_f(row.split.intent_accuracy)} | "
            f"{_entity(row.split)} | {row.train_seconds:.0f} | {row.p50_ms:.1f} | {row.p95_ms:.1f} | "
            f"{setting}{_fallback_cell(row.split, row.fallback)} | {row.probe} |"
        )
    if heldout:
        lines += ["", *_heldout_table(rows, "model trained on all of the training data")]
    lines += [
        "",
        "Fallback sweep on the split (right answers lost / wrong answers caught) by threshold, "
        "for ambiguity_threshold 0 and 0.1 (Rasa's default):",
        "",
        "| pipeline | ambiguity | " + " | ".join(f"@{t:g}" for t in FALLBACK_SWEEP) + " |",
        "|---|---:|" + "---:|" * len(FALLBACK_SWEEP),
    ]
    for row in rows:
        for ambiguity in (0.0, 0.1):
            cells = []
            for threshold in FALLBACK_SWEEP:
                lost, caught = fallback_effect(row.split.predictions, threshold, ambiguity)
                cells.append(f"{lost:.1%} / {caught:.0%}")
            lines.append(f"| {row.name} | {ambiguity:g} | " + " | ".join(cells) + " |")
    lines += ["", "Per-intent F1 on the split (weakest first):", ""]
    lines += [f"- {row.name}: {_weakest(row.split.intent_f1)}" for row in rows]
    lines += ["", "Per-entity F1 on the split:", ""]
    for row in rows:
        if row.split.entity_f1:
            lines.append(f"- {row.name}: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(row.split.entity_f1.items())))
    if heldout:
        lines += ["", *_heldout_details(rows)]
    return "\n".join(lines) + "\n"


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def _heldout_table(rows: list[Row], trained: str) -> list[str]:
    lines = [
        f"Held-out sets (tests/nlu_eval; voice transcripts cleaned as in production), {trained}. CI gate "
        "(typed.yml and voice.yml only): typed intent macro-F1 ≥ 0.92, voice ≥ 0.88, entity F1 (weighted) ≥ 0.85. "
        "The independent sets were written by someone who never read the training data (tests/nlu_eval/README.md).",
        "",
        "| pipeline | train s (all data) | set | examples | intent macro-F1 | entity F1 w/μ "
        "| customer_name exact-span F1 | fallback |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        for name, scores in row.heldout.items():
            lines.append(
                f"| {row.name} | {_seconds(row.full_train_seconds)} | {name} | {len(scores.predictions)} | "
                f"{_f(scores.intent_macro_f1)} | {_entity(scores)} | {_f(scores.span_f1.get('customer_name'))} | "
                f"{_fallback_cell(scores, row.fallback)} |"
            )
    return lines


def _heldout_details(rows: list[Row]) -> list[str]:
    lines = ["Per-intent F1 on the held-out sets (aggregate, weakest first):", ""]
    for row in rows:
        lines += [f"- {row.name} {name}: {_weakest(scores.intent_f1)}" for name, scores in row.heldout.items()]
    lines += ["", "Per-entity F1 on the held-out sets (aggregate; token-level, then exact-span):", ""]
    for row in rows:
        for name, scores in row.heldout.items():
            if scores.entity_f1:
                lines.append(
                    f"- {row.name} {name}: "
                    + ", ".join(f"{k} {v:.2f}" for k, v in sorted(scores.entity_f1.items()))
                    + " · exact: "
                    + ", ".join(f"{k} {v:.2f}" for k, v in sorted(scores.span_f1.items()))
                )
    return lines


def render_model(row: Row) -> str:
    """The held-out report of one trained model (--model)."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        f"## Held-out run {datetime.now():%Y-%m-%d %H:%M} · {platform.node()} · {os.cpu_count()} cores · "
        f"load avg {load:.1f} at the end",
        "",
        *_heldout_table([row], f"trained model {row.name}"),
        "",
        *_heldout_details([row]),
    ]
    return "\n".join(lines) + "\n"


def run_model(model: Path) -> Row:
    """Score a trained model on every held-out set; nothing is trained."""
    from rasa.core.agent import Agent

    row = Row(model.name, Scores(0.0, 0.0, None, None), 0.0, 0.0, 0.0)
    row.heldout = score_heldout(Agent.load(str(model)).processor)
    return row


def _quiet() -> None:
    import logging

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    logging.disable(logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    # Unconfigured structlog prints a debug line per parse; `rasa run` logs at INFO and prints none.
    configure_structlog(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--only", nargs="*", help=f"config names in benchmarks/configs (or paths to .yml files) and/or {TFIDF}"
    )
    parser.add_argument("--heldout", action="store_true", help="also train on all data, score tests/nlu_eval")
    parser.add_argument("--model", help="score this trained model (.tar.gz) on the held-out sets; train nothing")
    parser.add_argument("--runs", type=int, default=5, help="parse passes over the test texts")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data", default=str(NLU_DATA), help="NLU training data (file or directory)")
    parser.add_argument("--out", default=str(RESULTS), help="results file to append to, or - for stdout only")
    args = parser.parse_args(argv)

    os.chdir(ROOT)  # configs name data/jieba relative to the project root
    sys.path.insert(0, str(ROOT))
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"  # no reuse of cached components: honest training times
    _quiet()

    if args.model:
        text = render_model(run_model(Path(args.model).resolve()))
        print(text)
        if args.out != "-":
            with open(args.out, "a", encoding="utf-8") as results:
                results.write("\n" + text)
        return 0
    names = args.only or [p.stem for p in sorted(CONFIGS.glob("*.yml"))] + [TFIDF]
    data = load_nlu(Path(args.data))
    rows = []
    with tempfile.TemporaryDirectory(prefix="nlu-bench-") as work:
        for name in names:
            print(f"-- {name}", file=sys.stderr, flush=True)
            if name == TFIDF:
                rows.append(run_tfidf(data, args.seed, args.runs, args.heldout))
            else:
                config = Path(name) if name.endswith(".yml") else CONFIGS / f"{name}.yml"
                rows.append(run_rasa_candidate(config, data, args.seed, args.runs, args.heldout, Path(work)))
            print(render(rows[-1:], len(data.intent_examples), args.seed, args.runs, args.heldout), file=sys.stderr)
    text = render(rows, len(data.intent_examples), args.seed, args.runs, args.heldout)
    print(text)
    if args.out != "-":
        with open(args.out, "a", encoding="utf-8") as results:
            results.write("\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
