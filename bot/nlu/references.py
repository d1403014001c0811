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


# A staff id as staff write it (rm03, RM 12): the store's ids are lower case.
STAFF_ID_TEXT = r"[Rr][Mm]\s?\d{1,4}"  # for patterns that hold one
_STAFF_ID = re.compile(rf"(?<![A-Za-z0-9]){STAFF_ID_TEXT}(?!\d)")


def staff_ids_in(text: str) -> list[tuple[int, str]]:
    """(where, staff id) for every staff id the text writes, in order."""
    return [(m.start(), "rm" + m.group(0)[2:].strip()) for m in _STAFF_ID.finditer(to_halfwidth(text or ""))]


# 李明那边呢 / 那张强手上的呢 / rm02那边呢: a branch head asking after one RM's part of the overview just shown.
_SIDE = re.compile(
    r"^\s*(?:那|那么|再看看?|看看|说说)?(?P<name>[\u4e00-\u9fff]{2,4}?|"
    + STAFF_ID_TEXT
    + r")(?:那边|那儿|那里|手上|手里|组里)(?:的)?"
    r"(?:呢|情况呢?|数据呢?|怎么样|如何|咋样)?[\s？?。.!！]*$"
)
_NOT_A_PERSON = re.compile(r"^(?:我|我们|你|您|他|她|客户|网点|支行|这|那|大家|别人)")


def side_of(text: str) -> str | None:
    """The name or staff id in "李明那边呢" / "rm02那边呢" (whose part of the list), or None."""
    match = _SIDE.match(to_halfwidth(text or ""))
    if match is None or _NOT_A_PERSON.match(match.group("name")):
        return None
    ids = staff_ids_in(match.group("name"))
    return ids[0][1] if ids else match.group("name")
