"""WeCom channel latency under concurrent staff, on loopback.

Measures, per message: POST → HTTP 200 (the acknowledgement WeCom waits 5 s for; target p99 ≤ 50 ms)
and POST → arrival of the answer at `message/send`.

Two processes, as in production where WeCom is somebody else's computer:
- the channel process runs the real WeComInput blueprint in Sanic (signature, decryption, XML parsing,
  dedupe, SQLite identity lookup in a thread, API client with token cache and limiter) with a stub Rasa
  that answers at once (`--rasa-delay-ms` makes it wait, `--rasa-cpu-ms` makes it block the event loop
  the way Rasa's NLU inference does);
- this process plays WeCom: it posts signed, encrypted callbacks and serves a fake `gettoken` /
  `message/send`, so both timestamps of a message are taken on the same clock.

Load shapes, all staff starting at the same instant:
- conversation (default): each staff member sends the next question once the answer to the last one
  has arrived, as a person does, after `--think-ms` (default 0: a stress test, hundreds of messages a
  second from 20 people);
- --flood: each sends the next as soon as the previous POST is acknowledged; a saturation test that
  measures capacity more than the latency staff would see.

    .venv/bin/python benchmarks/channels_bench.py [--staff 20] [--per-staff 25] [--flood] [--think-ms 0]
        [--rasa-delay-ms 0] [--rasa-cpu-ms 0]

Prints the figures and appends them to benchmarks/results-channels.md. Bounded: staff × per-staff
messages (500 by default), loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import multiprocessing
import os
import platform
import random
import socket
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from benchmarks.report import append_section  # noqa: E402
from tools.fake_tencent import Delivered, FakeTencentApi  # noqa: E402

TOKEN = "benchToken"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
CORP_ID = "wwbench0000000001"
AGENT_ID = 1000002
RESULTS = ROOT / "benchmarks" / "results-channels.md"


# -- the channel process --------------------------------------------------------------------------


def make_staff_db(url: str, staff: int) -> None:
    from bot.store.db import create_schema, engine_for, session_scope
    from bot.store.models import Branch, Staff

    create_schema(engine_for(url))
    with session_scope(url) as session:
        session.add(Branch(id=1, code="BENCH", name="压测支行", city="杭州"))
        session.flush()
        session.add_all(
            Staff(id=f"rm{i:03d}", name=f"员工{i}", role="rm", branch_id=1, wecom_userid=f"user{i:03d}")
            for i in range(staff)
        )


def serve_channel(api_base_url: str, db_url: str, rasa_delay_ms: float, rasa_cpu_ms: float, ready) -> None:
    """Child process: the channel in Sanic until terminated. Sends its port through `ready`."""
    os.environ["BOT_DB_URL"] = db_url
    logging.basicConfig(level=logging.WARNING)
    from sanic import Sanic

    from bot.channels.wecom import WeComInput

    credentials = {"token": TOKEN, "encoding_aes_key": AES_KEY, "corp_id": CORP_ID, "corp_secret": "s"}
    channel = WeComInput.from_credentials({**credentials, "agent_id": AGENT_ID, "api_base_url": api_base_url})

    async def stub_rasa(message) -> None:
        if rasa_cpu_ms:
            time.sleep(rasa_cpu_ms / 1000)  # deliberately blocking, like in-loop model inference
        if rasa_delay_ms:
            await asyncio.sleep(rasa_delay_ms / 1000)
        await message.output_channel.send_text_message(message.sender_id, f"收到：{message.text}")

    handler_ms: list[float] = []

    async def main() -> None:
        app = Sanic("channels_bench", configure_logging=False)
        app.blueprint(channel.blueprint(stub_rasa), url_prefix="/webhooks/wecom")

        # Time inside the server, from the parsed request to the response: what the channel itself costs.
        @app.on_request
        async def stamp(request) -> None:
            request.ctx.started = time.perf_counter()

        @app.on_response
        async def record(request, _response) -> None:
            if request.method == "POST":
                handler_ms.append((time.perf_counter() - request.ctx.started) * 1000)

        @app.get("/bench/handler-ms")
        async def handler_times(_request):
            from sanic import response

            return response.json(handler_ms)

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(1024)
        server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
        await server.startup()
        await server.start_serving()
        ready.send(sock.getsockname()[1])
        await asyncio.Event().wait()

    asyncio.run(main())


# -- this process: WeCom --------------------------------------------------------------------------


class Arrivals:
    """When each answer reached the fake Tencent API (tools.fake_tencent), keyed by the message marker."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.waiting: dict[str, asyncio.Event] = {}

    def __call__(self, message: Delivered) -> None:
        marker = message.content.rsplit("#", 1)[-1]
        self.arrived.setdefault(marker, time.perf_counter())
        self.waiting.setdefault(marker, asyncio.Event()).set()


