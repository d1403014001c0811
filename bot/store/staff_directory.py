"""Who is asking: staff looked up by the identity a channel vouches for."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Staff


@dataclass(frozen=True)
class StaffMember:
    id: str
    name: str
    role: str  # rm | branch_head | counter
    branch_id: int


def _member(row: Staff | None) -> StaffMember | None:
    if row is None or not row.active:
        return None
    return StaffMember(row.id, row.name, row.role, row.branch_id)


def staff_by_id(session: Session, staff_id: str) -> StaffMember | None:
    return _member(session.get(Staff, staff_id))


def staff_by_wecom_userid(session: Session, userid: str) -> StaffMember | None:
    return _member(session.execute(select(Staff).where(Staff.wecom_userid == userid)).scalar_one_or_none())


def staff_by_wechat_openid(session: Session, openid: str) -> StaffMember | None:
    return _member(session.execute(select(Staff).where(Staff.wechat_openid == openid)).scalar_one_or_none())


def bind_wechat_openid(session: Session, staff_id: str, openid: str) -> None:
    """Admin command: tie a WeChat official-account OpenID to a staff member."""
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise LookupError(staff_id)
    staff.wechat_openid = openid


def active_staff_of_branch(session: Session, branch_id: int, role: str) -> list[StaffMember]:
    rows = session.execute(
        select(Staff).where(Staff.branch_id == branch_id, Staff.role == role, Staff.active.is_(True)).order_by(Staff.id)
    ).scalars()
    return [m for m in (_member(r) for r in rows) if m is not None]
