"""The conversation script format (YAML) and its validation.

A file holds one conversation (a mapping) or several (a list of mappings):

    name: 本周理财到期，翻页，再看下周
    staff: rm01             # who is speaking; the channel vouches for this identity
    channel: rest           # rest | wecom | counter
    today: 2026-11-18       # the date the assistant (and the named queries) take as today
    tags: [maturing]
    turns:
      - user: 本周哪些客户理财到期
        expect:
          intent: query_maturing
          contains: [到期]
          customers_exactly: {query: maturing_between, params: {start: today, end: week_end, product_type: wealth}}
          within_ms: 3000

Every mistake is reported with the file, line and a hint, all at once, before anything runs.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from tools.converse.named_queries import QUERIES, convert_params

CHANNELS = ("rest", "wecom", "counter")
CONVERSATION_KEYS = ("name", "staff", "channel", "today", "tags", "turns")
TURN_KEYS = ("user", "expect", "repeat_delivery", "as")
EXPECT_KEYS = (
    "contains",
    "not_contains",
    "matches",
    "equals",
    "intent",
    "slots",
    "customers_exactly",
    "customers_include",
    "customers_among",
    "mentions_all",
    "store",
    "reply_count",
    "within_ms",
)
CUSTOMER_CHECKS = ("customers_exactly", "customers_include", "customers_among")
MAX_REPEAT_DELIVERY = 10
ANY_VALUE = "*"  # in `slots`: the slot must be set, to anything


@dataclass(frozen=True)
class QueryRef:
    """A named query with its parameters as written (converted again at run time, against the store)."""

    name: str
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def param_dict(self) -> dict[str, Any]:
        return dict(self.params)

    def describe(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in self.params)
        return f"{self.name}({args})"


# A customer expectation is either a named query or a literal list of names (an empty list: nobody).
Names = tuple[str, ...]


@dataclass(frozen=True)
class StoreCheck:
    query: QueryRef
    count: int | None = None
    names: Names | None = None


@dataclass(frozen=True)
class Expect:
    contains: Names = ()
    not_contains: Names = ()
    matches: str | None = None
    equals: str | None = None
    intent: str | None = None
    slots: tuple[tuple[str, Any], ...] = ()
    customers_exactly: QueryRef | Names | None = None
    customers_include: QueryRef | Names | None = None
    customers_among: QueryRef | Names | None = None
    mentions_all: QueryRef | Names | None = None
    store: StoreCheck | None = None
    reply_count: int | None = None
    within_ms: int | None = None

    @property
    def needs_tracker(self) -> bool:
        return self.intent is not None or bool(self.slots)


@dataclass(frozen=True)
class Turn:
    user: str
    expect: Expect = field(default_factory=Expect)
    repeat_delivery: int = 1
    line: int | None = None
    staff: str | None = None  # `as:` another staff member speaks this turn (a handover, then the new RM asks)


@dataclass(frozen=True)
class Conversation:
    name: str
    staff: str
    channel: str
    today: date
    turns: tuple[Turn, ...]
    tags: tuple[str, ...] = ()
    path: str = "<memory>"
    line: int | None = None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


class ScriptError(Exception):
    """One problem in one script, located well enough to fix it without searching."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        super().__init__(message)
        self.path, self.line, self.message = path, line, message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


# --- YAML with line numbers ---------------------------------------------------------------------------


class _Map(dict):
    line: int | None = None
    key_lines: dict = {}


class _Seq(list):
    line: int | None = None


class _Loader(yaml.SafeLoader):
    pass


def _map(loader: _Loader, node: yaml.MappingNode) -> _Map:
    m = _Map(loader.construct_mapping(node, deep=True))
    m.line = node.start_mark.line + 1
    m.key_lines = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    return m


def _seq(loader: _Loader, node: yaml.SequenceNode) -> _Seq:
    s = _Seq(loader.construct_sequence(node, deep=True))
    s.line = node.start_mark.line + 1
    return s


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _map)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _seq)


