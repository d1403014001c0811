"""Rasa's conversation lock in Redis, with every change made atomically inside Redis.

Rasa's `RedisLockStore` reads the lock, adds `last_issued + 1` and writes it back: two instances that get a
message of one conversation at the same instant both read the same lock and both hold ticket N, so both
work on the conversation at once. Its release (remove my ticket, then delete the lock if nobody waits) is
two steps as well, and a ticket issued between them is deleted with the lock.

`AtomicRedisLockStore` keeps Rasa's ticket lock and its stored form (the JSON of `rasa.core.lock.TicketLock`,
so `get_lock` still reads it), but makes each change one Lua script, which Redis runs alone:

- a ticket number comes from INCR on a counter of the conversation's own, so numbers are never reused,
  not even after the lock was deleted (a late release can then never remove somebody else's ticket), and
  always past the lock's live tickets (a lock written by Rasa's own store during a rolling upgrade);
- expiry is judged by Redis's clock (TIME), the same for every instance whatever their clocks say, and the
  lock key itself expires with its last ticket, so a killed instance leaves nothing behind;
- releasing removes the ticket and deletes the lock when it was the last one, in one step;
- a waiting ticket is renewed by its polls, so a message that arrives just after an instance died holding
  the lock is served once the dead ticket expires (Rasa's waiter expires with it; see `_acquire_lock`).

Configured in deploy/endpoints.prod.yml as `type: bot.lock_store.AtomicRedisLockStore`, with Rasa's
`redis` settings (url = host, port, db, password, key_prefix, socket_timeout, use_ssl) or, for Redis
Sentinel, `sentinel_service` (the master's name) and `sentinels` ("host:port,host:port"). Not for Redis
Cluster (neither is Rasa's): a script's two keys must live on one node.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX,
    DEFAULT_SOCKET_TIMEOUT_IN_SECONDS,
    LOCK_LIFETIME,
    LockError,
    LockStore,
    RedisLockStore,
)

logger = logging.getLogger(__name__)

# The ticket counter outlives any ticket (a ticket lives LOCK_LIFETIME seconds, 30 in production); after a
# day without messages it goes, and the conversation's numbers start again from 1.
COUNTER_TTL_S = 86_400
DEFAULT_SENTINEL_PORT = 26379

# Shared by the scripts: the lock's live tickets as {number, expires} (seconds, Redis's clock), and saving
# them back, the key expiring with the last one. Rasa stores each ticket as a JSON string inside the JSON.
_COMMON = """
-- Redis before 5 replicates scripts verbatim and refuses writes after TIME unless told to replicate effects.
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local function live_tickets(key)
  local raw = redis.call('GET', key)
  local tickets = {}
  if raw then
    for _, item in ipairs(cjson.decode(raw)['tickets'] or {}) do
      local ticket = cjson.decode(item)
      if ticket['expires'] >= now then table.insert(tickets, ticket) end
    end
  end
  return tickets
end
local function save(key, conversation_id, tickets)
  if #tickets == 0 then
    redis.call('DEL', key)
    return
  end
  local items, last = {}, now
  for i, ticket in ipairs(tickets) do
    items[i] = cjson.encode({number = ticket['number'], expires = ticket['expires']})
    if ticket['expires'] > last then last = ticket['expires'] end
  end
  local ttl_ms = math.max(1, math.ceil((last - now) * 1000))
  redis.call('SET', key, cjson.encode({conversation_id = conversation_id, tickets = items}), 'PX', ttl_ms)
end
"""

# KEYS: lock, counter. ARGV: conversation id, lifetime (s), counter TTL (s). Returns the new ticket's number.
_ISSUE = (
    _COMMON
    + """
local tickets = live_tickets(KEYS[1])
local number = redis.call('INCR', KEYS[2])
-- Past every live ticket, also those of a lock Rasa's own store wrote (an instance not yet upgraded).
for _, ticket in ipairs(tickets) do
  if ticket['number'] >= number then number = ticket['number'] + 1 end
end
redis.call('SET', KEYS[2], number, 'EX', tonumber(ARGV[3]))
table.insert(tickets, {number = number, expires = now + tonumber(ARGV[2])})
save(KEYS[1], ARGV[1], tickets)
return number
"""
)

# KEYS: lock. ARGV: conversation id, ticket. Removes the ticket (and expired ones); returns how many remain.
_RELEASE = (
    _COMMON
    + """
local kept = {}
for _, ticket in ipairs(live_tickets(KEYS[1])) do
  if ticket['number'] ~= tonumber(ARGV[2]) then table.insert(kept, ticket) end
end
save(KEYS[1], ARGV[1], kept)
return #kept
"""
)

# KEYS: lock. ARGV: conversation id, ticket, lifetime (s; 0: none). Drops expired tickets and, with a lifetime,
# renews the ticket to now + lifetime (a waiter that still polls is alive); returns the number now served, or
# -1 when the ticket is no longer in the lock (it expired: Rasa's lock then raises LockError).
_NOW_SERVING = (
    _COMMON
    + """
local tickets = live_tickets(KEYS[1])
local found = false
for _, ticket in ipairs(tickets) do
  if ticket['number'] == tonumber(ARGV[2]) then
    found = true
    if tonumber(ARGV[3]) > 0 then ticket['expires'] = now + tonumber(ARGV[3]) end
  end
end
save(KEYS[1], ARGV[1], tickets)
if found then return tickets[1]['number'] end
return -1
"""
)

# KEYS: lock. Returns how many live tickets the lock holds.
_WAITING = (
    _COMMON
    + """
