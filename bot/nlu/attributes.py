"""Telling apart clients who share a name by what the RM knows of them: "尾号3009的", "55岁的那个",
"七零年的", "开公司的那个", "退休那位", "女的那个", "年纪大的那个", "城西那个" (the branch), "贵宾那个".

`describe(text)` reads the description; bot/lookup.py keeps the candidates that fit it. A description
never finds a client by itself: it only chooses among the clients a name already matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlu.counts import CN_DIGITS, chinese_int
from bot.nlu.vocab import canonical_tier
from bot.nlu.voice import to_halfwidth

_N = rf"(?:\d{{1,3}}|[{CN_DIGITS}十]{{1,4}})"
_PHONE_TAIL = re.compile(r"(?<!\d)(\d{4})(?!\d|年)")
_AGE = re.compile(rf"(?P<n>{_N})(?:多|来)?(?:周)?岁")
_BORN = re.compile(rf"(?P<y>(?:19|20)?\d{{2}}|[{CN_DIGITS}]{{2,4}})年(?:生|出生|的)")
_GENDER = re.compile(r"(?P<g>女|男)(?:的|士|性|客户)|(?P<w>阿姨|大姐|姐姐|奶奶|太太)|(?P<m>大哥|叔叔|大爷|爷爷|先生)")
_OLDER = re.compile(r"年纪大|年龄大|岁数大|年长|老一点|大一点|老的那|大的那")
_YOUNGER = re.compile(r"年轻|年纪小|年龄小|岁数小|小一点|小的那")
_TIER_WORD = re.compile(r"私行|私人银行|钻石|贵宾|金卡|普通")
# What people say of a job → words of the store's occupation names (bot/formatting.is_business_occupation
# for the bosses).
_JOBS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"开公司|开厂|办厂|老板|企业主|做生意|生意人|做买卖|当老总|老总", ("企业主", "个体", "老板", "法人", "创业")),
    (r"个体户|开店|开小店|摆摊", ("个体",)),
    (r"外贸|进出口|做贸易", ("企业主", "个体")),
    (r"退休|退了休|不上班", ("退休",)),
    (r"老师|教书|教师", ("教师",)),
    (r"医生|大夫|看病", ("医生",)),
    (r"护士", ("护士",)),
    (r"工程师", ("工程师",)),
    (r"程序员|写代码|搞it|搞IT|码农", ("程序员",)),
    (r"公务员|机关|政府", ("公务员",)),
    (r"会计|财务", ("财务",)),
    (r"律师", ("律师",)),
    (r"司机|开车的", ("司机",)),
    (r"上班族|职员|白领|打工", ("职员",)),
    (r"种地|农民", ("农民",)),
    (r"销售|跑业务", ("销售",)),
    (r"家庭主妇|全职太太|在家带孩子", ("家庭主妇",)),
)
_JOB_RES = tuple((re.compile(said), words) for said, words in _JOBS)
_PLACE = re.compile(r"(?:住|在|是|那边的?)?(?P<place>[\u4e00-\u9fff]{2})(?:那个|那位|那边|的那|支行|网点)")


@dataclass(frozen=True)
class Description:
    phone_tails: frozenset[str] = frozenset()
    age: int | None = None
    birth_year: int | None = None
    gender: str | None = None  # F | M
    job_words: tuple[str, ...] = ()
    tier: str | None = None
    places: tuple[str, ...] = ()  # two-character pieces a branch name may hold (城西 of 城西支行)
    older: bool = False
    younger: bool = False

    @property
    def empty(self) -> bool:
        return self == Description()


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else chinese_int(text)


def _year(text: str) -> int | None:
    if not text.isdigit():
        text = "".join(
            str("零一二三四五六七八九".find(c)) if c in "零一二三四五六七八九" else c for c in text.replace("〇", "零")
        )
        if not text.isdigit():
            return None
    year = int(text)
    return year if year >= 1900 else (1900 + year if year > 25 else 2000 + year)


def describe(text: str) -> Description:
    t = re.sub(r"\s+", "", to_halfwidth(text or ""))
    age_match, born = _AGE.search(t), _BORN.search(t)
    gender_match = _GENDER.search(t)
    gender = None
    if gender_match:
        gender = "F" if gender_match.group("g") == "女" or gender_match.group("w") else "M"
    tier_word = _TIER_WORD.search(t)
    return Description(
        phone_tails=frozenset(_PHONE_TAIL.findall(t)),
        age=_int(age_match.group("n")) if age_match else None,
        birth_year=_year(born.group("y")) if born else None,
        gender=gender,
        job_words=tuple(w for said, words in _JOB_RES if said.search(t) for w in words),
        tier=canonical_tier(tier_word.group(0)) if tier_word else None,
        places=tuple(m.group("place") for m in _PLACE.finditer(t)),
        older=bool(_OLDER.search(t)),
        younger=bool(_YOUNGER.search(t)),
    )


# Words that point at or wrap a description without describing anything ("就是那个…的那位呢"), longest first.
_WRAPPING_WORDS = (
    "那一位 这一位 就是 那个 那位 这个 这位 客户 手机 结尾 尾号 是 要 查 看 那 的 呢 吧 啊 住 在 做 当 多 来"
).split()
_WRAPPING = re.compile("|".join(sorted(_WRAPPING_WORDS, key=len, reverse=True)) + r"|[？?。.!！，,\s]")
# A place said bare is a place only with a word that makes it one (住城西, 城西支行, 城西那边): "理财那个" is no place.
_BARE_PLACE = re.compile(r"(?:住|在)[\u4e00-\u9fff]{2}|[\u4e00-\u9fff]{2}(?:支行|网点|那边)")


def _described_spans(t: str) -> list[tuple[int, int]]:
    """Where `describe` finds something in `t` (its own patterns: one vocabulary for both)."""
    patterns = (_PHONE_TAIL, _AGE, _BORN, _GENDER, _OLDER, _YOUNGER, _TIER_WORD, _BARE_PLACE, *(p for p, _ in _JOB_RES))
    return [m.span() for p in patterns for m in p.finditer(t)]


def singles_out(text: str) -> bool:
    """ "开公司的那个" / "退休那位": the words describe the one meant (or the message is only that)."""
    return bool(_POINTING.search(to_halfwidth(text or ""))) or is_bare_description(text)


def is_bare_description(text: str) -> bool:
    """The whole message only describes which client ("55岁的那个", "尾号3009的", "金卡那个"): an answer to
    "哪一位". Every character is either part of something `describe` reads or a word that only points."""
    t = re.sub(r"\s+", "", to_halfwidth(text or ""))
    if not t or len(t) > 16:
        return False
    spans = _described_spans(t)
    if not spans:
        return False
    covered = [False] * len(t)
    for start, end in spans:
        covered[start:end] = [True] * (end - start)
    rest = "".join(c if not done else " " for c, done in zip(t, covered))
    return not _WRAPPING.sub("", rest).strip()


_IDENTIFIES = re.compile(r"尾号|\d{4}结尾|岁|年(?:生|出生|的)|(?:那|这)(?:个|位|一位)")


def answers_which(text: str) -> bool:
    """A bare description that can only be an answer to "哪一位" ("55岁的那个", "尾号3009的"), not a
    follow-up to a list ("那退休的呢" asks for the retired clients of the last segment)."""
    return is_bare_description(text) and bool(_IDENTIFIES.search(to_halfwidth(text or "")))


def _age_on(birth, today) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


_POINTING = re.compile(r"(?:那|这)(?:个|位|一位)")


def fits(desc: Description, candidates: list, today, pointing: bool = True) -> list:
    """The candidates the description fits. Each candidate has phone_tail, birth_date, gender,
    occupation, tier and branch_name. Every stated attribute must fit; a place counts only when it is
    part of some candidate's branch name; an age may be off by one when that still leaves one client.

    pointing: the text singles someone out ("…的那个"); without it only a phone tail, an age or a birth
    year counts — "她说要退休了" in a report says nothing about which 张伟 it was."""
    if not pointing:
        desc = Description(desc.phone_tails, desc.age, desc.birth_year)
    keep = list(candidates)
    if desc.phone_tails:
        keep = [c for c in keep if c.phone_tail in desc.phone_tails]
    if desc.birth_year:
        keep = [c for c in keep if c.birth_date.year == desc.birth_year]
    if desc.age is not None:
        exact = [c for c in keep if _age_on(c.birth_date, today) == desc.age]
        keep = exact or [c for c in keep if abs(_age_on(c.birth_date, today) - desc.age) <= 1]
    if desc.gender:
        keep = [c for c in keep if c.gender == desc.gender]
    if desc.job_words:
        keep = [c for c in keep if any(w in (c.occupation or "") for w in desc.job_words)]
    if desc.tier:
        keep = [c for c in keep if c.tier == desc.tier]
    places = [p for p in desc.places if any(p in (c.branch_name or "") for c in candidates)]
    if places:
        keep = [c for c in keep if any(p in (c.branch_name or "") for p in places)]
    if (desc.older or desc.younger) and len(keep) > 1:
        ordered = sorted(keep, key=lambda c: c.birth_date)
        keep = [ordered[0] if desc.older else ordered[-1]]
    return keep
