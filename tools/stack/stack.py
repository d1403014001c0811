"""The production-style stack on one machine, without Docker:

    action server (bot.action_server)  <-  Rasa instance 1..N  <-  HAProxy (deploy/haproxy.cfg)  <-  WeCom / WeChat / counter
                                     |  tracker store: PostgreSQL (SQL)
                                     |  lock store:    Redis
                                     |  customer store: PostgreSQL (BOT_DB_URL), seen-messages: Redis

Every Rasa instance runs `rasa run` with deploy/endpoints.prod.yml and deploy/credentials.prod.yml, the
files a real deployment uses; this module only supplies the environment they reference (see
`tools.stack.settings`). deploy/docker-compose.yml runs the same commands, one container each.
"""

from __future__ import annotations

import os
import shutil
import sys
import tarfile
import tempfile
import time
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import create_engine, text

from bot import action_server
from bot.model_files import ROOT, ensure_model
from tools.stack import haproxy
from tools.stack import settings as cfg
from tools.stack.processes import ManagedProcess, StackError, port_open, server_port

ENDPOINTS = ROOT / "deploy" / "endpoints.prod.yml"
CREDENTIALS = ROOT / "deploy" / "credentials.prod.yml"


@dataclass
class StackSettings:
    db_url: str = cfg.DEFAULT_PG  # customer store
    tracker_db_url: str | None = None  # default: db_url's database, schema rasa_trackers
    redis_url: str = cfg.DEFAULT_REDIS_URL
    instances: int = 2
    host: str = "127.0.0.1"  # where the balancer listens
    port: int = 5005  # the balancer's port (0: any free one)
    rasa_ports: list[int] = field(default_factory=list)  # default: free ports
    action_port: int = 0  # default: a free port
    today: str | None = None  # BOT_TODAY
    model: Path | None = None  # default: the trained model for the current data (trained if missing)
    lock_key_prefix: str = "rmassist"
    run_dir: Path | None = None  # logs; default a new directory under var/stack/
    api_token: str | None = None  # enables Rasa's HTTP API on each instance, protected by this token
    # Where the channels send replies. None: Tencent's servers, as deploy/credentials.prod.yml says.
    # Drills and the load generator point these at a fake API on loopback.
    wecom_api_base: str | None = None
    wechat_api_base: str | None = None
    alerts: bool = False  # also run the pushes' watcher (python -m bot alerts watch) on the customer store
    extra_env: dict[str, str] = field(default_factory=dict)

    def tracker_url(self) -> str:
        return self.tracker_db_url or cfg.with_schema(self.db_url, cfg.DEFAULT_TRACKER_SCHEMA)


def ensure_pg_schema(url: str) -> None:
    """Create the schema a PostgreSQL URL's search_path names, if it is missing."""
    schema = cfg.schema_of(url)
    if not url.startswith("postgresql") or not schema:
        return
    base = url.split("?", 1)[0]
    engine = create_engine(base, future=True, connect_args={"connect_timeout": cfg.CONNECT_TIMEOUT_S})
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    finally:
        engine.dispose()


def answers(url: str) -> Callable[[], bool]:
    """Ready when GET `url` answers 200. Rasa listens only once its model is loaded, and its HTTP API
    (/status) is closed in production, so a channel's health route is the readiness check."""

    def ready() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    return ready


