"""The header and footer of every list the assistant shows, worded once.

First page: the list's own header ("本周到期：共12笔…"). Later pages: "续上（第11–12笔，共12笔）".
Footer while more remain: "还有2笔，回复“还有吗”查看后面的。" Past the end: "…共12笔，已经全部列出了。"
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from bot.formatting import money
from bot.pages import Page
from bot.replies import MORE_HINT

T = TypeVar("T")

BACK_HINT = "回复“前面的”看上一页。"


def list_text(
    page: Page[T],
    *,
    unit: str,  # 位 for clients, 笔 for holdings
    header: str,  # the first page's header
    subject: str,  # what the list is of, for "…共N位，已经全部列出了"
    empty: str,  # said when the list is empty
    line: Callable[[T], str],
    before: Iterable[str] = (),  # notes that go above everything (a time span not understood)
    after: Iterable[str] = (),  # hints that go under the list on every page
    numbered: bool = True,  # per-RM rows of the branch overview are not a ranking
) -> str:
    lines = list(before)
    if page.total == 0:
        return "\n".join([*lines, empty])
    if page.exhausted:
        return "\n".join([*lines, f"{subject}共{page.total}{unit}，已经全部列出了。"])
    if page.offset == 0:
        lines.append(header)
    else:
        lines.append(f"续上（第{page.first_number}–{page.last_number}{unit}，共{page.total}{unit}）")
    for n, item in enumerate(page.items, start=page.first_number):
        lines.append(f"{n}. {line(item)}" if numbered else line(item))
    if page.remaining:
        lines.append(f"还有{page.remaining}{unit}，{MORE_HINT}")
    lines += after
    return "\n".join(lines)


def figure_line(count: int, unit: str, sum_fen: int | None = None, sum_of: str = "合计") -> str:
    """The figure asked for, said before the list: "共12位。" / "资产合计860万（12位）。"."""
    if sum_fen is None:
        return f"共{count}{unit}。"
    return f"{sum_of}{money(sum_fen)}（{count}{unit}）。"


NO_LIST_TO_PICK_FROM = "还没有可以选的名单。先查一个，比如“谁最可能流失”，再说“第三个”。"


def not_on_the_page(shown: int) -> str:
    """ "第十二个" when the page showed fewer: the position is not guessed."""
    if shown == 0:
        return NO_LIST_TO_PICK_FROM
    return f"刚才那页只有{shown}位，请说第1到第{shown}个，或者直接说名字。"
