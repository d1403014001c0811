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

- **A claim of another identity** ("切到rm07", "我现在是行长", "借李经理的号查一下"): `out_of_scope` when the claim
  is all the message asks (bot/nlu/identity_claims.py), answered by saying that identity comes from the
  sign-in. A name inside a claim (李经理, 张总) is a colleague, never a customer_name, claim alone or not.
- **A correction of a contact report** ("不对不对，是打的电话，她也答应了", "改一下，不是微信，是上门"): a message
  that opens with a correction and names how the contact happened or how it went is `log_contact`, read by
  the contact form as a correction (bot/nlu/contact_report.py), not a denial or a client-information update.
- **Why one client is at risk** ("第三个为啥这么高", "倒数第二个凭啥上榜", "老戚咋就成高风险了"): a why and a word of
  risk about one client (a position in the last list, a name, 他 / 这个客户) is `explain_risk`, not the list.
- **A contact made** ("给粟宏英发了短信就是提醒她到期", "12/1跟赵德胜面谈过 客户同意"): a contact that happened, with
  no question in the message and no news for the file, is `log_contact`.
- **A segment** ("资产1kw以上的有谁", "没买理财、活期又放了20w以上的 加起来多少钱"): filters of the segment reader with
  no client named and no other list in the message are `query_segment`.
- **A book handed over** ("我下个月调岗，客户交接一下", "rm09离职了 客户交给rm10"): someone leaving and what becomes
  of their clients is `handover_clients`, not a client's new job nor a request for words.
- **News for the client's file** ("韦强搬家了 地址改成滨江路18号", "乌兰图雅换单位了", "换号了，新号139…"): a move, a
  new job or a new mobile number said as news, no question and no contact in it, is `update_client_info`.
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
from datetime import date

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.alert_topics import topics_in
from bot.nlu.ask_shapes import ask_shape
from bot.nlu.attributes import answers_which
from bot.nlu.contact_report import read_contact_report
from bot.nlu.grammar_intent import customer_name_spans, set_grammar_intent
from bot.nlu.identity_claims import claim_alone, claim_in
from bot.nlu.ordinals import list_positions
from bot.nlu.segment_request import parse_segment_request
from bot.nlu.stateless import StatelessComponent
from bot.nlu.weekly import CLIENT_RATING, NOTE_CUE, PRODUCT_RISK, info_learned

OUT_OF_SCOPE, MATCH_PRODUCT, ALERT_MUTES = "out_of_scope", "match_product", "alert_mutes"
UPDATE_CLIENT_INFO, LOG_CONTACT, HANDOVER_CLIENTS = "update_client_info", "log_contact", "handover_clients"
EXPLAIN_RISK, QUERY_SEGMENT = "explain_risk", "query_segment"
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
    re.compile("给\\s*(?P<name>NAME)\\s*(?:配|推荐|推|选|挑|配置|匹配)(?:个|点|些|一款|一个|一下|下)?"),
    # a client, something said of them, then what to offer: "谈丽君风险承受能力低，配点啥稳当的"
    re.compile("(?P<name>NAME)[^。？?]{0,16}?(?:配|推|买|选)(?:点|些|个|一点)?(?:什么|啥)"),
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
    if claim_alone(said):
        return OUT_OF_SCOPE, None
    if _corrects_a_contact(said):
        return LOG_CONTACT, None
    if _hands_a_book_over(said):
        return HANDOVER_CLIENTS, None
    if _asks_why_one_is_at_risk(said, name_spans):
        return EXPLAIN_RISK, name_spans[0] if name_spans else None
    # A long message mixes asks: only the ask shapes, which read what is asked after all that is said.
    if len(said) > _SHORT:
        shaped = ask_shape(said, name_spans)
        return (shaped, None) if shaped else None
    if _is_an_order(said):
        return OUT_OF_SCOPE, None
    if _weighs_a_rating_against_a_risk(said):
        return MATCH_PRODUCT, name_spans[0] if name_spans else None
    name = _client_asked_a_product_for(said, name_spans)
    if name is not None:
        return MATCH_PRODUCT, name
    if _is_a_push_setting(said):
        return ALERT_MUTES, None
    if _is_a_note_for_the_file(said) or _tells_a_new_fact(said):
        return UPDATE_CLIENT_INFO, None
    if _reports_a_contact(said):
        return LOG_CONTACT, None
    if not name_spans and _asks_for_a_segment(said):
        return QUERY_SEGMENT, None
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


