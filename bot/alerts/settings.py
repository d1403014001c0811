"""Settings of the pushes: when (briefing time, quiet hours) and how hard to retry. WeCom's: bot.alerts.wecom."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dtime

from bot.clock import now as shanghai_now
from bot.clock import today


@dataclass(frozen=True)
class AlertSettings:
    briefing_at: dtime = dtime(8, 30)  # working days, Asia/Shanghai
    briefing_until: dtime = dtime(12, 0)  # a briefing not queued by noon is not worth sending that day
    quiet_from: dtime = dtime(21, 0)  # non-urgent alerts found from here ...
    quiet_until: dtime = dtime(8, 0)  # ... wait until here
    lease_seconds: float = 300.0  # a row "sending" for longer than this was left by a crashed worker
    max_attempts: int = 8  # outbox-level attempts (each is itself up to `api_attempts` HTTP calls)
    backoff_seconds: float = 30.0  # first outbox-level retry; doubles, capped at 30 minutes
    send_concurrency: int = 8
    daily_quota: int = 0  # messages a day over all workers (bot.alerts.wecom); 0: no limit of our own
    detect_every_seconds: float = 30.0  # `watch`: detectors and the sender
    markdown: bool = False  # the WeCom app sends markdown (credentials `msgtype: markdown`): titles in bold


class Clock:
    """Asia/Shanghai wall-clock time, naive (as stored). `fixed` pins the start (tests, demos); time then runs on.

    Without `fixed`, the day is bot.clock's (BOT_TODAY when set, as for every answer) and the time the real one."""

    def __init__(self, fixed: datetime | None = None) -> None:
        self._fixed = fixed
        self._started = time.monotonic()

    def __call__(self) -> datetime:
        if self._fixed is None:
            return datetime.combine(today(), shanghai_now().time())
        return self._fixed + timedelta(seconds=time.monotonic() - self._started)


def parse_now(text: str) -> datetime:
    """`--now "YYYY-MM-DD HH:MM"` in Asia/Shanghai."""
    return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
