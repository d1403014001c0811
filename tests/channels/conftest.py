from __future__ import annotations

import pytest
import pytest_asyncio
from wx_fakes import (
    APP_SECRET,
    CORP_SECRET,
    COUNTER_ID,
    LEFT_ID,
    LEFT_WECOM,
    RM_ID,
    RM_OPENID,
    RM_WECOM,
)

from bot.store.db import create_schema, engine_for, session_scope
from bot.store.models import Branch, Staff
from tools.fake_tencent import FakeTencentApi


@pytest.fixture
def staff_db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("BOT_DB_URL", url)
    create_schema(engine_for(url))
    with session_scope(url) as session:
        session.add(Branch(id=1, code="HZ001", name="城东支行", city="杭州"))
        session.flush()
        session.add_all(
            [
                Staff(id=RM_ID, name="张伟", role="rm", branch_id=1, wecom_userid=RM_WECOM, wechat_openid=RM_OPENID),
                Staff(id=COUNTER_ID, name="李娜", role="counter", branch_id=1, wecom_userid="lina"),
                Staff(id=LEFT_ID, name="王强", role="rm", branch_id=1, wecom_userid=LEFT_WECOM, active=False),
            ]
        )
    return url


@pytest_asyncio.fixture
async def fake_api():
    api = FakeTencentApi(corp_secret=CORP_SECRET, app_secret=APP_SECRET)
    await api.start()
    yield api
    await api.stop()