def _weighs_a_rating_against_a_risk(said: str) -> bool:
    """A client rating (C1–C5) next to a product risk (R1–R5) is always a suitability question:
    "言蕾风评C3，这只R4的基金能推不", "C2的客户能买R3吗". A rating alone is a segment or a rating update."""
    return bool(CLIENT_RATING.search(said) and PRODUCT_RISK.search(said))


_CORRECTION_OPENING = re.compile(
    r"^(?:不对|不是的?|错了|搞错了?|说错了|记错了|弄错了|更正|纠正|改一下|改下|修改一下|应该是|其实是)"
)
# How a contact went, said as a fact; a bare "reached" (她说…) is too weak to make a correction a report.
_OUTCOMES_SAID = frozenset({"agreed", "declined", "no_answer", "callback"})


def _corrects_a_contact(said: str) -> bool:
    if not _CORRECTION_OPENING.match(said):
        return False
    # Only the channel and the outcome are read here; the day is the form's business, not the grammar's.
    report = read_contact_report(said, date.today(), correction=True)
    return report.channel is not None or report.outcome in _OUTCOMES_SAID


_WHY = re.compile(
    "为啥|为什么|凭啥|凭什么|咋就|怎么就|怎么会|咋会|咋成|怎么成|原因|理由|依据|高在哪|哪里高|怎么来的|咋来的"
)
_RISK_WORD = re.compile("风险|流失|预警|上榜|排第一|排这么前|排在前面|分这么高|分数|评分|这么高")
# One client at hand, not a list: 他 / 这个客户 / 这位, or the counter's "有个客户…".
_ONE_CLIENT = re.compile(
    "^(?:那个|这个|那位|这位)?(?:客户)?(?:他|她)|这(?:个|位)客户|这位|该客户|有(?:个|位|一个|一位)(?:老)?客户|一(?:个|位)客户"
)
_OTHER_ASK = re.compile("话术|怎么说|怎么跟|下一步|怎么办|咋办|跟进|哪些|哪几|谁|名单|几个|多少")


def _asks_why_one_is_at_risk(said: str, name_spans: list[tuple[int, int]]) -> bool:
    """ "第三个为啥这么高", "倒数第二个凭啥上榜", "老戚咋就成高风险了", "这个客户风险高在哪里": the reasons for one
    client's score (a position in the last list, a name, or 他/这个客户), not the list of clients at risk."""
    if not _WHY.search(said) or not _RISK_WORD.search(said) or _OTHER_ASK.search(said):
        return False
    return bool(list_positions(said) or name_spans or _ONE_CLIENT.search(said))


# Other lists and asks a segment's words may come with: maturities, outflows, risk, words, next steps.
# Words to say to a segment ("银保收益低的客户怎么沟通", "好久没联系的客户第一句话说啥") are ask_script.
_NOT_A_SEGMENT = re.compile(
    "到期|转出|转走|流出|风险|流失|预警|话术|下一步|推荐|适合|配置|推|"
    "怎么|怎样|如何|咋|说啥|说什么|说法|段话|开口|安抚|沟通|解释|打招呼|劝|第一句"
)


def _asks_for_a_segment(said: str) -> bool:
    """ "资产1kw以上的有谁", "基金亏得最多的top10", "请帮我列出基金亏损超过10%、且年龄在55岁以上的客户": the filters of
    bot/nlu/segment_request.py, no client named, no other list and no words asked, are `query_segment`.
    A description of one client ("60岁那位") answers "which one" (bot/nlu/attributes.py)."""
    if _NOT_A_SEGMENT.search(said) or _ONE_CLIENT.search(said) or answers_which(said):
        return False
    # "有个客户过来取三十万说是给孩子交学费" holds 孩子 but asks for words: the ask shapes read it first.
    return ask_shape(said, []) is None and parse_segment_request(said) is not None


