"""Two checkouts' production-style stacks under the same load, side by side in one run.

Issue #16 asks for the saturation throughput of the current stack against the commit it was filed on,
"same stack, same load generator, measured side by side in one run". This driver starts each checkout's
own stack (`python -m tools stack` run from that checkout, so its Rasa, action server, balancer and
settings are that commit's), plays this checkout's load generator (benchmarks/load.py) against it, stops
it, and alternates: rounds go A B, B A, A B ... so that a neighbour's burst on this shared machine hurts
both alike. Every run gets a fresh tracker schema (a longer tracker costs more per turn, and runs minutes
apart would otherwise continue one another's sessions). Each stack reads a bank built by its own
checkout's generator with the same size and seed (the store's schema changes between commits), scored by
its own scorer: `--baseline-db` names the baseline's, `--db` the current one's.

    .venv/bin/python benchmarks/load_compare.py --baseline /work/wt/base16 \\
        --db 'postgresql+psycopg2://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dcmp16' \\
        --baseline-db 'postgresql+psycopg2://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dcmp16base' \\
        --rounds 3

Prints per run and the medians with their ratio; appends them to benchmarks/results-load.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.report import append_section  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results-load.md"
START_TIMEOUT_S = 600.0


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, user + system CPU seconds) of a process, from /proc; None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _role(pid: int) -> str:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "other"
    if "rasa" in cmd and " run" in cmd and "actions" not in cmd:
        return "rasa"
    if "actions" in cmd or "rasa_sdk" in cmd:
        return "actions"
    return "other"  # the balancer, the stack's own supervisor


def stack_cpu(root_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the stack's processes (the root and all its descendants), by role."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (st := _stat(int(entry.name))) is not None:
            parents[int(entry.name)], cpu[int(entry.name)] = st
    members, frontier = {root_pid}, [root_pid]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in members]
        members.update(children)
        frontier.extend(children)
    out: dict[str, float] = {}
    for pid in members:
        role = _role(pid)
        out[role] = out.get(role, 0.0) + cpu.get(pid, 0.0)
    return out


def postgres_cpu() -> float:
    """CPU seconds used so far by the machine's PostgreSQL processes (the server and its backends)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if cmd.startswith(b"postgres") or b"/postgres" in cmd.split(b"\0", 1)[0]:
            st = _stat(int(entry.name))
            total += st[1] if st else 0.0
    return total


