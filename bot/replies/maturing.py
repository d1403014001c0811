"""Wording of the maturing list."""

from __future__ import annotations

from bot import labels
from bot.answers.maturing import MaturingAnswer
from bot.formatting import day, money
from bot.replies.lists import list_text
from bot.store.maturing import MaturingHolding


def maturing_list(answer: MaturingAnswer) -> str:
    page, period = answer.page, answer.period
    scope = _maturing_scope(answer)
    before = (
        [f"没看懂“{answer.request.time_span}”指哪段时间，先按{period.label}查。"] if answer.time_not_understood else []
    )
    return list_text(
        page,
        unit="笔",
        header=f"{period.label}{scope}到期：共{page.total}笔，合计{money(page.total_amount_fen)}",
        subject=f"{period.label}{scope}到期的",
        empty=f"{period.label}没有{scope}到期。",
        line=_line,
        before=before,
    )


def _line(item: MaturingHolding) -> str:
    product = labels.PRODUCT_TYPE.get(item.product_type, item.product_type)
    return (
        f"{item.customer_name}（{labels.TIER[item.tier]}）{product}·{item.product_name} "
        f"{money(item.amount_fen)}，{day(item.maturity_date)}"
    )


def _maturing_scope(answer: MaturingAnswer) -> str:
    types = [labels.PRODUCT_TYPE.get(t, t) for t in answer.request.product_types]
    what = "/".join(types) if types else "产品"
    amount = f"{answer.amount_label}的" if answer.amount_label else ""
    return f"{amount}{what}"
