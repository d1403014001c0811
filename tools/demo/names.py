"""Chinese personal names as a real client book has them.

Surnames follow approximate national frequencies (per cent of population). Given names depend
on sex and birth era: women born before 1960 are often 秀英 or 桂兰, men of that time 建国 or
国华; later generations get 丽, 静, 伟, 强 and then 欣怡, 浩然. About a third of given names are
composed from character pools that contain homophones (静/晶/婧, 丽/莉/俐, 伟/炜/玮, 英/颖/莹), so
repeated names and same-pinyin different-character names occur as they do in practice.
"""

from __future__ import annotations

import numpy as np
from pypinyin import Style, lazy_pinyin

SURNAME_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("王", 7.1),
    ("李", 7.0),
    ("张", 6.7),
    ("刘", 5.1),
    ("陈", 4.6),
    ("杨", 3.2),
    ("黄", 2.5),
    ("赵", 2.3),
    ("吴", 2.1),
    ("周", 1.9),
    ("徐", 1.5),
    ("孙", 1.4),
    ("马", 1.3),
    ("朱", 1.3),
    ("胡", 1.2),
    ("郭", 1.1),
    ("何", 1.1),
    ("林", 1.0),
    ("高", 1.0),
    ("罗", 0.9),
    ("郑", 0.8),
    ("梁", 0.7),
    ("谢", 0.7),
    ("宋", 0.6),
    ("唐", 0.6),
    ("许", 0.6),
    ("韩", 0.6),
    ("冯", 0.6),
    ("邓", 0.6),
    ("曹", 0.6),
    ("彭", 0.5),
    ("曾", 0.5),
    ("肖", 0.5),
    ("田", 0.5),
    ("董", 0.5),
    ("袁", 0.5),
    ("潘", 0.5),
    ("于", 0.5),
    ("蒋", 0.4),
    ("蔡", 0.4),
    ("余", 0.4),
    ("杜", 0.4),
    ("叶", 0.4),
    ("程", 0.4),
    ("苏", 0.4),
    ("魏", 0.4),
    ("吕", 0.4),
    ("丁", 0.4),
    ("任", 0.3),
    ("沈", 0.3),
    ("姚", 0.3),
    ("卢", 0.3),
    ("姜", 0.3),
    ("崔", 0.3),
    ("钟", 0.3),
    ("谭", 0.3),
    ("陆", 0.3),
    ("汪", 0.3),
    ("范", 0.2),
    ("金", 0.2),
    ("石", 0.2),
    ("廖", 0.2),
    ("贾", 0.2),
    ("夏", 0.2),
    ("韦", 0.2),
    ("付", 0.2),
    ("方", 0.2),
    ("白", 0.15),
    ("邹", 0.15),
    ("孟", 0.14),
    ("熊", 0.14),
    ("秦", 0.13),
    ("邱", 0.13),
    ("江", 0.12),
    ("尹", 0.12),
    ("薛", 0.11),
    ("闫", 0.11),
    ("段", 0.1),
    ("雷", 0.1),
    ("侯", 0.1),
    ("龙", 0.09),
    ("史", 0.09),
    ("陶", 0.08),
    ("黎", 0.08),
    ("贺", 0.08),
    ("顾", 0.08),
    ("毛", 0.07),
    ("郝", 0.07),
    ("龚", 0.07),
    ("邵", 0.07),
    ("万", 0.07),
    ("钱", 0.07),
    ("严", 0.06),
    ("覃", 0.06),
    ("武", 0.06),
    ("戴", 0.06),
    ("莫", 0.06),
    ("孔", 0.06),
    ("向", 0.06),
    ("汤", 0.06),
    ("单", 0.03),
    ("欧阳", 0.02),
    ("上官", 0.005),
    ("司马", 0.005),
)

# Surnames whose reading differs from the character's everyday reading.
SURNAME_PINYIN = {"曾": "zeng", "单": "shan", "覃": "qin", "仇": "qiu", "解": "xie", "区": "ou", "查": "zha"}

# Whole given names by (sex, era), most common first. Era 0: born before 1961, 1: 1961-1985, 2: later.
FULL_GIVEN: dict[tuple[str, int], str] = {
    ("F", 0): "秀英 桂英 秀兰 玉兰 桂兰 秀珍 凤英 玉珍 玉英 兰英 淑珍 淑华 素芬 秀芳 桂珍 玉梅 秀云 翠兰 秀华 桂芳 "
    "凤兰 美华 丽华 淑英 月英 金凤 菊英 爱华 玉华 凤琴",
    ("F", 1): "丽 芳 敏 静 燕 艳 娟 霞 红 玲 梅 琳 莉 洁 丹 萍 颖 慧 雪 婷 晶 丽娟 丽华 海燕 红梅 晓燕 春梅 "
    "雪梅 秀梅 海霞 小红 晓红 丽萍 艳红 红霞 美玲 慧敏 晓丽 晓静 丽丽 娜 秀英",
    ("F", 2): "婷 静 敏 佳 琪 悦 欣 雪 倩 颖 妍 娜 思雨 欣怡 梓涵 诗涵 雨萱 佳怡 子涵 梦瑶 雨涵 可欣 佳琪 "
    "思琪 欣妍 心怡 雨欣 雅婷 晓雪 文静 丹丹 婷婷 琳琳 倩倩 晨曦",
    ("M", 0): "建国 国华 建华 志明 国强 建军 德明 志强 文华 振华 国庆 卫东 学文 永强 国平 德华 玉林 福生 "
    "长林 金山 树林 桂林 建平 国良 德胜 新民",
    ("M", 1): "伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 华 飞 鑫 波 宇 浩 凯 健 俊 峰 建华 建军 海涛 "
    "志强 志勇 晓东 建平 立新 卫国 海峰 小龙 文斌 春雷 国栋 永红",
    ("M", 2): "浩 宇 轩 杰 博 晨 昊 鑫 睿 凯 伟 子轩 浩然 宇轩 梓豪 俊杰 浩宇 子豪 一鸣 天宇 皓轩 博文 "
    "宇航 嘉豪 思远 明轩 泽宇 晨阳 文博 俊熙",
}