def machine_idle() -> tuple[float, float]:
    """(idle, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    tck = os.sysconf("SC_CLK_TCK")
    return (fields[3] + fields[4]) / tck, sum(fields) / tck


def with_schema(url: str, schema: str) -> str:
    base = url.split("?", 1)[0]
    return f"{base}?options=-csearch_path%3D{schema}"


def run_one(tree: Path, db: str, label: str, args: argparse.Namespace, index: int, work: Path) -> dict:
    """Start `tree`'s stack on the bank `db`, play the load against it, stop it; the load's JSON summary."""
    from sqlalchemy import create_engine, text

    schema = f"cmp_trackers_{label}_{index}"
    engine = create_engine(db.split("?", 1)[0], future=True)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    api_port = free_port()
    env_file = work / f"{label}-{index}.env"
    log = (work / f"{label}-{index}.log").open("w")
    env = dict(os.environ, PYTHONPATH=str(tree), BOT_TODAY=args.today)
    stack = subprocess.Popen(
        [
            str(tree / ".venv" / "bin" / "python"),
            "-m",
            "tools",
            "stack",
            "--db",
            db,
            "--tracker-db",
            with_schema(db, schema),
            "--port",
            "0",
            "--instances",
            str(args.instances),
            "--today",
            args.today,
            "--wecom-api-base",
            f"http://127.0.0.1:{api_port}",
            "--env-file",
            str(env_file),
        ],
        cwd=tree,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not env_file.exists():
            if stack.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{label} stack did not start; see {log.name}")
            time.sleep(1.0)
        out = work / f"{label}-{index}.json"
        cmd = [
            sys.executable,
            str(ROOT / "benchmarks" / "load.py"),
            "--env-file",
            str(env_file),
            "--wecom-api-port",
            str(api_port),
            "--db",
            db,
            "--today",
            args.today,
            "--staff",
            str(args.staff),
            "--turns",
            str(args.turns),
            "--think-ms",
            str(args.think_ms),
            "--out",
            str(work / "load-sections.md"),
            "--json",
            str(out),
        ]
        before, pg_before, idle_before = stack_cpu(stack.pid), postgres_cpu(), machine_idle()
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), check=False)
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the load generator, now waited for
        after, pg_after, idle_after = stack_cpu(stack.pid), postgres_cpu(), machine_idle()
        summary = json.loads(out.read_text(encoding="utf-8"))
    finally:
        try:
            os.killpg(stack.pid, signal.SIGTERM)
            stack.wait(timeout=60)
        except ProcessLookupError:
            pass  # it had already stopped (e.g. it could not start)
        except subprocess.TimeoutExpired:
            os.killpg(stack.pid, signal.SIGKILL)
        log.close()
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()
    a = summary["all"]
    turns = max(1, a["turns"])
    cpu_ms = {role: (after.get(role, 0.0) - before.get(role, 0.0)) * 1000 / turns for role in after}
    loadgen_s = sum(getattr(children_after, f) - getattr(children_before, f) for f in ("ru_utime", "ru_stime"))
    idle_share = (idle_after[0] - idle_before[0]) / max(1e-9, idle_after[1] - idle_before[1])
    return {
        "postgres_cpu_ms": (pg_after - pg_before) * 1000 / turns,
        "loadgen_cpu_ms": loadgen_s * 1000 / turns,
        "idle_pct": idle_share * 100,
        "rasa_cpu_ms": cpu_ms.get("rasa", 0.0),
        "actions_cpu_ms": cpu_ms.get("actions", 0.0),
        "other_cpu_ms": cpu_ms.get("other", 0.0),
        "label": label,
        "turns_per_s": summary["turns_per_s"],
        "turns": a["turns"],
        "errors": sum((a["errors"] or {}).values()) if isinstance(a["errors"], dict) else (a["errors"] or 0),
        "p50_s": a["p50_s"],
        "p95_s": a["p95_s"],
    }


def _describe_banks(dbs: dict[str, str]) -> str:
    from sqlalchemy import create_engine, text

    parts = []
    for label, db in dbs.items():
        engine = create_engine(db, future=True)
        with engine.connect() as conn:
            customers = conn.execute(text("SELECT count(*) FROM customers")).scalar_one()
            rms = conn.execute(text("SELECT count(*) FROM staff WHERE role = 'rm'")).scalar_one()
        engine.dispose()
        parts.append(f"{label} {customers:,} customers, {rms} RMs")
    return "; ".join(parts)


def commit_of(tree: Path) -> str:
    return subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()


def markdown(runs: list[dict], args: argparse.Namespace, commits: dict[str, str]) -> str:
    load1 = os.getloadavg()[0]
    lines = [
        f"## {datetime.now().strftime('%Y-%m-%d %H:%M')} — side by side: baseline {commits['baseline']} vs "
        f"current {commits['current']}, {args.staff} staff × {args.turns} turns, think {args.think_ms:g} ms",
        "",
        f"Machine: {os.cpu_count()} CPUs ({platform.machine()}), shared with other engineers' jobs (1-min load "
        f"average {load1:.1f} at the end); Python {platform.python_version()}; loopback. Each run starts that "
        f"checkout's own stack ({args.instances} Rasa instances, action server, balancer, PostgreSQL tracker "
        "store in a fresh schema, Redis lock store) on a bank its own generator built (same size and seed), played "
        "by benchmarks/load.py of the current checkout; the order alternates per round (benchmarks/load_compare.py). "
        f"Banks: {args.banks}.",
        "",
        "| round | stack | turns | errors | turns/s | p50 s | p95 s | CPU ms/turn: Rasa | action server | balancer, supervisor "
        "| PostgreSQL | load generator | machine idle |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for i, r in enumerate(runs):
        lines.append(
            f"| {i // 2 + 1} | {r['label']} | {r['turns']} | {r['errors']} | {r['turns_per_s']:.1f} | "
            f"{r['p50_s']:.2f} | {r['p95_s']:.2f} | {r['rasa_cpu_ms']:.0f} | {r['actions_cpu_ms']:.0f} | "
            f"{r['other_cpu_ms']:.0f} | {r.get('postgres_cpu_ms', 0):.0f} | {r.get('loadgen_cpu_ms', 0):.0f} | "
            f"{r.get('idle_pct', 0):.0f}% |"
        )
    med = {
        label: statistics.median(r["turns_per_s"] for r in runs if r["label"] == label)
        for label in ("baseline", "current")
    }
    p95 = {
        label: statistics.median(r["p95_s"] for r in runs if r["label"] == label) for label in ("baseline", "current")
    }
    cpu = {
        label: statistics.median(r["rasa_cpu_ms"] for r in runs if r["label"] == label)
        for label in ("baseline", "current")
    }
    total = {
        label: statistics.median(
            r["rasa_cpu_ms"]
            + r["actions_cpu_ms"]
            + r["other_cpu_ms"]
            + r.get("postgres_cpu_ms", 0.0)
            + r.get("loadgen_cpu_ms", 0.0)
            for r in runs
            if r["label"] == label
        )
        for label in ("baseline", "current")
    }
    ratio = med["current"] / med["baseline"] if med["baseline"] else float("nan")
    lines += [
        "",
        f"Median throughput: baseline {med['baseline']:.1f} turns/s, current {med['current']:.1f} turns/s — "
        f"**{ratio:.2f}×**. Median p95: {p95['baseline']:.2f} s → {p95['current']:.2f} s. Median Rasa CPU per "
        f"turn (all instances, read from /proc): {cpu['baseline']:.0f} → {cpu['current']:.0f} ms; all measured "
        f"processes together (stack, PostgreSQL, load generator): {total['baseline']:.0f} → {total['current']:.0f} ms.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--baseline", type=Path, required=True, help="a checkout of the baseline commit, with .venv")
    p.add_argument("--current", type=Path, default=ROOT, help="the checkout to compare (default: this one)")
    p.add_argument("--db", required=True, help="the current stack's bank (PostgreSQL URL with a search_path)")
    p.add_argument("--baseline-db", help="the baseline's bank, built by its own generator (default: --db)")
    p.add_argument("--today", default="2026-11-22")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--instances", type=int, default=2)
    p.add_argument("--staff", type=int, default=50)
    p.add_argument("--turns", type=int, default=20)
    p.add_argument("--think-ms", type=float, default=0.0)
    p.add_argument("--out", type=Path, default=RESULTS)
    args = p.parse_args(argv)
    trees = {"baseline": args.baseline.resolve(), "current": args.current.resolve()}
    dbs = {"baseline": args.baseline_db or args.db, "current": args.db}
    args.banks = _describe_banks(dbs)
    commits = {label: commit_of(tree) for label, tree in trees.items()}
    runs: list[dict] = []
    work = ROOT / "var" / "bench" / f"load-compare-{datetime.now():%Y%m%d-%H%M%S}"  # logs kept for a failed start
    work.mkdir(parents=True, exist_ok=True)
    for i in range(args.rounds):
        order = ("baseline", "current") if i % 2 == 0 else ("current", "baseline")
        for label in order:
            run = run_one(trees[label], dbs[label], label, args, i, work)
            print(json.dumps(run), flush=True)
            runs.append(run)
    # rows in round order, baseline first within a round, for the table
    runs = [r for _, r in sorted(enumerate(runs), key=lambda ir: (ir[0] // 2, ir[1]["label"] != "baseline"))]
    text = markdown(runs, args, commits)
    print(text)
    append_section(args.out, "Load results", "benchmarks/load_compare.py", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
