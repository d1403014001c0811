import random
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest

from bot import tiers
from bot.playbook.library import CHANNELS, LibraryError, _variant, scripts_library
from bot.playbook.scripts import OCCASIONS, WITHDRAWAL_PURPOSES, applies, choose_occasion, script_for
from tests.playbook.rows import TODAY, WAN, LastContact, LatestScore, MaturingHolding, OpenComplaint, situation

TWO_OPTION_ENDING = re.compile(r"[^。！？]*还是[^。！？]*？$")
LEAKS = ("{", "}", "None", "nan", "NaN", "null")


def render(s, **kw):
    return script_for(s, kw.pop("rm", "李娜"), kw.pop("branch", "西湖支行"), s.as_of, **kw)


# --- the library itself -------------------------------------------------------------------------


def test_every_occasion_has_all_four_channels():
    occasions = scripts_library()["occasions"]
    assert set(occasions) == set(OCCASIONS)
    for code, spec in occasions.items():
        variants = spec["purposes"].values() if "purposes" in spec else [spec]
        for variant in variants:
            assert set(variant["templates"]) == set(CHANNELS), code


def test_large_withdrawal_has_a_variant_per_stated_purpose():
    assert set(scripts_library()["occasions"]["large_withdrawal"]["purposes"]) == set(WITHDRAWAL_PURPOSES)


def test_a_template_with_an_unknown_placeholder_is_rejected_at_load():
    spec = {"why": "x", "templates": {c: "{adress}您好，您看今天还是明天？" for c in CHANNELS}}
    with pytest.raises(LibraryError, match="adress"):
        _variant("typo", spec)


def test_a_template_without_a_two_option_ending_is_rejected_at_load():
    spec = {"why": "x", "templates": {c: "{address}您好，有空来坐坐。" for c in CHANNELS}}
    with pytest.raises(LibraryError, match="two-option"):
        _variant("no_choice", spec)


# --- rendering every script for many clients -----------------------------------------------------

NAMES = ["张伟", "王秀英", "欧阳娜娜", "李", "司马相如", "陈建国", "诸葛亮", "林", "赵丽颖", "周"]
OCCUPATIONS = ["teacher", "business_owner", "个体经营", "engineer", "retired", "企业高管", "doctor", ""]
PRODUCTS = ["稳盈90天", "大额存单", "鑫享添利365天封闭式净值型理财", "国债2024第五期", "季季盈"]
FUNDS = ["成长混合A", "科技先锋股票型证券投资基金", "沪深300指数"]
POLICIES = ["鑫享年金", "福满堂两全保险（分红型）"]
BRANCHES = ["西湖支行", "杭州市西湖区文三路支行", "城东支行", ""]
RMS = ["李娜", "王强", "欧阳明月", ""]
COMPLAINTS = ["fee", "wait_time", "服务态度", "weird_code", ""]


def random_situation(rng: random.Random, occasion: str):
    """A random client, shaped so that `occasion` applies."""
    today = TODAY + timedelta(days=rng.randint(0, 400))
    aum = rng.choice([rng.randint(1, 20_000) * 100_00, 48 * WAN, 190 * WAN, 19 * WAN, 500 * WAN])
    maturing = tuple(
        sorted(
            (
                MaturingHolding(rng.choice(PRODUCTS), rng.choice(["wealth", "cd", "term_deposit", "bond"]),
                                rng.randint(1, 500) * WAN + rng.randint(0, 9999_00), today + timedelta(days=d))
                for d in rng.sample(range(0, 31), rng.randint(0, 3))
            ),
            key=lambda m: m.maturity_date,
        )
    )  # fmt: skip
    contact = None
    if rng.random() < 0.8:
        contact = LastContact(
            today - timedelta(days=rng.randint(0, 200)), "phone", "reached",
            rng.choice([None, "house", "car", "school", "other_bank", "travel"]), rng.choice(["rm1", "rm9"]),
        )  # fmt: skip
    score = None
    if rng.random() < 0.7:
        score = LatestScore(
            rng.random(), rng.choice(["product", "service", "consumption", "intermediary", "none"]),
            rng.choice([None, "理财下周到期", "近30天他行转出"]), today - timedelta(days=rng.randint(0, 30)),
        )  # fmt: skip
    birth = date(rng.randint(1940, 2000), rng.randint(1, 12), rng.randint(1, 28))
    s = situation(
        customer_id=rng.randint(1, 10_000),
        name=rng.choice(NAMES),
        gender=rng.choice(["F", "M"]),
        age=today.year - birth.year,
        birth_date=birth,
        occupation=rng.choice(OCCUPATIONS),
        tier=rng.choice(["private", "vip", "gold", "basic"]),
        value_class=rng.choice(["MVC", "MGC", "LVC", "BZ"]),
        aum_fen=aum,
        demand_deposit_fen=rng.choice([0, rng.randint(1, 3_000_000) * 100]),
        active_holding_count=rng.randint(0, 4),
        maturing=maturing,
        fund_loss_pct=rng.choice([None, round(rng.uniform(0.1, 60), 1)]),
        fund_loss_product=rng.choice(FUNDS),
        low_yield_insurance_product=rng.choice([None, rng.choice(POLICIES)]),
        open_complaint=rng.choice([None, OpenComplaint(rng.choice(COMPLAINTS), today - timedelta(days=9))]),
        last_contact=contact,
        contacted_by_rm=rng.random() < 0.7,
        outflow_30d_fen=rng.choice([0, 25 * WAN]),
        outflow_30d_other_bank_fen=rng.choice([0, 5 * WAN]),
        latest_score=score,
        as_of=today,
    )
    return _make_applicable(rng, s, occasion)