# Character pools for composed given names (homophones included on purpose).
FIRST_CHAR = {
    "F": "秀玉桂淑美丽晓海春雪红艳静慧佳雅欣思梦雨诗婉若可心语子",
    "M": "建国志德文振永海晓立卫明俊浩子宇博嘉天泽一思家",
}
SECOND_CHAR = {
    "F": "英兰珍芳华梅琴云霞燕娟萍玲丽莉俐静晶婧敏慧婷颖莹琳洁妍悦怡涵萱瑶琪雯菲娜",
    "M": "国华军强明平伟玮炜林东峰涛波勇杰斌辉鹏飞龙刚宇轩豪然睿博航阳晨远铭",
}
SINGLE_CHAR = {
    "F": "丽芳敏静晶婧燕艳娟霞红玲梅琳莉俐洁丹萍颖英慧雪婷娜倩佳琪悦欣妍",
    "M": "伟炜玮强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊峰亮林龙博昊睿轩",
}

SHARE_FULL = 0.35  # given names drawn whole from the common lists
SHARE_SINGLE = 0.15  # of the composed rest: one character only


def _zipf(n: int, exponent: float = 0.6) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1) ** exponent
    return w / w.sum()


_SURNAMES = np.array([s for s, _ in SURNAME_WEIGHTS], dtype=object)
_SURNAME_P = np.array([w for _, w in SURNAME_WEIGHTS]) / sum(w for _, w in SURNAME_WEIGHTS)
_FULL = {k: np.array(v.split(), dtype=object) for k, v in FULL_GIVEN.items()}
_FIRST = {k: np.array(list(v), dtype=object) for k, v in FIRST_CHAR.items()}
_SECOND = {k: np.array(list(v), dtype=object) for k, v in SECOND_CHAR.items()}
_SINGLE = {k: np.array(list(v), dtype=object) for k, v in SINGLE_CHAR.items()}


def birth_era(birth_years: np.ndarray) -> np.ndarray:
    return np.where(birth_years <= 1960, 0, np.where(birth_years <= 1985, 1, 2))


def sample_names(rng: np.random.Generator, female: np.ndarray, birth_years: np.ndarray) -> np.ndarray:
    """One full name per person (object array), given sex and birth year."""
    n = len(female)
    surnames = _SURNAMES[rng.choice(len(_SURNAMES), size=n, p=_SURNAME_P)]
    given = np.empty(n, dtype=object)
    era = birth_era(np.asarray(birth_years))
    mode = rng.random(n)
    for sex, is_sex in (("F", female), ("M", ~female)):
        for e in (0, 1, 2):
            group = np.flatnonzero(is_sex & (era == e))
            if group.size == 0:
                continue
            full = _FULL[(sex, e)]
            pick_full = mode[group] < SHARE_FULL
            idx = group[pick_full]
            given[idx] = full[rng.choice(len(full), size=idx.size, p=_zipf(len(full)))]
            rest = group[~pick_full]
            single = mode[rest] < SHARE_FULL + (1 - SHARE_FULL) * SHARE_SINGLE
            idx = rest[single]
            given[idx] = _SINGLE[sex][rng.integers(0, len(_SINGLE[sex]), idx.size)]
            idx = rest[~single]
            given[idx] = (
                _FIRST[sex][rng.integers(0, len(_FIRST[sex]), idx.size)]
                + _SECOND[sex][rng.integers(0, len(_SECOND[sex]), idx.size)]
            )
    return surnames + given


def split_name(name: str) -> tuple[str, str]:
    """(surname, given name); knows the compound surnames used here."""
    for surname in ("欧阳", "上官", "司马"):
        if name.startswith(surname):
            return surname, name[len(surname) :]
    return name[:1], name[1:]


def name_pinyin(name: str) -> str:
    """'WangXiuying' style: surname and given name, each capitalised, no tone marks."""
    surname, given = split_name(name)
    sur = SURNAME_PINYIN.get(surname) or "".join(lazy_pinyin(surname, style=Style.NORMAL))
    giv = "".join(lazy_pinyin(given, style=Style.NORMAL))
    return sur.capitalize() + giv.capitalize()


def unique_userids(names: list[str]) -> list[str]:
    """Pinyin user ids made unique in order of appearance: WangLi, WangLi2, WangLi3."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        base = name_pinyin(name)
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}{seen[base]}")
    return out
