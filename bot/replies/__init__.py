"""Every dynamic reply's Chinese wording, in one package for review: one module per capability,
shared phrases here. Static replies (greeting, help, out of scope) live in domain.yml."""

from __future__ import annotations

from bot.answers import NotAllowed, NotStaff
from bot.lookup import ClientLookup
from bot.notices import DATA_UNAVAILABLE as DATA_UNAVAILABLE  # re-exported: the actions say it too
from bot.notices import EMPTY_MESSAGE as EMPTY_MESSAGE
from bot.notices import TOO_LONG as TOO_LONG

MODEL_UNAVAILABLE = "流失风险模型暂未就绪，暂时无法给出风险评分，请联系管理员。"
SOMETHING_WENT_WRONG = "抱歉，这次没能完成查询，请稍后再试；如果一直这样，请联系管理员。"
NOT_STAFF = "未识别到您的员工身份，请通过企业微信工作台进入，或联系管理员开通。"
NOT_ALLOWED = "这项查询仅对网点负责人开放。"
# A claim of another identity in chat ("切到rm03", "我是行长"): the channel's sign-in decides, not the text.
IDENTITY_FROM_SIGN_IN = (
    "身份以登录为准：企业微信、公众号按您的账号识别，柜台按本机登录，对话里说的身份不会生效，也不能借用他人账号。"
    "要查看其他客户经理的客户，请由网点负责人查询，或办理客户交接。"
)
PLAN_NOT_FOR_COUNTER = "今日联系计划面向客户经理和网点负责人。柜面接待可以问话术，比如“客户要取50万说是买房，怎么说”。"
MORE_HINT = "回复“还有吗”查看后面的。"
NOTHING_TO_PAGE = "没有可以继续查看的列表了，先问一个问题吧，比如“本周哪些客户理财到期”。"


LISTS_NOT_FOR_COUNTER = (
    "客户名单类查询面向客户经理和网点负责人。柜面可以查眼前这位客户：说“看一下”加客户姓名，"
    "或问“客户要取50万说是买房，怎么说”。"
)

_NOT_ALLOWED_FOR = {
    "daily_plan": PLAN_NOT_FOR_COUNTER,
    "query_maturing": LISTS_NOT_FOR_COUNTER,
    "query_churn_risk": LISTS_NOT_FOR_COUNTER,
    "query_outflow": LISTS_NOT_FOR_COUNTER,
    "query_segment": LISTS_NOT_FOR_COUNTER,
    "match_product": LISTS_NOT_FOR_COUNTER,
    "update_client_info": "客户资料更新由客户经理办理。柜面听到客户投诉可以直接记：比如“王秀英投诉排队太久”。",
    "handover_clients": "移交客户只能由网点负责人办理。",
    "alert_mutes": "企业微信推送只发给客户经理和网点负责人，柜面没有需要关闭的推送。",
}


def refusal(refused: NotStaff | NotAllowed) -> str:
    """What an unknown asker, or a role the capability is not open to, is told."""
    if isinstance(refused, NotStaff):
        return NOT_STAFF
    return _NOT_ALLOWED_FOR.get(refused.capability, NOT_ALLOWED)


def not_found(said: str) -> str:
    return f"在您可查看的客户里没有“{said}”，请核对姓名。"


def lookup_problem(lookup: ClientLookup) -> str:
    """Why no single client was found, and what to say next."""
    if lookup.candidates:
        names = "、".join(f"{c.ref.name}（{c.birth_year}年生，手机尾号{c.phone_tail}）" for c in lookup.candidates[:5])
        said = f"“{lookup.said}”" if lookup.said else "这个名字"
        return f"您名下有{len(lookup.candidates)}位客户符合{said}：{names}。请说是哪一位，比如“尾号{lookup.candidates[0].phone_tail}的”。"
    if lookup.suggested is not None:
        name = lookup.suggested.name
        return f"没有叫“{lookup.said}”的客户。您是说{name}吗？是的话请说全名“{name}”。"
    if lookup.said:
        # One wording whether or not the name is a client elsewhere in the bank: the reply must not tell.
        return not_found(lookup.said)
    return "请告诉我是哪位客户，比如“看一下王秀英的情况”。"
