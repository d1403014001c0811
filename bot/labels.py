"""Chinese labels for the store's codes, in one place for review by bankers (the one map of each)."""

from __future__ import annotations

from bot.tiers import TIER_NAMES

TIER = TIER_NAMES  # from the bank's tiers file (bot/tiers.yml)
PRODUCT_TYPE = {
    "wealth": "理财",
    "term_deposit": "定期",
    "cd": "大额存单",
    "fund": "基金",
    "insurance": "保险",
    "bond": "国债",
}
VALUE_CLASS = {"MVC": "最有价值", "MGC": "最具增长性", "LVC": "低贡献", "BZ": "负值"}
LIFECYCLE = {
    "potential": "潜在期",
    "developing": "开发期",
    "growing": "成长期",
    "mature": "成熟期",
    "declining": "衰退期",
    "terminated": "终止期",
}
CONTACT_CHANNEL = {"phone": "电话", "wechat": "微信", "sms": "短信", "meeting": "面谈", "visit": "上门"}
CHURN_TYPE = {
    "product": "产品导向型",
    "service": "服务导向型",
    "consumption": "消费导向型",
    "intermediary": "特殊导向型",
    "none": "暂无明显类型",
}
ROLE = {"rm": "客户经理", "branch_head": "网点负责人", "counter": "柜员"}
# What a client says the money is for (contact records, transactions); its churn type is in bot.purposes.
PURPOSE = {
    "house": "买房",
    "car": "买车",
    "school": "子女上学",
    "other_bank": "买他行产品",
    "business": "生意周转",
    "medical": "看病就医",
    "unknown": "用途未明",
}
CONTACT_OUTCOME = {
    "reached": "已沟通",
    "no_answer": "未联系上",
    "agreed": "客户同意",
    "declined": "客户拒绝",
    "callback": "待再联系",
}
# Kinds of push (bot.alerts.mutes): the alerts, the briefing, and the briefing's sections, as staff name them.
PUSH_KIND = {
    "briefing": "早报",
    "maturity": "到期提醒",
    "risk_high": "风险提醒",
    "overdue": "该联系提醒",
    "callback": "回访提醒",
    "birthday": "生日提醒",
    "other_bank": "他行转出提醒",
    "salary_stopped": "代发停发提醒",
    "large_movement": "大额资金异动提醒",
    "counter_withdrawal": "柜面取款提醒",
}
RISK_BAND = {"high": "高", "medium": "中", "low": "低"}
UNCATEGORISED = "未分类"
