"""Where WeCom is, for the pushes: the same place the WeCom channel's settings come from.

The `bot.channels.wecom.WeComInput` section of credentials.yml, with `${VAR}` replaced from the environment
(as Rasa does). Only the keys sending needs are read (corp_id, corp_secret, agent_id; optional api_base_url,
msgtype, api_timeout_seconds, api_attempts, api_backoff_seconds, per_member_per_minute, daily_quota), so the
callback's token and AES key need not be set on a worker that only sends.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.channels.wecom_api import WECOM_BASE_URL, WeComApi

CREDENTIALS_SECTION = "bot.channels.wecom.WeComInput"
DEFAULT_CREDENTIALS = Path(__file__).resolve().parents[2] / "credentials.yml"
# WeCom counts messages per app per day; the real figure depends on the corp's size and licence,
# so the bank sets it (credentials `daily_quota` or WECOM_DAILY_QUOTA). 0: no limit of our own.
DEFAULT_DAILY_QUOTA = 0
_VAR = re.compile(r"\$\{([^}]+)\}")


def _substitute(value: Any, missing: list[str]) -> Any:
    if not isinstance(value, str):
        return value

    def one(m: re.Match) -> str:
        name = m.group(1)
        if name not in os.environ:
            missing.append(name)
            return ""
        return os.environ[name]

    return _VAR.sub(one, value)


@dataclass(frozen=True)
class WeComSettings:
    corp_id: str
    corp_secret: str
    agent_id: int
    api_base_url: str = WECOM_BASE_URL
    msgtype: str = "text"
    timeout_seconds: float = 5.0
    attempts: int = 3
    backoff_seconds: float = 0.5
    per_member_per_minute: int = 30
    daily_quota: int = DEFAULT_DAILY_QUOTA

    @classmethod
    def load(cls, path: str | Path | None = None, api_base_url: str | None = None) -> WeComSettings:
        path = Path(path) if path else DEFAULT_CREDENTIALS
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        section = data.get(CREDENTIALS_SECTION) or {}
        missing: list[str] = []
        values = {k: _substitute(v, missing) for k, v in section.items() if k in _KEYS}
        required = [k for k in ("corp_id", "corp_secret", "agent_id") if not values.get(k)]
        if missing or required:
            raise SystemExit(
                f"WeCom settings incomplete in {path} [{CREDENTIALS_SECTION}]: "
                + ", ".join([*(f"${{{m}}} unset" for m in sorted(set(missing))), *(f"{k} empty" for k in required)])
            )
        quota = os.environ.get("WECOM_DAILY_QUOTA") or values.get("daily_quota") or DEFAULT_DAILY_QUOTA

        def num(key: str, default: float) -> float:
            v = values.get(key)
            return default if v in (None, "") else float(v)

        return cls(
            corp_id=str(values["corp_id"]),
            corp_secret=str(values["corp_secret"]),
            agent_id=int(values["agent_id"]),
            api_base_url=api_base_url or values.get("api_base_url") or WECOM_BASE_URL,
            msgtype=values.get("msgtype") or "text",
            timeout_seconds=num("api_timeout_seconds", 5.0),
            attempts=int(num("api_attempts", 3)),
            backoff_seconds=num("api_backoff_seconds", 0.5),
            per_member_per_minute=int(num("per_member_per_minute", 30)),
            daily_quota=int(quota),
        )

    def api(self) -> WeComApi:
        """The channel's own client (token cache, retries, per-member limiter, splitting)."""
        return WeComApi(
            self.corp_id,
            self.corp_secret,
            self.agent_id,
            base_url=self.api_base_url,
            msgtype=self.msgtype,
            timeout_seconds=self.timeout_seconds,
            attempts=self.attempts,
            backoff_seconds=self.backoff_seconds,
            per_recipient_per_minute=self.per_member_per_minute,
        )


_KEYS = frozenset(
    {
        "corp_id",
        "corp_secret",
        "agent_id",
        "api_base_url",
        "msgtype",
        "api_timeout_seconds",
        "api_attempts",
        "api_backoff_seconds",
        "per_member_per_minute",
        "daily_quota",
    }
)
