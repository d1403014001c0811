"""The files a local stack is started with, checked against the channels that will read them."""

from __future__ import annotations

from pathlib import Path

from tools.converse.clients import CounterSettings, WeComSettings, WeComSimulator
from tools.converse.stack import COUNTER_SECRET, credentials, endpoints


def test_local_stack_credentials_are_accepted_by_the_wecom_and_counter_channels():
    from bot.channels.counter import CounterInput
    from bot.channels.wecom import WeComInput

    sim = WeComSimulator(WeComSettings())
    sim.port = 5999
    creds = credentials(sim, CounterSettings(COUNTER_SECRET))
    wecom = WeComInput.from_credentials(creds["bot.channels.wecom.WeComInput"])
    assert wecom.api.base_url == "http://127.0.0.1:5999"  # replies go to the runner's simulated WeCom API
    CounterInput.from_credentials(creds["bot.channels.counter.CounterInput"])
    assert "rest" in creds


def test_endpoints_point_rasa_at_the_action_server_and_a_private_tracker_store(tmp_path):
    got = endpoints(5055, tmp_path / "trackers.db")
    assert got["action_endpoint"]["url"] == "http://127.0.0.1:5055/webhook"
    assert got["tracker_store"] == {"type": "SQL", "dialect": "sqlite", "db": str(Path(tmp_path / "trackers.db"))}
