"""Wording of the large-outflow list."""
from __future__ import annotations

from bot import labels
from bot.answers.outflow import OutflowAnswer
from bot.formatting import money, short_day

SHOWN = 10


def outflow_list(answer: OutflowAnswer) -> str:
    what = "转到他行" if answer.other_bank_only else "资金流出"
    threshold = money(answer.min_fen)
    if not answer.lines:
        return f"{answer.period.label}没有客户{what}达到{threshold}。"
    lines = [f"{answer.period.label}{what}达到{threshold}的客户{len(answer.lines)}位："]
    for n, line in enumerate(answer.lines[:SHOWN], start=1):
        other = f"，其中他行{money(line.to_other_bank_fen)}" if line.to_other_bank_fen and not answer.other_bank_only else ""
        lines.append(
            f"{n}. {line.customer_name}（{labels.TIER[line.tier]}）流出{money(line.total_out_fen)}{other}，"
            f"最近{short_day(line.last_on)}"
        )
    if len(answer.lines) > SHOWN:
        lines.append(f"另有{len(answer.lines) - SHOWN}位未列出，可加金额条件缩小范围，如“流出超过50万的”。")
    lines.append("±20万以上的变动请同步报告网点负责人。")
    return "\n".join(lines)
