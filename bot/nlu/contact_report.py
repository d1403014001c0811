"""What an RM says when reporting a contact: "刚给张伟打了电话，她说钱要拿去买房，下周三再联系".

`read_contact_report(text, today)` picks out how the contact happened (channel code), how it went
(outcome code), the purpose the client gave, the next contact date, and money the client announced they
will take out ("她说明天要取50万": 50万, tomorrow) — the one thing that puts a client at the top of the plan. The cue readers tell a
confirmation ("确认"), a cancellation ("算了，不记了") and a correction ("不对，是微信联系的") apart.
Outcome codes: reached · no_answer · agreed · declined · callback (the store's contacts.outcome).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.nlu.amounts import parse_amount
from bot.nlu.purposes import canonical_purpose, purpose_in
from bot.nlu.spans import AMOUNT, CONTACT_CHANNEL, TIME_RANGE, find_spans
from bot.nlu.timerange import parse_time_range
from bot.nlu.voice import to_halfwidth

OUTCOMES = ("reached", "no_answer", "agreed", "declined", "callback")


@dataclass(frozen=True)
class ContactReport:
    channel: str | None = None  # phone | wechat | sms | meeting | visit
    outcome: str | None = None
    purpose: str | None = None
    next_on: date | None = None
    announced_fen: int | None = None  # money the client said they will take out or move
    announced_on: date | None = None  # when they said it will go; None: not said ("近日")


# Checked in this order: a refusal before a success ("不同意" holds "同意"), "不转了" is a success before
# "不" could read as anything else, "再考虑" a call-back before "说" reads as a plain conversation.
_OUTCOME_CUES = (
    ("no_answer", r"没人接|无人接|没接|未接|不接|拒接|关机|打不通|没打通|没接通|未接通|没联系上|联系不上|占线|不在服务区|"
                  r"没回|未回|不回|已读不回|没有回|没回复|未回复"),
    ("declined", r"不需要|不要了|不感兴趣|拒绝|不考虑|不愿意|不同意|不续|不办|不满意|挂了电话|挂断"),
    ("agreed", r"同意|愿意|答应|续存|续作|续期|追加|签约|来签|办了|不转了|不转走|不取了|不动了?|钱不动|留在我们|"
               r"留.{0,8}在我们|转回来|满意"),
    ("callback", r"考虑|再看看|再说|回头|改天|晚点|稍后|没想好|犹豫|商量"),
    ("reached", r"说|讲|接了|接通|打通|聊|沟通|见了|见面|面谈|回复|回了|回电|表示|想|要|打算|准备|约了|过来|来网点|"
                r"通话|通了"),
)  # fmt: skip
_OUTCOME_RES = tuple((code, re.compile(cue)) for code, cue in _OUTCOME_CUES)

# A phone call said without the word 电话: 打给她 / 打过去 / 通了话.
_PHONE_VERBS = re.compile(
    r"打给|打过去|打过了|打了个|打了一个|通了话|通话|接了电话|回了电话|(?:都|已经|刚|刚刚|也|我)打(?:了|过)"
)
# 来网点 in a report is what the client will do next, not how this contact happened.
_PLAN_ONLY_CHANNEL_WORDS = frozenset({"来网点"})

_CANCEL = re.compile(
    r"取消|算了|不记了|别记了?|不用记|先不记|不要记|不登记|不用登记|先不登记|撤销|作废|删掉|不保存|不要保存|放弃|"
    r"不用了|不要了"
)
# "她说算了" quotes the client; it does not call the report off.
_REPORTED_SPEECH = re.compile(r"[她他]说|客户说|说是|表示")
_CORRECTION = re.compile(r"不对|不是|错了|搞错|改成|改为|改一下|改到|换成|应该是|其实是|更正|修改|改")
_CONFIRM_WORD = (
    r"确认无误|确认保存|确认登记|确认|确定|没问题|没错|保存|提交|登记|记上吧?|记吧|记下吧?|就这样|可以的?|"
    r"对的|是的|对|是|好的|好嘞|好|行|嗯|ok|okay|yes"
)
_CONFIRMATION = re.compile(rf"(?:{_CONFIRM_WORD})+")
_DENIAL = re.compile(r"(?:不对|不是|错了|搞错了|不)+")
_NOISE = re.compile(r"[\s，,。.！!？?、~…：:；;]+|[啊吧呀哦呢啦嘛哈]")


def _compact(text: str) -> str:
    return _NOISE.sub("", to_halfwidth(text or "").lower())


def read_contact_report(
    text: str, today: date, purpose_hint: str | None = None, correction: bool = False
) -> ContactReport:
    """Everything the text says about a contact; fields it does not mention are None.

    correction: the text changes an earlier report ("不是电话，是微信"), so the last value named wins.
    """
    text = to_halfwidth(text or "")
    spans = find_spans(text)
    ranges = [(s.start, parse_time_range(s.text, today, "forward")) for s in spans if s.entity == TIME_RANGE]
    future = [(start, r) for start, r in ranges if r is not None and r.start > today]
    plan_from = len(text) if correction or not future else future[0][0]

    channels = [
        s.value
        for s in spans
        if s.entity == CONTACT_CHANNEL and s.text not in _PLAN_ONLY_CHANNEL_WORDS and s.start < plan_from
    ]
    channel = (channels[-1] if correction else channels[0]) if channels else None
    if channel is None and _PHONE_VERBS.search(text):
        channel = "phone"

    purpose = purpose_in(text, last=True) if correction else canonical_purpose(purpose_hint) or purpose_in(text)
    outcome = next((code for code, cue in _OUTCOME_RES if cue.search(text)), None)
    if outcome is None and purpose is not None and not correction:
        outcome = "reached"  # the client told us what the money is for
    announced_fen, announced_on = _announced(text, spans, ranges, today)
    if announced_on is not None:
        future = [(start, r) for start, r in future if r.start != announced_on]  # the money's day, not a call's
    next_on = (future[-1] if correction else future[0])[1].start if future else None
    return ContactReport(channel, outcome, purpose, next_on, announced_fen, announced_on)


# Taking money out or away, as clients announce it: 要取 / 取走 / 提出来 / 转走 / 转到他行 / 拿去用 / 要用.
_TAKING = re.compile(r"取|提出|提走|提现|转走|转出|转去|转到|拿走|拿去|拿出|要用|用掉|赎回|支取")
_NEAR = 8  # characters between the money and the verb of taking, either way


def _announced(text: str, spans, ranges, today: date) -> tuple[int | None, date | None]:
    """The amount said next to a verb of taking it out, and the day said just before it (明天要取50万)."""
    for span in spans:
        if span.entity != AMOUNT:
            continue
        amount = parse_amount(span.text)
        if amount is None or amount.min_fen is None:
            continue
        window = text[max(0, span.start - _NEAR) : span.end + _NEAR]
        verb = _TAKING.search(window)
        if verb is None:
            continue
        at = max(0, span.start - _NEAR) + verb.start()
        fen = (amount.min_fen + amount.max_fen) // 2 if amount.max_fen else amount.min_fen
        before = [r for start, r in ranges if r is not None and start < min(at, span.start) and r.end >= today]
        return fen, (before[-1].start if before else None)
    return None, None


def wants_to_cancel(text: str) -> bool:
    text = to_halfwidth(text or "")
    return bool(_CANCEL.search(text)) and not _REPORTED_SPEECH.search(text)


def is_confirmation(text: str) -> bool:
    """The whole message only says yes: 确认 / 对 / 好的，保存吧."""
    compact = _compact(text)
    return bool(compact) and _CONFIRMATION.fullmatch(compact) is not None


def is_bare_denial(text: str) -> bool:
    """ "不对" with nothing about what is wrong."""
    compact = _compact(text)
    return bool(compact) and _DENIAL.fullmatch(compact) is not None


def has_correction_cue(text: str) -> bool:
    return bool(_CORRECTION.search(to_halfwidth(text or "")))
