"""Bank words typed as pinyin initials (bot/nlu/initials.py). Cases written for the module, apart from the
training data and the held-out sets."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.initials import AMBIGUOUS, INITIALS, expand_initials
from bot.nlu.typos import BankWordSpeller


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("刘海燕lsfx高不高", "刘海燕流失风险高不高"),
        ("给她打电话的hs", "给她打电话的话术"),
        ("xyb该干嘛", "下一步该干嘛"),
        ("我加了他vx", "我加了他微信"),
        ("WX上聊过了", "微信上聊过了"),
        ("本周dq的lc", "本周到期的理财"),
        ("dq存款下个月到期的", "定期存款下个月到期的"),
        ("wsm要转走", "为什么要转走"),
        ("jt先lx谁", "今天先联系谁"),
        ("这个kh zm跟进", "这个客户 怎么跟进"),
        ("发个dx提醒一下", "发个短信提醒一下"),
    ],
)
def test_initials_are_written_out(typed, meant):
    assert expand_initials(typed) == meant


@pytest.mark.parametrize(
    "typed",
    [
        "rm02那边呢",  # a staff id
        "VIP客户有哪些",  # an English word staff use
        "fx敞口怎么看",  # FX, not 风险
        "帮我看下app里的消息",
        "lsfxx是什么",  # not a whole run of initials
        "dq2",  # glued to a digit
        "本周到期的理财",
        "",
    ],
)
def test_other_latin_text_is_left_as_typed(typed):
    assert expand_initials(typed) == typed


def test_every_abbreviation_keeps_the_text_length():
    for initials, word in INITIALS.items():
        assert len(initials) == len(word), initials
    for initials, ((word, _), default) in AMBIGUOUS.items():
        assert len(initials) == len(word) == len(default), initials


def test_the_speller_writes_initials_out_before_the_tokenizer_sees_them():
    message = Message(data={TEXT: "王秀英的lsfx"})

    BankWordSpeller().process([message])

    assert message.get(TEXT) == "王秀英的流失风险"
