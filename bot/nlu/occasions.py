"""The occasion a staff member names when asking for a script: "给她发条生日祝福", "春节前给贵宾客户的问候",
"新产品上线的邀约", "基金赚了该不该止盈怎么说". A named occasion wins over the one the data would pick.

Only explicit words count; None when the message names no occasion (the playbook then chooses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlu.voice import to_halfwidth

FESTIVALS = (
    ("春节", r"春节|过年|拜年|新春|除夕"),
    ("元宵节", r"元宵"),
    ("端午节", r"端午"),
    ("中秋节", r"中秋"),
    ("国庆节", r"国庆"),
    ("元旦", r"元旦|新年"),
    ("重阳节", r"重阳"),
)

# Most specific first: "基金赚了该不该止盈" is about taking profit, not a fund loss.
_OCCASIONS = (
    ("take_profit", r"止盈|落袋|(基金|持仓).{0,6}(赚了|赚钱|盈利|浮盈|涨了)|(赚了|浮盈).{0,6}(卖|赎回)"),
    ("new_product", r"新(产品|品|发|上线|款)|上新|(产品|理财).{0,4}上线|首发"),
    ("birthday", r"生日|寿辰|大寿"),
    # Care, never sales: a death in the family, an illness or a stay in hospital.
    ("condolence", r"去世|过世|离世|走了|病故|丧事|白事|节哀|吊唁|奔丧"),
    ("get_well", r"住院|生病|病了|生了病|手术|开刀|身体不好|身体不舒服|探病|探望"),
    ("festival", "|".join(p for _, p in FESTIVALS) + r"|节日|过节|节前"),
    ("fraud_warning", r"防诈|诈骗|反诈"),
    ("service_recovery", r"投诉.{0,6}(道歉|安抚|补救|回访)|(道歉|赔礼)"),
    ("first_contact", r"新接手|刚接手|首次联系|第一次联系|自我介绍|新客户经理"),
    ("fund_loss_review", r"(基金)?亏(了|损).{0,6}(诊断|安抚|怎么说)|基金诊断"),
    ("tier_upgrade", r"升级|升(金卡|贵宾|钻石)"),
    ("insurance_review", r"保单回访|保单检视"),
    ("account_safety", r"账户安全|核对(信息|资料)"),
)
_COMPILED = tuple((code, re.compile(p)) for code, p in _OCCASIONS)


@dataclass(frozen=True)
class NamedOccasion:
    occasion: str  # a code of bot.playbook.scripts.OCCASIONS
    festival: str | None = None  # festival: 春节, 中秋节 … (None: just 节日)


def named_occasion(text: str) -> NamedOccasion | None:
    said = to_halfwidth(text or "")
    for code, pattern in _COMPILED:
        if pattern.search(said):
            return NamedOccasion(code, festival_in(said) if code == "festival" else None)
    return None


def festival_in(text: str) -> str | None:
    for name, pattern in FESTIVALS:
        if re.search(pattern, text):
            return name
    return None
