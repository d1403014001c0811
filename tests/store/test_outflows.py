from datetime import date, datetime

from bot.store.models import Transaction
from bot.store.outflows import large_outflows
from bot.store.staff_directory import staff_by_id
from bot.tiers import WAN
from tests import factories as f


def _txn(s, customer, day, wan, other_bank=False, direction="out", purpose="transfer"):
    s.add(
        Transaction(
            customer_id=customer.id,
            occurred_at=datetime.combine(day, datetime.min.time()).replace(hour=10),
            amount_fen=int(wan * WAN),
            direction=direction,
            channel="mobile",
            other_bank=other_bank,
            counterparty=None,
            purpose=purpose,
        )
    )
    s.flush()


def _bank(s):
    f.branch(s, 1)
    f.staff(s, "rm01", "王丽")
    f.staff(s, "rm02", "赵强")
    big = f.customer(s, "陈建国", "rm01", gender="M", aum_wan=300)
    small = f.customer(s, "王秀英", "rm01")
    theirs = f.customer(s, "李娜", "rm02")
    _txn(s, big, date(2026, 11, 10), 30, other_bank=True)
    _txn(s, big, date(2026, 11, 12), 15)
    _txn(s, big, date(2026, 9, 1), 80, other_bank=True)  # outside the window
    _txn(s, small, date(2026, 11, 11), 8)
    _txn(s, small, date(2026, 11, 11), 50, purpose="spending")  # card spending does not count
    _txn(s, small, date(2026, 11, 13), 40, direction="in")
    _txn(s, theirs, date(2026, 11, 11), 99, other_bank=True)


def test_outflows_sum_per_own_client_in_window_above_threshold(session):
    _bank(session)
    lines = large_outflows(session, staff_by_id(session, "rm01"), date(2026, 10, 19), date(2026, 11, 18), 20 * WAN)
    assert [
        (line.customer_name, line.total_out_fen // WAN, line.to_other_bank_fen // WAN, line.transfers) for line in lines
    ] == [("陈建国", 45, 30, 2)]
    assert lines[0].last_on == date(2026, 11, 12)


def test_other_bank_only_counts_transfers_to_other_banks(session):
    _bank(session)
    lines = large_outflows(
        session, staff_by_id(session, "rm01"), date(2026, 10, 19), date(2026, 11, 18), 1 * WAN, other_bank_only=True
    )
    assert [(line.customer_name, line.total_out_fen // WAN) for line in lines] == [("陈建国", 30)]
