import pytest

from bot.nlu.voice import clean_transcript, normalise_spaces, to_halfwidth


@pytest.mark.parametrize(
    "raw,clean",
    [
        # fillers
        ("嗯那个我想查一下王秀英的理财", "我想查一下王秀英的理财"),
        ("呃，就是说，下周三之前到期的", "下周三之前到期的"),
        ("啊王秀英呢", "王秀英呢"),
        ("然后那个，下周到期的客户", "下周到期的客户"),
        ("那个，那个，王总的电话", "王总的电话"),
        ("嗯嗯，好的", "好的"),
        ("查一下嗯王秀英", "查一下王秀英"),
        ("王秀英就是说要取钱", "王秀英要取钱"),
        # demonstratives and words that only look like fillers stay
        ("那个客户王秀英要取五十万", "那个客户王秀英要取五十万"),
        ("这个产品收益多少", "这个产品收益多少"),
        ("额度多少", "额度多少"),
        ("那么多客户到期", "那么多客户到期"),
        # stutters and repeated words
        ("我我我想问一下", "我想问一下"),
        ("我我想问", "我想问"),
        ("那那个客户", "那个客户"),
        ("王秀英王秀英要取钱", "王秀英要取钱"),
        ("就是王秀英，王秀英要取钱", "王秀英要取钱"),
        ("五十五十万", "五十万"),
        ("谢谢谢谢", "谢谢"),
        # reduplication that is a word stays
        ("看看王婷婷", "看看王婷婷"),
        ("天天存钱", "天天存钱"),
        ("的的确确", "的的确确"),
        # width, control characters, spaces
        ("ＴＯＰ１０ 客户", "TOP10客户"),
        ("王 秀 英 要取 50 万", "王秀英要取50万"),
        ("\u200b帮我查\t一下", "帮我查一下"),
        ("top 10\u3000客户", "top 10客户"),
        ("５０ｗ以上", "50w以上"),
        # numerals are left to the amount and time parsers
        ("下周三取五十万", "下周三取五十万"),
        ("王三要取钱", "王三要取钱"),
        # punctuation
        ("，，王秀英，，要取钱。", "王秀英，要取钱"),
        ("", ""),
        ("嗯", ""),
    ],
)
def test_transcript_is_cleaned(raw, clean):
    assert clean_transcript(raw) == clean


def test_question_mark_at_the_end_is_kept():
    assert clean_transcript("嗯，王秀英风险高吗？") == "王秀英风险高吗？"


@pytest.mark.parametrize(
    "raw,half",
    [("ＡＢＣ１２３", "ABC123"), ("５０％", "50%"), ("王秀英，你好！", "王秀英，你好！"), ("\u3000", " ")],
)
def test_full_width_ascii_becomes_half_width_but_chinese_punctuation_stays(raw, half):
    assert to_halfwidth(raw) == half


def test_spaces_kept_only_between_ascii_words():
    assert normalise_spaces("  top   10  客户  VIP  ") == "top 10客户VIP"
