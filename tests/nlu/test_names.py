import itertools
import time

import pytest

from bot.nlu.names import (
    AMBIGUOUS,
    EXACT,
    NONE,
    PINYIN,
    TITLE,
    ClientRef,
    NameIndex,
    NameMatch,
    find_client_in_text,
    resolve_name,
)

WANG_XIUYING = ClientRef(1, "王秀英", "F")
CHEN_JIANGUO = ClientRef(2, "陈建国", "M")
CHEN_LI = ClientRef(3, "陈丽", "F")
LI_MING = ClientRef(4, "李明", "M")
ZHANG_GUILAN = ClientRef(5, "张桂兰", "F")
LIU_FANG = ClientRef(6, "刘芳", "F")
ZHOU_LI = ClientRef(7, "周丽", "F")
WANG_LICAI = ClientRef(8, "王理财", "M")
LI_CAI = ClientRef(9, "李才", "M")
OUYANG_NANA = ClientRef(10, "欧阳娜娜", "F")
ZENG_ZHIWEI = ClientRef(11, "曾志伟", "M")
SUN_HONG = ClientRef(12, "孙红", "F")

CLIENTS = (
    WANG_XIUYING,
    CHEN_JIANGUO,
    CHEN_LI,
    LI_MING,
    ZHANG_GUILAN,
    LIU_FANG,
    ZHOU_LI,
    WANG_LICAI,
    LI_CAI,
    OUYANG_NANA,
    ZENG_ZHIWEI,
    SUN_HONG,
)


@pytest.mark.parametrize(
    "said,kind,expected",
    [
        ("王秀英", EXACT, [WANG_XIUYING]),
        ("客户王秀英", EXACT, [WANG_XIUYING]),
        ("王秀英女士", EXACT, [WANG_XIUYING]),
        (" 王秀英 ", EXACT, [WANG_XIUYING]),
        ("陈女士", TITLE, [CHEN_LI]),
        ("陈先生", TITLE, [CHEN_JIANGUO]),
        ("王女士", TITLE, [WANG_XIUYING]),
        ("王先生", TITLE, [WANG_LICAI]),
        ("张阿姨", TITLE, [ZHANG_GUILAN]),
        ("刘姐", TITLE, [LIU_FANG]),
        ("孙大姐", TITLE, [SUN_HONG]),
        ("老张", TITLE, [ZHANG_GUILAN]),
        ("小刘", TITLE, [LIU_FANG]),
        ("欧阳女士", TITLE, [OUYANG_NANA]),
        ("曾总", TITLE, [ZENG_ZHIWEI]),
        ("王秀颖", PINYIN, [WANG_XIUYING]),
        ("王秀颖阿姨", PINYIN, [WANG_XIUYING]),
        ("汪女士", PINYIN, [WANG_XIUYING]),  # homophone surname from voice input
        ("增志伟", PINYIN, [ZENG_ZHIWEI]),  # 曾 read as a surname (zeng), not ceng
        ("陈建锅", PINYIN, [CHEN_JIANGUO]),
        ("刘方", PINYIN, [LIU_FANG]),
        ("陈总", AMBIGUOUS, [CHEN_JIANGUO, CHEN_LI]),  # 总 fits either gender
        ("老王", AMBIGUOUS, [WANG_XIUYING, WANG_LICAI]),
        ("李先生", AMBIGUOUS, [LI_MING, LI_CAI]),
    ],
)
def test_said_name_resolves_to_own_clients(said, kind, expected):
    match = resolve_name(said, CLIENTS)

    assert match.kind == kind
    assert list(match.matches) == expected


@pytest.mark.parametrize("said", ["黄秀英", "王秀兰", "赵先生", "张先生", "秀英", "王", "", "老师", "小时", "某某某"])
def test_unknown_or_wrong_gender_resolves_to_none(said):
    assert resolve_name(said, CLIENTS) == NameMatch(NONE, ())


