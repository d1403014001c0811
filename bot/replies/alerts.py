"""Wording of the pushes: the morning briefing and the same-day alerts (bot.alerts).

Short enough for a phone; each alert says what happened, to whom, and one thing to do. No yields promised.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from bot import labels
from bot.alerts.facts import (
    BranchBriefing,
    Client,
    LargeMovement,
    OtherBankTransfer,
    RiskRise,
    RmBriefing,
    SalaryStopped,
)
from bot.alerts.mutes import MUTABLE
from bot.answers.mutes import MuteAnswer
from bot.answers.pushes import PushPage
from bot.formatting import day as full_day
from bot.formatting import money, recent_day, relative_day, short_day
from bot.nlu.alert_topics import LIST, MUTE
from bot.replies.lists import list_text

RESEND_MARK = "（补发）"  # prefixed to an alert resent after a crash left its delivery unknown
PLAN_HINT = "回复“今天先联系谁”看完整计划"
BRANCH_HINT = "回复“网点整体预警情况”看详情"
SHOWN_PER_SECTION = 3  # lines per section of the briefing; the rest are counted


_TITLE = re.compile(r"【[^】\n]+】")


def as_markdown(text: str) -> str:
    """For a WeCom app configured with msgtype markdown: the 【titles】 in bold; the rest reads the same."""
    return _TITLE.sub(lambda m: f"**{m.group(0)}**", text)


def _who(c: Client) -> str:
    return f"{c.name}（{labels.TIER.get(c.tier, '')}）"


# -- same-day alerts -------------------------------------------------------------------------------------
def large_movement(m: LargeMovement, today: date, rm_name: str | None, for_branch_head: bool) -> str:
    verb = "转入" if m.direction == "in" else "转出"
    other = ""
    if m.direction == "out" and m.other_bank_fen:
        other = "（全部转往他行）" if m.other_bank_fen >= m.amount_fen else f"（其中转他行{money(m.other_bank_fen)}）"
    when = recent_day(m.day, today)
    if for_branch_head:
        owner = f"{rm_name}的客户" if rm_name else "无管户客户经理的客户"
        return (
            f"【大额资金异动】{owner}{_who(m.client)}{when}{verb}{money(m.amount_fen)}{other}，"
            f"资产{money(m.client.aum_fen)}。已提醒客户经理跟进。"
        )
    return (
        f"【大额资金异动】{_who(m.client)}{when}{verb}{money(m.amount_fen)}{other}。"
        f"请尽快联系了解用途，并报告网点负责人。"
    )


def other_bank(t: OtherBankTransfer, today: date) -> str:
    to = f"转往{t.counterparty}" if t.counterparty else "转往他行"
    return (
        f"【他行转出】{_who(t.client)}{recent_day(t.day, today)}{to}{money(t.amount_fen)}。建议今天联系，问问资金安排。"
    )


def salary_stopped(s: SalaryStopped) -> str:
    return (
        f"【代发停发】{_who(s.client)}的代发工资已{s.days_since}天未到账"
        f"（上次{short_day(s.last_salary_on)}，约{money(s.usual_fen)}）。建议关心一下近况。"
    )


def risk_rise(r: RiskRise) -> str:
    reason = f"：{r.reason}" if r.reason else ""
    return (
        f"【流失风险升高】{_who(r.client)}风险升为高（{r.previous_score:.0%}→{r.score:.0%}）{reason}。"
        f"回复“{r.client.name}为什么有流失风险”看详情。"
    )


def counter_withdrawal(client: Client, counter_name: str, amount_fen: int | None, purpose: str | None) -> str:
    amount = f"约{money(amount_fen)}" if amount_fen else ""
    why = f"，说是{labels.PURPOSE[purpose]}" if purpose in labels.PURPOSE and purpose != "unknown" else ""
    return (
        f"【柜面取款】{_who(client)}正在柜台取款{amount}{why}（柜员{counter_name}报告）。"
        f"客户还在网点，建议马上电话联系。"
    )


# -- the morning briefing --------------------------------------------------------------------------------
def _section(title: str, lines: Sequence[str], total: int, head: str = "") -> list[str]:
    out = [f"【{title}】{total}位{head}"]
    out += [f"· {line}" for line in lines[:SHOWN_PER_SECTION]]
    if total > SHOWN_PER_SECTION:
        out.append(f"· 另有{total - SHOWN_PER_SECTION}位")
    return out


def _names(names: Sequence[str]) -> str:
    shown = "、".join(names[:SHOWN_PER_SECTION])
    return shown + (f"等{len(names)}位" if len(names) > SHOWN_PER_SECTION else "")


def rm_briefing(b: RmBriefing) -> str:
    lines = [f"{b.staff_name}，早上好。{full_day(b.day)}今日提醒："]
    if b.maturities:
        lines += _section(
            "今明到期",
            [
                f"{m.name} {m.product}{money(m.amount_fen)}，{relative_day(m.on, b.day)}到期"
                for m in b.maturities[:SHOWN_PER_SECTION]
            ],
            len(b.maturities),
        )
    if b.new_high_risk:
        lines += _section(
            "新增高风险",
            [f"{h.name}：{h.reason}" if h.reason else h.name for h in b.new_high_risk[:SHOWN_PER_SECTION]],
            len(b.new_high_risk),
        )
    if b.overdue:
        by_tier = " · ".join(
            f"{labels.TIER[t]}{n}" for t in ("private", "vip", "gold", "basic") if (n := b.overdue_by_tier.get(t))
        )
        lines += _section(
            "该联系了",
            [
                f"{o.name}（{labels.TIER.get(o.tier, '')}）"
                + ("从未联系" if o.days_since_contact is None else f"{o.days_since_contact}天未联系")
                for o in b.overdue[:SHOWN_PER_SECTION]
            ],
            len(b.overdue),
            head=f"：{by_tier}" if by_tier else "",
        )
    if b.callbacks:
        lines.append(f"【约好今天回访】{_names([c.name for c in b.callbacks])}")
    if b.birthdays:
        lines.append(f"【今天生日】{_names([c.name for c in b.birthdays])}")
    lines.append(PLAN_HINT)
    return "\n".join(lines)


def rm_briefing_clients(b: RmBriefing) -> tuple[list[tuple[int, str]], int]:
    """The clients `rm_briefing` names, in the order its text names them, each with the section naming
    them: ([(customer id, section)], how many of them the text shows). Those only counted ("另有2位",
    "等5位") follow, each once, so 还有吗 after the briefing can list them."""
    sections: list[tuple[str, list[int]]] = [
        ("maturity", [m.customer_id for m in b.maturities]),
        ("risk_high", [h.customer_id for h in b.new_high_risk]),
        ("overdue", [o.customer_id for o in b.overdue]),
        ("callback", [c.customer_id for c in b.callbacks]),
        ("birthday", [c.customer_id for c in b.birthdays]),
    ]
    shown = [(cid, section) for section, ids in sections for cid in ids[:SHOWN_PER_SECTION]]
    seen = {cid for cid, _ in shown}
    counted: list[tuple[int, str]] = []
    for section, ids in sections:
        for cid in ids[SHOWN_PER_SECTION:]:
            if cid not in seen:
                seen.add(cid)
                counted.append((cid, section))
    return shown + counted, len(shown)


def branch_briefing(b: BranchBriefing) -> str:
    lines = [f"{b.staff_name}，早上好。{b.branch_name}{full_day(b.day)}晨报："]
    totals = [0, 0, 0, 0]
    for rm in b.rms:
        counts = (len(rm.maturities), len(rm.new_high_risk), len(rm.overdue), len(rm.callbacks))
        totals = [t + n for t, n in zip(totals, counts)]
        parts = [f"{label}{n}" for label, n in zip(("到期", "新增高风险", "该联系", "回访"), counts) if n]
        if rm.birthdays:
            parts.append(f"生日{len(rm.birthdays)}")
        lines.append(f"· {rm.staff_name}：" + " · ".join(parts))
    lines.append(f"合计：今明到期{totals[0]}位，新增高风险{totals[1]}位，该联系{totals[2]}位。")
    lines.append(BRANCH_HINT)
    return "\n".join(lines)


# -- a reply to a push: the clients it named (bot.answers.pushes) ----------------------------------------
_ABOUT = {
    "maturity": "今明到期",
    "risk_high": "风险升高",
    "overdue": "该联系了",
    "callback": "约好今天回访",
    "birthday": "今天生日",
    "other_bank": "他行转出",
    "salary_stopped": "代发停发",
    "large_movement": "大额资金异动",
    "counter_withdrawal": "柜面取款",
}


def push_clients_reply(answer: PushPage) -> str:
    if answer.kind is None:
        return "这条推送的客户名单已经查不到了。可以问“今天先联系谁”。"
    return list_text(
        answer.page,
        unit="位",
        header="推送里的客户：",
        subject="这条推送里的客户",
        empty="这条推送里没有您名下的客户了。",
        line=lambda c: f"{c.name}（{labels.TIER.get(c.tier, '')}）· {_ABOUT.get(c.about, '')}",
    )


# -- mutes (bot.answers.mutes) -------------------------------------------------------------------------------
_DUTY_REASON = {
    "large_movement": "大额资金异动提醒不能关闭：50万以上客户单日进出20万，按规定须报告客户经理和网点负责人。",
    "counter_withdrawal": "柜面取款提醒不能关闭：客户正在网点办理，需要您马上联系。",
}


def _kinds(kinds: Sequence[str]) -> str:
    return "、".join(labels.PUSH_KIND[k] for k in kinds)


def mutable_kinds() -> str:
    return f"可以关闭的有：{_kinds(MUTABLE)}。"


def mute_reply(a: MuteAnswer) -> str:
    lines = [_DUTY_REASON[k] for k in a.refused]
    if a.action == LIST:
        if a.mutes:
            lines.append(f"您已关闭：{_kinds(a.mutes)}。说“恢复{labels.PUSH_KIND[a.mutes[0]]}”可重新打开。")
        else:
            lines.append("您没有关闭任何推送。")
        lines.append(mutable_kinds())
        return "\n".join(lines)
    if a.nothing_named:
        if a.unknown:
            lines.append(f"没有“{a.unknown}”这类推送。")
        else:
            lines.append("想关闭或恢复哪类推送？")
        lines.append(mutable_kinds())
        return "\n".join(lines)
    if a.action == MUTE:
        if a.changed:
            lines.append(f"好的，不再给您推送{_kinds(a.changed)}。想恢复时说“恢复{labels.PUSH_KIND[a.changed[0]]}”。")
        if a.unchanged:
            lines.append(f"{_kinds(a.unchanged)}之前已经关闭了。")
    else:
        if a.changed:
            lines.append(f"好的，已恢复{_kinds(a.changed)}。")
        if a.unchanged:
            lines.append(f"{_kinds(a.unchanged)}本来就开着。")
    return "\n".join(lines)
