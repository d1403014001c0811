"""Code lists and the Chinese strings the demo data carries (counterparties, notes, occupations).

Rows are generated as small integer codes and rendered through these tables, so every Chinese
string that ends up in the demo database is reviewable here.
"""

from __future__ import annotations

import numpy as np

DIRECTIONS = ("in", "out")
TXN_CHANNELS = ("counter", "mobile", "atm", "pos", "online", "payroll")
PURPOSES = ("salary", "pension", "spending", "transfer", "house", "car", "school", "business", "cash")
CH = {c: i for i, c in enumerate(TXN_CHANNELS)}
PU = {p: i for i, p in enumerate(PURPOSES)}

# (occupation, share of clients, paid through this bank's payroll service when working)
OCCUPATIONS: tuple[tuple[str, float, bool], ...] = (
    ("企业职员", 24, True),
    ("公务员", 5, True),
    ("教师", 6, True),
    ("医生", 3, True),
    ("护士", 2, True),
    ("工程师", 6, True),
    ("程序员", 3, True),
    ("财务人员", 3, True),
    ("销售", 5, True),
    ("司机", 2, True),
    ("工人", 6, True),
    ("个体工商户", 9, False),
    ("企业主", 3, False),
    ("自由职业", 4, False),
    ("律师", 1, True),
    ("农民", 3, False),
    ("家庭主妇", 3, False),
)
RETIRED = "退休"

EMPLOYERS = (
    "杭州恒通科技有限公司",
    "浙江华瑞建设集团有限公司",
    "杭州市第一人民医院",
    "杭州市教育局",
    "杭州西湖区人民政府",
    "浙江新和电子有限公司",
    "杭州云途网络科技有限公司",
    "浙江联丰物流有限公司",
    "杭州明德实验学校",
    "浙江晨光食品有限公司",
    "杭州远大机械制造有限公司",
    "浙江宏远贸易有限公司",
    "杭州滨江智造有限公司",
    "浙江中天会计师事务所",
    "杭州新城物业服务有限公司",
    "浙江江南纺织有限公司",
    "杭州数智软件有限公司",
    "浙江同心律师事务所",
    "杭州公交集团有限公司",
    "浙江安达汽车销售有限公司",
)
OTHER_BANKS = (
    "招商银行",
    "工商银行",
    "建设银行",
    "农业银行",
    "中国银行",
    "交通银行",
    "兴业银行",
    "浦发银行",
    "宁波银行",
    "杭州银行",
    "网商银行",
    "微众银行",
)
MERCHANTS = (
    "银联POS消费",
    "支付宝快捷支付",
    "财付通快捷支付",
    "京东支付",
    "美团支付",
    "超市消费",
    "加油站消费",
    "商场消费",
)
SPECIAL = {
    "pension": "社会保险基金",
    "house": "滨江置业有限公司",
    "car": "浙江安达汽车销售有限公司",
    "school": "杭州国际学校",
    "business": "个人经营账户",
    "own_bank": "本行他人账户",
    "cash": "现金",
}

COUNTERPARTIES: tuple[str, ...] = EMPLOYERS + OTHER_BANKS + MERCHANTS + tuple(SPECIAL.values())
_CP_START_BANK = len(EMPLOYERS)
_CP_START_MERCHANT = _CP_START_BANK + len(OTHER_BANKS)
_CP_START_SPECIAL = _CP_START_MERCHANT + len(MERCHANTS)
CP_SPECIAL = {k: _CP_START_SPECIAL + i for i, k in enumerate(SPECIAL)}
COUNTERPARTY_TABLE = np.array((None,) + COUNTERPARTIES, dtype=object)  # index 0 = no counterparty


def employer_cp(index: np.ndarray) -> np.ndarray:
    return 1 + np.asarray(index) % len(EMPLOYERS)


def bank_cp(index) -> np.ndarray:
    return 1 + _CP_START_BANK + np.asarray(index) % len(OTHER_BANKS)


def merchant_cp(index: np.ndarray) -> np.ndarray:
    return 1 + _CP_START_MERCHANT + np.asarray(index) % len(MERCHANTS)


def special_cp(key: str) -> int:
    return 1 + CP_SPECIAL[key]


CONTACT_CHANNELS = ("phone", "wechat", "sms", "meeting", "visit")
OUTCOMES = ("reached", "no_answer", "agreed", "declined", "callback")
OUTCOME_WEIGHTS = np.array([0.50, 0.15, 0.15, 0.05, 0.15])
# Routine notes an RM leaves after a contact, by outcome.
ROUTINE_NOTES: dict[str, tuple[str, ...]] = {
    "reached": ("例行回访,客户无新需求", "提醒产品到期安排", "介绍新发理财产品", "节日问候", "告知账户安全注意事项"),
    "no_answer": ("未接通", "无人接听,稍后再联系"),
    "agreed": ("客户同意到期续作", "客户同意来网点面谈", "客户愿意了解新产品"),
    "declined": ("客户暂无购买意向", "客户表示资金另有安排"),
    "callback": ("客户忙,约定改天再联系", "客户要求晚些回电"),
}
CONTACT_NOTES: tuple[str, ...] = tuple(dict.fromkeys(n for notes in ROUTINE_NOTES.values() for n in notes))
NOTE_INDEX = {n: i for i, n in enumerate(CONTACT_NOTES)}
ROUTINE_NOTE_CHOICES = {o: np.array([NOTE_INDEX[n] for n in ROUTINE_NOTES[o]]) for o in OUTCOMES}

COMPLAINT_CATEGORIES = ("排队时间长", "服务态度", "理财收益不达预期", "手续费", "系统故障")
COMPLAINT_WEIGHTS = np.array([0.30, 0.20, 0.20, 0.15, 0.15])

STATUSES = ("active", "matured", "redeemed")
