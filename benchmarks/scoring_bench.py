"""Churn scorer benchmarks: model throughput, reasons per customer, end-to-end batch scoring of a big bank.

    .venv/bin/python benchmarks/scoring_bench.py --bank-db var/bench/bank-1m.db --as-of 2026-11-22 \
        --workers 2 --out benchmarks/results-scoring.md

Inputs made when missing: --features-db (the 6,000-customer demo bank, seed 20261122) and --model (trained on it).

- model: calibrated probabilities on a feature matrix (rows of the features-db bank tiled to --rows), one
  thread, customers/s; also the tree-path contributions the batch actually uses (score + reasons input).
- reasons: `assess` (score, up to 3 reasons, churn type) for one customer at a time, ms/customer.
- end to end: `python -m scoring score` on --bank-db (features from SQL, model, reasons, churn type, writes),
  after deleting this model version's rows for that as-of date so the run is a full one.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import delete, func, select  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from bot.store.db import engine_for  # noqa: E402
from bot.store.models import ChurnScore, Customer, Transaction  # noqa: E402
from scoring.batch import score_bank  # noqa: E402
from scoring.features import build_features  # noqa: E402
from scoring.model import load_model  # noqa: E402
from scoring.service import assess  # noqa: E402


def bench_model(model, X: np.ndarray, rows: int, chunk: int = 20_000) -> dict:
    """Calibrated probabilities over `rows` feature rows in chunks of `chunk` (as batch scoring feeds them),
    with 1 and 2 OpenMP threads; wall-clock and CPU-time rates (the machine is shared)."""
    big = np.tile(X, (int(np.ceil(rows / len(X))), 1))[:rows]
    out = {"rows": rows}
    model.predict_proba(big[:1000])  # warm up
    for threads in (1, 2):
        with threadpool_limits(threads, user_api="openmp"):
            wall, cpu = time.perf_counter(), time.process_time()
            for i in range(0, rows, chunk):
                model.calibrate(model.estimator.decision_function(big[i : i + chunk]))
            out[f"proba_{threads}t"] = (rows / (time.perf_counter() - wall), rows / (time.process_time() - cpu))
    model.contributions(big[:1000])
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(0, rows, chunk):
        model.contributions(big[i : i + chunk])
    out["contrib"] = (rows / (time.perf_counter() - wall), rows / (time.process_time() - cpu))
    return out


def bench_reasons(model, as_of: date, ids, X, facts, n: int = 500) -> dict:
    pick = np.linspace(0, len(ids) - 1, min(n, len(ids))).astype(int)
    assess(model, as_of, ids[:1], X[:1], facts[:1])
    t = time.perf_counter()
    for i in pick:
        assess(model, as_of, ids[i : i + 1], X[i : i + 1], [facts[i]])
    single_ms = (time.perf_counter() - t) / len(pick) * 1000
    t = time.perf_counter()
    assess(model, as_of, ids, X, facts)
    batch_ms = (time.perf_counter() - t) / len(ids) * 1000
    return {"customers": len(pick), "single_ms": single_ms, "batched_ms": batch_ms}


def bench_batch(model, url: str, as_of: date, chunk_size: int, workers: int) -> dict:
    engine = engine_for(url)
    with engine.begin() as conn:
        conn.execute(delete(ChurnScore).where(ChurnScore.as_of == as_of, ChurnScore.model_version == model.version))
        customers = conn.execute(select(func.count()).select_from(Customer)).scalar_one()
        txns = conn.execute(select(func.count()).select_from(Transaction)).scalar_one()
    summary = score_bank(url, as_of, model, chunk_size=chunk_size, progress=True, workers=workers)
    return {"customers": customers, "transactions": txns, "summary": summary}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--model", default="var/churn/bench-model.joblib", help="model file; trained on --features-db when missing"
    )
    ap.add_argument(
        "--features-db",
        default="var/scoring-dev.db",
        help="bank whose feature rows feed parts 1-2; generated (6,000 customers) when missing",
    )
    ap.add_argument("--bank-db", default="var/bench/bank-1m.db", help="bank for the end-to-end batch")
    ap.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 22))
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--chunk-size", type=int, default=20_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-batch", action="store_true")
    ap.add_argument("--out", help="write the figures as Markdown to this file")
    args = ap.parse_args(argv)

    _ensure_inputs(args)
    model = load_model(args.model)
    with engine_for(f"sqlite:///{args.features_db}").connect() as conn:
        ids, X, facts = build_features(conn, args.as_of)
    m = bench_model(model, X, args.rows)
    print(
        f"model: {m['proba_1t'][0]:,.0f} customers/s calibrated probability, 1 thread "
        f"({m['proba_1t'][1]:,.0f} per CPU-second; {m['rows']:,} rows in 20,000-row chunks); 2 threads "
        f"{m['proba_2t'][0]:,.0f}/s; path contributions {m['contrib'][0]:,.0f}/s ({m['contrib'][1]:,.0f} per CPU-s)"
    )
    r = bench_reasons(model, args.as_of, ids, X, facts)
    print(f"reasons: {r['single_ms']:.2f} ms per customer one at a time, {r['batched_ms']:.3f} ms batched")

    b = None
    if not args.skip_batch and Path(args.bank_db).exists():
        b = bench_batch(model, f"sqlite:///{args.bank_db}", args.as_of, args.chunk_size, args.workers)
        s = b["summary"]
        print(f"batch: {s.written:,} customers scored in {s.seconds:.0f} s ({s.per_second:,.0f}/s); {s.timings}")
    elif not args.skip_batch:
        print(f"batch: skipped, {args.bank_db} does not exist")

    if args.out:
        Path(args.out).write_text(_markdown(args, model, m, r, b), encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


def _ensure_inputs(args) -> None:
    """Make the 6,000-customer demo bank and the model when they are not there yet (same seed, same today)."""
    if not Path(args.features_db).exists():
        from tools.demo.load import generate_bank

        print(f"generating {args.features_db} (6,000 customers)")
        generate_bank(f"sqlite:///{args.features_db}", customers=6_000, seed=20261122, today=args.as_of, progress=False)
    if not Path(args.model).exists():
        from scoring.model import save_model
        from scoring.training import train_from_store

        print(f"training {args.model} on {args.features_db}")
        with engine_for(f"sqlite:///{args.features_db}").connect() as conn:
            save_model(train_from_store(conn, args.as_of), args.model)


def _markdown(args, model, m, r, b) -> str:
    lines = [
        "# Churn scorer benchmark",
        "",
        f"Machine: {os.cpu_count()} cores ({platform.processor() or platform.machine()}), shared with other jobs "
        f"(load average {os.getloadavg()[0]:.1f} at the end of the run); "
        f"Python {platform.python_version()}. Model {model.version} ({model.kind}, "
        f"{model.estimator.n_iter_ if hasattr(model.estimator, 'n_iter_') else '-'} trees). "
        f"Command: `.venv/bin/python benchmarks/scoring_bench.py --model {args.model} --features-db "
        f"{args.features_db} --bank-db {args.bank_db} --as-of {args.as_of}`.",
        "",
        "| part | figure | target |",
        "|---|---|---|",
        f"| model: calibrated probability, {m['rows']:,}-row matrix in 20,000-row chunks, 1 thread | "
        f"{m['proba_1t'][0]:,.0f} customers/s ({m['proba_1t'][1]:,.0f} per CPU-second) | ≥ 200,000/s |",
        f"| same, 2 threads | {m['proba_2t'][0]:,.0f} customers/s ({m['proba_2t'][1]:,.0f} per CPU-second) | |",
        f"| model: tree-path contributions (what batch scoring computes; gives the score too), 1 thread | "
        f"{m['contrib'][0]:,.0f} customers/s ({m['contrib'][1]:,.0f} per CPU-second) | |",
        f"| reasons + churn type, one customer at a time (`assess`) | {r['single_ms']:.2f} ms/customer | ≤ 5 ms |",
        f"| reasons + churn type, batched | {r['batched_ms']:.3f} ms/customer | |",
    ]
    if b:
        s = b["summary"]
        lines.append(
            f"| end to end `python -m scoring score --workers {args.workers}` on {Path(args.bank_db).name} "
            f"({b['customers']:,} customers, {b['transactions']:,} transactions, SQLite) | {s.seconds / 60:.1f} min "
            f"({s.per_second:,.0f} customers/s; summed over workers: features {s.timings['features']:.0f} s, "
            f"score+reasons+type {s.timings['model']:.0f} s; writes {s.timings['write']:.0f} s) | ≤ 10 min |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
