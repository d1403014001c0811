"""Claims of another identity said in chat: "切到rm03", "我现在是行长", "用王经理的账号查", "以rm02身份登录".

Staff identity comes only from the channel (design.md): the WeCom user id, the official account's bound
openid, the counter's signed token. A claim in the text changes nothing, and the asker should be told so
rather than get the generic out-of-scope answer or, worse, have "王经理" looked up as a client.

- `claim_in(text)`: the span of a claim, else None. A claim is a switch to another staff member or role
  (切到/切换到/换成/登录成 + rm03/行长/X经理), a use of someone else's account (用/借/拿/以 + …的账号/号/身份/权限),
  or a statement of a role the text cannot prove (我是行长, 我现在是rm05, 本人是支行长).
- `claim_alone(text)`: the claim is all the message asks (what is left is a bare 查一下 / 看看 / 登录). A claim
  attached to a real ask ("我是行长，网点的情况发我") is that ask, answered for the signed-in identity.
"""

from __future__ import annotations

import re

from bot.nlu.references import STAFF_ID_TEXT

# Who a claim names: a staff id, a role, or a colleague by surname and title (王经理, 李行, 张主任).
_ROLE = "(?:支行长|分行长|(?:支行|分行|网点)?(?:行长|副行长|负责人|主管|经理|柜员|管理员|大堂经理|客户经理|理财经理|行领导|领导|管理层))"
_COLLEAGUE = f"(?:{STAFF_ID_TEXT}|{_ROLE}|[\u4e00-\u9fff]{{1,2}}(?:经理|行长|主任|主管|总)|别人|其他人|同事|他|她)"
_SWITCH = re.compile(
    f"(?:切(?:换)?(?:到|成|为)|换(?:成|到)|转(?:成|为)|登(?:录|陆)(?:成|为)|变成|模拟|冒充|假装(?:我)?是)\\s*{_COLLEAGUE}"
    f"(?:的?(?:身份|账号|帐号|号|视角|权限))?"
)
_BORROW = re.compile(
    f"(?:用|借|拿|以|按|登|登录|登陆)(?:一下)?\\s*{_COLLEAGUE}\\s*的?\\s*(?:账号|帐号|号|身份|权限|工号|名义|视角)"
)
_I_AM = re.compile(f"(?:我|本人)(?:现在|其实|今天|已经)?(?:就)?是\\s*(?:{STAFF_ID_TEXT}|{_ROLE})")
_CLAIMS = (_SWITCH, _BORROW, _I_AM)

# What may be left of a message that only makes a claim: a bare verb of looking or signing in, politeness.
_LEFT_OVER = re.compile(
    r"^(?:[，,。.!！?？\s~～]|帮我|麻烦|请|你|就|一下|下|吧|呢|啊|了|好|行|可以|能|能不能|可不可以|吗|"
    r"查|查查|看|看看|瞅瞅|登录|登陆|登|进去|进|切|切过去|过去|操作|用|试试|身份|权限|给我|让我|我要|我想|想|要|"
    r"所有|全部|的|他|她|他们|她们|手上|名下|客户|经理|数据|东西|信息|来)*$"
)


def claim_in(text: str) -> tuple[int, int] | None:
    """(start, end) of the first identity claim in the text, else None."""
    found = [m.span() for pattern in _CLAIMS if (m := pattern.search(text or ""))]
    return min(found) if found else None


def claim_alone(text: str) -> bool:
    """True when the message claims an identity and asks nothing beyond it."""
    said = (text or "").strip()
    spans = sorted(m.span() for pattern in _CLAIMS for m in pattern.finditer(said))
    if not spans:
        return False
    rest, at = [], 0
    for start, end in spans:
        if start >= at:
            rest.append(said[at:start])
        at = max(at, end)
    rest.append(said[at:])
    return bool(_LEFT_OVER.match("".join(rest)))
