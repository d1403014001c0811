"""Which staff member a platform identity belongs to. Store lookups block, so they run in a thread."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy.orm import Session

from bot.store import staff_directory
from bot.store.db import session_scope
from bot.store.staff_directory import StaffMember


def _lookup(find: Callable[[Session, str], StaffMember | None], key: str) -> StaffMember | None:
    with session_scope() as session:
        return find(session, key)


async def staff_for_wecom_userid(userid: str) -> StaffMember | None:
    return await asyncio.to_thread(_lookup, staff_directory.staff_by_wecom_userid, userid)


async def staff_for_wechat_openid(openid: str) -> StaffMember | None:
    return await asyncio.to_thread(_lookup, staff_directory.staff_by_wechat_openid, openid)


async def staff_for_id(staff_id: str) -> StaffMember | None:
    return await asyncio.to_thread(_lookup, staff_directory.staff_by_id, staff_id)
