"""Wording of the week's bookkeeping: product matches, handovers, client-information updates, complaints.

Every write is shown for confirmation first ("回复“确认”…，“取消”放弃") and reported once done.
Phone numbers are always masked.
"""

from __future__ import annotations

from bot import labels
from bot.answers.client_info import InfoProposal
from bot.answers.client_products import ClientProductsAnswer
from bot.answers.complaint import ComplaintProposal
from bot.answers.handover import HandoverProposal
from bot.answers.product_match import ProductFit, ProductMatchAnswer
from bot.formatting import mask_phone, money, short_day
from bot.playbook import signals as sig
from bot.playbook import suitability
from bot.playbook.library import advice_library
from bot.playbook.scripts import complaint_label
from bot.replies import lookup_problem
from bot.replies.lists import list_text
from bot.store.client_info import NOTE_FIELDS, InfoChanged
from bot.store.complaints import ComplaintLogged
from bot.store.handover import HandoverDone

CONFIRM_HINT = "回复“确认”保存，“取消”放弃。"
NOTHING_PENDING = "好的。"
CANCELLED = "已取消，没有保存任何内容。"
SAVE_FAILED = "保存没有成功（数据服务暂时不可用），请稍后回复“确认”再试一次。"
NO_LONGER_YOURS = "这位客户已不在您可办理的范围内，没有保存。"
OFFER_NEEDS_RISK = "请说明产品的风险等级，比如“新发了一款R2的一年期理财，起点5万，哪些客户合适”。"

# --- product match ----------------------------------------------------------------------------------


def _offer_label(answer: ProductMatchAnswer) -> str:
    o = answer.offer
    parts = [o.risk or "", o.term_label, labels.PRODUCT_TYPE.get(o.product_type, "")]
    label = "·".join(p for p in parts if p)
    return f"{label}，{money(o.min_fen)}起" if o.min_fen else label


def _fit_line(f: ProductFit) -> str:
    money_parts = []
    if f.first_maturity is not None:
        money_parts.append(f"{short_day(f.first_maturity)}有{money(f.maturing_fen)}到期")
    if f.idle_fen:
        money_parts.append(f"活期{money(f.idle_fen)}")
    tier = labels.TIER.get(f.tier, f.tier)
    return f"{f.name}（{tier}·{f.rating}）：{'，'.join(money_parts)}"


def product_match_reply(answer: ProductMatchAnswer) -> str:
    if answer.offer.risk is None:
        return OFFER_NEEDS_RISK
    words = advice_library()["compliance"]
    label = _offer_label(answer)
    return list_text(
        answer.page,
        unit="位",
        header=f"适合「{label}」的客户共{answer.page.total}位（评级一年内有效且覆盖{answer.offer.risk}，到期或活期资金够起点；到期早的在前）：",
        subject=f"适合「{label}」的客户",
        empty=f"您的客户里暂时没有适合「{label}」的：评级须一年内有效且覆盖{answer.offer.risk}，到期或活期资金够起点。",
        line=_fit_line,
        after=(f"⚠️{words['disclosure']}；{words['recorded_sale']}",),
    )


def client_products_reply(answer: ClientProductsAnswer) -> str:
    """What one client may be offered: the rating first, then the money that could move, then the disclosure."""
    s = answer.situation
    if s is None:
        return lookup_problem(answer.lookup)
    words = advice_library()["compliance"]
    lines = [f"{s.name}（{labels.TIER.get(s.tier, s.tier)}）"]
    state = suitability.rating_state(s, answer.today)
    if state != "valid":  # no product of any level before the rating is (re)done
        lines.append(suitability.check(s, answer.risk_asked, answer.today).text + "。")
        return "\n".join(lines)
    rated = f"风险评级{s.risk_rating}（{short_day(s.risk_rated_on)}评定，一年内有效）"
    level = suitability.client_level(s.risk_rating)
    if answer.risk_asked is not None:
        verdict = suitability.check(s, answer.risk_asked, answer.today)
        within = words["within_rating"].format(max_risk=f"R{level}")
        lines.append(f"{rated}：{answer.risk_asked}产品可以考虑。" if verdict.ok else f"{verdict.text}，{within}。")
    else:
        lines.append(f"{rated}：可考虑R{level}及以下的产品；到期的钱可先看同等风险的续作。")
    if s.open_complaint is not None:
        lines.append("有未解决的投诉：先把投诉处理好，暂不推荐产品。")
    elif sig.effective_churn_type(s) == "intermediary":
        lines.append("资金有中介带动的迹象：不做特殊优惠，按常规产品介绍。")
    money_parts = [f"{short_day(m.maturity_date)}{m.product_name}{money(m.amount_fen)}到期" for m in s.maturing[:2]]
    if s.demand_deposit_fen:
        money_parts.append(f"活期{money(s.demand_deposit_fen)}")
    if money_parts:
        lines.append("可安排的资金：" + "，".join(money_parts))
    lines.append(f"⚠️{words['disclosure']}；{words['recorded_sale']}")
    return "\n".join(lines)


# --- handover ---------------------------------------------------------------------------------------

