from datetime import date

from bot.store.maturing import MaturingFilter, maturing_holdings
from bot.store.staff_directory import staff_by_id
from bot.tiers import WAN
from tests import factories as f

WEEK = MaturingFilter(start=date(2026, 11, 16), end=date(2026, 11, 22))


def _bank(s):
    f.branch(s, 1)
    f.branch(s, 2, "滨江支行")
    f.staff(s, "rm01", "王丽")
    f.staff(s, "rm02", "赵强")
    f.staff(s, "rm03", "钱敏", branch_id=2)
    f.staff(s, "bh01", "孙行", role="branch_head")
    wealth, cd = f.product(s, "wealth"), f.product(s, "cd", "大额存单3年", 1095)
    mine = f.customer(s, "陈建国", "rm01", gender="M", aum_wan=320)
    mine2 = f.customer(s, "王秀英", "rm01")
    theirs = f.customer(s, "李娜", "rm02")
    other_branch = f.customer(s, "周涛", "rm03", branch_id=2)
    f.holding(s, mine, wealth, 300, date(2026, 11, 20))
    f.holding(s, mine2, wealth, 20, date(2026, 11, 20))
    f.holding(s, mine2, cd, 50, date(2026, 11, 17))
    f.holding(s, mine2, wealth, 10, date(2026, 11, 23))  # next week
    f.holding(s, mine, wealth, 5, date(2026, 11, 19), status="redeemed")
    f.holding(s, theirs, wealth, 80, date(2026, 11, 18))
    f.holding(s, other_branch, wealth, 90, date(2026, 11, 18))
    return mine, mine2, theirs


def test_rm_sees_only_own_clients_maturing_in_range_ordered_by_date_then_amount(session):
    _bank(session)
    page = maturing_holdings(session, staff_by_id(session, "rm01"), WEEK)
    assert [(i.customer_name, i.amount_fen // WAN, i.maturity_date.day) for i in page.items] == [
        ("王秀英", 50, 17),
        ("陈建国", 300, 20),
        ("王秀英", 20, 20),
    ]
    assert page.total == 3 and page.total_amount_fen == 370 * WAN


def test_branch_head_sees_whole_branch_but_not_other_branches(session):
    _bank(session)
    page = maturing_holdings(session, staff_by_id(session, "bh01"), WEEK)
    assert {i.customer_name for i in page.items} == {"王秀英", "陈建国", "李娜"}


def test_product_and_amount_filters_narrow_the_list(session):
    _bank(session)
    rm = staff_by_id(session, "rm01")
    only_cd = maturing_holdings(session, rm, MaturingFilter(WEEK.start, WEEK.end, product_types=("cd",)))
    assert [i.product_type for i in only_cd.items] == ["cd"]
    big = maturing_holdings(session, rm, MaturingFilter(WEEK.start, WEEK.end, min_fen=50 * WAN))
    assert sorted(i.amount_fen // WAN for i in big.items) == [50, 300]


def test_pages_report_how_many_remain(session):
    _bank(session)
    rm = staff_by_id(session, "rm01")
    first = maturing_holdings(session, rm, WEEK, offset=0, limit=2)
    second = maturing_holdings(session, rm, WEEK, offset=2, limit=2)
    assert len(first.items) == 2 and first.remaining == 1
    assert len(second.items) == 1 and second.remaining == 0
    assert {i.holding_id for i in first.items}.isdisjoint({i.holding_id for i in second.items})
