"""A withdrawal the counter reports (柜面大额取款) reaches the client's RM within a pass of the sender.

When counter staff ask how to keep a client who is withdrawing ("客户王秀英要取五十万说是买房"), the
answer (bot/answers/script.py) queues an urgent push to the client's RM in the same transaction as the
question's audit row: the RM can call while the client is still in the branch. Once per client a day.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.alerts.facts import Client
from bot.alerts.outbox import Push, enqueue
from bot.alerts.settings import AlertSettings, Clock
from bot.replies.alerts import counter_withdrawal
from bot.store.models import Staff
from bot.store.situation import ClientSituation
from bot.store.staff_directory import StaffMember

logger = logging.getLogger(__name__)

KIND = "counter_withdrawal"


def report_withdrawal(
    session: Session,
    counter: StaffMember,
    client: ClientSituation,
    today: date,
    amount_fen: int | None,
    purpose: str | None,
) -> bool:
    """Queue the alert for the client's RM; False when there is nobody to tell (no RM, no WeCom userid)."""
    if counter.role != "counter" or client.rm_id is None or client.rm_id == counter.id:
        return False
    rm = session.get(Staff, client.rm_id)
    if rm is None or not rm.active or not rm.wecom_userid:
        return False
    who = Client(client.customer_id, client.name, client.tier, client.aum_fen, client.rm_id, client.branch_id)
    text = counter_withdrawal(who, counter.name, amount_fen, purpose)
    push = Push(
        rm.id, rm.wecom_userid, KIND, f"c{client.customer_id}", today, text, urgent=True,
        clients=((client.customer_id, KIND),), shown=1,
    )  # fmt: skip
    now = datetime.combine(today, Clock()().time())
    try:
        with session.begin_nested():  # a savepoint: the counter's answer never fails because of the alert
            return enqueue(session, [push], now, AlertSettings()).queued == 1
    except SQLAlchemyError:
        logger.exception("counter withdrawal alert for customer %s not queued", client.customer_id)
        return False
