"""Showcase clients planted in every demo bank, whatever the seed and size.

They are customers 1-19, in branch 1 (城东支行). Dates are relative to `today`; "this week" and
"next week" are Monday-Sunday weeks. Amounts are approximate where products accrue.

rm01 (李明, WeCom LiMing) - the demo RM:
  1  王秀英 F 58 retired   consumption, at risk now: a 50万 wealth product matured 5 days ago and
                            sits on demand deposit; she told the RM three days ago that she will take
                            about 50万 out for her child's flat (truth event: tomorrow). AUM ~66万 (贵宾).
  2  陈建国 M 56 企业主    "陈总", 钻石 ~540万, yield story: 300万 增利12个月理财 matures on Wednesday
                            next week; 50万 and 30万 went to 招商银行 20 and 9 days ago; two days ago he
                            told the RM 招商银行 pays more (stated purpose other_bank); a resolved
                            complaint about wealth returns 70 days ago.
  4  李静   F 36           金卡 ~28万; 15万 wealth product (R2) matures today; rated C1: the R2 renewal
                            does not suit her (suitability note).
  5  李晶   F 41           same pinyin as 李静 (li jing); ~12万; 8万 term deposit matures tomorrow.
  6  张伟   M 38 工程师    ~9万 (普通).
  7  张伟   M 63 retired   a second 张伟: 贵宾 ~85万; 50万 large CD matures on Friday next week.
  8  刘芳   F 47           service story: complaint (服务态度) open for 75 days, no contact for 130
                            days, assets 42万 -> ~24万 through transfers to 工商银行 (truth event: in 10 days).
  9  赵磊   M 34           intermediary story: 200万 arrives from 宁波银行 a few days before each of
                            the last three quarter ends and leaves a few days after; own money ~3.5万.
  10 周敏   F 50 医生      healthy 贵宾 95万+ (30万 wealth matures in 2 days).
  11 吴强   M 52 企业主    healthy 钻石 325万+ (80万 wealth matures in 4 days).
  12 孙丽   F 44           healthy 贵宾 68万+ (30万 wealth matures on Monday next week).
  13 黄磊   M 39           临界 ~48.5万 (just under 贵宾).
  14 马丽   F 33           临界 ~47万.
  15 胡军   M 57 企业主    临界 ~191万 (just under 钻石).
  16 林涛   M 42 程序员    funds in loss: 科技创新 -17%, 成长优选 -13%.
  17 何桂英 F 68 retired   only demand deposits (35万), no products.
  18 高玉兰 F 57 retired   贵宾 55万+; birthday the day after tomorrow.
  Every day of the current week that is not today or tomorrow also has a maturity (周敏, 吴强,
  孙丽 or 高玉兰 in turn, 10-30万 each; days already past show as matured, the money waiting on
  demand deposit, so their AUM is higher than the base figure by the end of the week).
rm02 (张丽, WeCom ZhangLi), same branch:
  3  王秀颖 F 45 教师      same pinyin as 王秀英, healthy 金卡 ~30万.
  19 李娜   F 29           ~6万; only in rm02's book (rm01 asking about her must be refused).

Other customers of branch 1 never carry these names, so each showcase name is unambiguous in
the branch except the deliberate pairs above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from bot.tiers import WAN
from tools.demo.catalog import PRODUCT_INDEX, TERM_DAYS
from tools.demo.context import BankContext
from tools.demo.dates import birthday_in, week_of
from tools.demo.extra_rows import ACTIVE, NO_DATE, ExtraRows, accrued
from tools.demo.identity import sample_id_numbers
from tools.demo.names import sample_names
from tools.demo.profiles import CONSUMPTION, HEALTHY, INTERMEDIARY, SERVICE, YIELD, YUAN, Profiles
from tools.demo.texts import OTHER_BANKS, bank_cp


@dataclass
class Position:
    code: str
    wan: float
    matures: date | None = None  # None for funds and products bought without a date to show
    value_wan: float | None = None  # funds: current value


@dataclass
class Client:
    name: str
    female: bool
    age: int
    occupation: str
    rm: int  # 0 = rm01, 1 = rm02
    demand_wan: float
    positions: list[Position] = field(default_factory=list)
    risk: int = 3
    children: bool = True
    tenure_years: int = 8
    story: int = HEALTHY
    birthday: date | None = None


def clients(today: date) -> list[Client]:
    d = lambda days: today + timedelta(days=days)  # noqa: E731
    monday, _ = week_of(today)
    next_monday = monday + timedelta(days=7)
    return [
        Client(
            "王秀英",
            True,
            58,
            "退休",
            0,
            6,
            [Position("WM06A", 50, d(-5)), Position("TD1Y", 10, d(200))],
            risk=2,
            tenure_years=12,
            story=CONSUMPTION,
        ),
        Client(
            "陈建国",
            False,
            56,
            "企业主",
            0,
            35,
            [
                Position("WM12B", 300, next_monday + timedelta(days=2)),
                Position("CD3Y", 150, d(400)),
                Position("FDMIX", 40, value_wan=43.2),
            ],
            risk=4,
            tenure_years=15,
            story=YIELD,
        ),
        Client("王秀颖", True, 45, "教师", 1, 10, [Position("WM06A", 20, d(60))]),
        Client(
            "李静", True, 36, "企业职员", 0, 5, [Position("WM03A", 15, today), Position("TD1Y", 8, d(150))], risk=1
        ),  # re-rated C1 (75 days ago) after buying the R2 product: a like-for-like renewal no longer suits her
        Client("李晶", True, 41, "财务人员", 0, 4, [Position("TD06", 8, d(1))]),
        Client("张伟", False, 38, "工程师", 0, 4, [Position("WM03B", 5, d(3))], children=False),
        Client(
            "张伟",
            False,
            63,
            "退休",
            0,
            15,
            [Position("CD1Y", 50, next_monday + timedelta(days=4)), Position("WM06B", 20, d(12))],
            risk=2,
        ),
        Client("刘芳", True, 47, "个体工商户", 0, 14, [Position("TD1Y", 10, d(95))], story=SERVICE),
        Client("赵磊", False, 34, "个体工商户", 0, 3.5, [], children=False, tenure_years=4, story=INTERMEDIARY),
        Client("周敏", True, 50, "医生", 0, 25, [Position("WM03A", 30, d(2)), Position("WM12A", 40, d(150))]),
        Client(
            "吴强",
            False,
            52,
            "企业主",
            0,
            50,
            [Position("TD2Y", 150, d(300)), Position("WM06B", 80, d(4)), Position("FDIDX", 40, value_wan=44)],
            risk=4,
        ),
        Client(
            "孙丽",
            True,
            44,
            "财务人员",
            0,
            28,
            [Position("WM03B", 30, next_monday), Position("FDMIX", 10, value_wan=10.4)],
        ),
        Client("黄磊", False, 39, "销售", 0, 17.6, [Position("WM12A", 30, d(40))]),
        Client(
            "马丽",
            True,
            33,
            "程序员",
            0,
            17.5,
            [Position("TD1Y", 20, d(8)), Position("FDMIX", 10, value_wan=9.6)],
            children=False,
        ),
        Client("胡军", False, 57, "企业主", 0, 30, [Position("CD3Y", 100, d(500)), Position("WM06A", 60, d(6))]),
        Client(
            "林涛",
            False,
            42,
            "程序员",
            0,
            6,
            [Position("FDTECH", 20, value_wan=16.6), Position("FDEQ", 10, value_wan=8.7)],
            risk=5,
        ),
        Client("何桂英", True, 68, "退休", 0, 35, [], risk=1, tenure_years=20),
        Client(
            "高玉兰",
            True,
            57,
            "退休",
            0,
            25,
            [Position("WM06A", 30, d(70))],
            risk=2,
            birthday=birthday_in(d(2).year - 57, d(2).month, d(2).day),
        ),
        Client("李娜", True, 29, "企业职员", 1, 2, [Position("WM03A", 4, d(30))], children=False, tenure_years=3),
    ]


SHOWCASE_NAMES = frozenset(c.name for c in clients(date(2026, 1, 1)))
WEEK_ROTATION = ("周敏", "吴强", "孙丽", "高玉兰")
WEEK_PRODUCTS = (("WM03A", 20), ("WM03B", 25), ("TD03", 10), ("WM03A", 30))


def week_positions(today: date) -> dict[str, list[Position]]:
    """A maturity on every day of the current week other than today and tomorrow."""
    monday, _ = week_of(today)
    out: dict[str, list[Position]] = {name: [] for name in WEEK_ROTATION}
    days = [monday + timedelta(days=k) for k in range(7)]
    for n, day in enumerate(x for x in days if x not in (today, today + timedelta(days=1))):
        code, wan = WEEK_PRODUCTS[n % len(WEEK_PRODUCTS)]
        out[WEEK_ROTATION[n % len(WEEK_ROTATION)]].append(Position(code, wan, day))
    return out


def count() -> int:
    return len(clients(date(2026, 1, 1)))


def plant(
    ctx: BankContext, rng: np.random.Generator, p: Profiles, rows: ExtraRows, held: np.ndarray, demand: np.ndarray
) -> None:
    """Overwrite the first customers of chunk 0 with the showcase clients and write their rows."""
    t, today = ctx.t, ctx.today
    extra = week_positions(today)
    cast = clients(today)
    k = len(cast)
    for i, c in enumerate(cast):
        if c.birthday is not None:
            birth = c.birthday
        else:
            month, day = 1 + (i * 5) % 12, 3 + (i * 7) % 25
            year = today.year - c.age - (1 if (month, day) > (today.month, today.day) else 0)
            birth = birthday_in(year, month, day)
        p.name[i], p.female[i], p.birth[i] = c.name, c.female, birth.toordinal()
        p.occupation[i] = c.occupation
        p.retired[i] = c.occupation == "退休"
        p.payroll[i] = c.occupation in ("企业职员", "教师", "医生", "工程师", "程序员", "财务人员", "销售")
        p.has_children[i], p.risk[i] = c.children, c.risk
        p.branch[i], p.rm[i] = 0, c.rm
        p.opened[i] = t - int(c.tenure_years * 365.25) + 11 * i
        p.income[i] = (4500 if p.retired[i] else 12000 + 1000 * i) * YUAN
        p.spend[i], p.n_spend[i] = p.income[i] // 2, 2
        p.story[i], p.decoy[i], p.handmade[i] = c.story, 0, True
        p.growth[i] = 0.03
        for never in (p.event, p.path_start, p.path_end, p.closed, p.salary_stop, p.contact_stop):
            never[i] = ctx.far
        cash = int(c.demand_wan * WAN)
        for pos in c.positions + extra.get(c.name, []):
            pidx = PRODUCT_INDEX[pos.code]
            amount = int(pos.wan * WAN)
            if pos.matures is None:
                value = int((pos.value_wan or pos.wan) * WAN)
                rows.holding(i, pidx, amount, value, t - 400 + 13 * i, NO_DATE, ACTIVE)
                held[i] += value
            elif pos.matures < today:  # matured, not renewed yet: the money waits on demand deposit
                rows.term_position(i, pidx, amount, pos.matures.toordinal())
                cash += accrued(amount, pidx, int(TERM_DAYS[pidx]))
            else:
                held[i] += rows.term_position(i, pidx, amount, pos.matures.toordinal())
        demand[i] = cash
        p.level[i] = p.path_mid[i] = p.path_post[i] = cash + held[i]
    p.id_number[:k] = sample_id_numbers(rng, p.birth[:k], p.female[:k])
    _stories(ctx, p, rows)


def _stories(ctx: BankContext, p: Profiles, rows: ExtraRows) -> None:
    t = ctx.t
    by_name = {}
    for i in range(count()):
        by_name.setdefault(str(p.name[i]), i)

    # 王秀英: about to withdraw ~50万 for a flat.
    i = by_name["王秀英"]
    p.event[i] = t + 1
    rows.contact(
        i, t - 3, "phone", "reached", "客户说孩子买房，明天要取50万", stated_purpose="house",
        announced_fen=50 * 10_000 * 100, announced_on=t + 1,
    )  # fmt: skip
    p.contact_stop[i] = t - 4  # her latest contact is the one where she named the purpose
    rows.story_truth(i, "consumption", t + 1, "计划近日取款约50万元用于购房")

    # 陈建国: 300万 matures next week; 80万 already moved to 招商银行.
    i = by_name["陈建国"]
    maturity = (week_of(ctx.today)[0] + timedelta(days=9)).toordinal()
    cmb = int(bank_cp(OTHER_BANKS.index("招商银行")))
    rows.txn(i, t - 20, 50 * WAN, "out", "mobile", "transfer", True, cmb, minute=10 * 60 + 12)
    rows.txn(i, t - 9, 30 * WAN, "out", "mobile", "transfer", True, cmb, minute=15 * 60 + 40)
    rows.complaint(i, t - 70, "理财收益不达预期", t - 60)
    rows.contact(
        i, t - 2, "phone", "reached", "客户说招商银行理财收益更高,到期后考虑转过去", stated_purpose="other_bank"
    )
    p.contact_stop[i] = t - 3
    aum = int(p.level[i])
    p.level[i] = aum + 80 * WAN
    p.path_start[i], p.event[i], p.path_mid[i] = t - 25, maturity, aum
    p.path_end[i], p.path_post[i] = maturity + 5, aum * 3 // 10
    rows.story_truth(i, "yield", maturity, "增利12个月理财300万元下周到期,近期已向招商银行转出80万元")

    # 刘芳: open complaint, nobody has called for 130 days, money drains to 工商银行.
    i = by_name["刘芳"]
    icbc = int(bank_cp(OTHER_BANKS.index("工商银行")))
    rows.complaint(i, t - 75, "服务态度", None)
    p.contact_stop[i] = t - 130
    for days_ago, wan in ((60, 8), (35, 6), (12, 4)):
        rows.txn(i, t - days_ago, wan * WAN, "out", "mobile", "transfer", True, icbc)
    aum = int(p.level[i])
    p.level[i], p.path_start[i], p.event[i] = 42 * WAN, t - 75, t + 10
    p.path_mid[i], p.path_end[i], p.path_post[i] = aum - 2 * WAN, t + 40, 5 * WAN
    rows.story_truth(i, "service", t + 10, "投诉(服务态度)未解决,4个多月无人联系,资产持续转往工商银行")

    # 赵磊: 200万 in and out around the last three quarter ends.
    i = by_name["赵磊"]
    nbcb = int(bank_cp(OTHER_BANKS.index("宁波银行")))
    ends = ctx.story_quarter_ends()[-3:]
    for q in ends:
        rows.txn(i, q - 3, 200 * WAN, "in", "counter", "transfer", True, nbcb)
        rows.txn(i, q + 2, 200 * WAN, "out", "counter", "transfer", True, nbcb)
        rows.spikes.append((i, q - 3, q + 1, 200 * WAN))
    if ends:
        p.event[i] = ends[0]
        rows.story_truth(i, "intermediary", ends[0], f"季末前后{len(ends)}次200万元整数资金进出宁波银行,疑似中介揽储")


def keep_names_unambiguous(rng: np.random.Generator, p: Profiles) -> None:
    """Generic customers of branch 1 never carry a showcase name."""
    names = SHOWCASE_NAMES
    for _ in range(20):
        clash = np.flatnonzero((p.branch == 0) & ~p.handmade & np.isin(p.name, list(names)))
        if clash.size == 0:
            return
        years = 1970 + (p.birth[clash] - 719163) // 366
        p.name[clash] = sample_names(rng, p.female[clash], years)
    raise RuntimeError("could not rename customers away from showcase names")