_HANDOVER_REFUSED = {
    "which_rms": "请说明从哪位客户经理转给哪位，比如“把rm03的客户都转给rm04”。",
    "unknown_rm": "没有找到客户经理“{detail}”，请核对工号。",
    "other_branch": "{detail}不是本网点的客户经理，只能在本网点内移交。",
    "same_rm": "转出和接收是同一位客户经理，无需移交。",
    "no_clients": "{detail}名下没有可移交的客户。",
    "not_in_book": "所列客户不都在转出客户经理名下，请核对后再试。",
    "client_unknown": "在本网点没有找到客户“{detail}”，请核对姓名。",
}


def handover_refused(reason: str, detail: str = "") -> str:
    return _HANDOVER_REFUSED.get(reason, _HANDOVER_REFUSED["which_rms"]).format(detail=detail)


def handover_confirmation(p: HandoverProposal) -> str:
    if p.plan is None:
        return handover_refused(p.refused or "which_rms", p.detail)
    plan = p.plan
    n = len(plan.customer_ids)
    names = "、".join(plan.names) + ("等" if n > len(plan.names) else "")
    what = f"{plan.from_name}（{plan.from_rm}）名下{'所列' if p.partial else '全部'}{n}位客户（{names}）"
    return f"将把{what}移交给{plan.to_name}（{plan.to_rm}）。\n移交后由{plan.to_name}首次联系。{CONFIRM_HINT}"


def handover_done(done: HandoverDone) -> str:
    plan = done.plan
    return (
        f"已移交：{done.moved}位客户从{plan.from_name}（{plan.from_rm}）转到{plan.to_name}（{plan.to_rm}），已记入审计。\n"
        f"{plan.to_name}的今日计划里会出现这些客户的首次联系提醒。"
    )


# --- client information -----------------------------------------------------------------------------

FIELD_LABEL = {"phone": "手机号", "occupation": "工作", "address": "新住址", "family": "家庭情况", "note": "备注"}
INFO_NOT_UNDERSTOOD = (
    "没听出要更新什么。可以这样说：“王秀英换手机号了，新号13912345678”，或“陈总换工作了，现在在某公司当总监”。"
)
BAD_PHONE = "这个手机号不对（应为1开头的11位号码），请再说一遍新号码。"
# What to say when the change was heard but not its new value.
VALUE_MISSING = {
    "phone": BAD_PHONE,
    "occupation": "新工作记什么？请连单位一起说，比如“他换工作了，现在在某公司当总监”。",
    "address": "新住址记什么？请连地址一起说，比如“她搬家了，新地址滨江路18号”。",
}


def _shown(field: str, value: str | None) -> str:
    if not value:
        return "无"
    return mask_phone(value) if field == "phone" else value


def rating_not_changed_here(name: str, current: str | None) -> str:
    """A risk rating is the client's own questionnaire, signed by the client: never changed from a chat."""
    now = f"系统里当前是{current}" if current else "系统里还没有测评记录"
    return (
        f"{name}的风险评级不能在这里修改：须由客户本人完成风险测评（网点或手机银行），以系统结果为准，"
        f"同步后这里会自动更新。{now}。"
    )


def info_confirmation(p: InfoProposal) -> str:
    if p.lookup.found is None:
        return lookup_problem(p.lookup)
    if p.learned is None:
        return INFO_NOT_UNDERSTOOD
    name, f = p.lookup.found.name, p.learned.field
    if f == "risk_rating":
        return rating_not_changed_here(name, p.old_value)
    if not p.learned.valid:
        return VALUE_MISSING.get(f, INFO_NOT_UNDERSTOOD)
    if f in NOTE_FIELDS:
        return f"给{name}记一条{FIELD_LABEL[f]}：{p.learned.value}。\n{CONFIRM_HINT}"
    return f"把{name}的{FIELD_LABEL[f]}由“{_shown(f, p.old_value)}”改为“{_shown(f, p.learned.value)}”。\n{CONFIRM_HINT}"


def info_saved(name: str, changed: InfoChanged) -> str:
    label = FIELD_LABEL[changed.field]
    if not changed.created:
        return f"{name}的{label}之前已经记过了，没有重复保存。"
    if changed.field in NOTE_FIELDS:
        return f"已记下{name}的{label}：{changed.new_value}。"
    return f"已更新{name}的{label}：{_shown(changed.field, changed.new_value)}（原为{_shown(changed.field, changed.old_value)}，已留存）。"


# --- complaints -------------------------------------------------------------------------------------

COMPLAINT_WHO = "请说是哪位客户投诉，比如“王秀英投诉排队太久”。"


def _category(category: str) -> str:
    return complaint_label(category) or "服务"


def complaint_confirmation(p: ComplaintProposal) -> str:
    if p.lookup.found is None:
        return lookup_problem(p.lookup) if (p.lookup.said or p.lookup.candidates) else COMPLAINT_WHO
    return f"给{p.lookup.found.name}记一条投诉：{_category(p.category)}问题，今天受理，状态未解决。\n{CONFIRM_HINT}"


def complaint_saved(name: str, logged: ComplaintLogged) -> str:
    if not logged.created:
        return f"{name}今天的这条投诉已经记过了，没有重复保存。"
    return (
        f"已记录{name}的投诉（{_category(logged.category)}）。\n"
        f"建议：先致歉、指定专人跟进，解决前不推产品。要道歉话术可以说“给{name}打电话怎么说”。"
    )
