"""Maturing query latency for one RM on the 1,000,000-customer bank, SQLite and PostgreSQL.

What is timed is what `action_query_maturing` asks the store for each question, in a session of its own
from the pool: the staff lookup, then `maturing_holdings` (the count and total of the period's holdings
and the first page of ten), over many RMs and many periods (本周, 下周, 未来十天, 本月, 下个月, 月底前, with
and without product and amount filters). Read-only: the audit row the answer also writes is not part of
the figure (it is one indexed INSERT).

    .venv/bin/python benchmarks/maturing_bench.py [--sqlite var/bench/bank-1m.db]
        [--pg 'postgresql+psycopg2://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbank1m']
        [--rms 200] [--runs 3] [--today 2026-11-22] [--out benchmarks/results-maturing.md]

Each run: one warm-up pass over the same questions (caches as a running server has them), then the
measured pass. Reported: p50/p95/p99/max per run and the median over runs. Target p95 ≤ 20 ms on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from bot.store.db import engine_for, session_scope  # noqa: E402
from bot.store.maturing import MaturingFilter, maturing_holdings  # noqa: E402
from bot.store.models import Staff  # noqa: E402
from bot.store.staff_directory import staff_by_id  # noqa: E402

DEFAULT_PG = "postgresql+psycopg2://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbank1m"
TARGET_P95_MS = 20.0
WAN = 10_000 * 100  # fen


@dataclass(frozen=True)
class Question:
    staff_id: str
    label: str
    filt: MaturingFilter


def periods(today: date) -> list[tuple[str, date, date]]:
    monday = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    after_next = (next_month + timedelta(days=32)).replace(day=1)
    return [
        ("本周", monday, monday + timedelta(days=6)),
        ("下周", monday + timedelta(days=7), monday + timedelta(days=13)),
        ("未来十天", today, today + timedelta(days=9)),
        ("本月", month_start, next_month - timedelta(days=1)),
        ("月底前", today, next_month - timedelta(days=1)),
        ("下个月", next_month, after_next - timedelta(days=1)),
    ]


def questions(url: str, today: date, rms: int, seed: int) -> list[Question]:
    with session_scope(url) as s:
        rm_ids = list(s.execute(select(Staff.id).where(Staff.role == "rm").order_by(Staff.id)).scalars())
    rng = random.Random(seed)
    chosen = rng.sample(rm_ids, min(rms, len(rm_ids)))
    variants = [
        ("", MaturingFilter),
        ("理财", lambda a, b: MaturingFilter(a, b, product_types=("wealth",))),
        ("50万以上定期", lambda a, b: MaturingFilter(a, b, product_types=("term_deposit",), min_fen=50 * WAN)),
    ]
    out = []
    for staff_id in chosen:
        for label, start, end in periods(today):
            name, make = rng.choice(variants)
            out.append(Question(staff_id, label + name, make(start, end)))
    rng.shuffle(out)
    return out


def ask(url: str, q: Question) -> float:
    t = time.perf_counter()
    with session_scope(url) as s:
        staff = staff_by_id(s, q.staff_id)
        maturing_holdings(s, staff, q.filt)
    return (time.perf_counter() - t) * 1000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run(url: str, qs: list[Question], runs: int) -> dict:
    per_run = []
    for _ in range(runs):
        for q in qs:  # warm-up
            ask(url, q)
        ms = [ask(url, q) for q in qs]
        per_run.append(
            {
                "p50": percentile(ms, 50),
                "p95": percentile(ms, 95),
                "p99": percentile(ms, 99),
                "max": max(ms),
                "n": len(ms),
            }
        )
    median = {k: statistics.median(r[k] for r in per_run) for k in ("p50", "p95", "p99", "max")}
    return {"runs": per_run, "median": median, "questions": len(qs)}


def describe_machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), shared with other jobs "
        f"(1-min load average {load:.1f} at the end); Python {platform.python_version()}"
    )


def markdown(results: dict, args) -> str:
    lines = [
        "## Maturing query latency, one RM, 1,000,000-customer bank",
        "",
        f"{describe_machine()}. {args.rms} RMs × 6 periods (random product/amount filter), shuffled; "
        f"one warm-up pass, then a measured pass; {args.runs} runs; today {args.today}. "
        "Timed: staff lookup + `maturing_holdings` (count, total, first page) in a session of its own.",
        "",
        "| store | questions | p50 ms | p95 ms | p99 ms | max ms | p95 per run | target p95 ≤ 20 ms |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for name, r in results.items():
        m = r["median"]
        verdict = ("met" if m["p95"] <= TARGET_P95_MS else "NOT met") if name == "SQLite" else "(SQLite target)"
        per = ", ".join(f"{x['p95']:.1f}" for x in r["runs"])
        lines.append(
            f"| {name} | {r['questions']} | {m['p50']:.1f} | {m['p95']:.1f} | {m['p99']:.1f} | "
            f"{m['max']:.1f} | {per} | {verdict} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sqlite", default=str(ROOT / "var" / "bench" / "bank-1m.db"), help="SQLite bank ('' to skip)")
    p.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL bank URL ('' to skip)")
    p.add_argument("--rms", type=int, default=200)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 22))
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", help="append the Markdown table here")
    p.add_argument("--json", help="write the raw figures here")
    args = p.parse_args(argv)

    stores = {}
    if args.sqlite:
        if not Path(args.sqlite).exists():
            print(f"SQLite bank {args.sqlite} not found: skipped", file=sys.stderr)
        else:
            stores["SQLite"] = f"sqlite:///{args.sqlite}"
    if args.pg:
        stores["PostgreSQL"] = args.pg
    results = {}
    for name, url in stores.items():
        try:
            engine_for(url).connect().close()
            qs = questions(url, args.today, args.rms, args.seed)
        except Exception as exc:  # noqa: BLE001 - a missing store is reported, not fatal
            print(f"{name}: not usable ({type(exc).__name__}: {str(exc)[:200]}); skipped", file=sys.stderr)
            continue
        results[name] = run(url, qs, args.runs)
        m = results[name]["median"]
        print(
            f"{name}: {len(qs)} questions × {args.runs} runs: median p50 {m['p50']:.1f} ms, p95 {m['p95']:.1f} ms, "
            f"p99 {m['p99']:.1f} ms",
            flush=True,
        )
    text = markdown(results, args)
    print(text)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as out:
            out.write("\n" + text)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    sqlite = results.get("SQLite")
    return 0 if sqlite is None or sqlite["median"]["p95"] <= TARGET_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