def _line(obj: Any, fallback: int | None = None) -> int | None:
    return getattr(obj, "line", None) or fallback


def _key_line(mapping: Any, key: str, fallback: int | None) -> int | None:
    return (getattr(mapping, "key_lines", None) or {}).get(key) or fallback


# --- loading ------------------------------------------------------------------------------------------


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[ScriptError]]:
    """Script files named directly or found (recursively, *.yml / *.yaml) in directories."""
    files: list[Path] = []
    errors: list[ScriptError] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.suffix in (".yml", ".yaml") and f.is_file())
            if not found:
                errors.append(ScriptError(str(p), None, "no .yml/.yaml conversation files in this directory"))
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            errors.append(ScriptError(str(p), None, "no such file or directory"))
    return list(dict.fromkeys(files)), errors


def load_file(path: str | Path) -> tuple[list[Conversation], list[ScriptError]]:
    path = str(path)
    try:
        with open(path, encoding="utf-8") as fh:
            doc = yaml.load(fh, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        return [], [ScriptError(path, mark.line + 1 if mark else None, f"not valid YAML: {problem}")]
    except (OSError, UnicodeDecodeError) as exc:
        return [], [ScriptError(path, None, f"cannot read: {exc}")]
    if isinstance(doc, dict):
        items = [doc]
    elif isinstance(doc, list) and doc:
        items = doc
    else:
        return [], [ScriptError(path, None, "expected a conversation (a mapping) or a list of conversations")]
    conversations, errors = [], []
    for item in items:
        conv, problems = _conversation(path, item)
        errors.extend(problems)
        if conv is not None and not problems:
            conversations.append(conv)
    return conversations, errors


def load_paths(paths: Iterable[str | Path]) -> tuple[list[Conversation], list[ScriptError]]:
    """Every conversation in the given files and directories, and every problem found in them."""
    files, errors = discover(paths)
    conversations: list[Conversation] = []
    for f in files:
        convs, problems = load_file(f)
        conversations.extend(convs)
        errors.extend(problems)
    errors.extend(_duplicate_names(conversations))
    return conversations, errors


def _duplicate_names(conversations: list[Conversation]) -> list[ScriptError]:
    seen: dict[str, Conversation] = {}
    errors = []
    for c in conversations:
        if c.name in seen:
            errors.append(
                ScriptError(c.path, c.line, f"conversation name {c.name!r} is already used at {seen[c.name].where}")
            )
        else:
            seen[c.name] = c
    return errors


def select(
    conversations: list[Conversation], include: Iterable[str] = (), exclude: Iterable[str] = ()
) -> list[Conversation]:
    """With include tags: conversations carrying at least one of them. Exclude tags always win."""
    include, exclude = set(include), set(exclude)
    return [c for c in conversations if (not include or include & set(c.tags)) and not (exclude & set(c.tags))]


# --- validation ---------------------------------------------------------------------------------------


def _unknown_key(key: Any, allowed: tuple[str, ...], what: str) -> str:
    hint = difflib.get_close_matches(str(key), allowed, n=1)
    suggestion = f" (did you mean {hint[0]!r}?)" if hint else f" (allowed: {', '.join(allowed)})"
    return f"unknown {what} key {key!r}{suggestion}"


def _conversation(path: str, raw: Any) -> tuple[Conversation | None, list[ScriptError]]:
    errors: list[ScriptError] = []
    line = _line(raw)

    def err(message: str, at: int | None = None) -> None:
        errors.append(ScriptError(path, at or line, message))

    if not isinstance(raw, dict):
        err("a conversation must be a mapping with name, staff, channel, today and turns")
        return None, errors
    for key in raw:
        if key not in CONVERSATION_KEYS:
            err(_unknown_key(key, CONVERSATION_KEYS, "conversation"), _key_line(raw, key, line))
    name = raw.get("name")
    label = f"conversation {name!r}" if isinstance(name, str) and name.strip() else "conversation"
    if not isinstance(name, str) or not name.strip():
        err("conversation needs a `name` (text)")
    staff = raw.get("staff")
    if not isinstance(staff, str) or not staff.strip():
        err(f"{label}: needs `staff`, the staff id speaking (e.g. rm01)", _key_line(raw, "staff", line))
    channel = raw.get("channel", "rest")
    if channel not in CHANNELS:
        err(f"{label}: channel must be one of {', '.join(CHANNELS)}, got {channel!r}", _key_line(raw, "channel", line))
    today = _as_today(raw.get("today"))
    if today is None:
        err(f"{label}: needs `today` as YYYY-MM-DD, got {raw.get('today')!r}", _key_line(raw, "today", line))
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        err(f"{label}: `tags` must be a list of words", _key_line(raw, "tags", line))
        tags = []
    turns_raw = raw.get("turns")
    turns: list[Turn] = []
    if not isinstance(turns_raw, list) or not turns_raw:
        err(f"{label}: needs `turns`, a non-empty list", _key_line(raw, "turns", line))
    else:
        for n, t in enumerate(turns_raw, start=1):
            turn = _turn(f"{label}, turn {n}", t, channel, today or date.today(), err, _line(t, _line(turns_raw)))
            if turn is not None:
                turns.append(turn)
    if errors:
        return None, errors
    return (
        Conversation(
            name=name.strip(),
            staff=staff.strip(),
            channel=channel,
            today=today,
            turns=tuple(turns),
            tags=tuple(t.strip() for t in tags),
            path=path,
            line=line,
        ),
        errors,
    )


def _as_today(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _turn(label: str, raw: Any, channel: str, today: date, err, line: int | None) -> Turn | None:
    if isinstance(raw, str):
        raw = {"user": raw}
    if not isinstance(raw, dict):
        err(f"{label}: a turn is a mapping with `user` and `expect`", line)
        return None
    for key in raw:
        if key not in TURN_KEYS:
            err(f"{label}: " + _unknown_key(key, TURN_KEYS, "turn"), _key_line(raw, key, line))
    user = raw.get("user")
    if not isinstance(user, str) or not user.strip():
        err(f"{label}: needs `user`, the message the staff member sends", line)
        user = ""
    repeat = raw.get("repeat_delivery", 1)
    if isinstance(repeat, bool) or not isinstance(repeat, int) or not 1 <= repeat <= MAX_REPEAT_DELIVERY:
        err(f"{label}: repeat_delivery must be a whole number from 1 to {MAX_REPEAT_DELIVERY}", line)
        repeat = 1
    elif repeat > 1 and channel != "wecom":
        err(f"{label}: repeat_delivery replays a WeCom callback; it needs channel: wecom", line)
    expect_raw = raw.get("expect", {}) or {}
    if not isinstance(expect_raw, dict):
        err(f"{label}: `expect` must be a mapping", line)
        return None
    expect = _expect(label, expect_raw, today, err, _line(expect_raw, line))
    speaker = raw.get("as")
    if speaker is not None and (not isinstance(speaker, str) or not speaker.strip()):
        err(f"{label}: `as` names the staff id speaking this turn (e.g. rm04)", line)
        speaker = None
    return Turn(
        user=user, expect=expect or Expect(), repeat_delivery=repeat, line=line,
        staff=speaker.strip() if speaker else None,
    )  # fmt: skip


def _texts(label: str, key: str, value: Any, err, line) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) and str(v) for v in value):
        err(f"{label}: `{key}` must be a text or a list of texts", line)
        return ()
    return tuple(str(v) for v in value)


