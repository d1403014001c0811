from __future__ import annotations

from tools.converse.checks import Observed, Resolved, check_turn, names_in_text
from tools.converse.script import Expect, QueryRef, StoreCheck

QUERY = QueryRef("maturing_between", (("start", "today"), ("end", "week_end")))


def seen(text: str, ms: int | None = 100, **kw) -> Observed:
    return Observed((text,) if text else (), ms, **kw)


def test_longer_name_wins_so_zhang_weiming_is_not_read_as_zhang_wei():
    assert names_in_text("1. 张伟明 理财 2. 王秀英", ["张伟", "张伟明", "王秀英"]) == ["张伟明", "王秀英"]


def test_customers_exactly_lists_missing_and_unexpected_names():
    resolved = Resolved(names={"customers_exactly": ["王秀英", "陈建国"]}, book=["王秀英", "陈建国", "张伟"])
    [failure] = check_turn(Expect(customers_exactly=QUERY), seen("王秀英、张伟"), resolved)
    assert failure.detail == ("- 陈建国    (expected, not named)", "+ 张伟    (named, not expected)")


def test_customers_exactly_with_an_empty_list_fails_when_a_client_is_named():
    [failure] = check_turn(Expect(customers_exactly=()), seen("张伟的资产"), Resolved(book=["张伟"]))
    assert failure.check == "customers_exactly"


def test_customers_include_allows_extra_names_but_not_missing_ones():
    resolved = Resolved(names={"customers_include": ["王秀英"]}, book=["王秀英", "张伟"])
    assert check_turn(Expect(customers_include=QUERY), seen("王秀英 张伟"), resolved) == []
    assert check_turn(Expect(customers_include=QUERY), seen("张伟"), resolved)[0].check == "customers_include"


def test_customers_among_needs_at_least_one_name_and_none_outside():
    resolved = Resolved(names={"customers_among": ["王秀英", "陈建国"]}, book=["王秀英", "陈建国", "张伟"])
    assert check_turn(Expect(customers_among=QUERY), seen("先联系王秀英"), resolved) == []
    assert "names no customer" in check_turn(Expect(customers_among=QUERY), seen("今天没什么事"), resolved)[0].summary
    assert check_turn(Expect(customers_among=QUERY), seen("王秀英 张伟"), resolved)[0].detail == (
        "+ 张伟    (named, not expected)",
    )


def test_equals_failure_carries_a_unified_diff():
    [failure] = check_turn(Expect(equals="第一行\n第二行"), seen("第一行\n第三行"), Resolved())
    assert "-第二行" in failure.detail and "+第三行" in failure.detail


def test_not_contains_quotes_the_offending_line():
    [failure] = check_turn(Expect(not_contains=("手机",)), seen("王秀英\n手机 13800001234"), Resolved())
    assert failure.detail == ("> 手机 13800001234",)


def test_missing_reply_fails_unless_no_reply_is_expected():
    assert check_turn(Expect(), seen(""), Resolved())[0].check == "reply"
    assert check_turn(Expect(reply_count=0), seen(""), Resolved()) == []


def test_store_count_and_names_compare_the_query_result():
    expect = Expect(store=StoreCheck(QueryRef("contacts_logged"), count=1, names=("王秀英",)))
    assert check_turn(expect, seen("已记录"), Resolved(store=["王秀英"])) == []
    failures = check_turn(expect, seen("已记录"), Resolved(store=["王秀英", "王秀英"]))
    assert [f.check for f in failures] == ["store", "store"]


def test_slot_star_needs_any_value_and_null_needs_none():
    expect = Expect(slots=(("focus_customer_id", "*"), ("last_list", None)))
    assert check_turn(expect, seen("ok", slots={"focus_customer_id": 3, "last_list": None}), Resolved()) == []
    [failure] = check_turn(expect, seen("ok", slots={"focus_customer_id": None}), Resolved())
    assert failure.summary == "slot focus_customer_id: expected '*', got None"