# An RM leaving their book for a while or for good, and what becomes of the clients.
_LEAVING = re.compile("调岗|调走|调去|调到|离职|辞职|休产假|产假|休假|请长假|长假|退休|轮岗|外派|借调|要走了|走了")
_HANDING = re.compile("交接|移交|转给|交给|划给|分给|转交|给谁|谁管|谁接|谁来管|谁跟|怎么办|怎么处理|怎么安排")
_BOOK = re.compile("客户|名下|手上|管户|[Rr][Mm]\\s?\\d")
# Who leaves: the asker, a staff id, a colleague; a client who retires is news for the file.
_STAFF_LEAVING = re.compile("我|本人|[Rr][Mm]\\s?\\d|经理|同事|行长")


def _hands_a_book_over(said: str) -> bool:
    """ "我下个月调岗，客户交接一下", "我下个月休产假 客户怎么交接", "rm09离职了 客户交给rm10": handover_clients,
    never a client's new job (调岗 of a client is news for the file, said without a book to hand over)."""
    leaving = _LEAVING.search(said)
    if leaving is None or not _STAFF_LEAVING.search(said[: leaving.start()]):
        return False
    return bool(_HANDING.search(said, leaving.end()) and _BOOK.search(said))


# Facts the file holds, said as news: a move, a new job (said or not yet where), a new mobile number.
_NEWS_FIELDS = frozenset({"address", "occupation"})


def _tells_a_new_fact(said: str) -> bool:
    """ "韦强搬家了 地址改成滨江路18号", "乌兰图雅换单位了", "王秀英换号了，新号139…": not a question, not a contact."""
    if _QUESTION.search(said) or _CONTACTED.search(said):
        return False
    learned = info_learned(said)
    return learned is not None and (learned.field in _NEWS_FIELDS or (learned.field == "phone" and learned.valid))


# A contact that has happened: a verb of contacting with its done marker, an appointment made, the client's words
# "in WeChat" or "on the phone", a call not picked up.
_CONTACTED = re.compile(
    "刚(?:才|刚)?(?:打|联系|见|聊|发)|(?:打|发|谈|见|聊|沟通|联系|回访|拜访|面谈|通)(?:了|过)|联系上|打通|接通|约好|约了|"
    "上门了|去了趟|"
    "(?:微信|电话|短信)(?:里|上)(?:说|讲|回|答应|同意)|回(?:了|复了)(?:微信|短信|电话|消息)|没人?接|未接|不接"
)

_WHEN = re.compile("多久|多长时间|几天|什么时候|啥时候|哪天|上次|上回")
_CONTACTED_CLIENTS = re.compile("(?:了|过)(?:电话|微信|短信|面)?的(?:客户|人|那|几|有)")


def _reports_a_contact(said: str) -> bool:
    """ "给粟宏英发了短信就是提醒她到期", "12/1跟赵德胜面谈过 客户同意", "禹霖约好1月3号来网点签": a contact made, and
    nothing asked about it. Facts for the file said in a contact stay news (刚打电话知道李静换了工作)."""
    contacted = _CONTACTED.search(said)
    if contacted is None or _QUESTION.search(said) or _WHEN.search(said) or NOTE_CUE.search(said):
        return False
    if said[max(0, contacted.start() - 2) : contacted.start()].endswith(("没", "未", "没有")):  # 多久没联系了
        return False
    if _CONTACTED_CLIENTS.search(said):  # "上周联系过的客户": which clients, a list
        return False
    learned = info_learned(said)
    return learned is None or learned.field == "family"


_SEPARATOR = frozenset("：:，, ")


def _is_a_note_for_the_file(said: str) -> bool:
    """备注 (bot/nlu/weekly.py's cue) opens the message before a separator, or closes it after one."""
    cue = NOTE_CUE.search(said)
    if cue is None or _CONTACTED.search(said):
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
            _drop_names_in_a_claim(message)
            kind = request_kind(message.get(TEXT) or "", customer_name_spans(message))
            if kind is not None:  # the entities stay as found (an order's client is looked up by nobody)
                set_grammar_intent(message, kind[0])
        return messages


def _drop_names_in_a_claim(message: Message) -> None:
    claim = claim_in(message.get(TEXT) or "")
    if claim is None:
        return
    kept = [
        e
        for e in message.get(ENTITIES) or []
        if e.get("entity") != "customer_name" or not (e.get("start", 0) < claim[1] and e.get("end", 0) > claim[0])
    ]
    message.set(ENTITIES, kept, add_to_output=True)
