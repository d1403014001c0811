"""Wording of the short answer to a question about one aspect of one client, said before the card."""

from __future__ import annotations

from datetime import date, timedelta

from bot import labels
from bot.answers.client_aspects import AspectFacts
from bot.formatting import age_on, mask_phone, money, short_day
from bot.nlu import client_aspects as aspects
from bot.playbook.scripts import complaint_label
from bot.playbook.suitability import RATING_VALID_DAYS
from bot.store.profile import CustomerProfile

_HIDDEN = {
    aspects.MATURING: "持仓和到期",
    aspects.OUTFLOW: "资金往来",
    aspects.RATING: "风险测评",
    aspects.PHONE: "联系方式",
    aspects.LAST_CONTACT: "联系记录",
}


def _day(d: date) -> str:
    return f"{d.year}年{short_day(d)}"


def aspect_answer(p: CustomerProfile, asked: AspectFacts, today: date) -> str | None:
    """One or a few lines answering the aspect asked; None when the card itself is the answer."""
    if asked.hidden:
        return f"柜面不显示客户的{_HIDDEN.get(asked.aspect, '这项信息')}，请找客户经理{p.rm_name or '（暂未分配）'}。"
    wording = _WORDING.get(asked.aspect)
    return wording(p, asked, today) if wording else None


def _maturing(p: CustomerProfile, asked: AspectFacts, today: date) -> str:
    label = asked.period.label if asked.period else ""
    if not asked.maturing:
        return f"{p.name}{label}没有产品到期。"
    lines = [f"{p.name}{label}有{asked.maturing_count}笔产品到期："]
    for h in asked.maturing:
        kind = labels.PRODUCT_TYPE.get(h.product_type, h.product_type)
        lines.append(f"· {short_day(h.maturity_date)} {kind}·{h.product_name} {money(h.amount_fen)}")
    if asked.maturing_count > len(asked.maturing):
        lines.append(f"另有{asked.maturing_count - len(asked.maturing)}笔，可问“{p.name}的持仓”。")
    return "\n".join(lines)


def _outflow(p: CustomerProfile, asked: AspectFacts, today: date) -> str:
    label = asked.period.label if asked.period else ""
    out = asked.money_out
    if out is None or not out.total_fen:
        return f"{p.name}{label}没有转出记录（不含刷卡消费）。"
    places = "、".join(f"{place or '本行内'}{money(fen)}" for place, fen in out.by_destination[:4])
    return f"{p.name}{label}转出{money(out.total_fen)}（{out.transfers}笔）：{places}。"


def _last_contact(p: CustomerProfile, asked: AspectFacts, today: date) -> str:
    lc = p.last_contact
    if lc is None:
        return f"{p.name}暂无联系记录。"
    via = labels.CONTACT_CHANNEL.get(lc.channel, lc.channel)
    return f"{p.name}最近一次联系：{short_day(lc.contacted_on)}，{lc.staff_name}{via}联系（{(today - lc.contacted_on).days}天前）。"


def _complaints(p: CustomerProfile, asked: AspectFacts, today: date) -> str:
    if not asked.complaints:
        return f"{p.name}目前没有未解决的投诉。"
    items = "；".join(f"{short_day(c.filed_on)}{complaint_label(c.category) or '服务'}问题" for c in asked.complaints)
    return f"{p.name}有{p.open_complaints}笔投诉未解决：{items}。联系前请先致歉并跟进处理。"


def _rating(p: CustomerProfile, asked: AspectFacts, today: date) -> str:
    if not p.risk_rating or p.risk_rated_on is None:
        return f"{p.name}还没有做过风险测评，推荐产品前须先评估。"
    until = p.risk_rated_on + timedelta(days=RATING_VALID_DAYS)
    head = f"{p.name}风险评级{p.risk_rating}，{_day(p.risk_rated_on)}评定，有效期至{_day(until)}"
    if today > until:
        return f"{head}，已过期，推荐产品前须重新评估。"
    return f"{head}，仍在有效期内。"


def _phone(p: CustomerProfile, asked: AspectFacts, today: date) -> str:
    return f"{p.name}的电话：{mask_phone(p.phone)}。"


def _age(p: CustomerProfile, asked: AspectFacts, today: date) -> str:
    return f"{p.name}今年{age_on(p.birth_date, today)}岁（{p.birth_date.year}年生）。"


def _opened(p: CustomerProfile, asked: AspectFacts, today: date) -> str:
    if p.opened_on is None:
        return f"{p.name}的开户日期暂无记录。"
    years = age_on(p.opened_on, today)
    since = f"，已有{years}年" if years >= 1 else "，不满一年"
    return f"{p.name}{_day(p.opened_on)}开户{since}。"


def _manager(p: CustomerProfile, asked: AspectFacts, today: date) -> str:
    return f"{p.name}的客户经理是{p.rm_name}。" if p.rm_name else f"{p.name}暂未分配客户经理。"


_WORDING = {
    aspects.MATURING: _maturing,
    aspects.OUTFLOW: _outflow,
    aspects.LAST_CONTACT: _last_contact,
    aspects.COMPLAINTS: _complaints,
    aspects.RATING: _rating,
    aspects.PHONE: _phone,
    aspects.AGE: _age,
    aspects.OPENED: _opened,
    aspects.MANAGER: _manager,
}
