"""Southern and north-eastern words put into Mandarin (bot/nlu/dialect.py). Cases written for the module,
apart from the training data and the held-out sets."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.dialect import WORDS, to_mandarin
from bot.nlu.typos import BankWordSpeller


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("佢嘅定期几时到期", "他的定期啥时到期"),
        ("点解马丽有流失风险", "为啥马丽有流失风险"),
        ("边个客户最危险", "哪个客户最危险"),
        ("上个月有冇大额转走嘅", "上个月有没大额转走的"),
        ("睇下钟伟强嘅资产", "看下钟伟强的资产"),
        ("打电话俾佢讲咩好", "打电话给他讲啥好"),
        ("唔该", "谢谢"),
        ("唔好再推生日提醒", "不要再推生日提醒"),
        ("这客户要走咋整", "这客户要走咋办"),
        ("帮我扒一下邢立伟", "帮我查一下邢立伟"),
        ("瞅瞅今天该打给谁", "看看今天该打给谁"),
    ],
)
def test_dialect_words_become_mandarin(typed, meant):
    assert to_mandarin(typed) == meant


@pytest.mark.parametrize("typed", ["边丽娟的持仓", "本周哪些客户理财到期", "看一下王秀英的情况", ""])
def test_mandarin_and_names_are_left_as_typed(typed):
    assert to_mandarin(typed) == typed


def test_every_word_keeps_the_text_length():
    for word, mandarin in WORDS:
        assert len(word) == len(mandarin), word


def test_the_speller_puts_dialect_into_mandarin_before_the_tokenizer():
    message = Message(data={TEXT: "佢嘅lsfx高唔高"})

    BankWordSpeller().process([message])

    assert message.get(TEXT) == "他的流失风险高不高"
