"""The outbox worker: claims due rows, sends them through the WeCom channel's client, marks them sent.

Everything about delivery guarantees is in bot.alerts.outbox; this module only drives it. WeCom's own
limits are kept by the client (30 messages per member per minute) and here (the app's daily quota, counted
over the outbox so several workers share it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import sessionmaker

from bot.alerts import outbox
from bot.alerts.outbox import Claimed
from bot.alerts.settings import AlertSettings
from bot.channels.wecom_api import MAX_CONTENT_BYTES, ApiError, ApiUnavailable, TencentMessageApi, split_content
from bot.replies.alerts import RESEND_MARK
from bot.store.db import engine_for

logger = logging.getLogger(__name__)

RATE_LIMITED = 45009  # WeCom: API call frequency over the limit
CONCURRENCY_LIMITED = 45033  # WeCom: too many concurrent calls
RETRY_ERRCODES = frozenset({RATE_LIMITED, CONCURRENCY_LIMITED, -1})
# Parts are cut this much short of the cap so a resent part still fits with its （补发） prefix.
PART_LIMIT_BYTES = MAX_CONTENT_BYTES - len(RESEND_MARK.encode("utf-8"))


@dataclass
class SendSummary:
    sent: int = 0  # of which `resent` carried the 补发 mark
    resent: int = 0
    retrying: int = 0
    failed: int = 0
    uncertain: int = 0  # briefings found in doubt after a crash, not resent
    quota_deferred: bool = False


class Sender:
    def __init__(
        self,
        url: str,
        api: TencentMessageApi,
        settings: AlertSettings,
        clock: Callable[[], datetime],
        after_send: Callable[[Claimed, int], None] | None = None,  # test hook: runs between a send and its mark
    ) -> None:
        self.url = url
        self.api = api
        self.settings = settings
        self.clock = clock
        self.after_send = after_send
        self._factory = sessionmaker(engine_for(url), future=True, expire_on_commit=False)

    def _db(self, fn: Callable[..., object], *args: object) -> object:
        with self._factory() as session:
            return fn(session, *args)

    async def _in_db(self, fn: Callable[..., object], *args: object) -> object:
        return await asyncio.to_thread(self._db, fn, *args)

    async def run_pass(self) -> SendSummary:
        """Recover rows left by a dead worker, then send every due row once."""
        summary = SendSummary()
        recovered = await self._in_db(outbox.recover_stale, self.clock(), self.settings)
        assert isinstance(recovered, outbox.Recovered)
        summary.uncertain += recovered.uncertain
        sem = asyncio.Semaphore(self.settings.send_concurrency)
        while True:
            limit = self.settings.send_concurrency * 4
            if self.settings.daily_quota:
                now = self.clock()
                midnight = datetime.combine(now.date(), datetime.min.time())
                used = await self._in_db(outbox.sent_since, midnight)
                assert isinstance(used, int)
                limit = min(limit, self.settings.daily_quota - used)
                if limit <= 0:
                    summary.quota_deferred = True
                    logger.warning("daily WeCom quota of %s reached; the rest waits", self.settings.daily_quota)
                    break
            rows = await self._in_db(outbox.claim_due, self.clock(), limit)
            assert isinstance(rows, list)
            if not rows:
                break

            async def one(row: Claimed) -> None:
                async with sem:
                    await self._deliver(row, summary)

            # Every claimed row runs to its end (sent, released or left in doubt) before an error propagates,
            # so no send is cut off half way by a sibling's failure.
            outcomes = await asyncio.gather(*(one(r) for r in rows), return_exceptions=True)
            problem = next((o for o in outcomes if isinstance(o, BaseException)), None)
            if problem is not None:
                raise problem
        return summary

    async def _deliver(self, row: Claimed, summary: SendSummary) -> None:
        parts = split_content(row.content, PART_LIMIT_BYTES)
        msgids = row.msgids.split(",") if row.msgids else []
        first = row.parts_sent
        if not parts:
            await self._in_db(outbox.mark_failed, row, "empty content")
            summary.failed += 1
            return
        for i in range(first, len(parts)):
            text = RESEND_MARK + parts[i] if row.resend and i == first else parts[i]
            try:
                msgid = await self.api.send_part(row.recipient, text, f"outbox:{row.id}:{row.attempts}#{i}")
            except ApiUnavailable as exc:
                await self._retry(row, str(exc), summary)
                return
            except ApiError as exc:
                if exc.errcode in RETRY_ERRCODES:
                    await self._retry(row, str(exc), summary)
                else:
                    logger.warning("outbox %s refused by WeCom: %s", row.id, exc)
                    await self._in_db(outbox.mark_failed, row, str(exc))
                    summary.failed += 1
                return
            if self.after_send is not None:
                self.after_send(row, i)
            msgids.append(msgid or "")
            done = i == len(parts) - 1
            ok = await self._in_db(outbox.mark_part, row, i + 1, ",".join(msgids), self.clock(), done)
            if not ok:
                logger.error("outbox %s: claim lost while sending (lease too short?)", row.id)
                return
        summary.sent += 1
        summary.resent += row.resend

    async def _retry(self, row: Claimed, error: str, summary: SendSummary) -> None:
        status = await self._in_db(outbox.release_for_retry, row, self.clock(), error, self.settings)
        if status == "failed":
            summary.failed += 1
        else:
            summary.retrying += 1
