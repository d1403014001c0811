"""One pass of the pushes: examine new data, queue briefings and alerts in the outbox, send what is due.

`run_once` is what `python -m bot alerts run` does and what `watch` repeats; it returns the summary the
command prints as JSON.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.alerts import briefing as brief
from bot.alerts import detectors as det
from bot.alerts.facts import Client, RmBriefing
from bot.alerts.mutes import is_muted, without_muted_sections
from bot.alerts.outbox import BRIEFING, EnqueueResult, Push, enqueue, in_quiet_hours, quiet_hours_end
from bot.alerts.sender import Sender
from bot.alerts.settings import AlertSettings
from bot.channels.wecom_api import TencentMessageApi
from bot.replies import alerts as words
from bot.store.db import create_schema, engine_for, session_scope
from bot.store.models import OutboxMessage, Staff
from bot.store.mutes import mutes_by_staff
from bot.store.staff_directory import StaffMember

logger = logging.getLogger(__name__)


@dataclass
class Summary:
    now: str = ""
    queued: int = 0
    sent: int = 0
    already_sent: int = 0
    already_queued: int = 0
    held: int = 0  # queued rows waiting for the end of quiet hours (all of the outbox, after the pass)
    retrying: int = 0
    failed: int = 0
    uncertain: int = 0
    resent: int = 0
    skipped_no_wecom: int = 0  # pushes not queued: the staff member has no WeCom userid
    muted: int = 0  # pushes not queued: the staff member muted that kind (bot.alerts.mutes)
    nothing_to_say: int = 0  # staff with an empty briefing
    left_to_briefing: int = 0  # risk rises found overnight before a briefing morning: told in the briefing
    briefing: str = "not_due"  # not_due | queued | done_earlier | skipped
    quota_deferred: bool = False
    queued_by_kind: dict[str, int] = field(default_factory=dict)
    examined: dict[str, int] = field(default_factory=dict)

    def take(self, r: EnqueueResult) -> None:
        self.queued += r.queued
        self.already_sent += r.already_sent
        self.already_queued += r.already_queued
        for k, n in r.kinds.items():
            self.queued_by_kind[k] = self.queued_by_kind.get(k, 0) + n

    def as_dict(self) -> dict:
        return asdict(self)


class Directory:
    """Active staff, their WeCom userids, each branch's heads and what each member muted."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(
            select(Staff.id, Staff.name, Staff.role, Staff.branch_id, Staff.wecom_userid).where(Staff.active.is_(True))
        ).all()
        self.members = {r.id: StaffMember(r.id, r.name, r.role, r.branch_id) for r in rows}
        self.wecom = {r.id: r.wecom_userid for r in rows if r.wecom_userid}
        self.heads: dict[int, list[str]] = {}
        for r in sorted(rows, key=lambda r: r.id):
            if r.role == "branch_head":
                self.heads.setdefault(r.branch_id, []).append(r.id)
        self.mutes = mutes_by_staff(session)
        self.skipped = 0
        self.muted = 0

    def muted_for(self, staff_id: str | None) -> frozenset[str]:
        return self.mutes.get(staff_id or "", frozenset())

    def push(
        self,
        staff_id: str | None,
        kind: str,
        subject: str,
        day: date,
        content: str,
        urgent: bool,
        clients: tuple[tuple[int, str], ...] = (),
        shown: int | None = None,  # of `clients`, how many the text names (default: all)
    ) -> list[Push]:
        """The push for one member, or none: not active, no WeCom userid, or the kind muted by them."""
        if staff_id is None or staff_id not in self.members:
            return []
        if is_muted(self.muted_for(staff_id), kind):
            self.muted += 1
            return []
        userid = self.wecom.get(staff_id)
        if not userid:
            self.skipped += 1
            return []
        named = len(clients) if shown is None else shown
        return [Push(staff_id, userid, kind, subject, day, content, urgent, clients, named)]

    def alert(
        self, staff_id: str | None, kind: str, client: Client, subject: str, day: date, content: str, urgent: bool
    ):
        """An alert about one client (the client it names, for a reply in the chat)."""
        return self.push(staff_id, kind, subject, day, content, urgent, ((client.customer_id, kind),))

    def name(self, staff_id: str | None) -> str | None:
        member = self.members.get(staff_id or "")
        return member.name if member else None


