"""bot.nlu.name_forms: training copies with other names in the same place, the sentence around them kept."""

from __future__ import annotations

import random

from bot.nlu.name_forms import GIVEN_CHARS, SURNAMES, client_name, with_other_names
from bot.nlu.names import COMPOUND_SURNAMES, FUNCTION_CHARS

EXAMPLES = [
    ("帮我看一下王秀英的持仓", [(5, 8)]),
    ("刚给陈总打了电话，她说下周再谈", [(2, 4)]),
    ("李静和张强谁的风险高", [(0, 2), (3, 5)]),
    ("本周哪些客户理财到期", []),
]


def test_every_copy_keeps_the_sentence_and_marks_the_new_name():
    copies = with_other_names(EXAMPLES, variants=3, seed=1)
    assert len(copies) == 3 * 3  # three examples hold names; the one without gets no copies
    for (text, spans), (original, old_spans) in zip(copies, [e for e in EXAMPLES if e[1] for _ in range(3)]):
        assert len(spans) == len(old_spans)
        # What lies outside the names is the original sentence, piece for piece.
        outside, at = [], 0
        for start, end in spans:
            outside.append(text[at:start])
            at = end
        outside.append(text[at:])
        original_outside, at = [], 0
        for start, end in old_spans:
            original_outside.append(original[at:start])
            at = end
        original_outside.append(original[at:])
        assert outside == original_outside
        for start, end in spans:
            assert 2 <= end - start <= 6


def test_same_seed_same_copies_other_seed_other_names():
    assert with_other_names(EXAMPLES, 2, seed=5) == with_other_names(EXAMPLES, 2, seed=5)
    assert with_other_names(EXAMPLES, 2, seed=5) != with_other_names(EXAMPLES, 2, seed=6)


def test_names_cover_the_forms_a_banker_uses_and_no_function_characters():
    rng = random.Random(3)
    names = [client_name(rng) for _ in range(3000)]
    assert len(set(names)) > 2000  # names, not a short list
    assert any(n[:2] in COMPOUND_SURNAMES for n in names)
    assert any(n.startswith("老") for n in names) and any(n.startswith("小") for n in names)
    for form in ("总", "姐", "阿姨", "先生", "女士"):
        assert any(n.endswith(form) for n in names), form
    rare = set(SURNAMES[150:])
    assert sum(n[0] in rare for n in names) > 100  # rare surnames come up, not only the top ten
    assert not set(GIVEN_CHARS) & FUNCTION_CHARS
