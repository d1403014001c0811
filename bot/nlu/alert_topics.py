"""Which kinds of push a message names, and whether it mutes, unmutes or lists them (#14).

    别再推送生日提醒了      -> mute   (birthday,)
    恢复早报 / 晨报还是推给我吧 -> unmute (briefing,)
    我关了哪些推送          -> list
    天气提醒关掉            -> mute, nothing known named, unknown="天气"

Only the words: which kinds may be muted is bot.alerts.mutes's rule, their Chinese names are in bot.labels.
Codes are the alert kinds of bot.alerts.outbox where a kind is its own push, and the briefing's sections
(maturity, overdue, callback, birthday) where it is a part of the morning briefing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MUTE, UNMUTE, LIST = "mute", "unmute", "list"

# In this order, each match consumed before the next pattern looks: "柜面大额取款" is the counter's
# withdrawal, "大额转出" a large movement, not a transfer to another bank.
_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("counter_withdrawal", re.compile(r"柜[面台](大额)?(取款|取现)?|(大额)?取[款现]")),
    ("large_movement", re.compile(r"大额(资金)?(异动|变动|转出|转入|进出|流出|流入)?|(资金)?异动")),
    ("other_bank", re.compile(r"他行|转出|转走|转[到去往]?别的银行|别的银行")),
    ("salary_stopped", re.compile(r"工资|代发|薪[资水]|停发")),
    ("birthday", re.compile(r"生日")),
    ("callback", re.compile(r"回访|回电")),
    ("overdue", re.compile(r"该联系|未联系|没联系|联系提醒")),
    ("maturity", re.compile(r"到期|满期")),
    ("risk_high", re.compile(r"风险|流失|预警")),
    ("briefing", re.compile(r"早报|晨报|简报|早安|早上(的|那条|那个)?(推送|提醒|消息)|每天早上|每日提醒")),
)
_EVERY = re.compile(r"所有|全部|都关|通通|统统")
_LIST = re.compile(r"哪些|哪几|什么|有没有|看看|查看|查一下|列一下|列表|设置|[关开]着")
_UNMUTE = re.compile(
    r"恢复|重新|打开|开启|取消(屏蔽|静音|免打扰)|解除|还是(要|推|发)|继续(推|发|提醒)|开回来|不用关|别关"
)
_MUTE = re.compile(r"别|不要|不用|不想|不需要|不必|关|屏蔽|静音|免打扰|停|取消|太烦|太多|烦死")
# "天气提醒": the two characters before 提醒 / 通知, when nothing known was named.
_NAMED = re.compile(r"([\u4e00-\u9fff]{2})的?(?:提醒|通知|推送)")
_NOT_A_NAME = re.compile(r"[多些个条种类的那这么所有全部给我再别推关掉了吧要不]")


@dataclass(frozen=True)
class MuteRequest:
    action: str  # mute | unmute | list
    topics: tuple[str, ...] = ()  # the codes named, in the order said
    every: bool = False  # "所有提醒": every kind that may be muted
    unknown: str | None = None  # what was named when it is no kind of push ("天气")


def topics_in(text: str) -> tuple[str, ...]:
    """The push codes a text names, in the order said, each once."""
    rest = text
    found: list[tuple[int, str]] = []
    for code, pattern in _TOPICS:
        for m in pattern.finditer(rest):
            found.append((m.start(), code))
        rest = pattern.sub(lambda m: "　" * len(m.group(0)), rest)  # consumed, positions kept
    return tuple(dict.fromkeys(code for _, code in sorted(found)))


def read_mute_request(text: str) -> MuteRequest:
    said = text.strip()
    topics = topics_in(said)
    every = bool(_EVERY.search(said)) and not topics
    if _UNMUTE.search(said):
        action = UNMUTE
    elif _LIST.search(said) and not (topics and _MUTE.search(said)):
        action = LIST  # "我能关掉哪些提醒", "我关了哪些推送"; but "生日提醒有没有办法关掉" mutes
    elif _MUTE.search(said):
        action = MUTE
    else:
        action = LIST
    unknown = None
    if not topics and not every and action != LIST:
        named = (m.group(1) for m in _NAMED.finditer(said))
        unknown = next((word for word in named if not _NOT_A_NAME.search(word)), None)
    return MuteRequest(action, topics, every, unknown)
