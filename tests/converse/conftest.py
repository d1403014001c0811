from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.store.db import session_scope
from tests import factories as f
from tests.converse.fake_rasa import FakeRasa

TODAY = "2026-11-18"  # a Wednesday: this week ends on Sunday 11-22


@pytest.fixture
def bank(db):
    """rm01 has 王秀英 (理财 due 11-20), 陈建国 (大额存单 due 11-27) and 张伟 (nothing due);
    rm02 has 李娜 (理财 due 11-19). All in one branch headed by bh01."""
    with session_scope(db) as s:
        f.branch(s)
        f.staff(s, "rm01", "王丽", wecom="wangli")
        f.staff(s, "rm02", "李强")
        f.staff(s, "bh01", "赵敏", role="branch_head")
        wealth = f.product(s, "wealth", "稳享6个月")
        cd = f.product(s, "cd", "大额存单3年", term_days=1095)
        f.holding(s, f.customer(s, "王秀英", "rm01", aum_wan=80), wealth, 50, date(2026, 11, 20))
        f.holding(s, f.customer(s, "陈建国", "rm01", gender="M", aum_wan=300), cd, 200, date(2026, 11, 27))
        f.customer(s, "张伟", "rm01", gender="M", aum_wan=10)
        f.holding(s, f.customer(s, "李娜", "rm02", aum_wan=60), wealth, 30, date(2026, 11, 19))
    return db


@pytest.fixture
def fake():
    servers: list[FakeRasa] = []

    def start(**kwargs) -> FakeRasa:
        server = FakeRasa(**kwargs).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def script(tmp_path):
    """Write a conversation file and return its path."""

    def write(text: str, name: str = "conversation.yml") -> Path:
        path = tmp_path / "scripts" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write
