"""Every sentence the channels themselves say to staff, in one place for review.

Rasa's answers come from the domain; these are only the channel's own refusals and hints.
"""

UNKNOWN_STAFF = "您好，这个账号还没有开通客户助手。如需使用，请联系网点负责人或系统管理员开通。"

# The OpenID is what the administrator needs for `bind-openid`; it is the staff member's own id here.
WECHAT_NOT_BOUND = "您好，这个微信号还没有绑定员工身份。请把下面这串编号发给网点负责人或系统管理员绑定：\n{openid}"

WECOM_VOICE_NOT_READ = "语音消息这里暂时读不了。请直接打字提问，或长按语音选「转文字」后把文字发给我。"

WECHAT_VOICE_NOT_RECOGNISED = "这条语音没有识别出文字。请再说一遍，或直接打字提问。"

TEXT_ONLY = "目前只能处理文字消息，请用文字描述您的问题。"

BUSY = "系统有点忙，这条消息没处理成功，请稍后再发一次。"

COUNTER_NOT_HEARD = "没听清，请再说一遍。"

COUNTER_TOO_LONG = "这段话太长了，请分几句说。"

COUNTER_NOT_AUTHORISED = "这台设备的登录已失效，请重新登录后再试。"

COUNTER_STAFF_INACTIVE = "这个工号没有开通客户助手，请联系网点负责人。"
