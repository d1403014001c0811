"""Small, pinned patches to Rasa internals, applied in every process that runs Rasa (`python -m bot rasa`, the chat).

Each patch names the Rasa version it was written against and a fingerprint of the source it replaces:
`apply()` refuses to patch anything else (tests/test_rasa_patches.py fails on an upgrade), so a new Rasa
release is reviewed rather than silently patched. Each removes work Rasa 3.6 repeats on every turn and
changes no result (benchmarks/turn_cpu.py measures them side by side with Rasa as shipped, and lists the
top costs of a turn with --profile).

- Cached action-response validator. `RemoteAction._validate_action_result` calls `jsonschema.validate`,
  which re-checks the schema against the metaschema and builds a validator on every action call: about
  20 ms of CPU per call here, a fifth of a turn. The schema is a constant, so the validator is built once;
  validation itself (the same checks, the same error, the same message suffix) is unchanged.
- Cached event-type lookup. `Event.resolve_by_type` walks every subclass of `Event` (calling
  `inspect.isabstract` on each) for every event it turns back into an object: each event of every action
  response and of every tracker the tracker store loads. The first match for a name is remembered; a
  name not found (or answered with the caller's default) is never remembered, so an event class defined
  later is still found as before.
- A lighter action call. `RemoteAction._action_call_format` sends the action server every event of the
  session, each earlier user message with its whole NLU result (intent ranking, entities, extractors).
  The actions read the latest message (the tracker's `latest_message`, sent whole) and, of earlier
  events, only their kind, name, value and timestamp; no module of actions/ reads `parse_data`
  (tests/test_rasa_patches.py checks that). So the earlier user events go without `parse_data`, and the
  rest of the request is unchanged: the same events, in order, with the same other fields.
- The tracker's states once per prediction. `DialogueStateTracker.past_states` replays the session's
  events into a list of states, and one prediction asks for it three times with the same arguments
  (RulePolicy twice, MemoizationPolicy once): 16% of an instance's Python time under load. The states of
  the tracker being predicted are kept while its events stay the same (their number and the last event
  object), and every call gets its own copy of them, since the featurizers edit the states they get.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

RASA_VERSION = "3.6.21"
OFF_SWITCH = "BOT_RASA_PATCHES"  # "off": run Rasa as shipped (to compare, or if a patch ever misbehaves)


class RasaPatchError(RuntimeError):
    """The installed Rasa is not the one the patches were written for."""


@dataclass(frozen=True)
class Patch:
    owner: str  # "module:Class"
    attribute: str
    source_sha256: str  # of inspect.getsource(owner.attribute) in RASA_VERSION
    build: Callable[[Any], Any]  # the original attribute (as stored in the class) -> its replacement

    def target(self) -> type:
        import importlib

        module, cls = self.owner.split(":")
        return getattr(importlib.import_module(module), cls)

    @property
    def name(self) -> str:
        return f"{self.owner.split(':')[1]}.{self.attribute}"


def source_fingerprint(func: Any) -> str:
    return hashlib.sha256(inspect.getsource(func).encode()).hexdigest()


def _cached_validator(original: Any) -> Any:
    from jsonschema.exceptions import best_match  # type: ignore[import-untyped]
    from jsonschema.validators import validator_for  # type: ignore[import-untyped]
    from rasa.core.actions.action import DOCS_BASE_URL, RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, as jsonschema.validate would on every call
    validator = cls(schema)

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))  # what jsonschema.validate raises
        if error is not None:
            error.message += (
                ". Failed to validate Action server response from API, "
                "make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise error
        return True

    return _validate_action_result


def _cached_event_types(original: Any) -> Any:
    resolve = original.__func__  # stored as a staticmethod
    found: dict[str, type] = {}

    def resolve_by_type(type_name: str, default: type | None = None) -> type | None:
        cls = found.get(type_name)
        if cls is not None:
            return cls
        cls = resolve(type_name, default)  # raises for an unknown name without a default, as before
        if cls is not None and cls is not default:
            found[type_name] = cls
        return cls

    return staticmethod(resolve_by_type)


def _lighter_action_call(original: Any) -> Any:
    def _action_call_format(self: Any, tracker: Any, domain: Any) -> dict[str, Any]:
        result = original(self, tracker, domain)
        result["tracker"]["events"] = without_earlier_nlu(result["tracker"]["events"])
        return result

    return _action_call_format


def without_earlier_nlu(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events, the user messages before the last one without their NLU result (`parse_data`)."""
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    return [
        {k: v for k, v in e.items() if k != "parse_data"} if e.get("event") == "user" and i != last_user else e
        for i, e in enumerate(events)
    ]


