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
- a span that ends like a place (…路, …区, …号) is part of an address, not a name;
- a span that starts inside a common word of the sentence is not a name (客户|户王 is no word, 这个|个钱 …),
  nor is a span that does not begin with a surname and is, holds or ends inside a common word (地址,
  没兴趣, 老客|户).
Homophones heard at the counter (中总 for 钟总, 老凡 for 老樊) may begin with a character that is no
surname, so that alone never rejects a span: it takes a word as well.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from bot.nlu.name_forms import SURNAMES
from bot.nlu.names import (
    BANK_WORDS,
    COMPOUND_SURNAMES,
    FUNCTION_CHARS,
    SENTENCE_WORD,
    TITLE_GENDER,
    is_frequent_word,
    is_word,
)

Span = tuple[int, int]

_SEPARATORS = re.compile(r"[\s，,。.？?！!、；;：:~～\"'“”‘’()（）]+")
# Particles and prepositions that come right before a name in a sentence and never begin one.
_BEFORE_A_NAME = frozenset("了替给跟把对帮问找约让叫被跟与")
_TITLES = sorted(TITLE_GENDER, key=len, reverse=True)
_ONE_CHARACTER_TITLES = frozenset(t for t in TITLE_GENDER if len(t) == 1) | frozenset("总姐哥叔伯婶嫂爷董")
# Particles and verbs that come right after a name (周敏取了…, 黄敏回微信, 冉丽接下来).
_AFTER_A_NAME = frozenset(
    "的了呢吗吧啊和跟与在是也都要有说呀哦取买转打来去想问办存卖拿花借还用让叫给该为发回聊看配加换嫌通过会下接约搬才"
)
_SURNAMES = frozenset(SURNAMES)
_FAMILIAR = ("老", "小")
# Forms of address no given name holds as its first character (unlike 伯涛, 叔平): after a surname they end the
# name, whatever the recogniser glued on ("龚姐加上微信了" is 龚姐).
_ADDRESS_AFTER_A_SURNAME = frozenset("总姐哥嫂婶爷")
# Characters that end a place in an address (滨江路, 天河区, 文三街) and no name.
_PLACE_ENDINGS = frozenset("路街巷弄号区县镇村")
_TITLE_END = re.compile(f"(?:{'|'.join(_TITLES)})$")
_LONG_TITLES = tuple(t for t in _TITLES if len(t) > 1)
_HAN = re.compile(r"[\u4e00-\u9fff]")


def refine(text: str, spans: Sequence[Span]) -> list[Span]:
    """The recogniser's spans on `text`, cut to where the names really are; implausible ones dropped."""
    refined: list[Span] = []
    for start, end in spans:
        for piece in _pieces(text, start, end):
            kept = _trimmed(text, *piece)
            kept = _completed(text, *kept) if kept is not None else None
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
    if span[-1] in _PLACE_ENDINGS:  # 滨|江路18号: part of an address
        return None
    if text[end - 1 : end + 1] in _bank_words():  # 退休客户里|活期: no name ends with a bank word's first character
        return None
    if end - start == 2 and _last_character_begins_a_word(text, end):  # 老戚咋就成|高风险了: 成高 is no name
        return None
    if _begins_like_a_name(span):
        return start, end
    if span[0] in _BEFORE_A_NAME:  # 了钱: a particle and one character, no name
        return None
    bare = _without_title(span)
    if is_word(bare) or _holds_a_word(bare) or _begins_inside_a_word(text, start) or _ends_inside_a_word(text, end):
        return None

    return start, end


def _completed(text: str, start: int, end: int) -> Span:
    """The span with what the recogniser left at either edge of the name: the first character of a compound
    surname (万|俟婷), the surname before a bare form of address (查|老师) or a familiar name (纪|小燕, after a
    word or punctuation), and a form of address right after it (井春兰|阿姨)."""
    if start > 0 and text[start - 1 : start + 1] in COMPOUND_SURNAMES:
        start -= 1
    elif start > 0 and text[start - 1] in _SURNAMES and text[start - 1] not in FUNCTION_CHARS:
        bare_title = text[start:end] in TITLE_GENDER
        # 这位纪|小燕: the character before the surname is punctuation, the start, or ends 这位 / 那个 / 客户.
        familiar = end - start == 2 and text[start] == "小" and (start == 1 or text[start - 2] in "位个户，,。 ")
        if bare_title or familiar:
            start -= 1
    if not _TITLE_END.search(text[start:end]):
        for title in _LONG_TITLES:
            if text.startswith(title, end):
                return start, end + len(title)
    return start, end


