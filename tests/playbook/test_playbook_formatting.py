from datetime import date

import pytest

from bot.playbook.formatting import day, form_of_address, money, percent, relative_day


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
