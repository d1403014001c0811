"""Every benchmark of the project in one command; writes benchmarks/results.md.

    .venv/bin/python benchmarks/run_all.py            # the full set, --runs 3 (long: an hour or more on 2 cores)
    .venv/bin/python benchmarks/run_all.py --quick    # small sizes, one run each (about 10 minutes)
    .venv/bin/python benchmarks/run_all.py --only maturing load --runs 5

Parts, each its own script run as a subprocess (so one failing does not stop the others):
- nlu        benchmarks/nlu_pipelines.py --only lr_intents_spacy_names: parse latency of the production pipeline
             (config.yml), plus its accuracy on the 80/20 split;
- maturing   benchmarks/maturing_bench.py: maturing query for one RM on the 1,000,000-customer bank,
             SQLite and PostgreSQL;
- scoring    benchmarks/scoring_bench.py: model throughput, reasons per customer, and (full run only, once)
             end-to-end batch scoring of the 1,000,000-customer SQLite bank;
- channels   benchmarks/channels_bench.py: WeCom acknowledgement latency (stub Rasa);
- load       benchmarks/load.py --start-stack: full turns under 50 concurrent staff on the production-style
             stack (PostgreSQL 1,000,000-customer bank, Redis, two Rasa instances), each sending the next
             question as soon as the answer is in (saturation: the latency is mostly queueing);
- paced      the same 50 staff pausing 20 s on average between turns, as people do.
- alerts     benchmarks/alerts.py: the pushes on a PostgreSQL bank (schema alerts_bank_N, built once and
             reused; 1,000,000 customers, --quick 20,000): briefing queue time, send rate to the fake WeCom
             API, detection delay of `python -m bot alerts watch` (steady and during the briefing);
- lock       benchmarks/lock_tickets.py: duplicate conversation-lock tickets when two Rasa instances ask at the
             same instant, Rasa's RedisLockStore against bot/lock_store.py (also writes results-lock.md).
Each part runs --runs times and every figure is reported as the median over the runs, with all runs'
values alongside. The machine is described at the top. Raw outputs are kept in var/bench/run_all/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
RESULTS = ROOT / "benchmarks" / "results.md"
RAW = ROOT / "var" / "bench" / "run_all"
PG_BANK = "postgresql+psycopg2://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbank1m"
SQLITE_BANK = ROOT / "var" / "bench" / "bank-1m.db"


@dataclass
class Figure:
    name: str
    unit: str
    target: str = ""
    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None


@dataclass
class Part:
    name: str
    argv: Callable[[argparse.Namespace, Path], list[str]]  # (args, run directory) -> command
    extract: Callable[[str, Path], dict[str, float]]  # (stdout, run directory) -> figures of one run
    figures: dict[str, Figure]
    runs_override: Callable[[argparse.Namespace], int] | None = None
    timeout_s: float = 7200
    outputs: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    note: str = ""


def _num(pattern: str, text: str) -> float | None:
    m = re.search(pattern, text)
    return float(m.group(1).replace(",", "")) if m else None


# -- the parts ---------------------------------------------------------------------------------------


def nlu_argv(args, run: Path) -> list[str]:
    return [
        PY,
        "benchmarks/nlu_pipelines.py",
        "--only",
        "lr_intents_spacy_names",
        "--runs",
        "3" if args.quick else "5",
        "--out",
        str(run / "nlu.md"),
    ]


def nlu_extract(out: str, run: Path) -> dict[str, float]:
    row = next((line for line in out.splitlines() if line.startswith("| lr_intents_spacy_names |")), "")
    cells = [c.strip() for c in row.strip("|").split("|")]
    if len(cells) < 7:
        return {}
    return {
        "intent_f1": float(cells[1]),
        "parse_p50": float(cells[5]),
        "parse_p95": float(cells[6]),
        "train_s": float(cells[4]),
    }


def maturing_argv(args, run: Path) -> list[str]:
    return [
        PY,
        "benchmarks/maturing_bench.py",
        "--runs",
        "1",
        "--rms",
        "50" if args.quick else "200",
        "--sqlite",
        str(SQLITE_BANK),
        "--pg",
        args.pg_bank,
        "--json",
        str(run / "maturing.json"),
    ]


def maturing_extract(out: str, run: Path) -> dict[str, float]:
    data = json.loads((run / "maturing.json").read_text())
    out_ = {}
    for store, key in (("SQLite", "sqlite"), ("PostgreSQL", "pg")):
        if store in data:
            out_[f"{key}_p50"] = data[store]["median"]["p50"]
            out_[f"{key}_p95"] = data[store]["median"]["p95"]
    return out_


def scoring_argv(args, run: Path) -> list[str]:
    argv = [
        PY,
        "benchmarks/scoring_bench.py",
        "--bank-db",
        str(SQLITE_BANK),
        "--as-of",
        "2026-11-22",
        "--out",
        str(run / "scoring.md"),
    ]
    if args.quick or run.name != "1":  # the end-to-end batch over a million customers: once, full runs only
        argv.append("--skip-batch")
    if args.quick:
        argv += ["--rows", "100000"]
    return argv


def scoring_extract(out: str, run: Path) -> dict[str, float]:
    figures = {
        "model_per_s": _num(r"model: ([\d,]+) customers/s", out),
        "reasons_ms": _num(r"reasons: ([\d.]+) ms per customer one at a time", out),
        "batch_per_s": _num(r"batch: [\d,]+ customers scored in [\d.]+ s \(([\d,]+)/s\)", out),
        "batch_min": (_num(r"batch: [\d,]+ customers scored in ([\d.]+) s", out) or 0) / 60 or None,
    }
    return {k: v for k, v in figures.items() if v is not None}


def channels_argv(args, run: Path) -> list[str]:
    argv = [PY, "benchmarks/channels_bench.py", "--output", str(run / "channels.md")]
    return argv + (["--staff", "10", "--per-staff", "10"] if args.quick else [])


def channels_extract(out: str, run: Path) -> dict[str, float]:
    def row(label: str) -> list[float]:
        line = next((ln for ln in out.splitlines() if ln.startswith(f"| {label}")), "")
        return [float(c) for c in re.findall(r"\|\s*([\d.]+)\s*(?=\|)", line)]

    ack, send = row("POST → 200"), row("POST → message/send")
    figures = {}
    if len(ack) >= 3:
        figures.update(ack_p50=ack[0], ack_p95=ack[1], ack_p99=ack[2])
    if len(send) >= 3:
        figures.update(send_p50=send[0], send_p95=send[1])
    return figures


def load_argv(args, run: Path) -> list[str]:
    argv = [
        PY,
        "benchmarks/load.py",
        "--start-stack",
        "--db",
        args.pg_bank,
        "--today",
        "2026-11-22",
        "--json",
        str(run / "load.json"),
        "--out",
        str(run / "load.md"),
        "--warm",
    ]
    return argv + (["--staff", "10", "--turns", "5"] if args.quick else ["--staff", "50", "--turns", "20"])


def paced_argv(args, run: Path) -> list[str]:
    argv = [
        PY,
        "benchmarks/load.py",
        "--start-stack",
        "--db",
        args.pg_bank,
        "--today",
        "2026-11-22",
        "--json",
        str(run / "load.json"),
        "--out",
        str(run / "load.md"),
        "--warm",
    ]
    return argv + (
        ["--staff", "10", "--turns", "5", "--think-ms", "2000"]
        if args.quick
        else ["--staff", "50", "--turns", "20", "--think-ms", "20000"]
    )


def load_extract(out: str, run: Path) -> dict[str, float]:
    data = json.loads((run / "load.json").read_text())
    a = data["all"]
    return {
        "p50": a["p50_s"],
        "p95": a["p95_s"],
        "p99": a["p99_s"],
        "turns_per_s": data["turns_per_s"],
        "errors": float(sum(a["errors"].values())),
        "turns": float(a["turns"]),
        "wecom_ack_p95": data["wecom"]["ack_p95_ms"],
    }


def lock_argv(args, run: Path) -> list[str]:
    # A quick run leaves benchmarks/results-lock.md (the 1,000-round figures) as it is.
    return [PY, "benchmarks/lock_tickets.py"] + (
        ["--rounds", "200", "--no-write"] if args.quick else ["--rounds", "1000"]
    )


def lock_extract(out: str, run: Path) -> dict[str, float]:
    figures = {}
    for store, key in (("RedisLockStore", "stock_duplicates"), ("AtomicRedisLockStore", "ours_duplicates")):
        found = re.search(rf"^{store}: (\d+) duplicate tickets in (\d+) rounds", out, re.M)
        if found:
            figures[key] = float(found.group(1))
            figures["rounds"] = float(found.group(2))
    return figures


def alerts_argv(args, run: Path) -> list[str]:
    argv = [PY, "benchmarks/alerts.py"]
    if args.quick:  # results-alerts.md keeps the full-size figures
        return argv + [
            "--customers",
            "20000",
            "--insertions",
            "30",
            "--spread-s",
            "90",
            "--send-runs",
            "1",
            "--no-write",
        ]
    return argv + ["--customers", "1000000"]


def alerts_extract(out: str, run: Path) -> dict[str, float]:
    figures = {
        "briefing_s": _num(r"(?m)^\(a\) briefing queue time\s+([\d.]+)", out),
        "send_rate": _num(r"(?m)^\(b\) send rate[^\n]*?\s{2}([\d,]+)(?: \(median)?[^\n]* msg/s", out),
        "steady_p95": _num(r"steady state\s+p50 [\d.]+ s, p95 \*\*([\d.]+) s", out),
        "briefing_p95": _num(r"morning briefing\s+p50 [\d.]+ s, p95 \*\*([\d.]+) s", out),
    }
    return {k: v for k, v in figures.items() if v is not None}


def parts() -> dict[str, Part]:
    F = Figure
    return {
        "nlu": Part(
            "NLU parse latency (production pipeline, config.yml)",
            nlu_argv,
            nlu_extract,
            {
                "parse_p50": F("parse p50", "ms"),
                "parse_p95": F("parse p95", "ms"),
                "intent_f1": F("intent macro-F1 (80/20 split)", ""),
                "train_s": F("training time", "s"),
            },
        ),
        "maturing": Part(
            "Maturing query, one RM, 1,000,000 customers",
            maturing_argv,
            maturing_extract,
            {
                "sqlite_p50": F("SQLite p50", "ms"),
                "sqlite_p95": F("SQLite p95", "ms", "≤ 20 ms"),
                "pg_p50": F("PostgreSQL p50", "ms"),
                "pg_p95": F("PostgreSQL p95", "ms"),
            },
        ),
        "scoring": Part(
            "Batch scoring",
            scoring_argv,
            scoring_extract,
            {
                "model_per_s": F("model throughput", "customers/s", "≥ 200,000/s"),
                "reasons_ms": F("reasons + churn type, one customer", "ms", "≤ 5 ms"),
                "batch_per_s": F("end-to-end batch, 1,000,000 customers (SQLite)", "customers/s"),
                "batch_min": F("end-to-end batch duration", "min", "≤ 10 min"),
            },
        ),
        "channels": Part(
            "WeCom acknowledgement (channel + stub Rasa)",
            channels_argv,
            channels_extract,
            {
                "ack_p50": F("POST → 200 p50", "ms"),
                "ack_p95": F("POST → 200 p95", "ms"),
                "ack_p99": F("POST → 200 p99", "ms", "≤ 50 ms"),
                "send_p50": F("POST → message/send p50", "ms"),
                "send_p95": F("POST → message/send p95", "ms"),
            },
        ),
        "load": Part(
            "Full turns under load (production-style stack)",
            load_argv,
            load_extract,
            {
                "p50": F("turn latency p50", "s"),
                "p95": F("turn latency p95", "s", "≤ 1 s"),
                "p99": F("turn latency p99", "s"),
                "turns_per_s": F("throughput", "turns/s"),
                "errors": F("errors", "turns", "0"),
                "turns": F("turns played", ""),
                "wecom_ack_p95": F("WeCom acknowledgement p95 under load", "ms"),
            },
        ),
        "alerts": Part(
            "Pushes on the PostgreSQL bank (briefing, send rate, detection delay)",
            alerts_argv,
            alerts_extract,
            {
                "briefing_s": F("briefing queue time, every RM and branch head", "s"),
                "send_rate": F("send rate to the fake WeCom API", "msg/s"),
                "steady_p95": F("detection delay p95, steady state", "s", "≤ 60 s"),
                "briefing_p95": F("detection delay p95, during the briefing", "s", "≤ 60 s"),
            },
        ),
        "lock": Part(
            "Conversation-lock tickets issued at the same instant by two instances",
            lock_argv,
            lock_extract,
            {
                "stock_duplicates": F("duplicates, Rasa's RedisLockStore", "rounds"),
                "ours_duplicates": F("duplicates, bot.lock_store.AtomicRedisLockStore", "rounds", "0"),
                "rounds": F("rounds", ""),
            },
        ),
        "paced": Part(
            "Full turns, staff pausing 20 s on average between turns (production-style stack)",
            paced_argv,
            load_extract,
            {
                "p50": F("turn latency p50", "s"),
                "p95": F("turn latency p95", "s", "≤ 1 s"),
                "p99": F("turn latency p99", "s"),
                "turns_per_s": F("throughput", "turns/s"),
                "errors": F("errors", "turns", "0"),
                "turns": F("turns played", ""),
                "wecom_ack_p95": F("WeCom acknowledgement p95", "ms"),
            },
        ),
    }


# -- running -----------------------------------------------------------------------------------------


def machine() -> list[str]:
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = ""
    try:
        kb = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
        mem = f"{kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    pg = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-Atc", "SHOW server_version"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return [
        f"- CPU: {os.cpu_count()} cores, {model or platform.machine()}; {mem}; "
        f"{platform.system()} {platform.release()}",
        "- Shared with other engineers' jobs while measuring: load averages are given per part.",
        f"- Python {platform.python_version()}; PostgreSQL {pg or '?'} and Redis on loopback; commit {commit or '?'} "
        "(plus the working tree).",
    ]


def run_part(key: str, part: Part, args) -> None:
    runs = 1 if args.quick else args.runs
    for n in range(1, runs + 1):
        run_dir = RAW / args.stamp / key / str(n)
        run_dir.mkdir(parents=True, exist_ok=True)
        argv = part.argv(args, run_dir)
        print(f"[{key} {n}/{runs}] {' '.join(argv[1:])}", flush=True)
        started = time.monotonic()
        try:
            done = subprocess.run(
                argv,
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=part.timeout_s,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            output, code = done.stdout, done.returncode
            (run_dir / "stdout.txt").write_text(done.stdout + "\n--- stderr ---\n" + done.stderr[-20000:])
        except subprocess.TimeoutExpired:
            output, code = "", "timeout"
        part.seconds.append(time.monotonic() - started)
        part.outputs.append(output)
        try:
            got = part.extract(output, run_dir)
        except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
            got = {}
            part.failures.append(f"run {n}: figures not found ({type(exc).__name__}); exit {code}")
        if not got:
            part.failures.append(f"run {n}: exit {code}, no figures; see {run_dir / 'stdout.txt'}")
        for k, v in got.items():
            if k in part.figures:
                part.figures[k].values.append(v)
        load = os.getloadavg()[0]
        print(f"[{key} {n}/{runs}] {time.monotonic() - started:.0f} s, load {load:.1f}: {got}", flush=True)


def fmt(v: float) -> str:
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}"


def collect_raw(part: Part, key: str, stamps: list[str]) -> None:
    """Figures of a part from runs already made (var/bench/run_all/<stamp>/<part>/<n>/), without rerunning."""
    for stamp in stamps:
        runs = sorted((RAW / stamp / key).glob("[0-9]*"), key=lambda d: int(d.name))
        for run_dir in runs:
            output = (run_dir / "stdout.txt").read_text().split("\n--- stderr ---\n")[0]
            part.outputs.append(output)
            try:
                got = part.extract(output, run_dir)
            except (OSError, ValueError, KeyError) as exc:
                part.failures.append(f"{stamp} run {run_dir.name}: {type(exc).__name__}")
                continue
            for k, v in got.items():
                if k in part.figures:
                    part.figures[k].values.append(v)
        if runs:
            part.seconds.append(float("nan"))
            part.note = f"from the runs of {stamp} ({len(runs)})"
            return


def render(selected: dict[str, Part], args, started: datetime, loads: tuple[float, float]) -> str:
    if args.from_raw:
        origin = (
            f"Rebuilt by `benchmarks/run_all.py --from-raw {' '.join(args.from_raw)}` from the raw outputs of "
            "those runs (var/bench/run_all/); figures are medians over each part's runs, all runs' values in "
            "brackets; the load average is given in each part's own report."
        )
    else:
        origin = (
            f"Written by `benchmarks/run_all.py{' --quick' if args.quick else ''}` on {started:%Y-%m-%d %H:%M} "
            f"({'one run per part' if args.quick else f'{args.runs} runs per part'}; figures are medians over "
            f"the runs, all runs' values in brackets). 1-min load average {loads[0]:.1f} at the start, "
            f"{loads[1]:.1f} at the end."
        )
    lines = [
        "# Benchmark results",
        "",
        origin,
        "",
        "## Machine",
        "",
        *machine(),
        "",
        "## Summary",
        "",
        "| part | figure | median | runs | target |",
        "|---|---|---:|---|---|",
    ]
    for part in selected.values():
        for fig in part.figures.values():
            if fig.median is None:
                continue
            values = ", ".join(fmt(v) for v in fig.values)
            lines.append(f"| {part.name} | {fig.name} | {fmt(fig.median)} {fig.unit} | [{values}] | {fig.target} |")
    for _key, part in selected.items():
        runs = len(part.outputs)
        timing = (
            f"{runs} run(s) of {statistics.median(part.seconds):.0f} s (median)"
            if part.seconds and part.seconds[0] == part.seconds[0]
            else f"{runs} run(s), {part.note}"
            if runs
            else "not run"
        )
        lines += ["", f"## {part.name}", "", f"Command: `{' '.join(part.argv(args, RAW / '1')[1:])}`; {timing}."]
        if part.failures:
            lines += ["", "Problems: " + "; ".join(part.failures)]
        last = next((o for o in reversed(part.outputs) if o.strip()), "")
        table = "\n".join(
            ln
            for ln in last.splitlines()
            if ln.startswith(("|", "Machine", "Throughput", "Slowest", "model:", "reasons:", "batch:"))
        )
        if table:
            lines += ["", "Last run's own report:", "", table]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="small sizes, one run per part")
    p.add_argument("--runs", type=int, default=3, help="runs per part (default 3; --quick: 1)")
    p.add_argument("--only", nargs="*", choices=list(parts()), help="run only these parts")
    p.add_argument("--pg-bank", default=PG_BANK, help="the 1,000,000-customer bank in PostgreSQL")
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument(
        "--from-raw",
        nargs="+",
        metavar="STAMP",
        help="do not run: rebuild the results from earlier runs in var/bench/run_all/STAMP/ "
        "(each part from the first stamp that has it)",
    )
    args = p.parse_args(argv)
    args.stamp = datetime.now().strftime("%Y%m%d-%H%M%S")

    all_parts = parts()
    selected = {k: all_parts[k] for k in (args.only or all_parts)}
    started, load_start = datetime.now(), os.getloadavg()[0]
    for key, part in selected.items():
        if args.from_raw:
            collect_raw(part, key, args.from_raw)
        else:
            run_part(key, part, args)
    if args.from_raw:
        selected = {k: p for k, p in selected.items() if p.outputs}
    text = render(selected, args, started, (load_start, os.getloadavg()[0]))
    args.out.write_text(text, encoding="utf-8")
    print(text)
    print(f"wrote {args.out}; raw outputs in {RAW / args.stamp}")
    return 0 if not any(p.failures for p in selected.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