def test_two_clients_with_the_same_name_are_ambiguous():
    twin = ClientRef(99, "王秀英", "F")

    match = resolve_name("王秀英", CLIENTS + (twin,))

    assert match.kind == AMBIGUOUS
    assert set(match.matches) == {WANG_XIUYING, twin}


def test_two_equally_close_sound_alikes_are_ambiguous():
    sound_alike = ClientRef(98, "王秀莹", "F")

    match = resolve_name("王秀颖", (WANG_XIUYING, sound_alike))

    assert match.kind == AMBIGUOUS
    assert set(match.matches) == {WANG_XIUYING, sound_alike}


def test_names_outside_the_candidates_are_never_returned():
    match = resolve_name("王秀英", (CHEN_LI, LI_MING))

    assert match.kind == NONE


def test_client_property_is_set_only_for_a_single_match():
    assert resolve_name("刘芳", CLIENTS).client == LIU_FANG
    assert resolve_name("陈总", CLIENTS).client is None


@pytest.mark.parametrize(
    "text,kind,expected",
    [
        ("客户王秀英要取五十万说是买房", EXACT, [WANG_XIUYING]),
        ("王秀英和李明谁的风险高", AMBIGUOUS, [WANG_XIUYING, LI_MING]),
        ("欧阳娜娜的基金亏了", EXACT, [OUYANG_NANA]),
        ("帮我看看张阿姨的定期", TITLE, [ZHANG_GUILAN]),
        ("刘姐说要转走", TITLE, [LIU_FANG]),
        ("帮我查下欧阳女士的基金", TITLE, [OUYANG_NANA]),
        ("陈总的理财什么时候到期", AMBIGUOUS, [CHEN_JIANGUO, CHEN_LI]),
        ("客户王秀颖要取五十万说是买房", PINYIN, [WANG_XIUYING]),
        ("给增志伟打个电话", PINYIN, [ZENG_ZHIWEI]),
    ],
)
def test_client_is_found_in_a_whole_utterance(text, kind, expected):
    match = find_client_in_text(text, CLIENTS)

    assert match.kind == kind
    assert list(match.matches) == expected


@pytest.mark.parametrize(
    "text",
    [
        "本周哪些客户理财到期",  # 理财 sounds like 李才 and 周 is a client's surname
        "下周三之前要到期的50w以上的理财",
        "一小时后提醒我",
        "我是理财经理",
        "大小王都要联系",
        "今天先联系谁比较好",
        "客户经理的业绩汇总",
        "帮我写一段话术",
        "",
    ],
)
def test_ordinary_words_match_no_client(text):
    assert find_client_in_text(text, CLIENTS).kind == NONE


def test_longest_exact_name_wins_over_a_shorter_client_name_inside_it():
    short = ClientRef(50, "王秀", "F")

    match = find_client_in_text("王秀英要取钱", (short, WANG_XIUYING))

    assert match == NameMatch(EXACT, (WANG_XIUYING,))


def _five_hundred_clients():
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "秀英桂兰建国志强丽华明芳军伟静敏霞平刚勇艳娟"
    pairs = itertools.product(surnames, itertools.combinations(given, 2))
    return [ClientRef(i, s + a + b, "FM"[i % 2]) for i, (s, (a, b)) in zip(range(500), pairs)]


def test_resolve_and_scan_take_under_two_milliseconds_for_five_hundred_clients():
    index = NameIndex(_five_hundred_clients())
    said = ["王秀英", "王秀颖", "陈总", "李女士", "老王", "黄建锅", "某某某"]
    texts = ["本周哪些客户理财到期", "客户王秀颖要取五十万说是买房", "陈总的理财什么时候到期", "给刘姐打个电话"]
    for text in texts:  # warm caches (jieba dictionary, pinyin tables)
        index.find_in_text(text)
        index.resolve(text)

    calls = 0
    started = time.perf_counter()
    for _ in range(20):
        for text in said:
            index.resolve(text)
            calls += 1
        for text in texts:
            index.find_in_text(text)
            calls += 1
    per_call = (time.perf_counter() - started) / calls

    assert per_call < 0.002
