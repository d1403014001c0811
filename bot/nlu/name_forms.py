"""Generated client names for training the name recogniser on where a name starts and stops.

The NLU data names a few hundred clients; a recogniser trained only on them learns those names, and
on a name it has not seen it stops early or late (包宏伟 read as 宏伟, 吴秀真 as 吴秀, 霍先生 missed). Every
training sentence with a name is therefore also learnt with other names in the same place, drawn from
the forms a client book and a banker's speech have: a surname (single or compound) with a one- or
two-character given name, and the forms of address (老X, 小X, X总, X姐, X阿姨, X先生, 王秀英阿姨 …), whose
whole span is the name as the NLU data annotates it. The sentence around the name is unchanged, so what
is learnt is the boundary, not a list of names.

Deterministic: the same seed gives the same variants (the model fingerprint covers this module).
The character pools are facts about Chinese names (frequent surnames, frequent given-name characters),
chosen so that rare surnames (覃, 邬, 佘, 訾) and compound ones (欧阳, 司马) occur, not only the top ten.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from functools import lru_cache

from bot.nlu.names import COMPOUND_SURNAMES, FUNCTION_CHARS

# Frequent surnames first (the first 100 cover about 85% of people), then rarer ones a branch still meets.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练"
    "廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿"
    "鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由訾糜"
    "洪阎贝弓郦隗笪谯钭宓仉郗逄眭暴琚蒯郏禄蓟濮傅萧赖昌钮滑荀羿鄂贡扶堵璩宦庾暨桓矫步丘"
)
# Characters of given names, women's and men's and both, across generations (秀英, 建国 … 欣怡, 浩然).
GIVEN_CHARS = "".join(  # one entry per character
    dict.fromkeys(
        "秀英桂兰芳玉珍凤霞淑华梅琴敏静丽娟燕红艳萍玲云莉洁婷雪慧颖倩晶婧蓉琳娜妍欣怡佳悦思雨涵梓萱诗琪瑶璐"
        "晓春菊芬翠香荣素爱月美琼彩霜碧蕾薇茜岚嘉宁馨蕊露琦楠然曼丹青若曦婉清雅文"
        "建国军伟强磊勇杰涛斌超明刚平辉鹏华飞鑫波宇浩亮峰龙林海东俊志新永德福生成松柏山江河宏庆立权"
        "振兴忠良贵富荣昌盛光耀家树金玉学武胜利民保卫红兵卫东德胜长发义世杰子轩博睿晨阳泽宸铭"
        "远航逸凡宏伟子豪嘉豪皓俊熙哲瀚昊天承恩润德鸣岐国栋立新志远海燕春兰美玲文杰静怡"
    )
)
# Forms of address after a surname, and how often each comes in a banker's speech (weights).
_AFTER_SURNAME = ("总", "姐", "阿姨", "先生", "女士", "哥", "叔", "大姐", "老师", "经理", "老板")
_AFTER_SURNAME_WEIGHTS = (4, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1)
_AFTER_FULL_NAME = ("阿姨", "先生", "女士", "老师", "总")
_COMPOUNDS = tuple(sorted(COMPOUND_SURNAMES))

# A training example: the text and the (start, end) character offsets of its customer names.
NameExample = tuple[str, list[tuple[int, int]]]


def single_surname(rng: random.Random) -> str:
    # Frequent surnames more often than rare ones, the rare ones still regularly.
    return SURNAMES[int(len(SURNAMES) * rng.random() ** 1.6)]


def surname(rng: random.Random) -> str:
    return rng.choice(_COMPOUNDS) if rng.random() < 0.04 else single_surname(rng)


HEARD_SHARE = 0.15  # of given-name characters written as a voice transcript does: another character, same sound


def given_char(rng: random.Random) -> str:
    char = rng.choice(GIVEN_CHARS)
    if rng.random() < HEARD_SHARE:
        sounds_alike = _homophones().get(_sound(char))
        if sounds_alike:
            return rng.choice(sounds_alike)
    return char


def full_name(rng: random.Random) -> str:
    given_length = 1 if rng.random() < 0.25 else 2
    return surname(rng) + "".join(given_char(rng) for _ in range(given_length))


def _sound(char: str) -> str:
    from pypinyin import lazy_pinyin

    return lazy_pinyin(char)[0]


@lru_cache(maxsize=1)
def _homophones() -> dict[str, tuple[str, ...]]:
    """Common characters by toneless sound: what speech-to-text writes for a name it does not know
    (黄建国 heard as 黄见国, 钱美凤 as 钱美风). Common: a single-character word of jieba's dictionary seen
    at least HOMOPHONE_MIN_COUNT times, no function character; sorted, so the draw is the same everywhere."""
    import os

    import jieba

    by_sound: dict[str, set[str]] = {}
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as handle:
        for line in handle:
            word, count = line.split()[:2]
            common = len(word) == 1 and "\u4e00" <= word <= "\u9fff" and int(count) >= HOMOPHONE_MIN_COUNT
            if common and word not in FUNCTION_CHARS:  # 的, 了, 吗 are not heard inside a name
                by_sound.setdefault(_sound(word), set()).add(word)
    return {sound: tuple(sorted(chars)) for sound, chars in by_sound.items()}


HOMOPHONE_MIN_COUNT = 5000


def client_name(rng: random.Random) -> str:
    """One name as a banker writes or says it: mostly a full name, often a form of address."""
    roll = rng.random()
    if roll < 0.62:
        return full_name(rng)
    if roll < 0.72:
        return rng.choice("老小") + single_surname(rng)
    if roll < 0.94:
        return surname(rng) + rng.choices(_AFTER_SURNAME, _AFTER_SURNAME_WEIGHTS)[0]
    return full_name(rng) + rng.choice(_AFTER_FULL_NAME)


def with_other_names(examples: Sequence[NameExample], variants: int, seed: int) -> list[NameExample]:
    """For each example holding names, `variants` copies with every name replaced by a generated one."""
    rng = random.Random(seed)
    out: list[NameExample] = []
    for text, spans in examples:
        if not spans:
            continue
        for _ in range(variants):
            new_text, new_spans, at = "", [], 0
            for start, end in sorted(spans):
                new_text += text[at:start]
                name = client_name(rng)
                new_spans.append((len(new_text), len(new_text) + len(name)))
                new_text += name
                at = end
            out.append((new_text + text[at:], new_spans))
    return out
