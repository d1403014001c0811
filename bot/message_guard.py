"""Checks every channel applies to a message before it reaches NLU."""

from __future__ import annotations

import unicodedata

from bot import notices

MAX_CHARS = 200


def clean(text: str | None) -> str:
    """Drop control characters and surrounding white space; keep emoji and ordinary punctuation."""
    text = text or ""
    kept = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return " ".join(kept.split())


def rejection(text: str) -> str | None:
    """A reply for messages that should not go to NLU at all, else None."""
    if not text:
        return notices.EMPTY_MESSAGE
    if len(text) > MAX_CHARS:
        return notices.TOO_LONG
    return None
