"""别再推送生日提醒了 / 恢复早报 / 我关了哪些推送: the pushes a staff member mutes for themselves.

The rule of what may be muted is bot.alerts.mutes (duties are refused); the rows are bot.store.mutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.alerts.mutes import DUTIES, MUTABLE, may_mute
from bot.alerts.outbox import withdraw_queued
from bot.answers.question import question
from bot.nlu.alert_topics import LIST, MUTE, MuteRequest
from bot.store import mutes as rows

CAPABILITY = "alert_mutes"


@dataclass(frozen=True)
class MuteAnswer:
    action: str  # mute | unmute | list (bot.nlu.alert_topics)
    changed: tuple[str, ...] = ()  # muted (or unmuted) now
    unchanged: tuple[str, ...] = ()  # already muted (or were not muted)
    refused: tuple[str, ...] = ()  # duties, never muted
    unknown: str | None = None  # named, but no kind of push
    mutes: tuple[str, ...] = ()  # what the asker has muted, after this

    @property
    def nothing_named(self) -> bool:
        return self.action != LIST and not (self.changed or self.unchanged or self.refused)


def manage_mutes(staff_id: str, request: MuteRequest, now: datetime, channel: str | None = None) -> MuteAnswer:
    kinds = MUTABLE if request.every else request.topics
    changed: list[str] = []
    unchanged: list[str] = []
    refused = tuple(k for k in kinds if k in DUTIES)
    with question(staff_id, CAPABILITY, channel) as q:
        if request.action != LIST:
            for kind in (k for k in kinds if may_mute(k)):
                if request.action == MUTE:
                    done = rows.mute(q.session, q.staff.id, kind, now)
                    withdraw_queued(q.session, q.staff.id, kind)  # also what is held for the morning
                else:
                    done = rows.unmute(q.session, q.staff.id, kind)
                (changed if done else unchanged).append(kind)
        mutes = tuple(k for k in rows.mutes_of(q.session, q.staff.id) if may_mute(k))
    return MuteAnswer(request.action, tuple(changed), tuple(unchanged), refused, request.unknown, mutes)
