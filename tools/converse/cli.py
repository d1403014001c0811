"""python -m tools converse PATH... — play scripted conversations and check every reply.

Without --url a local stack is started on a demo bank (one per distinct `today` among the scripts);
with --url the conversations go to a running stack. Exit status: 0 all passed, 1 some failed or
errored, 2 the scripts or arguments are wrong (nothing ran), 3 the stack could not be started or reached.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from itertools import groupby

from tools.converse import report
from tools.converse.runner import ConversationResult, play_all
from tools.converse.script import Conversation, load_paths, select

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_STACK = 0, 1, 2, 3


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tools converse", description=__doc__.split("\n\n")[0])
    p.add_argument("paths", nargs="+", metavar="PATH", help="conversation files or directories of them")
    p.add_argument("--url", help="a running stack's Rasa server, e.g. http://127.0.0.1:5005 (default: start one)")
    p.add_argument(
        "--db",
        help="customer store URL the named queries read (default: the local stack's demo bank, "
        "or BOT_DB_URL with --url)",
    )
    p.add_argument("--jobs", type=int, default=4, help="conversations played at once (default 4)")
    p.add_argument("--junit", metavar="FILE", help="also write JUnit XML here")
    p.add_argument(
        "--include-tag",
        action="append",
        default=[],
        metavar="TAG",
        help="only conversations with this tag (repeatable)",
    )
    p.add_argument(
        "--exclude-tag",
        action="append",
        default=[],
        metavar="TAG",
        help="skip conversations with this tag (repeatable)",
    )
    p.add_argument(
        "--token", default=os.environ.get("RASA_API_TOKEN"), help="token of the Rasa HTTP API (rasa run --auth-token)"
    )
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for a reply (default 60)")
    p.add_argument("--customers", type=int, default=None, help="demo bank size for a local stack (default 6000)")
    p.add_argument("--wecom-api-port", type=int, help="with --url: serve the simulated WeCom API on this port")
    p.add_argument("--check", action="store_true", help="only validate the scripts and list what would run")
    p.add_argument("-v", "--verbose", action="store_true", help="show every reply, not only failing ones")
    return p


def main(argv: list[str]) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    if args.jobs < 1:
        print("--jobs must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    conversations, errors = load_paths(args.paths)
    if errors:
        print(report.render_script_errors(errors))
        if args.junit:
            report.write_junit(args.junit, [], 0.0, errors)
        return EXIT_USAGE
    chosen = select(conversations, args.include_tag, args.exclude_tag)
    if not chosen:
        print(f"no conversation to run: {len(conversations)} found, none left after the tag filters")
        return EXIT_USAGE
    if args.check:
        for c in chosen:
            print(f"{c.where}  {c.name}  [{c.staff} · {c.channel} · {c.today} · {len(c.turns)} turns]")
        print(f"{len(chosen)} conversation(s) valid")
        return EXIT_OK
    return asyncio.run(_run(args, chosen))


async def _run(args: argparse.Namespace, chosen: list[Conversation]) -> int:
    from tools.converse.stack import DEMO_CUSTOMERS, StackError, local_stack, running_stack

    started = time.monotonic()
    results: list[ConversationResult] = []

    def show(result: ConversationResult) -> None:
        print(report.render_conversation(result, args.verbose), flush=True)

    try:
        if args.url:
            db = args.db or os.environ.get("BOT_DB_URL")
            todays = sorted({c.today for c in chosen})
            if len(todays) > 1:
                print(f"note: the scripts assume {len(todays)} different dates; the stack has one BOT_TODAY")
            async with running_stack(
                args.url, db, args.token, args.wecom_api_port, os.environ.get("BOT_COUNTER_JWT_SECRET"), args.timeout
            ) as target:
                results = await play_all(chosen, target, args.jobs, show)
        else:
            ordered = sorted(chosen, key=lambda c: c.today)
            for today, group in groupby(ordered, key=lambda c: c.today):
                batch = list(group)
                async with local_stack(
                    today,
                    customers=args.customers or DEMO_CUSTOMERS,
                    db_url=args.db,
                    timeout_s=args.timeout,
                    keep=lambda: not all(r.passed for r in results),
                ) as target:
                    results.extend(await play_all(batch, target, args.jobs, show))
    except StackError as exc:
        print(f"the stack could not be started: {exc}", file=sys.stderr)
        if args.junit:
            report.write_junit(args.junit, results, time.monotonic() - started, stack_error=str(exc))
        return EXIT_STACK
    seconds = time.monotonic() - started
    by_input = {id(c): i for i, c in enumerate(chosen)}
    results.sort(key=lambda r: by_input[id(r.conversation)])
    print(report.render_summary(results, seconds))
    if args.junit:
        report.write_junit(args.junit, results, seconds)
    return EXIT_OK if all(r.passed for r in results) else EXIT_FAILED
