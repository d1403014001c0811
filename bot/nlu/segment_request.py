"""Which client segment a staff member asks for: text → kind + parameters of `bot.store.segments`.

临界客户 → near_upgrade · 基金亏损超过15% → fund_loss(min_loss_pct=15) · 60岁以上 / 老年 → aged(min_age) ·
三个月没联系 / 90天没联系 → no_contact(days) · 只有活期 → demand_only · 银保收益低 → low_yield_insurance ·
有小孩 → with_children · 资产超过80万 → min_aum(min_aum_fen) · 活期超过20万 → min_demand(min_demand_fen) ·
没有任何理财 → no_holdings. Kind and parameter names are those of `bot.store.segments.SEGMENT_KINDS`;
a parameter left out takes the store's default (fund loss ≥ 10%, age ≥ 60, overdue by the tier's frequency).

Filters combine: every reader that recognises its part of the text adds a filter, and the store keeps
the clients in all of them ("六十五岁以上、资产超过80万的" → aged(65) ∧ min_aum(80万)). The first filter,
the most specific, names the segment and orders it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.nlu.amounts import amount_spans, parse_amount
from bot.nlu.counts import CN_DIGITS, chinese_int
from bot.nlu.voice import to_halfwidth

_NUM = rf"(?:\d+(?:\.\d+)?|[{CN_DIGITS}十百]+)"
MIDDLE_AGED_MIN_AGE = 50  # 中老年: from fifty


@dataclass(frozen=True)
class SegmentRequest:
    """The first (naming, ordering) filter, and the further ones every client must also meet."""

    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    more: tuple[tuple[str, dict[str, Any]], ...] = ()

    @property
    def filters(self) -> list[tuple[str, dict[str, Any]]]:
        return [(self.kind, dict(self.params)), *((k, dict(p)) for k, p in self.more)]

    def to_dict(self) -> dict:
        d: dict[str, Any] = {"kind": self.kind, "params": dict(self.params)}
        if self.more:
            d["more"] = [{"kind": k, "params": dict(p)} for k, p in self.more]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> SegmentRequest:
        more = tuple((m["kind"], dict(m.get("params") or {})) for m in d.get("more") or [])
        return cls(d["kind"], dict(d.get("params") or {}), more)


def _number(text: str) -> float | None:
    text = to_halfwidth(text)
    try:
        return float(text)
    except ValueError:
        value = chinese_int(text)
        return float(value) if value is not None else None


# --- one reader per kind; each returns the parameters, or None when the text is not about it -------

_FUND = re.compile(r"基金")
_LOSS = re.compile(r"亏|浮亏|套|赔|跌")
_LOSS_PCT = re.compile(rf"(?:百分之(?P<cn>{_NUM})|(?P<pct>{_NUM})\s*%|(?P<tenths>{_NUM}|半)成)")


def _fund_loss(text: str) -> dict[str, Any] | None:
    if not (_FUND.search(text) and _LOSS.search(text)):
        return None
    match = _LOSS_PCT.search(text)
    if match is None:
        return {}
    if match.group("tenths"):
        tenths = 0.5 if match.group("tenths") == "半" else _number(match.group("tenths"))
        value = tenths * 10 if tenths is not None else None
    else:
        value = _number(match.group("cn") or match.group("pct"))
    return {"min_loss_pct": value} if value else {}


_NEAR_UPGRADE = re.compile(
    r"临界|快升|快要升|快够|快到(?!期)|差一点|差一些|差几万|差点|门槛差|就能升|可以升级|升级潜力"
)


def _near_upgrade(text: str) -> dict[str, Any] | None:
    return {} if _NEAR_UPGRADE.search(text) else None


_AGE_FLOOR = re.compile(rf"(?P<n>{_NUM})\s*(?:岁|周岁)(?:以上|及以上|往上|多|开外|出头)?")
_ELDERLY = re.compile(r"老年|年纪大|年龄大|岁数大|老人|退休|长者")
_MIDDLE_AGED = re.compile(r"中老年")


def _aged(text: str) -> dict[str, Any] | None:
    match = _AGE_FLOOR.search(text)
    if match:
        age = _number(match.group("n"))
        return {"min_age": int(age)} if age else {}
    if _MIDDLE_AGED.search(text):
        return {"min_age": MIDDLE_AGED_MIN_AGE}
    if _ELDERLY.search(text):
        return {}
    return None


_NO_CONTACT = re.compile(
    r"(?:没|未|没有|不曾)(?:再)?(?:联系|联络|沟通|回访|拜访|跟进|来过?(?:网点|行里))|失联|(?:好久|很久|长期|长时间|许久)(?:没|未|不)"
)
_SINCE = re.compile(rf"(?P<n>{_NUM}|半|两)\s*(?P<unit>天|日|周|个?星期|个?礼拜|个?月|年)")
_UNIT_DAYS = {"天": 1, "日": 1, "周": 7, "星期": 7, "礼拜": 7, "月": 30, "年": 365}


def _no_contact(text: str) -> dict[str, Any] | None:
    if not _NO_CONTACT.search(text):
        return None
    match = _SINCE.search(text)
    if match is None:
        return {}  # 好久没联系: overdue by the tier's own contact frequency
    unit = match.group("unit").lstrip("个")
    if match.group("n") == "半":
        return {"days": 180 if unit == "年" else _UNIT_DAYS[unit] // 2 or 1}
    n = _number(match.group("n"))
    return {"days": int(round(n * _UNIT_DAYS[unit]))} if n else {}


_DEMAND_ONLY = re.compile(
    r"(?:只有|只存|只放|全放|全存|全在|都放|都在|光有|仅有|只买了?)(?:在)?活期|活期(?:以外|之外)?(?:什么都没|啥都没|没有别的)"
)


def _demand_only(text: str) -> dict[str, Any] | None:
    return {} if _DEMAND_ONLY.search(text) else None


_INSURANCE = re.compile(r"银保|保险|保单")
_LOW_YIELD = re.compile(r"收益(?:低|偏低|不高|不理想|太低|差)|低收益|不划算|亏")


def _low_yield_insurance(text: str) -> dict[str, Any] | None:
    return {} if _INSURANCE.search(text) and _LOW_YIELD.search(text) else None


_CHILDREN = re.compile(r"小孩|孩子|子女|小朋友|儿女|有娃|家庭客户")


def _with_children(text: str) -> dict[str, Any] | None:
    return {} if _CHILDREN.search(text) else None


_AFTER_WINDOW = 6  # characters between a keyword and its amount ("资产在80万以上", "活期余额超过20万")
_BEFORE_WINDOW = 3  # an amount just before the keyword ("80万以上资产的")


def _floor_near(text: str, keyword: re.Pattern[str]) -> int | None:
    """The lower bound in fen of an open-ended amount next to `keyword` ("超过80万", "20万以上")."""
    spans = amount_spans(text)
    for match in keyword.finditer(text):
        near = [
            (start, end)
            for start, end in spans
            if 0 <= start - match.end() <= _AFTER_WINDOW or 0 <= match.start() - end <= _BEFORE_WINDOW
        ]
        for start, end in sorted(near, key=lambda se: (se[0], se[0] - se[1])):
            amount = parse_amount(text[start:end])
            if amount is not None and amount.max_yuan is None and amount.min_fen:
                return amount.min_fen
    return None


_AUM = re.compile(r"总资产|金融资产|资产|aum|AUM|身家")
_DEMAND = re.compile(r"活期(?:存款|余额|账户|里)?")


def _min_aum(text: str) -> dict[str, Any] | None:
    fen = _floor_near(text, _AUM)
    return {"min_aum_fen": fen} if fen else None


def _min_demand(text: str) -> dict[str, Any] | None:
    fen = _floor_near(text, _DEMAND)
    return {"min_demand_fen": fen} if fen else None


_NO_HOLDINGS = re.compile(
    r"(?:没有?|未|从没|从来没)(?:有)?(?:任何|买过?|买任何|配置|配过|做过?|持有)(?:任何)?(?:的)?(?:理财|产品|投资)|"
    r"(?:理财|产品)(?:一个|一样|一只)?都没(?:有|买|配)|零持仓|没有持仓|空仓"
)


def _no_holdings(text: str) -> dict[str, Any] | None:
    return {} if _NO_HOLDINGS.search(text) else None


# Most specific first: "基金亏损的老年客户" is about the losses, "好久没联系的退休客户" about contact.
_READERS: list[tuple[str, Callable[[str], dict[str, Any] | None]]] = [
    ("fund_loss", _fund_loss),
    ("low_yield_insurance", _low_yield_insurance),
    ("demand_only", _demand_only),
    ("no_contact", _no_contact),
    ("near_upgrade", _near_upgrade),
    ("aged", _aged),
    ("with_children", _with_children),
    ("min_demand", _min_demand),
    ("no_holdings", _no_holdings),
    ("min_aum", _min_aum),
]
# Filters that say the same thing as a stronger one already read.
_IMPLIED_BY = {"no_holdings": "demand_only"}


def parse_segment_request(text: str) -> SegmentRequest | None:
    """The segment the text asks for — every filter it names, all of which apply — or None."""
    text = re.sub(r"\s+", "", to_halfwidth(text or ""))
    found: list[tuple[str, dict[str, Any]]] = []
    for kind, read in _READERS:
        params = read(text)
        if params is not None and _IMPLIED_BY.get(kind) not in {k for k, _ in found}:
            found.append((kind, params))
    if not found:
        return None
    (kind, params), *more = found
    return SegmentRequest(kind, params, tuple(more))
