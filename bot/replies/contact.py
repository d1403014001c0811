"""Wording of the contact log form: questions, the confirmation, and what was saved."""

from __future__ import annotations

from datetime import date

from bot import labels
from bot.formatting import day
from bot.lookup import ClientLookup
from bot.replies import DATA_UNAVAILABLE, lookup_problem

ASK_CUSTOMER = "记录哪位客户的联系？请说客户姓名。"
ASK_CHANNEL = "这次是怎么联系的？电话、微信、短信、面谈还是上门？"
ASK_OUTCOME = "联系结果怎么样？比如：接通聊了、没接通、同意续存、要再考虑、不需要。"


def ask_channel(name: str | None) -> str:
    return f"好的，记{name}的联系。{ASK_CHANNEL}" if name else ASK_CHANNEL


def ask_outcome(name: str | None) -> str:
    return f"好的，记{name}的联系。{ASK_OUTCOME}" if name else ASK_OUTCOME


CANCELLED = "好的，已取消，这条联系没有记录。"
NOT_UNDERSTOOD = "没听明白要改哪里。可以直接说，比如“是微信联系的”“下次联系改成周五”；不记了就说“取消”。"
SAVE_FAILED = f"{DATA_UNAVAILABLE}这条联系还没保存，内容都还在，稍后回复“确认”重试。"
NO_LONGER_YOURS = "这位客户已不在您的管户名单里，联系没有记录。如有疑问请联系网点负责人。"
ALREADY_SAVED = "这条联系之前已经保存过了，没有重复登记。"


def ask_customer(lookup: ClientLookup | None) -> str:
    if lookup is None or not (lookup.said or lookup.candidates):
        return ASK_CUSTOMER
    return lookup_problem(lookup)


def _summary(name: str, channel: str, outcome: str, purpose: str | None, next_on: date | None) -> str:
    parts = [name, labels.CONTACT_CHANNEL.get(channel, channel), labels.CONTACT_OUTCOME.get(outcome, outcome)]
    if purpose:
        parts.append(f"用途：{labels.PURPOSE.get(purpose, purpose)}")
    parts.append(f"下次联系：{day(next_on) if next_on else '未定'}")
    return "｜".join(parts)


def confirmation(
    name: str, channel: str, outcome: str, purpose: str | None, next_on: date | None, by_exact_name: bool = True
) -> str:
    """The last question before the write; a client not named by their full name is asked about first."""
    whose = "" if by_exact_name else f"记在{name}名下吗？"
    return (
        f"{whose}确认记录：{_summary(name, channel, outcome, purpose, next_on)}？\n"
        "回复“确认”保存，或直接说要改的地方（不记了就说“取消”）。"
    )


def saved(name: str, channel: str, outcome: str, purpose: str | None, next_on: date | None, created: bool) -> str:
    if not created:
        return ALREADY_SAVED
    lines = [f"已保存：{_summary(name, channel, outcome, purpose, next_on)}。"]
    if purpose in labels.CONSUMPTION_PURPOSES:
        lines.append(f"客户为{labels.PURPOSE[purpose]}用钱，之后的建议会按消费需求来给（贷款、分期、留存部分资金）。")
    return "\n".join(lines)