def _query_ref(label: str, key: str, value: Any, today: date, err, line) -> QueryRef | Names | None:
    if isinstance(value, list):
        if not all(isinstance(v, str) and v.strip() for v in value):
            err(f"{label}: `{key}` as a list must list names", line)
            return None
        return tuple(v.strip() for v in value)
    if not isinstance(value, dict) or "query" not in value:
        err(f"{label}: `{key}` needs {{query: NAME, params: {{...}}}} or a list of names", line)
        return None
    extra = set(value) - {"query", "params"}
    if extra:
        err(f"{label}: `{key}` takes only `query` and `params`, not {', '.join(sorted(map(str, extra)))}", line)
    name = value.get("query")
    if name not in QUERIES:
        hint = difflib.get_close_matches(str(name), QUERIES, n=1)
        suggestion = f"did you mean {hint[0]!r}?" if hint else f"known: {', '.join(sorted(QUERIES))}"
        err(f"{label}: `{key}`: unknown query {name!r} ({suggestion})", line)
        return None
    params = value.get("params") or {}
    if not isinstance(params, dict):
        err(f"{label}: `{key}`: params must be a mapping", line)
        return None
    try:
        convert_params(QUERIES[name], params, today)
    except ValueError as exc:
        err(f"{label}: `{key}`: {exc}", line)
        return None
    return QueryRef(name, tuple((str(k), v) for k, v in params.items()))


