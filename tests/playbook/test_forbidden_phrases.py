"""No script, next step, plan line or reply ever promises principal or a return.

Renders every script template (every occasion, purpose and channel) and the next steps, today's plan and the
replies built on them, for many factory clients and for every client of the demo bank, and fails on any phrase a
compliance review strikes: 保本 (other than in 不保本 / 非保本), 保本保息, 稳赚, 零风险, 无风险, 保证收益, 刚兑, and the
old "收益比活期高，风险也低".
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.answers.next_steps import NextStepsAnswer
from bot.answers.script import ScriptAnswer
from bot.lookup import ClientLookup
from bot.nlu.names import ClientRef
from bot.playbook.daily_plan import daily_plan
from bot.playbook.library import CHANNELS
from bot.playbook.next_steps import next_steps
from bot.playbook.scripts import OCCASIONS, WITHDRAWAL_PURPOSES, applies, script_for
from bot.replies.playbook import next_steps_reply, script_reply
from bot.store.db import session_scope
from bot.store.models import Customer
from bot.store.situation import ClientSituation, situations
from tests.conftest import DEMO_TODAY
from tests.playbook.test_playbook_scripts import random_situation

FORBIDDEN = re.compile(r"(?<![不非])保本|稳赚|零风险|无风险|保证收益|刚兑|收益比活期高，风险也低")
PLAYBOOK = Path(__file__).resolve().parents[2] / "bot" / "playbook"
RATINGS = ("C1", "C2", "C3", "C4", "C5", None)


def offending(text: str) -> list[str]:
    return FORBIDDEN.findall(text)


@pytest.mark.parametrize("text, bad", [("这款产品保本保息", True), ("净值型产品不保本", False), ("非保本浮动收益", False),
                                       ("稳赚不赔", True), ("几乎零风险", True), ("保证收益3%", True)])  # fmt: skip
def test_the_scan_itself_catches_what_it_should(text, bad):
    assert bool(offending(text)) is bad


def test_the_wording_files_hold_no_forbidden_phrase():
    for path in sorted(PLAYBOOK.glob("*.yml")):
        assert offending(path.read_text(encoding="utf-8")) == [], path.name


def everything_said(s: ClientSituation, today: date, occasions=OCCASIONS):
    """Every script, note, next step and reply text for one client."""
    lookup = ClientLookup(said=s.name, found=ClientRef(s.customer_id, s.name or "客户", s.gender or "F"))
    for occasion in occasions:
        if not applies(occasion, s):
            continue
        purposes = WITHDRAWAL_PURPOSES if occasion == "large_withdrawal" else (None,)
        for channel in CHANNELS:
            for purpose in purposes:
                script = script_for(s, "李明", "城东支行", today, occasion=occasion, channel=channel, purpose=purpose,
                                    amount_fen=50 * 10_000 * 100)  # fmt: skip
                yield script.text
                yield script.why
                yield from script.notes
                yield script_reply(ScriptAnswer(lookup, script))
    steps = next_steps(s, today)
    yield from (a.text for a in steps.actions)
    yield from steps.notes
    yield next_steps_reply(NextStepsAnswer(lookup, s, steps, today))
    for item in daily_plan([s], today):
        yield item.why


def test_no_forbidden_phrase_for_many_factory_clients():
    rng = random.Random("forbidden-phrases")
    for occasion in OCCASIONS:
        for i in range(25):
            s = random_situation(rng, occasion)
            s = replace(s, risk_rating=rng.choice(RATINGS), risk_rated_on=s.as_of.replace(year=s.as_of.year - 1))
            for text in everything_said(s, s.as_of):
                assert offending(text) == [], (occasion, i, text)


def test_no_forbidden_phrase_for_any_client_of_the_demo_bank(demo_bank):
    today = date.fromisoformat(DEMO_TODAY)
    with session_scope(demo_bank) as session:
        ids = [cid for (cid,) in session.query(Customer.id).order_by(Customer.id)]
        found = situations(session, ids, today)
    assert len(found) == len(ids) > 1000
    for n, s in enumerate(found.values()):
        # Every occasion for the first clients; the rest get the scripts their facts call for.
        occasions = OCCASIONS if n < 150 else (None,)
        if occasions == (None,):
            for channel in CHANNELS:
                script = script_for(s, "李明", "城东支行", today, channel=channel)
                for text in (script.text, script.why, *script.notes):
                    assert offending(text) == [], (s.customer_id, text)
            texts = everything_said(s, today, occasions=())
        else:
            texts = everything_said(s, today)
        for text in texts:
            assert offending(text) == [], (s.customer_id, text)


# Lines a compliance review struck (issue #15): a mis-sale admitted, same-day access to large sums from cash
# management, a loan offered so the deposit stays, principal "with its return" back today from a net-value product,
# and yield promises.
STRUCK = re.compile(
    r"没跟您讲透|没讲透|当天就能到账|当天到账|随用随取|随取随用|一天都不闲|多点收益|继续生息|比活期高|连同收益|"
    r"经营性贷款|经营贷.*(?:存款|放回)"
)


def test_the_lines_a_compliance_review_struck_are_gone():
    for path in sorted(PLAYBOOK.glob("*.yml")):
        assert STRUCK.findall(path.read_text(encoding="utf-8")) == [], path.name
