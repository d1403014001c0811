"""Hostile input through every channel of the production-style stack (WeCom, WeChat, counter), thousands
of requests in all: no server error, no crash, no customer data changed, and no relationship manager is
shown a client of another RM's book they did not name themselves."""

from __future__ import annotations

import base64
import random
import re
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import text

from tests.production import hostile
from tests.production.constants import SECRETS, WECHAT_OPENID

# Customer tables, checksummed before and after. The audit log (every lookup is recorded) and
# churn_scores (risk computed on demand is stored) are expected to grow and are left out.
CUSTOMER_TABLES = (
    "branches",
    "staff",
    "products",
    "customers",
    "holdings",
    "transactions",
    "aum_snapshots",
    "contacts",
    "complaints",
    "demo_truth",
)
RMS = ("rm01", "rm02", "rm03", "rm04", "rm06", "rm07", "rm08")
SEED = 7


def checksum(store) -> dict[str, str]:
    out = {}
    with store.connect() as conn:
        for table in CUSTOMER_TABLES:
            out[table] = conn.execute(
                text(f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {table} t")
            ).scalar_one()
    return out


@pytest.fixture(scope="module")
def data_before(store, stack):
    return checksum(store)


def fixed_wording() -> str:
    """Everything the assistant says in fixed words: examples there ("比如“看一下王秀英的情况”") are not data."""
    root = Path(__file__).resolve().parents[2]
    files = [
        root / "domain.yml",
        *sorted((root / "bot" / "replies").glob("*.py")),
        root / "bot" / "channels" / "replies.py",
    ]
    return "".join(f.read_text(encoding="utf-8") for f in files if f.exists())


@pytest.fixture(scope="module")
def books(store) -> dict[str, dict[str, set[str]]]:
    """Per RM: the names in their book, and names found only in other books that cannot be mistaken for
    one of theirs (not a part of any own client's or staff member's name, as the demo bank repeats names,
    nor an example in the assistant's fixed wording)."""
    with store.connect() as conn:
        rows = conn.execute(text("SELECT rm_id, name FROM customers WHERE rm_id IS NOT NULL")).all()
        staff_names = [r[0] for r in conn.execute(text("SELECT name FROM staff"))]
    wording = fixed_wording()
    by_rm: dict[str, set[str]] = {}
    for rm, name in rows:
        by_rm.setdefault(rm, set()).add(name)
    out = {}
    for rm in RMS:
        own = by_rm[rm]
        guarded = list(own) + staff_names
        others = {n for r, names in by_rm.items() if r != rm for n in names} - own
        others = {n for n in others if not any(n in g for g in guarded) and n not in wording}
        out[rm] = {"own": own, "other_only": others}
    return out


def disclosed(replies: list[str], said: str, other_only: set[str]) -> set[str]:
    """Other books' names in the replies that the sender did not type."""
    shown = {n for n in other_only for r in replies if n in r}
    return {n for n in shown if n not in said}


def test_forged_and_malformed_requests_are_refused_without_server_errors(stack, clients, data_before, tencent):
    rng = random.Random(SEED)
    delivered_before = len(tencent.all_delivered())
    requests_: list[tuple[str, dict]] = []
    for round_ in range(8):
        now = int(time.time())
        for query in hostile.forged_callback_queries(rng, now):
            for body in hostile.forged_envelopes(rng):
                requests_.append(("/webhooks/wecom/webhook", {"params": query, "data": body}))
                if round_ < 4:
                    requests_.append(
                        ("/webhooks/wechat/webhook", {"params": {**query, "encrypt_type": "aes"}, "data": body})
                    )
        # Correctly signed envelopes around bad contents: undecryptable, another corp, entity bombs inside.
        for inner in (hostile.BILLION_LAUGHS, hostile.XXE, "<xml><MsgType>text</MsgType></xml>", "not xml"):
            requests_.append(("/webhooks/wecom/webhook", dict(zip(("params", "data"), clients.wecom.callback(inner)))))
        junk = base64.b64encode(hostile.random_bytes(rng, 64)).decode()
        requests_.append(("/webhooks/wecom/webhook", dict(zip(("params", "data"), clients.wecom.signed_post(junk)))))
        stale = clients.wecom_callback("nobody", "你好")  # re-signed below with an old timestamp
        old = str(now - 3600)
        requests_.append(
            (
                "/webhooks/wecom/webhook",
                dict(
                    zip(
                        ("params", "data"),
                        clients.wecom.signed_post(
                            re.search(r"<Encrypt><!\[CDATA\[(.*?)\]\]>", stale[1].decode()).group(1), timestamp=old
                        ),
                    )
                ),
            )
        )
        for header in hostile.counter_tokens("rm01", SECRETS["BOT_COUNTER_JWT_SECRET"], rng):
            for body in hostile.COUNTER_BODIES[:8] + [b'{"text": "\xe6\x9c\xac\xe5\x91\xa8"}']:
                headers = {"Content-Type": "application/json"} | ({"Authorization": header} if header else {})
                requests_.append(("/webhooks/counter/webhook", {"data": body, "headers": headers}))
        valid = {"Authorization": f"Bearer {clients.counter_token('rm01')}", "Content-Type": "application/json"}
        for body in hostile.COUNTER_BODIES:
            requests_.append(("/webhooks/counter/webhook", {"data": body, "headers": valid}))

    def send(item: tuple[str, dict]) -> int:
        path, kwargs = item
        try:
            return requests.post(stack.url + path, timeout=30, **kwargs).status_code
        except requests.RequestException as exc:
            return -1 if "timed out" not in str(exc) else -2

    with ThreadPoolExecutor(8) as pool:
        statuses = Counter(pool.map(send, requests_))
    print(f"{len(requests_)} forged or malformed requests: {dict(sorted(statuses.items()))}")
    assert len(requests_) >= 2000
    assert not {s for s in statuses if s >= 500 or s < 0}, statuses
    # Only well-formed counter bodies with a valid token get through (two per round), nothing else.
    assert statuses[200] <= 8 * 2, statuses
    time.sleep(1)
    # Refused callbacks never reach Rasa, so nothing is sent to anyone on their account.
    assert len(tencent.all_delivered()) == delivered_before


def test_replayed_wecom_callback_gets_no_second_answer_and_a_stale_one_is_refused(
    stack, clients, tencent, wecom_userid, data_before
):
    userid = wecom_userid["rm01"]
    query, body = clients.wecom_callback(userid, "你好")
    started = time.monotonic()
    assert clients.wecom_post(query, body).status_code == 200
    assert len(tencent.wait_for(userid, started)) == 1
    replayed = time.monotonic()
    assert clients.wecom_post(query, body).status_code == 200  # acknowledged, as WeCom expects
    time.sleep(3)
    assert tencent.wait_for(userid, replayed, timeout_s=0.1) == []

    encrypted = re.search(r"<Encrypt><!\[CDATA\[(.*?)\]\]>", body.decode()).group(1)
    stale_query, stale_body = clients.wecom.signed_post(encrypted, timestamp=str(int(time.time()) - 3600))
    assert clients.wecom_post(stale_query, stale_body).status_code == 403


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def test_hostile_texts_from_staff_get_answers_without_errors_or_other_books(
    stack, clients, books, wecom_userid, data_before, tencent
):
    problems: list[str] = []
    statuses: Counter = Counter()

    def counter_texts(rm: str) -> list[str]:
        return hostile.signed_texts(sorted(books[rm]["other_only"]), random.Random(f"{SEED}{rm}"), RMS.index(rm), 4)

    # One staff member is one conversation whatever the channel: what rm01 types at the counter may be
    # echoed back on WeChat ("没有“X”，请核对姓名"). That is their own words, not another book's data.
    typed_at_counter = {rm: "".join(counter_texts(rm)) for rm in RMS[:4]}

    def counter_rm(rm: str) -> int:
        texts = counter_texts(rm)
        typed = ""
        for said in texts:
            turn = clients.counter_say(rm, said)
            statuses[("counter", turn.status)] += 1
            typed += said  # a form may repeat a name typed a turn earlier ("没有“X”，请核对姓名"): not a leak
            leaked = disclosed(turn.replies, typed, books[rm]["other_only"])
            if turn.status >= 500 or leaked:
                problems.append(f"counter {rm} {said[:40]!r}: {turn.status} {leaked or ''}")
        return len(texts)

    def tencent_rm(rm: str, say, user: str, sample: int) -> int:
        """WeCom/WeChat answer asynchronously: replies are checked against everything this RM typed."""
        pick = random.Random(f"{SEED}{rm}{sample}")
        # WeCom and WeChat carry UTF-8 XML: a lone surrogate ("\ud83d") cannot reach them, only the counter's JSON.
        candidates = [t for t in hostile.signed_texts(sorted(books[rm]["other_only"]), pick) if _utf8(t)]
        texts = pick.sample(candidates, sample)
        typed, replies = typed_at_counter.get(rm, ""), []
        for said in texts:
            turn = say(user, said, wait_s=10)
            statuses[(say.__name__, turn.status)] += 1
            typed += said
            replies += turn.replies
            if turn.status >= 500:
                problems.append(f"{say.__name__} {rm} {said[:40]!r}: {turn.status}")
        leaked = disclosed(replies, typed, books[rm]["other_only"])
        if leaked:
            problems.append(f"{say.__name__} {rm}: other books' names shown: {leaked}")
        return len(texts)

    with ThreadPoolExecutor(8) as pool:
        jobs = [pool.submit(counter_rm, rm) for rm in RMS[:4]]
        jobs += [pool.submit(tencent_rm, rm, clients.wecom_say, wecom_userid[rm], 20) for rm in RMS[4:7]]
        jobs.append(pool.submit(tencent_rm, "rm01", clients.wechat_say, WECHAT_OPENID, 12))
        sent = sum(j.result() for j in jobs)
    print(f"{sent} hostile texts from signed-in staff: {dict(statuses)}")
    assert not problems, problems


def test_no_customer_data_changed(store, data_before):
    assert checksum(store) == data_before


def test_the_stack_survived(stack):
    assert all(p.running for p in (stack.actions, *stack.rasa, stack.balancer))
    status = stack.balancer_status()
    assert status["bad_gateway"] == 0, status
