"""`bind-openid STAFF_ID OPENID`: how an administrator lets a staff member use the official account."""

from __future__ import annotations

from sqlalchemy import select
from wx_fakes import COUNTER_ID, RM_ID, RM_OPENID

from bot.channels.admin import main
from bot.store.db import session_scope
from bot.store.models import Staff

NEW_OPENID = "oLiNa_openid_0000000000000002"


def test_bind_openid_ties_the_openid_to_the_staff_member(staff_db, capsys):
    assert main(["bind-openid", COUNTER_ID, NEW_OPENID]) == 0
    with session_scope() as session:
        assert session.get(Staff, COUNTER_ID).wechat_openid == NEW_OPENID
    assert COUNTER_ID in capsys.readouterr().out


def test_bind_openid_for_unknown_staff_fails_and_changes_nothing(staff_db, capsys):
    assert main(["bind-openid", "nobody", NEW_OPENID]) == 1
    assert "nobody" in capsys.readouterr().err
    with session_scope() as session:
        assert session.execute(select(Staff.id).where(Staff.wechat_openid == NEW_OPENID)).first() is None


def test_an_openid_already_bound_to_someone_else_is_refused(staff_db, capsys):
    assert main(["bind-openid", COUNTER_ID, RM_OPENID]) == 1
    with session_scope() as session:
        assert session.get(Staff, RM_ID).wechat_openid == RM_OPENID
        assert session.get(Staff, COUNTER_ID).wechat_openid is None


def test_malformed_openid_is_refused(staff_db):
    assert main(["bind-openid", COUNTER_ID, "o'; drop table staff;--"]) == 2
    with session_scope() as session:
        assert session.get(Staff, COUNTER_ID).wechat_openid is None
