"""Readers of issue #13 §4–5: positions in a list, descriptions of a namesake, "X那边呢", counts and sums."""

from datetime import date

import pytest

from bot.nlu.attributes import describe, fits, is_bare_description, singles_out
from bot.nlu.ordinals import is_bare_pick, list_positions
from bot.nlu.references import side_of
from bot.nlu.totals import asks_count, asks_sum


@pytest.mark.parametrize(
    "text,positions",
    [
        ("第三个为什么这么高", [3]),
        ("第4个的话术", [4]),
        ("最后那个呢", [-1]),
        ("前两个都打了", [1, 2]),
        ("倒数第二个", [-2]),
        ("第一和第三个", [1, 3]),
        ("第二、四个的话术", [2, 4]),
        ("头一个呢", [1]),
        ("给第 5 位打电话怎么说", [5]),
        ("第十二个", [12]),
        ("最后一位的下一步", [-1]),
    ],
)
def test_positions(text, positions):
    assert list_positions(text) == positions


@pytest.mark.parametrize(
    "text",
    ["第一次联系", "第三季度到期的", "前三个月没联系的", "前面的", "最后怎么说", "约了她第一个周末来网点",
     "第二个工作日再打", "前两个星期联系过", ""],
)  # fmt: skip
def test_times_and_paging_are_no_positions(text):
    assert list_positions(text) == []


@pytest.mark.parametrize("text,bare", [("最后那个呢", True), ("那第三位呢", True), ("第二个客户怎么样", True),
                                       ("第三个为什么这么高", False), ("前两个都打了", False)])  # fmt: skip
def test_bare_picks(text, bare):
    assert is_bare_pick(text) is bare


class C:
    def __init__(self, tail, birth, gender="M", occupation="", tier="basic", branch="城东支行"):
        self.phone_tail, self.birth_date, self.gender = tail, birth, gender
        self.occupation, self.tier, self.branch_name = occupation, tier, branch


YOUNG = C("3009", date(1988, 1, 1), occupation="工程师")
OLD = C("1111", date(1963, 1, 1), occupation="企业主", tier="vip", branch="城西支行")
TODAY = date(2026, 11, 18)


@pytest.mark.parametrize(
    "text,who",
    [
        ("55岁的那个", []),
        ("63岁的那个", [OLD]),
        ("六十二岁那位", [OLD]),  # one year off still leaves one
        ("开公司的那个", [OLD]),
        ("尾号3009的", [YOUNG]),
        ("住城西那个", [OLD]),
        ("贵宾那个", [OLD]),
        ("八八年生的", [YOUNG]),
        ("年轻的那个", [YOUNG]),
        ("女的那个", []),
    ],
)
def test_descriptions_choose_among_namesakes(text, who):
    assert fits(describe(text), [YOUNG, OLD], TODAY, singles_out(text)) == who


def test_what_a_report_says_in_passing_does_not_choose():
    text = "刚给张伟打了电话，他说快退休了想买保险"
    assert fits(describe(text), [YOUNG, OLD], TODAY, singles_out(text)) == [YOUNG, OLD]


@pytest.mark.parametrize(
    "text",
    ["55岁的那个", "尾号3009的", "开公司的那个", "七零年的", "女的那个呢",
     # every attribute describe() reads, said bare (issue #13): tier, job, age with 多, place with 住 / 支行
     "钻石那个", "做进出口的那位", "七十多岁那个", "当护士的", "住滨湖那位", "东湖支行的那个"],
)  # fmt: skip
def test_bare_descriptions(text):
    assert is_bare_description(text)


@pytest.mark.parametrize(
    "text", ["张伟的持仓", "给他打电话怎么说", "本周到期的", "理财那个呢", "下周那个", "高风险的那个"]
)
def test_questions_are_no_bare_descriptions(text):
    assert not is_bare_description(text)


@pytest.mark.parametrize("text,name", [("李明那边呢", "李明"), ("那张强那边怎么样", "张强"), ("看看王丽手上的", "王丽"),
                                       ("我那边呢", None), ("那下周呢", None), ("王秀英呢", None)])  # fmt: skip
def test_whose_side(text, name):
    assert side_of(text) == name


@pytest.mark.parametrize(
    "text,count,total",
    [
        ("六十五岁以上的有几个", True, False),
        ("多少位客户基金亏了", True, False),
        ("这些客户总共多少钱", False, True),
        ("本周到期的一共多少钱", False, True),
        ("还有几个", False, False),
        ("临界客户有哪些", False, False),
        ("前三个月没联系的", False, False),
    ],
)
def test_counts_and_sums(text, count, total):
    assert (asks_count(text), asks_sum(text)) == (count, total)


@pytest.mark.parametrize(
    "text,bare",
    [("一共几个？", True), ("这些客户总共多少钱", True), ("名单上的客户一共几个人", True), ("还有几个", False),
     ("临界客户有几个", False), ("还有吗", False)],
)  # fmt: skip
def test_bare_figure_questions(text, bare):
    from bot.nlu.totals import is_bare_figure_question

    assert is_bare_figure_question(text) is bare
