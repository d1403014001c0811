"""The stack conversations are played against: started here on a demo bank, or a running one at a URL.

A local stack is: the trained model (`ensure_model`), a copy of a demo bank generated with a fixed seed for
the scripts' today (cached under var/converse/, rebuilt when the generator changes), the action server with
BOT_TODAY and BOT_DB_URL set, and `rasa run --enable-api` on free loopback ports with a generated endpoints
file (action server, SQLite tracker store in a temporary directory) and credentials file (rest, plus WeCom
and counter when those channels exist, WeCom pointing at the runner's simulated WeCom API).
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import yaml

from bot import action_secret, action_server
from bot.model_files import ROOT, ensure_model
from tools.converse.clients import CounterSettings, WeComSettings, WeComSimulator
from tools.converse.runner import Target

DEMO_SEED = 20261122
DEMO_CUSTOMERS = 6000
CACHE = ROOT / "var" / "converse"
COUNTER_SECRET = "converse-local-counter-secret-0123456789"  # local stacks only; the channel wants >= 32 chars
WECOM_CHANNEL = "bot.channels.wecom"
COUNTER_CHANNEL = "bot.channels.counter"


class StackError(RuntimeError):
    """The stack could not be started or reached; the message says where to look."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _generator_fingerprint(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    sources = sorted((root / "tools" / "demo").rglob("*.py")) + sorted((root / "scoring").rglob("*.py"))
    for f in sources + [root / "bot" / "store" / "models.py"]:
        if f.is_file():
            digest.update(str(f.relative_to(root)).encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()[:12]


def demo_bank(today: date, customers: int = DEMO_CUSTOMERS, seed: int = DEMO_SEED, log: Callable = print) -> Path:
    """The cached demo bank for this today, size and seed; generated (once per generator version) when missing."""
    if importlib.util.find_spec("tools.demo.cli") is None:
        raise StackError("the demo bank generator (tools/demo/cli.py) is not there yet; pass --db with a store")
    CACHE.mkdir(parents=True, exist_ok=True)
    stem = f"demo-{today.isoformat()}-{customers}-{seed}"
    path = CACHE / f"{stem}-{_generator_fingerprint()}.db"
    if path.exists():
        return path
    for stale in [*CACHE.glob(f"{stem}-*.db"), *CACHE.glob(f"{stem}-*.churn.joblib")]:
        stale.unlink()
    partial = path.with_suffix(".partial")
    for leftover in CACHE.glob(partial.name + "*"):
        leftover.unlink()
    log(f"building the demo bank ({customers} customers, seed {seed}, today {today}) -> {path}")
    cmd = [
        sys.executable,
        "-m",
        "tools",
        "demo-data",
        "--customers",
        str(customers),
        "--seed",
        str(seed),
        "--today",
        today.isoformat(),
        "--db",
        f"sqlite:///{partial}",
        "--force",
    ]
    started = time.monotonic()
    done = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise StackError(f"building the demo bank failed:\n{(done.stderr or done.stdout)[-2000:]}")
    # The churn model of this bank, trained on its history as `make run` does for the demo bank.
    done = subprocess.run(
        [sys.executable, "-m", "scoring", "train", "--db", f"sqlite:///{partial}", "--out", str(churn_model_for(path))],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise StackError(f"training the churn model failed:\n{(done.stderr or done.stdout)[-2000:]}")
    _copy_sqlite(partial, path)
    for leftover in CACHE.glob(partial.name + "*"):
        leftover.unlink()
    log(f"demo bank and churn model built in {time.monotonic() - started:.0f} s")
    return path


def churn_model_for(bank: Path) -> Path:
    return bank.with_suffix(".churn.joblib")


def _copy_sqlite(src: Path, dst: Path) -> None:
    """A consistent single-file copy (WAL contents included) through SQLite's backup API."""
    tmp = dst.with_name(dst.name + ".copying")
    with sqlite3.connect(src) as a, sqlite3.connect(tmp) as b:
        a.backup(b)
    a.close()
    b.close()
    tmp.replace(dst)


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false", **extra}
    return env


def channel_available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def credentials(wecom: WeComSimulator | None, counter: CounterSettings | None) -> dict:
    """The channels of a local stack. Keys for WeCom and counter follow bot/channels (from_credentials)."""
    creds: dict = {"rest": None}
    if wecom is not None:
        s = wecom.settings
        creds["bot.channels.wecom.WeComInput"] = {
            "corp_id": s.corp_id,
            "agent_id": s.agent_id,
            "corp_secret": s.secret,
            "token": s.token,
            "encoding_aes_key": s.encoding_aes_key,
            "api_base_url": wecom.api_base,
            "api_attempts": 1,
        }
    if counter is not None:
        creds["bot.channels.counter.CounterInput"] = {"jwt_secret": counter.jwt_secret}
    return creds


def endpoints(action_port: int, tracker_db: Path, actions_secret: str | None = None) -> dict:
    action_endpoint: dict = {"url": f"http://127.0.0.1:{action_port}/webhook"}
    if actions_secret:
        action_endpoint["headers"] = action_secret.headers(actions_secret)
    return {
        "action_endpoint": action_endpoint,
        "tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(tracker_db)},
    }


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _tail(path: Path, chars: int = 3000) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError:
        return ""


def _wait_until(ready: Callable[[], bool], proc: subprocess.Popen, what: str, log_file: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not ready():
        if proc.poll() is not None:
            raise StackError(f"{what} exited with code {proc.returncode}; log {log_file}:\n{_tail(log_file)}")
        if time.monotonic() > deadline:
            raise StackError(f"{what} was not ready after {timeout_s:.0f} s; log {log_file}:\n{_tail(log_file)}")
        time.sleep(0.3)


def _rasa_ready(port: int) -> Callable[[], bool]:
    def ready() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=2) as r:
                return r.status == 200
        except (urllib.error.URLError, OSError):
            return False

    return ready


def _stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@asynccontextmanager
async def local_stack(
    today: date,
    customers: int = DEMO_CUSTOMERS,
    seed: int = DEMO_SEED,
    db_url: str | None = None,
    timeout_s: float = 60.0,
    log: Callable[[str], None] = print,
    keep: Callable[[], bool] = lambda: False,
) -> AsyncIterator[Target]:
    """Start the whole assistant for one `today`; stop it on exit. The run directory (logs, trackers,
    the bank's copy) is removed afterwards unless `keep()` says otherwise (e.g. when something failed)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(prefix=f"run-{today.isoformat()}-", dir=CACHE))
    actions = rasa = None
    simulator: WeComSimulator | None = None
    failed = True
    try:
        model = await asyncio.to_thread(ensure_model)
        churn_env: dict[str, str] = {}
        if db_url is None:
            bank = await asyncio.to_thread(demo_bank, today, customers, seed, log)
            await asyncio.to_thread(_copy_sqlite, bank, run_dir / "demo.db")
            db_url = f"sqlite:///{run_dir / 'demo.db'}"
            churn_env["BOT_CHURN_MODEL"] = str(churn_model_for(bank))
        missing: dict[str, str] = {}
        if channel_available(WECOM_CHANNEL):
            simulator = WeComSimulator(WeComSettings())
            await simulator.start()
        else:
            missing["wecom"] = "bot/channels/wecom.py is not there yet"
        counter = CounterSettings(COUNTER_SECRET) if channel_available(COUNTER_CHANNEL) else None
        if counter is None:
            missing["counter"] = "bot/channels/counter.py is not there yet"
        action_port, rasa_port = free_port(), free_port()
        secret = action_secret.generate()  # this run's own: the action server asks for it (bot/action_secret.py)
        (run_dir / "endpoints.yml").write_text(yaml.safe_dump(endpoints(action_port, run_dir / "trackers.db", secret)))
        (run_dir / "credentials.yml").write_text(yaml.safe_dump(credentials(simulator, counter), allow_unicode=True))
        env = _env(
            BOT_DB_URL=db_url,
            BOT_TODAY=today.isoformat(),
            BOT_COUNTER_JWT_SECRET=COUNTER_SECRET,
            **{action_secret.ENV: secret},
            **churn_env,
        )

        actions_log = run_dir / "actions.log"
        actions = action_server.start(action_port, env=env, log_file=actions_log)
        rasa_log = run_dir / "rasa.log"
        with open(rasa_log, "ab") as out:
            rasa = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "bot",
                    "rasa",
                    "run",
                    "--enable-api",
                    "--model",
                    str(model),
                    "--endpoints",
                    str(run_dir / "endpoints.yml"),
                    "--credentials",
                    str(run_dir / "credentials.yml"),
                    "--port",
                    str(rasa_port),
                    "-i",
                    "127.0.0.1",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        started = time.monotonic()
        await asyncio.to_thread(
            _wait_until, lambda: _port_open(action_port), actions, "the action server", actions_log, 120
        )
        await asyncio.to_thread(_wait_until, _rasa_ready(rasa_port), rasa, "the Rasa server", rasa_log, 300)
        log(
            f"stack up in {time.monotonic() - started:.0f} s (Rasa :{rasa_port}, actions :{action_port}, today {today})"
        )
        yield Target(
            url=f"http://127.0.0.1:{rasa_port}",
            db_url=db_url,
            wecom=simulator,
            counter=counter,
            timeout_s=timeout_s,
            missing_channels=missing,
        )
        failed = keep()
    finally:
        await asyncio.to_thread(_stop, rasa)
        await asyncio.to_thread(_stop, actions)
        if simulator is not None:
            await simulator.stop()
        if failed:
            log(f"logs kept in {run_dir}")
        else:
            shutil.rmtree(run_dir, ignore_errors=True)


@asynccontextmanager
async def running_stack(
    url: str,
    db_url: str | None = None,
    api_token: str | None = None,
    wecom_api_port: int | None = None,
    counter_secret: str | None = None,
    timeout_s: float = 60.0,
) -> AsyncIterator[Target]:
    """A stack someone else runs (for instance the production-style deployment). Only the URL is needed;
    the store (for named queries), the WeCom simulator's port and the counter secret are optional and
    enable the checks and channels that depend on them."""
    await asyncio.to_thread(_reachable, url)
    simulator = None
    missing: dict[str, str] = {}
    if wecom_api_port:
        simulator = WeComSimulator(WeComSettings(api_port=wecom_api_port, **_wecom_from_env()))
        await simulator.start()
    else:
        missing["wecom"] = "start the runner with --wecom-api-port and point the stack's WeCom API base at it"
    counter = CounterSettings(counter_secret) if counter_secret else None
    if counter is None:
        missing["counter"] = "set BOT_COUNTER_JWT_SECRET to the stack's counter secret"
    try:
        yield Target(url.rstrip("/"), db_url, api_token, simulator, counter, timeout_s, missing)
    finally:
        if simulator is not None:
            await simulator.stop()


def _reachable(url: str) -> None:
    """Any HTTP answer will do (a production stack may close the API); no answer at all is a stack error."""
    try:
        urllib.request.urlopen(url.rstrip("/") + "/", timeout=10).close()
    except urllib.error.HTTPError:
        pass
    except (urllib.error.URLError, OSError) as exc:
        raise StackError(f"nothing answers at {url}: {exc}") from None


def _wecom_from_env() -> dict[str, str]:
    """The WeCom app settings of a running stack, when given as environment variables."""
    names = {
        "corp_id": "WECOM_CORP_ID",
        "agent_id": "WECOM_AGENT_ID",
        "secret": "WECOM_APP_SECRET",
        "token": "WECOM_TOKEN",
        "encoding_aes_key": "WECOM_ENCODING_AES_KEY",
    }
    return {key: os.environ[var] for key, var in names.items() if os.environ.get(var)}
