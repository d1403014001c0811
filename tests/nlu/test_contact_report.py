from datetime import date

import pytest

from bot.nlu.contact_report import (
    ContactReport,
    has_correction_cue,
    is_bare_denial,
    is_confirmation,
    read_contact_report,
    wants_to_cancel,
)
from bot.nlu.purposes import canonical_purpose, purpose_in
from bot.nlu.references import points_back

TODAY = date(2026, 11, 18)  # a Wednesday


@pytest.mark.parametrize(
    "text,report",
    [
        ("刚给张伟打了电话，她说钱要拿去买房", ContactReport("phone", "reached", "house", None)),
        ("刚给王秀英打了电话，她说下周来网点", ContactReport("phone", "reached", None, date(2026, 11, 23))),
        ("记一下陈总同意下周三来网点面谈", ContactReport(None, "agreed", None, date(2026, 11, 25))),
        ("给赵姐发了短信 还没回", ContactReport("sms", "no_answer", None, None)),
        ("何平的电话打了三次都没接", ContactReport("phone", "no_answer", None, None)),
        ("嗯那个刚刚打给孙阿姨了 她说要做生意周转", ContactReport("phone", "reached", "business", None)),
        ("姚总微信说已经转到招行了", ContactReport("wechat", "reached", "other_bank", None)),
        ("她说要考虑一下，明天再打", ContactReport(None, "callback", None, date(2026, 11, 19))),
        ("他说不需要", ContactReport(None, "declined", None, None)),
        ("他说不同意转存", ContactReport(None, "declined", None, None)),
        ("客户对上次的服务不满意", ContactReport(None, "declined", None, None)),
        ("同意续存五十万", ContactReport(None, "agreed", None, None)),
        ("上门拜访了黄先生 他儿子要出国留学 钱要用", ContactReport("visit", "reached", "school", None)),
        ("今天微信联系了王总 他说不转了", ContactReport("wechat", "agreed", None, None)),
    ],
)
def test_a_report_reads_channel_outcome_purpose_and_next_date(text, report):
    assert read_contact_report(text, TODAY) == report


def test_a_correction_takes_the_last_value_named():
    assert read_contact_report("不是电话，是微信", TODAY, correction=True).channel == "wechat"
    assert read_contact_report("不是买房，是买车", TODAY, correction=True).purpose == "car"
    assert read_contact_report("下次联系改成周五", TODAY, correction=True) == ContactReport(next_on=date(2026, 11, 20))


@pytest.mark.parametrize("text", ["确认", "对", "好的，保存吧", "确认无误", "嗯嗯 可以"])
def test_confirmations(text):
    assert is_confirmation(text) and not wants_to_cancel(text)


@pytest.mark.parametrize("text", ["对，改成微信", "确认一下她的电话", "下次联系改成周五", ""])
def test_not_confirmations(text):
    assert not is_confirmation(text)


@pytest.mark.parametrize("text", ["取消", "算了，先不记了", "别记了", "不用登记", "不用了"])
def test_cancellations(text):
    assert wants_to_cancel(text)


@pytest.mark.parametrize("text", ["她说算了，不转了", "客户说不要了", "下次联系改成周五"])
def test_a_quoted_client_or_a_change_is_no_cancellation(text):
    assert not wants_to_cancel(text)


def test_a_bare_no_is_told_apart_from_a_correction():
    assert is_bare_denial("不对") and is_bare_denial("不是！")
    assert not is_bare_denial("不对，是微信联系的") and has_correction_cue("不对，是微信联系的")


def test_purposes_from_entity_values_and_text():
    assert canonical_purpose("house") == "house"
    assert canonical_purpose("孩子出国留学") == "school"
    assert canonical_purpose("装修") is None
    assert purpose_in("说要把钱转到别的银行") == "other_bank"
    assert purpose_in("住院要用钱") == "medical"


def test_pronouns_point_back_but_other_banks_do_not():
    assert points_back("给她打电话怎么说") and points_back("这位客户要取钱")
    assert not points_back("客户要取五十万转到他行") and not points_back("其他客户")
