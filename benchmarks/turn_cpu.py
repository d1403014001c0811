"""CPU per turn in the Rasa process, with the project's Rasa patches (bot/rasa_patches.py) and without,
side by side in one run: the same agent, the same action server, the same questions, rounds alternating
between the two so that a noisy neighbour affects both alike.

CPU is the process's own CPU time (time.process_time: every thread of this process, i.e. Rasa's NLU,
policies and the action call's client side), not wall time; the action server's CPU is its own process's
and is read from /proc before and after. Prints the medians, the ratio, and appends them to
benchmarks/results-turn-cpu.md.

With --profile, one more round per mode runs under cProfile (after the timed rounds, so the profiler's
overhead never reaches the figures) and the five most expensive stages of a turn (STAGES: NLU, DIET,
the policies, the tracker featurizer, the action call, ...) are listed for each mode, CPU per turn
including what each stage calls.

    .venv/bin/python benchmarks/turn_cpu.py [--rounds 5] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.report import append_section  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results-turn-cpu.md"
TODAY = "2026-11-18"
BANK = ROOT / "var" / "bench" / "turn_cpu.db"
PORT = 5077
# What an RM asks in a working session (rm01 of the demo bank): lists, a client, follow-ups, the plan.
QUESTIONS = (
    "本周哪些客户理财到期",
    "还有吗",
    "看一下王秀英的情况",
    "王秀英为什么有流失风险",
    "给她打电话怎么说",
    "下一步怎么做",
    "今天先联系谁",
    "我的客户里谁最可能流失",
    "临界客户有哪些",
    "最近谁把钱转到他行了",
)


def _action_server_cpu(pid: int) -> float:
    """User + system CPU seconds of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# The stages of a turn, by (file, function) as cProfile names them; cumulative CPU, so nested stages
# (DIET inside NLU, the featurizer inside the policies) also count in their parents.
STAGES = (
    ("rasa/core/processor.py", "parse_message", "NLU: the whole pipeline"),
    ("rasa/nlu/classifiers/diet_classifier.py", "process", "NLU: DIET (entities)"),
    ("rasa/core/processor.py", "_predict_next_with_tracker", "policies: predicting the next action"),
    ("rasa/shared/core/domain.py", "states_for_tracker_history", "policies: featurizing the tracker"),
    ("rasa/core/actions/action.py", "run", "actions: running them (incl. the HTTP call)"),
    ("rasa/core/actions/action.py", "_validate_action_result", "actions: validating the response"),
    ("rasa/shared/core/events.py", "resolve_by_type", "events: resolving their types"),
    ("rasa/core/tracker_store.py", "save", "tracker store: save"),
)


