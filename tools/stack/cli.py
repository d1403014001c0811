"""`python -m tools stack`: the production-style stack on this machine, without Docker.

Starts the action server, N Rasa instances (tracker store in PostgreSQL, lock store in Redis, the
channels of deploy/credentials.prod.yml) and a round-robin balancer in front, all on loopback, and
keeps them running until Ctrl-C (or --duration seconds). Channel secrets come from the environment;
any that are missing get throwaway values for this run, written with the stack's URL to --env-file
so a client (benchmarks/load.py, a test) can talk to the stack.

    python -m tools stack --db 'postgresql+psycopg2://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbank1m' \\
        --today 2026-11-22 --instances 2 --port 5005
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from tools.stack import settings as cfg
from tools.stack.processes import StackError
from tools.stack.stack import ProductionStack, StackSettings


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tools stack", description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--db",
        default=os.environ.get("BOT_DB_URL") or cfg.DEFAULT_PG,
        help="customer store, a PostgreSQL URL (default BOT_DB_URL, else the local test database)",
    )
    p.add_argument("--tracker-db", help="tracker store URL (default: --db's database, schema rasa_trackers)")
    p.add_argument(
        "--redis",
        default=os.environ.get("BOT_REDIS_URL") or cfg.DEFAULT_REDIS_URL,
        help=f"Redis URL (default BOT_REDIS_URL or {cfg.DEFAULT_REDIS_URL})",
    )
    p.add_argument("--instances", type=int, default=2, help="Rasa instances (default 2)")
    p.add_argument("--host", default="127.0.0.1", help="address the balancer listens on (default loopback)")
    p.add_argument("--port", type=int, default=5005, help="the balancer's port (default 5005; 0 = any free port)")
    p.add_argument("--rasa-ports", type=int, nargs="*", default=[], help="one port per instance (default: free ports)")
    p.add_argument("--action-port", type=int, default=0, help="the action server's port (default: a free port)")
    p.add_argument("--today", default=os.environ.get("BOT_TODAY"), help="fixed today, YYYY-MM-DD (BOT_TODAY)")
    p.add_argument("--model", type=Path, help="Rasa model (default: the one for the current data, trained if missing)")
    p.add_argument(
        "--api-token",
        default=os.environ.get("RASA_API_TOKEN"),
        help="enable Rasa's HTTP API on every instance with this token (default: API closed)",
    )
    p.add_argument("--wecom-api-base", help="send WeCom replies here instead of qyapi.weixin.qq.com (a fake, loopback)")
    p.add_argument("--wechat-api-base", help="send WeChat replies here instead of api.weixin.qq.com")
    p.add_argument("--env-file", type=Path, help="write the stack's URL and channel secrets here (mode 600)")
    p.add_argument("--duration", type=float, help="stop by itself after this many seconds")
    p.add_argument("--alerts", action="store_true", help="also run the pushes' watcher (python -m bot alerts watch)")
    return p


def main(argv: list[str]) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.instances < 1:
        print("--instances must be at least 1", file=sys.stderr)
        return 2
    settings = StackSettings(
        db_url=args.db,
        tracker_db_url=args.tracker_db,
        redis_url=args.redis,
        instances=args.instances,
        host=args.host,
        port=args.port,
        rasa_ports=args.rasa_ports,
        action_port=args.action_port,
        today=args.today,
        model=args.model,
        api_token=args.api_token,
        wecom_api_base=args.wecom_api_base,
        wechat_api_base=args.wechat_api_base,
        alerts=args.alerts,
    )
    try:
        stack = ProductionStack(settings)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _interrupt)  # stop like Ctrl-C, even while starting
    try:
        stack.start()
    except StackError as exc:
        print(f"the stack could not start: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130
    deadline = None if args.duration is None else time.monotonic() + args.duration
    try:
        if stack.secrets.generated:
            print("throwaway values for this run (not set in the environment): " + ", ".join(stack.secrets.generated))
        if args.env_file:
            write_env_file(args.env_file, stack.client_env())
            print(f"client settings written to {args.env_file}")
        print("press Ctrl-C to stop" if args.duration is None else f"stopping after {args.duration:.0f} s")
        while deadline is None or time.monotonic() < deadline:
            time.sleep(1.0)
            dead = [p.name for p in stack.processes if not p.running]
            if dead:
                print(f"stopped unexpectedly: {', '.join(dead)}; see {stack.run_dir}", file=sys.stderr)
                return 1
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
    return 0


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def write_env_file(path: Path, values: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        for key, value in values.items():
            out.write(f"{key}={value}\n")


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
