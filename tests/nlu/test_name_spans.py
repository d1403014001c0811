"""Where a recognised name starts and stops (bot/nlu/name_spans.py): the recogniser's span in, the name out.
Cases written for the rules, with names that are in no training or held-out file."""

from __future__ import annotations

import pytest

from bot.nlu.name_spans import refine, sentence_names


def _refined(text: str, said: str) -> list[str]:
    start = text.index(said)
    return [text[a:b] for a, b in refine(text, [(start, start + len(said))])]


@pytest.mark.parametrize(
    ("text", "span", "names"),
    [
        ("上周拜访了单立群，她想续存", "单立群，", ["单立群"]),  # punctuation is never part of a name
        ("把 甄海鹰 邝文娟 转给rm06", "甄海鹰 邝文娟", ["甄海鹰", "邝文娟"]),  # two names, one span
        ("麻烦替蔺先生查一下", "替蔺先生", ["蔺先生"]),  # a preposition glued in front
        ("电话联系了庞姐，她说再想想", "了庞姐", ["庞姐"]),
        ("符晓东钱全取走了", "符晓东钱", ["符晓东"]),  # a surname and at most two characters
        ("邹建明母亲生病要用钱", "邹建明母", ["邹建明"]),
        ("欧阳俊豪怎么联系", "欧阳俊豪", ["欧阳俊豪"]),  # a compound surname allows one more
        ("韩秀珍阿姨来过了", "韩秀珍阿姨", ["韩秀珍阿姨"]),  # a form of address ends the name
        ("联系巩先生说明天再来", "巩先生说", ["巩先生"]),
        ("客户住址改了", "住址", []),  # a common word that begins with no surname
        ("他说对这个没想法", "没想法", []),
        ("这个老客户要取钱", "老客", []),  # ends inside a word (客户)
        ("帮我写份年终报告", "终报", []),
        ("中总最近怎么样", "中总", ["中总"]),  # heard at the counter for 钟总: no word, kept
        ("阙丽萍为什么流失", "阙丽萍", ["阙丽萍"]),
        ("小柴的理财到期了", "小柴", ["小柴"]),
        ("那个施慧绢风险高在哪", "施慧", ["施慧绢"]),  # speech wrote an unseen character: the name's third
        ("客户赖国明资产多少", "赖国", ["赖国明"]),
        ("郭敏取了十万", "郭敏", ["郭敏"]),  # a verb after a two-character name is no part of it
        ("孔洁下周到期", "孔洁", ["孔洁"]),  # nor the start of a word
        ("邓波为什么要走", "邓波", ["邓波"]),
        ("谭总发个短信", "谭总", ["谭总"]),  # a form of address is whole
        ("滕姐加上微信了", "滕姐加", ["滕姐"]),  # and ends the name after a surname
        ("裘哥快到期了", "裘哥快", ["裘哥"]),
        ("王伯涛下周到期", "王伯涛", ["王伯涛"]),  # 伯 begins given names: no form of address here
    ],
)
def test_a_recognised_span_is_cut_to_the_name(text, span, names):
    assert _refined(text, span) == names


def test_a_one_character_remainder_is_no_name():
    assert _refined("给了钱", "了钱") == []


@pytest.mark.parametrize(
    ("text", "span", "names"),
    [
        ("那个赫连俊说要转走", "连俊", ["赫连俊"]),  # the first character of a compound surname
        ("下午鄢秋菊阿姨要来", "鄢秋菊", ["鄢秋菊阿姨"]),  # the form of address after it
        ("柜台这位牟小娟要取钱", "小娟", ["牟小娟"]),  # a familiar name after 这位: the surname before it
        ("顾老师退休了", "老师", ["顾老师"]),  # a bare form of address is no name: the surname before it
        ("他咋就成低风险了", "成低", []),  # 成|低风险: the span's last character begins a word
        ("新地址是湖滨路18号", "滨路", []),  # ends like a place
    ],
)
def test_a_span_is_completed_at_its_edges(text, span, names):
    assert _refined(text, span) == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("鞠文涛的资产变化", ["鞠文涛"]),
        ("记一个投诉楚美凤嫌排队太久", ["楚美凤"]),
        ("谭大爷说下周来", ["谭大爷"]),
        ("麻烦看一下慕容秋雨的持仓", ["慕容秋雨"]),
        ("帮我查查燕振华先生", ["燕振华先生"]),
        ("客户经理冯敏跟进得怎么样", []),  # a colleague
        ("给客户发条生日祝福", []),  # 祝福 is a word that begins with a surname
        ("孙子要上学了", []),
        ("高风险的客户有哪些", []),
        ("本周哪些客户理财到期", []),
    ],
)
def test_names_read_from_the_sentence_shape(text, names):
    assert [text[a:b] for a, b in sentence_names(text)] == names
