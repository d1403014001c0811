"""The name recogniser alone, trained with 0..N generated-name copies per named example
(bot/nlu/name_forms.py, SpacyNameExtractor's `name_variants`): exact-span customer_name precision,
recall, F1 and the span errors on every held-out set of tests/nlu_eval.

Quicker than training whole models (about two minutes per variant count and seed on 2 cores), which
is how `name_variants` was chosen; the full model's figures come from `nlu_pipelines.py --model`.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/name_variants.py --variants 0 2 4 --seeds 42 7
"""

from __future__ import annotations

import argparse
import platform
import time
from datetime import datetime

from benchmarks.nlu_pipelines import HELDOUT_SETS, NLU_DATA, ROOT, heldout_data
from bot.nlu.name_forms import with_other_names
from bot.nlu.spacy_names import CUSTOMER_NAME, SpacyNameExtractor, name_examples, names_in, train_recogniser

RESULTS = ROOT / "benchmarks" / "results-nlu.md"


def training_examples():
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_dict(
        training_data_paths=[str(NLU_DATA)], domain_path=str(ROOT / "domain.yml"), config_path=str(ROOT / "config.yml")
    )
    return name_examples(importer.get_nlu_data().nlu_examples)


def span_counts(nlp, name: str) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) of exact customer_name spans on one held-out set."""
    data = heldout_data(name)
    texts = [m.get("text") for m in data.nlu_examples]
    gold = [
        {(e["start"], e["end"]) for e in m.get("entities") or [] if e["entity"] == CUSTOMER_NAME}
        for m in data.nlu_examples
    ]
    found = [set(spans) for spans in names_in(nlp, texts)]
    return (
        sum(len(g & f) for g, f in zip(gold, found)),
        sum(len(f - g) for g, f in zip(gold, found)),
        sum(len(g - f) for g, f in zip(gold, found)),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", type=int, nargs="+", default=[0, 2])
    parser.add_argument("--seeds", type=int, nargs="+", default=[42])
    parser.add_argument("--out", default=str(RESULTS), help="results file to append to, or - for stdout only")
    args = parser.parse_args(argv)

    config = SpacyNameExtractor.get_default_config()
    examples = training_examples()
    lines = [
        f"\n## Name recogniser alone by generated-name copies, {datetime.now():%Y-%m-%d %H:%M} · "
        f"{platform.node()} · benchmarks/name_variants.py\n",
        "| copies | seed | train s | " + " | ".join(f"{n} P/R/F1" for n in HELDOUT_SETS) + " | span errors (fp+fn) |",
        "|---:|---:|---:|" + "---|" * len(HELDOUT_SETS) + "---:|",
    ]
    print("\n".join(lines))
    for variants in args.variants:
        for seed in args.seeds:
            generated = with_other_names(examples, variants, seed)
            started = time.perf_counter()
            nlp = train_recogniser(
                examples + generated, int(config["epochs"]), float(config["dropout"]), int(config["batch_size"]), seed
            )
            seconds = time.perf_counter() - started
            cells, errors = [], 0
            for name in HELDOUT_SETS:
                tp, fp, fn = span_counts(nlp, name)
                errors += fp + fn
                p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
                cells.append(f"{p:.3f} / {r:.3f} / {2 * tp / max(2 * tp + fp + fn, 1):.3f}")
            line = f"| {variants} | {seed} | {seconds:.0f} | " + " | ".join(cells) + f" | {errors} |"
            print(line, flush=True)
            lines.append(line)
    if args.out != "-":
        with open(args.out, "a", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
