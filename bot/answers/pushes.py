"""A reply to a push: the clients the briefing or the alert named, for "第一个为什么", "给他打电话怎么说"
and 还有吗 in the chat (actions/pushes.py puts them in the conversation's focus).

Both go through the one door and the one scope rule: a push only ever names the recipient's own clients,
but a client handed over since is not theirs any more, so each id is checked again with
`bot.store.scope.visible_among` — one the asker may no longer see keeps its place in the order (the text
showed it) as None, and is never answered about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.answers.question import question
from bot.pages import PAGE_SIZE, Page, page_of
from bot.store.pushes import newest_delivered, pushed_to
from bot.store.scope import visible_among

CAPABILITY = "push_reply"


@dataclass(frozen=True)
class PushFocus:
    """The newest push the asker got, as the conversation's list: the ids its text shows, in order."""

    outbox_id: int
    kind: str
    shown_ids: tuple[int | None, ...]  # None: a client the asker may no longer see

    @property
    def single_client(self) -> int | None:
        """The one client the push is about ("他" / "她"), when it names exactly one."""
        distinct = set(self.shown_ids)
        return next(iter(distinct)) if len(distinct) == 1 else None


def newest_push(
    staff_id: str, after_epoch: float, before_epoch: float | None, today: date, channel: str | None = None
) -> PushFocus | None:
    """The push sent to the asker today after `after_epoch` (the conversation's own last list or client)
    and by `before_epoch` (the message being answered); None when the conversation is newer."""
    with question(staff_id, CAPABILITY, channel) as q:
        push = newest_delivered(q.session, q.staff.id, after_epoch, before_epoch, today)
        if push is None:
            return None
        named = push.clients[: push.shown]
        mine = visible_among(q.session, q.staff, (cid for cid, _ in named))
    return PushFocus(push.outbox_id, push.kind, tuple(cid if cid in mine else None for cid, _ in named))


@dataclass(frozen=True)
class PushLine:
    customer_id: int
    name: str
    tier: str
    about: str  # what the push said of them: an alert kind or a briefing section (bot.alerts.mutes)


@dataclass(frozen=True)
class PushPage:
    kind: str | None  # None: no such push for the asker
    page: Page[PushLine]


def push_page(staff_id: str, outbox_id: int, today: date, offset: int = 0, channel: str | None = None) -> PushPage:
    """A page of the clients one push (sent to the asker) named: 还有吗 after a briefing lists those it
    only counted ("另有2位"), numbered on from the last one its text showed. Clients the asker may no
    longer see are left out of the page (and of its numbering)."""
    with question(staff_id, CAPABILITY, channel) as q:
        push = pushed_to(q.session, q.staff.id, outbox_id)
        if push is None:
            return PushPage(None, Page((), 0, 0))
        mine = visible_among(q.session, q.staff, (cid for cid, _ in push.clients))
        rows = [PushLine(cid, mine[cid][0], mine[cid][1], about) for cid, about in push.clients if cid in mine]
        page = page_of(rows, offset, PAGE_SIZE)
        q.shown(line.customer_id for line in page.items)
    return PushPage(push.kind, page)