def _states_once_per_prediction(original: Any) -> Any:
    # One tracker at a time: a prediction runs without yielding to the event loop, so the tracker asked about
    # last is the one being predicted; another tracker, or new events, start afresh.
    kept: dict[str, Any] = {"tracker": None, "states": {}}

    def past_states(
        self: Any,
        domain: Any,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        events = self.events
        key = (len(events), id(events[-1]) if events else None, id(domain), omit_unset_slots, ignore_rule_only_turns,
               repr(rule_only_data))  # fmt: skip
        owner = kept["tracker"]
        if owner is None or owner() is not self:
            kept["tracker"], kept["states"] = weakref.ref(self), {}
        states = kept["states"].get(key)
        if states is None:
            states = original(self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
            if len(kept["states"]) >= 8:  # histories this tracker no longer has
                kept["states"].clear()
            kept["states"][key] = states
        return [{name: dict(sub) for name, sub in state.items()} for state in states]

    return past_states


PATCHES = (
    Patch(
        "rasa.core.actions.action:RemoteAction",
        "_validate_action_result",
        "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42",
        _cached_validator,
    ),
    Patch(
        "rasa.shared.core.events:Event",
        "resolve_by_type",
        "b5cf570fa7f286c7059ec73d8880528d03a78b28cf4e80285a46079c0fa65968",
        _cached_event_types,
    ),
    Patch(
        "rasa.core.actions.action:RemoteAction",
        "_action_call_format",
        "428795b944f22edba142d278ec47a30098975b01463ba337ec447dade52a0492",
        _lighter_action_call,
    ),
    Patch(
        "rasa.shared.core.trackers:DialogueStateTracker",
        "past_states",
        "5463eefb5c69d27f82cdc7eca84e23b4b82851e9a5ff575bd02447d4d987103b",
        _states_once_per_prediction,
    ),
)

_originals: dict[Patch, Any] = {}  # the attributes as Rasa shipped them, while patched


def check_versions() -> None:
    import rasa

    if rasa.__version__ != RASA_VERSION:
        raise RasaPatchError(f"bot/rasa_patches.py was written for Rasa {RASA_VERSION}, found {rasa.__version__}")
    for patch in PATCHES:
        if patch in _originals:
            continue
        got = source_fingerprint(getattr(patch.target(), patch.attribute))
        if got != patch.source_sha256:
            raise RasaPatchError(f"{patch.name} changed (sha256 {got}); review bot/rasa_patches.py")


def applied() -> bool:
    return bool(_originals)


def apply() -> None:
    """Patch once per process; a second call does nothing; BOT_RASA_PATCHES=off leaves Rasa as shipped.

    Every fingerprint is checked before anything is patched, so a mismatch leaves Rasa wholly as shipped."""
    if _originals or os.environ.get(OFF_SWITCH, "").lower() == "off":
        return
    check_versions()
    for patch in PATCHES:
        cls = patch.target()
        original = cls.__dict__[patch.attribute]
        setattr(cls, patch.attribute, patch.build(original))
        _originals[patch] = original


def remove() -> None:
    """Put Rasa back as shipped (benchmarks compare the two in one process; tests clean up)."""
    for patch, original in list(_originals.items()):
        setattr(patch.target(), patch.attribute, original)
        del _originals[patch]
