"""Words that point back to the client already being discussed: 她 / 他 / 这位 / 这个客户.

"给她打电话怎么说" means the client in focus; "客户要取五十万买房" (no pronoun) means someone new at the
counter. 他行 / 其他 are not pronouns.
"""

from __future__ import annotations

import re

from bot.nlu.voice import to_halfwidth

_POINTS_BACK = re.compile(r"(?<!其)[他她](?!行|人)|这位|那位|该客户|此客户|这个客户|这客户|刚才那个|刚才那位")


def points_back(text: str) -> bool:
    return bool(_POINTS_BACK.search(to_halfwidth(text or "")))


# 上一页 / 前一页 / 前面的 / 往回翻 / 返回上一批: paging back through the last list (not 前两个, an ordinal).
_PREVIOUS_PAGE = re.compile(r"上一?[页批]|前一?[页批]|前面(的|那|几)|往回|返回|回到前")


def asks_previous_page(text: str) -> bool:
    return bool(_PREVIOUS_PAGE.search(to_halfwidth(text or "")))


# 李明那边呢 / 那张强手上的呢: a branch head asking after one RM's part of the overview just shown.
_SIDE = re.compile(
    r"^\s*(?:那|那么|再看看?|看看|说说)?(?P<name>[\u4e00-\u9fff]{2,4}?)(?:那边|那儿|那里|手上|手里|组里)(?:的)?"
    r"(?:呢|情况呢?|数据呢?|怎么样|如何|咋样)?[\s？?。.!！]*$"
)
_NOT_A_PERSON = re.compile(r"^(?:我|我们|你|您|他|她|客户|网点|支行|这|那|大家|别人)")


def side_of(text: str) -> str | None:
    """The name in "李明那边呢" (whose part of the list), or None."""
    match = _SIDE.match(to_halfwidth(text or ""))
    if match is None or _NOT_A_PERSON.match(match.group("name")):
        return None
    return match.group("name")
