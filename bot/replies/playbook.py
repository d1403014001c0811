"""Wording of scripts, next steps, today's plan, segments and the branch overview."""

from __future__ import annotations

from datetime import date, timedelta

from bot import labels, tiers
from bot.answers.branch import BranchAnswer, RmPartAnswer
from bot.answers.daily_plan import DailyPlanAnswer
from bot.answers.next_steps import NextStepsAnswer
from bot.answers.script import ScriptAnswer
from bot.answers.segment import SegmentAnswer
from bot.formatting import day, money, pronoun, short_day
from bot.nlu.references import staff_ids_in
from bot.playbook.scripts import occasion_title
from bot.replies import lookup_problem, not_found
from bot.replies.lists import list_text
from bot.store.branch_overview import RmOverview
from bot.store.situation import ClientSituation

MAX_ACTIONS = 6
CONTACT_ACTIONS = frozenset({"contact_due", "contact_overdue", "contact_never"})  # next-step codes with a date
SCRIPT_WHICH_CLIENT = (
    "要给哪位客户的话术？请带上姓名，比如“给王秀英打电话怎么说”。"
    "柜台拦截可以直接说情况，比如“客户要取50万说是买房，怎么挽留”。"
)
SEGMENT_NOT_UNDERSTOOD = (
    "可以按这些分群查：临界客户、基金亏损、60岁以上、三个月没联系、只有活期、银保收益低、有孩子。"
    "比如“基金亏损超过15%的客户”。"
)


# --- 话术 -----------------------------------------------------------------------------------------


def script_reply(answer: ScriptAnswer) -> str:
    s = answer.script
    if s is None:
        lookup = answer.lookup
        if lookup.said or lookup.candidates or lookup.not_visible:
            return lookup_problem(lookup)
        return SCRIPT_WHICH_CLIENT
    channel = labels.CONTACT_CHANNEL.get(s.channel, s.channel)
    purpose = answer.stated_purpose or s.purpose or "unknown"
    if answer.generic:
        opening = f"{s.title}·{channel}（通用版，发送前把称呼换成客户的）："
    elif answer.walk_in:
        opening = f"通用拦截话术（{labels.PURPOSE.get(purpose, labels.PURPOSE['unknown'])}·{channel}）："
        if answer.lookup.said:
            opening = f"{not_found(answer.lookup.said)}先给一段{opening}"
    else:
        assert answer.lookup.found is not None  # a client's script is built only for a client found
        opening = f"{answer.lookup.found.name}｜{s.title}·{channel}："
    return "\n".join([opening, s.text, f"为什么选这段：{s.why}", *_notes(s.notes)])


def _notes(notes: tuple[str, ...]) -> list[str]:
    """Compliance notes for the RM (suitability, disclosure, 双录, identity), one line each."""
    return [f"⚠️{n}" for n in notes]


# --- 下一步 ---------------------------------------------------------------------------------------


def next_steps_reply(answer: NextStepsAnswer) -> str:
    if answer.steps is None:
        return lookup_problem(answer.lookup)
    s, steps = answer.situation, answer.steps
    assert s is not None  # steps are built from the client's situation
    churn = labels.CHURN_TYPE.get(steps.churn_type, labels.CHURN_TYPE["none"])
    lines = [f"{s.name}（{labels.TIER.get(s.tier, s.tier)}）：{steps.priority_label}｜{churn}"]
    if not any(a.code in CONTACT_ACTIONS for a in steps.actions):  # those already say when
        if steps.contact_due_on is None:
            lines.append("联系频率：无固定要求")
        elif steps.overdue_days > 0:
            lines.append(f"应在{short_day(steps.contact_due_on)}前联系，已逾期{steps.overdue_days}天")
        elif steps.contact_due_on <= answer.today:
            lines.append("下次联系：今天就该联系")
        else:
            lines.append(f"下次联系：不晚于{day(steps.contact_due_on)}")
    if steps.actions:
        lines.append("该做的事：")
        lines += [f"{n}. {a.text}" for n, a in enumerate(steps.actions[:MAX_ACTIONS], start=1)]
    else:
        lines.append("眼下没有必须做的事，按频率保持联系即可。")
    lines += _notes(steps.notes)
    if steps.priority != "do_not_chase":
        lines.append(f"要话术请说“给{pronoun(s.gender)}打电话怎么说”。")
    return "\n".join(lines)


