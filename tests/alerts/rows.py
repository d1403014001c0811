"""Rows the push tests add by hand: a branch with an RM and a branch head, transactions, scores."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.store.models import ChurnScore, Customer, Transaction
from bot.tiers import WAN
from tests.factories import branch, customer, staff

TODAY = date(2026, 11, 18)  # a Wednesday


def small_bank(s: Session) -> dict[str, Customer]:
    """城东支行: RM 李明 (WeCom LiMing), another RM 张丽 (ZhangLi), branch head 王建华 (WangJianhua); three clients."""
    branch(s)
    staff(s, "rm01", "李明", wecom="LiMing")
    staff(s, "rm02", "张丽", wecom="ZhangLi")
    staff(s, "bh01", "王建华", role="branch_head", wecom="WangJianhua")
    return {
        "rich": customer(s, "陈建国", "rm01", gender="M", aum_wan=80),
        "small": customer(s, "李静", "rm01", aum_wan=30),
        "other": customer(s, "王秀颖", "rm02", aum_wan=120),
    }


def txn(
    s: Session,
    c: Customer,
    wan: float,
    direction: str = "out",
    at: datetime = datetime(2026, 11, 18, 10, 0),
    other_bank: bool = False,
    counterparty: str | None = None,
    purpose: str = "transfer",
    channel: str = "mobile",
) -> Transaction:
    t = Transaction(
        customer_id=c.id,
        occurred_at=at,
        amount_fen=int(wan * WAN),
        direction=direction,
        channel=channel,
        other_bank=other_bank,
        counterparty=counterparty,
        purpose=purpose,
    )
    s.add(t)
    s.flush()
    return t


def score(s: Session, c: Customer, value: float, as_of: date, reason: str = "近30天资金流出42万") -> ChurnScore:
    row = ChurnScore(
        customer_id=c.id,
        as_of=as_of,
        score=value,
        churn_type="product",
        reasons=json.dumps([{"code": "outflow", "text": reason, "contribution": 0.2}], ensure_ascii=False),
        model_version="test",
        scored_at=datetime.combine(as_of, datetime.min.time()),
    )
    s.add(row)
    s.flush()
    return row
