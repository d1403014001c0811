"""Bank words typed as their pinyin initials: lsfx for 流失风险, xyb for 下一步, hs for 话术, vx for 微信.

In WeCom, staff in a hurry type the first letter of each syllable for the words they use all day. A bag of
character n-grams sees "lsfx" as nothing it knows. `expand_initials` writes the word back when a whole run
of Latin letters (nothing alphanumeric glued to it: rm02, vip and app are left alone) is the initials of one
of the words below. One letter stands for one character, so the text keeps its length and entity offsets
found on it hold for what the user typed.

Only abbreviations with one reading in a banker's chat are listed: fx is FX (外汇) to a banker before it is
风险, yj is 业绩, jj 姐姐, mt 美团, so those stay as typed. One pair of bank words shares its initials and
is read from the word after it: dq before 存 is 定期 (dq存款), otherwise 到期 (dq客户, 本周dq的). A few
initials that are no bank word (sm 什么, zm 怎么, wsm 为什么) are listed because they carry the question
("wsm要转走" is 为什么要转走).
"""

from __future__ import annotations

import re

INITIALS: dict[str, str] = {
    "kh": "客户", "lc": "理财", "bx": "保险",
    "lsfx": "流失风险", "xyb": "下一步", "hs": "话术", "lx": "联系", "hf": "回访",
    "vx": "微信", "wx": "微信", "dh": "电话", "dx": "短信",
    # the question itself
    "wsm": "为什么", "sm": "什么", "zm": "怎么", "jt": "今天",
}  # fmt: skip
# Initials with two bank words: (word, when this follows) first, then the default.
AMBIGUOUS: dict[str, tuple[tuple[str, re.Pattern], str]] = {
    "dq": (("定期", re.compile("存")), "到期"),
}

_LATIN = re.compile("[A-Za-z]")
_RUN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2,4}(?![A-Za-z0-9])")


def _word_for(run: str, after: str) -> str | None:
    key = run.lower()
    if key in INITIALS:
        return INITIALS[key]
    if key in AMBIGUOUS:
        (word, when), default = AMBIGUOUS[key]
        return word if when.match(after) else default
    return None


def expand_initials(text: str) -> str:
    """The text with pinyin-initial runs written as the bank words they stand for, same length."""
    if not text or not _LATIN.search(text):
        return text

    def replace(match: re.Match) -> str:
        word = _word_for(match.group(0), text[match.end() :])
        return word if word is not None else match.group(0)

    return _RUN.sub(replace, text)
