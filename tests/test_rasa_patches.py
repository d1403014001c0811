"""The patches to Rasa internals: pinned to the Rasa they were written for, and behaviour-preserving."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

from bot import rasa_patches


@pytest.fixture()
def shipped():
    """Rasa as shipped for the test, and as the suite had it afterwards."""
    was_applied = rasa_patches.applied()
    rasa_patches.remove()
    yield
    rasa_patches.remove()
    if was_applied:
        rasa_patches.apply()


def _as_shipped(cls: type, attribute: str):
    for patch, original in rasa_patches._originals.items():  # already patched when this module is imported
        if patch.attribute == attribute:
            return original
    return cls.__dict__[attribute]


ORIGINAL_VALIDATE = _as_shipped(RemoteAction, "_validate_action_result")
ORIGINAL_RESOLVE = _as_shipped(Event, "resolve_by_type")


def test_the_installed_rasa_is_the_one_the_patches_were_written_for(shipped):
    # Fails on a Rasa upgrade or a changed source: review bot/rasa_patches.py, then update the pins.
    import rasa

    assert rasa.__version__ == rasa_patches.RASA_VERSION
    for patch in rasa_patches.PATCHES:
        assert rasa_patches.source_fingerprint(getattr(patch.target(), patch.attribute)) == patch.source_sha256


def test_apply_refuses_a_source_it_was_not_written_for_and_patches_nothing(shipped, monkeypatch):
    changed = rasa_patches.Patch(
        rasa_patches.PATCHES[1].owner, rasa_patches.PATCHES[1].attribute, "0" * 64, rasa_patches.PATCHES[1].build
    )
    monkeypatch.setattr(rasa_patches, "PATCHES", (rasa_patches.PATCHES[0], changed))
    with pytest.raises(rasa_patches.RasaPatchError):
        rasa_patches.apply()
    assert RemoteAction.__dict__["_validate_action_result"] is ORIGINAL_VALIDATE  # the first one untouched too
    assert Event.__dict__["resolve_by_type"] is ORIGINAL_RESOLVE


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
def patched(shipped):
    rasa_patches.apply()
    assert RemoteAction.__dict__["_validate_action_result"] is not ORIGINAL_VALIDATE
    assert Event.__dict__["resolve_by_type"] is not ORIGINAL_RESOLVE
    return RemoteAction("action_x", None)


@pytest.mark.parametrize("result", GOOD)
def test_valid_responses_pass_as_before(patched, result):
    assert ORIGINAL_VALIDATE(patched, result) is True
    assert patched._validate_action_result(result) is True


@pytest.mark.parametrize("result", BAD)
def test_invalid_responses_raise_the_same_error_as_before(patched, result):
    with pytest.raises(jsonschema.ValidationError) as before:
        ORIGINAL_VALIDATE(patched, result)
    with pytest.raises(jsonschema.ValidationError) as after:
        patched._validate_action_result(result)
    assert after.value.message == before.value.message
    assert list(after.value.absolute_path) == list(before.value.absolute_path)


EVENTS = [
    {"event": "slot", "name": "customer_name", "value": "王秀英"},
    {"event": "user", "text": "今天先联系谁", "parse_data": {"intent": {"name": "daily_plan", "confidence": 0.9}}},
    {"event": "action", "name": "action_daily_plan"},
    {"event": "followup", "name": "action_listen"},
    {"event": "session_started"},
]


@pytest.mark.parametrize("payload", EVENTS)
def test_events_come_back_as_the_same_objects_as_before(patched, payload):
    rasa_patches.remove()
    before = Event.from_parameters(dict(payload))
    rasa_patches.apply()
    after = [Event.from_parameters(dict(payload)) for _ in range(2)]  # the second from the cache
    assert type(after[0]) is type(before) is type(after[1])
    assert after[0] == before == after[1]


def test_event_lookup_refusals_and_defaults_are_unchanged(patched):
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None
    # a default is not remembered for the name it stood in for
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("action") is ActionExecuted


def test_an_event_class_defined_after_the_first_lookup_is_still_found(patched):
    with pytest.raises(ValueError):
        Event.resolve_by_type("bot_test_late_event")

    class LateEvent(SlotSet):
        type_name = "bot_test_late_event"

    assert Event.resolve_by_type("bot_test_late_event") is LateEvent


def test_apply_twice_patches_once(patched):
    first = RemoteAction.__dict__["_validate_action_result"]
    rasa_patches.apply()
    assert RemoteAction.__dict__["_validate_action_result"] is first


def test_remove_puts_rasa_back_as_shipped(patched):
    rasa_patches.remove()
    assert RemoteAction.__dict__["_validate_action_result"] is ORIGINAL_VALIDATE
    assert Event.__dict__["resolve_by_type"] is ORIGINAL_RESOLVE
    assert not rasa_patches.applied()


def test_python_m_bot_rasa_applies_the_patches_before_rasa_runs(shipped, monkeypatch):
    import rasa.__main__

    from bot import cli

    seen = {}

    def fake_main() -> None:
        import sys

        seen["argv"] = list(sys.argv)
        seen["patched"] = rasa_patches.applied() and RemoteAction.__dict__["_validate_action_result"] is not (
            ORIGINAL_VALIDATE
        )

    monkeypatch.setattr(rasa.__main__, "main", fake_main)
    monkeypatch.setattr("sys.argv", ["python -m bot"])
    assert cli.main(["rasa", "run", "--port", "5005"]) == 0
    assert seen == {"argv": ["rasa", "run", "--port", "5005"], "patched": True}


def test_the_off_switch_leaves_rasa_as_shipped(shipped, monkeypatch):
    monkeypatch.setenv(rasa_patches.OFF_SWITCH, "off")
    rasa_patches.apply()
    assert RemoteAction.__dict__["_validate_action_result"] is ORIGINAL_VALIDATE
    assert Event.__dict__["resolve_by_type"] is ORIGINAL_RESOLVE