def detect(session: Session, now: datetime, settings: AlertSettings, staff: Directory, summary: Summary) -> None:
    """Every detector once over the data after its watermark; pushes queued and watermarks moved together."""
    today = now.date()
    pushes: list[Push] = []

    txns = det.scan_transactions(session, det.watermark(session, det.TXN_DETECTOR), today)
    summary.examined["transactions"] = txns.examined
    for m in txns.movements:
        subject = f"c{m.client.customer_id}:{m.direction}"
        rm_name = staff.name(m.client.rm_id)
        pushes += staff.alert(
            m.client.rm_id,
            "large_movement",
            m.client,
            subject,
            m.day,
            words.large_movement(m, today, rm_name, False),
            True,
        )
        for head in staff.heads.get(m.client.branch_id, []):
            text = words.large_movement(m, today, rm_name, True)
            pushes += staff.alert(head, "large_movement", m.client, subject, m.day, text, True)
    # A non-urgent alert found in quiet hours is read in the morning: its "今天/昨天" are said from then.
    read_on = quiet_hours_end(now, settings).date() if in_quiet_hours(now, settings) else today
    for t in txns.other_bank:
        subject = f"c{t.client.customer_id}"
        pushes += staff.alert(
            t.client.rm_id, "other_bank", t.client, subject, t.day, words.other_bank(t, read_on), False
        )

    scores = det.scan_scores(session, det.watermark(session, det.SCORE_DETECTOR), today)
    summary.examined["churn_scores"] = scores.examined
    # Rises found overnight (the nightly scoring) would reach the RM at the end of quiet hours and again in
    # the briefing half an hour later: on a briefing morning the briefing's "新增高风险" carries them alone.
    briefing_next = in_quiet_hours(now, settings) and briefing_due(
        datetime.combine(read_on, settings.briefing_at), settings
    )
    for r in scores.rises:
        # A member who muted the briefing gets the rise as an alert (unless 风险提醒 is muted too).
        if briefing_next and not is_muted(staff.muted_for(r.client.rm_id), BRIEFING):
            summary.left_to_briefing += 1
            continue
        pushes += staff.alert(
            r.client.rm_id, "risk_high", r.client, f"c{r.client.customer_id}", r.as_of, words.risk_rise(r), False
        )

    if det.watermark(session, det.SALARY_DETECTOR) < today.toordinal():
        for s in det.scan_salary(session, today):
            subject = f"c{s.client.customer_id}"
            pushes += staff.alert(
                s.client.rm_id, "salary_stopped", s.client, subject, s.last_salary_on, words.salary_stopped(s), False
            )
        det.set_watermark(session, det.SALARY_DETECTOR, today.toordinal(), now)

    summary.take(enqueue(session, _styled(pushes, settings), now, settings))
    det.set_watermark(session, det.TXN_DETECTOR, txns.last_id, now)
    det.set_watermark(session, det.SCORE_DETECTOR, scores.last_id, now)


def _styled(pushes: list[Push], settings: AlertSettings) -> list[Push]:
    if not settings.markdown:
        return pushes
    return [replace(p, content=words.as_markdown(p.content)) for p in pushes]


def briefing_due(now: datetime, settings: AlertSettings) -> bool:
    """Working days (Monday to Friday; the bank's holiday calendar is not modelled) from the briefing time to noon."""
    return now.weekday() < 5 and settings.briefing_at <= now.time() < settings.briefing_until


def _briefing_push(staff: Directory, b: RmBriefing, today: date) -> list[Push]:
    clients, shown = words.rm_briefing_clients(b)
    return staff.push(b.staff_id, BRIEFING, "day", today, words.rm_briefing(b), False, tuple(clients), shown)