def callback(cipher, user: str, marker: str) -> tuple[dict, bytes]:
    from bot.channels.wx_crypto import sha1_signature

    inner = (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[本周哪些客户理财到期 #{marker}]]></Content><MsgId>{marker}</MsgId>"
        f"<AgentID>{AGENT_ID}</AgentID></xml>"
    )
    encrypted = cipher.encrypt(inner)
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
    signature = sha1_signature(TOKEN, timestamp, nonce, encrypted)
    query = {"msg_signature": signature, "timestamp": timestamp, "nonce": nonce}
    body = f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    return query, body.encode()


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def drive(api: FakeTencentApi, arrivals: Arrivals, url: str, args: argparse.Namespace, channel_pid: int) -> dict:
    from bot.channels.wx_crypto import WxCipher

    cipher = WxCipher(AES_KEY, CORP_ID)
    posted: dict[str, float] = {}
    ack_ms: list[float] = []
    failures: list[str] = []

    async def one(http: aiohttp.ClientSession, user: str, marker: str, record: bool) -> None:
        query, body = callback(cipher, user, marker)
        started = time.perf_counter()
        try:
            async with http.post(url, params=query, data=body) as resp:
                await resp.read()
                if resp.status != 200:
                    failures.append(f"HTTP {resp.status}")
        except aiohttp.ClientError as exc:
            failures.append(type(exc).__name__)
            return
        if record:
            posted[marker] = started
            ack_ms.append((time.perf_counter() - started) * 1000)

    pause = random.Random(7)

    async def staff_member(http: aiohttp.ClientSession, index: int) -> None:
        for n in range(args.per_staff):
            marker = f"{index:03d}{n:04d}"
            answered = arrivals.waiting.setdefault(marker, asyncio.Event())
            await one(http, f"user{index:03d}", marker, record=True)
            if not args.flood:
                try:
                    await asyncio.wait_for(answered.wait(), timeout=10)
                except asyncio.TimeoutError:
                    failures.append("no answer in 10 s")
            if args.think_ms:  # reading the answer and typing the next question
                await asyncio.sleep(args.think_ms / 1000 * pause.uniform(0.5, 1.5))

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=args.staff)) as http:
        for i in range(min(args.staff, 5)):  # warm-up: token, connections, SQLite
            await one(http, f"user{i:03d}", f"warm{i}", record=False)
        await asyncio.sleep(0.5)
        cpu_before, own_cpu_before = cpu_seconds(channel_pid), time.process_time()
        started = time.perf_counter()
        await asyncio.gather(*(staff_member(http, i) for i in range(args.staff)))
        deadline = time.perf_counter() + 10
        while len(set(posted) & set(arrivals.arrived)) < len(posted) and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - started
        cpu_after, own_cpu_after = cpu_seconds(channel_pid), time.process_time()

    send_ms = [(arrivals.arrived[m] - t) * 1000 for m, t in posted.items() if m in arrivals.arrived]
    return {
        "messages": len(posted),
        "answered": len(send_ms),
        "failures": failures,
        "elapsed_s": elapsed,
        "ack_ms": ack_ms,
        "send_ms": send_ms,
        "token_calls": len(api.token_calls),
        "channel_cpu_ms": None if cpu_before is None else (cpu_after - cpu_before) * 1000,
        "generator_cpu_ms": (own_cpu_after - own_cpu_before) * 1000,
    }


