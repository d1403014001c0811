"""Resolve a spoken or typed client name to the asking RM's own clients — and only to those.

Order of trust: the exact name; then surname + form of address (陈总, 王女士, 李先生, 张阿姨, 刘姐, 老王,
小李), filtered by the gender the title implies; then toneless pinyin with a fuzzy score, for names a
voice-to-text engine misheard (王秀颖 → 王秀英). When two clients fit equally well the answer is
"ambiguous" with both, so the caller can ask which one was meant.

A name span that is itself an ordinary word (微信, 短信, 理财) is never resolved by sound: a channel word
must not become a client called 魏鑫. A pinyin match carries its score, so the caller can tell a sure
reading (every syllable equal) from a guess it should ask about (王晓萍 for 王晓晶).

Scanning a whole utterance (`find_in_text`, for when the ML extractor missed the name) is stricter:
pinyin windows of 2–3 Chinese characters must match every syllable, must not be a dictionary word
(jieba's dictionary, read directly so user dictionaries added at run time do not leak in), must not
glue onto the characters around them to form a word, must not cut through a word of the sentence
(胡美静为什么…: "静为" cuts 为什么), and must not contain function characters.

Build a `NameIndex` once per candidate list (an RM has a few hundred clients); `resolve_name` and
`find_client_in_text` do that for you and keep the last few indexes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import lazy_pinyin
from rapidfuzz.fuzz import ratio

from bot.nlu.voice import to_halfwidth

BANK_WORDS = os.path.join(os.path.dirname(__file__), "..", "..", "data", "jieba", "bank_words.txt")

EXACT, TITLE, PINYIN, AMBIGUOUS, NONE = "exact", "title", "pinyin", "ambiguous", "none"

RESOLVE_THRESHOLD = 0.85  # mean syllable similarity for a name the NER already marked as a name
SURE_READING = 0.999  # every syllable the same sound: 陈建果 for 陈建国; anything less is a guess to ask about
AMBIGUITY_MARGIN = 0.05  # candidates this close to the best one are equally good
TEXT_SYLLABLE_MIN = 0.9  # scanning free text: every syllable equal or a dialect-level confusion
FREQUENT_WORD = 400  # jieba frequency above which 小时, 小区, 师姐 are words, not 小+surname
SENTENCE_WORD = 100  # a word of the sentence a name window may not cut (为什么, 流失); 客户王 (3) is no word


@dataclass(frozen=True)
class ClientRef:
    customer_id: int
    name: str
    gender: str  # "F" or "M"


@dataclass(frozen=True)
class NameMatch:
    kind: str  # exact | title | pinyin | ambiguous | none
    matches: tuple[ClientRef, ...] = ()
    score: float = 1.0  # the pinyin similarity of a pinyin match; 1.0 otherwise

    @property
    def client(self) -> ClientRef | None:
        """The one client meant, when there is exactly one."""
        return self.matches[0] if self.kind in (EXACT, TITLE, PINYIN) else None


NO_MATCH = NameMatch(NONE, ())

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 澹台 太史 端木 申屠 "
    "独孤 南宫 西门 百里 呼延 闻人 赫连 万俟 东郭 公羊 闾丘 公冶 第五 梁丘 左丘".split()
)
# Surnames read differently from the everyday reading of the character.
_SURNAME_READING = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "区": "ou",
    "乐": "yue",
    "翟": "zhai",
    "缪": "miao",
    "覃": "qin",
    "尉": "yu",
    "盖": "ge",
    "种": "chong",
    "召": "shao",
    "秘": "bi",
    "隗": "wei",
    "长": "zhang",
    "省": "xian",
    "宓": "fu",
}

_FEMALE, _MALE = "F", "M"
TITLE_GENDER: dict[str, str | None] = {
    "女士": _FEMALE,
    "小姐": _FEMALE,
    "太太": _FEMALE,
    "夫人": _FEMALE,
    "阿姨": _FEMALE,
    "大姐": _FEMALE,
    "姐姐": _FEMALE,
    "姐": _FEMALE,
    "大妈": _FEMALE,
    "奶奶": _FEMALE,
    "婆婆": _FEMALE,
    "姨": _FEMALE,
    "大嫂": _FEMALE,
    "婶": _FEMALE,
    "婶婶": _FEMALE,
    "大娘": _FEMALE,
    "阿婆": _FEMALE,
    "嫂": _FEMALE,
    "先生": _MALE,
    "大哥": _MALE,
    "哥": _MALE,
    "叔叔": _MALE,
    "大叔": _MALE,
    "叔": _MALE,
    "大爷": _MALE,
    "爷爷": _MALE,
    "伯伯": _MALE,
    "大伯": _MALE,
    "伯": _MALE,
    "总": None,
    "老师": None,
    "老板": None,
    "师傅": None,
    "董": None,
    "主任": None,
    "医生": None,
    "教授": None,
}
_TITLES = sorted(TITLE_GENDER, key=len, reverse=True)
_TITLE_SUFFIX = re.compile(f"(?:{'|'.join(_TITLES)})$")
_FAMILIAR_PREFIX = ("老", "小")
# 老X / 小X that are words even when X is a client's surname.
_FAMILIAR_WORDS = frozenset(
    "小时 小区 老区 老师 小于 小龙 小孔 小心 老年 小康 小米 小麦 小平 老成 小计 小童 老汉 老牛".split()
)
# Characters that almost never appear in a name; a window containing one is not a misheard name.
FUNCTION_CHARS = frozenset(
    "的了是我你他她们这那吗呢吧啊个有在和与及到期要把被给对从向就都也还又很最些哪谁什么怎样几多少"
)
# A particle after a match does not make it part of a longer word (王总是…, 李姐的…).
_PARTICLES = frozenset("的了呢吗吧啊和跟与在是也都要有说呀哦")
_SAID_NOISE = re.compile(r"^(?:我的客户|客户|那个|这个)|(?:这个客户|客户|的|呢|吗|吧)$")
_HAN = re.compile(r"[\u4e00-\u9fff]+")


# ---------------------------------------------------------------- dictionary words (lazy, read once)
@lru_cache(maxsize=1)
def _dictionary() -> tuple[frozenset[str], dict[str, int]]:
    """jieba's own dictionary and the bank's words: all 2–3 character words, and their frequencies."""
    try:
        import jieba
    except ImportError:  # pragma: no cover - jieba is a pinned dependency
        return frozenset(), {}
    words: set[str] = set()
    frequencies: dict[str, int] = {}
    # jieba's dictionary predates 微信; the bank's own words (the tokenizer's user dictionary) are words too.
    for path in (os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), BANK_WORDS):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                word, count, tag = (line.split() + ["1", ""])[:3]
                if 2 <= len(word) <= 3 and not tag.startswith("nr"):  # nr: a form of address (陈总), not a word
                    words.add(word)
                    frequencies[word] = max(frequencies.get(word, 0), int(count))
    return frozenset(words), frequencies


def is_word(text: str) -> bool:
    return text in _dictionary()[0]


def is_frequent_word(text: str, at_least: int = FREQUENT_WORD) -> bool:
    return _dictionary()[1].get(text, 0) >= at_least


# ---------------------------------------------------------------- surnames, pinyin
def surname_of(name: str) -> str:
    if len(name) > 2 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


def _gender_fits(ref: ClientRef, gender: str | None) -> bool:
    return gender is None or (ref.gender or "").upper() == gender


@lru_cache(maxsize=8192)
def _char_pinyin(ch: str) -> str:
    return lazy_pinyin(ch)[0].lower()


def syllables(name: str) -> tuple[str, ...]:
    """Toneless pinyin per character, reading the first character as a surname (曾 → zeng)."""
    if not name:
        return ()
    out = [_char_pinyin(ch) for ch in name]
    out[0] = _SURNAME_READING.get(name[0], out[0])
    return tuple(out)


@lru_cache(maxsize=4096)
def _fuzzy(syllable: str) -> str:
    """Collapse the confusions common in speech and southern accents: zh/z, ch/c, sh/s, l/n, -ng/-n."""
    syllable = re.sub(r"^([zcs])h", r"\1", syllable)
    syllable = re.sub(r"^l", "n", syllable)
    return re.sub(r"ng$", "n", syllable)


@lru_cache(maxsize=65536)
def syllable_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if _fuzzy(a) == _fuzzy(b):
        return 0.9
    return 0.8 * ratio(a, b) / 100


def name_similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Mean syllable similarity of two pinyin sequences of the same length; 0 otherwise."""
    if len(a) != len(b) or not a:
        return 0.0
    return sum(syllable_similarity(x, y) for x, y in zip(a, b)) / len(a)


