"""The ±20万 rule (seed 002): a client of 50万 and more moving 20万 in or out on one day is reported to the branch
head, with the day and the amount."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from bot.playbook import signals as sig
from bot.playbook.daily_plan import daily_plan
from bot.playbook.next_steps import next_steps
from bot.store.situation import situation as store_situation
from tests.playbook.rows import TODAY, WAN, Bank, DayMovement, pg_schema_engine, situation, sqlite_session


def out_on(day: date, wan: float) -> DayMovement:
    return DayMovement(day, "out", int(wan * WAN))


def test_a_50wan_client_moving_20wan_out_in_one_day_is_reported_with_the_day_and_amount():
    s = situation(aum_fen=60 * WAN, largest_day_outflow=out_on(date(2024, 11, 22), 20))
    assert sig.large_outflow(s) == out_on(date(2024, 11, 22), 20)
    text = next(a.text for a in next_steps(s, TODAY).actions if a.code == "report_outflow")
    assert "11月22日" in text and "20万" in text and "网点负责人" in text


def test_a_client_under_50wan_is_not_reported():
    s = situation(aum_fen=25 * WAN, aum_90d_ago_fen=30 * WAN, largest_day_inflow=DayMovement(TODAY, "in", 20 * WAN))
    assert sig.large_movement(s) is None
    assert "report_inflow" not in [a.code for a in next_steps(s, TODAY).actions]


def test_an_outflow_that_takes_a_50wan_client_below_50wan_is_still_reported():
    s = situation(aum_fen=35 * WAN, aum_90d_ago_fen=None, largest_day_outflow=out_on(TODAY, 25))  # 60万 before
    assert sig.large_outflow(s) is not None


def test_19wan_on_a_day_is_not_reported_even_when_30_days_add_up_to_more():
    s = situation(aum_fen=80 * WAN, outflow_30d_fen=60 * WAN, largest_day_outflow=None)
    assert sig.large_movement(s) is None
    assert daily_plan([s], TODAY) == []


def test_the_plan_line_gives_the_day_and_the_amount():
    s = situation(aum_fen=90 * WAN, largest_day_inflow=DayMovement(TODAY - timedelta(days=2), "in", 30 * WAN))
    (item,) = daily_plan([s], TODAY)
    assert item.why == "11月25日单日流入30万：报告网点负责人，尽快跟进"


def test_the_store_sums_each_day_and_keeps_in_and_out_apart(tmp_path):
    _sums_each_day(Bank(sqlite_session(tmp_path)))


def test_the_store_sums_each_day_on_postgresql_too():
    with pg_schema_engine() as engine, Session(engine, future=True) as s:
        _sums_each_day(Bank(s))


def _sums_each_day(bank: Bank) -> None:
    rm = bank.staff("rm1", bank.branch())
    c = bank.customer(rm, aum_fen=70 * WAN)
    day = TODAY - timedelta(days=4)
    bank.txn(c, day, 12 * WAN, "out")
    bank.txn(c, day, 9 * WAN, "out")  # same day: 21万 out
    bank.txn(c, day, 21 * WAN, "in")  # in and out measured apart, not netted
    bank.txn(c, TODAY - timedelta(days=10), 15 * WAN, "out")
    bank.txn(c, TODAY - timedelta(days=11), 15 * WAN, "out")  # 30万 over two days: no single day reaches 20万
    bank.txn(c, TODAY - timedelta(days=40), 80 * WAN, "out")  # outside the 30-day window
    s = store_situation(bank.s, c.id, TODAY)
    assert s.largest_day_outflow == DayMovement(day, "out", 21 * WAN)
    assert s.largest_day_inflow == DayMovement(day, "in", 21 * WAN)
    assert sig.large_outflow(s) == DayMovement(day, "out", 21 * WAN)
