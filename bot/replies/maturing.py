"""Wording of the maturing list."""
from __future__ import annotations

from bot import labels
from bot.answers.maturing import MaturingAnswer
from bot.formatting import day, money
from bot.replies import MORE_HINT


def maturing_list(answer: MaturingAnswer) -> str:
    page, period = answer.page, answer.period
    scope = _maturing_scope(answer)
    lines = []
    if answer.time_not_understood:
        lines.append(f"没看懂“{answer.request.time_span}”指哪段时间，先按{period.label}查。")
    if page.total == 0:
        lines.append(f"{period.label}没有{scope}到期。")
        return "\n".join(lines)
    if not page.items:
        lines.append(f"{period.label}{scope}到期的{page.total}笔已经全部列出了。")
        return "\n".join(lines)
    if page.offset == 0:
        lines.append(f"{period.label}{scope}到期：共{page.total}笔，合计{money(page.total_amount_fen)}")
    else:
        lines.append(f"续上（第{page.offset + 1}–{page.offset + len(page.items)}笔，共{page.total}笔）")
    for n, item in enumerate(page.items, start=page.offset + 1):
        product = labels.PRODUCT_TYPE.get(item.product_type, item.product_type)
        lines.append(
            f"{n}. {item.customer_name}（{labels.TIER[item.tier]}）{product}·{item.product_name} "
            f"{money(item.amount_fen)}，{day(item.maturity_date)}"
        )
    if page.remaining:
        lines.append(f"还有{page.remaining}笔，{MORE_HINT}")
    return "\n".join(lines)


def _maturing_scope(answer: MaturingAnswer) -> str:
    types = [labels.PRODUCT_TYPE.get(t, t) for t in answer.request.product_types]
    what = "/".join(types) if types else "产品"
    amount = f"{answer.amount_label}的" if answer.amount_label else ""
    return f"{amount}{what}"
