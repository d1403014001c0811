"""Reading the week's bookkeeping messages in code: what was learned about a client, what a complaint was
about, and the product a match is asked for. Plain functions over text; None when nothing is said."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlu.amounts import parse_amount
from bot.nlu.voice import to_halfwidth

# --- information learned in a contact -----------------------------------------------------------------

_MAX_NOTE = 60
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_DIGITS = re.compile(r"(?<!\d)\d[\d\- ]{5,}\d(?!\d)")
_PHONE_CUE = re.compile(r"手机|电话|号码|号换|换号|新号")
_JOB_CUE = re.compile(
    r"(?:换了?(?:个)?(?:工作)?单位|换了?(?:个)?工作|跳槽|调动|调岗|升职|转行|辞职|下岗|单位变了|工作变了)[了，,。]?(?:(?:现在|目前|去了?|到了?|在)+)?([^，,。！!？?]{0,24})"
)
_NOW_AT = re.compile(r"(?:现在|目前)(?:在|去了?)([^，,。！!？?]{2,24}?)(?:上班|工作|当|做|任职)([^，,。！!？?]{0,12})")
# A move ("搬家了，新地址滨江路18号", "搬到天河区了，地址改下"): kept as a note, the customer has no address column.
_MOVED = re.compile(r"搬家|搬到|搬去|搬走|迁到|住到|新家|(?:地址|住址)(?:变|改|换|更新|不对)|新(?:地址|住址)")
_ADDRESS = (
    re.compile(
        r"(?:新地址|新住址|地址|住址)(?:是|为|改成|改为|换成|变成|更新成|更新为|改到|[:：])?\s*([^，,。！!？?\s]{2,40})"
    ),
    re.compile(r"(?:搬到|搬去|迁到|住到)了?\s*([^，,。！!？?\s了啦]{2,30}?)(?:去了|了|啦|[，,。！!？?\s]|$)"),
)
_NOT_AN_ADDRESS = re.compile(r"^(?:要|得|需要|也|又|变|改|换|更新|不对|了|有|帮|给|麻烦)")
_RETIRED = re.compile(r"退休了|办了退休|已经退休")
_FAMILY = re.compile(
    r"(?:孩子|儿子|女儿|子女|小孩|闺女|老伴|爱人|老公|妻子|太太|丈夫|孙子|孙女)[^，,。！!？?]{0,12}?"
    r"(?:出国|留学|去国外|移民|结婚|生了|生孩子|上大学|考上|住院|生病|去世|定居)[^，,。！!？?]{0,12}"
)


# A risk rating said in chat ("她重新测评了，现在是C4"): recognised so the answer can say where ratings are
# changed, never written from a chat (bot/replies/weekly.py).
_RATING = re.compile(
    r"(?:风险)?(?:测评|评级|等级|承受能力|评估)[^，,。！!？?]{0,10}?(?:[是为成到]|改|调|升|降|变)[^，,。！!？?Cc]{0,4}([Cc][1-5])"
    r"|(?<![A-Za-z])([Cc][1-5])(?:级)?(?:了|啦)?[，,。]?\s*(?:帮我|给我|麻烦)?(?:改|更新|调整|登记|记)"
    r"|重新(?:做了?|测了?)(?:一次|个)?(?:风险)?(?:测评|评估|评级)"
)
CLIENT_RATING = re.compile(r"(?<![A-Za-z])[Cc][1-5](?!\d)")  # a client's risk rating, C1–C5
# A remark to keep on the client's file ("备注：不喜欢电话打扰"): stored as a note, no column overwritten.
# Also read by bot/nlu/request_grammar.py, which routes a message this cue opens or closes.
NOTE_CUE = re.compile(
    r"(?:帮我|麻烦)?(?:给[^，,。：:\s]{1,4})?(?:加个|加一条|记个|记一条|写个|写一条)?备注(?:一下|下)?"
)


@dataclass(frozen=True)
class InfoLearned:
    field: str  # phone | occupation | address | family | note | risk_rating (never written: see _RATING)
    value: str  # the new value ("" when it was not said, or for a phone number that is no mobile number)
    valid: bool = True


def info_learned(text: str) -> InfoLearned | None:
    said = to_halfwidth(text or "")
    rating = _RATING.search(said)
    if rating:
        level = rating.group(1) or rating.group(2)  # the level the statement names, if it names one
        if level is None:
            elsewhere = CLIENT_RATING.search(said)
            level = elsewhere.group(0) if elsewhere else ""
        return InfoLearned("risk_rating", level.upper(), valid=False)
    mobile = MOBILE.search(said)
    if mobile:
        return InfoLearned("phone", mobile.group(0))
    if _PHONE_CUE.search(said) and _DIGITS.search(said):
        return InfoLearned("phone", "", valid=False)
    if _RETIRED.search(said):
        return InfoLearned("occupation", "退休")
    now_at = _NOW_AT.search(said)
    if now_at:
        return InfoLearned("occupation", (now_at.group(1) + now_at.group(2)).strip())
    job = _JOB_CUE.search(said)
    if job and job.group(1).strip():
        return InfoLearned("occupation", _trim_tail(job.group(1)))
    family = _FAMILY.search(said)
    if family:
        return InfoLearned("family", _trim_tail(family.group(0)))
    if _MOVED.search(said) and not NOTE_CUE.search(said):
        return _address_learned(said)
    if job:  # "换单位了": a new job, not yet where
        return InfoLearned("occupation", "", valid=False)
    note = NOTE_CUE.search(said)
    if note:
        remark = said[note.end() :] or said[: note.start()]
        remark = _trim_tail(remark.strip(" ，,。：:"))
        if remark:
            return InfoLearned("note", remark[:_MAX_NOTE])
    if _PHONE_CUE.search(said) and re.search(r"换|变|新", said):
        return InfoLearned("phone", "", valid=False)
    return None


def _address_learned(said: str) -> InfoLearned:
    for pattern in _ADDRESS:
        for found in pattern.finditer(said):
            value = _trim_tail(found.group(1))
            if value and not _NOT_AN_ADDRESS.match(value):
                return InfoLearned("address", value[:_MAX_NOTE])
    return InfoLearned("address", "", valid=False)  # "搬家了，地址要改一下": where to, not said yet


def _trim_tail(value: str) -> str:
    return re.sub(r"(了|啦|呢|吧|的)+$", "", value.strip()) or value.strip()


# --- complaints --------------------------------------------------------------------------------------

# Stored as codes the playbook words (scripts.yml complaint_categories); unknown kinds keep the words said.
_COMPLAINT_KINDS = (
    ("wait", r"排队|等(了|太)|等候|等待|太慢|很慢|叫号"),
    ("attitude", r"态度|不耐烦|冷淡|脸色|不理人|服务差"),
    ("fee", r"收费|手续费|扣费|年费|管理费|乱扣"),
    ("app", r"手机银行|APP|app|App|网银|小程序|登录不上"),
    ("mis_selling", r"误导|没说清|没讲清|夸大|亏了.{0,4}(推荐|卖)|(推荐|卖).{0,6}亏"),
    ("interest", r"利息|利率"),
    ("atm", r"ATM|atm|取款机|自助"),
    ("card", r"卡被?(吞|冻结|锁)|银行卡"),
    ("transfer", r"转账|汇款|到账慢"),
)
_COMPLAINT_CUE = re.compile(r"投诉|不满|抱怨|意见很大|有意见|吐槽|发火|生气|骂")


def complaint_category(text: str) -> str:
    said = to_halfwidth(text or "")
    for code, pattern in _COMPLAINT_KINDS:
        if re.search(pattern, said):
            return code
    return "service"


def mentions_complaint(text: str) -> bool:
    return bool(_COMPLAINT_CUE.search(to_halfwidth(text or "")))


# --- a product to match clients to -------------------------------------------------------------------

PRODUCT_RISK = re.compile(r"(?<![A-Za-z])[Rr]\s?([1-5])(?!\d)|([一二三四五])级")  # a product's risk level, R1–R5
_TERM = re.compile(r"(\d+|[一二两三四五六七八九十]+|半)\s?(年|个月|月|天)期?")
_MIN = re.compile(r"(?:起点|起购|起投|门槛|最低|起存)(?:金额)?(?:是|为|要)?\s*([^，,。的]{1,8}?(?:万|w|W|千|元))")
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_TYPES = (
    ("fund", r"基金"),
    ("insurance", r"保险|年金|保单"),
    ("cd", r"大额存单|存单"),
    ("term_deposit", r"定期|定存"),
    ("wealth", r"理财"),
)


@dataclass(frozen=True)
class ProductOffer:
    risk: str | None  # R1 .. R5
    term_days: int | None
    min_fen: int  # the minimum purchase (起点); 0 when not said
    product_type: str  # a product type code; wealth when not said
    term_label: str = ""

    def to_dict(self) -> dict:
        return {"risk": self.risk, "term_days": self.term_days, "min_fen": self.min_fen,
                "product_type": self.product_type, "term_label": self.term_label}  # fmt: skip

    @classmethod
    def from_dict(cls, d: dict) -> ProductOffer:
        return cls(d.get("risk"), d.get("term_days"), int(d.get("min_fen") or 0), d.get("product_type") or "wealth",
                   d.get("term_label") or "")  # fmt: skip


def _number(word: str) -> float | None:
    if word.isdigit():
        return float(word)
    if word == "半":
        return 0.5
    if word == "十":
        return 10.0
    if word.startswith("十"):
        return 10.0 + _CN_NUM.get(word[1:], 0)
    if len(word) == 2 and word[1] == "十":
        return _CN_NUM.get(word[0], 0) * 10.0
    if len(word) == 3 and word[1] == "十":
        return _CN_NUM.get(word[0], 0) * 10.0 + _CN_NUM.get(word[2], 0)
    return float(_CN_NUM[word]) if word in _CN_NUM else None


def product_offer(text: str) -> ProductOffer:
    said = to_halfwidth(text or "")
    risk = None
    r = PRODUCT_RISK.search(said)
    if r:
        level = r.group(1) or str(_CN_NUM.get(r.group(2) or "", ""))
        risk = f"R{level}" if level else None
    term_days, term_label = None, ""
    t = _TERM.search(said)
    if t:
        n = _number(t.group(1))
        if n is not None:
            unit = t.group(2)
            term_days = round(n * 365) if unit == "年" else round(n * 30) if unit in ("个月", "月") else round(n)
            term_label = t.group(0).rstrip("期") + "期"
    min_fen = 0
    m = _MIN.search(said)
    if m:
        amount = parse_amount(m.group(1))
        if amount is not None and amount.min_fen is not None and amount.max_fen is not None:
            min_fen = (amount.min_fen + amount.max_fen) // 2
    product_type = next((code for code, p in _TYPES if re.search(p, said)), "wealth")
    return ProductOffer(risk, term_days, min_fen, product_type, term_label)
