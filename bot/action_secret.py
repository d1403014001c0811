"""The shared secret between Rasa and the action server: without it, anyone who can reach port 5055 could
run any action as any staff member (the sender id of the tracker they post), contact writes included.

Rasa sends `Authorization: Bearer <secret>` on every action call (deploy/endpoints.prod.yml:
`action_endpoint.headers`, from BOT_ACTIONS_SECRET); the action server (bot/action_server.py) checks it
in constant time before anything runs, and answers 401 without one, 403 with a wrong one. `/health`
stays open for the balancer's and the orchestrator's checks.

No secret is allowed only on a loopback address (a developer running `python -m bot actions` next to
`rasa shell`); the launchers in this repository (`python -m bot chat`, the QA runner's stack,
`python -m tools stack`) generate one per run when none is set, so even the local action server asks.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
from typing import Any

ENV = "BOT_ACTIONS_SECRET"
HEADER = "Authorization"
SCHEME = "Bearer "
MIN_LENGTH = 16
OPEN_PATHS = frozenset({"/health"})


class SecretError(ValueError):
    """The action server must not start with this secret on this address; the message says why."""


def from_environment(environ: dict[str, str] | None = None) -> str | None:
    value = (os.environ if environ is None else environ).get(ENV, "").strip()
    return value or None


def generate() -> str:
    return secrets.token_hex(32)


def headers(secret: str) -> dict[str, str]:
    """What Rasa's action endpoint sends (EndpointConfig `headers`)."""
    return {HEADER: SCHEME + secret}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def check_startup(secret: str | None, host: str) -> None:
    """Raise SecretError when the action server would be open (or weakly closed) to others."""
    if secret is None:
        if not is_loopback(host):
            raise SecretError(
                f"refusing to listen on {host} without {ENV}: anyone who can reach it could run actions; "
                f"set {ENV} (the same value Rasa sends, see deploy/endpoints.prod.yml) or bind to 127.0.0.1"
            )
        return
    if len(secret) < MIN_LENGTH:
        raise SecretError(
            f"{ENV} must be at least {MIN_LENGTH} characters (python -c 'import secrets; print(secrets.token_hex(32))')"
        )


def verdict(authorization: str | None, secret: str) -> int | None:
    """None when the header carries the secret; otherwise the HTTP status to answer (401 none, 403 wrong)."""
    if not authorization or not authorization.startswith(SCHEME):
        return 401
    given = authorization[len(SCHEME) :].strip().encode("utf-8")
    return None if hmac.compare_digest(given, secret.encode("utf-8")) else 403


def protect(app: Any, secret: str | None) -> None:
    """Check the secret on every request to a rasa_sdk Sanic app, before routing, except OPEN_PATHS."""
    if secret is None:
        return
    from sanic import response

    async def require_secret(request: Any) -> Any:
        if request.path in OPEN_PATHS:
            return None
        status = verdict(request.headers.get(HEADER), secret)
        if status is None:
            return None
        return response.json({"error": "missing or wrong action server secret"}, status=status)

    app.register_middleware(require_secret, "request")
