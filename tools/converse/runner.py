"""Plays conversations against a stack: several at once, each from fresh conversation state.

Conversations of the same staff member share a Rasa conversation id (the channel derives it from the
staff identity), so those run one after another; different staff members run in parallel, up to `jobs`.
Before each conversation its tracker is reset (a `restart` event through the HTTP API, or `/restart`
through the channel when the API is closed). A failed check does not stop a conversation; a turn that
cannot be delivered does.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import aiohttp

from tools.converse import named_queries as nq
from tools.converse.checks import Failure, Observed, Resolved, check_turn
from tools.converse.clients import (
    ChannelClient,
    ChannelProblem,
    CounterClient,
    CounterSettings,
    RasaApi,
    RestClient,
    WeComClient,
    WeComSimulator,
    last_user_turn,
)
from tools.converse.script import CUSTOMER_CHECKS, Conversation, QueryRef, Turn


@dataclass
class Target:
    """Where conversations are played: a Rasa server URL plus what the runner needs around it."""

    url: str
    db_url: str | None = None  # the customer store named queries read
    api_token: str | None = None
    wecom: WeComSimulator | None = None
    counter: CounterSettings | None = None
    timeout_s: float = 60.0
    missing_channels: dict[str, str] = field(default_factory=dict)  # channel -> why it is not available


@dataclass
class TurnResult:
    number: int
    turn: Turn
    replies: list[str]
    elapsed_ms: int | None
    failures: list[Failure]
    intent: str | None = None

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class ConversationResult:
    conversation: Conversation
    turns: list[TurnResult] = field(default_factory=list)
    error: str | None = None  # the conversation could not be played to its end
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.error is None and all(t.passed for t in self.turns)

    @property
    def status(self) -> str:
        return "error" if self.error else ("passed" if self.passed else "failed")


def _needs_store(conv: Conversation) -> bool:
    """WeCom needs the staff member's WeCom user id; customer checks read the book, queries the store."""
    if conv.channel == "wecom":
        return True
    for turn in conv.turns:
        e = turn.expect
        if e.store or isinstance(e.mentions_all, QueryRef) or any(getattr(e, k) is not None for k in CUSTOMER_CHECKS):
            return True
    return False


