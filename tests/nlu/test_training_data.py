"""Guards on the NLU training data under data/nlu and the jieba user dictionary.

Rasa silently drops an annotated entity whose span does not start and end on a token
boundary, so every span is checked against jieba with our dictionary loaded, the same way
Rasa's JiebaTokenizer (default mode, HMM on) will cut it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import jieba
import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bot import labels

ROOT = Path(__file__).resolve().parents[2]
NLU_DIR = ROOT / "data" / "nlu"
USER_DICT = ROOT / "data" / "jieba" / "bank_words.txt"

MAIN_INTENTS = (
    "query_maturing",
    "query_churn_risk",
    "explain_risk",
    "ask_script",
    "customer_profile",
    "daily_plan",
    "log_contact",
    "query_segment",
    "branch_overview",
    "query_outflow",
    "ask_next_steps",
    # the week's bookkeeping (#15)
    "match_product",
    "handover_clients",
    "update_client_info",
    "log_complaint",
    # pushes (#14)
    "alert_mutes",
)
SMALL_TALK_INTENTS = ("help", "greet", "goodbye", "thank", "affirm", "deny", "more")
ALL_INTENTS = frozenset(MAIN_INTENTS + SMALL_TALK_INTENTS + ("out_of_scope",))

PURPOSE_CODES = frozenset({"house", "car", "school", "other_bank", "business", "medical"})
CANONICAL_CODES = {
    "product_type": frozenset(labels.PRODUCT_TYPE),
    "tier": frozenset(labels.TIER),
    "contact_channel": frozenset(labels.CONTACT_CHANNEL),
    "purpose": PURPOSE_CODES,
}
RAW_SPAN_ENTITIES = frozenset({"customer_name", "time_range", "amount", "top_n"})
ALL_ENTITIES = RAW_SPAN_ENTITIES | frozenset(CANONICAL_CODES)

_PUNCT_AND_SPACE = re.compile(r"[\s，,。.？?！!、：:；;~…]+")


@pytest.fixture(scope="module")
def training_data():
    return load_data(str(NLU_DIR), language="zh")


@pytest.fixture(scope="module")
def examples(training_data):
    return [m for m in training_data.intent_examples]


@pytest.fixture(scope="module")
def tokenizer():
    tok = jieba.Tokenizer()
    tok.load_userdict(str(USER_DICT))
    return tok


def _entities(example):
    return example.get("entities") or []


def _normalised(text: str) -> str:
    return _PUNCT_AND_SPACE.sub("", text).lower()


def test_every_nlu_file_holds_training_data():
    files = sorted(NLU_DIR.glob("*.yml"))
    assert files, "no YAML files under data/nlu"
    empty = [f.name for f in files if load_data(str(f), language="zh").is_empty()]
    assert empty == [], f"files Rasa loads as empty (format error?): {empty}"


def test_intents_are_exactly_the_contract_names(training_data):
    assert set(training_data.intents) == ALL_INTENTS


@pytest.mark.parametrize("intent", MAIN_INTENTS)
def test_main_intent_has_at_least_40_examples(examples, intent):
    count = sum(1 for m in examples if m.get("intent") == intent)
    assert count >= 40, f"{intent}: {count} examples"


@pytest.mark.parametrize("intent", SMALL_TALK_INTENTS)
def test_small_talk_intent_has_at_least_20_examples(examples, intent):
    count = sum(1 for m in examples if m.get("intent") == intent)
    assert count >= 20, f"{intent}: {count} examples"


def test_out_of_scope_has_at_least_60_examples(examples):
    count = sum(1 for m in examples if m.get("intent") == "out_of_scope")
    assert count >= 60, f"out_of_scope: {count} examples"


def test_no_example_text_is_labelled_with_two_intents(examples):
    intents_by_text = defaultdict(set)
    for m in examples:
        intents_by_text[_normalised(m.get("text"))].add(m.get("intent"))
    clashes = {t: sorted(i) for t, i in intents_by_text.items() if len(i) > 1}
    assert clashes == {}


def test_period_follow_ups_stay_query_maturing(examples):
    intent_of = {m.get("text"): m.get("intent") for m in examples}
    assert (intent_of.get("那下周呢"), intent_of.get("下个月的呢")) == ("query_maturing",) * 2


def test_entity_spans_fall_on_jieba_token_boundaries(examples, tokenizer):
    misaligned = []
    for m in examples:
        text = m.get("text")
        tokens = list(tokenizer.tokenize(text))
        starts = {start for _, start, _ in tokens}
        ends = {end for _, _, end in tokens}
        for e in _entities(m):
            if e["start"] not in starts or e["end"] not in ends:
                cut = "/".join(word for word, _, _ in tokens)
                misaligned.append(f"{text[e['start'] : e['end']]!r} ({e['entity']}) in {cut}")
    assert misaligned == [], "\n".join(misaligned)


def test_only_contract_entities_are_annotated(examples):
    used = {e["entity"] for m in examples for e in _entities(m)}
    assert used <= ALL_ENTITIES, sorted(used - ALL_ENTITIES)


@pytest.mark.parametrize("entity", sorted(ALL_ENTITIES))
def test_every_entity_is_annotated_somewhere(examples, entity):
    count = sum(1 for m in examples for e in _entities(m) if e["entity"] == entity)
    assert count >= 10, f"{entity}: {count} annotations"


def test_vocabulary_entities_resolve_to_canonical_codes(examples, training_data):
    # Rasa's EntitySynonymMapper matches the extracted text case-insensitively.
    synonyms = {text.lower(): code for text, code in training_data.entity_synonyms.items()}
    unresolved = []
    for m in examples:
        text = m.get("text")
        for e in _entities(m):
            codes = CANONICAL_CODES.get(e["entity"])
            if codes is None:
                continue
            span = text[e["start"] : e["end"]]
            value = e.get("value", span)
            resolved = value if value != span else synonyms.get(span.lower(), span)
            if resolved not in codes:
                unresolved.append(f"{span!r} ({e['entity']}) -> {resolved!r}")
    assert unresolved == [], "\n".join(sorted(set(unresolved)))


def test_synonyms_map_only_to_canonical_codes(training_data):
    all_codes = frozenset().union(*CANONICAL_CODES.values())
    stray = {text: v for text, v in training_data.entity_synonyms.items() if v not in all_codes}
    assert stray == {}


def test_lookup_tables_are_named_after_vocabulary_entities(training_data):
    names = {table["name"] for table in training_data.lookup_tables}
    assert names == set(CANONICAL_CODES)


def test_customer_names_are_varied(examples):
    """The ML extractor must learn the shape of a name, not a short list of them."""
    names = Counter(
        m.get("text")[e["start"] : e["end"]] for m in examples for e in _entities(m) if e["entity"] == "customer_name"
    )
    surnames = {name.lstrip("老小")[0] for name in names}
    assert len(names) >= 150, f"{len(names)} distinct names"
    assert len(surnames) >= 60, f"{len(surnames)} distinct surnames"
    name, top = names.most_common(1)[0]
    assert top <= 6, f"{name!r} annotated {top} times"


def _dictionary_rows():
    return [line for line in USER_DICT.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_user_dictionary_lines_are_word_frequency_tag():
    bad = [line for line in _dictionary_rows() if not re.fullmatch(r"\S+ [1-9]\d* [a-z]+", line)]
    assert bad == []


def test_user_dictionary_has_no_duplicate_words():
    words = Counter(line.split()[0] for line in _dictionary_rows())
    assert [w for w, n in words.items() if n > 1] == []


def test_user_dictionary_words_stay_whole(tokenizer):
    split = []
    for line in _dictionary_rows():
        word = line.split()[0]
        cut = [w for w in tokenizer.cut(word)]
        if cut != [word]:
            split.append(f"{word} -> {'/'.join(cut)}")
    assert split == [], "\n".join(split)