return #live_tickets(KEYS[1])
"""
)


def parse_sentinels(value: Any) -> list[tuple[str, int]]:
    """Sentinel addresses from the endpoints file: "h1:26379,h2:26379", or a YAML list of such strings."""
    items = value if isinstance(value, (list, tuple)) else str(value or "").split(",")
    hosts = []
    for item in items:
        item = str(item).strip()
        if not item:
            continue
        host, _, port = item.rpartition(":") if ":" in item else (item, "", "")
        hosts.append((host, int(port) if port else DEFAULT_SENTINEL_PORT))
    if not hosts:
        raise ValueError("sentinel_service is set but no sentinels are given (sentinels: host:port,host:port)")
    return hosts


def redis_client(
    host: str = "localhost",
    port: int | str = 6379,
    db: int | str = 1,
    username: str | None = None,
    password: str | None = None,
    use_ssl: bool | str = False,
    socket_timeout: float | str = DEFAULT_SOCKET_TIMEOUT_IN_SECONDS,
    sentinel_service: str | None = None,
    sentinels: Any = None,
    sentinel_password: str | None = None,
) -> Any:
    """A Redis client: direct to host:port, or to the master that the Sentinels name `sentinel_service`
    (asked again after a failover, by redis-py's SentinelConnectionPool)."""
    import redis
    from redis.sentinel import Sentinel

    ssl = use_ssl is True or str(use_ssl).lower() == "true"
    options = dict(db=int(db), username=username, password=password, socket_timeout=float(socket_timeout), ssl=ssl)
    if not sentinel_service:
        return redis.StrictRedis(host=host, port=int(port), **options)
    sentinel = Sentinel(
        parse_sentinels(sentinels),
        socket_timeout=float(socket_timeout),
        sentinel_kwargs={"password": sentinel_password, "socket_timeout": float(socket_timeout)},
    )
    return sentinel.master_for(sentinel_service, **options)


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store with atomic ticket issue, release and expiry (see the module's docstring)."""

    def __init__(self, endpoint_config: Any = None, client: Any = None, **settings: Any) -> None:
        # Rasa builds custom lock stores as cls(endpoint_config=...); tests pass a client or the settings.
        if endpoint_config is not None:
            settings = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **settings}
        key_prefix = settings.pop("key_prefix", None)
        for unused in ("ssl_certfile", "ssl_keyfile", "ssl_ca_certs"):
            if settings.pop(unused, None):
                raise ValueError(f"{unused} is not supported by {type(self).__name__}; use use_ssl with system CAs")
        self.red = client if client is not None else redis_client(**settings)
        self.key_prefix = DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX
        if key_prefix:
            self._set_key_prefix(key_prefix)
        LockStore.__init__(self)
        self._issue = self.red.register_script(_ISSUE)
        self._release = self.red.register_script(_RELEASE)
        self._now_serving = self.red.register_script(_NOW_SERVING)
        self._waiting = self.red.register_script(_WAITING)

    def _lock_key(self, conversation_id: str) -> str:
        return self.key_prefix + conversation_id

    def _counter_key(self, conversation_id: str) -> str:
        # "rmassist:lock:<id>" is the lock, "rmassist:ticket:<id>" its counter: no id makes one the other.
        return self.key_prefix.removesuffix(DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX) + "ticket:" + conversation_id

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            keys = [self._lock_key(conversation_id), self._counter_key(conversation_id)]
            return int(
                self._issue(
                    keys=keys,
                    args=[conversation_id, float(lock_lifetime), max(COUNTER_TTL_S, 2 * int(lock_lifetime) + 1)],
                )
            )
        except Exception as exc:  # Rasa's contract: any failure to issue is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncGenerator[TicketLock, None]:
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            yield await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds, lock_lifetime)
        finally:
            self.cleanup(conversation_id, ticket)

    async def _acquire_lock(
        self, conversation_id: str, ticket: int, wait_time_in_seconds: float, lock_lifetime: float | None = None
    ) -> TicketLock:
        """Wait for `ticket`'s turn. With `lock_lifetime`, every poll renews the ticket, so a live waiter does not
        expire while it waits and, once served, holds the lock a whole lifetime from that moment.

        Rasa's lifetime counts from the ticket's issue instead: a message that arrives just after an instance
        died holding the lock gets a ticket expiring a moment after the dead one, and unless a poll (one a
        second) falls in between, both have expired by the next poll and the message fails (LockError). A
        waiter gives up after two lifetimes (a holder that died just before it came, then a full turn)."""
        renew = float(lock_lifetime or 0)
        give_up = asyncio.get_running_loop().time() + 2 * renew
        key = [self._lock_key(conversation_id)]
        while True:
            serving = int(self._now_serving(keys=key, args=[conversation_id, ticket, renew]))
            if serving == ticket:
                logger.debug("acquired the lock of conversation %s (ticket %s)", conversation_id, ticket)
                return self.get_lock(conversation_id) or TicketLock(conversation_id)
            if serving < 0 or (renew and asyncio.get_running_loop().time() > give_up):
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
            await asyncio.sleep(wait_time_in_seconds)

    def update_lock(self, conversation_id: str) -> None:
        self._now_serving(keys=[self._lock_key(conversation_id)], args=[conversation_id, -1, 0])

    def is_someone_waiting(self, conversation_id: str) -> bool:
        return int(self._waiting(keys=[self._lock_key(conversation_id)])) > 0

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._release(keys=[self._lock_key(conversation_id)], args=[conversation_id, ticket_number])

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # One step: the lock goes with its last ticket, never with a ticket issued meanwhile.
        self.finish_serving(conversation_id, ticket_number)

    def save_lock(self, lock: TicketLock) -> None:
        raise NotImplementedError("AtomicRedisLockStore changes locks only through its scripts")
