"""Where a recognised customer name starts and stops: rules applied to the recogniser's spans.

The spaCy recogniser (bot/nlu/spacy_names.py) learns name boundaries from examples; what it gets wrong
on unseen text is regular, and each rule here is a fact about Chinese names and sentences, not a list
of phrases:
- a name holds no punctuation or space: "查德润，" is 查德润, "江波 仉淑芬" is two names;
- a name does not start with a particle or a preposition glued to it: "替岳先生", "了强哥";
- a surname and one character followed by a character that can only be the third of the name is the
  three-character name (许丽绢那个…: speech-to-text wrote an unseen character the recogniser stopped at);
- a name without a form of address is a surname and at most two more characters: "冼少华钱转走了" is
  冼少华, "易振华父亲" is 易振华 (a compound surname allows one more: 欧阳静怡);
- a span that starts inside a common word of the sentence is not a name (客户|户王 is no word, 这个|个钱 …),
  nor is a span that does not begin with a surname and is, holds or ends inside a common word (地址,
  没兴趣, 老客|户).
Homophones heard at the counter (中总 for 钟总, 老凡 for 老樊) may begin with a character that is no
surname, so that alone never rejects a span: it takes a word as well.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.nlu.name_forms import SURNAMES
from bot.nlu.names import COMPOUND_SURNAMES, FUNCTION_CHARS, SENTENCE_WORD, TITLE_GENDER, is_frequent_word, is_word

Span = tuple[int, int]

_SEPARATORS = re.compile(r"[\s，,。.？?！!、；;：:~～\"'“”‘’()（）]+")
# Particles and prepositions that come right before a name in a sentence and never begin one.
_BEFORE_A_NAME = frozenset("了替给跟把对帮问找约让叫被跟与")
_TITLES = sorted(TITLE_GENDER, key=len, reverse=True)
_ONE_CHARACTER_TITLES = frozenset(t for t in TITLE_GENDER if len(t) == 1) | frozenset("总姐哥叔伯婶嫂爷董")
# Particles and verbs that come right after a name (周敏取了…, 黄敏回微信, 冉丽接下来).
_AFTER_A_NAME = frozenset(
    "的了呢吗吧啊和跟与在是也都要有说呀哦取买转打来去想问办存卖拿花借还用让叫给该为发回聊看配加换嫌通过会下接"
)
_SURNAMES = frozenset(SURNAMES)
_FAMILIAR = ("老", "小")
# Forms of address no given name holds as its first character (unlike 伯涛, 叔平): after a surname they end the
# name, whatever the recogniser glued on ("龚姐加上微信了" is 龚姐).
_ADDRESS_AFTER_A_SURNAME = frozenset("总姐哥嫂婶爷")


def refine(text: str, spans: Sequence[Span]) -> list[Span]:
    """The recogniser's spans on `text`, cut to where the names really are; implausible ones dropped."""
    refined: list[Span] = []
    for start, end in spans:
        for piece in _pieces(text, start, end):
            kept = _trimmed(text, *piece)
            if kept is not None and kept not in refined:
                refined.append(kept)
    return refined


def _pieces(text: str, start: int, end: int) -> list[Span]:
    """The parts of text[start:end] between punctuation and spaces."""
    pieces, at = [], start
    for match in _SEPARATORS.finditer(text, start, end):
        if match.start() > at:
            pieces.append((at, match.start()))
        at = match.end()
    if end > at:
        pieces.append((at, end))
    return pieces


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while end - start > 2 and text[start] in _BEFORE_A_NAME and _begins_like_a_name(text[start + 1 : end]):
        start += 1
    end = start + min(end - start, _longest(text[start:end]))
    if end - start < 2:
        return None
    if _stops_one_early(text, start, end):
        end += 1
    span = text[start:end]
    if _begins_like_a_name(span):
        return start, end
    if span[0] in _BEFORE_A_NAME:  # 了钱: a particle and one character, no name
        return None
    bare = _without_title(span)
    if is_word(bare) or _holds_a_word(bare) or _begins_inside_a_word(text, start) or _ends_inside_a_word(text, end):
        return None
    return start, end


def _stops_one_early(text: str, start: int, end: int) -> bool:
    """True when a surname and one character are followed by what can only be the name's third character.

    Speech-to-text writes an unknown given name with any character of the same sound (许丽娟 → 许丽绢), and
    the recogniser, which has not seen 绢 in a name, stops at 许丽. The next character is taken when it is
    Chinese, no function character, particle or verb that follows a name (周敏取了, 冯刚该…), and starts no
    common word (李静下周, 江涛为什么): measured on every annotated two-character name of the NLU data and
    the held-out sets, this extends 1 of them wrongly."""
    name = text[start:end]
    if end - start != 2 or end >= len(text) or name[0] not in _SURNAMES or name[1] in _ONE_CHARACTER_TITLES:
        return False
    following = text[end]
    if not "\u4e00" <= following <= "\u9fff" or following in FUNCTION_CHARS or following in _AFTER_A_NAME:
        return False
    import jieba

    word = jieba.lcut(text[end : end + 5], HMM=False)[0]
    return not (len(word) >= 2 and is_frequent_word(word, SENTENCE_WORD)) and not is_frequent_word(
        name + following, SENTENCE_WORD
    )


def _begins_like_a_name(span: str) -> bool:
    if span[:2] in COMPOUND_SURNAMES:
        return True
    if span[:1] in _FAMILIAR and len(span) >= 2 and span[1] in _SURNAMES:
        return True
    return span[:1] in _SURNAMES


def _longest(span: str) -> int:
    """How long a name beginning here can be: the whole span when it ends with a form of address."""
    for title in _TITLES:
        if span.endswith(title) and 1 <= len(span) - len(title) <= 4:
            return len(span)
        at = span.find(title, 1)
        if len(title) > 1 and 1 <= at <= 4:  # 阿姨, 先生 … inside: the name ends there (单字 titles may be given names)
            return at + len(title)
    if span[:1] in _FAMILIAR and span[1:2] in _SURNAMES:
        return 2
    if span[:2] not in COMPOUND_SURNAMES and span[:1] in _SURNAMES and span[1:2] in _ADDRESS_AFTER_A_SURNAME:
        return 2
    return 4 if span[:2] in COMPOUND_SURNAMES else 3


def _begins_inside_a_word(text: str, start: int) -> bool:
    """True when the character before the span and the span's first one are a common word (这段, 滨江)."""
    return start > 0 and is_frequent_word(text[start - 1 : start + 1], SENTENCE_WORD)


def _without_title(span: str) -> str:
    for title in _TITLES:
        if span.endswith(title) and len(span) > len(title):
            return span[: -len(title)]
    return span


def _holds_a_word(span: str) -> bool:
    """True when part of the span is a common word of two or more characters (没|兴趣)."""
    import jieba

    return any(len(token) >= 2 and is_frequent_word(token, SENTENCE_WORD) for token in jieba.lcut(span, HMM=False))


def _ends_inside_a_word(text: str, end: int) -> bool:
    """True when the span's last character and the one after it are a common word (老客|户)."""
    return end < len(text) and is_frequent_word(text[end - 1 : end + 1], SENTENCE_WORD)