@lru_cache(maxsize=2)
def _bank_words(person_names: bool = False) -> frozenset[str]:
    """The bank's own two-character words (data/jieba/bank_words.txt: 活期, 理财, 定期 …), or, with
    `person_names`, the names of any length it holds (tagged nr) so that the tokenizer keeps them whole."""
    with open(BANK_WORDS, encoding="utf-8") as handle:
        rows = [line.split() for line in handle]
    names = frozenset(r[0] for r in rows if len(r) > 2 and r[2].startswith("nr"))
    return names if person_names else frozenset(r[0] for r in rows if r and len(r[0]) == 2 and r[0] not in names)


def _stops_one_early(text: str, start: int, end: int) -> bool:
    """True when a surname and one character are followed by what can only be the name's third character.

    Speech-to-text writes an unknown given name with any character of the same sound (许丽娟 → 许丽绢), and
    the recogniser, which has not seen 绢 in a name, stops at 许丽. The next character is taken when it is
    Chinese, no function character, particle or verb that follows a name (周敏取了, 冯刚该…), and starts no
    common word (李静下周, 江涛为什么): measured on every annotated two-character name of the NLU data and
    the held-out sets, this extends 1 of them wrongly."""
    name = text[start:end]
    # A surname and one character, or a compound surname and one (澹台秋|月, 尉迟玉|风).
    short = 3 if name[:2] in COMPOUND_SURNAMES else 2
    if end - start != short or end >= len(text) or name[short - 1] in _ONE_CHARACTER_TITLES:
        return False
    if short == 2 and name[0] not in _SURNAMES:
        return False
    following = text[end]
    if not "\u4e00" <= following <= "\u9fff" or following in FUNCTION_CHARS or following in _AFTER_A_NAME:
        return False
    import jieba

    word = jieba.lcut(text[end : end + 5], HMM=False)[0]
    if short == 3:  # a compound surname's name stops before any dictionary word (万俟婷|手机号) or verb (东方晓|留)
        return following not in _NEVER_GIVEN and len(word) < 2
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


def _last_character_begins_a_word(text: str, end: int) -> bool:
    """True when the span's last character starts a word of three or four characters (成|高风险)."""
    return any(_a_word(text[end - 1 : k]) for k in range(end + 2, min(len(text), end + 3) + 1))


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


# ---------------------------------------------------------------- names the recogniser did not see at all
_ADDRESS_FORMS = sorted((t for t in TITLE_GENDER if t != "董"), key=len, reverse=True)
# Single characters a name follows as its own word (查|王敏, 给|冼家明, 这位|…): verbs of looking and asking,
# prepositions. As a surname they are read only before a form of address (查老师, 和总).
_LEAD_IN = frozenset(_BEFORE_A_NAME | set("查看问说位下和同"))
# A name right after these is a colleague's (客户经理张敏, 同事李明, 移交给李明), not a client's.
_STAFF_BEFORE = re.compile(r"(?:经理|行长|主管|柜员|同事|大堂|理财师|(?:移交|交接|划|转|分|交)给)$")
# Verbs and particles that follow a name and almost never end a given name (周敏取了, 东方晓留的…, 呼延庆上回).
# 花 is the exception: 春花, 桂花 are names as often as 花了 follows one.
_NEVER_GIVEN = frozenset(FUNCTION_CHARS | (_AFTER_A_NAME - {"花"}) | set("留划上前后里过"))


def _a_word(text: str) -> bool:
    """A common word, by jieba's whole dictionary: names.is_frequent_word leaves out the words jieba tags as
    person names, and those include 祝福, 孙子, 阿姨; a real person's name has no frequency of its own."""
    import jieba

    jieba.initialize()
    if text in _bank_words(person_names=True):  # names of the training data, kept whole for the tokenizer
        return False
    return is_frequent_word(text, SENTENCE_WORD) or jieba.dt.FREQ.get(text, 0) >= SENTENCE_WORD


