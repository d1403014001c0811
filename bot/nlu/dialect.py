"""Southern (Cantonese) and north-eastern words put into the Mandarin the classifiers learnt: 佢 → 他,
睇下 → 看下, 有冇 → 有没, 点解 → 为啥, 边个 → 哪个, 咋整 → 咋办, 瞅瞅 → 看看, 扒一下 → 查一下.

Staff in Guangdong or the north-east write as they speak. The training data is Mandarin, and a bag of
character n-grams sees 佢 or 睇 as nothing it knows, so "佢嘅理财几时到期" reads as noise. Each word is
replaced by a Mandarin word of the same length (offsets of entities found on the text hold for what the
user typed), word for word, without trying to translate grammar: the classifiers only need the words
they know. Function words come first in the table, so 唔该 (thanks) is read before 唔 (not).

Never inside a name: none of these characters begins or ends a Chinese given name the generator or the
bank uses, and 边 (a surname) is only replaced in 边个 / 边位 / 边度, which no name is.
"""

from __future__ import annotations

import re

# Same length each side; longer entries first where one holds another (唔该 before 唔).
WORDS: tuple[tuple[str, str], ...] = (
    # Cantonese
    ("唔该", "谢谢"), ("唔好", "不要"), ("佢哋", "他们"), ("乜嘢", "什么"), ("点解", "为啥"), ("点样", "怎么"),
    ("边个", "哪个"), ("边位", "哪位"), ("边度", "哪里"), ("几时", "啥时"), ("有冇", "有没"),
    ("佢", "他"), ("睇", "看"), ("冇", "没"), ("嘅", "的"), ("咩", "啥"), ("係", "是"), ("唔", "不"),
    ("啲", "些"), ("俾", "给"), ("揾", "找"), ("嚟", "来"), ("咗", "了"), ("啱", "对"),
    ("倾过", "聊过"), ("倾咗", "聊了"), ("倾了", "聊了"), ("倾下", "聊下"), ("倾偈", "聊天"), ("搞掂", "搞定"),
    # north-eastern
    ("咋整", "咋办"), ("嘎哈", "干啥"), ("干哈", "干啥"), ("扒一下", "查一下"), ("扒拉", "查查"), ("扒扒", "查查"),
    ("唠唠", "聊聊"), ("瞅", "看"),
)  # fmt: skip
_TABLE = dict(WORDS)
_ANY = re.compile("|".join(re.escape(w) for w, _ in sorted(WORDS, key=lambda wr: -len(wr[0]))))


def to_mandarin(text: str) -> str:
    """The text with southern and north-eastern words in Mandarin, same length."""
    if not text or not _ANY.search(text):
        return text
    return _ANY.sub(lambda m: _TABLE[m.group(0)], text)