class ProductionStack:
    """Start with `start()` (or `with ProductionStack(settings) as stack:`), stop with `stop()`."""

    def __init__(self, settings: StackSettings, log: Callable[[str], None] = print) -> None:
        self.settings = settings
        self.log = log
        self.run_dir = settings.run_dir or Path(tempfile.mkdtemp(prefix="stack-", dir=_var_stack()))
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.secrets = cfg.channel_secrets({**os.environ, **settings.extra_env})
        self.action_port = settings.action_port or server_port()
        ports = list(settings.rasa_ports) or [server_port() for _ in range(settings.instances)]
        if len(ports) != settings.instances:
            raise ValueError("give one Rasa port per instance")
        self.rasa_ports = ports
        self.balancer_port = settings.port if settings.port else server_port()
        self.admin_port = server_port()  # HAProxy's internal port: /healthz and its stats page
        self.env = self._environment()
        self.credentials = self._credentials_file()
        self.actions = self._action_server()
        self.rasa = [self._rasa_instance(i, p) for i, p in enumerate(ports)]
        self.balancer = self._balancer()
        self.watcher = self._watcher() if settings.alerts else None

    # -- addresses -------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """Where clients (WeCom, WeChat, counter terminals) send their requests."""
        return f"http://127.0.0.1:{self.balancer_port}"

    @property
    def admin_url(self) -> str:
        """The balancer's internal port (health, stats): never where clients connect."""
        return f"http://127.0.0.1:{self.admin_port}"

    @property
    def rasa_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p in self.rasa_ports]

    # -- the environment deploy/*.prod.yml reference ---------------------------------------------
    def _environment(self) -> dict[str, str]:
        s = self.settings
        host, port = cfg.redis_parts(s.redis_url)
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "RASA_TELEMETRY_ENABLED": "false",
            "BOT_DB_URL": cfg.with_timeouts(s.db_url),
            "BOT_TRACKER_DB_URL": cfg.with_timeouts(s.tracker_url()),
            "BOT_REDIS_URL": s.redis_url,
            "BOT_REDIS_HOST": host,
            "BOT_REDIS_PORT": str(port),
            "BOT_LOCK_KEY_PREFIX": s.lock_key_prefix,
            "BOT_ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.action_port}/webhook",
            "SQL_POOL_SIZE": str(cfg.RASA_SQL_POOL_SIZE),
            "SQL_MAX_OVERFLOW": str(cfg.RASA_SQL_MAX_OVERFLOW),
            "TICKET_LOCK_LIFETIME": str(cfg.TICKET_LOCK_LIFETIME_S),
            **self.secrets.values,
            **s.extra_env,
        }
        if s.today:
            env["BOT_TODAY"] = s.today
        return env

    def _credentials_file(self) -> Path:
        """deploy/credentials.prod.yml itself, or a copy of it with the API base URLs replaced."""
        s = self.settings
        if not (s.wecom_api_base or s.wechat_api_base):
            return CREDENTIALS
        # BaseLoader keeps every value a plain string, ${VAR} references included (Rasa expands them).
        creds = yaml.load(CREDENTIALS.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        for key, base in (
            ("bot.channels.wecom.WeComInput", s.wecom_api_base),
            ("bot.channels.wechat.WeChatInput", s.wechat_api_base),
        ):
            if base:
                creds[key]["api_base_url"] = base
        path = self.run_dir / "credentials.yml"
        path.write_text(
            "# deploy/credentials.prod.yml with API base URLs for a fake Tencent API\n"
            + yaml.safe_dump(creds, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        return path

    # -- processes -------------------------------------------------------------------------------
    def _action_server(self) -> ManagedProcess:
        return ManagedProcess(
            "the action server",
            action_server.command(self.action_port, "127.0.0.1"),
            self.env,
            self.run_dir / "actions.log",
            lambda: port_open(self.action_port),
            120,
        )

    def _rasa_instance(self, index: int, port: int) -> ManagedProcess:
        argv = [
            sys.executable,
            "-m",
            "bot",
            "rasa",
            "run",
            "--model",
            "MODEL",  # filled in at start: the model may need training first
            "--endpoints",
            str(ENDPOINTS),
            "--credentials",
            str(self.credentials),
            "--port",
            str(port),
            "-i",
            "127.0.0.1",
            "--response-timeout",
            str(cfg.RESPONSE_TIMEOUT_S),
        ]
        if self.settings.api_token:
            argv += ["--enable-api", "--auth-token", self.settings.api_token]
        return ManagedProcess(
            f"Rasa instance {index + 1}",
            argv,
            self.env,
            self.run_dir / f"rasa-{index + 1}.log",
            answers(f"http://127.0.0.1:{port}/webhooks/counter/"),
            420,
        )

    def _balancer(self) -> ManagedProcess:
        backends = haproxy.write_backends(self.run_dir, self.rasa_urls)
        env = {**self.env, **haproxy.environment(self.settings.host, self.balancer_port, self.admin_port)}
        return ManagedProcess(
            "the balancer (HAProxy)",
            haproxy.command(backends),
            env,
            self.run_dir / "balancer.log",
            answers(f"{self.admin_url}/healthz"),
            60,
        )

    def _watcher(self) -> ManagedProcess:
        """The pushes (#14): detectors every 30 s and the morning briefing, on the customer store (PostgreSQL)."""
        argv = [sys.executable, "-m", "bot", "alerts", "watch", "--db", self.env["BOT_DB_URL"]]
        argv += ["--credentials", str(self.credentials)]
        if self.settings.wecom_api_base:
            argv += ["--wecom-api-base", self.settings.wecom_api_base]
        log = self.run_dir / "alerts.log"
        # Ready once it has logged its first pass (the watcher has no port).
        return ManagedProcess("the alerts watcher", argv, self.env, log, lambda: _logged(log, "watching"), 120)

    def start(self) -> ProductionStack:
        started = time.monotonic()
        try:
            self._preflight()
            model = self._model_copy()
            for p in self.rasa:
                p.argv[p.argv.index("--model") + 1] = str(model)
            ensure_pg_schema(self.env["BOT_TRACKER_DB_URL"])
            # Side by side: Rasa copes with instances creating the tracker tables at the same time.
            for p in (self.actions, *self.rasa):
                p.spawn()
            for p in (self.actions, *self.rasa):
                p.wait_ready()
            for p in self.rasa:
                # Rasa serves even when its model failed to load; a stack that cannot answer is not up.
                if "Could not load model" in p.tail(200_000):
                    raise StackError(f"{p.name} could not load the model; log {p.log_file}:\n{p.tail()}")
            self.balancer.start()
            if self.watcher is not None:
                self.watcher.start()
        except BaseException:
            self.stop()
            raise
        self.log(
            f"stack up in {time.monotonic() - started:.0f} s: balancer {self.url} -> "
            f"{', '.join(self.rasa_urls)}; actions :{self.action_port}; logs {self.run_dir}"
        )
        return self

    def _model_copy(self, attempts: int = 3) -> Path:
        """A private, verified copy of the model: others may retrain (and replace) models/ meanwhile."""
        target = self.run_dir / "model.tar.gz"
        for attempt in range(attempts):
            source = self.settings.model or ensure_model()
            try:
                shutil.copyfile(source, target)
                with tarfile.open(target, "r:gz") as archive:
                    for member in archive:  # reads every block: a half-written copy fails here
                        if member.isfile():
                            archive.extractfile(member).read()
                return target
            except (OSError, tarfile.TarError, EOFError, zlib.error) as exc:
                if attempt + 1 == attempts:
                    raise StackError(f"the model {source} is not readable: {exc}") from None
                time.sleep(10)  # being written by a training run: wait for it
        raise AssertionError("unreachable")

    def _preflight(self) -> None:
        for name in ("db_url", "tracker_url"):
            url = getattr(self.settings, name) if name == "db_url" else self.settings.tracker_url()
            if not url.startswith("postgresql"):
                raise StackError(f"the production-style stack runs on PostgreSQL; {name} is {url.split(':', 1)[0]}")
        host, port = cfg.redis_parts(self.settings.redis_url)
        import redis

        try:
            redis.Redis(host=host, port=port, socket_connect_timeout=3, socket_timeout=3).ping()
        except redis.RedisError as exc:
            raise StackError(f"Redis is not reachable at {host}:{port}: {exc}") from None
        engine = create_engine(cfg.with_timeouts(self.settings.db_url), future=True)
        try:
            with engine.connect() as conn:
                staff = conn.execute(text("SELECT count(*) FROM staff")).scalar_one()
        except Exception as exc:  # noqa: BLE001 - any failure here means the store is not usable
            raise StackError(
                f"the customer store at {self.settings.db_url} is not usable ({type(exc).__name__}); "
                "load a bank first: python -m tools demo-data --db URL"
            ) from None
        finally:
            engine.dispose()
        if not staff:
            raise StackError("the customer store has no staff: load a bank first (python -m tools demo-data --db URL)")

    @property
    def processes(self) -> list[ManagedProcess]:
        return [p for p in (self.actions, *self.rasa, self.balancer, self.watcher) if p is not None]

    def stop(self) -> None:
        for p in reversed(self.processes):
            p.stop()

    def __enter__(self) -> ProductionStack:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    # -- drills ----------------------------------------------------------------------------------
    def kill_rasa(self, index: int) -> None:
        self.rasa[index].kill()

    def restart_rasa(self, index: int) -> None:
        self.rasa[index].start()

    def restart_actions(self) -> None:
        self.actions.restart()

    def balancer_status(self) -> dict:
        return haproxy.status(self.admin_url)

    def client_env(self) -> dict[str, str]:
        """What a client of this stack needs: its URL and the channel secrets."""
        return {"BOT_STACK_URL": self.url, **self.secrets.values}


def _logged(log: Path, word: str) -> bool:
    try:
        return word in log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def _var_stack() -> Path:
    path = ROOT / "var" / "stack"
    path.mkdir(parents=True, exist_ok=True)
    return path
