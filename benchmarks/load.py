"""Load on the production-style stack: concurrent staff playing realistic conversations through WeCom
and the counter channel, on loopback, bounded in count and time.

Each staff member (an RM of the bank) plays one conversation of --turns turns built from their own book
(maturing lists and paging, follow-ups, client cards, risk and its reasons, scripts, next steps, the day's
plan, segments, large outflows), sending the next question when the answer to the last one has arrived
(closed loop; --think-ms adds a pause, exponentially distributed, and spreads the first messages over
that long). Half the staff use WeCom: the callback is signed and encrypted
with wechatpy as WeCom does and the answer is taken from a fake WeCom API on loopback that the stack
sends `message/send` to; the other half use the counter channel (HS256 JWT, answer in the response).

    # start the stack here (PostgreSQL bank, Redis), run, stop it again:
    .venv/bin/python benchmarks/load.py --start-stack \\
        --db 'postgresql+psycopg2://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbank1m' --today 2026-11-22

    # or against a stack started with `python -m tools stack --env-file F --wecom-api-base http://127.0.0.1:P`:
    .venv/bin/python benchmarks/load.py --env-file F --wecom-api-port P --db URL

--warm loads the bank into PostgreSQL's shared buffers first, as far as they hold it: the steady state of a
database sized for its bank (this machine's disk is slow and its file cache does not last). Measured per turn: from sending the message to the first answer (WeCom: at the fake API; counter: the
HTTP response), and for WeCom the acknowledgement (POST → 200). Like WeCom, the generator re-sends a
callback that is not acknowledged within 5 s (three tries); such late acknowledgements are counted, and
the answer is still awaited. Errors: HTTP errors, no answer within --timeout, and answers that say the
system failed (忙 / 数据暂时不可用). Prints the figures, appends them to
--out (Markdown) and writes --json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import secrets
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from benchmarks.report import append_section  # noqa: E402
from tools.converse.clients import (  # noqa: E402
    CounterSettings,
    WeComSettings,
    WeComSimulator,
    counter_token,
    replies_from_body,
    wecom_callback,
)

RESULTS = ROOT / "benchmarks" / "results-load.md"
DEFAULT_PG = "postgresql+psycopg2://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbank1m"
FAILURE_MARKERS = ("系统有点忙", "数据暂时不可用")
TARGET_P95_S = 1.0
WECOM_ACK_WAIT_S = 5.0  # WeCom waits this long for the 200, then retries the callback
WECOM_TRIES = 3

# A realistic working conversation; {a}, {b}, {c} are clients from the RM's own book.
OPENING = ["你好", "本周哪些客户理财到期", "还有吗", "那下周呢"]
MIDDLE = [
    "看一下{a}的情况",
    "{a}为什么有流失风险",
    "给{a}打电话怎么说",
    "{a}下一步怎么做",
    "谁最可能流失",
    "下周50万以上的定期有哪些到期",
    "今天先联系谁",
    "{b}的持仓",
    "最近有大额资金转出的客户吗",
    "未来十天哪些客户有产品到期",
    "{c}的资产",
    "月底前到期的大额存单",
    "临界客户有哪些",
    "{b}为什么有流失风险",
    "给{c}发微信怎么说",
]
CLOSING = ["谢谢", "再见"]


def conversation(names: list[str], turns: int, rng: random.Random) -> list[str]:
    a, b, c = (names * 3)[:3]
    middle = rng.sample(MIDDLE, len(MIDDLE))
    script = OPENING + middle
    script = script[: max(0, turns - len(CLOSING))] + CLOSING
    return [t.format(a=a, b=b, c=c) for t in script[:turns]]


@dataclass
class TurnResult:
    staff: str
    channel: str
    text: str
    seconds: float | None  # to the first answer; None: no answer
    ack_seconds: float | None = None
    error: str | None = None
    late_acks: int = 0  # WeCom callbacks not acknowledged within 5 s (WeCom retries those)


@dataclass
class Load:
    results: list[TurnResult] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0


def loopback_only(url: str) -> None:
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"refusing to send load to {host}: loopback only")


def pick_staff(db_url: str, count: int) -> list[tuple[str, str, list[str]]]:
    """(staff id, WeCom user id, three client names unique in their book) for `count` RMs."""
    from sqlalchemy import bindparam, create_engine, text

    engine = create_engine(db_url, future=True)
    try:
        with engine.connect() as conn:
            rms = conn.execute(
                text(
                    "SELECT id, wecom_userid FROM staff WHERE role = 'rm' AND active AND wecom_userid IS NOT NULL "
                    "ORDER BY id LIMIT :n"
                ),
                {"n": count},
            ).all()
            names = conn.execute(
                text(
                    "SELECT rm_id, name FROM customers WHERE rm_id IN :ids AND closed_on IS NULL "
                    "GROUP BY rm_id, name HAVING count(*) = 1 ORDER BY rm_id, min(id)"
                ).bindparams(bindparam("ids", expanding=True)),
                {"ids": [r[0] for r in rms]},
            ).all()
    finally:
        engine.dispose()
    by_rm: dict[str, list[str]] = {}
    for rm, name in names:
        by_rm.setdefault(rm, []).append(name)
    return [(rm, uid, by_rm.get(rm, ["王秀英"])[:3]) for rm, uid in rms]


async def wecom_turn(
    http, url, sim: WeComSimulator, userid: str, staff: str, text: str, timeout_s: float
) -> TurnResult:
    """As WeCom does it: POST the callback, wait 5 s for the 200, otherwise send the same callback again
    (three tries in all); the answer comes separately, through `message/send`."""
    msg_id = str(time.time_ns())[-15:] + secrets.token_hex(2)
    query, body = wecom_callback(sim.settings, userid, text, msg_id)
    sim.drain(userid)
    start = time.monotonic()
    ack, late, problem = None, 0, None
    for _ in range(WECOM_TRIES):
        try:
            async with http.post(
                url + "/webhooks/wecom/webhook",
                params=query,
                data=body.encode(),
                headers={"Content-Type": "text/xml"},
                timeout=aiohttp.ClientTimeout(total=WECOM_ACK_WAIT_S),
            ) as r:
                if r.status != 200:
                    problem = f"HTTP {r.status}"
                    continue
                ack = time.monotonic() - start
                break
        except asyncio.TimeoutError:
            late += 1  # WeCom would now send the callback again
        except aiohttp.ClientError as exc:
            problem = type(exc).__name__
    sent = await sim.collect(userid, start, timeout_s, quiet_s=0.25)
    if not sent:
        return TurnResult(staff, "wecom", text, None, ack, problem or "no answer", late)
    answer = "\n".join(m.text for m in sent)
    error = "failure reply" if any(m in answer for m in FAILURE_MARKERS) else None
    return TurnResult(staff, "wecom", text, sent[0].at - start, ack, error, late)


async def counter_turn(http, url, settings: CounterSettings, staff: str, text: str, timeout_s: float) -> TurnResult:
    headers = {"Authorization": f"Bearer {counter_token(settings, staff)}"}
    start = time.monotonic()
    try:
        async with http.post(
            url + settings.webhook_path,
            json={"text": text},
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=timeout_s),
        ) as r:
            body = await r.json(content_type=None) if r.status == 200 else None
            elapsed = time.monotonic() - start
            if r.status != 200:
                return TurnResult(staff, "counter", text, None, None, f"HTTP {r.status}")
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
        return TurnResult(staff, "counter", text, None, None, type(exc).__name__)
    replies = replies_from_body(body)
    if not replies:
        return TurnResult(staff, "counter", text, None, None, "no answer")
    error = "failure reply" if any(m in "\n".join(replies) for m in FAILURE_MARKERS) else None
    return TurnResult(staff, "counter", text, elapsed, None, error)


async def play(
    url: str,
    secrets_: dict[str, str],
    api_port: int,
    staff: list,
    turns: int,
    think_ms: float,
    timeout_s: float,
    max_seconds: float,
    seed: int,
) -> Load:
    sim = WeComSimulator(
        WeComSettings(
            corp_id=secrets_["WECOM_CORP_ID"],
            agent_id=secrets_["WECOM_AGENT_ID"],
            secret=secrets_["WECOM_APP_SECRET"],
            token=secrets_["WECOM_TOKEN"],
            encoding_aes_key=secrets_["WECOM_ENCODING_AES_KEY"],
            api_port=api_port,
        )
    )
    await sim.start()
    counter = CounterSettings(secrets_["BOT_COUNTER_JWT_SECRET"], token_ttl_s=3600)
    load = Load()
    deadline = time.monotonic() + max_seconds
    connector = aiohttp.TCPConnector(limit=len(staff) * 2)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def one(index: int, staff_id: str, userid: str, names: list[str]) -> None:
            rng = random.Random(f"{seed}:{staff_id}")
            if think_ms:  # people do not all start at the same instant: spread the first messages
                await asyncio.sleep(rng.uniform(0, think_ms / 1000.0))
            for text in conversation(names, turns, rng):
                if time.monotonic() > deadline:
                    return
                if index % 2 == 0:
                    result = await wecom_turn(http, url, sim, userid, staff_id, text, timeout_s)
                else:
                    result = await counter_turn(http, url, counter, staff_id, text, timeout_s)
                load.results.append(result)
                if think_ms:
                    await asyncio.sleep(rng.expovariate(1000.0 / think_ms))

        load.started = time.monotonic()
        await asyncio.gather(*(one(i, s, u, n) for i, (s, u, n) in enumerate(staff)))
        load.finished = time.monotonic()
    await sim.stop()
    return load


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def summarise(load: Load) -> dict:
    def figures(rows: list[TurnResult]) -> dict:
        ok = [r.seconds for r in rows if r.seconds is not None and r.error is None]
        acks = [r.ack_seconds for r in rows if r.ack_seconds is not None]
        errors: dict[str, int] = {}
        for r in rows:
            if r.error:
                errors[r.error] = errors.get(r.error, 0) + 1
        return {
            "turns": len(rows),
            "answered": len(ok),
            "errors": errors,
            "p50_s": percentile(ok, 50),
            "p95_s": percentile(ok, 95),
            "p99_s": percentile(ok, 99),
            "max_s": max(ok) if ok else float("nan"),
            "ack_p50_ms": percentile(acks, 50) * 1000,
            "ack_p95_ms": percentile(acks, 95) * 1000,
            "ack_p99_ms": percentile(acks, 99) * 1000,
            "late_acks": sum(r.late_acks for r in rows),
        }

    seconds = load.finished - load.started
    out = {
        "all": figures(load.results),
        "wecom": figures([r for r in load.results if r.channel == "wecom"]),
        "counter": figures([r for r in load.results if r.channel == "counter"]),
        "seconds": seconds,
        "turns_per_s": len(load.results) / seconds if seconds else 0.0,
    }
    slow: dict[str, list[float]] = {}
    for r in load.results:
        if r.seconds is not None:
            key = r.text if "{" not in r.text else r.text
            slow.setdefault(_kind(key), []).append(r.seconds)
    out["by_question"] = {
        k: {"n": len(v), "p50_s": percentile(v, 50), "p95_s": percentile(v, 95)}
        for k, v in sorted(slow.items(), key=lambda kv: -percentile(kv[1], 95))
    }
    return out


def _kind(text: str) -> str:
    """The question pattern a text came from (client names removed), for the per-question table."""
    for pattern in OPENING + MIDDLE + CLOSING:
        head, _, tail = pattern.partition("{")
        tail = tail.partition("}")[2]
        if "{" not in pattern and text == pattern:
            return pattern
        if "{" in pattern and text.startswith(head) and text.endswith(tail):
            return pattern.replace("{a}", "X").replace("{b}", "X").replace("{c}", "X")
    return text


def warm(db_url: str) -> tuple[float, int, int]:
    """Load the bank's tables and indexes into PostgreSQL's shared buffers (pg_prewarm), as far as they fit.

    A bank's database serving all day has its working set in memory. A bank generated minutes ago is on
    disk, and this machine's disk is slow (about 30 MB/s) and its hypervisor takes back the file cache
    within minutes, so without this every look at a book measures the disk. Returns (seconds, megabytes
    read, megabytes of shared buffers)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url, future=True)
    started = time.monotonic()
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_prewarm SCHEMA public"))
            schema = conn.execute(
                text(
                    "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                    "ON n.oid = e.extnamespace WHERE e.extname = 'pg_prewarm'"
                )
            ).scalar_one()
            buffers_mb = int(
                conn.execute(
                    text("SELECT setting::bigint * 8 / 1024 FROM pg_settings WHERE name = 'shared_buffers'")
                ).scalar_one()
            )
            blocks = conn.execute(
                text(
                    # Biggest first, so that when the bank does not fit, the small hot tables and indexes stay.
                    f"SELECT coalesce(sum(\"{schema}\".pg_prewarm(r.oid, 'buffer')), 0) FROM (SELECT c.oid FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i') "
                    "ORDER BY pg_relation_size(c.oid) DESC) r"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    return time.monotonic() - started, int(blocks) * 8 // 1024, buffers_mb


def markdown(summary: dict, args, stack_note: str) -> str:
    load = os.getloadavg()[0]
    a = summary["all"]
    verdict = "met" if a["p95_s"] <= TARGET_P95_S and not a["errors"] else "NOT met"
    lines = [
        f"## {datetime.now().strftime('%Y-%m-%d %H:%M')} — load: {args.staff} staff × {args.turns} turns, "
        f"think {args.think_ms:g} ms",
        "",
        f"Machine: {os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), shared with other "
        f"engineers' jobs (1-min load average {load:.1f} at the end); Python {platform.python_version()}; loopback. "
        f"{stack_note}",
        "",
        "| channel | turns | answered | errors | p50 s | p95 s | p99 s | max s | ack p50/p95/p99 ms | acks > 5 s |",
        "|---|---:|---:|---|---:|---:|---:|---:|---|---:|",
    ]
    for name in ("all", "wecom", "counter"):
        f = summary[name]
        ack = (
            f"{f['ack_p50_ms']:.0f} / {f['ack_p95_ms']:.0f} / {f['ack_p99_ms']:.0f}"
            if f["ack_p50_ms"] == f["ack_p50_ms"]
            else "—"
        )
        lines.append(
            f"| {name} | {f['turns']} | {f['answered']} | {f['errors'] or 0} | {f['p50_s']:.2f} | "
            f"{f['p95_s']:.2f} | {f['p99_s']:.2f} | {f['max_s']:.2f} | {ack} | {f['late_acks']} |"
        )
    lines += [
        "",
        f"Throughput {summary['turns_per_s']:.1f} turns/s over {summary['seconds']:.0f} s. "
        f"Goal: 0 errors and p95 ≤ {TARGET_P95_S:g} s — {verdict}.",
        "",
        "Slowest questions (p95 s): "
        + "; ".join(f"{k} {v['p95_s']:.2f}" for k, v in list(summary["by_question"].items())[:6]),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--start-stack", action="store_true", help="start the production-style stack for the run")
    p.add_argument("--db", default=os.environ.get("BOT_DB_URL") or DEFAULT_PG, help="the bank (PostgreSQL URL)")
    p.add_argument("--today", default=os.environ.get("BOT_TODAY") or "2026-11-22")
    p.add_argument("--instances", type=int, default=2)
    p.add_argument("--env-file", type=Path, help="a running stack's settings (python -m tools stack --env-file)")
    p.add_argument("--wecom-api-port", type=int, help="with --env-file: the port the stack sends WeCom replies to")
    p.add_argument("--staff", type=int, default=50)
    p.add_argument("--turns", type=int, default=20)
    p.add_argument("--think-ms", type=float, default=0.0, help="mean pause between a staff member's turns")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for one answer")
    p.add_argument("--max-seconds", type=float, default=1200.0, help="stop starting turns after this long")
    p.add_argument("--seed", type=int, default=20261122)
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument("--json", type=Path, help="write the figures as JSON here")
    p.add_argument(
        "--warm",
        action="store_true",
        help="load the bank into PostgreSQL's shared buffers first, as far as it fits (pg_prewarm)",
    )
    args = p.parse_args(argv)

    staff = pick_staff(args.db, args.staff)
    if len(staff) < args.staff:
        print(f"only {len(staff)} RMs in the bank", file=sys.stderr)
    stack = None
    if args.start_stack:
        from tools.stack.processes import server_port
        from tools.stack.stack import ProductionStack, StackSettings

        api_port = server_port()  # bound only after the stack is up
        stack = ProductionStack(
            StackSettings(
                db_url=args.db,
                instances=args.instances,
                port=0,
                today=args.today,
                wecom_api_base=f"http://127.0.0.1:{api_port}",
            )
        )
        stack.start()
        url, values = stack.url, stack.secrets.values
        stack_note = (
            f"Stack: {args.instances} Rasa instances + action server + balancer, PostgreSQL tracker and "
            f"customer store, Redis lock store, started by this run."
        )
    else:
        if not (args.env_file and args.wecom_api_port):
            p.error("give --start-stack, or --env-file and --wecom-api-port of a running stack")
        from tools.stack.cli import read_env_file

        values = read_env_file(args.env_file)
        url, api_port = values["BOT_STACK_URL"], args.wecom_api_port
        stack_note = f"Stack: running at {url}."
    if args.warm:
        seconds, read_mb, buffers_mb = warm(args.db)
        print(
            f"prewarmed: read {read_mb:,} MB of the bank into {buffers_mb:,} MB of shared buffers in {seconds:.0f} s",
            flush=True,
        )
        stack_note += (
            f" Before the run the bank ({read_mb:,} MB of tables and indexes) was read into PostgreSQL's "
            f"shared buffers ({buffers_mb:,} MB) with pg_prewarm (--warm)."
        )
    try:
        loopback_only(url)
        load = asyncio.run(
            play(url, values, api_port, staff, args.turns, args.think_ms, args.timeout, args.max_seconds, args.seed)
        )
    finally:
        if stack is not None:
            stack.stop()
    summary = summarise(load)
    text = markdown(summary, args, stack_note)
    print(text)
    append_section(args.out, "Load results", "benchmarks/load.py", text)
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    a = summary["all"]
    return 0 if not a["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
