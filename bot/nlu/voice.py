"""Clean-up of voice-to-text transcripts from the counter's voice box, before NLU sees them.

What it does, in order: strip control and zero-width characters, turn full-width letters/digits (and a few
ASCII symbols) into half-width, normalise whitespace (spaces between Chinese characters are dropped, spaces
between two ASCII words kept), drop fillers, collapse stutters and repeated words.

What it deliberately does not do: convert Chinese numerals to digits. Doing that over a whole sentence
breaks dates and names (下周三 → 下周3, 王三 → 王3); the amount and time parsers read Chinese numerals
inside their own spans, so nothing is lost by leaving them alone.

"那个"/"这个" are fillers only when a pause or another filler follows, or when they open the sentence
right before a pronoun or verb ("那个我想问…"); before a noun they are demonstratives and stay
("那个客户", "这个产品").
"""

from __future__ import annotations

import re
import unicodedata

# Full-width forms converted to ASCII; Chinese punctuation (，。？！：；（）) is the normal form and stays.
_FULLWIDTH_SYMBOLS = "％＋－．／＠＃＆＊＝＜＞～＿"
_PAUSE = r"[，,、。…\.\s~]"
_HAN = r"\u4e00-\u9fff"

# Hesitation sounds that are never part of a word.
_HESITATION = re.compile(rf"[嗯呃]+{_PAUSE}*")
# Sounds and phrases that are fillers when they open the utterance. 额 and 那么 need a pause after them
# (额度, 那么多 are words).
_LEADING_FILLER = re.compile(rf"^(?:(?:[啊哦诶哎唔]+|就是说|就是|然后){_PAUSE}*|(?:额+|那么){_PAUSE}+)")
_DEMONSTRATIVE_FILLER = re.compile(rf"(?:那个|这个)(?:{_PAUSE}+|$|(?=那个|这个|就是说))")
_LEADING_DEMONSTRATIVE = re.compile(r"^(?:那个|这个)(?=[我你他她帮给查看就想要请麻])")
_SO_TO_SAY = re.compile(rf"就是说{_PAUSE}*")

# Stutters: a character said three times or more, or a pronoun/particle said twice (我我想, 那那个).
_TRIPLE_CHAR = re.compile(rf"([{_HAN}])\1{{2,}}")
_STUTTER_CHARS = "我你他她这那就"
_DOUBLE_FUNCTION_CHAR = re.compile(rf"([{_STUTTER_CHARS}])\1")
# A word of 2–4 Chinese characters said again right away (王秀英王秀英, 王秀英，王秀英).
_REPEATED_WORD = re.compile(rf"([{_HAN}]{{2,4}}?)(?:[，,、\s]?\1)+")

_SPACES = re.compile(r"\s+")
_REPEATED_PUNCT = re.compile(r"([，,、。？！?!])\1+")
_EDGE_PUNCT = "，,、。；;：: "


def to_halfwidth(text: str) -> str:
    """Full-width ASCII letters, digits and a few symbols → half-width; ideographic space → space."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\u3000":
            out.append(" ")
        elif 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
            out.append(chr(code - 0xFEE0))
        elif ch in _FULLWIDTH_SYMBOLS:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


def strip_control(text: str) -> str:
    """Drop control and format characters (zero-width spaces, BOM); tabs and newlines become spaces."""
    out = []
    for ch in text:
        if ch in "\t\n\r\v\f":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        else:
            out.append(ch)
    return "".join(out)


def normalise_spaces(text: str) -> str:
    """One space between two ASCII words ("top 10"), none anywhere else ("王 秀 英" → "王秀英")."""
    parts = _SPACES.split(text.strip())
    out = parts[0] if parts else ""
    for part in parts[1:]:
        if out and part and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


def remove_fillers(text: str) -> str:
    text = _HESITATION.sub("", text)
    text = _SO_TO_SAY.sub("", text)
    text = _DEMONSTRATIVE_FILLER.sub("", text)
    previous = None
    while previous != text:
        previous = text
        text = _LEADING_FILLER.sub("", text)
        text = _LEADING_DEMONSTRATIVE.sub("", text)
    return text


def collapse_repeats(text: str) -> str:
    text = _REPEATED_WORD.sub(r"\1", text)
    text = _TRIPLE_CHAR.sub(r"\1", text)
    return _DOUBLE_FUNCTION_CHAR.sub(r"\1", text)


def _tidy_punctuation(text: str) -> str:
    text = _REPEATED_PUNCT.sub(r"\1", text)
    return text.strip(_EDGE_PUNCT)


def clean_transcript(text: str) -> str:
    """Voice-to-text output → text the NLU pipeline can read. Empty string for empty input."""
    if not text:
        return ""
    text = normalise_spaces(to_halfwidth(strip_control(text)))
    previous = None
    while previous != text:
        previous = text
        text = _tidy_punctuation(collapse_repeats(remove_fillers(text)))
    return text