def _parse_title(said: str) -> tuple[str, str | None] | None:
    """'陈总' → ('陈', None), '王女士' → ('王', 'F'), '老王' → ('王', None); None when not such a form."""
    if len(said) in (2, 3) and said.startswith(_FAMILIAR_PREFIX) and said not in _FAMILIAR_WORDS:
        rest = said[1:]
        if len(rest) == 1 or rest in COMPOUND_SURNAMES:
            return rest, None
    match = _TITLE_SUFFIX.search(said)
    if match:
        surname = said[: match.start()]
        if len(surname) == 1 or surname in COMPOUND_SURNAMES:
            return surname, TITLE_GENDER[match.group(0)]
    return None


def _clean_said(said: str) -> str:
    text = re.sub(r"[\s，,。.？?！!、]+", "", to_halfwidth(said or ""))
    previous = None
    while previous != text and len(text) > 2:
        previous, text = text, _SAID_NOISE.sub("", text)
    return text


def clean_span(said: str) -> str:
    """The name span without the words around it that the extractor sometimes takes along (客户…, …呢)."""
    return _clean_said(said)


def _result(kind: str, refs: Iterable[ClientRef], score: float = 1.0) -> NameMatch:
    unique = tuple(dict.fromkeys(refs))
    if not unique:
        return NO_MATCH
    if len(unique) > 1:
        return NameMatch(AMBIGUOUS, unique, score)
    return NameMatch(kind, unique, score)