def _top_costs(profile: object, turns: int, count: int = 5) -> list[tuple[str, float]]:
    """The `count` most expensive stages of a turn (STAGES), in CPU ms per turn."""
    import pstats

    stats = pstats.Stats(profile)  # type: ignore[arg-type]
    totals: dict[str, float] = {}
    for (filename, _line, name), (_cc, _nc, _tt, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        for path, function, label in STAGES:
            if filename.endswith(path) and name == function:
                totals[label] = totals.get(label, 0.0) + cumtime * 1000 / turns
    return sorted(totals.items(), key=lambda r: r[1], reverse=True)[:count]


async def _measure(
    rounds: int, profile: bool = False
) -> tuple[dict[str, dict[str, list[float]]], dict[str, list[tuple[str, float]]]]:
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    from bot import action_secret, action_server, rasa_patches
    from bot.model_files import ensure_model

    secret = action_secret.generate()
    env = action_server.environment(BOT_DB_URL=f"sqlite:///{BANK}", BOT_TODAY=TODAY, **{action_secret.ENV: secret})
    log = ROOT / "var" / "bench" / "turn_cpu_actions.log"
    proc = action_server.start(PORT, env=env, log_file=log)
    try:
        action_server.wait(proc, PORT, log_file=log)
        endpoints = AvailableEndpoints(
            action=EndpointConfig(f"http://127.0.0.1:{PORT}/webhook", headers=action_secret.headers(secret))
        )
        agent = await load_agent(model_path=str(ensure_model()), endpoints=endpoints)
        modes = {"stock Rasa": rasa_patches.remove, "patched": rasa_patches.apply}
        out: dict[str, dict[str, list[float]]] = {m: {"rasa": [], "actions": []} for m in modes}
        for round_ in range(rounds + 1):  # round 0 warms caches and is not counted
            for mode, switch in modes.items():
                switch()
                await agent.handle_text("/restart", sender_id="rm01")
                for question in QUESTIONS:
                    actions_before, before = _action_server_cpu(proc.pid), time.process_time()
                    await agent.handle_text(question, sender_id="rm01")
                    rasa_ms = (time.process_time() - before) * 1000
                    actions_ms = (_action_server_cpu(proc.pid) - actions_before) * 1000
                    if round_:
                        out[mode]["rasa"].append(rasa_ms)
                        out[mode]["actions"].append(actions_ms)
        costs: dict[str, list[tuple[str, float]]] = {}
        if profile:
            import cProfile

            for mode, switch in modes.items():
                switch()
                await agent.handle_text("/restart", sender_id="rm01")
                profiler = cProfile.Profile(time.process_time)  # CPU, not time spent waiting on the action server
                for question in QUESTIONS:
                    profiler.enable()
                    await agent.handle_text(question, sender_id="rm01")
                    profiler.disable()
                costs[mode] = _top_costs(profiler, len(QUESTIONS))
        rasa_patches.apply()
        return out, costs
    finally:
        action_server.stop(proc)


def _bank() -> None:
    if BANK.exists():
        return
    import subprocess

    BANK.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "tools", "demo-data", "--db", f"sqlite:///{BANK}", "--today", TODAY, "--quiet"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )


def _costs_table(costs: dict[str, list[tuple[str, float]]]) -> list[str]:
    if not costs:
        return []
    lines = [
        f"Top five costs per turn (cProfile on CPU time, one round of {len(QUESTIONS)} questions per mode; a stage's "
        "CPU including what it calls, so DIET also counts in NLU; inflated by the profiler's own overhead):",
        "",
        "| Rasa | # | stage | ms/turn |",
        "|---|---:|---|---:|",
    ]
    for mode, rows in costs.items():
        lines += [f"| {mode} | {i} | `{where}` | {ms:.2f} |" for i, (where, ms) in enumerate(rows, 1)]
    return [*lines, ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the question set per mode (default 5)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--profile", action="store_true", help="also list the top five costs per turn (cProfile)")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import logging

    from rasa.utils.log_utils import configure_structlog

    logging.basicConfig(level=logging.WARNING)
    configure_structlog(logging.WARNING)  # Rasa logs every turn at debug otherwise
    _bank()
    figures, costs = asyncio.run(_measure(args.rounds, args.profile))
    med = {m: {k: statistics.median(v) for k, v in parts.items()} for m, parts in figures.items()}
    turns = len(figures["patched"]["rasa"])
    ratio = med["stock Rasa"]["rasa"] / med["patched"]["rasa"]
    rows = [
        f"| {mode} | {turns} | {m['rasa']:.1f} | {statistics.mean(figures[mode]['rasa']):.1f} | {m['actions']:.1f} |"
        for mode, m in med.items()
    ]
    load = os.getloadavg()[0]
    section = "\n".join(
        [
            f"## {datetime.now():%Y-%m-%d %H:%M} — CPU per turn, {args.rounds} rounds of {len(QUESTIONS)} questions",
            "",
            f"Machine: {os.cpu_count()} CPUs ({platform.machine()}), shared (1-min load average {load:.1f} at the end);"
            f" Python {platform.python_version()}; demo bank (SQLite), rm01, today {TODAY}.",
            "",
            "| Rasa | turns | Rasa CPU ms/turn, median | mean | action server CPU ms/turn, median |",
            "|---|---:|---:|---:|---:|",
            *rows,
            "",
            f"Rasa's CPU per turn, stock / patched: {ratio:.2f}×.",
            "",
            *_costs_table(costs),
        ]
    )
    print(section)
    append_section(args.out, "CPU per turn", "benchmarks/turn_cpu.py", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
