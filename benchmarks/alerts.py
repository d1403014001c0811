"""Pushes (#14) at bank scale on PostgreSQL: briefing queue time, send rate, the watcher's detection delay.

    .venv/bin/python benchmarks/alerts.py [--customers 1000000] [--insertions 36] [--spread-s 240]
        [--pg postgresql+psycopg2://postgres@127.0.0.1:5432/test] [--seed 20261122] [--briefing-runs 1]
        [--send-runs 3] [--every 30] [--no-write]

The bank (about 500 customers per RM: 2,000 RMs at 1,000,000 customers) is generated into a schema of its
own, `alerts_bank_<N>`, and reused by later runs with the same size and seed (benchmarks/pg_bank.py; the
output says which, and how long the build took). Then, with the fake WeCom API (tools/fake_tencent.py, a
real aiohttp server on loopback, in a thread of this process):

0. nightly scoring: the briefing reads the churn scores `python -m scoring score` writes before the
   morning (it does not score itself); when the bank has no scores for the day yet they are written by that
   batch (`scoring.batch.score_bank`, 2 workers) and timed, else the earlier time is reported;
1. catch-up: the detectors' first pass over the whole history (`detect`, as the watcher's first pass does),
   the once-a-day salary check timed apart;
2. (a) briefing queue time: `queue_briefings` for every RM and branch head, as the 08:30 job runs it;
3. (b) send rate: `python -m bot alerts run --briefing never` in a process of its own sends the queued
   briefings (8 in flight, the client's 30-per-member-per-minute limiter on); messages per second from the
   first to the last arrival at the fake API;
4. (c) detection delay: `python -m bot alerts watch` in a process of its own (every 30 s, as deployed);
   `--insertions` transactions committed at random moments over `--spread-s` seconds, each one new alert
   (a ±20万 day for a 50万+ client, or 5万+ to another bank for a smaller one); the delay is from the
   insert's commit to the alert's arrival at the fake API, for the client's RM. Target p95 ≤ 60 s.
Prints the figures and appends them to benchmarks/results-alerts.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text, update  # noqa: E402

from benchmarks.pg_bank import PgBank, ensure_bank, reset_added_rows, update_meta  # noqa: E402
from benchmarks.report import append_section  # noqa: E402
from bot.alerts import detectors as det  # noqa: E402
from bot.alerts.jobs import Directory, Summary, detect, queue_briefings  # noqa: E402
from bot.alerts.outbox import BRIEFING  # noqa: E402
from bot.alerts.settings import AlertSettings  # noqa: E402
from bot.store.db import create_schema, engine_for, session_scope  # noqa: E402
from bot.store.models import ChurnScore, Customer, OutboxMessage, Staff, Transaction  # noqa: E402
from bot.tiers import WAN  # noqa: E402
from tools.fake_tencent import Delivered, FakeTencentApi  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results-alerts.md"
PG_BASE = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
MODEL = ROOT / "var" / "bench" / "alerts-model.joblib"  # trained on the 6,000-customer demo bank, same seed and day
TODAY = date(2026, 11, 18)  # a Wednesday
MORNING = datetime(2026, 11, 18, 8, 30)
WATCH_FROM = "2026-11-18 10:00"  # the watcher's clock: a working day, outside quiet hours
PY = sys.executable
# Tables this benchmark fills; emptied before each run so every run starts from the bank as built.
OWN_TABLES = ("alert_outbox", "alert_watermarks", "apscheduler_jobs")
WECOM_ENV = {"WECOM_CORP_ID": "corp", "WECOM_APP_SECRET": "secret", "WECOM_AGENT_ID": "1000002"}


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q / 100 * len(ordered) + 0.5)) - 1))]


# -- 0. nightly scoring -------------------------------------------------------------------------------
def ensure_model() -> Path:
    if MODEL.exists():
        return MODEL
    import tempfile

    from scoring.model import save_model
    from scoring.training import train_from_store
    from tools.demo.load import generate_bank

    tmp = Path(tempfile.mkdtemp(prefix="alerts-model-"))
    url = f"sqlite:///{tmp / 'bank.db'}"
    print("training the churn model on a 6,000-customer demo bank", flush=True)
    generate_bank(url, customers=6_000, seed=20261122, today=TODAY)
    with engine_for(url).connect() as conn:
        save_model(train_from_store(conn, TODAY), MODEL)
    return MODEL


def nightly_scores(bank: PgBank) -> tuple[float, bool, int]:
    """(seconds, scored now, scores for TODAY): the batch when TODAY's scores are missing, else the earlier time."""
    from scoring.batch import score_bank
    from scoring.model import load_model

    model = load_model(ensure_model())
    with session_scope(bank.url) as s:
        create_schema(s.get_bind())
        have = s.execute(
            select(func.count()).where(ChurnScore.as_of == TODAY, ChurnScore.model_version == model.version)
        ).scalar_one()
    meta = bank.meta.get("scored") or {}
    if have and meta.get("model") == model.version and meta.get("as_of") == TODAY.isoformat():
        return float(meta["seconds"]), False, int(have)
    print(f"nightly scoring of {bank.customers:,} customers (model {model.version})", flush=True)
    summary = score_bank(bank.url, TODAY, model, progress=True, workers=2)
    update_meta(bank, scored={"as_of": TODAY.isoformat(), "model": model.version, "seconds": round(summary.seconds, 1)})
    return summary.seconds, True, summary.written + int(have)


