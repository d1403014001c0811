"""Wording of the large-outflow list."""

from __future__ import annotations

from bot import labels
from bot.answers.outflow import OutflowAnswer
from bot.formatting import money, short_day
from bot.replies.lists import list_text
from bot.store.outflows import OutflowLine

REPORT_HINT = "±20万以上的变动请同步报告网点负责人。"


def outflow_list(answer: OutflowAnswer) -> str:
    what = "转到他行" if answer.other_bank_only else "资金流出"
    threshold = money(answer.min_fen)
    subject = f"{answer.period.label}{what}达到{threshold}的客户"

    def line(item: OutflowLine) -> str:
        other = (
            f"，其中他行{money(item.to_other_bank_fen)}"
            if item.to_other_bank_fen and not answer.other_bank_only
            else ""
        )
        return (
            f"{item.customer_name}（{labels.TIER[item.tier]}）流出{money(item.total_out_fen)}{other}，"
            f"最近{short_day(item.last_on)}"
        )

    return list_text(
        answer.page,
        unit="位",
        header=f"{subject}{answer.page.total}位：",
        subject=subject,
        empty=f"{answer.period.label}没有客户{what}达到{threshold}。",
        line=line,
        after=[REPORT_HINT],
    )
