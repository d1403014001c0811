"""Questions about one aspect of one client: "李静下周有什么产品到期", "周敏这个月转出去多少、去了哪家银行",
"王秀英上次联系是什么时候", "他有没有投诉没解决", "赵刚风险测评过期没", "孙丽电话多少", "钱芳多大了",
"吴敏是谁的客户", "查陈静，尾号3009的".

Words like 到期, 转出, 投诉 also make list questions ("下周哪些客户到期") and reports ("王秀英投诉排队太久"), so
the classifier alone mixes them up. The difference is in the shape, and that is a small grammar here:

    a client (a customer_name span, a name the grammar reads, or 他/她/这位客户)
    + an aspect asked as a question (ASPECTS below: 到期 with 什么/哪天/吗/没, 转出去多少, 上次联系, …)
    and no word of a report or a write (刚, 说, 换, 新号码, 要求 …) and no word of a list (哪些客户, 名单 …).

`asked_aspect(text)` names the aspect (the action focuses the card on it); `client_question(text, spans)`
decides whether the whole message is such a question and, when no extractor marked the name, where it is.
Whether the name is a client of the asker is the lookup's business (bot/lookup.py), inside the asker's scope.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

MATURING = "maturing"
OUTFLOW = "outflow"
LAST_CONTACT = "last_contact"
COMPLAINTS = "complaints"
RATING = "rating"
PHONE = "phone"
AGE = "age"
OPENED = "opened"
MANAGER = "manager"
CARD = "card"
NEXT_STEPS = "next_steps"  # 怎么留住他 / 他的待办: the client's next steps, not a card

_Q = "(?:什么|啥|哪些|哪个|哪款|哪笔|哪天|几号|几笔|多少|吗|没|么|嘛|不|了没|没有|呢)"
# Order matters: the first aspect whose pattern matches wins (开户 before 多大, 联系 before 电话).
ASPECTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (NEXT_STEPS, re.compile("(?:怎么|如何|怎样|咋)(?:才能)?(?:留住|挽留|留下|稳住)|待办|要跟进什么|还有什么要做")),
    (MANAGER, re.compile("是?谁的客户|谁管的?|归谁管|哪个客户经理|客户经理是谁|谁在维护|谁负责")),
    (
        OPENED,
        re.compile(
            "(?:哪年|哪一年|什么时候|啥时候|多久|几年|多少年)[^，,。？?]{0,3}开(?:的)?户|开户(?:时间|日期|多久|几年|多少年|是哪年)"
        ),
    ),
    (
        LAST_CONTACT,
        re.compile(
            "(?:上次|上回|最近一次|最后一次|上一次)(?:是)?(?:什么时候|啥时候|哪天)?(?:联系|联络|沟通|回访|打电话|见面)|多久没(?:联系|联络|打电话)|(?:什么时候|啥时候|哪天)联系过|联系过(?:吗|没)"
        ),
    ),
    (
        COMPLAINTS,
        re.compile(
            f"有没有(?:什么|啥)?投诉|投诉[^，,。]{{0,4}}(?:解决|处理|办结|结了){_Q}|(?:未|没)(?:解决|处理)的投诉|有(?:什么|啥)?投诉{_Q}|投诉过{_Q}"
        ),
    ),
    (RATING, re.compile("风险(?:测评|评估|评级|问卷)|风评|测评|问卷")),
    (
        OUTFLOW,
        re.compile(
            f"(?:转出|转走|转到|转去|取走|取出|流出|转了)(?:去)?(?:了)?(?:{_Q}|哪|多少|几)|去了哪|转到哪|(?:哪家|哪个)(?:银行|行)"
            "|(?:有没有|有无|是不是|是否)(?:把钱)?(?:转|取|挪)(?:走|出|钱)"
        ),
    ),
    (MATURING, re.compile(f"(?:到期|满期|到日子)(?:{_Q}|的(?:产品|是|有))|{_Q}[^，,。]{{0,6}}(?:到期|满期)")),
    (
        PHONE,
        re.compile(
            "(?<!打)(?:电话|手机|手机号|手机号码|联系方式|号码)(?:是|号码|号)?(?:多少|几号|啥|什么|给我|发我)|(?<![打接])(?:电话|手机号?|联系方式)[呢吗？?\\s]*$"
        ),
    ),
    (
        AGE,
        re.compile(
            "多大(?:了|年纪|岁数)?|几岁|多少岁|年纪|岁数|哪年(?:生|出生)|出生年份|生日(?:是)?(?:哪天|几号|什么时候|啥时候)"
        ),
    ),
    (CARD, re.compile("客户卡片|卡片|名片|档案|尾号\\s*\\d{4}")),
)
# A report, a write or an order, not a question about the client (actions/contact.py, actions/weekly.py);
# 刚 only as "just now", since names hold it (赵刚).
_NOT_A_QUESTION = re.compile(
    "^刚|刚(?:才|刚|给|跟|和|打|联系|见|去)|已经|打了|没接|没人接|未接|聊了|见了|来过|她说|他说|说是|说要|换了|换手机|改成|改为|帮我改|改一下|改下|更新一下|更新下|调成|升到|降到|变成|重新(?:做|测)|备注|新号|要求|投诉了|投诉说|投诉排队|帮我记|记一下|登记|话术|怎么说|祝福|问候|邀约|发条|发个"
)
# A list over the book ("下周哪些客户到期"), not one client.
_A_LIST = re.compile(
    "哪些客户|哪几个客户|哪几位|哪些人|谁的钱|名单|列表|客户里|我的客户|所有客户|全部客户|几个客户|多少客户|各位"
)
_PRONOUN = re.compile("他|她|这位|这个客户|该客户|此客户|这人")
_NAME_FIRST = re.compile(
    "^\\s*(?:帮我|麻烦)?(?:查一下|查下|查查|查|看一下|看下|看看|客户)?\\s*(?P<run>[\u4e00-\u9fff]{2,4})"
)
# Characters that start the words following a name ("李静下周", "周敏这个月", "孙丽电话"), not a third character of it.
_AFTER_NAME = frozenset("的是下上这本今明昨最近有什多电手风哪几怎还开生到转年去联投测待卡档名尾现目那跟和")
_NAME_AFTER = re.compile("(?:留住|挽留|稳住)(?:客户)?(?P<name>[\u4e00-\u9fff]{2,4}?)(?:呢|啊|吧)?[\\s？?。!！]*$")
MAX_CHARS = 32


@dataclass(frozen=True)
class ClientQuestion:
    aspect: str
    name_start: int | None = None  # where the grammar read a name no extractor marked; None otherwise
    name_end: int | None = None


def asked_aspect(text: str) -> str | None:
    """The aspect of one client the text asks about, or None."""
    for aspect, pattern in ASPECTS:
        if pattern.search(text):
            return aspect
    return None


def client_question(
    text: str,
    name_spans: list[tuple[int, int]],
    could_be_a_name: Callable[[str], bool],
    other_spans: list[tuple[int, int]] | None = None,
) -> ClientQuestion | None:
    """The aspect asked when the whole message is a question about one client, else None.

    `name_spans`: customer_name spans the extractors found; `could_be_a_name(str) -> bool` judges a
    piece the grammar reads as a name (bot/nlu/client_card.py's rule, passed in to keep one rule);
    `other_spans`: the rule entities found (a product, a period, an amount), which a name read here never overlaps."""
    if not text or len(text) > MAX_CHARS or _NOT_A_QUESTION.search(text) or _A_LIST.search(text):
        return None
    aspect = asked_aspect(text)
    if aspect is None:
        return None
    if len(name_spans) == 1:
        return ClientQuestion(aspect)
    if name_spans:
        return None  # two clients in one question: not this grammar's
    first = _NAME_FIRST.search(text)
    if first is not None:
        start = first.start("run")
        end = start + _name_length(first.group("run"))
        if _free(start, end, other_spans) and could_be_a_name(text[start:end]) and asked_aspect(text[end:]):
            return ClientQuestion(aspect, start, end)
    after = _NAME_AFTER.search(text)
    if (
        after is not None
        and _free(after.start("name"), after.end("name"), other_spans)
        and could_be_a_name(after.group("name"))
    ):
        return ClientQuestion(aspect, after.start("name"), after.end("name"))
    if _PRONOUN.search(text):
        return ClientQuestion(aspect)
    return None


def _name_length(run: str) -> int:
    """How much of the run of characters at the start is the name: two, or three when the third does not
    start the words that follow a name (王秀英上次… vs 李静下周…)."""
    return 3 if len(run) >= 3 and run[2] not in _AFTER_NAME else 2


def _free(start: int, end: int, spans: list[tuple[int, int]] | None) -> bool:
    return not any(s < end and start < e for s, e in spans or ())
