"""`make run` shows the signed-in member's morning briefing when the chat starts (bot/cli.py)."""

from __future__ import annotations

from bot.cli import _briefing


def test_an_rm_sees_their_briefing_a_branch_head_the_branchs_and_the_counter_none(demo_bank, monkeypatch):
    monkeypatch.setenv("BOT_TODAY", "2026-11-18")
    rm = _briefing("rm01")
    assert rm is not None and rm.startswith("李明，早上好。") and "回复" in rm
    head = _briefing("bh01")
    assert head is not None and "晨报" in head and "李明" in head
    assert _briefing("ct01") is None
    assert _briefing("nobody") is None
