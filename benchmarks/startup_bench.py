"""Second run of `make run` to the first prompt: median over several runs (issue #2 figure).

Assumes a first `make run` has already set everything up. Prints the figures and writes
benchmarks/results-startup.md.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROMPT = "已登录为"


def time_to_prompt() -> float:
    started = time.monotonic()
    proc = subprocess.Popen(
        ["make", "run"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdout and proc.stdin
    for line in proc.stdout:
        if PROMPT in line:
            elapsed = time.monotonic() - started
            break
    else:
        raise SystemExit("make run ended without reaching the prompt")
    proc.stdin.write("/exit\n")
    proc.stdin.close()
    proc.wait(timeout=60)
    return elapsed


def main(runs: int = 3) -> None:
    times = [time_to_prompt() for _ in range(runs)]
    load = Path("/proc/loadavg").read_text().split()[0]
    line = (
        f"second `make run` to first prompt: median {statistics.median(times):.1f} s over {runs} runs "
        f"(min {min(times):.1f}, max {max(times):.1f}; load average {load} on {subprocess.getoutput('nproc')} cores)"
    )
    print(line)
    (ROOT / "benchmarks" / "results-startup.md").write_text(f"# Start-up\n\n{line}\n", encoding="utf-8")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
