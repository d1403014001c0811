"""Every Chinese phrase the scorer produces, in one place for bankers to review: reason texts and churn-type
evidence, each filled with the customer's own numbers. Short enough for a phone screen.

Functions take the `facts` dict built by `scoring.features.build_features` and return a string, or None when
the numbers do not describe anything worth saying.
"""

from __future__ import annotations

from bot import labels, purposes, tiers
from bot.formatting import days_ahead, money, percent, short_day


def _purpose(code: str | None) -> str | None:
    """The purpose's label, or None when nothing was said."""
    return labels.PURPOSE.get(code) if code and code != "unknown" else None


# -- reasons -------------------------------------------------------------------------------------------
def _tier_rule(facts: dict) -> str:
    """'贵宾客户应每两周联系一次', from the AUM band at the as-of date."""
    band = tiers.band_for(int(facts.get("aum_fen") or 0))
    return f"{labels.TIER.get(band.tier, '')}客户应{band.frequency_text}"


MIN_DROP_SHARE = 0.05  # smaller moves are market noise, not something to tell an RM
MIN_OUTFLOW_FEN = 10_000 * 100  # single or net outflows under 1万 are everyday spending
MIN_OTHER_BANK_FEN = 5_000 * 100


def aum_drop(facts: dict, days: int) -> str | None:
    then, now = facts.get(f"aum_{days}d_ago_fen"), facts.get("aum_fen") or 0
    if not then or now > then * (1 - MIN_DROP_SHARE):
        return None
    return f"近{days}天资产下降{percent(100 * (then - now) / then, 0)}（{money(then, brief=True)}→{money(now, brief=True)}）"


def maturing(facts: dict) -> str | None:
    first = facts.get("next_maturity_on")
    if not first or not facts.get("maturing_30d_fen"):
        return None
    days = (first - facts["as_of"]).days
    kind = labels.PRODUCT_TYPE.get(facts.get("next_maturity_type") or "", "产品")
    if facts.get("maturing_30d_count", 0) <= 1:
        return f"{money(facts['next_maturity_fen'], brief=True)}{kind}{days_ahead(days)}到期"
    return f"30天内{money(facts['maturing_30d_fen'], brief=True)}产品到期（最早{days_ahead(days)}）"


def other_bank(facts: dict, days: int) -> str | None:
    amount = facts.get(f"other_bank_out_{days}d_fen") or 0
    return f"近{days}天转出他行{money(amount, brief=True)}" if amount >= MIN_OTHER_BANK_FEN else None


def competitor_offer(facts: dict) -> str | None:
    if facts.get("stated_purpose") != "other_bank":
        return None
    return f"{short_day(facts.get('stated_purpose_on'))}联系时提到他行产品"


def largest_outflow(facts: dict) -> str | None:
    amount = facts.get("largest_out_30d_fen") or 0
    if amount < MIN_OUTFLOW_FEN:
        return None
    on = facts.get("largest_out_30d_on")
    purpose = _purpose(facts.get("largest_out_30d_purpose"))
    if not purpose and facts.get("largest_out_30d_other_bank"):
        purpose = "转往他行"
    when = short_day(on) if on else "近30天"
    return f"{when}单笔转出{money(amount, brief=True)}" + (f"（{purpose}）" if purpose else "")


def net_outflow(facts: dict) -> str | None:
    net = (facts.get("inflow_90d_fen") or 0) - (facts.get("outflow_90d_fen") or 0)
    return f"近90天资金净流出{money(-net, brief=True)}" if -net >= MIN_OUTFLOW_FEN else None


def purchase(facts: dict) -> str | None:
    stated = facts.get("stated_purpose")
    if stated in purposes.CONSUMPTION_PURPOSES:
        return f"{short_day(facts.get('stated_purpose_on'))}客户说资金要用于{labels.PURPOSE[stated]}"
    amount = facts.get("purchase_out_90d_fen") or 0
    if amount <= 0:
        return None
    purpose = _purpose(facts.get("purchase_purpose")) or "大额消费"
    on = facts.get("purchase_out_on")
    return f"{short_day(on) if on else '近90天'}取出{money(amount, brief=True)}用于{purpose}"


