"""`python -m bot alerts run|watch`: the pushes' operator commands.

    python -m bot alerts run --db URL [--now "YYYY-MM-DD HH:MM"] [--wecom-api-base URL]
    python -m bot alerts watch --db URL [--every 30] [--jobstore URL] ...

`run` examines the data once (detectors; the briefing when it is due: a working day between the briefing
time and noon, or `--briefing always`), writes the outbox, sends what is due and prints a JSON summary as
its last line. `watch` keeps doing it: the detectors and the sender every `--every` seconds, the briefing
on a cron (working days, 08:30 Asia/Shanghai), scheduled by APScheduler with its SQLAlchemy job store (in
the customer store unless `--jobstore` says otherwise), so a restarted watcher still runs a briefing it
missed within the morning. Two watchers may both fire a job (APScheduler 3 does not share a job store
between schedulers); the outbox's unique key and claim keep every push single. With `--now`, `watch`'s jobs
read a clock that starts there and runs on; the cron itself fires by the real clock.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy.engine import make_url

from bot.alerts.jobs import Summary, run_once
from bot.alerts.settings import AlertSettings, Clock, parse_now
from bot.alerts.wecom import WeComSettings
from bot.channels.wecom_api import TencentMessageApi
from bot.clock import SHANGHAI
from bot.store.db import db_url

logger = logging.getLogger("bot.alerts")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot alerts", description="Morning briefing and same-day alerts.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (("run", "examine, queue and send once"), ("watch", "keep examining and sending until stopped")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--db", default=None, help="customer store URL (default BOT_DB_URL)")
        p.add_argument("--now", type=_now_arg, default=None, help='fixed start time "YYYY-MM-DD HH:MM" (Asia/Shanghai)')
        p.add_argument("--wecom-api-base", default=None, help="WeCom API host (overrides credentials.yml)")
        p.add_argument(
            "--credentials", default=None, help="credentials.yml with the WeCom section (default: the repo's)"
        )
        p.add_argument("--quiet-hours", default="21:00-08:00", help="non-urgent alerts wait through these")
        p.add_argument("--briefing-at", default="08:30", help="briefing time on working days")
    sub.choices["run"].add_argument(
        "--briefing", choices=("auto", "always", "never"), default="auto", help="auto: when due (default)"
    )
    report = sub.add_parser("report", help="per alert kind: acted on within 1 and 3 days, reached, retained, lost")
    report.add_argument("--db", default=None, help="customer store URL (default BOT_DB_URL)")
    report.add_argument("--since", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: 30 days ago)")
    watch = sub.choices["watch"]
    watch.add_argument("--every", type=float, default=30.0, help="seconds between detector passes")
    watch.add_argument("--jobstore", default=None, help="APScheduler job store URL (default: the customer store)")
    return parser


def _now_arg(text: str) -> datetime:
    try:
        return parse_now(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError('时间格式应为 "YYYY-MM-DD HH:MM"') from exc


def _hhmm(text: str):
    return datetime.strptime(text.strip(), "%H:%M").time()


@dataclass
class Runtime:
    url: str
    settings: AlertSettings
    clock: Clock
    api: TencentMessageApi


_RUNTIME: Runtime | None = None  # the watcher's, for the scheduled jobs (referenced by name in the job store)


def _runtime(args: argparse.Namespace) -> Runtime:
    wecom = WeComSettings.load(args.credentials, api_base_url=args.wecom_api_base)
    start, end = (part for part in args.quiet_hours.split("-", 1))
    settings = AlertSettings(
        briefing_at=_hhmm(args.briefing_at),
        quiet_from=_hhmm(start),
        quiet_until=_hhmm(end),
        daily_quota=wecom.daily_quota,
        markdown=wecom.msgtype == "markdown",
    )
    if getattr(args, "every", None):
        settings = replace(settings, detect_every_seconds=args.every)
    return Runtime(args.db or db_url(), settings, Clock(args.now), wecom.api())


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.command == "report":
        return _report(args)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    rt = _runtime(args)
    if args.command == "run":
        summary = asyncio.run(_run(rt, args.briefing))
        print(json.dumps(summary.as_dict(), ensure_ascii=False), flush=True)
        return 0
    return _watch(rt, args)


def _report(args: argparse.Namespace) -> int:
    from bot.alerts.outcomes import alert_outcomes, report_lines
    from bot.clock import today
    from bot.store.db import session_scope

    since = args.since or today() - timedelta(days=30)
    with session_scope(args.db) as session:
        outcomes = alert_outcomes(session, since)
    print(f"Alerts sent since {since.isoformat()}, and what the staff logged after them:")
    print("\n".join(report_lines(outcomes)))
    print(json.dumps({kind: o.as_dict() for kind, o in outcomes.items()}, ensure_ascii=False), flush=True)
    return 0


async def _run(rt: Runtime, briefing: str) -> Summary:
    try:
        return await run_once(rt.url, rt.api, rt.settings, rt.clock, briefing=briefing)
    finally:
        await rt.api.close()


# -- watch -------------------------------------------------------------------------------------------------
async def scheduled_pass() -> None:
    """Detectors and sender (every N seconds)."""
    assert _RUNTIME is not None
    rt = _RUNTIME
    summary = await run_once(rt.url, rt.api, rt.settings, rt.clock, briefing="never")
    print(json.dumps(summary.as_dict(), ensure_ascii=False), flush=True)


async def scheduled_briefing() -> None:
    """The morning briefing (cron), then a send pass."""
    assert _RUNTIME is not None
    rt = _RUNTIME
    summary = await run_once(rt.url, rt.api, rt.settings, rt.clock, briefing="always", detectors=False)
    print(json.dumps(summary.as_dict(), ensure_ascii=False), flush=True)


def briefing_job(settings: AlertSettings) -> dict:
    """The briefing's job as the watcher keeps it in the job store: `add_job` keyword arguments."""
    from apscheduler.triggers.cron import CronTrigger

    at = settings.briefing_at
    cron = CronTrigger(day_of_week="mon-fri", hour=at.hour, minute=at.minute, timezone=SHANGHAI)
    grace = int(
        (datetime.combine(datetime.min, settings.briefing_until) - datetime.combine(datetime.min, at)).total_seconds()
    )
    return dict(
        func="bot.alerts.cli:scheduled_briefing",
        trigger=cron,
        id="alerts-briefing",
        replace_existing=True,
        misfire_grace_time=grace,  # a briefing missed while no watcher ran still fires until noon
        coalesce=True,
        max_instances=1,
    )


