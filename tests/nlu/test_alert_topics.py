"""The kinds of push a message names, and whether it mutes, unmutes or lists them (bot/nlu/alert_topics.py)."""

from __future__ import annotations

import pytest

from bot.nlu.alert_topics import LIST, MUTE, UNMUTE, read_mute_request


@pytest.mark.parametrize(
    "text,action,topics",
    [
        ("别再推送生日提醒了", MUTE, ("birthday",)),
        ("早报不用推了", MUTE, ("briefing",)),
        ("晨报以后别发给我了", MUTE, ("briefing",)),
        ("早上那条推送我不看，关了吧", MUTE, ("briefing",)),
        ("到期提醒先关一下", MUTE, ("maturity",)),
        ("风险提醒别推了，太多了", MUTE, ("risk_high",)),
        ("转出提醒关掉", MUTE, ("other_bank",)),
        ("别再提醒我客户转到别的银行了", MUTE, ("other_bank",)),
        ("工资提醒关了吧", MUTE, ("salary_stopped",)),
        ("工资没到账那种提醒别推了", MUTE, ("salary_stopped",)),
        ("回访提醒关掉", MUTE, ("callback",)),
        ("该联系了那个提醒太烦了，别推了", MUTE, ("overdue",)),
        ("大额转出提醒关掉", MUTE, ("large_movement",)),
        ("柜面大额取款的提醒关了", MUTE, ("counter_withdrawal",)),
        ("生日和回访提醒都关掉", MUTE, ("birthday", "callback")),
        ("生日提醒有没有办法关掉", MUTE, ("birthday",)),
        ("取消生日提醒", MUTE, ("birthday",)),
        ("恢复生日提醒", UNMUTE, ("birthday",)),
        ("取消屏蔽到期提醒", UNMUTE, ("maturity",)),
        ("晨报还是推给我吧", UNMUTE, ("briefing",)),
        ("转出提醒再打开", UNMUTE, ("other_bank",)),
        ("我关了哪些推送", LIST, ()),
        ("我能关掉哪些提醒", LIST, ()),
        ("现在哪些提醒是关着的", LIST, ()),
        ("提醒设置", LIST, ()),
    ],
)
def test_the_action_and_the_kinds_named(text, action, topics):
    request = read_mute_request(text)
    assert (request.action, request.topics) == (action, topics)


def test_a_kind_that_does_not_exist_is_named_back():
    assert read_mute_request("别再推送天气提醒了").unknown == "天气"
    assert read_mute_request("天气提醒关掉").unknown == "天气"


def test_no_kind_named_is_neither_unknown_nor_every():
    request = read_mute_request("别推那么多提醒了")
    assert (request.action, request.topics, request.every, request.unknown) == (MUTE, (), False, None)


def test_every_kind():
    request = read_mute_request("关掉所有能关的提醒")
    assert request.action == MUTE and request.every and request.topics == ()
