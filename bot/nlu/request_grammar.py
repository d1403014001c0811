"""Kinds of request whose shape says more than their words, read by a small grammar after the classifiers.

- **An order to operate an account** ("冻结一下老崔的卡", "给笪芳转账5000块", "替岳先生申购20万的理财",
  "帮我改一下客户的手机号"): the assistant performs no bank operation, so it is `out_of_scope` whatever the
  name or the product in it suggests to the classifier. An order is an operation verb in an imperative
  shape (帮我…, 给X…, 把X的卡…, the verb first, or …一下/掉 at the end) with no question in it: "客户要赎回理财
  怎么劝" asks for words (ask_script) and "王秀英要把理财赎回" reports a wish; neither is an order. A change
  of a phone number that gives the new number is a client-information update (bot/nlu/weekly.py), not an order.
- **Which products suit one client** ("有啥产品适合殷姐", "给方圆配个产品", "苗叔适合买保险吗", "粟红英到期的钱
  买什么好"): `match_product` about that client; the action answers within the client's risk rating
  (bot/answers/client_products.py). The opposite direction, a product looking for clients ("这款R2理财推荐给谁"),
  is the classifier's `match_product` already and needs no grammar.
- **Push settings** ("麻烦把客户转他行的通知关一下", "大额变动的提醒可以不收吗"): a kind of push (bot/nlu/alert_topics.py)
  or a push word with a word that mutes or restores it is `alert_mutes`.

- **A remark for the client's file** ("备注一下：赵磊不喜欢电话打扰", "给她加个备注 只在上午方便",
  "罗建华这个人很谨慎，备注下"): the word 备注 opening or closing the message is `update_client_info`, kept
  as a note after confirmation (bot/nlu/weekly.py), whatever the remark's words (电话, 联系) suggest to the
  classifier. Not when the message reports a contact just made ("刚打了电话，备注一下…" is a contact report).

Four more shapes (words to say, what to do next, RMs by staff id, a counter withdrawal with its purpose) are
in bot/nlu/ask_shapes.py.

`RequestGrammarIntent` sits after ClientCardIntent in config.yml and overrides the intent only when a rule
matches the whole message; everything else keeps the classifier's reading.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.alert_topics import topics_in
from bot.nlu.ask_shapes import ask_shape
from bot.nlu.grammar_intent import customer_name_spans, set_grammar_intent
from bot.nlu.stateless import StatelessComponent
from bot.nlu.weekly import NOTE_CUE

OUT_OF_SCOPE, MATCH_PRODUCT, ALERT_MUTES = "out_of_scope", "match_product", "alert_mutes"
UPDATE_CLIENT_INFO = "update_client_info"
MAX_CHARS = 80
_SHORT = 40  # the longest message the order, product and push shapes read

_NUMBER = "[0-9０-９一二两三四五六七八九十百千万wW]+"
_OPERATION = re.compile(
    "冻结|解冻|挂失|解挂|转账|汇款|汇[一二两三四五六七八九十0-9]|申购|认购|赎回|撤单|撤销|开户|销户|开卡|销卡|注销|"
    "提前支取|支取|重置(?:登录|交易|查询)?密码|(?:改|修改|更改|重设)(?:一下)?(?:登录|交易)?密码|解锁|"
    f"转(?:{_NUMBER})(?:块|元|万)?|转过去|转到(?:他|她|我|这)|买入|卖出|"
    "(?:改|修改|更改|变更)(?:一下)?(?:客户的?|他的?|她的?)?(?:预留)?(?:手机号|手机号码|电话号码)|"
    "开(?:张|个|一张|一个|一笔)(?:大额存单|存单|定期)"
)
_IMPERATIVE = re.compile(r"^(?:请|麻烦|帮我|帮忙|帮|给|替|把|直接|马上|现在)|(?:一下|掉|吧)$")
_QUESTION = re.compile(
    "怎么|怎样|如何|为什么|为啥|咋|吗|么|该不该|要不要|能不能|可不可以|话术|说法|开口|劝|留住|挽留|谁|哪些|哪个|几个|多少|"
    "流程|手续|需要什么|要带|材料|限额|[?？]"
)

_PRODUCT_WORDS = "产品|理财|基金|保险|存单|国债|定期|银保|固收|净值型|R[1-5]"
_FOR_CLIENT = (
    re.compile(f"(?:适合|推荐给|推给|卖给)(?:客户)?\\s*(?P<name>NAME)\\s*(?:的)?(?:{_PRODUCT_WORDS})?"),
    re.compile(
        f"(?P<name>NAME)\\s*(?:适合|能|可以)(?:买|做|配|投)?(?:点|些)?(?:什么|啥|哪些|哪种|哪类|{_PRODUCT_WORDS})"
    ),
    re.compile("给\\s*(?P<name>NAME)\\s*(?:配|推荐|推|选|挑|配置)(?:个|点|些|一款|一个|一下)?"),
    re.compile(
        "(?P<name>NAME)\\s*(?:的)?(?:到期的钱|这笔钱|的钱|手上的钱|闲钱|活期)?(?:买|投|配)(?:点|些)?(?:什么|啥)"
    ),
)
_NOT_FOR_CLIENT = re.compile("话术|怎么说|怎么开口|怎么跟|哪些客户|哪几个客户|推荐给谁|推给谁|给谁|谁合适|名单")

_PUSH = "通知|提醒|推送|消息|早报|晨报"
_PUSH_SETTING = re.compile(
    "别再?(?:推|发|提醒)|不要再?(?:推|发)|不(?:用|想|需要)(?:再)?(?:推|发|收|提醒)|不收|关(?:掉|了|闭|一下)?|屏蔽|静音|免打扰|"
    "停(?:掉|了|止)?|取消|恢复|重新(?:推|发|打开)|打开|开启|太烦|太多了"
)
_PUSH_WORD = re.compile(_PUSH)


def request_kind(text: str, name_spans: list[tuple[int, int]]) -> tuple[str, tuple[int, int] | None] | None:
    """(intent, the client's name span when it names one) for a message in one of the shapes, else None."""
    said = (text or "").strip()
    if not said or len(said) > MAX_CHARS:
        return None
    # A long message mixes asks: only the ask shapes, which read what is asked after all that is said.
    if len(said) > _SHORT:
        shaped = ask_shape(said, name_spans)
        return (shaped, None) if shaped else None
    if _is_an_order(said):
        return OUT_OF_SCOPE, None
    name = _client_asked_a_product_for(said, name_spans)
    if name is not None:
        return MATCH_PRODUCT, name
    if _is_a_push_setting(said):
        return ALERT_MUTES, None
    if _is_a_note_for_the_file(said):
        return UPDATE_CLIENT_INFO, None
    shaped = ask_shape(said, name_spans)
    return (shaped, None) if shaped else None


def _is_an_order(said: str) -> bool:
    if not _OPERATION.search(said) or _QUESTION.search(said):
        return False
    return bool(_IMPERATIVE.search(said) or _OPERATION.match(said))


def _client_asked_a_product_for(said: str, name_spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    if _NOT_FOR_CLIENT.search(said):
        return None
    for start, end in name_spans:
        name = re.escape(said[start:end])
        for shape in _FOR_CLIENT:
            match = re.search(shape.pattern.replace("NAME", name), said)
            if match and match.start("name") == start:
                return start, end
    return None


_CONTACT_DONE = re.compile(r"刚(?:才|刚)?(?:打|联系|见|聊|发)|打了|聊了|见了|没接|未接|回访了|沟通了")
_SEPARATOR = frozenset("：:，, ")


def _is_a_note_for_the_file(said: str) -> bool:
    """备注 (bot/nlu/weekly.py's cue) opens the message before a separator, or closes it after one."""
    cue = NOTE_CUE.search(said)
    if cue is None or _CONTACT_DONE.search(said):
        return False
    opens = cue.start() == 0 and said[cue.end() : cue.end() + 1] in _SEPARATOR
    closes = cue.start() > 0 and said[cue.start() - 1] in _SEPARATOR and not said[cue.end() :].strip("。.!！ ")
    return opens or closes


def _is_a_push_setting(said: str) -> bool:
    named = bool(topics_in(said)) and bool(_PUSH_WORD.search(said))
    return (named or bool(re.search(f"(?:{_PUSH})", said))) and bool(_PUSH_SETTING.search(said))


# ---------------------------------------------------------------- the Rasa component


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RequestGrammarIntent(StatelessComponent):
    """A whole message in one of the shapes gets that intent (in config.yml after ClientCardIntent)."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            kind = request_kind(message.get(TEXT) or "", customer_name_spans(message))
            if kind is not None:  # the entities stay as found (an order's client is looked up by nobody)
                set_grammar_intent(message, kind[0])
        return messages