def _watch(rt: Runtime, args: argparse.Namespace) -> int:
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    global _RUNTIME
    _RUNTIME = rt
    job = briefing_job(rt.settings)
    cron = job["trigger"]

    async def main_loop() -> None:
        scheduler = AsyncIOScheduler(
            jobstores={"default": SQLAlchemyJobStore(url=args.jobstore or rt.url, tablename="apscheduler_jobs")},
            timezone=SHANGHAI,
        )
        scheduler.start(paused=True)
        existing = scheduler.get_job("alerts-briefing")
        if existing is None or str(existing.trigger) != str(cron):
            # Kept when unchanged, so a briefing missed while no watcher ran still fires within `grace`.
            scheduler.add_job(**job)
        scheduler.add_job(
            "bot.alerts.cli:scheduled_pass",
            "interval",
            seconds=rt.settings.detect_every_seconds,
            id="alerts-detect",
            replace_existing=True,
            next_run_time=datetime.now(SHANGHAI),
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(rt.settings.detect_every_seconds),
        )
        scheduler.resume()
        shown = make_url(rt.url).render_as_string(hide_password=True)  # no database password in the logs
        logger.info("watching %s: detectors every %ss, briefing %s", shown, rt.settings.detect_every_seconds, cron)
        try:
            await asyncio.Event().wait()
        finally:
            scheduler.shutdown(wait=False)
            await rt.api.close()

    try:
        asyncio.run(main_loop())
    except KeyboardInterrupt:
        pass
    return 0