def queue_briefings(
    session: Session, now: datetime, settings: AlertSettings, staff: Directory, summary: Summary
) -> None:
    """Each RM's briefing and each branch head's per-RM version; nothing when there is nothing to say.

    Once the day's briefings are queued (the watermark holds the day), a second run only counts them."""
    today = now.date()
    if det.watermark(session, det.BRIEFING_DETECTOR) >= today.toordinal():
        summary.briefing = "done_earlier"
        done = session.execute(
            select(func.count()).where(
                OutboxMessage.kind == BRIEFING, OutboxMessage.day == today, OutboxMessage.status == "sent"
            )
        ).scalar_one()
        summary.already_sent += int(done)
        return
    pushes: list[Push] = []
    by_branch: dict[int, list[RmBriefing]] = {}
    for member in sorted(staff.members.values(), key=lambda m: m.id):
        if member.role != "rm":
            continue
        whole = brief.rm_briefing(session, member, today)
        by_branch.setdefault(member.branch_id, []).append(whole)
        b = without_muted_sections(whole, staff.muted_for(member.id))
        if b.empty:
            summary.nothing_to_say += 1
            continue
        pushes += _briefing_push(staff, b, today)
    for branch_id, heads in staff.heads.items():
        for head_id in heads:
            mutes = staff.muted_for(head_id)
            rms = [without_muted_sections(b, mutes) for b in by_branch.get(branch_id, [])]
            bb = brief.branch_briefing(session, staff.members[head_id], rms, today)
            if bb.empty:
                summary.nothing_to_say += 1
                continue
            pushes += staff.push(head_id, BRIEFING, "day", today, words.branch_briefing(bb), False)
    # Briefings go out when queued: the bank's briefing time is when it wants them, quiet hours or not.
    summary.take(enqueue(session, _styled(pushes, settings), now, settings, quiet_hours=False))
    det.set_watermark(session, det.BRIEFING_DETECTOR, today.toordinal(), now)
    summary.briefing = "queued"


def _pass(work: Callable, url: str, now: datetime, settings: AlertSettings, summary: Summary) -> None:
    """One store pass (`detect` or `queue_briefings`) in a session of its own, with its staff directory."""
    with session_scope(url) as session:
        staff = Directory(session)
        work(session, now, settings, staff, summary)
        summary.skipped_no_wecom += staff.skipped
        summary.muted += staff.muted


def _held(url: str, now: datetime) -> int:
    with session_scope(url) as session:
        return int(
            session.execute(
                select(func.count()).where(
                    OutboxMessage.status == "queued", OutboxMessage.attempts == 0, OutboxMessage.not_before > now
                )
            ).scalar_one()
        )


async def run_once(
    url: str,
    api: TencentMessageApi,
    settings: AlertSettings,
    clock: Callable[[], datetime],
    *,
    briefing: str = "auto",  # auto: when due · always · never
    detectors: bool = True,
    after_send: Callable | None = None,
) -> Summary:
    """The store work runs in a worker thread: the watcher runs its jobs in one event loop, and a briefing
    that takes minutes over a large bank must not hold up the detector passes (same-day alerts) meanwhile."""
    await asyncio.to_thread(create_schema, engine_for(url))
    now = clock()
    summary = Summary(now=now.strftime("%Y-%m-%d %H:%M"))
    if detectors:
        await asyncio.to_thread(_pass, detect, url, now, settings, summary)
    if briefing == "always" or (briefing == "auto" and briefing_due(now, settings)):
        await asyncio.to_thread(_pass, queue_briefings, url, now, settings, summary)
    elif briefing == "never":
        summary.briefing = "skipped"
    sent = await Sender(url, api, settings, clock, after_send=after_send).run_pass()
    summary.sent, summary.resent, summary.retrying = sent.sent, sent.resent, sent.retrying
    summary.failed, summary.uncertain, summary.quota_deferred = sent.failed, sent.uncertain, sent.quota_deferred
    summary.held = await asyncio.to_thread(_held, url, clock())
    return summary