async def run(args: argparse.Namespace, db_url: str) -> dict:
    arrivals = Arrivals()
    api = FakeTencentApi(on_delivered=arrivals)
    await api.start()
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=serve_channel, args=(api.base_url, db_url, args.rasa_delay_ms, args.rasa_cpu_ms, send), daemon=True
    )
    child.start()
    try:
        loop = asyncio.get_running_loop()
        if not await loop.run_in_executor(None, receive.poll, 60):
            raise RuntimeError("channel process did not start")
        port = receive.recv()
        url = f"http://127.0.0.1:{port}/webhooks/wecom/webhook"
        result = await drive(api, arrivals, url, args, child.pid)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/bench/handler-ms") as resp:
                result["handler_ms"] = (await resp.json())[-result["messages"] :]
        return result
    finally:
        child.terminate()
        child.join(10)
        await api.stop()


# -- report ---------------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def row(label: str, values: list[float]) -> str:
    if not values:
        return f"| {label} | – | – | – | – |"
    figures = " | ".join(f"{pct(values, p):.1f}" for p in (50, 95, 99))
    return f"| {label} | {figures} | {max(values):.1f} |"


def cpu_pressure() -> str:
    """Share of the last 10 s in which runnable tasks waited for a CPU (Linux PSI), if available."""
    try:
        first = Path("/proc/pressure/cpu").read_text().split("\n")[0]
        return f", CPU pressure {float(first.split('avg10=')[1].split()[0]):.0f}%"
    except (OSError, IndexError, ValueError):
        return ""


def report(result: dict, args: argparse.Namespace) -> str:
    ack = result["ack_ms"]
    verdict = "meets" if ack and pct(ack, 99) <= 50 else "MISSES"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    failures = result["failures"]
    cpu = ""
    if result["channel_cpu_ms"] is not None and result["messages"]:
        cpu = (
            f", CPU per message: channel process {result['channel_cpu_ms'] / result['messages']:.2f} ms, "
            f"WeCom side (load generator + fake API) {result['generator_cpu_ms'] / result['messages']:.2f} ms"
        )
    lines = [
        f"## {datetime.now().strftime('%Y-%m-%d %H:%M')} — {'flood' if args.flood else 'conversation'}: "
        f"{args.staff} staff × {args.per_staff} messages, think time {args.think_ms:g} ms; "
        f"stub Rasa waits {args.rasa_delay_ms:g} ms, "
        f"blocks its loop {args.rasa_cpu_ms:g} ms",
        "",
        f"Machine: {os.cpu_count()} CPUs, shared (at the end: 1-min load average {load:.1f}{cpu_pressure()}), "
        f"Python {platform.python_version()}; loopback; channel and load generator in separate processes.",
        "",
        "| measure | p50 | p95 | p99 | max |",
        "|---|---|---|---|---|",
        row("POST → 200 (ms)", ack),
        row("  of which inside the channel's handler (ms)", result["handler_ms"]),
        row("POST → message/send (ms)", result["send_ms"]),
        "",
        f"{result['messages']} messages, {result['answered']} answered, {len(failures)} failures"
        f"{' (' + ', '.join(sorted(set(failures))) + ')' if failures else ''}, "
        f"{result['messages'] / result['elapsed_s']:.0f} msg/s, {result['token_calls']} gettoken call(s)"
        f"{cpu}. Ack target p99 ≤ 50 ms: {verdict}.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--per-staff", type=int, default=25, help="≤ 29 keeps under WeCom's 30/minute/member limit")
    parser.add_argument("--rasa-delay-ms", type=float, default=0.0, help="stub Rasa awaits this long")
    parser.add_argument("--rasa-cpu-ms", type=float, default=0.0, help="stub Rasa blocks its event loop this long")
    parser.add_argument("--flood", action="store_true", help="do not wait for the answer before the next message")
    parser.add_argument("--think-ms", type=float, default=0.0, help="mean pause before a staff member's next message")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    with tempfile.TemporaryDirectory() as directory:
        db_url = f"sqlite:///{directory}/bench.db"
        make_staff_db(db_url, args.staff)
        result = asyncio.run(run(args, db_url))
    text = report(result, args)
    print(text)
    append_section(args.output, "Channel benchmark results", "benchmarks/channels_bench.py", text)
    return 0 if result["answered"] == result["messages"] and not result["failures"] else 1


if __name__ == "__main__":
    sys.exit(main())
