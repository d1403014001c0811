"""Every dynamic reply's Chinese wording, in one place for review. Static replies live in domain.yml."""
from __future__ import annotations

from bot import labels
from bot.answers import NotAllowed, NotStaff
from bot.answers.maturing import MaturingAnswer
from bot.answers.profile import ProfileAnswer
from bot.formatting import age_on, day, mask_phone, money, short_day
from bot.lookup import ClientLookup

DATA_UNAVAILABLE = "数据暂时不可用，请稍后再试。"
NOT_STAFF = "未识别到您的员工身份，请通过企业微信工作台进入，或联系管理员开通。"
NOT_ALLOWED = "这项查询仅对网点负责人开放。"
MORE_HINT = "回复“还有吗”查看后面的。"
NOTHING_TO_PAGE = "没有可以继续查看的列表了，先问一个问题吧，比如“本周哪些客户理财到期”。"
EMPTY_MESSAGE = "没有收到内容，请直接说想查什么，比如“本周哪些客户理财到期”。"
TOO_LONG = "消息太长了，请简短说明要查什么（200字以内）。"


def refusal(answer: NotStaff | NotAllowed) -> str:
    return NOT_STAFF if isinstance(answer, NotStaff) else NOT_ALLOWED


def maturing(answer: MaturingAnswer) -> str:
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


def lookup_problem(lookup: ClientLookup) -> str:
    """Why no single client was found, and what to say next."""
    if lookup.candidates:
        names = "、".join(
            f"{c.ref.name}（{c.birth_year}年生，手机尾号{c.phone_tail}）" for c in lookup.candidates[:5]
        )
        said = f"“{lookup.said}”" if lookup.said else "这个名字"
        return f"您名下有{len(lookup.candidates)}位客户符合{said}：{names}。请说是哪一位，比如“尾号{lookup.candidates[0].phone_tail}的”。"
    if lookup.not_visible:
        return f"“{lookup.said}”不在您管户的客户名单里，无法查看。如需协助请联系其客户经理或网点负责人。"
    if lookup.said:
        return f"在您的客户里没找到“{lookup.said}”，请核对姓名。"
    return "请告诉我是哪位客户，比如“看一下王秀英的情况”。"


def profile(answer: ProfileAnswer) -> str:
    if answer.profile is None:
        return lookup_problem(answer.lookup)
    p = answer.profile
    lines = [
        f"{p.name}（{'女' if p.gender == 'F' else '男'}，{age_on(p.birth_date, answer.today)}岁，{p.occupation}）",
        f"客户级别：{labels.TIER[p.tier]}｜价值分类：{p.value_class}｜{labels.LIFECYCLE.get(p.lifecycle_stage, p.lifecycle_stage)}",
        f"资产：{money(p.aum_fen)}（活期{money(p.demand_deposit_fen)}）｜风险偏好：{p.risk_appetite}",
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
            lines.append(f"· {labels.PRODUCT_TYPE.get(h.product_type, h.product_type)}·{h.product_name} {money(h.current_value_fen)}{due}{pnl}")
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
