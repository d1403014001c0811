"""The production-style stack for fault drills and hostile input: real PostgreSQL and Redis, two Rasa
instances behind the balancer, the action server, a fake Tencent API, all on loopback.

PostgreSQL (127.0.0.1:5432, trust auth, database `test`) and Redis (127.0.0.1:6379) must be running:
without them these tests FAIL, they never skip. Every session works in a schema of its own (dropped at
the end) and the stack reaches PostgreSQL through a TCP proxy the drills can cut, so the machine's real
server is never stopped.
"""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from sqlalchemy import create_engine, text

from tests.production.constants import CUSTOMERS, PG_URL, REDIS_URL, SECRETS, SEED, TODAY, WECHAT_OPENID
from tests.production.tcp_proxy import CuttableTcpProxy
from tools.fake_tencent import FakeTencentApi
from tools.stack import settings as cfg
from tools.stack.stack import ProductionStack, StackSettings


def require_postgresql(url: str = PG_URL) -> None:
    engine = create_engine(url, future=True, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001
        pytest.fail(f"PostgreSQL is required at {url} and is not reachable: {exc}", pytrace=False)
    finally:
        engine.dispose()


def require_redis(url: str = REDIS_URL) -> None:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is required at {url} and is not reachable: {exc}", pytrace=False)


def via_port(url: str, port: int) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit(":", 1)[0] if parts.port else parts.netloc
    return urlunsplit(parts._replace(netloc=f"{netloc}:{port}"))


@contextmanager
def own_schemas(*suffixes: str):
    """A fresh schema name, with a schema for it and for it + each suffix; all dropped at the end."""
    require_postgresql()
    name = f"prodtest_{os.getpid()}_{secrets.token_hex(4)}"
    schemas = [name] + [name + suffix for suffix in suffixes]
    admin = create_engine(PG_URL, future=True)
    with admin.begin() as conn:
        for schema in schemas:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield name
    finally:
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_schema():
    """A schema of this session's own (and one for its trackers); dropped, with everything in it, at the end."""
    with own_schemas("_trackers") as name:
        yield name


@pytest.fixture(scope="session")
def bank_url(pg_schema) -> str:
    """A small demo bank in PostgreSQL (direct connection, not through the proxy)."""
    from tools.demo.load import generate_bank

    url = cfg.with_schema(PG_URL, pg_schema)
    generate_bank(url, customers=CUSTOMERS, seed=SEED, today=date.fromisoformat(TODAY))
    engine = create_engine(url, future=True)
    with engine.begin() as conn:
        conn.execute(text("UPDATE staff SET wechat_openid = :o WHERE id = 'rm01'"), {"o": WECHAT_OPENID})
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def churn_model_path(tmp_path_factory) -> Path:
    """A small churn model fitted on synthetic rows (the scorer's own tests' recipe): risk answers work."""
    from scoring.model import fit_model, save_model
    from tests.scoring.builders import synthetic_training_set

    X_fit, y_fit = synthetic_training_set(3000, seed=1)
    X_cal, y_cal = synthetic_training_set(1000, seed=2)
    model = fit_model(
        "gbm",
        X_fit,
        y_fit,
        X_cal,
        y_cal,
        trained_on=date(2026, 11, 1),
        booster_overrides={"max_iter": 60, "learning_rate": 0.15},
    )
    return save_model(model, tmp_path_factory.mktemp("churn") / "model.joblib")


@pytest.fixture(scope="session")
def pg_proxy():
    """Between the stack and PostgreSQL; `cut()` is the database going away."""
    require_postgresql()
    host, port = urlsplit(PG_URL).hostname, urlsplit(PG_URL).port or 5432
    proxy = CuttableTcpProxy(host, port).start()
    yield proxy
    proxy.close()


@pytest.fixture(scope="session")
def tencent():
    api = FakeTencentApi(
        SECRETS["WECOM_CORP_ID"], SECRETS["WECOM_APP_SECRET"], SECRETS["WECHAT_APP_ID"], SECRETS["WECHAT_APP_SECRET"]
    ).start_thread()
    yield api
    api.stop_thread()


@pytest.fixture(scope="session")
def stack(bank_url, pg_schema, pg_proxy, tencent, churn_model_path, tmp_path_factory):
    require_redis()
    through_proxy = via_port(bank_url, pg_proxy.port)
    settings = StackSettings(
        db_url=through_proxy,
        tracker_db_url=cfg.with_schema(through_proxy, f"{pg_schema}_trackers"),
        redis_url=REDIS_URL,
        instances=2,
        port=0,
        today=TODAY,
        lock_key_prefix=f"prodtest{os.getpid()}",
        wecom_api_base=tencent.base_url,
        wechat_api_base=tencent.base_url,
        # A lock left by the killed instance expires sooner than in production (30 s): drills stay short.
        extra_env={**SECRETS, "BOT_CHURN_MODEL": str(churn_model_path), "TICKET_LOCK_LIFETIME": "10"},
        run_dir=tmp_path_factory.mktemp("stack"),
    )
    with ProductionStack(settings, log=lambda line: print(line)) as running:
        yield running


@pytest.fixture(scope="session")
def store(bank_url):
    """A direct engine on the test bank (not through the proxy), for checks."""
    engine = create_engine(bank_url, future=True)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def clients(stack, tencent):
    from tests.production.clients import StackClients

    return StackClients(stack.url, tencent)


@pytest.fixture(scope="session")
def wecom_userid(store):
    """Staff id -> WeCom user id in the test bank."""
    with store.connect() as conn:
        rows = conn.execute(text("SELECT id, wecom_userid FROM staff")).all()
    return {r.id: r.wecom_userid for r in rows}


@pytest.fixture
def fresh_pg_url():
    """An empty customer store in a schema of its own (tables created), dropped after the test."""
    from bot.store.db import create_schema, engine_for

    with own_schemas() as name:
        url = cfg.with_schema(PG_URL, name)
        engine = create_engine(url, future=True)
        create_schema(engine)
        engine.dispose()
        yield url
        engine_for.cache_clear()  # pools of the per-URL engines the code under test opened
