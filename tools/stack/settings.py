"""What the production-style stack is configured with: environment variables, nothing else.

deploy/endpoints.prod.yml and deploy/credentials.prod.yml reference these as ${VAR}; Rasa refuses to
start while any is unset. `stack_environment` fills in what a local run may leave out (throwaway channel
secrets, loopback addresses) and adds the timeouts every database connection gets.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

DEFAULT_PG = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_TRACKER_SCHEMA = "rasa_trackers"

# Seconds. Every connection to PostgreSQL gives up connecting after CONNECT_TIMEOUT_S and every statement
# after STATEMENT_TIMEOUT_MS: a database that hangs becomes an error the actions turn into a clear answer.
CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_MS = 15_000

# Rasa's SQL tracker store runs its queries synchronously on the event loop, one at a time per process,
# so a small pool is all it can use (Rasa's default is 50 + 100 overflow per instance: more than
# PostgreSQL's default max_connections for two instances).
RASA_SQL_POOL_SIZE = 2
RASA_SQL_MAX_OVERFLOW = 3
# A turn holds its conversation's lock in Redis; a lock left by a killed instance expires after this.
TICKET_LOCK_LIFETIME_S = 30
RESPONSE_TIMEOUT_S = 60

# Secrets deploy/credentials.prod.yml and deploy/endpoints.prod.yml need (the channels', and the one Rasa
# shows the action server). Local runs get throwaway values for missing ones.
CHANNEL_VARS = (
    "WECOM_CORP_ID",
    "WECOM_AGENT_ID",
    "WECOM_APP_SECRET",
    "WECOM_TOKEN",
    "WECOM_ENCODING_AES_KEY",
    "WECHAT_APP_ID",
    "WECHAT_APP_SECRET",
    "WECHAT_TOKEN",
    "WECHAT_ENCODING_AES_KEY",
    "BOT_COUNTER_JWT_SECRET",
    "BOT_ACTIONS_SECRET",
)


def schema_of(url: str) -> str | None:
    """The schema a PostgreSQL URL selects with `options=-csearch_path=...`, if any."""
    for key, value in parse_qsl(urlsplit(url).query):
        if key == "options":
            for part in value.split():
                if part.startswith("-csearch_path="):
                    return part.split("=", 1)[1].split(",")[0]
    return None


def with_schema(url: str, schema: str) -> str:
    """The same PostgreSQL URL with search_path set to `schema` (replacing any earlier one)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "options"]
    options = [o for o in _options(url) if not o.startswith("-csearch_path=")]
    query.append(("options", " ".join([f"-csearch_path={schema}", *options])))
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


def with_timeouts(url: str, connect_s: int = CONNECT_TIMEOUT_S, statement_ms: int = STATEMENT_TIMEOUT_MS) -> str:
    """A PostgreSQL URL with connect_timeout and statement_timeout unless it sets them already."""
    if not url.startswith("postgresql"):
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query)
    keys = {k for k, _ in query}
    if "connect_timeout" not in keys:
        query.append(("connect_timeout", str(connect_s)))
    options = _options(url)
    if not any(o.startswith("-cstatement_timeout=") for o in options):
        options.append(f"-cstatement_timeout={statement_ms}")
    query = [(k, v) for k, v in query if k != "options"] + [("options", " ".join(options))]
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


def _options(url: str) -> list[str]:
    for key, value in parse_qsl(urlsplit(url).query):
        if key == "options":
            return unquote(value).split()
    return []


def redis_parts(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 6379


@dataclass(frozen=True)
class ChannelSecrets:
    """The channel settings in force, and which of them were generated for this run only."""

    values: dict[str, str]
    generated: tuple[str, ...]


def channel_secrets(environ: dict[str, str] | None = None) -> ChannelSecrets:
    env = os.environ if environ is None else environ
    values, generated = {}, []
    for name in CHANNEL_VARS:
        if env.get(name):
            values[name] = env[name]
            continue
        generated.append(name)
        if name.endswith("ENCODING_AES_KEY"):
            values[name] = secrets.token_urlsafe(48).replace("-", "a").replace("_", "b")[:43]
        elif name == "WECOM_AGENT_ID":
            values[name] = "1000002"
        elif name in ("BOT_COUNTER_JWT_SECRET", "BOT_ACTIONS_SECRET"):
            values[name] = secrets.token_hex(32)
        elif name == "WECOM_CORP_ID":
            values[name] = "wwlocal" + secrets.token_hex(5)
        elif name == "WECHAT_APP_ID":
            values[name] = "wxlocal" + secrets.token_hex(5)
        else:
            values[name] = secrets.token_hex(16)
    return ChannelSecrets(values, tuple(generated))
