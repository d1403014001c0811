"""Chinese names, WeCom ids and identity numbers of the demo bank."""

from __future__ import annotations

import numpy as np

from tools.demo.identity import id_check_char, sample_id_numbers
from tools.demo.names import name_pinyin, sample_names, unique_userids


def test_userids_are_pinyin_made_unique_in_order_of_appearance():
    assert unique_userids(["王丽", "李明", "王莉", "王丽"]) == ["WangLi", "LiMing", "WangLi2", "WangLi3"]


def test_surnames_use_their_surname_reading():
    assert name_pinyin("曾小贤") == "ZengXiaoxian"
    assert name_pinyin("单田芳") == "ShanTianfang"
    assert name_pinyin("欧阳娜娜") == "OuyangNana"


def test_id_check_character_matches_the_standard_example():
    assert id_check_char("11010519491231002") == "X"


def test_generated_id_numbers_pass_the_checksum():
    rng = np.random.default_rng(1)
    births = np.array([715000, 725000, 730000])
    ids = sample_id_numbers(rng, births, np.array([True, False, True]))
    assert all(i[17] == id_check_char(i[:17]) for i in ids)


def test_older_generations_carry_names_of_their_era():
    rng = np.random.default_rng(2)
    n = 4000
    old = sample_names(rng, np.ones(n, dtype=bool), np.full(n, 1945))
    young = sample_names(rng, np.ones(n, dtype=bool), np.full(n, 1998))
    assert sum(name.endswith("秀英") for name in old) > 10 * max(1, sum(name.endswith("秀英") for name in young))


def test_names_repeat_and_share_pinyin_as_in_a_real_client_book():
    rng = np.random.default_rng(3)
    names = sample_names(rng, rng.random(500) < 0.5, rng.integers(1945, 2000, 500)).tolist()
    assert len(set(names)) < len(names)
    by_sound: dict[str, set[str]] = {}
    for name in names:
        by_sound.setdefault(name_pinyin(name), set()).add(name)
    assert any(len(spellings) > 1 for spellings in by_sound.values())
