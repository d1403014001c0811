"""Occasions, learned information, complaint kinds and product offers read from the text (#15)."""

from __future__ import annotations

import pytest

from bot.nlu.occasions import named_occasion
from bot.nlu.weekly import complaint_category, info_learned, product_offer


@pytest.mark.parametrize(
    ("text", "occasion", "festival"),
    [
        ("给她发条生日祝福", "birthday", None),
        ("春节前给贵宾客户的问候", "festival", "春节"),
        ("中秋给陈总发个微信", "festival", "中秋节"),
        ("新产品上线的邀约", "new_product", None),
        ("基金赚了该不该止盈怎么说", "take_profit", None),
        ("何桂英的老伴上周过世了，怎么慰问", "condolence", None),
        ("胡军做了手术在住院，发个问候", "get_well", None),
        ("客户说要取钱去看病", None, None),
        ("给王秀英打电话怎么说", None, None),
        ("客户要取五十万说是买房", None, None),
    ],
)
def test_the_occasion_named(text, occasion, festival):
    found = named_occasion(text)
    assert (found.occasion if found else None, found.festival if found else None) == (occasion, festival)


@pytest.mark.parametrize(
    ("text", "field", "value", "valid"),
    [
        ("王秀英换手机号了，新号码13812345678", "phone", "13812345678", True),
        ("她手机换成1381234了", "phone", "", False),
        ("陈总换工作了，现在在华润集团当副总", "occupation", "华润集团副总", True),
        ("何桂英说她已经退休了", "occupation", "退休", True),
        ("周敏的孩子明年要出国读书", "family", "孩子明年要出国读书", True),
        ("备注：她只在晚上八点后方便接电话", "note", "她只在晚上八点后方便接电话", True),
        ("给严老师加一条备注，不要再推保险了", "note", "不要再推保险", True),
        ("罗建华这个人很谨慎，备注下", "note", "罗建华这个人很谨慎", True),
        # a rating is recognised, never written (valid=False: nothing to confirm)
        ("曹丽重新测了风险评估，结果是c2", "risk_rating", "C2", False),
        ("他的风险承受能力升到C4了", "risk_rating", "C4", False),
        ("评级调成C1吧，她说亏不起", "risk_rating", "C1", False),
        ("她刚重新做了测评", "risk_rating", "", False),
        # a move is a note (no address column); said without where to, there is nothing to confirm yet
        ("葛玉珍搬家了，新地址是西溪路66号", "address", "西溪路66号", True),
        ("他搬到临平去了", "address", "临平", True),
        ("房秀云住址变了，要改一下", "address", "", False),
        # a new job not yet said where
        ("晁建国换了单位", "occupation", "", False),
    ],
)
def test_what_was_learned(text, field, value, valid):
    learned = info_learned(text)
    assert learned is not None and (learned.field, learned.value, learned.valid) == (field, value, valid)


@pytest.mark.parametrize("text", ["本周哪些客户理财到期", "C3的客户能买R4的产品吗", "她的风险测评还有效吗", "备注"])
def test_nothing_learned_from_an_unrelated_message(text):
    assert info_learned(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [("客户投诉排队太久", "wait"), ("投诉柜员态度不好", "attitude"), ("嫌手续费乱扣", "fee"), ("投诉了", "service")],
)
def test_complaint_kinds(text, code):
    assert complaint_category(text) == code


def test_a_product_offer():
    offer = product_offer("新发了一款R2的一年期理财，起点5万，哪些客户合适")
    assert (offer.risk, offer.term_days, offer.min_fen, offer.product_type) == ("R2", 365, 5_000_000, "wealth")
    assert product_offer("六个月期的R3基金，起购1万").to_dict()["product_type"] == "fund"
    assert product_offer("新理财谁合适").risk is None
