"""Today's date for the whole assistant: `BOT_TODAY` when set (demos, tests), else Asia/Shanghai."""

from __future__ import annotations

import argparse
import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today() -> date:
    fixed = os.environ.get("BOT_TODAY", "").strip()
    if fixed:
        return date.fromisoformat(fixed)
    return datetime.now(SHANGHAI).date()


def now() -> datetime:
    """Naive local (Asia/Shanghai) wall-clock time, as stored in the database."""
    return datetime.now(SHANGHAI).replace(tzinfo=None)


def day_argument(text: str) -> date:
    """An argparse `type` for a YYYY-MM-DD date, with a message staff can read."""
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("日期格式应为 YYYY-MM-DD") from exc
