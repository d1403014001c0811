"""Fault drills on the production-style stack: each drill is a test that passes or fails on its own.

The database "stops" by cutting the TCP proxy between the stack and PostgreSQL (the machine's server keeps
running for everybody else). The Rasa-instance kill is last in this file: it leaves one instance
restarting in the background.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from bot import replies
from bot.channels import replies as channel_replies

DATA_UNAVAILABLE = replies.DATA_UNAVAILABLE  # "数据暂时不可用，请稍后再试。"


def joined(turn) -> str:
    return "\n".join(turn.replies)


def user_events(store, sender: str) -> int:
    """User messages stored in the PostgreSQL tracker store for one conversation."""
    with store.connect() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
        return conn.execute(
            text(f'SELECT count(*) FROM "{schema}_trackers".events WHERE sender_id = :s AND type_name = :t'),
            {"s": sender, "t": "user"},
        ).scalar_one()


def fresh(clients, staff_id: str) -> None:
    """Start the staff member's conversation afresh: other drills may have left a form open."""
    assert clients.counter_say(staff_id, "/restart").status == 200


def all_running(stack) -> bool:
    return all(p.running for p in (stack.actions, *stack.rasa, stack.balancer))


def test_database_outage_answers_data_unavailable_and_recovers_without_restart(stack, clients, pg_proxy):
    fresh(clients, "rm02")
    starts = [p.starts for p in (stack.actions, *stack.rasa)]
    assert "到期" in joined(clients.counter_say("rm02", "本周哪些客户理财到期"))

    pg_proxy.cut()
    try:
        during = clients.counter_say("rm02", "下周哪些客户理财到期")
    finally:
        pg_proxy.restore()

    assert during.status == 200, during
    assert DATA_UNAVAILABLE in joined(during)
    after = clients.counter_say("rm02", "下周哪些客户理财到期")
    assert after.status == 200 and "到期" in joined(after) and DATA_UNAVAILABLE not in joined(after), after
    assert [p.starts for p in (stack.actions, *stack.rasa)] == starts  # nothing was restarted


def test_database_outage_on_wecom_gets_the_same_clear_answer(stack, clients, pg_proxy, wecom_userid):
    fresh(clients, "rm02")
    userid = wecom_userid["rm02"]
    assert "到期" in joined(clients.wecom_say(userid, "本周哪些客户理财到期"))

    pg_proxy.cut()
    try:
        during = clients.wecom_say(userid, "下周哪些客户理财到期", wait_s=20)
    finally:
        pg_proxy.restore()

    assert DATA_UNAVAILABLE in joined(during), during
    assert "到期" in joined(clients.wecom_say(userid, "下周哪些客户理财到期"))


def test_after_a_database_restart_the_conversation_keeps_its_context(stack, clients, pg_proxy):
    fresh(clients, "rm02")
    listed = clients.counter_say("rm02", "下个月哪些客户理财到期")
    assert "到期" in joined(listed), listed

    pg_proxy.cut()  # every pooled connection dies; nobody talks while the database is away
    time.sleep(1)
    pg_proxy.restore()

    more = clients.counter_say("rm02", "还有吗")  # needs the list kept in the tracker
    assert more.status == 200 and more.replies, more
    assert "没有可以继续查看" not in joined(more) and DATA_UNAVAILABLE not in joined(more), more


def test_action_server_restart_the_conversation_continues(stack, clients, store):
    fresh(clients, "rm03")
    first = clients.counter_say("rm03", "本周哪些客户理财到期")
    assert "到期" in joined(first), first

    stack.actions.stop()
    try:
        while_down = clients.counter_say("rm03", "还有吗")
    finally:
        stack.actions.start()

    assert while_down.status == 200, while_down  # no answer is possible, but no server error either
    after = clients.counter_say("rm03", "那下周呢")
    assert after.status == 200 and "到期" in joined(after), after
    assert "下周" in joined(after) or "11月23日" in joined(after), after
    assert all_running(stack)


