"""Mistyped bank words (bot/nlu/typos.py). Cases written for the speller, apart from the training data and
the held-out sets; names from the generator the recogniser trains with, never rewritten."""

from __future__ import annotations

import random

import pytest

from bot.nlu.name_forms import client_name
from bot.nlu.typos import BankWordSpeller, fix_typos


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("下礼拜到其的里财", "下礼拜到期的理财"), ("定其存款明天到起", "定期存款明天到期"), ("来段话述", "来段话术"),
     ("这位咋跟尽", "这位咋跟进"), ("怎么挽流他", "怎么挽留他"), ("赎会了多少", "赎回了多少"), ("帮我联习他", "帮我联系他")],
)  # fmt: skip
def test_a_bank_word_typed_with_a_same_sounding_character_is_put_right(typed, meant):
    assert fix_typos(typed) == meant


@pytest.mark.parametrize(
    "text",
    ["时间流逝得真快", "这周到期金额多少", "升级金卡的话术", "钱转到支付宝了", "转到其他银行", "丁琪到期了吗", "陈立才怎么样",
     "理财到期", ""],
)  # fmt: skip
def test_words_names_and_words_across_a_boundary_stay(text):
    assert fix_typos(text) == text


def test_no_generated_client_name_is_ever_rewritten():
    rng = random.Random(20261206)
    for _ in range(3000):
        name = client_name(rng)
        for shape in ("{}的情况", "给{}打电话怎么说", "{}理财到期了吗", "查查{}"):
            text = shape.format(name)
            at = text.index(name)
            assert fix_typos(text)[at : at + len(name)] == name, text


def test_the_component_keeps_the_length_so_entity_offsets_hold():
    from rasa.shared.nlu.training_data.message import Message

    message = Message(data={"text": "王秀英的里财到起了吗"})
    BankWordSpeller().process([message])
    assert message.get("text") == "王秀英的理财到期了吗"
