"""OPT-IN drill: stop the machine's real PostgreSQL under a running stack, then start it again.

Never run this in CI or on a machine others share: it stops the PostgreSQL server for everybody. The CI
version of this drill (tests/production/test_stack_faults.py) cuts a TCP proxy instead.

    sudo .venv/bin/python deploy/drill_real_postgres.py --yes-stop-the-shared-postgresql \\
        --db 'postgresql+psycopg2://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbank1m' --staff rm01

Prints one PASS/FAIL line per step and exits 0 only if every step passed:
  1. a question is answered normally;
  2. with PostgreSQL stopped, the answer is "数据暂时不可用";
  3. after `pg_ctlcluster ... start`, the same question is answered normally, with no process restarted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jwt  # noqa: E402
import requests  # noqa: E402

from bot.replies import DATA_UNAVAILABLE  # noqa: E402
from tools.stack.stack import ProductionStack, StackSettings  # noqa: E402

QUESTION = "本周哪些客户理财到期"


def pg_ctl(action: str) -> None:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action], check=True)


def ask(stack: ProductionStack, staff: str) -> str:
    token = jwt.encode(
        {"sub": staff, "exp": int(time.time()) + 300}, stack.secrets.values["BOT_COUNTER_JWT_SECRET"], algorithm="HS256"
    )
    resp = requests.post(
        f"{stack.url}/webhooks/counter/webhook",
        json={"text": QUESTION},
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    if resp.status_code != 200:
        return f"HTTP {resp.status_code}"
    return "\n".join(m.get("text", "") for m in resp.json())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--yes-stop-the-shared-postgresql", dest="confirmed", action="store_true", required=True)
    p.add_argument("--db", required=True, help="the bank, a PostgreSQL URL on this machine")
    p.add_argument("--staff", default="rm01")
    p.add_argument("--today", default="2026-11-22")
    args = p.parse_args(argv)

    results = []
    with ProductionStack(StackSettings(db_url=args.db, port=0, today=args.today)) as stack:
        before = ask(stack, args.staff)
        results.append(("answered before the outage", "到期" in before, before[:80]))
        starts = [proc.starts for proc in (stack.actions, *stack.rasa)]
        pg_ctl("stop")
        try:
            during = ask(stack, args.staff)
            results.append(("数据暂时不可用 while PostgreSQL is stopped", DATA_UNAVAILABLE in during, during[:80]))
        finally:
            pg_ctl("start")
        deadline = time.monotonic() + 60
        while subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode != 0 and time.monotonic() < deadline:
            time.sleep(1)
        after = ask(stack, args.staff)
        same = [proc.starts for proc in (stack.actions, *stack.rasa)] == starts
        results.append(("answered again, nothing restarted", "到期" in after and same, after[:80]))
    for name, ok, seen in results:
        print(f"{'PASS' if ok else 'FAIL'}  {name}  ({seen!r})")
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
