"""The patches to Rasa internals: pinned to the Rasa they were written for, and behaviour-preserving."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot import rasa_patches

ORIGINAL = RemoteAction._validate_action_result


def test_the_installed_rasa_is_the_one_the_patches_were_written_for():
    # Fails on a Rasa upgrade or a changed validator: review bot/rasa_patches.py, then update the pins.
    import rasa

    assert rasa.__version__ == rasa_patches.RASA_VERSION
    assert rasa_patches.source_fingerprint(ORIGINAL) == rasa_patches.VALIDATE_SOURCE_SHA256


def test_apply_refuses_a_source_it_was_not_written_for(monkeypatch):
    monkeypatch.setattr(rasa_patches, "VALIDATE_SOURCE_SHA256", "0" * 64)
    monkeypatch.setattr(rasa_patches, "_applied", False)
    with pytest.raises(rasa_patches.RasaPatchError):
        rasa_patches.apply()
    assert RemoteAction._validate_action_result is ORIGINAL


GOOD = [
    {"events": [], "responses": []},
    {
        "events": [{"event": "slot", "name": "last_list", "value": {"kind": "risk", "offset": 10}}],
        "responses": [{"text": "您好", "buttons": []}],
    },
    {},
]
BAD = [
    {"events": [{"event": "no_such_event"}], "responses": []},
    {"events": "not a list"},
    {"responses": [1, 2]},
]


@pytest.fixture()
def patched(monkeypatch):
    monkeypatch.setattr(rasa_patches, "_applied", False)
    monkeypatch.setattr(RemoteAction, "_validate_action_result", ORIGINAL)
    rasa_patches.apply()
    assert RemoteAction._validate_action_result is not ORIGINAL
    return RemoteAction("action_x", None)


@pytest.mark.parametrize("result", GOOD)
def test_valid_responses_pass_as_before(patched, result):
    assert ORIGINAL(patched, result) is True
    assert patched._validate_action_result(result) is True


@pytest.mark.parametrize("result", BAD)
def test_invalid_responses_raise_the_same_error_as_before(patched, result):
    with pytest.raises(jsonschema.ValidationError) as before:
        ORIGINAL(patched, result)
    with pytest.raises(jsonschema.ValidationError) as after:
        patched._validate_action_result(result)
    assert after.value.message == before.value.message
    assert list(after.value.absolute_path) == list(before.value.absolute_path)


def test_apply_twice_patches_once(patched):
    first = RemoteAction._validate_action_result
    rasa_patches.apply()
    assert RemoteAction._validate_action_result is first


def test_python_m_bot_rasa_applies_the_patches_before_rasa_runs(monkeypatch):
    import rasa.__main__

    from bot import cli

    seen = {}

    def fake_main() -> None:
        import sys

        seen["argv"] = list(sys.argv)
        seen["patched"] = RemoteAction._validate_action_result is not ORIGINAL

    monkeypatch.setattr(rasa_patches, "_applied", False)
    monkeypatch.setattr(RemoteAction, "_validate_action_result", ORIGINAL)
    monkeypatch.setattr(rasa.__main__, "main", fake_main)
    monkeypatch.setattr("sys.argv", ["python -m bot"])
    assert cli.main(["rasa", "run", "--port", "5005"]) == 0
    assert seen == {"argv": ["rasa", "run", "--port", "5005"], "patched": True}


def test_the_off_switch_leaves_rasa_as_shipped(monkeypatch):
    monkeypatch.setattr(rasa_patches, "_applied", False)
    monkeypatch.setattr(RemoteAction, "_validate_action_result", ORIGINAL)
    monkeypatch.setenv(rasa_patches.OFF_SWITCH, "off")
    rasa_patches.apply()
    assert RemoteAction._validate_action_result is ORIGINAL