def test_wecom_api_errors_and_timeouts_are_retried_and_each_reply_arrives_once(stack, clients, tencent, wecom_userid):
    fresh(clients, "rm04")
    userid = wecom_userid["rm04"]
    tencent.fail_next(("status", 502), ("status", 503))
    server_errors = clients.wecom_say(userid, "你好")
    assert len(server_errors.replies) == 1, server_errors

    tencent.fail_next(("hang", 7.0))  # longer than the channel's 5 s API timeout
    timed_out = clients.wecom_say(userid, "谢谢")
    assert len(timed_out.replies) == 1 and timed_out.seconds >= 5, timed_out

    tencent.fail_next(("errcode", -1))  # WeCom: system busy
    busy = clients.wecom_say(userid, "帮助")
    assert len(busy.replies) == 1, busy


def test_a_wecom_retry_while_the_api_fails_still_gives_one_answer(stack, clients, tencent, wecom_userid):
    fresh(clients, "rm04")
    userid = wecom_userid["rm04"]
    tencent.fail_next(("status", 500), ("status", 500))
    query, body = clients.wecom_callback(userid, "你好")
    started = time.monotonic()
    first = clients.wecom_post(query, body)
    time.sleep(0.3)
    retry = clients.wecom_post(query, body)  # what WeCom sends when the acknowledgement was late
    assert (first.status_code, retry.status_code) == (200, 200)
    assert len(tencent.wait_for(userid, started, quiet_s=2.0)) == 1


def test_one_rasa_instance_killed_under_load_the_other_serves_and_no_tracker_is_lost(stack, clients, store):
    staff = [f"rm{n:02d}" for n in range(5, 11)]
    for s in staff:
        fresh(clients, s)
    before = {s: user_events(store, s) for s in staff}
    outcomes: dict[str, list[tuple[float, bool, str]]] = {s: [] for s in staff}  # (started, ok, what)
    stop = threading.Event()
    questions = ("本周哪些客户理财到期", "还有吗", "谁最可能流失", "你好")

    def play(staff_id: str) -> None:
        n = 0
        while not stop.is_set():
            started = time.monotonic()
            try:
                turn = clients.counter_say(staff_id, questions[n % len(questions)])
                ok = turn.status == 200 and bool(turn.replies) and channel_replies.BUSY not in joined(turn)
                what = f"{questions[n % len(questions)]} -> {turn.status} {(joined(turn) or turn.body)[:40]!r}"
            except Exception as exc:  # noqa: BLE001 - a failed turn is what is being counted
                ok, what = False, f"{type(exc).__name__}: {exc}"
            outcomes[staff_id].append((started, ok, what))
            n += 1

    try:
        with ThreadPoolExecutor(len(staff)) as pool:
            for s in staff:
                pool.submit(play, s)
            time.sleep(4)
            kill_sent = time.monotonic()
            stack.kill_rasa(0)  # returns once the process is gone
            killed_at = time.monotonic()
            time.sleep(14)
            stop.set()

        turns = [t for s in staff for t in outcomes[s]]
        failures = [t for t in turns if not t[1]]
        started_after_kill = [t for t in turns if t[0] > killed_at]
        print(
            f"kill drill: {len(turns)} turns, {len(failures)} failed, "
            f"{sum(t[1] for t in started_after_kill)} of {len(started_after_kill)} started after the kill served"
        )
        # At most the turns in flight on the killed instance when it died (one per staff member); a turn sent
        # in the few milliseconds while the process was dying may fail too, and is not counted against that.
        in_flight_failures = [t for t in failures if t[0] < kill_sent]
        assert len(in_flight_failures) <= len(staff), failures
        assert started_after_kill and all(t[1] for t in started_after_kill), failures
        for s in staff:
            served = sum(1 for t in outcomes[s] if t[1])
            assert user_events(store, s) - before[s] >= served, s  # every answered turn is in PostgreSQL
        assert "到期" in joined(clients.counter_say("rm05", "本周哪些客户理财到期"))
    finally:
        stack.rasa[0].spawn()  # back in the background, pass or fail: the drills after this one need it
