"""The shortest ways of asking about one client: a verb of looking plus a name, or a name plus a word
asking how things stand — "帮我瞄一下李静", "查查周敏", "张强现在啥情况", "老赵最近咋样".

These are the most common WeCom messages and the hardest for a bag-of-words classifier: two to six
characters, most of them a name it never saw. So the family is a small grammar, not training phrases:

    [请/麻烦][帮我/给我] VERB [一下] [客户] NAME [的][情况/资料/近况…] [呢/吧]
    [客户] NAME [现在/最近/目前] STATUS [了][呢/啊]

VERB is any of the looking verbs in its colloquial shapes (V, VV, V一V, V一下, V下, 查看, 了解一下), STATUS
any way of asking how someone is doing (怎么样, 咋样, 啥情况, 情况如何…). NAME is two to four Chinese
characters that are not an ordinary word (明天, 名单, 风险), hold no function character (的, 到期, 要) and
are no bank word; a form of address (陈总, 王姐, 老赵) counts. Whether NAME is really a client is the
lookup's business (bot/lookup.py), inside the asker's scope.

`ClientCardIntent` applies the grammar after the classifiers: a whole message that matches it is a
`customer_profile` question about NAME, whatever the classifier guessed (next page, goodbye, fallback).
"李明那边呢" (bot/nlu/references.side_of) is `branch_overview` with the name: a branch head asking after
one RM's part of the overview (actions/playbook.py answers anyone else about a client of that name).
A whole message that only points into the last list ("最后那个呢", "第二个呢", bot/nlu/ordinals.py), or
only says which of two namesakes ("55岁的那个", bot/nlu/attributes.py), is `customer_profile` too, with no
name: the action answers about that client, repeating the question asked before it when there was one.
A whole message that only asks for a count or a sum ("一共几个？", "这些客户总共多少钱", bot/nlu/totals.py)
is `more`: the list shown last, from its first page, with the figure first.
A message asking one aspect of one client ("李静下周有什么产品到期", "他有没有投诉没解决",
bot/nlu/client_aspects.py) is `customer_profile` (`ask_next_steps` for "怎么留住X" / "X的待办"), with the
name the grammar read when no extractor marked one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.attributes import answers_which
from bot.nlu.client_aspects import NEXT_STEPS, client_question
from bot.nlu.grammar_intent import customer_name_spans, set_grammar_intent
from bot.nlu.names import FUNCTION_CHARS, SENTENCE_WORD, is_frequent_word, is_word
from bot.nlu.ordinals import is_bare_pick
from bot.nlu.references import STAFF_ID_TEXT, side_of, staff_ids_in
from bot.nlu.stateless import StatelessComponent
from bot.nlu.totals import is_bare_figure_question

_LOOK = "看瞄瞅瞧查搜翻找调"
_VERB = (
    f"(?:查看|查询|调出|调阅|了解一?下|介绍一?下|(?P<v>[{_LOOK}])(?:(?P=v)|一(?P=v)|一下|下|一眼)?(?:一下)?"
    "|(?P<s>[说讲聊])(?:(?P=s)|一?下))"
)
# A follow-up's opening (那…, 那个… in a transcript, 还有…, 再…): "那个纪红伟怎么样", "那戚大爷呢".
_OPENING = "(?:那么|那个|那|还有|再)?"
_PREFIX = f"{_OPENING}(?:请|麻烦)?(?:你|您)?(?:帮我|帮忙|给我|替我|帮)?"
_SUFFIX = "(?:的)?(?:情况|资料|信息|近况|详情|账户|画像|底子)?(?:呢|吧|啊|呀)?"
_WHEN = "(?:现在|最近|目前|这阵子|近来|这人|这个人|那边)?"
_STATUS = "(?:怎么样|咋样|怎样|啥情况|什么情况|情况怎么样|情况咋样|情况如何|如何|啥样|咋回事|有啥变化|有什么变化)(?:了)?(?:呢|啊|呀)?"
_NAME = "(?P<name>[\u4e00-\u9fff]{2,4}?)"
_END = r"[\s？?。.!！~～]*$"

_LOOKING = re.compile(rf"^\s*{_PREFIX}{_VERB}\s*(?:客户|这个客户)?\s*{_NAME}\s*{_SUFFIX}{_END}")
_ASKING = re.compile(rf"^\s*{_OPENING}(?:客户)?{_NAME}\s*{_WHEN}{_STATUS}{_END}")
# The name first, the verb of looking last: "付强看下", "rm03的客户付强查一下", "把陈建国的资料调出来".
_LOOKED_AT = re.compile(
    rf"^\s*{_OPENING}(?:把)?(?:{STAFF_ID_TEXT}的)?(?:客户)?{_NAME}\s*(?:的)?(?:情况|资料|信息|详情)?\s*"
    rf"(?:帮我|给我)?(?:看下|看一下|看看|查下|查一下|查查|瞄一眼|瞅瞅|调出来|调一下)(?:吧|呢)?{_END}"
)
# Only a name after a follow-up's opening, or after 客户 ("那戚大爷呢", "客户叶青"): a card request only when a
# name extractor marked exactly that span (bare, "高山呢" could as well be anything).
_BARE = re.compile(rf"^\s*{_OPENING}(?:客户)?\s*{_NAME}\s*(?:的)?(?:呢|吧|啊)?{_END}")
# Words of the bank's questions that no name contains (the rest is caught by the dictionary check).
_NOT_IN_NAMES = re.compile(
    "客户|理财|基金|存款|存单|保险|风险|流失|计划|名单|列表|全部|所有|今天|明天|本周|下周|情况|网点|支行|业绩|系统"
)


@dataclass(frozen=True)
class CardRequest:
    start: int
    end: int
    name: str


def card_request(text: str, marked: frozenset[tuple[int, int]] = frozenset()) -> CardRequest | None:
    """The name asked about when the whole message is one of the short client questions, else None.

    `marked`: the customer_name spans a name extractor found; a span marked exactly counts as a name even when
    it is also a word (高山, 叶青)."""
    if not text or len(text) > 24:
        return None
    for grammar in (_LOOKING, _ASKING, _LOOKED_AT, _BARE):
        match = grammar.match(text)
        if match is None:
            continue
        span = (match.start("name"), match.end("name"))
        if span in marked or (grammar is not _BARE and _could_be_a_name(match.group("name"))):
            return CardRequest(*span, match.group("name"))
    return None


def _could_be_a_name(name: str) -> bool:
    if FUNCTION_CHARS.intersection(name) or _NOT_IN_NAMES.search(name) or is_word(name):
        return False
    return not _ordinary_words(name)


def _ordinary_words(text: str) -> bool:
    """True when the text is a compound of common words (整体效果, 城东一切): a phrase, not a name."""
    import jieba

    tokens = jieba.lcut(text, HMM=False)
    return len(tokens) > 1 and all(len(t) >= 2 and is_frequent_word(t, SENTENCE_WORD) for t in tokens)


# ---------------------------------------------------------------- the Rasa component
@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ClientCardIntent(StatelessComponent):
    """A whole message in the short client-question grammar is customer_profile about its name.

    In config.yml after the classifiers and BankEntityExtractor, before FallbackClassifier."""

    INTENT_NAME = "customer_profile"

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            said = message.get(TEXT) or ""
            side = side_of(said)
            if side is not None:  # a staff id (rm02那边呢) is no customer name
                at = -1 if staff_ids_in(side) else said.find(side)
                self._set(message, "branch_overview", CardRequest(at, at + len(side), side) if at >= 0 else None)
                continue
            if is_bare_figure_question(said):  # "一共几个？": a figure of the list shown last
                self._set(message, "more", None)
                continue
            pick = is_bare_pick(said) or answers_which(said)
            found = None if pick else card_request(said, frozenset(customer_name_spans(message)))
            if found is None and not pick:
                self._route_aspect_question(message, said)
                continue
            self._set(message, self.INTENT_NAME, found)
        return messages

    def _route_aspect_question(self, message: Message, said: str) -> None:
        """ "李静下周有什么产品到期", "他有没有投诉没解决": one aspect of one client (bot/nlu/client_aspects.py)."""
        spans = customer_name_spans(message)
        others = [
            (int(e["start"]), int(e["end"]))
            for e in message.get(ENTITIES) or []
            if e.get("entity") != "customer_name" and isinstance(e.get("start"), int) and isinstance(e.get("end"), int)
        ]
        asked = client_question(said, spans, _could_be_a_name, others)
        if asked is None:
            return
        intent_name = "ask_next_steps" if asked.aspect == NEXT_STEPS else self.INTENT_NAME
        if asked.name_start is None or asked.name_end is None:
            set_grammar_intent(message, intent_name)
            return
        name = said[asked.name_start : asked.name_end]
        self._set(message, intent_name, CardRequest(asked.name_start, asked.name_end, name))

    @staticmethod
    def _set(message: Message, intent_name: str, found: CardRequest | None) -> None:
        set_grammar_intent(message, intent_name)
        others = [e for e in message.get(ENTITIES) or [] if e.get("entity") != "customer_name"]
        if found is None:  # a position in the list, not a name
            message.set(ENTITIES, others, add_to_output=True)
            return
        name = {
            "entity": "customer_name",
            "start": found.start,
            "end": found.end,
            "value": found.name,
            "extractor": ClientCardIntent.__name__,
        }
        message.set(ENTITIES, sorted([*others, name], key=lambda e: e.get("start", 0)), add_to_output=True)
