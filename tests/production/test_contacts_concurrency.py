"""Many staff confirming contact reports at once, on PostgreSQL: every confirmed contact is stored exactly
once, however often and however concurrently its confirmation arrives."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime

from sqlalchemy import func, select

from bot.store.contacts import log_contact
from bot.store.db import session_scope
from bot.store.models import Contact
from tests import factories as f

RMS = 8
CONTACTS_PER_RM = 5
CONFIRMATIONS = 4  # each contact confirmed this many times (retries, double taps, two instances)
THREADS = 32


def test_concurrent_confirmations_store_every_contact_exactly_once(fresh_pg_url):
    with session_scope(fresh_pg_url) as s:
        f.branch(s)
        clients = {}
        for n in range(1, RMS + 1):
            rm = f"rm{n:02d}"
            f.staff(s, rm, f"经理{n}")
            clients[rm] = [f.customer(s, f"客户{n}-{k}", rm).id for k in range(CONTACTS_PER_RM)]
    calls = [
        (rm, customer_id, f"contact:{rm}:{customer_id}")
        for rm, ids in clients.items()
        for customer_id in ids
        for _ in range(CONFIRMATIONS)
    ]
    random.Random(1).shuffle(calls)
    assert len(calls) % THREADS == 0
    start = threading.Barrier(THREADS)  # calls leave in waves of THREADS at the same instant

    def confirm(call: tuple[str, int, str]) -> tuple[str, int, bool]:
        rm, customer_id, key = call
        start.wait(timeout=30)
        with session_scope(fresh_pg_url) as s:
            contact_id, created = log_contact(
                s,
                rm,
                customer_id,
                "phone",
                "agreed",
                "house",
                "下周来网点",
                date(2026, 11, 30),
                datetime(2026, 11, 22, 10, 30),
                key,
            )
        return key, contact_id, created

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(confirm, calls))

    expected = RMS * CONTACTS_PER_RM
    with session_scope(fresh_pg_url) as s:
        rows = s.execute(select(func.count(Contact.id), func.count(func.distinct(Contact.request_key)))).one()
    assert tuple(rows) == (expected, expected)
    ids_per_key: dict[str, set[int]] = {}
    for key, contact_id, _ in results:
        ids_per_key.setdefault(key, set()).add(contact_id)
    assert all(len(ids) == 1 for ids in ids_per_key.values())  # every retry got the row the first one wrote
    assert sum(created for _, _, created in results) == expected