# -- 1. catch-up and 2. briefing ----------------------------------------------------------------------
def catch_up(url: str) -> tuple[float, float, Summary]:
    """The detectors' first pass over the whole history; (seconds, of which salary check, summary)."""
    settings = AlertSettings()
    calls: list[float] = []
    real = det.scan_salary

    def timed(session, today):
        t = time.perf_counter()
        try:
            return real(session, today)
        finally:
            calls.append(time.perf_counter() - t)

    det.scan_salary = timed
    try:
        t0 = time.perf_counter()
        summary = Summary()
        with session_scope(url) as s:
            detect(s, MORNING, settings, Directory(s), summary)
        return time.perf_counter() - t0, sum(calls), summary
    finally:
        det.scan_salary = real


def queue_morning(url: str) -> tuple[float, Summary]:
    with session_scope(url) as s:  # a second run of the day only counts: forget the first one
        s.execute(OutboxMessage.__table__.delete().where(OutboxMessage.kind == BRIEFING))
        s.execute(text("DELETE FROM alert_watermarks WHERE detector = :d"), {"d": det.BRIEFING_DETECTOR})
    t0 = time.perf_counter()
    summary = Summary()
    with session_scope(url) as s:
        queue_briefings(s, MORNING, AlertSettings(), Directory(s), summary)
    return time.perf_counter() - t0, summary


# -- 3. send rate -------------------------------------------------------------------------------------
def _env() -> dict[str, str]:
    return {**os.environ, **WECOM_ENV, "PYTHONPATH": str(ROOT)}


