"""The patches to Rasa internals: pinned to the Rasa they were written for, and behaviour-preserving."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

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
ORIGINAL_CALL_FORMAT = _as_shipped(RemoteAction, "_action_call_format")
ORIGINAL_PAST_STATES = _as_shipped(DialogueStateTracker, "past_states")


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


def _conversation():
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import BotUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load("domain.yml")
    tracker = DialogueStateTracker.from_events(
        "rm01",
        [
            UserUttered("谁最可能流失", {"name": "query_churn_risk", "confidence": 0.9}, [], message_id="m1"),
            ActionExecuted("action_query_churn_risk"),
            SlotSet("last_list", "[1, 2, 3]"),
            BotUttered("1. 王秀英 …"),
            ActionExecuted("action_listen"),
            UserUttered(
                "第三个为什么这么高",
                {"name": "explain_risk", "confidence": 1.0},
                [{"entity": "top_n", "start": 0, "end": 3, "value": "第三个"}],
                message_id="m2",
            ),
        ],
        domain.slots,
    )
    return tracker, domain


def test_the_action_call_carries_everything_but_earlier_nlu_results(patched):
    tracker, domain = _conversation()
    action = RemoteAction("action_explain_risk", None)
    before = ORIGINAL_CALL_FORMAT(action, tracker, domain)
    after = action._action_call_format(tracker, domain)
    assert {k: v for k, v in after.items() if k != "tracker"} == {k: v for k, v in before.items() if k != "tracker"}
    assert {k: v for k, v in after["tracker"].items() if k != "events"} == {
        k: v for k, v in before["tracker"].items() if k != "events"
    }  # latest_message, slots, active loop … unchanged
    old, new = before["tracker"]["events"], after["tracker"]["events"]
    assert [e["event"] for e in new] == [e["event"] for e in old]
    users = [i for i, e in enumerate(old) if e["event"] == "user"]
    assert "parse_data" in old[users[0]] and "parse_data" not in new[users[0]]
    assert new[users[0]] == {k: v for k, v in old[users[0]].items() if k != "parse_data"}
    assert new[users[-1]] == old[users[-1]]  # the message being answered, whole
    assert all(new[i] == old[i] for i in range(len(old)) if i not in users[:-1])


def test_no_action_reads_an_earlier_messages_nlu_result():
    """The lighter action call drops `parse_data` of earlier user events: an action that read it would break."""
    from pathlib import Path

    readers = [p.name for p in Path("actions").glob("*.py") if "parse_data" in p.read_text(encoding="utf-8")]
    assert readers == [], "actions read parse_data: see the lighter action call in bot/rasa_patches.py"


RULE_ONLY = {"rule_only_slots": ["requested_slot"], "rule_only_loops": []}


@pytest.mark.parametrize("args", [{}, {"ignore_rule_only_turns": True, "rule_only_data": RULE_ONLY}])
def test_the_trackers_states_are_rasas_on_every_call_and_after_every_new_event(patched, args):
    tracker, domain = _conversation()
    expected = ORIGINAL_PAST_STATES(tracker, domain, **args)
    first = tracker.past_states(domain, **args)
    assert first == expected
    first[-1]["user"].pop("intent", None)  # the featurizers edit what they get: no later call may see it
    first.pop()
    assert tracker.past_states(domain, **args) == expected
    tracker.update(ActionExecuted("action_explain_risk"))
    assert tracker.past_states(domain, **args) == ORIGINAL_PAST_STATES(tracker, domain, **args) != expected


def test_one_prediction_replays_the_history_once(patched, monkeypatch):
    tracker, domain = _conversation()
    replays = []
    replay = type(domain).states_for_tracker_history
    monkeypatch.setattr(
        type(domain), "states_for_tracker_history", lambda *a, **k: replays.append(1) or replay(*a, **k)
    )
    for _ in range(3):  # RulePolicy twice, MemoizationPolicy once, with the same arguments
        tracker.past_states(domain, rule_only_data=RULE_ONLY)
    assert len(replays) == 1


def test_another_tracker_of_the_same_length_gets_its_own_states(patched):
    tracker, domain = _conversation()
    other, _ = _conversation()
    other.update(ActionExecuted("action_customer_profile"))
    tracker.update(ActionExecuted("action_ask_script"))
    assert tracker.past_states(domain) == ORIGINAL_PAST_STATES(tracker, domain)
    assert other.past_states(domain) == ORIGINAL_PAST_STATES(other, domain) != tracker.past_states(domain)


def test_apply_twice_patches_once(patched):
    first = RemoteAction.__dict__["_validate_action_result"]
    rasa_patches.apply()
    assert RemoteAction.__dict__["_validate_action_result"] is first


def test_remove_puts_rasa_back_as_shipped(patched):
    rasa_patches.remove()
    assert RemoteAction.__dict__["_validate_action_result"] is ORIGINAL_VALIDATE
    assert Event.__dict__["resolve_by_type"] is ORIGINAL_RESOLVE
    assert RemoteAction.__dict__["_action_call_format"] is ORIGINAL_CALL_FORMAT
    assert DialogueStateTracker.__dict__["past_states"] is ORIGINAL_PAST_STATES
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