def _make_applicable(rng, s, occasion):
    today = s.as_of
    if occasion == "maturing_before" and not applies(occasion, s):
        s = replace(
            s, maturing=s.maturing + (MaturingHolding("稳盈90天", "wealth", 30 * WAN, today + timedelta(days=1)),)
        )
    if occasion == "maturing_today" and not applies(occasion, s):
        s = replace(s, maturing=(MaturingHolding(rng.choice(PRODUCTS), "cd", 12 * WAN + 3456_78, today),) + s.maturing)
    if occasion == "tier_upgrade" and not applies(occasion, s):
        s = replace(s, aum_fen=47 * WAN)
    if occasion == "fund_loss_review" and s.fund_loss_pct is None:
        s = replace(s, fund_loss_pct=12.5)
    if occasion == "insurance_review":
        s = replace(s, low_yield_insurance=True, low_yield_insurance_product=rng.choice(POLICIES))
    if occasion == "demand_only" and s.demand_deposit_fen == 0:
        s = replace(s, demand_deposit_fen=8 * WAN)
    if occasion == "service_recovery" and s.open_complaint is None:
        s = replace(s, open_complaint=OpenComplaint(rng.choice(COMPLAINTS), today - timedelta(days=3)))
    if occasion == "birthday":
        b = today + timedelta(days=rng.randint(0, 6))
        s = replace(s, birth_date=date(1976 if (b.month, b.day) == (2, 29) else 1975, b.month, b.day))
    assert applies(occasion, s), occasion
    return s


def _assert_clean(script, where):
    for leak in LEAKS:
        assert leak not in script.text, (where, script.text)
        assert leak not in script.why, (where, script.why)
    if script.kind == "care":  # care scripts end without a sales choice
        assert not TWO_OPTION_ENDING.search(script.text), (where, script.text)
    else:
        assert TWO_OPTION_ENDING.search(script.text), (where, script.text)
    assert script.why and len(script.why) <= 80, (where, script.why)
    if script.channel == "sms":
        assert len(script.text) <= 120, (where, len(script.text), script.text)


@pytest.mark.parametrize("occasion", OCCASIONS)
def test_every_script_renders_cleanly_on_every_channel_for_many_clients(occasion):
    rng = random.Random(f"playbook-{occasion}")
    purposes = WITHDRAWAL_PURPOSES if occasion == "large_withdrawal" else (None,)
    for i in range(60):
        s = random_situation(rng, occasion)
        rm, branch = rng.choice(RMS), rng.choice(BRANCHES)
        amount = rng.choice([None, 50 * WAN, 123_456_78])
        for channel in CHANNELS:
            for purpose in purposes:
                script = script_for(s, rm, branch, s.as_of, occasion=occasion, channel=channel, purpose=purpose,
                                    amount_fen=amount)  # fmt: skip
                where = (occasion, channel, purpose, i)
                assert (script.occasion, script.channel) == (occasion, channel), where
                if purpose is not None:
                    assert script.purpose == purpose
                _assert_clean(script, where)


def test_automatic_choice_renders_cleanly_for_many_clients():
    rng = random.Random("playbook-auto")
    for i in range(400):
        s = random_situation(rng, rng.choice(["reconnect", "account_safety"]))
        for channel in (None, *CHANNELS):
            _assert_clean(render(s, channel=channel), (i, channel))


def test_a_requested_occasion_the_facts_do_not_support_falls_back_and_says_so():
    s = situation(maturing=(), open_complaint=None)
    script = render(s, occasion="maturing_today")
    assert script.occasion != "maturing_today"
    assert "产品到期当天" in script.why
    _assert_clean(script, "fallback")


# --- choosing the occasion ----------------------------------------------------------------------


def maturing(days, amount=30 * WAN, name="稳盈90天", type="wealth"):
    return (MaturingHolding(name, type, amount, TODAY + timedelta(days=days)),)


