"""How the stack builds its PostgreSQL URLs and the environment deploy/*.prod.yml reference."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tools.stack import settings as cfg

BASE = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"


def options(url: str) -> str:
    return parse_qs(urlsplit(url).query)["options"][0]


def test_schema_goes_into_the_search_path_and_replaces_an_earlier_one():
    url = cfg.with_schema(cfg.with_schema(BASE, "bank1m"), "rasa_trackers")
    assert cfg.schema_of(url) == "rasa_trackers"
    assert options(url) == "-csearch_path=rasa_trackers"


def test_timeouts_are_added_once_and_keep_the_schema():
    url = cfg.with_timeouts(cfg.with_timeouts(cfg.with_schema(BASE, "bank1m")))
    query = parse_qs(urlsplit(url).query)
    assert query["connect_timeout"] == [str(cfg.CONNECT_TIMEOUT_S)]
    assert options(url).split() == ["-csearch_path=bank1m", f"-cstatement_timeout={cfg.STATEMENT_TIMEOUT_MS}"]


def test_timeouts_set_by_the_operator_are_kept():
    url = cfg.with_timeouts(BASE + "?connect_timeout=2&options=-cstatement_timeout%3D500")
    assert parse_qs(urlsplit(url).query)["connect_timeout"] == ["2"]
    assert options(url) == "-cstatement_timeout=500"


def test_sqlite_urls_are_left_alone():
    assert cfg.with_timeouts("sqlite:///var/demo.db") == "sqlite:///var/demo.db"


def test_missing_channel_secrets_get_throwaway_values_and_are_named():
    got = cfg.channel_secrets({"WECOM_TOKEN": "from-env"})
    assert got.values["WECOM_TOKEN"] == "from-env"
    assert "WECOM_TOKEN" not in got.generated and "BOT_COUNTER_JWT_SECRET" in got.generated
    assert len(got.values["WECOM_ENCODING_AES_KEY"]) == 43 and len(got.values["BOT_COUNTER_JWT_SECRET"]) >= 32
    assert set(got.values) == set(cfg.CHANNEL_VARS)


def test_the_stack_hands_rasa_and_the_action_server_the_same_secret(tmp_path, monkeypatch):
    """deploy/endpoints.prod.yml, read by Rasa with the stack's environment, sends the secret the action
    server was started with; and the action server listens on loopback."""
    from rasa.core.utils import AvailableEndpoints

    from bot import action_secret
    from tools.stack.stack import ENDPOINTS, ProductionStack, StackSettings

    monkeypatch.delenv(action_secret.ENV, raising=False)
    stack = ProductionStack(StackSettings(run_dir=tmp_path))
    secret = stack.env[action_secret.ENV]
    assert len(secret) >= action_secret.MIN_LENGTH and action_secret.ENV in stack.secrets.generated
    assert stack.actions.env[action_secret.ENV] == secret
    argv = stack.actions.argv
    assert argv[argv.index("--host") + 1] == "127.0.0.1"
    for name, value in stack.env.items():
        monkeypatch.setenv(name, value)
    endpoints = AvailableEndpoints.read_endpoints(str(ENDPOINTS))
    assert endpoints.action.headers == action_secret.headers(secret)
    assert endpoints.lock_store.type == "bot.lock_store.AtomicRedisLockStore"


def test_an_operator_secret_is_kept(tmp_path, monkeypatch):
    from bot import action_secret
    from tools.stack.stack import ProductionStack, StackSettings

    monkeypatch.setenv(action_secret.ENV, "operator-secret-0123456789")
    stack = ProductionStack(StackSettings(run_dir=tmp_path))
    assert stack.env[action_secret.ENV] == "operator-secret-0123456789"
    assert action_secret.ENV not in stack.secrets.generated


def test_the_stack_can_run_the_alerts_watcher_with_the_tested_command(tmp_path, monkeypatch):
    from tools.stack.stack import ProductionStack, StackSettings

    settings = StackSettings(
        run_dir=tmp_path, db_url="postgresql+psycopg2://postgres@127.0.0.1:5432/test", instances=1,
        wecom_api_base="http://127.0.0.1:5999", alerts=True,
    )  # fmt: skip
    stack = ProductionStack(settings)
    argv = stack.watcher.argv
    assert argv[1:5] == ["-m", "bot", "alerts", "watch"]
    assert argv[argv.index("--db") + 1] == stack.env["BOT_DB_URL"]
    assert argv[argv.index("--wecom-api-base") + 1] == "http://127.0.0.1:5999"
    assert stack.processes[-1] is stack.watcher
    assert ProductionStack(StackSettings(run_dir=tmp_path / "b", instances=1)).watcher is None