def salary_stopped(facts: dict) -> str | None:
    if not facts.get("salary_stopped"):
        return None
    last = facts.get("last_salary_on")
    return "代发工资已停发" + (f"（最后一笔{short_day(last)}）" if last else "")


def inactive(facts: dict) -> str | None:
    days = facts.get("days_since_txn")
    if days is None:
        return "近90天没有任何交易"
    if days >= 30:
        return f"已{days}天没有交易"
    count = facts.get("txn_count_90d") or 0
    return f"近90天仅{count}笔交易" if count <= 3 else None


def fund_loss(facts: dict) -> str | None:
    cost, value = facts.get("fund_cost_fen") or 0, facts.get("fund_value_fen") or 0
    if cost <= 0 or value >= cost:
        return None
    return f"基金亏损{percent(100 * (cost - value) / cost, 0)}（浮亏{money(cost - value, brief=True)}）"


def low_yield_insurance(facts: dict) -> str | None:
    amount = facts.get("low_yield_insurance_fen") or 0
    if amount <= 0:
        return None
    bp = facts.get("low_yield_insurance_bp")
    return f"持有低收益银保{money(amount, brief=True)}" + (f"（年化约{bp / 100:.1f}%）" if bp is not None else "")


def complaint(facts: dict) -> str | None:
    if facts.get("open_complaints"):
        category = facts.get("open_complaint_category") or "投诉"
        return f"投诉未解决：{category}（{short_day(facts.get('open_complaint_filed_on'))}）"
    if facts.get("complaints_180d"):
        return f"近半年投诉{facts['complaints_180d']}次"
    return None


def no_contact(facts: dict) -> str | None:
    days, every = facts.get("days_since_contact"), facts.get("contact_every_days")
    if days is None:
        return f"一年内没有联系记录（{_tier_rule(facts)}）" if every else "一年内没有联系记录"
    if every and days > every:
        return f"已{days}天未联系（{_tier_rule(facts)}）"
    if not every and days >= 90:
        return f"已{days}天未联系"
    return None


def round_trip(facts: dict) -> str | None:
    if not facts.get("round_trip_fen"):
        return None
    return (
        f"{short_day(facts['round_trip_in_on'])}转入{money(facts['round_trip_fen'], brief=True)}，"
        f"{short_day(facts['round_trip_out_on'])}转出{money(facts['round_trip_out_fen'], brief=True)}"
    )


def few_products(facts: dict) -> str | None:
    n = facts.get("product_count") or 0
    if n == 0:
        return "未持有任何理财产品"
    return "只持有1类产品" if n == 1 else None


# The reason code's wording; `driver` is the feature that contributed most inside the group.
def render(code: str, facts: dict, driver: str) -> str | None:
    if code == "aum_drop":
        days = int(driver.split("_")[-1].rstrip("d"))
        return aum_drop(facts, days) or next((t for k in (90, 30, 180) if (t := aum_drop(facts, k))), None)
    if code == "other_bank":
        return other_bank(facts, 30 if "30d" in driver else 90) or other_bank(facts, 90)
    if code == "outflow":
        return net_outflow(facts) if driver.startswith("net_flow") else largest_outflow(facts)
    return _SIMPLE[code](facts)


_SIMPLE = {
    "maturing": maturing,
    "competitor_offer": competitor_offer,
    "purchase": purchase,
    "salary_stopped": salary_stopped,
    "inactive": inactive,
    "fund_loss": fund_loss,
    "low_yield_insurance": low_yield_insurance,
    "complaint": complaint,
    "no_contact": no_contact,
    "round_trip": round_trip,
    "few_products": few_products,
}


# -- churn-type evidence ----------------------------------------------------------------------------------
def evidence_stated_purpose(facts: dict) -> str:
    return (
        f"{short_day(facts.get('stated_purpose_on'))}联系记录：资金要用于{_purpose(facts['stated_purpose']) or '其他'}"
    )


def evidence_round_trip(facts: dict, near_quarter_end: bool) -> str:
    text = round_trip(facts) or ""
    return f"{text}（季末前后）" if near_quarter_end else text


def evidence_quarter_note() -> str:
    return "资金进出时间贴近考核时点，疑似中介调动"
