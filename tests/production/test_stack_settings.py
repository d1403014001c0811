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