class Player:
    def __init__(self, target: Target, http: aiohttp.ClientSession, api: RasaApi, api_ok: bool) -> None:
        self.target, self.http, self.api, self.api_ok = target, http, api, api_ok
        self._books: dict[tuple[str, object], list[str]] = {}

    async def _store(self, fn: Callable, *args):
        from bot.store.db import session_scope

        def work():
            with session_scope(self.target.db_url) as session:
                return fn(session, *args)

        return await asyncio.to_thread(work)

    async def _client(self, conv: Conversation, staff: str | None = None) -> ChannelClient:
        t = self.target
        if staff is not None and staff != conv.staff:
            if conv.channel != "rest":
                raise ChannelProblem("a turn spoken `as` another staff member needs channel: rest")
            return RestClient(self.http, t.url, staff, t.timeout_s)
        if conv.channel in t.missing_channels:
            raise ChannelProblem(
                f"channel {conv.channel} is not available on this stack: {t.missing_channels[conv.channel]}"
            )
        if conv.channel == "rest":
            return RestClient(self.http, t.url, conv.staff, t.timeout_s)
        if conv.channel == "counter":
            if t.counter is None:
                raise ChannelProblem("channel counter needs the counter JWT secret (BOT_COUNTER_JWT_SECRET)")
            return CounterClient(self.http, t.url, conv.staff, t.counter, t.timeout_s)
        if t.wecom is None:
            raise ChannelProblem("channel wecom needs the WeCom simulator (a local stack, or --wecom-api-port)")
        row = await self._store(nq.staff_row, conv.staff)
        if not row.wecom_userid:
            raise ChannelProblem(f"staff {conv.staff} has no WeCom user id in the store")
        return WeComClient(self.http, t.url, t.wecom, row.wecom_userid, conv.staff, t.timeout_s)

    async def _reset(self, client: ChannelClient) -> None:
        if self.api_ok:
            await self.api.reset(client.conversation_id)
        else:
            await client.send("/restart")

    async def play(self, conv: Conversation) -> ConversationResult:
        result = ConversationResult(conv)
        started = time.monotonic()
        try:
            if _needs_store(conv) and not self.target.db_url:
                raise ChannelProblem("this conversation checks the store: give --db (or set BOT_DB_URL)")
            client = await self._client(conv)
            await self._reset(client)
            ctx = nq.QueryContext(conv.today, conv.staff)
            if self.target.db_url:
                ctx = nq.QueryContext(
                    conv.today, conv.staff, await self._store(nq.contact_floor), await self._store(nq.audit_floor)
                )
            speakers: dict[str, tuple[ChannelClient, nq.QueryContext]] = {conv.staff: (client, ctx)}
            for n, turn in enumerate(conv.turns, start=1):
                who = turn.staff or conv.staff
                if who not in speakers:  # another staff member joins: a fresh conversation of their own
                    other = await self._client(conv, who)
                    await self._reset(other)
                    speakers[who] = (other, replace(ctx, staff_id=who))
                speaker, speaker_ctx = speakers[who]
                result.turns.append(await self._turn(n, turn, replace(conv, staff=who), speaker, speaker_ctx))
        except ChannelProblem as exc:
            result.error = str(exc)
        except LookupError as exc:  # an unknown staff member in a named query
            result.error = str(exc.args[0] if exc.args else exc)
        except Exception as exc:  # noqa: BLE001 - one broken conversation must not stop the others
            result.error = f"{type(exc).__name__}: {exc}"
        result.seconds = time.monotonic() - started
        return result

    async def _turn(self, n: int, turn: Turn, conv: Conversation, client: ChannelClient, ctx) -> TurnResult:
        delivery = await client.send(turn.user, turn.repeat_delivery)
        intent = confidence = slots = problem = None
        if turn.expect.needs_tracker:
            if self.api_ok:
                tracker = await self.api.tracker(client.conversation_id)
                intent, confidence = last_user_turn(tracker)
                slots = tracker.get("slots") or {}
            else:
                problem = self.api.problem or "the Rasa HTTP API is not available"
        seen = Observed(
            tuple(delivery.replies), delivery.elapsed_ms, intent, confidence, slots, problem, tuple(delivery.duplicates)
        )
        resolved = await self._resolve(turn, conv, ctx)
        failures = check_turn(turn.expect, seen, resolved, turn.repeat_delivery)
        return TurnResult(n, turn, delivery.replies, delivery.elapsed_ms, failures, intent)

    async def _resolve(self, turn: Turn, conv: Conversation, ctx: nq.QueryContext) -> Resolved:
        e = turn.expect
        names: dict[str, list[str]] = {}
        for key in (*CUSTOMER_CHECKS, "mentions_all"):
            ref = getattr(e, key)
            if isinstance(ref, QueryRef):
                names[key] = await self._store(nq.run_query, ctx, ref.name, ref.param_dict)
        book: list[str] = []
        if any(getattr(e, k) is not None for k in CUSTOMER_CHECKS):
            key = (conv.staff, conv.today)
            if key not in self._books:
                self._books[key] = await self._store(nq.book_names, conv.staff, conv.today)
            book = self._books[key]
        store = None
        if e.store is not None:
            store = await self._store(nq.run_query, ctx, e.store.query.name, e.store.query.param_dict)
        return Resolved(names, book, store)


async def play_all(
    conversations: list[Conversation],
    target: Target,
    jobs: int = 4,
    on_result: Callable[[ConversationResult], None] | None = None,
) -> list[ConversationResult]:
    """Results in the order the conversations were given."""
    results: list[ConversationResult | None] = [None] * len(conversations)
    groups = _groups_sharing_a_speaker(conversations)
    limit = asyncio.Semaphore(max(1, jobs))
    async with aiohttp.ClientSession() as http:
        api = RasaApi(http, target.url, target.api_token)
        player = Player(target, http, api, await api.probe())

        async def run_group(indexes: list[int]) -> None:
            for i in indexes:
                async with limit:
                    results[i] = await player.play(conversations[i])
                if on_result:
                    on_result(results[i])

        await asyncio.gather(*(run_group(ix) for ix in groups))
    return [r for r in results if r is not None]


def _groups_sharing_a_speaker(conversations: list[Conversation]) -> list[list[int]]:
    """Conversations that share a speaker (the staff member, or one a turn is spoken `as`) share a Rasa
    conversation id, so they must run one after another: the connected groups, each in script order."""
    owner: dict[str, int] = {}  # speaker -> group number
    groups: dict[int, list[int]] = {}
    for i, conv in enumerate(conversations):
        speakers = {conv.staff, *(t.staff for t in conv.turns if t.staff)}
        joined = sorted({owner[s] for s in speakers if s in owner})
        target = joined[0] if joined else i
        members = [i]
        for g in joined:
            members += groups.pop(g)
        groups[target] = sorted(members)
        for index in groups[target]:
            conv_speakers = {conversations[index].staff, *(t.staff for t in conversations[index].turns if t.staff)}
            for s in conv_speakers:
                owner[s] = target
    return [groups[g] for g in sorted(groups)]