@pytest.mark.parametrize(
    "facts, expected",
    [
        ({"open_complaint": OpenComplaint("fee", date(2024, 11, 1)), "maturing": maturing(0)}, "service_recovery"),
        ({"maturing": maturing(0)}, "maturing_today"),
        ({"maturing": maturing(1)}, "maturing_before"),
        ({"last_contact": None, "contacted_by_rm": False}, "first_contact"),
        ({"last_contact": LastContact(date(2024, 9, 1), "phone", "reached", None, "rm1")}, "reconnect"),
        ({"fund_loss_pct": 15.0, "fund_loss_product": "成长混合"}, "fund_loss_review"),
        ({"fund_loss_pct": 5.0, "fund_loss_product": "成长混合"}, "account_safety"),
        ({"low_yield_insurance": True, "low_yield_insurance_product": "鑫享年金"}, "insurance_review"),
        ({"aum_fen": 48 * WAN}, "tier_upgrade"),
        ({"aum_fen": 8 * WAN, "demand_deposit_fen": 8 * WAN, "active_holding_count": 0}, "demand_only"),
        ({"birth_date": date(1980, 11, 30)}, "birthday"),
        ({"age": 72}, "fraud_warning"),
        ({}, "account_safety"),
    ],
)
def test_the_facts_choose_the_occasion(facts, expected):
    assert choose_occasion(situation(**facts))[0] == expected


def test_a_stated_house_purpose_newer_than_the_score_picks_the_house_withdrawal_script():
    s = situation(
        last_contact=LastContact(date(2024, 11, 25), "phone", "reached", "house", "rm1"),
        latest_score=LatestScore(0.7, "product", "理财到期", date(2024, 11, 20)),
    )
    assert choose_occasion(s) == ("large_withdrawal", "house")


def test_a_maturity_within_a_week_outranks_a_stated_purpose_but_a_later_one_does_not():
    said_house = LastContact(date(2024, 11, 25), "phone", "reached", "house", "rm1")
    soon = situation(last_contact=said_house, maturing=maturing(7))
    later = situation(last_contact=said_house, maturing=maturing(8))
    assert choose_occasion(soon)[0] == "maturing_before"
    assert choose_occasion(later) == ("large_withdrawal", "house")
    assert choose_occasion(situation(maturing=maturing(20)))[0] == "maturing_before"


def test_product_driven_client_moving_money_to_other_banks_gets_the_other_bank_script():
    s = situation(
        latest_score=LatestScore(0.8, "product", "他行转出", date(2024, 11, 26)),
        outflow_30d_fen=25 * WAN,
        outflow_30d_other_bank_fen=25 * WAN,
    )
    assert choose_occasion(s) == ("large_withdrawal", "other_bank")


def test_a_purpose_from_the_counter_gives_the_face_to_face_interception():
    script = render(situation(name="王秀英", gender="F", age=66), purpose="house", amount_fen=50 * WAN)
    assert (script.occasion, script.purpose, script.channel) == ("large_withdrawal", "house", "meeting")
    assert script.text.startswith("先问您一句：这笔钱是您自己要用的吗？")  # 66: fraud screening first
    assert "王女士，恭喜您要买房了！这50万取出来之前" in script.text


# --- personalisation ----------------------------------------------------------------------------


def test_maturing_script_names_client_product_amount_date_rm_and_branch():
    s = situation(name="张伟", gender="F", maturing=maturing(1, amount=30 * WAN, name="稳盈90天"))
    script = render(s, channel="phone")
    for part in ("张女士本人吗", "西湖支行", "李娜", "稳盈90天", "30万", "11月28日（周四）"):
        assert part in script.text
    assert script.text.endswith("您看是今天还是明天过来一趟？")


def test_a_vip_business_owner_is_addressed_as_boss():
    s = situation(name="陈建国", gender="M", tier="vip", occupation="business_owner", aum_fen=80 * WAN)
    assert "请问是陈总本人吗？陈总，" in render(s, occasion="account_safety").text


def test_sms_stays_within_120_characters_even_with_long_names():
    s = situation(
        name="欧阳娜娜",
        maturing=maturing(3, amount=1234_5678_00, name="鑫享添利365天封闭式净值型理财产品A款"),
    )
    script = script_for(s, "欧阳明月", "杭州市西湖区文三路支行", TODAY, occasion="maturing_before", channel="sms")
    assert len(script.text) <= 120
    _assert_clean(script, "long sms")


@pytest.mark.parametrize("said, code", [("电话", "phone"), ("微信", "wechat"), ("短信", "sms"), ("面谈", "meeting"),
                                        ("上门", "meeting"), ("visit", "meeting")])  # fmt: skip
def test_channel_names_staff_use_are_understood(said, code):
    assert render(situation(), channel=said).channel == code


def test_an_unknown_channel_or_occasion_is_an_error():
    with pytest.raises(ValueError):
        render(situation(), channel="fax")
    with pytest.raises(ValueError):
        render(situation(), occasion="lottery")


def test_no_scheduled_contact_client_defaults_to_phone():
    s = situation(aum_fen=2 * WAN, last_contact=None, contacted_by_rm=True)
    assert tiers.band_for(s.aum_fen).contact_every_days is None
    assert render(s).channel == "phone"
