"""Reply assertions: pure functions from what a turn expects and what was observed to a list of failures,
each with the lines a QA reader needs to see what differs."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tools.converse.script import ANY_VALUE, CUSTOMER_CHECKS, Expect, QueryRef


@dataclass(frozen=True)
class Observed:
    """What came back for one turn."""

    replies: tuple[str, ...]
    elapsed_ms: int | None  # until the first reply arrived; None when none did
    intent: str | None = None
    intent_confidence: float | None = None
    slots: dict[str, Any] | None = None
    tracker_problem: str | None = None  # why intent/slots could not be read
    duplicates: tuple[str, ...] = ()  # messages delivered more than once

    @property
    def text(self) -> str:
        return "\n".join(self.replies)


@dataclass(frozen=True)
class Resolved:
    """Expectations computed from the store just before the checks run."""

    names: dict[str, list[str]] = field(default_factory=dict)  # expect key -> names from its query
    book: list[str] = field(default_factory=list)  # every client the staff member may see
    store: list[str] | None = None  # result of the `store` check's query


@dataclass(frozen=True)
class Failure:
    check: str
    summary: str
    detail: tuple[str, ...] = ()


def names_in_text(text: str, candidates: Sequence[str]) -> list[str]:
    """Names found in the text, longest match first at each position, so 张伟明 is not also read as 张伟."""
    by_first: dict[str, list[str]] = {}
    for name in sorted({c for c in candidates if c}, key=len, reverse=True):
        by_first.setdefault(name[0], []).append(name)
    found: list[str] = []
    i = 0
    while i < len(text):
        match = next((n for n in by_first.get(text[i], ()) if text.startswith(n, i)), None)
        if match:
            found.append(match)
            i += len(match)
        else:
            i += 1
    return list(dict.fromkeys(found))


def _source(value: QueryRef | tuple[str, ...]) -> str:
    return value.describe() if isinstance(value, QueryRef) else "the listed names"


def check_turn(expect: Expect, seen: Observed, resolved: Resolved, repeat_delivery: int = 1) -> list[Failure]:
    failures: list[Failure] = []
    text = seen.text
    if not seen.replies and expect.reply_count != 0:
        failures.append(Failure("reply", "no reply arrived"))
    for needle in expect.contains:
        if needle not in text:
            failures.append(Failure("contains", f"reply does not contain {needle!r}"))
    for needle in expect.not_contains:
        if needle in text:
            failures.append(Failure("not_contains", f"reply contains {needle!r}", _marked(text, needle)))
    if expect.matches is not None and not re.search(expect.matches, text):
        failures.append(Failure("matches", f"reply does not match /{expect.matches}/"))
    if expect.equals is not None and text.strip() != expect.equals.strip():
        diff = difflib.unified_diff(
            expect.equals.strip().splitlines(), text.strip().splitlines(), "expected", "reply", lineterm="", n=2
        )
        failures.append(Failure("equals", "reply differs from the expected text", tuple(diff)))
    failures.extend(_tracker_checks(expect, seen))
    for key in CUSTOMER_CHECKS:
        wanted = getattr(expect, key)
        if wanted is not None:
            failures.extend(_customer_check(key, wanted, text, resolved))
    if expect.mentions_all is not None:
        missing = [n for n in resolved.names.get("mentions_all", []) if n not in text]
        if missing:
            failures.append(
                Failure(
                    "mentions_all",
                    f"reply leaves out {len(missing)} of {_source(expect.mentions_all)}",
                    tuple(f"- {n}" for n in missing),
                )
            )
    if expect.store is not None and resolved.store is not None:
        failures.extend(_store_check(expect, resolved.store))
    if expect.reply_count is not None and len(seen.replies) != expect.reply_count:
        failures.append(Failure("reply_count", f"expected {expect.reply_count} message(s), got {len(seen.replies)}"))
    if repeat_delivery > 1 and seen.duplicates:
        failures.append(
            Failure(
                "repeat_delivery",
                f"the same message was delivered again after {repeat_delivery} deliveries of one callback",
                tuple(f"× {d.splitlines()[0] if d else ''}" for d in seen.duplicates),
            )
        )
    if expect.within_ms is not None:
        if seen.elapsed_ms is None or seen.elapsed_ms > expect.within_ms:
            took = "no reply" if seen.elapsed_ms is None else f"{seen.elapsed_ms} ms"
            failures.append(Failure("within_ms", f"expected a reply within {expect.within_ms} ms, took {took}"))
    return failures


def _marked(text: str, needle: str) -> tuple[str, ...]:
    return tuple(f"> {line}" for line in text.splitlines() if needle in line)


def _tracker_checks(expect: Expect, seen: Observed) -> list[Failure]:
    if not expect.needs_tracker:
        return []
    if seen.tracker_problem:
        return [Failure("intent" if expect.intent else "slots", f"cannot check: {seen.tracker_problem}")]
    out = []
    if expect.intent is not None and seen.intent != expect.intent:
        conf = f" ({seen.intent_confidence:.2f})" if seen.intent_confidence is not None else ""
        out.append(Failure("intent", f"expected intent {expect.intent}, got {seen.intent}{conf}"))
    slots = seen.slots or {}
    for name, want in expect.slots:
        got = slots.get(name)
        ok = got is not None if want == ANY_VALUE else got == want
        if not ok:
            out.append(Failure("slots", f"slot {name}: expected {want!r}, got {got!r}"))
    return out


def _customer_check(key: str, wanted, text: str, resolved: Resolved) -> list[Failure]:
    expected = list(wanted) if isinstance(wanted, tuple) else resolved.names.get(key, [])
    named = names_in_text(text, [*expected, *resolved.book])
    exp_set, named_set = set(expected), set(named)
    missing = [n for n in expected if n not in named_set]
    extra = [n for n in named if n not in exp_set]
    src = _source(wanted)
    if key == "customers_exactly" and (missing or extra):
        return [
            Failure(
                key, f"reply should name exactly the {len(exp_set)} customer(s) of {src}", _name_diff(missing, extra)
            )
        ]
    if key == "customers_include" and missing:
        return [Failure(key, f"reply should name every customer of {src}", _name_diff(missing, []))]
    if key == "customers_among":
        if not named:
            return [Failure(key, f"reply names no customer; expected some of {src}")]
        if extra:
            return [Failure(key, f"reply names customers outside {src}", _name_diff([], extra))]
    return []


def _name_diff(missing: list[str], extra: list[str]) -> tuple[str, ...]:
    return (
        *(f"- {n}    (expected, not named)" for n in missing),
        *(f"+ {n}    (named, not expected)" for n in extra),
    )


def _store_check(expect: Expect, result: list[str]) -> list[Failure]:
    check = expect.store
    out = []
    if check.count is not None and len(result) != check.count:
        out.append(
            Failure(
                "store",
                f"{check.query.describe()} returned {len(result)} row(s), expected {check.count}",
                tuple(f"· {n}" for n in result),
            )
        )
    if check.names is not None and sorted(result) != sorted(check.names):
        diff = difflib.ndiff(sorted(check.names), sorted(result))
        out.append(
            Failure("store", f"{check.query.describe()} returned other names", tuple(d for d in diff if d[0] in "+-"))
        )
    return out
