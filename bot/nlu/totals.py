"""Questions that want a figure before the list: "有几个" / "多少位" (a count), "总共多少钱" (a sum).

"还有几个" pages on, it is no count question (the list mechanism reads it as 还有吗). A message that is
only such a question ("一共几个？", "这些客户总共多少钱") asks it of the list shown last.
"""

from __future__ import annotations

import re

from bot.nlu.voice import to_halfwidth

_COUNT = re.compile(
    r"(?<!还)有(?:几|多少)(?:个|位|名|户|人|笔)|(?:几|多少)(?:位|名|户|个人|个客户|号人)|"
    r"(?:一共|总共|共|合计|总计)(?:有)?(?:几|多少)(?:个|位|名|户|人|笔)?(?!钱|金额|资金|资产)|"
    r"多少个|几个(?!月|天|星期|礼拜)|数量|人数|户数"
)
_SUM = re.compile(
    r"多少钱|多少金额|多少资金|多少资产|金额(?:多少|合计|一共|总共|是多少)|资产(?:合计|一共|总共|加起来)|"
    r"总(?:金额|额|资产)(?:是|有|一共)?多少|总额|合计多少|加起来|一共(?:有)?多少万|总共(?:有)?多少万|共计多少"
)


def asks_sum(text: str) -> bool:
    return bool(_SUM.search(to_halfwidth(text or "")))


_PAGING_ON = re.compile(r"还有(?:几|多少)")


def asks_count(text: str) -> bool:
    t = to_halfwidth(text or "")
    return bool(_COUNT.search(t)) and not asks_sum(t) and not _PAGING_ON.search(t)


_BARE_FIGURE = re.compile(
    r"^(?:那|那么)?(?:这些|这批|上面这些|刚才这些|名单上的?|里面)?(?:客户|人)?(?:的)?(?:资产|钱|金额)?"
    r"(?:一共|总共|合计|总计|加起来|共)?(?:有|是)?(?:几个|几位|几笔|多少位|多少个|多少人|多少笔|多少钱|多少万|多少)"
    r"(?:客户|人)?(?:呢|啊|呀)?[？?。.!！]*$"
)


def is_bare_figure_question(text: str) -> bool:
    """ "一共几个？" / "这些客户总共多少钱": a count or a sum of the list shown last, nothing else."""
    t = re.sub(r"\s+", "", to_halfwidth(text or ""))
    return bool(_BARE_FIGURE.match(t)) and (asks_count(t) or asks_sum(t))
