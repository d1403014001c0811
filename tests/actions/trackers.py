"""Trackers built from dicts, the way RasaHQ/financial-demo tests actions."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def entity(text: str, name: str, span: str, value: Any = None) -> dict:
    start = text.index(span)
    return {"entity": name, "start": start, "end": start + len(span), "value": value if value is not None else span}


def tracker(
    sender: str,
    text: str,
    intent: str,
    entities: list[dict] | None = None,
    slots: dict | None = None,
    earlier: list[dict] | None = None,  # events before this message (with their timestamps)
    at: float | None = None,  # when this message arrived (Unix seconds)
) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": sender,
            "slots": {"focus_customer_id": None, "last_list": None, **(slots or {})},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 0.99},
                "entities": entities or [],
            },
            "events": [
                *(earlier or []),
                {"event": "user", "text": text, "input_channel": "rest", "timestamp": at},
            ],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def slot_event(name: str, value: Any, at: float) -> dict:
    """A SlotSet the conversation applied at `at`, as Rasa hands it to the action server."""
    return {"event": "slot", "name": name, "value": value, "timestamp": at}


async def run(action, trk: Tracker) -> tuple[list[str], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, trk, {})
    return [m.get("text") or "" for m in dispatcher.messages], events


def slot(events: list[dict], name: str) -> Any:
    values = [e["value"] for e in events if e.get("event") == "slot" and e.get("name") == name]
    return values[-1] if values else None