def sentence_names(text: str, taken: Sequence[Span] = ()) -> list[Span]:
    """Names the recogniser missed, read from the sentence's shape: a surname, then one or two characters
    of a given name (or a form of address: 矫大爷, 宫婶), where the sentence's words leave room for a name
    (it starts after punctuation, a word or a verb of looking; no word begins at its surname) and it ends
    at the end, punctuation, a particle or verb that follows names (说, 的, 嫌 …) or the start of a common
    word (冼家明|资产, 步云飞|适合). A form of address right after it belongs to it (姚振华先生). `taken`:
    spans other extractors own; nothing overlaps them.

    The recogniser learns names from examples and misses some on rare surnames and unseen contexts
    (谢天华说…, 记一个投诉苑立新嫌…); SpacyNameExtractor adds those that overlap none of its own."""
    from bot.nlu.name_forms import GIVEN_CHARS

    boundaries = _word_boundaries(text)
    found: list[Span] = []
    at = 0
    while at < len(text) - 1:
        span = _name_at(text, at, boundaries, GIVEN_CHARS) if at in boundaries else None
        if span is None or any(span[0] < end and span[1] > start for start, end in taken):
            at += 1
            continue
        found.append(span)
        at = span[1]
    return found


def _word_boundaries(text: str) -> frozenset[int]:
    """Offsets where jieba's dictionary segmentation of the sentence puts a word boundary (an unknown
    name falls apart into characters, so every offset inside it is one; 手续|费 is not)."""
    import jieba

    at, cuts = 0, {0}
    for token in jieba.lcut(text, HMM=False):
        at += len(token)
        cuts.add(at)
    return frozenset(cuts)


def _room_for_a_name(text: str, start: int) -> bool:
    if start == 0 or not _HAN.match(text[start - 1]):
        return True
    if _STAFF_BEFORE.search(text[:start]):
        return False
    import jieba

    # Without HMM, jieba returns a token of two or more characters only for a dictionary word (解释一下).
    before = jieba.lcut(text[max(0, start - 6) : start], HMM=False)[-1]
    return before in _LEAD_IN or len(before) >= 2


def _name_at(text: str, start: int, boundaries: frozenset[int], given_chars: str) -> Span | None:
    surname = 2 if text[start : start + 2] in COMPOUND_SURNAMES else 1
    if surname == 1 and (text[start] not in _SURNAMES or text[start] in FUNCTION_CHARS):
        return None
    if not _room_for_a_name(text, start):
        return None
    after = start + surname
    for title in _ADDRESS_FORMS:  # 矫大爷, 宫婶, 查老师: a surname and a form of address
        if text.startswith(title, after) and not _a_word(text[start : after + len(title)]):
            if _ends_at_a_boundary(text, after + len(title)):
                return start, after + len(title)
    if text[start] in _LEAD_IN:
        return None
    for given in (2, 1):
        end = after + given
        chars = text[after:end]
        if end > len(text) or not all(_HAN.match(c) for c in chars):
            continue
        if any(c in _NEVER_GIVEN or c in _ONE_CHARACTER_TITLES for c in chars):
            continue
        if not any(c in given_chars for c in chars):
            continue
        # No word begins at the surname (高风|险, 祝福, 孙子, 银保); the given name may be one (海燕, 春兰).
        if any(_a_word(text[start:k]) for k in range(after + 1, end + 1)):
            continue
        if _ends_inside_a_word(text, end) or not _ends_at_a_boundary(text, end):
            continue
        for title in _LONG_TITLES:
            if text.startswith(title, end):
                return start, end + len(title)
        return start, end
    return None


def _ends_at_a_boundary(text: str, end: int) -> bool:
    """The end of the text, punctuation, a character that follows names, or the first of a common word."""
    if end >= len(text) or not _HAN.match(text[end]) or text[end] in _AFTER_A_NAME:
        return True
    import jieba

    return len(jieba.lcut(text[end : end + 5], HMM=False)[0]) >= 2  # a dictionary word (手机号) starts there