def send_briefings(url: str, fake: FakeTencentApi) -> dict:
    """Requeue the day's briefings and let `alerts run` send them; figures from the fake's arrivals."""
    with session_scope(url) as s:
        s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.kind == BRIEFING)
            .values(status="queued", attempts=0, parts_sent=0, msgids=None, sent_at=None, not_before=MORNING)
        )
        rows = s.execute(  # due now: the briefings, and on the first run the catch-up's alerts
            select(func.count()).where(OutboxMessage.status == "queued", OutboxMessage.not_before <= MORNING)
        ).scalar_one()
    before = len(fake.all_delivered())
    t0 = time.monotonic()
    done = subprocess.run(
        [PY, "-m", "bot", "alerts", "run", "--db", url, "--briefing", "never", "--now", "2026-11-18 08:31"]
        + ["--wecom-api-base", fake.base_url],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    wall = time.monotonic() - t0
    if done.returncode != 0:
        raise SystemExit(f"alerts run failed:\n{done.stderr[-3000:]}")
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    arrived = fake.all_delivered()[before:]
    span = arrived[-1].at - arrived[0].at if len(arrived) > 1 else float("nan")
    return {
        "rows": int(rows),
        "sent": int(summary["sent"]),
        "parts": len(arrived),
        "span_s": span,
        "wall_s": wall,
        "rate": summary["sent"] / span if span == span and span > 0 else float("nan"),
        "parts_rate": len(arrived) / span if span == span and span > 0 else float("nan"),
        "retrying": int(summary["retrying"]),
        "failed": int(summary["failed"]),
    }


# -- 4. detection delay -------------------------------------------------------------------------------
@dataclass
class Insertion:
    kind: str  # large_movement | other_bank
    customer_id: int
    name: str
    recipient: str  # the RM's WeCom userid
    committed: float = 0.0  # monotonic
    arrived: float | None = None

    @property
    def marker(self) -> str:
        return "【大额资金异动】" if self.kind == "large_movement" else "【他行转出】"


def pick_targets(url: str, n: int, rng: random.Random) -> list[Insertion]:
    """Open clients with an active RM on WeCom and no alert of that kind today: half 50万+ (a large
    movement), half under 50万 (a transfer to another bank)."""
    with session_scope(url) as s:
        alerted = set(
            s.execute(select(OutboxMessage.kind, OutboxMessage.subject).where(OutboxMessage.day == TODAY)).all()
        )
        top = s.execute(select(func.max(Customer.id))).scalar_one()
        picked: list[Insertion] = []
        seen: set[int] = set()
        want = {"large_movement": (n + 1) // 2, "other_bank": n // 2}
        while any(want.values()):
            ids = rng.sample(range(1, top + 1), 400)
            rows = s.execute(
                select(Customer.id, Customer.name, Customer.aum_fen, Staff.wecom_userid)
                .join(Staff, Staff.id == Customer.rm_id)
                .where(Customer.id.in_(ids), Customer.closed_on.is_(None), Staff.active.is_(True))
                .where(Staff.wecom_userid.is_not(None))
            ).all()
            for cid, name, aum, userid in rows:
                kind = "large_movement" if aum >= 50 * WAN else "other_bank"
                subject = f"c{cid}:out" if kind == "large_movement" else f"c{cid}"
                if want[kind] and cid not in seen and (kind, subject) not in alerted:
                    picked.append(Insertion(kind, cid, name, userid))
                    seen.add(cid)
                    want[kind] -= 1
    rng.shuffle(picked)
    return picked


def insert_one(url: str, target: Insertion, at: datetime, rng: random.Random) -> None:
    large = target.kind == "large_movement"
    with session_scope(url) as s:
        s.add(
            Transaction(
                customer_id=target.customer_id,
                occurred_at=at,
                amount_fen=rng.randint(25, 60) * WAN if large else rng.randint(6, 15) * WAN,
                direction="out",
                channel="mobile",
                other_bank=not large,
                counterparty=None if large else "招商银行",
                purpose="transfer",
            )
        )
    target.committed = time.monotonic()  # the session committed on leaving the block


_LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) ")


def job_durations(stderr_text: str, job: str) -> list[float]:
    """Seconds of each run of a watcher job, from APScheduler's 'Running job' / 'executed successfully' log lines."""
    out: list[float] = []
    started: datetime | None = None
    for line in stderr_text.splitlines():
        m = _LOG_TIME.match(line)
        if not m or f'"{job} ' not in line:
            continue
        at = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S,%f")
        if "Running job" in line:
            started = at
        elif "executed successfully" in line and started is not None:
            out.append((at - started).total_seconds())
            started = None
    return out


def briefing_due_at_start(url: str) -> None:
    """Forget today's briefing and put the watcher's briefing job in its job store as due now (as when a
    watcher starts at 08:30), so the watcher computes the briefing while the insertions arrive."""
    from apscheduler.job import Job
    from apscheduler.jobstores.base import ConflictingIdError
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    from bot.alerts.cli import briefing_job
    from bot.clock import SHANGHAI

    with session_scope(url) as s:
        s.execute(OutboxMessage.__table__.delete().where(OutboxMessage.kind == BRIEFING))
        s.execute(text("DELETE FROM alert_watermarks WHERE detector = :d"), {"d": det.BRIEFING_DETECTOR})
    spec = briefing_job(AlertSettings())
    store = SQLAlchemyJobStore(url=url, tablename="apscheduler_jobs")
    store.start(BackgroundScheduler(timezone=SHANGHAI), "default")  # never started: only the store is used
    job = Job(
        store._scheduler,
        id=spec["id"],
        func=spec["func"],
        trigger=spec["trigger"],
        executor="default",
        args=(),
        kwargs={},
        name="scheduled_briefing",
        misfire_grace_time=spec["misfire_grace_time"],
        coalesce=spec["coalesce"],
        max_instances=spec["max_instances"],
        next_run_time=datetime.now(SHANGHAI),
    )
    try:
        store.add_job(job)
    except ConflictingIdError:
        store.update_job(job)
    store.shutdown()


def detection_delay(url: str, fake: FakeTencentApi, args, log_dir: Path, during_briefing: bool) -> dict:
    """Insertions while the watcher runs its detector passes; `during_briefing`: while it also computes the
    morning briefing (started with the watcher), else once its first pass is done."""
    rng = random.Random(args.seed + during_briefing)
    targets = pick_targets(url, args.insertions, rng)
    if during_briefing:
        briefing_due_at_start(url)
    by_key: dict[tuple[str, str], list[Insertion]] = {}
    for t in targets:
        by_key.setdefault((t.recipient, t.marker), []).append(t)
    lock = threading.Lock()

    def arrived(message: Delivered) -> None:
        with lock:
            for (user, marker), waiting in by_key.items():
                if user != message.touser or marker not in message.content:
                    continue
                for t in waiting:
                    if t.committed and t.arrived is None and t.name in message.content:
                        t.arrived = message.at

    fake.on_delivered = arrived
    name = "watch-briefing" if during_briefing else "watch"
    out_path, err_path = log_dir / f"{name}.stdout", log_dir / f"{name}.stderr"
    with open(out_path, "w") as out, open(err_path, "w") as err:
        watcher = subprocess.Popen(
            [PY, "-m", "bot", "alerts", "watch", "--db", url, "--now", WATCH_FROM]
            + ["--every", str(args.every), "--wecom-api-base", fake.base_url],
            cwd=ROOT,
            env=_env(),
            stdout=out,
            stderr=err,
        )
    try:
        t0 = time.monotonic()
        # Up and caught up (its first pass printed), or computing the briefing.
        while not (
            'Running job "scheduled_briefing' in err_path.read_text()
            if during_briefing
            else out_path.read_text().strip()
        ):
            if watcher.poll() is not None or time.monotonic() - t0 > 900:
                raise SystemExit(f"watcher did not start:\n{err_path.read_text()[-3000:]}")
            time.sleep(0.5)
        first_pass_s = time.monotonic() - t0
        moments = sorted(rng.uniform(0, args.spread_s) for _ in targets)
        start = time.monotonic()
        for moment, target in zip(moments, targets):
            time.sleep(max(0.0, start + moment - time.monotonic()))
            at = datetime.strptime(WATCH_FROM, "%Y-%m-%d %H:%M") + timedelta(seconds=time.monotonic() - t0)
            insert_one(url, target, at, rng)
        # Wait for the briefing job to end (the alerts may be waiting for it), then a few passes more.
        limit = time.monotonic() + 3600
        while during_briefing and time.monotonic() < limit and any(t.arrived is None for t in targets):
            if "executed successfully" in "".join(
                line for line in err_path.read_text().splitlines() if '"scheduled_briefing ' in line
            ):
                break
            time.sleep(1.0)
        deadline = time.monotonic() + max(180.0, 4 * args.every)
        while time.monotonic() < deadline and any(t.arrived is None for t in targets):
            time.sleep(0.5)
        waited_s = time.monotonic() - start
    finally:
        watcher.terminate()
        try:
            watcher.wait(timeout=30)
        except subprocess.TimeoutExpired:
            watcher.kill()
        fake.on_delivered = None
    # An alert that never came counts as later than any that did (its delay is above the time waited).
    delays = [t.arrived - t.committed if t.arrived is not None else float("inf") for t in targets]
    arrived_n = sum(t.arrived is not None for t in targets)
    logged = err_path.read_text()
    return {
        "insertions": len(targets),
        "arrived": arrived_n,
        "waited_s": waited_s,
        "by_kind": {k: sum(t.kind == k for t in targets) for k in ("large_movement", "other_bank")},
        "p50": statistics.median(delays) if delays else float("nan"),
        "p95": pct(delays, 95) if delays else float("nan"),
        "max": max(delays) if delays else float("nan"),
        "first_pass_s": first_pass_s,
        "passes": job_durations(logged, "scheduled_pass"),
        "briefing_s": job_durations(logged, "scheduled_briefing"),
        "during_briefing": during_briefing,
    }


# -- report -------------------------------------------------------------------------------------------
def bank_counts(url: str) -> dict[str, int]:
    with session_scope(url) as s:
        return {
            "rms": int(s.execute(select(func.count()).where(Staff.role == "rm")).scalar_one()),
            "heads": int(s.execute(select(func.count()).where(Staff.role == "branch_head")).scalar_one()),
            "txns": int(
                s.execute(
                    text("SELECT reltuples::bigint FROM pg_class WHERE oid = 'transactions'::regclass")
                ).scalar_one()
            ),
        }


def delay_rows(dd: dict, args) -> tuple[str, str]:
    passes = dd["passes"]
    when = "while the watcher computes the morning briefing" if dd["during_briefing"] else "steady state"
    later = passes[1:] or passes
    cadence = (
        f"detector passes (every {args.every:.0f} s): median {statistics.median(later):.2f} s, max {max(later):.2f} s "
        f"over {len(passes)}"
        if passes
        else "no detector pass logged"
    )
    briefing = f"; the watcher's briefing job took {dd['briefing_s'][0]:.0f} s" if dd["briefing_s"] else ""
    missing = dd["insertions"] - dd["arrived"]
    if missing:
        briefing += f"; {missing} never arrived within the {dd['waited_s']:.0f} s waited (counted as ∞)"
    return (
        f"(c) detection delay, commit → fake API, {when}",
        f"p50 {dd['p50']:.1f} s, p95 **{dd['p95']:.1f} s**, max {dd['max']:.1f} s over {dd['arrived']}/"
        f"{dd['insertions']} insertions in {args.spread_s:.0f} s ({dd['by_kind']['large_movement']} large movements, "
        f"{dd['by_kind']['other_bank']} other-bank transfers); {cadence}{briefing}; target p95 ≤ 60 s",
    )


def _runs(values: list[float], fmt: str) -> str:
    shown = ", ".join(format(v, fmt) for v in values)
    return f"{format(statistics.median(values), fmt)}" + (
        f" (median of {len(values)}: {shown})" if len(values) > 1 else ""
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--pg", default=PG_BASE, help="PostgreSQL database (the bank gets a schema of its own)")
    parser.add_argument("--insertions", type=int, default=36, help="new transactions for the detection delay")
    parser.add_argument("--spread-s", type=float, default=240.0, help="over how many seconds they are inserted")
    parser.add_argument("--every", type=float, default=30.0, help="the watcher's --every (seconds between passes)")
    parser.add_argument("--briefing-runs", type=int, default=1)
    parser.add_argument("--send-runs", type=int, default=3)
    parser.add_argument(
        "--delays",
        nargs="*",
        choices=("steady", "briefing"),
        default=["steady", "briefing"],
        help="detection-delay scenarios: steady state, and while the watcher computes the briefing",
    )
    parser.add_argument("--no-write", action="store_true", help=f"do not append to {RESULTS.name}")
    args = parser.parse_args()

    load_start = os.getloadavg()[0]
    bank = ensure_bank(args.pg, args.customers, args.seed, TODAY)
    print(
        f"bank: {'built' if bank.built else 'reused'} schema {bank.schema} ({bank.build_s:.0f} s to build)", flush=True
    )
    reset_added_rows(bank, OWN_TABLES)
    counts = bank_counts(bank.url)
    score_s, scored_now, scores = nightly_scores(bank)
    print(
        f"nightly scoring: {scores:,} scores for {TODAY}, {score_s:.0f} s ({'now' if scored_now else 'earlier run'})",
        flush=True,
    )

    catch_s, salary_s, first = catch_up(bank.url)
    print(f"catch-up pass: {catch_s:.1f} s (salary check {salary_s:.1f} s), {first.queued} alerts", flush=True)

    briefing_s: list[float] = []
    for _ in range(args.briefing_runs):
        seconds, brief = queue_morning(bank.url)
        briefing_s.append(seconds)
        print(
            f"briefing queue: {seconds:.1f} s, {brief.queued} queued, {brief.nothing_to_say} with nothing to say",
            flush=True,
        )

    log_dir = ROOT / "var" / "bench" / "alerts" / datetime.now().strftime("%Y%m%d-%H%M%S")
    log_dir.mkdir(parents=True, exist_ok=True)
    fake = FakeTencentApi().start_thread()
    try:
        sends = []
        for _ in range(args.send_runs):
            r = send_briefings(bank.url, fake)
            sends.append(r)
            print(
                f"send: {r['sent']} of {r['rows']} messages ({r['parts']} parts) in {r['span_s']:.1f} s: {r['rate']:.0f} msg/s",
                flush=True,
            )
        delays = []
        for during_briefing in (name == "briefing" for name in args.delays):
            dd = detection_delay(bank.url, fake, args, log_dir, during_briefing)
            delays.append(dd)
            print(
                f"detection delay{' during the briefing' if during_briefing else ''} over {dd['arrived']}/"
                f"{dd['insertions']} insertions: p50 {dd['p50']:.1f} s, p95 {dd['p95']:.1f} s, max {dd['max']:.1f} s; "
                f"passes {dd['passes']}, briefing job {dd['briefing_s']}",
                flush=True,
            )
    finally:
        fake.stop_thread()

    rows = [
        (
            "bank",
            f"{args.customers:,} customers, {counts['rms']:,} RMs, {counts['heads']:,} branch heads, "
            f"~{counts['txns']:,} transactions; schema {bank.schema} "
            + (
                f"built in {bank.build_s / 60:.1f} min"
                if bank.built
                else f"reused (built earlier in {bank.build_s / 60:.1f} min)"
            ),
        ),
        (
            "nightly scoring (before the briefing)",
            f"{scores:,} customers in {score_s / 60:.1f} min ({'this run' if scored_now else 'an earlier run'}; "
            "`scoring.batch.score_bank`, 2 workers)",
        ),
        (
            "detectors' first pass (whole history)",
            f"{catch_s:.1f} s, of which the daily salary check {salary_s:.1f} s; {first.queued:,} alerts",
        ),
        *(delay_rows(dd, args) for dd in delays),
    ]
    if briefing_s:
        rows.insert(
            3,
            (
                "(a) briefing queue time",
                f"{_runs(briefing_s, '.1f')} s for {brief.queued:,} briefings "
                f"({statistics.median(briefing_s) / max(counts['rms'], 1) * 1000:.0f} ms per RM; "
                f"{brief.nothing_to_say} with nothing to say)",
            ),
        )
    if sends:
        last = sends[-1]
        rows.insert(
            4 if briefing_s else 3,
            (
                "(b) send rate, `alerts run` process",
                f"{_runs([r['rate'] for r in sends], '.0f')} msg/s ({last['sent']:,} messages, "
                f"{last['parts']:,} WeCom calls, first to last arrival {last['span_s']:.1f} s; process wall "
                f"{last['wall_s']:.1f} s; 8 in flight, 30/member/min limiter; retrying {last['retrying']}, "
                f"failed {last['failed']})",
            ),
        )
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    if args.no_write:
        return 0
    load_end = os.getloadavg()[0]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    section = "\n".join(
        [
            f"## {datetime.now():%Y-%m-%d %H:%M} — {args.customers:,}-customer bank on PostgreSQL, watcher and sender in processes of their own",
            "",
            f"Machine: {os.cpu_count()} CPUs, shared with other engineers' jobs (1-min load average {load_start:.1f} at the start, "
            f"{load_end:.1f} at the end), Python {platform.python_version()}, PostgreSQL on loopback with its default "
            f"settings; commit {commit.stdout.strip() or '?'}; the fake WeCom API runs in a thread of the benchmark's process. "
            f"Command: `benchmarks/alerts.py --customers {args.customers} --insertions {args.insertions} "
            f"--spread-s {args.spread_s:.0f} --every {args.every:.0f} --briefing-runs {args.briefing_runs} "
            f"--send-runs {args.send_runs} --delays {' '.join(args.delays)}`; watcher logs in {log_dir.relative_to(ROOT)}/.",
            "",
            "| measure | figure |",
            "|---|---|",
            *(f"| {k} | {v} |" for k, v in rows),
            "",
        ]
    )
    append_section(RESULTS, "Alerts benchmark results", "benchmarks/alerts.py", section)
    print(f"appended to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
