"""Writes and the audit trail through the production-style stack (runs after the hostile-input checks,
which require the customer tables unchanged)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from bot import clock
from bot.audit_cli import audit_rows

RMS = ("rm09", "rm10", "rm11", "rm12")  # no other drill talks as them
COMMON_SURNAMES = "王李张刘陈杨黄赵周吴"


def only_client_so_named(store, rm: str) -> tuple[int, str]:
    """A client of `rm` whose name no other client in the bank has (the form finds them at once), with one
    of the commonest surnames: what is tested here is the write and the audit, not NLU on rare names."""
    with store.connect() as conn:
        row = conn.execute(
            text(
                "SELECT min(id), name FROM customers WHERE closed_on IS NULL AND left(name, 1) = ANY(:surnames) "
                "GROUP BY name HAVING count(*) = 1 AND min(rm_id) = :rm AND char_length(name) = 3 ORDER BY min(id) LIMIT 1"
            ),
            {"rm": rm, "surnames": list(COMMON_SURNAMES)},
        ).first()
    assert row is not None, rm
    return row[0], row[1]


def contacts_of(store, rm: str, customer_id: int) -> int:
    with store.connect() as conn:
        return conn.execute(
            text("SELECT count(*) FROM contacts WHERE staff_id = :s AND customer_id = :c"), {"s": rm, "c": customer_id}
        ).scalar_one()


def test_a_contact_confirmed_twice_at_once_by_many_staff_is_stored_once_each(stack, clients, store):
    def log_one(rm: str) -> tuple[str, int, int, list[int]]:
        customer_id, name = only_client_so_named(store, rm)
        assert clients.counter_say(rm, "/restart").status == 200  # a conversation of its own
        before = contacts_of(store, rm, customer_id)
        asked = clients.counter_say(rm, f"刚给{name}打了电话，说下周来网点")
        assert name in "".join(asked.replies), asked
        with ThreadPoolExecutor(2) as pool:  # a double tap: two requests, possibly on two instances
            taps = list(pool.map(lambda _: clients.counter_say(rm, "对"), range(2)))
        again = clients.counter_say(rm, "对")
        return rm, before, contacts_of(store, rm, customer_id), [t.status for t in (*taps, again)]

    with ThreadPoolExecutor(len(RMS)) as pool:
        results = list(pool.map(log_one, RMS))
    for rm, before, after, statuses in results:
        assert statuses == [200, 200, 200], rm
        assert after - before == 1, (rm, before, after)


def test_the_same_report_confirmed_in_two_separate_forms_is_stored_twice(stack, clients, store):
    """Two real calls reported in the same words on the same day: two rows (the key names the confirmation
    question answered, not the content alone); a repeated "对" after each still adds nothing."""
    rm = "rm11"
    customer_id, name = only_client_so_named(store, rm)
    assert clients.counter_say(rm, "/restart").status == 200
    before = contacts_of(store, rm, customer_id)
    for _ in range(2):
        asked = clients.counter_say(rm, f"刚给{name}打了电话，说下周来网点")
        assert name in "".join(asked.replies), asked
        assert clients.counter_say(rm, "对").status == 200
        assert clients.counter_say(rm, "对").status == 200
    assert contacts_of(store, rm, customer_id) - before == 2


def test_every_customer_lookup_through_the_stack_is_in_the_audit_log(stack, clients, store, bank_url):
    customer_id, name = only_client_so_named(store, "rm12")
    turn = clients.counter_say("rm12", f"看一下{name}的情况")
    assert name in "".join(turn.replies), turn
    rows = audit_rows(bank_url, "rm12", clock.now().date())
    assert any(r["customer_id"] == customer_id and r["channel"] == "counter" for r in rows), rows[:5]
