from datetime import date

import pytest

from bot.formatting import day, form_of_address, money, percent, relative_day
from bot.tiers import WAN


@pytest.mark.parametrize(
    "fen, text",
    [
        (30 * 10_000 * 100, "30万"),
        (456_000_00, "45.6万"),
        (10_000_00, "1万"),
        (9_999_00, "9999元"),
        (12_345_678_00, "1234.6万"),
        (120_000_000_00, "1.2亿"),
        (0, "0元"),
    ],
)
def test_money_is_said_in_wan_the_way_bankers_do(fen, text):
    assert money(fen) == text


@pytest.mark.parametrize(
    "fen, text",
    [
        (86 * WAN, "86万"),
        (300 * WAN, "300万"),
        (int(3.2 * WAN), "3.2万"),
        (5 * WAN, "5万"),
        (860_000, "8600元"),
        (int(12.34 * WAN), "12万"),
        (0, "0元"),
    ],
)
def test_brief_money_rounds_to_whole_wan_in_risk_reasons(fen, text):
    assert money(fen, brief=True) == text


def test_one_and_a_half_yi_reads_the_same_in_lists_and_in_reasons():
    assert money(150_000_000_00) == money(150_000_000_00, brief=True) == "1.5亿"


def test_dates_carry_the_weekday():
    assert day(date(2024, 11, 29)) == "11月29日（周五）"
    assert relative_day(date(2024, 11, 27), date(2024, 11, 27)) == "今天"
    assert relative_day(date(2024, 11, 28), date(2024, 11, 27)) == "明天"
    assert relative_day(date(2024, 11, 29), date(2024, 11, 27)) == "11月29日（周五）"


def test_percent_drops_a_trailing_zero():
    assert (percent(12.5), percent(8.0)) == ("12.5%", "8%")


@pytest.mark.parametrize(
    "name, gender, tier, occupation, address",
    [
        ("张伟", "F", "gold", "teacher", "张女士"),
        ("王强", "M", "basic", "engineer", "王先生"),
        ("陈建国", "M", "vip", "business_owner", "陈总"),
        ("刘芳", "F", "private", "企业高管", "刘总"),
        ("陈建国", "M", "gold", "business_owner", "陈先生"),
        ("李军", "M", "vip", "企业职员", "李先生"),
        ("孙丽", "F", "vip", "个体工商户", "孙总"),
        ("欧阳娜娜", "F", "vip", "doctor", "欧阳女士"),
        ("司马相如", "M", "private", "企业主", "司马总"),
        ("林", "X", "basic", "", "林"),
        ("", "F", "vip", "business_owner", "女士"),
        ("", "X", "basic", "", "尊敬的客户"),
    ],
)
def test_form_of_address(name, gender, tier, occupation, address):
    assert form_of_address(name, gender, tier, occupation) == address


# Formerly bot.nlu.names.title_for's cases; an empty name now gets the honorific alone (the case above).
@pytest.mark.parametrize(
    "name,gender,form",
    [("陈静", "F", "陈女士"), ("陈建国", "M", "陈先生"), ("欧阳娜娜", "F", "欧阳女士"), ("王秀英", "", "王秀英")],
)
def test_polite_form_of_address_without_tier(name, gender, form):
    assert form_of_address(name, gender) == form


def test_pronoun_follows_the_clients_gender():
    from bot.formatting import pronoun

    assert (pronoun("F"), pronoun("f"), pronoun("M"), pronoun("")) == ("她", "她", "他", "他")
