"""Loads the playbook's wording (scripts.yml, advice.yml) once, checked, as plain dicts.

Folded YAML lines are joined without spaces (Chinese text has none), and every placeholder must be
one the renderer knows: a typo in a template fails at load time, not in front of a client. The
compliance shape is checked too: appointment scripts end with a two-option question, care scripts never
do and sell nothing, and phone scripts confirm they speak to the client before anything else.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
CHANNELS = ("phone", "wechat", "sms", "meeting")
SMS_MAX_CHARS = 120

SCRIPT_FIELDS = frozenset(
    {
        "address", "rm", "branch",
        "product", "product_type", "amount", "maturity_date", "payout",
        "tier_next", "gap",
        "fund", "loss",
        "insurance",
        "demand",
        "complaint", "complaint_date",
        "sum",
        "silence",
        "birthday_when",
        "festival",
    }
)  # fmt: skip
# A template ends with a two-option question: the last sentence contains 还是 and ends with ？.
CHOICE_ENDING = re.compile(r"[^。！？!?]*还是[^。！？!?]*？$")
KINDS = ("appointment", "care")
# A phone script opens by confirming it speaks to the client; before that only who is calling may be said.
IDENTITY_CHECK = "本人吗？"
BEFORE_IDENTITY_FIELDS = frozenset({"branch", "rm", "address"})


class LibraryError(ValueError):
    pass


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


@lru_cache(maxsize=1)
def scripts_library() -> dict[str, Any]:
    raw = yaml.safe_load((HERE / "scripts.yml").read_text(encoding="utf-8"))
    occasions: dict[str, Any] = {}
    for code, spec in raw["occasions"].items():
        defaults = {"kind": spec.get("kind", "appointment"), "sells": bool(spec.get("sells", False))}
        if "purposes" in spec:
            variants = {p: _variant(f"{code}.{p}", {**defaults, **v}) for p, v in spec["purposes"].items()}
            occasions[code] = {"title": spec["title"], "purposes": variants}
        else:
            occasions[code] = {"title": spec["title"], **_variant(code, {**spec, **defaults})}
    fragments = {k: _compact(v) for k, v in raw["fragments"].items()}
    return {
        "occasions": occasions,
        "fragments": fragments,
        "complaint_categories": dict(raw.get("complaint_categories") or {}),
    }


def _variant(where: str, spec: dict[str, Any]) -> dict[str, Any]:
    kind = spec.get("kind", "appointment")
    sells = bool(spec.get("sells", False))
    if kind not in KINDS:
        raise LibraryError(f"{where}.kind: must be one of {', '.join(KINDS)}")
    if kind == "care" and sells:
        raise LibraryError(f"{where}: a care script sells nothing (sells: true)")
    templates: dict[str, list[str]] = {}
    for channel in CHANNELS:
        value = spec["templates"].get(channel)
        if not value:
            raise LibraryError(f"{where}: no {channel} template")
        alternatives = [value] if isinstance(value, str) else list(value)
        texts = [_compact(t) for t in alternatives]
        for text in texts:
            unknown = placeholders(text) - SCRIPT_FIELDS
            if unknown:
                raise LibraryError(f"{where}.{channel}: unknown placeholder(s) {sorted(unknown)}")
            if kind == "appointment" and not CHOICE_ENDING.search(text):
                raise LibraryError(f"{where}.{channel}: must end with a two-option question (…还是…？)")
            if kind == "care" and CHOICE_ENDING.search(text):
                raise LibraryError(f"{where}.{channel}: a care script must not end with a choice (…还是…？)")
            if channel == "phone":
                _check_identity_first(f"{where}.{channel}", text)
        templates[channel] = texts
    why = _compact(spec["why"])
    unknown = placeholders(why) - SCRIPT_FIELDS
    if unknown:
        raise LibraryError(f"{where}.why: unknown placeholder(s) {sorted(unknown)}")
    return {"why": why, "templates": templates, "label": spec.get("label"), "kind": kind, "sells": sells}


def _check_identity_first(where: str, text: str) -> None:
    at = text.find(IDENTITY_CHECK)
    if at < 0:
        raise LibraryError(f"{where}: must first confirm it speaks to the client (…请问是{{address}}本人吗？)")
    early = placeholders(text[:at]) - BEFORE_IDENTITY_FIELDS
    if early:
        raise LibraryError(f"{where}: says {sorted(early)} before confirming it speaks to the client")


@lru_cache(maxsize=1)
def advice_library() -> dict[str, dict[str, str]]:
    raw = yaml.safe_load((HERE / "advice.yml").read_text(encoding="utf-8"))
    return {section: {k: _compact(str(v)) for k, v in items.items()} for section, items in raw.items()}
