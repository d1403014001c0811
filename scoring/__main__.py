"""python -m scoring {train,report,score,benchmark} — see each command's --help."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from datetime import date
from pathlib import Path

DEFAULT_REPORT_DIR = "var/churn/report"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scoring", description="Churn scorer")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("train", help="train on the store's history (time split) and save the model")
    p.add_argument("--db", help="database URL (default BOT_DB_URL or sqlite:///var/demo.db)")
    p.add_argument("--out", help="model file (default BOT_CHURN_MODEL or var/churn/model.joblib)")
    p.add_argument("--kind", choices=("gbm", "logreg"), default="gbm", help="model to serve (default gbm)")
    p.add_argument("--step-days", type=int, default=14, help="days between as-of snapshots (default 14)")
    p.add_argument("--report", action="store_true", help="also write the report")

    p = sub.add_parser("report", help="metrics, ROC and calibration plots and a model card of the saved model")
    p.add_argument("--model", help="model file (default BOT_CHURN_MODEL or var/churn/model.joblib)")
    p.add_argument("--out", default=DEFAULT_REPORT_DIR, help=f"directory (default {DEFAULT_REPORT_DIR})")

    p = sub.add_parser("score", help="score every open customer as of a date into churn_scores (resumable)")
    p.add_argument("--db", help="database URL (default BOT_DB_URL or sqlite:///var/demo.db)")
    p.add_argument("--as-of", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    p.add_argument("--model", help="model file (default BOT_CHURN_MODEL or var/churn/model.joblib)")
    p.add_argument("--chunk-size", type=int, default=20_000)
    p.add_argument(
        "--workers",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="processes building features and reasons (default: 2, or 1 on a single core)",
    )
    p.add_argument("--no-progress", action="store_true")

    p = sub.add_parser("benchmark", help="stratified k-fold CV of the same model family on a tabular churn CSV")
    p.add_argument("--csv", required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--positive", help="target value meaning churn (default: 1/yes/true)")
    p.add_argument("--drop", default="", help="comma-separated columns to leave out (identifiers)")
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    return {"train": _train, "report": _report, "score": _score, "benchmark": _benchmark}[args.command](args)


def _train(args) -> int:
    from bot import clock
    from bot.store.db import db_url, engine_for
    from scoring.evaluation import write_report
    from scoring.model import save_model
    from scoring.training import NotEnoughHistory, train_from_store

    url = args.db or db_url()
    t0 = time.perf_counter()
    try:
        with engine_for(url).connect() as conn:
            model = train_from_store(conn, clock.today(), kind=args.kind, step_days=args.step_days)
    except NotEnoughHistory as e:
        print(f"cannot train: {e}", file=sys.stderr)
        return 2
    path = save_model(model, args.out)
    ev = model.evaluation
    print(f"model {model.version} -> {path} ({time.perf_counter() - t0:.1f} s)")
    print(
        f"fit {ev['fit_as_of'][0]}..{ev['fit_as_of'][-1]}  calibrate {','.join(ev['calibrate_as_of'])}  "
        f"test {ev['test_as_of']}  rows {ev['rows']}  positives {ev['positives']}"
    )
    for kind in ("gbm", "logreg"):
        print(f"{kind:<7} {json.dumps(model.metrics[kind])}")
    if args.report:
        for p in write_report(model, DEFAULT_REPORT_DIR):
            print(f"wrote {p}")
    return 0


def _report(args) -> int:
    from scoring.evaluation import write_report
    from scoring.model import load_model

    model = load_model(args.model)
    for kind in ("gbm", "logreg"):
        if kind in model.metrics:
            print(f"{kind:<7} {json.dumps(model.metrics[kind])}")
    for p in write_report(model, args.out):
        print(f"wrote {p}")
    return 0


def _score(args) -> int:
    from bot.store.db import db_url
    from scoring.batch import score_bank
    from scoring.model import load_model

    model = load_model(args.model)
    summary = score_bank(
        args.db or db_url(), args.as_of, model, args.chunk_size, progress=not args.no_progress, workers=args.workers
    )
    print(
        f"scored {summary.written} of {summary.customers} customers as of {args.as_of} with {summary.model_version} "
        f"in {summary.seconds:.1f} s ({summary.skipped_chunks}/{summary.chunks} chunks already done; "
        f"seconds spent, summed over workers: features {summary.timings['features']}, "
        f"score+reasons+type {summary.timings['model']}, writes {summary.timings['write']})"
    )
    return 0


def _benchmark(args) -> int:
    from scoring.external import cross_validate, load_table, sha256_of

    drop = [c.strip() for c in args.drop.split(",") if c.strip()]
    table = load_table(args.csv, args.target, args.positive, drop)
    n_cat = int(table.categorical.sum())
    print(f"{Path(args.csv).name}  sha256 {sha256_of(args.csv)}")
    print(
        f"{len(table.y)} rows, {len(table.columns)} features ({n_cat} categorical), "
        f"churn rate {table.y.mean():.1%}" + (f", dropped {table.dropped}" if table.dropped else "")
    )
    print(f"stratified {args.folds}-fold CV, seed {args.seed}")
    for result in cross_validate(table, args.folds, args.seed):
        print(result.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
