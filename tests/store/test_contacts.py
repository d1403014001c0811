import threading
from datetime import date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.store import contacts
from bot.store.contacts import log_contact
from bot.store.db import create_schema, make_engine
from bot.store.models import Contact
from tests.playbook.rows import Bank, pg_schema_engine

AT = datetime(2024, 11, 27, 10, 15)


def _book(session):
    """rm1 with client 张伟; rm2 in the same branch; a branch head and a counter clerk there."""
    bank = Bank(session)
    west = bank.branch("西湖支行")
    east = bank.branch("城东支行")
    rm1 = bank.staff("rm1", west)
    bank.staff("rm2", west)
    bank.staff("head", west, role="branch_head")
    bank.staff("counter1", west, role="counter")
    bank.staff("head_east", east, role="branch_head")
    bank.staff("gone", west, active=False)
    customer = bank.customer(rm1, name="张伟")
    session.commit()
    return customer.id


def _log(session, customer_id, staff_id="rm1", key="req-1", **kw):
    args = dict(
        channel="phone",
        outcome="reached",
        stated_purpose="house",
        note="钱要拿去买房",
        next_contact_on=date(2024, 12, 4),
        contacted_at=AT,
        request_key=key,
    )
    args.update(kw)
    return log_contact(session, staff_id, customer_id, **args)


@pytest.fixture
def sqlite_factory(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'contacts.db'}")
    create_schema(engine)
    yield sessionmaker(engine, future=True, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def customer_id(sqlite_factory):
    with sqlite_factory() as s:
        return _book(s)


def _rows(factory):
    with factory() as s:
        return s.execute(select(func.count()).select_from(Contact)).scalar_one()


def test_contact_is_written_with_every_field(sqlite_factory, customer_id):
    with sqlite_factory.begin() as s:
        contact_id, created = _log(s, customer_id)
    assert created
    with sqlite_factory() as s:
        row = s.get(Contact, contact_id)
        assert (row.staff_id, row.customer_id, row.channel, row.outcome, row.stated_purpose) == (
            "rm1",
            customer_id,
            "phone",
            "reached",
            "house",
        )
        assert (row.note, row.next_contact_on, row.contacted_at, row.request_key) == (
            "钱要拿去买房",
            date(2024, 12, 4),
            AT,
            "req-1",
        )


def test_a_repeated_confirmation_returns_the_first_row(sqlite_factory, customer_id):
    with sqlite_factory.begin() as s:
        first = _log(s, customer_id)
    with sqlite_factory.begin() as s:
        again = _log(s, customer_id, note="重复提交")
    assert (first[1], again) == (True, (first[0], False))
    assert _rows(sqlite_factory) == 1


def test_contacts_without_a_key_are_all_written(sqlite_factory, customer_id):
    with sqlite_factory.begin() as s:
        _log(s, customer_id, key=None)
        _log(s, customer_id, key=None)
    assert _rows(sqlite_factory) == 2


def test_a_key_reused_for_another_client_or_staff_is_an_error(sqlite_factory, customer_id):
    with sqlite_factory.begin() as s:
        _log(s, customer_id)
    with sqlite_factory.begin() as s, pytest.raises(ValueError):
        _log(s, customer_id, staff_id="head")


def test_rm_cannot_log_a_contact_for_another_rms_client(sqlite_factory, customer_id):
    with sqlite_factory() as s, pytest.raises(PermissionError):
        _log(s, customer_id, staff_id="rm2")
    assert _rows(sqlite_factory) == 0


def test_branch_head_and_counter_staff_may_log_for_their_branch_only(sqlite_factory, customer_id):
    with sqlite_factory.begin() as s:
        assert _log(s, customer_id, staff_id="head", key="k-head")[1]
        assert _log(s, customer_id, staff_id="counter1", key="k-counter")[1]
    with sqlite_factory() as s, pytest.raises(PermissionError):
        _log(s, customer_id, staff_id="head_east", key="k-east")


def test_inactive_or_unknown_staff_cannot_log(sqlite_factory, customer_id):
    for staff_id in ("gone", "nobody"):
        with sqlite_factory() as s, pytest.raises(PermissionError):
            _log(s, customer_id, staff_id=staff_id, key=f"k-{staff_id}")


def test_unknown_customer_is_a_lookup_error(sqlite_factory, customer_id):
    with sqlite_factory() as s, pytest.raises(LookupError):
        _log(s, 999_999)


@pytest.mark.parametrize(
    "bad",
    [
        {"channel": "pigeon"},
        {"outcome": ""},
        {"outcome": "x" * 17},
        {"key": "k" * 65},
        {"contacted_at": date(2024, 11, 27)},
    ],
)
def test_invalid_input_is_rejected_before_writing(sqlite_factory, customer_id, bad):
    with sqlite_factory() as s, pytest.raises((ValueError, TypeError)):
        _log(s, customer_id, **bad)
    assert _rows(sqlite_factory) == 0


def test_a_failed_write_rolls_back_with_its_unit_of_work(sqlite_factory, customer_id):
    with pytest.raises(RuntimeError):
        with sqlite_factory.begin() as s:
            _log(s, customer_id)
            raise RuntimeError("the reply could not be sent")
    assert _rows(sqlite_factory) == 0


def test_losing_the_insert_race_returns_the_winners_row(sqlite_factory, customer_id, monkeypatch):
    """Another session writes the key between our check and our insert: the unique constraint decides."""
    with sqlite_factory.begin() as s:
        winner, _ = _log(s, customer_id)
    real_by_key = contacts._by_key
    checks = []

    def not_yet_visible(session, key):
        checks.append(key)
        return None if len(checks) == 1 else real_by_key(session, key)

    monkeypatch.setattr(contacts, "_by_key", not_yet_visible)
    with sqlite_factory.begin() as s:
        assert _log(s, customer_id) == (winner, False)
    assert len(checks) == 2
    assert _rows(sqlite_factory) == 1


def _race(factory, customer_id, threads=8, rounds=5):
    """`threads` sessions confirm the same request at once, `rounds` times with fresh keys."""
    results: list[tuple[str, int, bool]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    for r in range(rounds):
        barrier = threading.Barrier(threads)
        key = f"race-{r}"

        def confirm(barrier=barrier, key=key):
            try:
                barrier.wait()
                with factory.begin() as s:
                    contact_id, created = _log(s, customer_id, key=key)
                with lock:
                    results.append((key, contact_id, created))
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                with lock:
                    errors.append(exc)

        pool = [threading.Thread(target=confirm) for _ in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join(timeout=60)
    return results, errors


def _assert_one_row_per_key(factory, results, errors, rounds=5, threads=8):
    assert errors == []
    assert len(results) == rounds * threads
    for r in range(rounds):
        mine = [(cid, created) for key, cid, created in results if key == f"race-{r}"]
        assert sum(created for _, created in mine) == 1
        assert len({cid for cid, _ in mine}) == 1
    assert _rows(factory) == rounds


def test_concurrent_confirmations_write_one_row_on_sqlite(sqlite_factory, customer_id):
    results, errors = _race(sqlite_factory, customer_id)
    _assert_one_row_per_key(sqlite_factory, results, errors)


def test_concurrent_confirmations_write_one_row_on_postgresql():
    with pg_schema_engine() as engine:
        factory = sessionmaker(engine, future=True, expire_on_commit=False)
        with Session(engine, future=True) as s:
            customer_id = _book(s)
        results, errors = _race(factory, customer_id)
        _assert_one_row_per_key(factory, results, errors)