# --- 今日计划 -------------------------------------------------------------------------------------


def _day_label(d: date, today: date) -> str:
    if d == today:
        return "今天"
    if d == today + timedelta(days=1):
        return f"明天（{short_day(d)}）"
    return day(d)


def daily_plan_reply(answer: DailyPlanAnswer) -> str:
    when = _day_label(answer.day, answer.today)
    rest = answer.plan_size - answer.page.total
    later = [f"另有{rest}位可以之后再联系（按流失可能×涉及金额×紧迫程度排序）。"] if rest > 0 else []
    return list_text(
        answer.page,
        unit="位",
        header=(
            f"{when}先联系最要紧的{answer.page.total}位（共{answer.plan_size}位需要联系）："
            if rest > 0
            else f"{when}先联系这些客户（共{answer.plan_size}位）："
        ),
        subject=f"{when}要联系的客户",
        empty=f"{when}没有需要优先联系的客户，可以按联系频率做日常维护。",
        line=lambda item: f"{item.name}（{labels.TIER.get(item.tier, item.tier)}）{item.why}",
        before=_received_note(answer),
        after=later,
    )


def _received_note(answer: DailyPlanAnswer) -> tuple[str, ...]:
    """First page only: clients just handed over to the asker, each waiting for a first call."""
    if not answer.received_count or answer.page.offset > 0:
        return ()
    names = "、".join(answer.received) + ("等" if answer.received_count > len(answer.received) else "")
    title = occasion_title("first_contact")
    return (f"新接手{answer.received_count}位客户待首次联系（{names}），话术用「{title}」。",)


# --- 客户分群 -------------------------------------------------------------------------------------


def _pct(value: float) -> str:
    return f"{value:g}%"


def _filter_phrase(kind: str, params: dict) -> str:
    """One filter as it reads before "的客户": 60岁以上 / 资产80万以上."""
    if kind == "near_upgrade":
        return "快升级"
    if kind == "fund_loss":
        return f"基金浮亏{_pct(params.get('min_loss_pct', 10))}以上"
    if kind == "aged":
        return f"{params.get('min_age', 60)}岁以上"
    if kind == "no_contact":
        return f"{params['days']}天以上没联系" if params.get("days") else "超过联系周期没联系"
    if kind == "min_aum":
        return f"资产{money(params.get('min_aum_fen', 0))}以上"
    if kind == "min_demand":
        return f"活期{money(params.get('min_demand_fen', 0))}以上"
    return {
        "demand_only": "只有活期存款",
        "low_yield_insurance": "银保收益偏低",
        "with_children": "有孩子",
        "no_holdings": "没有任何理财产品",
    }[kind]


def segment_title(answer: SegmentAnswer) -> str:
    request, tier = answer.query.segment, answer.query.tier
    tier_label = labels.TIER.get(tier, "") if tier else ""
    if request.kind == "near_upgrade" and not request.more:
        return f"快升{tier_label}的临界客户" if tier_label else "临界客户（离上一级差不到10%）"
    phrases = "、".join(_filter_phrase(kind, params) for kind, params in request.filters)
    return f"{phrases}的{tier_label}客户"  # 三个月没联系的贵宾客户


