"""Four more requests whose shape says what is wanted, whatever words surround it (bot/nlu/request_grammar.py
applies them after its own three).

- **Words to say** ("再联系咋开场", "第五个 给个话术", "请帮我准备一段开场白", "她在柜台我该咋说"): a way of
  asking how to say something (怎么/咋/如何 + 说/开口/开场/打招呼/安抚/劝, 说啥, 话术, 开场白, 祝福语, 说法)
  with nothing done after it — "按话术跟他说了" and "开场白用过了" report a contact, they ask for nothing.
  → `ask_script`.
- **What to do next** ("钱转走了 我现在该干嘛", "最近没动静 咋推进", "要不要上门"): a way of asking what to do
  (该干嘛, 怎么办, 咋整, 怎么跟进/推进/挽留, 下一步, 要不要上门) that is not a list question (谁, 哪些, 几个),
  not about the tool (怎么用, 密码) and not a counter withdrawal (the counter wants words: see below).
  → `ask_next_steps`.
- **One RM, or every RM, by staff id** ("rm02那边呢", "rm07手上有几个高风险的", "rm11和rm04谁的预警多",
  "各个理财经理的到期量"): a branch head asking after RMs → `branch_overview`, unless the message hands
  clients over (把rm03的客户转给rm04), claims an identity (切到rm03, 用rm05的账号) or names a client
  ("rm03的客户付强看下" asks about 付强).
- **A withdrawal reported at the counter with its purpose** ("客户取四十五万买房付首付", "来取钱取五十万说要
  买房"): the counter needs the words to say now → `ask_script` (tests/nlu_eval/README.md's convention),
  unless the message reports a call or a message (打电话, 微信), which is a contact report.
"""

from __future__ import annotations

import re

from bot.nlu.purposes import purpose_in
from bot.nlu.references import points_back, staff_ids_in

ASK_SCRIPT, ASK_NEXT_STEPS, BRANCH_OVERVIEW = "ask_script", "ask_next_steps", "branch_overview"

_HOW = "(?:怎么|咋|如何|怎样)"
_WORDS = re.compile(
    f"{_HOW}(?:跟[他她]|和[他她]|对[他她]|跟客户|和客户|对客户)?(?:说|讲|开口|开场|打招呼|安抚|劝|回复|回应|措辞)"
    "|(?:说|讲)(?:点|些)?(?:啥|什么)(?!时候)|话术|话述|开场白|祝福语|祝福的话|说法|台词"
)
# Something done after the ask: the message reports it ("按话术说了", "开场白用过了").
_DONE = re.compile("了|过|完")

_TODO = re.compile(
    "(?:干嘛|干啥|干什么|做什么|做啥|怎么做|咋做|如何做|怎么办|咋办|咋整|怎么整|怎么弄|咋弄)"
    f"|{_HOW}(?:跟进|推进|挽留|留住|维护|处理|应对)|下一步|下一部"
    f"|(?:后面|接下来|之后|后续|然后)(?:该|要)?{_HOW}跟(?![他她]|客户)"
    "|(?:要不要|该不该|需不需要|用不用)(?:去)?(?:上门|拜访|约|再联系|再打|跟进)"
)
# A contact already made before the ask: a report that mentions a next step ("打了电话，下一步约他周三来").
_REPORTED = re.compile("打了|打过|联系了|联系过|聊了|聊过|发了|见了|谈了|谈过|说了|答应|同意|拒绝|没接")
# "下一步约他周五来" states the next step (a report or a form's answer), "下一步咋整" / "…到期后下一步" ask it.
_STATES_A_PLAN = re.compile(
    "(?![^，,。]*(?:怎么|咋|如何|什么|啥|嘛|吗|呢|要不要|该不该|[?？]))[，,\\s]*[^\\s，,。？?!！吧呢啊]"
)
_NOT_NEXT_STEPS = re.compile(
    "谁|哪些|哪几|几个|几位|多少|名单|排一下|怎么用|不会用|功能|密码|系统|登录|报错|取(?:了)?[0-9一二两三四五六七八九十百]"
    "|[你您](?:能|会|可以)|能帮我"
)

# "今天我该干啥" with no client in it asks for the day's plan (daily_plan), not one client's next steps.
_DAY = re.compile("今天|今日|上午|下午|早上|晚上|明天|这周|本周|这礼拜|今儿")

_EVERY_RM = re.compile("[各每](?:个|位)?(?:客户|理财)?经理|哪(?:个|位)(?:客户|理财)?经理")
_NOT_BRANCH = re.compile(
    "转给|转到|转交|交接|移交|交给|划给|划到|划转|调给|分给|接手|接管|带着|代管|调走|离职|休假|产假|退休|切到|切换|换成|换到|登录|登陆|账号|身份|我是|我现在是|冒充"
)

_WITHDRAWAL = re.compile(
    "(?:取|支取|提)(?:了|走|出)?(?:钱)?(?:取)?[0-9０-９一二两三四五六七八九十百千]+(?:多)?(?:万|w|W|块|元)"
)
_CONTACT_REPORT = re.compile("电话|微信|短信|面谈|上门|联系|沟通|记录|记一下|记下|登记|备注")


# "怎么挽留" while the client is leaving (要销户, 想转他行, 要把定期全取了) asks for words to say now; "怎么留住范美玲"
# with nothing happening is what to do next.
_RETAIN = re.compile(f"{_HOW}(?:才能)?(?:挽留|留住)")
_LEAVING_NOW = re.compile("要取|想取|要走|销户|想转|要转|转他行|转走|转到他行|提前取|全取|要提|想提|要把|不想存")


def ask_shape(text: str, name_spans: list[tuple[int, int]]) -> str | None:
    """The intent of a message in one of the four shapes, else None; `name_spans`: its customer_name spans."""
    said = text.strip()
    if _asks_for_words(said) or _reports_a_withdrawal(said) or (_RETAIN.search(said) and _LEAVING_NOW.search(said)):
        return ASK_SCRIPT
    if _asks_what_next(said, bool(name_spans)):
        return ASK_NEXT_STEPS
    if not name_spans and _asks_about_rms(said):
        return BRANCH_OVERVIEW
    return None


def _asks_for_words(said: str) -> bool:
    return any(not _DONE.search(said[m.end() :]) for m in _WORDS.finditer(said))


def _asks_what_next(said: str, named: bool) -> bool:
    if _NOT_NEXT_STEPS.search(said) or (not named and _DAY.search(said) and not points_back(said)):
        return False
    return any(
        not _DONE.search(said[m.end() :])
        and not _REPORTED.search(said[: m.start()])
        and not (m.group(0).startswith("下一") and _STATES_A_PLAN.match(said[m.end() :]))
        for m in _TODO.finditer(said)
    )


def _asks_about_rms(said: str) -> bool:
    return bool(staff_ids_in(said) or _EVERY_RM.search(said)) and not _NOT_BRANCH.search(said)


def _reports_a_withdrawal(said: str) -> bool:
    # "她说明天要取50万买房" relays what a client said on a call (a contact report); the counter reports what
    # happens in front of it, the client's words after the withdrawal ("取五十万说要买房").
    found = _WITHDRAWAL.search(said)
    if found is None or "说" in said[: found.start()]:
        return False
    return purpose_in(said) is not None and not _CONTACT_REPORT.search(said)
