"""Replies over WeCom's 2048-byte cap are split between lines, never inside a character."""

from __future__ import annotations

from bot.channels.wecom_api import split_content


def test_short_text_is_one_part():
    assert split_content("你好\n再见") == ["你好\n再见"]


def test_text_of_exactly_the_limit_is_one_part():
    text = "a" * 2048
    assert split_content(text) == [text]


def test_parts_break_between_lines():
    text = "\n".join(["甲" * 300, "乙" * 300, "丙" * 300])  # 900 bytes per line
    assert split_content(text) == ["甲" * 300 + "\n" + "乙" * 300, "丙" * 300]


def test_a_single_overlong_line_is_cut_between_characters():
    text = "王" * 1500  # 4500 bytes, no line break
    parts = split_content(text)
    assert "".join(parts) == text
    assert all(len(p.encode()) <= 2048 for p in parts)


def test_blank_text_gives_no_parts():
    assert split_content("\n\n") == []
