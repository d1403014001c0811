"""Chinese text normalisers for the bank assistant's NLU: time ranges, amounts, counts, names,
vocabulary, voice transcripts, and entity spans. Plain Python; knows nothing of the database.

The Rasa component lives in `bot.nlu.extractor` and is not imported here, so using the normalisers
does not load Rasa.
"""

from bot.nlu.amounts import AmountRange, parse_amount
from bot.nlu.counts import parse_top_n
from bot.nlu.names import ClientRef, NameIndex, NameMatch, find_client_in_text, resolve_name
from bot.nlu.spans import Span, find_spans
from bot.nlu.timerange import DateRange, parse_time_range
from bot.nlu.vocab import canonical_channel, canonical_product_type, canonical_tier
from bot.nlu.voice import clean_transcript

__all__ = [
    "AmountRange",
    "ClientRef",
    "DateRange",
    "NameIndex",
    "NameMatch",
    "Span",
    "canonical_channel",
    "canonical_product_type",
    "canonical_tier",
    "clean_transcript",
    "find_client_in_text",
    "find_spans",
    "parse_amount",
    "parse_time_range",
    "parse_top_n",
    "resolve_name",
]
