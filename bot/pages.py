"""One page of a list the assistant shows (maturing, risk, today's plan, segments, outflows, branch overview).

Every list is answered a page at a time and resumed with 还有吗 / 下一页 / 前面的 from the same state; the
numbering, the remaining count and the bounds of the previous page are computed here once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

PAGE_SIZE = 10

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    offset: int  # how many items come before this page
    total: int  # how many the whole list holds

    @property
    def first_number(self) -> int:
        return self.offset + 1

    @property
    def last_number(self) -> int:
        return self.offset + len(self.items)

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.last_number)

    @property
    def next_offset(self) -> int:
        return self.last_number

    @property
    def exhausted(self) -> bool:
        """Asked past the end: the list has items but this page has none."""
        return self.total > 0 and not self.items


def page_of(rows: Sequence[T], offset: int = 0, size: int = PAGE_SIZE) -> Page[T]:
    """The page of already-computed `rows` that starts at `offset`."""
    offset = max(0, offset)
    return Page(tuple(rows[offset : offset + size]), offset, len(rows))


def previous_offset(shown_from: int, size: int = PAGE_SIZE) -> int | None:
    """Where the page before the one starting at `shown_from` starts; None when that was the first page."""
    return None if shown_from <= 0 else max(0, shown_from - size)
