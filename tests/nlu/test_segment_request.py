import pytest

from bot.nlu.segment_request import SegmentRequest, parse_segment_request
from bot.store.segments import SEGMENT_KINDS


@pytest.mark.parametrize(
    "text,kind,params",
    [
        ("临界客户有哪些？", "near_upgrade", {}),
        ("快升金卡的客户有谁", "near_upgrade", {}),
        ("差几万就能升级的客户", "near_upgrade", {}),
        ("基金亏损超过15%的客户", "fund_loss", {"min_loss_pct": 15}),
        ("基金亏损超过百分之二十的", "fund_loss", {"min_loss_pct": 20}),
        ("基金亏了一成以上的客户", "fund_loss", {"min_loss_pct": 10}),
        ("基金浮亏两成以上的", "fund_loss", {"min_loss_pct": 20}),
        ("基金亏钱的客户有哪些", "fund_loss", {}),
        ("60岁以上的客户", "aged", {"min_age": 60}),
        ("七十岁以上的老年客户", "aged", {"min_age": 70}),
        ("中老年客户名单", "aged", {"min_age": 50}),
        ("年纪大的客户", "aged", {}),
        ("三个月没联系的贵宾客户", "no_contact", {"days": 90}),
        ("90天没联系的", "no_contact", {"days": 90}),
        ("两个月没联系的客户", "no_contact", {"days": 60}),
        ("半年没来过网点的客户", "no_contact", {"days": 180}),
        ("好久没联系的客户有哪些", "no_contact", {}),
        ("只有活期的客户", "demand_only", {}),
        ("钱全放活期的客户有哪些", "demand_only", {}),
        ("银保收益偏低的客户", "low_yield_insurance", {}),
        ("买了保险收益不理想的客户", "low_yield_insurance", {}),
        ("家里有小孩的客户", "with_children", {}),
        ("有孩子的家庭客户有哪些", "with_children", {}),
    ],
)
def test_segment_questions_map_to_the_store_segment(text, kind, params):
    assert parse_segment_request(text) == SegmentRequest(kind, params)


@pytest.mark.parametrize("text", ["基金亏损超过15%的客户", "60岁以上的客户", "三个月没联系的", "临界客户"])
def test_parameters_are_ones_the_store_accepts(text):
    request = parse_segment_request(text)
    assert set(request.params) <= set(SEGMENT_KINDS[request.kind])


def test_the_most_specific_reading_wins_for_a_mixed_question():
    assert parse_segment_request("基金亏损的老年客户").kind == "fund_loss"


WAN_FEN = 10_000 * 100


@pytest.mark.parametrize(
    "text,filters",
    [
        ("六十五岁以上、资产超过80万的", [("aged", {"min_age": 65}), ("min_aum", {"min_aum_fen": 80 * WAN_FEN + 100})]),
        ("活期超过20万却没有任何理财的", [("min_demand", {"min_demand_fen": 20 * WAN_FEN + 100}), ("no_holdings", {})]),
        ("贵宾里基金亏了两成的", [("fund_loss", {"min_loss_pct": 20})]),
        ("基金亏损的老年客户", [("fund_loss", {}), ("aged", {})]),
        ("好久没联系的退休客户", [("no_contact", {}), ("aged", {})]),
        ("80万以上资产的客户", [("min_aum", {"min_aum_fen": 80 * WAN_FEN})]),
        (
            "活期余额在二十万以上、一个产品都没买的",
            [("min_demand", {"min_demand_fen": 20 * WAN_FEN}), ("no_holdings", {})],
        ),
        ("家里有小孩、总资产不少于50万的", [("with_children", {}), ("min_aum", {"min_aum_fen": 50 * WAN_FEN})]),
        ("七十岁以上三个月没联系的", [("no_contact", {"days": 90}), ("aged", {"min_age": 70})]),
        ("只有活期、没买任何理财的", [("demand_only", {})]),  # no_holdings is already implied
    ],
)
def test_every_filter_named_combines(text, filters):
    request = parse_segment_request(text)
    assert request is not None and request.filters == filters
    for kind, params in request.filters:
        assert set(params) <= set(SEGMENT_KINDS[kind])


def test_a_combined_request_survives_the_conversation_slot():
    request = parse_segment_request("六十五岁以上、资产超过80万的")
    assert request is not None and SegmentRequest.from_dict(request.to_dict()) == request


@pytest.mark.parametrize("text", ["女性客户有哪些", "本周哪些客户理财到期", "持有国债的客户", ""])
def test_questions_about_other_things_are_no_segment(text):
    assert parse_segment_request(text) is None


def test_a_request_survives_the_conversation_slot():
    request = parse_segment_request("基金亏损超过15%的客户")
    assert SegmentRequest.from_dict(request.to_dict()) == request