# ---------------------------------------------------------------- the index
class NameIndex:
    """Everything `resolve` and `find_in_text` need about one RM's clients, computed once."""

    def __init__(self, candidates: Iterable[ClientRef]):
        self.candidates = tuple(candidates)
        self._by_name: dict[str, list[ClientRef]] = {}
        self._by_surname: dict[str, list[ClientRef]] = {}
        self._by_surname_sound: dict[str, list[ClientRef]] = {}
        self._by_length: dict[int, list[tuple[ClientRef, tuple[str, ...]]]] = {}
        self._by_first_sound: dict[tuple[int, str], list[tuple[ClientRef, tuple[str, ...]]]] = {}
        for ref in self.candidates:
            name = (ref.name or "").strip()
            if len(name) < 2:
                continue
            sounds = syllables(name)
            surname = surname_of(name)
            self._by_name.setdefault(name, []).append(ref)
            self._by_surname.setdefault(surname, []).append(ref)
            self._by_surname_sound.setdefault(" ".join(syllables(surname)), []).append(ref)
            self._by_length.setdefault(len(name), []).append((ref, sounds))
            self._by_first_sound.setdefault((len(name), _fuzzy(sounds[0])), []).append((ref, sounds))
        self._name_lengths = sorted({len(n) for n in self._by_name}, reverse=True)
        self._title_pattern = self._build_title_pattern()

    def _build_title_pattern(self) -> re.Pattern | None:
        if not self._by_surname:
            return None
        surnames = "|".join(sorted(map(re.escape, self._by_surname), key=len, reverse=True))
        titles = "|".join(_TITLES)
        return re.compile(f"(?:老|小)(?P<familiar>{surnames})|(?P<surname>{surnames})(?P<title>{titles})")

    # ------------------------------------------------------------ resolve a name span
    def resolve(self, said: str) -> NameMatch:
        text = _clean_said(said)
        if len(text) < 2:
            return NO_MATCH
        if text in self._by_name:
            return _result(EXACT, self._by_name[text])
        title = _parse_title(text)
        if title:
            return self._resolve_title(*title)
        suffix = _TITLE_SUFFIX.search(text)
        if suffix and suffix.start() >= 2:  # a full name with a title: 王秀英女士, 王秀颖阿姨
            return self.resolve(text[: suffix.start()])
        if is_word(text):
            return NO_MATCH  # 微信, 短信: an ordinary word, not a misheard name
        return self._resolve_pinyin(text)

    def _resolve_title(self, surname: str, gender: str | None) -> NameMatch:
        refs = [r for r in self._by_surname.get(surname, []) if _gender_fits(r, gender)]
        if refs:
            return _result(TITLE, refs)
        # A homophone surname from voice input: 汪女士 for 王女士.
        sound = " ".join(syllables(surname))
        return _result(PINYIN, [r for r in self._by_surname_sound.get(sound, []) if _gender_fits(r, gender)])

    def _resolve_pinyin(self, text: str) -> NameMatch:
        sounds = syllables(text)
        scored = [(name_similarity(sounds, s), ref) for ref, s in self._by_length.get(len(text), [])]
        scored = [(score, ref) for score, ref in scored if score >= RESOLVE_THRESHOLD]
        if not scored:
            return NO_MATCH
        best = max(score for score, _ in scored)
        close = sorted((item for item in scored if item[0] >= best - AMBIGUITY_MARGIN), key=lambda x: -x[0])
        return _result(PINYIN, [ref for _, ref in close], best)

    # ------------------------------------------------------------ find a name in a whole utterance
    def find_in_text(self, text: str) -> NameMatch:
        text = to_halfwidth(text or "")
        for finder in (self._exact_in_text, self._titles_in_text, self._pinyin_in_text):
            found = finder(text)
            if found.kind != NONE:
                return found
        return NO_MATCH

    def _exact_in_text(self, text: str) -> NameMatch:
        taken = [False] * len(text)
        names = []
        for length in self._name_lengths:  # longest first, so 王秀英 wins over a client called 王秀
            for start in range(len(text) - length + 1):
                piece = text[start : start + length]
                if piece in self._by_name and not any(taken[start : start + length]):
                    taken[start : start + length] = [True] * length
                    names.append(piece)
        return _result(EXACT, [ref for name in names for ref in self._by_name[name]])

    def _titles_in_text(self, text: str) -> NameMatch:
        if self._title_pattern is None:
            return NO_MATCH
        refs: list[ClientRef] = []
        for match in self._title_pattern.finditer(text):
            if _glued_to_neighbours(text, match.start(), match.end()):
                continue
            if match.group("familiar"):
                if match.group(0) in _FAMILIAR_WORDS or is_frequent_word(match.group(0)):
                    continue
                surname, gender = match.group("familiar"), None
            else:
                if len(match.group(0)) == 2 and is_frequent_word(match.group(0)):
                    continue  # 汇总, 师姐
                surname, gender = match.group("surname"), TITLE_GENDER[match.group("title")]
            refs.extend(r for r in self._by_surname[surname] if _gender_fits(r, gender))
        return _result(TITLE, refs)

    def _pinyin_in_text(self, text: str) -> NameMatch:
        refs: list[ClientRef] = []
        score = 1.0
        taken = [False] * len(text)
        for run in _HAN.finditer(text):
            words = _word_spans(text, run.start(), run.end())
            for start, end in _windows(run.start(), run.end()):
                window = text[start:end]
                if any(taken[start:end]) or FUNCTION_CHARS.intersection(window) or is_word(window):
                    continue
                if _glued_to_neighbours(text, start, end) or _cuts_a_word(words, start, end):
                    continue
                found = self._sounds_like(window)
                if found:
                    taken[start:end] = [True] * (end - start)
                    refs.extend(ref for ref, _ in found)
                    score = min([score, *(similarity for _, similarity in found)])
        return _result(PINYIN, refs, score)

    def _sounds_like(self, window: str) -> list[tuple[ClientRef, float]]:
        sounds = syllables(window)
        found = []
        for ref, name_sounds in self._by_first_sound.get((len(window), _fuzzy(sounds[0])), []):
            if ref.name == window:
                continue
            if all(syllable_similarity(a, b) >= TEXT_SYLLABLE_MIN for a, b in zip(sounds, name_sounds)):
                found.append((ref, name_similarity(sounds, name_sounds)))
        return found


