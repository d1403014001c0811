"""Wording of churn-risk answers."""

from __future__ import annotations

from bot import labels
from bot.answers.risk import ExplainAnswer, RankedClient, RiskListAnswer
from bot.formatting import pronoun, short_day
from bot.replies import lookup_problem
from bot.replies.lists import list_text


def risk_list(answer: RiskListAnswer) -> str:
    tier = f"{labels.TIER[answer.tier]}客户中" if answer.tier else ""
    return list_text(
        answer.page,
        unit="位",
        header=f"{tier}流失风险最高的{answer.page.total}位（截至{short_day(answer.as_of)}）：",
        subject=f"{tier}流失风险较高的客户",
        empty=f"您的{tier}客户目前没有中高流失风险的。",
        line=_ranked,
        after=["想知道原因，可以问“XX为什么有流失风险”。"],
    )


def _ranked(item: RankedClient) -> str:
    r = item.risk
    reason = f"：{r.first_reason.text}" if r.first_reason else ""
    # The band, never the raw probability: "风险高100%" for a score of 0.9993 reads as certainty.
    return f"{item.name}（{labels.TIER[item.tier]}）风险{labels.RISK_BAND[r.band]}·{r.churn_type_label}{reason}"


def explain(answer: ExplainAnswer) -> str:
    if answer.lookup.found is None:
        return lookup_problem(answer.lookup)
    name, r = answer.lookup.found.name, answer.risk
    if r is None:
        return f"{name}暂时没有可用的评分数据。"
    lines = [f"{name}：流失风险{labels.RISK_BAND[r.band]}，{r.churn_type_label}"]
    if r.reasons:
        lines.append("主要原因：")
        lines.extend(f"{i}. {reason.text}" for i, reason in enumerate(r.reasons, start=1))
    else:
        lines.append("目前没有明显推高风险的因素。")
    if r.type_evidence:
        lines.append("判断依据：" + "；".join(r.type_evidence))
    when = short_day(r.as_of) if r.as_of else "最近"
    lines.append(f"评分日期：{when}（模型{r.model_version}）")
    lines.append(f"需要话术可以说“给{pronoun(answer.lookup.found.gender)}打电话怎么说”。")
    return "\n".join(lines)
