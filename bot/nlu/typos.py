"""Bank words typed with a wrong character of the same sound: 里财 for 理财, 到其 for 到期, 话述 for 话术.

A pinyin keyboard offers every character of a syllable; a hurried RM picks the wrong one, and a bag of
character n-grams then sees a word it never learnt. `fix_typos` puts the bank's word back when a piece of
the message sounds exactly like it (toneless, any reading of a polyphone), shares at least one character
with it, is not itself a word of the dictionary (流逝 and 奉献 are words: they stay) and cuts no word around
it (到期金额 holds no 基金). The text keeps its length, so entity offsets found on it hold for what the user
typed.

Never inside a name: a piece that starts with a surname (丁琪 is no 定期), or follows one and starts with a
character of given names (陈立才's 立才 is no 理财, 樊淑回's 淑回 no 赎回), is left alone — a name silently
rewritten would be looked up as somebody else.

`BankWordSpeller` applies it before the tokenizer (config.yml), to training data and messages alike, after
putting southern and north-eastern words into Mandarin (佢 → 他, 睇 → 看, bot/nlu/dialect.py) and writing out
bank words typed as pinyin initials (lsfx → 流失风险, bot/nlu/initials.py).
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, pinyin
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.dialect import to_mandarin
from bot.nlu.initials import expand_initials
from bot.nlu.name_forms import GIVEN_CHARS, SURNAMES
from bot.nlu.names import SENTENCE_WORD, is_frequent_word, is_word
from bot.nlu.stateless import StatelessComponent

# The words the classifiers and grammars key on; a slip in one of them changes what a message is read as.
BANK_WORDS = (
    "理财", "到期", "定期", "活期", "存单", "基金", "保险", "国债", "赎回", "续存", "流失", "风险", "预警", "话术",
    "联系", "挽留", "跟进", "下一步", "画像", "名单", "转出", "资产", "持仓", "推荐", "客户", "大额", "网点",
)  # fmt: skip
_GIVEN_CHARS = frozenset(GIVEN_CHARS)
_ALL_SURNAMES = frozenset(SURNAMES)


@lru_cache(maxsize=16384)
def _readings(ch: str) -> frozenset[str]:
    return frozenset(pinyin(ch, style=Style.NORMAL, heteronym=True)[0])


@lru_cache(maxsize=1)
def _keys() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((word, tuple(sound[0] for sound in pinyin(word, style=Style.NORMAL))) for word in BANK_WORDS)


def _sounds_like(piece: str, sounds: tuple[str, ...]) -> bool:
    return all(sound in _readings(ch) for ch, sound in zip(piece, sounds))


def _cuts_a_word(chars: list[str], start: int, end: int) -> bool:
    """True when the piece's first or last character makes a common word with its neighbour: 到期金额's 期金 is
    no 基金, 升级金卡's 级金 neither, 到其他银行's 到其 no 到期 (a rare one, 拜到 in 下礼拜到其, does not count)."""
    before = "".join(chars[start - 1 : start + 1]) if start > 0 else ""
    after = "".join(chars[end - 1 : end + 1]) if end < len(chars) else ""
    return is_frequent_word(before, SENTENCE_WORD) or is_frequent_word(after, SENTENCE_WORD)


def fix_typos(text: str) -> str:
    """The text with mistyped bank words put right, same length."""
    if not text:
        return text
    chars = list(text)
    for word, sounds in _keys():
        n, start = len(word), 0
        while start + n <= len(chars):
            piece = "".join(chars[start : start + n])
            if (
                piece != word
                and any(a == b for a, b in zip(piece, word))
                and _sounds_like(piece, sounds)
                and not is_word(piece)
                and piece[0] not in _ALL_SURNAMES
                and not (start > 0 and chars[start - 1] in _ALL_SURNAMES and piece[0] in _GIVEN_CHARS)
                and not _cuts_a_word(chars, start, start + n)
            ):
                chars[start : start + n] = list(word)
                start += n
            else:
                start += 1
    return "".join(chars)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class BankWordSpeller(StatelessComponent):
    """Puts dialect, abbreviated and mistyped bank words right in the message text, before the tokenizer."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str):
                fixed = fix_typos(expand_initials(to_mandarin(text)))
                if fixed != text:
                    message.set(TEXT, fixed)
        return messages
