"""Sentences said whatever was asked — the store is down, the message is empty or too long — by the
channels (before Rasa is reached) and by the actions alike. A leaf module, so the channels need not
import the answers' wording (bot.replies) for them."""

DATA_UNAVAILABLE = "数据暂时不可用，请稍后再试。"
EMPTY_MESSAGE = "没有收到内容，请直接说想查什么，比如“本周哪些客户理财到期”。"
TOO_LONG = "消息太长了，请简短说明要查什么（200字以内）。"