def _windows(start: int, end: int) -> Iterable[tuple[int, int]]:
    for length in (3, 2):
        for i in range(start, end - length + 1):
            yield i, i + length


def _word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the common words of 2+ characters jieba finds in text[start:end]."""
    import jieba

    spans, at = [], start
    for token in jieba.lcut(text[start:end], HMM=False):
        if len(token) >= 2 and is_frequent_word(token, SENTENCE_WORD):
            spans.append((at, at + len(token)))
        at += len(token)
    return spans


def _cuts_a_word(words: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when the window [start, end) takes part of a word of the sentence but not all of it."""
    return any(w_start < end and start < w_end and not (start <= w_start and w_end <= end) for w_start, w_end in words)


def _glued_to_neighbours(text: str, start: int, end: int) -> bool:
    """True when the first character forms a word with the one before, or the last with the one after."""
    if start > 0 and is_word(text[start - 1 : start + 1]):
        return True
    if end < len(text) and text[end] not in _PARTICLES and is_word(text[end - 1 : end + 1]):
        return True
    return False


# ---------------------------------------------------------------- module-level conveniences
@lru_cache(maxsize=16)
def _index_for(candidates: tuple[ClientRef, ...]) -> NameIndex:
    return NameIndex(candidates)


def resolve_name(said: str, candidates: Sequence[ClientRef]) -> NameMatch:
    """Which of `candidates` the name span `said` refers to. Never looks beyond `candidates`."""
    return _index_for(tuple(candidates)).resolve(said)


def find_client_in_text(text: str, candidates: Sequence[ClientRef]) -> NameMatch:
    """Which of `candidates` a whole utterance mentions, when no name span was extracted."""
    return _index_for(tuple(candidates)).find_in_text(text)
