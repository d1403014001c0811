"""credentials.yml (local) and deploy/credentials.prod.yml load the way `rasa run` loads them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rasa.shared.exceptions import RasaException
from rasa.shared.utils.common import class_from_module_path
from rasa.shared.utils.io import read_config_file
from wx_fakes import AES_KEY

from bot.channels.counter import CounterInput
from bot.channels.dedupe import MemorySeenStore, RedisSeenStore
from bot.channels.wechat import WeChatInput
from bot.channels.wecom import WeComInput

ROOT = Path(__file__).resolve().parents[2]
LOCAL = ROOT / "credentials.yml"
PROD = ROOT / "deploy" / "credentials.prod.yml"

ENV = {
    "WECOM_TOKEN": "wecom-token",
    "WECOM_ENCODING_AES_KEY": AES_KEY,
    "WECOM_CORP_ID": "ww0123456789abcdef",
    "WECOM_APP_SECRET": "wecom-secret",
    "WECOM_AGENT_ID": "1000002",
    "WECHAT_TOKEN": "wechat-token",
    "WECHAT_ENCODING_AES_KEY": AES_KEY,
    "WECHAT_APP_ID": "wx0123456789abcdef",
    "WECHAT_APP_SECRET": "wechat-secret",
    "BOT_COUNTER_JWT_SECRET": "c" * 64,
    "BOT_REDIS_URL": "redis://127.0.0.1:6379/0",
}
OUR_CHANNELS = {
    "bot.channels.wecom.WeComInput": WeComInput,
    "bot.channels.wechat.WeChatInput": WeChatInput,
    "bot.channels.counter.CounterInput": CounterInput,
}


@pytest.fixture
def env(monkeypatch):
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


def build(path: Path) -> dict:
    """What rasa.core.run.create_http_input_channels does, without importing Rasa's whole server."""
    return {
        name: class_from_module_path(name).from_credentials(creds)
        for name, creds in read_config_file(path).items()
        if name in OUR_CHANNELS
    }


def test_production_credentials_have_no_rest_channel_and_only_our_authenticated_channels(env):
    assert set(read_config_file(PROD)) == set(OUR_CHANNELS)


def test_local_credentials_keep_rest_for_development(env):
    assert set(read_config_file(LOCAL)) == {"rest", *OUR_CHANNELS}


@pytest.mark.parametrize("path", [LOCAL, PROD], ids=["local", "prod"])
def test_every_custom_channel_builds_from_the_environment(env, path):
    channels = build(path)
    assert {name: type(c) for name, c in channels.items()} == OUR_CHANNELS
    wecom = channels["bot.channels.wecom.WeComInput"]
    assert wecom.token == "wecom-token" and wecom.api.agent_id == 1000002 and wecom.api.corp_id == "ww0123456789abcdef"


def test_production_deduplicates_through_redis_and_local_in_process(env):
    assert isinstance(build(PROD)["bot.channels.wecom.WeComInput"].seen, RedisSeenStore)
    assert isinstance(build(LOCAL)["bot.channels.wecom.WeComInput"].seen, MemorySeenStore)


SECRET_KEYS = ("token", "encoding_aes_key", "corp_secret", "app_secret", "jwt_secret", "dedupe_redis_url")


@pytest.mark.parametrize("path", [LOCAL, PROD], ids=["local", "prod"])
def test_secrets_are_environment_references_never_values(path):
    lines = [line.strip() for line in path.read_text().splitlines() if line.strip().startswith(SECRET_KEYS)]
    assert lines
    for line in lines:
        assert re.fullmatch(r"[a-z_]+: \$\{[A-Z0-9_]+\}", line.split("#")[0].strip()), line


def test_an_unset_secret_stops_rasa_from_loading_the_file(env, monkeypatch):
    monkeypatch.delenv("WECOM_APP_SECRET")
    with pytest.raises(RasaException, match="WECOM_APP_SECRET"):
        read_config_file(PROD)
