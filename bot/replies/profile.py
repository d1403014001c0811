"""Wording of a client's profile card."""

from __future__ import annotations

from datetime import date

from bot import labels
from bot.answers.profile import ProfileAnswer
from bot.formatting import age_on, mask_phone, money, pronoun, short_day
from bot.playbook.suitability import RATING_VALID_DAYS
from bot.replies import lookup_problem
from bot.replies.client_aspects import aspect_answer
from bot.store.profile import CustomerProfile


def _rating(p: CustomerProfile, today: date) -> str:
    """C3（2026年3月2日评定）, with 已过期 when older than a year: a sale needs a new assessment first."""
    if not p.risk_rating or p.risk_rated_on is None:
        return "未评估"
    when = f"{p.risk_rated_on.year}年{short_day(p.risk_rated_on)}评定"
    expired = (today - p.risk_rated_on).days > RATING_VALID_DAYS
    return f"{p.risk_rating}（{when}，已过期，须重新评估）" if expired else f"{p.risk_rating}（{when}）"


def profile_card(answer: ProfileAnswer) -> str:
    """The card; after a question about one aspect of the client ("李静下周有什么产品到期"), the answer first."""
    if answer.profile is None:
        return lookup_problem(answer.lookup)
    first = aspect_answer(answer.profile, answer.asked, answer.today) if answer.asked else None
    if first is None:
        return _card(answer)
    if not answer.view.holdings:
        return f"{first}\n\n{counter_card(answer)}"
    return f"{first}\n{_who(answer)}"


def _who(answer: ProfileAnswer) -> str:
    """Under a short answer: whom it is about, and how to see the whole card."""
    p = answer.profile
    assert p is not None
    gender = "女" if p.gender == "F" else "男"
    return f"（{p.name}，{gender}，{age_on(p.birth_date, answer.today)}岁，{labels.TIER[p.tier]}；完整资料请说“看一下{p.name}”）"


def _card(answer: ProfileAnswer) -> str:
    assert answer.profile is not None
    if not answer.view.holdings:
        return counter_card(answer)
    p = answer.profile
    lines = [
        f"{p.name}（{'女' if p.gender == 'F' else '男'}，{age_on(p.birth_date, answer.today)}岁，{p.occupation}）",
        f"客户级别：{labels.TIER[p.tier]}｜价值分类：{p.value_class}｜{labels.LIFECYCLE.get(p.lifecycle_stage, p.lifecycle_stage)}",
        f"资产：{money(p.aum_fen)}（活期{money(p.demand_deposit_fen)}）｜风险评级：{_rating(p, answer.today)}",
        f"电话：{mask_phone(p.phone)}",
    ]
    if p.holdings:
        lines.append(f"持有产品{p.holdings_count}笔：")
        for h in p.holdings:
            due = f"，{short_day(h.maturity_date)}到期" if h.maturity_date else ""
            pnl = ""
            if h.product_type == "fund" and h.amount_fen:
                pct = (h.current_value_fen - h.amount_fen) * 100 / h.amount_fen
                pnl = f"，浮动{pct:+.1f}%"
            lines.append(
                f"· {labels.PRODUCT_TYPE.get(h.product_type, h.product_type)}·{h.product_name} {money(h.current_value_fen)}{due}{pnl}"
            )
    else:
        lines.append("名下暂无在持产品。")
    if p.last_contact:
        lc = p.last_contact
        lines.append(
            f"最近联系：{short_day(lc.contacted_on)} {lc.staff_name} {labels.CONTACT_CHANNEL.get(lc.channel, lc.channel)}"
        )
    else:
        lines.append("最近联系：暂无记录")
    if p.open_complaints:
        lines.append(f"⚠ 有{p.open_complaints}笔投诉未解决")
    return "\n".join(lines)


def counter_card(answer: ProfileAnswer) -> str:
    """The counter's view: who the client is, whether they are at risk and why in a word, whom to tell."""
    p = answer.profile
    assert p is not None
    lines = [
        f"{p.name}（{'女' if p.gender == 'F' else '男'}，{age_on(p.birth_date, answer.today)}岁）｜{labels.TIER[p.tier]}客户",
        f"客户经理：{p.rm_name or '暂未分配'}",
    ]
    if answer.risk is not None:
        lines.append(f"流失风险：{labels.RISK_BAND[answer.risk.band]}（{answer.risk.churn_type_label}）")
    else:
        lines.append("流失风险：暂无评分")
    if p.open_complaints:
        lines.append(f"⚠ 有{p.open_complaints}笔投诉未解决，接待时请先致歉并记录诉求")
    lines.append(f"柜面可以问“{pronoun(p.gender)}要取钱怎么说”拿挽留话术；持仓和联系方式请找客户经理。")
    return "\n".join(lines)
