"""The action server runs nothing for a caller without Rasa's shared secret (bot/action_secret.py).

A real `python -m bot actions` process on a loopback port, with BOT_ACTIONS_SECRET set and a store of its
own; the contact form's confirmation (the action that writes a contact row) is posted to it with no
secret, a wrong one and the right one.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import date

import pytest
from sqlalchemy import func, select

from bot import action_secret, action_server
from bot.model_files import ROOT
from bot.store.db import create_schema, engine_for, session_scope
from bot.store.models import AuditEntry, Contact
from tests import factories as f

SECRET = "test-actions-secret-" + "0123456789abcdef"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("actions-secret")
    url = f"sqlite:///{tmp / 'store.db'}"
    create_schema(engine_for(url))
    with session_scope(url) as s:
        f.branch(s, 1)
        f.staff(s, "rm01", "王丽")
        wang_id = f.customer(s, "王秀英", "rm01").id
    port = free_port()
    env = action_server.environment(BOT_DB_URL=url, BOT_TODAY="2026-11-18", **{action_secret.ENV: SECRET})
    proc = action_server.start(port, env=env, log_file=tmp / "actions.log")
    try:
        action_server.wait(proc, port, log_file=tmp / "actions.log")
        yield f"http://127.0.0.1:{port}", url, wang_id
    finally:
        action_server.stop(proc)


def confirmation(wang_id: int) -> dict:
    """What Rasa posts when the RM says 确认 to a complete report about 王秀英."""
    slots = {
        "requested_slot": "contact_confirmed",
        "contact_customer_id": wang_id,
        "contact_customer_name": "王秀英",
        "contact_via": "phone",
        "contact_outcome": "reached",
        "contact_purpose": "house",
        "contact_next_on": "2026-11-25",
        "contact_note": "刚给王秀英打了电话，她说钱要拿去买房",
        "contact_confirmed": None,
        "focus_customer_id": None,
        "last_list": None,
    }
    tracker = {
        "sender_id": "rm01",
        "slots": slots,
        "latest_message": {"text": "确认", "intent": {"name": "affirm", "confidence": 0.99}, "entities": []},
        "events": [{"event": "user", "text": "确认", "input_channel": "rest"}],
        "paused": False,
        "followup_action": None,
        "active_loop": {"name": "log_contact_form"},
        "latest_action_name": "action_listen",
    }
    return {"next_action": "validate_log_contact_form", "sender_id": "rm01", "tracker": tracker, "domain": {}}


def post(url: str, body: dict, headers: dict[str, str] | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        url + "/webhook",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def written(db_url: str) -> tuple[int, int]:
    with session_scope(db_url) as s:
        return s.scalar(select(func.count(Contact.id))), s.scalar(select(func.count(AuditEntry.id)))


@pytest.mark.parametrize(
    "headers, status",
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong-secret-0123456789"}, 403),
        ({"Authorization": SECRET}, 401),  # not a bearer token
        ({"Authorization": "Bearer " + SECRET[:-1]}, 403),
        ({"X-Token": SECRET}, 401),
    ],
)
def test_without_the_right_secret_nothing_runs_and_nothing_is_written(server, headers, status):
    url, db_url, wang_id = server
    before = written(db_url)
    got, body = post(url, confirmation(wang_id), headers)
    assert got == status and "events" not in body
    assert written(db_url) == before


def test_the_action_list_needs_the_secret_too(server):
    url, _, _ = server
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(url + "/actions", timeout=10)
    assert exc.value.code == 401


def test_health_stays_open(server):
    url, _, _ = server
    with urllib.request.urlopen(url + "/health", timeout=10) as r:
        assert r.status == 200


def test_with_the_secret_the_confirmation_writes_its_contact(server):
    url, db_url, wang_id = server
    contacts_before, _ = written(db_url)
    status, body = post(url, confirmation(wang_id), action_secret.headers(SECRET))
    assert status == 200, body
    assert any(e.get("name") == "contact_confirmed" and e.get("value") == "saved" for e in body["events"])
    assert written(db_url)[0] == contacts_before + 1
    with session_scope(db_url) as s:
        row = s.execute(select(Contact).order_by(Contact.id.desc())).scalars().first()
        assert (row.staff_id, row.customer_id, row.contacted_at.date()) == ("rm01", wang_id, date(2026, 11, 18))


def refused_start(host: str, secret: str | None) -> subprocess.CompletedProcess:
    env = action_server.environment()
    env.pop(action_secret.ENV, None)
    if secret is not None:
        env[action_secret.ENV] = secret
    argv = [sys.executable, "-m", "bot", "actions", "--host", host, "--port", str(free_port())]
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_it_refuses_to_listen_beyond_loopback_without_a_secret():
    done = refused_start("0.0.0.0", None)
    assert done.returncode == 2 and action_secret.ENV in done.stderr


def test_it_refuses_a_short_secret():
    done = refused_start("127.0.0.1", "short")
    assert done.returncode == 2 and "16" in done.stderr


def test_startup_rules():
    action_secret.check_startup(None, "127.0.0.1")  # a developer's loopback server may go without
    action_secret.check_startup(None, "::1")
    action_secret.check_startup(SECRET, "0.0.0.0")
    for host in ("0.0.0.0", "10.0.0.5", "actions"):
        with pytest.raises(action_secret.SecretError):
            action_secret.check_startup(None, host)


def test_the_verdict_compares_the_whole_secret():
    assert action_secret.verdict("Bearer " + SECRET, SECRET) is None
    assert action_secret.verdict(None, SECRET) == 401
    assert action_secret.verdict("Basic " + SECRET, SECRET) == 401
    assert action_secret.verdict("Bearer " + SECRET + "x", SECRET) == 403
    assert action_secret.verdict("Bearer 秘密", SECRET) == 403  # non-ASCII: no exception


def test_launchers_bind_the_action_server_to_loopback():
    argv = action_server.command(5055)
    assert argv[argv.index("--host") + 1] == "127.0.0.1"
