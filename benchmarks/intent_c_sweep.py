"""The intent classifier's regularisation strength C (bot/nlu/intent_classifier.py), swept on the held-out sets.

A stand-in for the assistant's intent path that trains in seconds: jieba words (the project's dictionary)
and character 1–4-grams, counted as config.yml's two CountVectorsFeaturizers count them, into scikit-learn's
LogisticRegression with Rasa's settings (class_weight balanced, lbfgs). The grammars after the classifier
and the regex / lexical features are left out, so the figures rank C values; the full model's figures come
from `nlu_pipelines.py --model`. Per set: intent macro-F1 with the top intent, then with answers under
FallbackClassifier's threshold counted as misses (what a user sees), and the share that falls back.
`--sets` defaults to the development sets: the day's fresh sets are scored once, by the full model.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/intent_c_sweep.py --c 1 10 100 300
"""

from __future__ import annotations

import argparse
import logging
import platform
import warnings
from datetime import datetime
from pathlib import Path

from benchmarks.nlu_pipelines import HELDOUT_SETS, NLU_DATA, RESULTS, ROOT, heldout_data, load_nlu

DEVELOPMENT_SETS = [name for name in HELDOUT_SETS if not name.startswith("fresh")]
FALLBACK_THRESHOLD = 0.3  # config.yml's FallbackClassifier


def _features():
    import jieba
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.pipeline import make_union

    jieba.setLogLevel(logging.WARNING)
    for path in sorted(Path(ROOT / "data" / "jieba").glob("*")):
        jieba.load_userdict(str(path))
    words = CountVectorizer(tokenizer=jieba.lcut, token_pattern=None)
    chars = CountVectorizer(analyzer="char_wb", ngram_range=(1, 4))
    return make_union(words, chars)


def sweep(c_values: list[float], sets: list[str]) -> list[str]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    train = load_nlu(NLU_DATA).intent_examples
    features = _features()
    x_train = features.fit_transform([m.get("text") for m in train])
    y_train = [m.get("intent") for m in train]
    held = {name: heldout_data(name).intent_examples for name in sets}
    rows = []
    for c in c_values:
        model = LogisticRegression(C=c, max_iter=1000, class_weight="balanced", random_state=42)
        model.fit(x_train, y_train)
        cells, top_scores, seen_scores = [], [], []
        for name in sets:
            texts, wanted = [m.get("text") for m in held[name]], [m.get("intent") for m in held[name]]
            probabilities = model.predict_proba(features.transform(texts))
            top = model.classes_[probabilities.argmax(axis=1)]
            falls_back = probabilities.max(axis=1) < FALLBACK_THRESHOLD
            seen = np.where(falls_back, "nlu_fallback", top)
            labels = sorted(set(wanted))
            f1_top = f1_score(wanted, top, labels=labels, average="macro")
            f1_seen = f1_score(wanted, seen, labels=labels, average="macro")
            top_scores.append(f1_top)
            seen_scores.append(f1_seen)
            cells.append(f"{f1_top:.3f} / {f1_seen:.3f} / {falls_back.mean():.0%}")
        mean_top, mean_seen = sum(top_scores) / len(sets), sum(seen_scores) / len(sets)
        rows.append(f"| {c:g} | " + " | ".join(cells) + f" | {mean_top:.3f} / {mean_seen:.3f} |")
        print(rows[-1], flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--c", type=float, nargs="+", default=[1.0, 10.0, 100.0, 300.0])
    parser.add_argument("--sets", nargs="+", default=DEVELOPMENT_SETS, choices=list(HELDOUT_SETS))
    parser.add_argument("--out", default=str(RESULTS), help="results file to append to, or - for stdout only")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)

    header = [
        f"\n## Intent classifier's C, {datetime.now():%Y-%m-%d %H:%M} · {platform.node()} · "
        "benchmarks/intent_c_sweep.py\n",
        "Per set: macro-F1 top intent / with fallbacks as misses / share under the fallback threshold.\n",
        "| C | " + " | ".join(args.sets) + " | mean |",
        "|---:|" + "---|" * len(args.sets) + "---|",
    ]
    print("\n".join(header))
    rows = sweep(args.c, args.sets)
    if args.out != "-":
        with open(args.out, "a", encoding="utf-8") as out:
            out.write("\n".join(header + rows) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