def _segment_fact(kind: str, s: ClientSituation) -> str:
    if kind == "near_upgrade":
        nxt = tiers.next_tier_floor(s.aum_fen)
        return (
            f"资产{money(s.aum_fen)}，差{money(nxt[1] - s.aum_fen)}升{labels.TIER[nxt[0]]}" if nxt else money(s.aum_fen)
        )
    if kind == "fund_loss":
        return f"{s.fund_loss_product}浮亏{_pct(s.fund_loss_pct or 0)}"
    if kind == "aged":
        return f"{s.age}岁，资产{money(s.aum_fen)}"
    if kind == "no_contact":
        return "还没有联系记录" if s.days_since_contact is None else f"已{s.days_since_contact}天没联系"
    if kind in ("demand_only", "min_demand"):
        return f"活期{money(s.demand_deposit_fen)}"
    if kind == "low_yield_insurance":
        return f"{s.low_yield_insurance_product}收益偏低"
    return f"资产{money(s.aum_fen)}"


def _segment_facts(kinds: list[str], s: ClientSituation) -> str:
    """The facts of every filter, each said once (60岁以上 ∧ 资产80万以上: "67岁，资产120万")."""
    parts: list[str] = []
    for kind in kinds:
        parts += [p for p in _segment_fact(kind, s).split("，") if p not in parts]
    return "，".join(parts)


def segment_reply(answer: SegmentAnswer) -> str:
    where = "您名下" if answer.scope == "book" else "本网点"
    title = segment_title(answer)
    kinds = [kind for kind, _ in answer.query.segment.filters]
    return list_text(
        answer.page,
        unit="位",
        header=f"{where}的{title}共{answer.page.total}位：",
        subject=f"{where}的{title}",
        empty=f"{where}暂时没有{title}。",
        line=lambda s: f"{s.name}（{labels.TIER.get(s.tier, s.tier)}）{_segment_facts(kinds, s)}",
    )


# --- 网点概况 -------------------------------------------------------------------------------------


def branch_reply(answer: BranchAnswer) -> str:
    o, t = answer.overview, answer.overview.totals
    header = "\n".join(
        [
            f"{answer.branch_name}概况（{short_day(o.as_of)}）",
            f"客户{t.customers}位｜高风险{t.high_risk}位｜逾期未联系{t.overdue_contacts}位",
            f"本周到期{t.maturing_week_count}笔{money(t.maturing_week_fen)}｜"
            f"本月到期{t.maturing_month_count}笔{money(t.maturing_month_fen)}",
            f"近30天单日流出≥{money(tiers.LARGE_MOVEMENT_FEN)}的50万以上客户{t.large_outflow_customers}位，"
            f"共{money(t.large_outflow_fen)}",
            "按客户经理：",
        ]
    )
    return list_text(
        answer.rms,
        unit="位客户经理",
        header=header,
        subject=f"{answer.branch_name}的客户经理",
        empty=header.rsplit("\n", 1)[0],
        line=_rm_line,
        numbered=False,
    )


def _rm_line(r: RmOverview) -> str:
    who = r.rm_name or ("未分配" if r.rm_id is None else r.rm_id)
    return (
        f"{who}：客户{r.customers}｜高风险{r.high_risk}｜本周到期{r.maturing_week_count}笔{money(r.maturing_week_fen)}｜"
        f"流出{r.large_outflow_customers}位｜逾期{r.overdue_contacts}"
    )


def rm_part_reply(answer: RmPartAnswer) -> str:
    if answer.rm is None:
        who = f"工号为{answer.said}" if staff_ids_in(answer.said) else f"叫“{answer.said}”"
        return f"{answer.branch_name}没有{who}的客户经理。可以说“网点整体预警情况”看全部。"
    r = answer.rm
    return "\n".join(
        [
            f"{r.rm_name}名下（{short_day(answer.as_of)}）",
            f"客户{r.customers}位｜高风险{r.high_risk}位｜逾期未联系{r.overdue_contacts}位",
            f"本周到期{r.maturing_week_count}笔{money(r.maturing_week_fen)}｜"
            f"本月到期{r.maturing_month_count}笔{money(r.maturing_month_fen)}",
            f"近30天大额流出{r.large_outflow_customers}位，共{money(r.large_outflow_fen)}",
        ]
    )
