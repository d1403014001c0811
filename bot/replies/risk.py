"""Wording of churn-risk answers."""
from __future__ import annotations

from bot import labels
from bot.answers.risk import ExplainAnswer, RiskListAnswer
from bot.formatting import short_day
from bot.replies import MORE_HINT, lookup_problem



def risk_list(answer: RiskListAnswer) -> str:
    tier = f"{labels.TIER[answer.tier]}客户中" if answer.tier else ""
    if answer.total == 0:
        return f"您的{tier}客户目前没有中高流失风险的。"
    lines = [f"{tier}流失风险最高的{answer.total}位（截至{short_day(answer.as_of)}）："] if answer.offset == 0 else [
        f"续上（第{answer.offset + 1}–{answer.offset + len(answer.ranked)}位，共{answer.total}位）"
    ]
    for n, item in enumerate(answer.ranked, start=answer.offset + 1):
        r = item.risk
        reason = f"：{r.first_reason.text}" if r.first_reason else ""
        lines.append(
            f"{n}. {item.name}（{labels.TIER[item.tier]}）风险{labels.RISK_BAND[r.band]}{r.score:.0%}·{r.churn_type_label}{reason}"
        )
    if answer.remaining:
        lines.append(f"还有{answer.remaining}位，{MORE_HINT}")
    lines.append("想知道原因，可以问“XX为什么有流失风险”。")
    return "\n".join(lines)


def explain(answer: ExplainAnswer) -> str:
    if answer.lookup.found is None:
        return lookup_problem(answer.lookup)
    name, r = answer.lookup.found.name, answer.risk
    if r is None:
        return f"{name}暂时没有可用的评分数据。"
    lines = [f"{name}：流失风险{labels.RISK_BAND[r.band]}（{r.score:.0%}），{r.churn_type_label}"]
    if r.reasons:
        lines.append("主要原因：")
        lines.extend(f"{i}. {reason.text}" for i, reason in enumerate(r.reasons, start=1))
    else:
        lines.append("目前没有明显推高风险的因素。")
    if r.type_evidence:
        lines.append("判断依据：" + "；".join(r.type_evidence))
    when = short_day(r.as_of) if r.as_of else "最近"
    lines.append(f"评分日期：{when}（模型{r.model_version}）")
    lines.append("需要话术可以说“给她打电话怎么说”。")
    return "\n".join(lines)