def _expect(label: str, raw: dict, today: date, err, at) -> Expect | None:
    for key in raw:
        if key not in EXPECT_KEYS:
            err(f"{label}: " + _unknown_key(key, EXPECT_KEYS, "expect"), _key_line(raw, key, at))
    fields: dict[str, Any] = {}
    # Every problem is reported on the line of the key it concerns.
    lines = {key: _key_line(raw, key, at) for key in raw}
    for key in ("contains", "not_contains"):
        if key in raw:
            fields[key] = _texts(label, key, raw[key], err, lines[key])
    for key in ("matches", "equals", "intent"):
        if key in raw:
            if not isinstance(raw[key], str) or not raw[key]:
                err(f"{label}: `{key}` must be a text", lines[key])
                continue
            fields[key] = raw[key]
    if "matches" in fields:
        try:
            re.compile(fields["matches"])
        except re.error as exc:
            err(f"{label}: `matches` is not a valid regular expression: {exc}", lines["matches"])
    if "slots" in raw:
        if not isinstance(raw["slots"], dict) or not raw["slots"]:
            err(
                f"{label}: `slots` must map slot names to expected values ({ANY_VALUE!r}: set to anything)",
                lines["slots"],
            )
        else:
            fields["slots"] = tuple((str(k), v) for k, v in raw["slots"].items())
    for key in (*CUSTOMER_CHECKS, "mentions_all"):
        if key in raw:
            fields[key] = _query_ref(label, key, raw[key], today, err, lines[key])
    if "store" in raw:
        fields["store"] = _store(label, raw["store"], today, err, lines["store"])
    for key in ("reply_count", "within_ms"):
        if key in raw:
            value = raw[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < (0 if key == "reply_count" else 1):
                err(
                    f"{label}: `{key}` must be a whole number" + (" of at least 1" if key == "within_ms" else ""),
                    lines[key],
                )
                continue
            fields[key] = value
    return Expect(**{k: v for k, v in fields.items() if v is not None})


def _store(label: str, raw: Any, today: date, err, line) -> StoreCheck | None:
    if not isinstance(raw, dict):
        err(f"{label}: `store` needs {{query: NAME, params: {{...}}, count: N}} or names: [...]", line)
        return None
    ref = _query_ref(label, "store", {k: v for k, v in raw.items() if k in ("query", "params")}, today, err, line)
    extra = set(raw) - {"query", "params", "count", "names"}
    if extra:
        err(f"{label}: `store` takes query, params, count and names, not {', '.join(sorted(map(str, extra)))}", line)
    count, names = raw.get("count"), raw.get("names")
    if count is None and names is None:
        err(f"{label}: `store` needs `count` or `names` to compare the query's result with", line)
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
        err(f"{label}: `store.count` must be a whole number", line)
    if names is not None and (not isinstance(names, list) or not all(isinstance(n, str) for n in names)):
        err(f"{label}: `store.names` must be a list of names", line)
    if not isinstance(ref, QueryRef):
        return None
    return StoreCheck(ref, count if isinstance(count, int) else None, tuple(names) if isinstance(names, list) else None)
