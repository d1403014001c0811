"""WeChat official account (微信公众号) in safe mode: callback in, customer-service messages out.

credentials.yml:

    bot.channels.wechat.WeChatInput:
      token: ${WECHAT_TOKEN}
      encoding_aes_key: ${WECHAT_ENCODING_AES_KEY}
      app_id: ${WECHAT_APP_ID}
      app_secret: ${WECHAT_APP_SECRET}
      # optional: api_base_url, dedupe_redis_url, dedupe_ttl_seconds, max_age_seconds,
      # identity_cache_seconds, api_timeout_seconds, api_attempts, api_backoff_seconds,
      # per_member_per_minute  (see docs/channels.md)

Server URL to enter on the official-account platform: https://<host>/webhooks/wechat/webhook,
message encryption mode 安全模式 (plain-text POSTs are refused). Staff are recognised by OpenID,
bound by an administrator with `python -m bot.channels.admin bind-openid STAFF_ID OPENID`.
"""

from __future__ import annotations

from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import identity, replies
from bot.channels.tencent_callback import (
    ApiReplyOutput,
    CallbackOptions,
    InboundMessage,
    Rejected,
    TencentCallbackInput,
    required_credentials,
)
from bot.channels.wechat_api import WECHAT_BASE_URL, WeChatApi
from bot.channels.wx_crypto import WxCipher, signature_matches
from bot.store.staff_directory import StaffMember


class WeChatOutput(ApiReplyOutput):
    @classmethod
    def name(cls) -> str:
        return "wechat"


class WeChatInput(TencentCallbackInput):
    """Staff follow the bank's official account; FromUserName is their OpenID."""

    ack_body = "success"

    @classmethod
    def name(cls) -> str:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WeChatInput:
        if not credentials:
            cls.raise_missing_credentials_exception()
        assert credentials is not None  # the call above raised
        cfg = required_credentials("wechat", credentials, "token", "encoding_aes_key", "app_id", "app_secret")
        options = CallbackOptions.from_credentials(credentials)
        api = WeChatApi(
            cfg["app_id"],
            cfg["app_secret"],
            base_url=credentials.get("api_base_url") or WECHAT_BASE_URL,
            **options.api,
        )
        return cls(cfg["token"], WxCipher(cfg["encoding_aes_key"], cfg["app_id"]), api, **options.channel)

    def verify_url(self, request: Request) -> HTTPResponse:
        """Plain SHA-1 of token, timestamp and nonce; echostr goes back unchanged."""
        args = request.args
        if not signature_matches(args.get("signature"), self.token, args.get("timestamp", ""), args.get("nonce", "")):
            raise Rejected(403, "bad signature")
        self.check_fresh(args.get("timestamp", ""))  # the replay window of POSTs
        return response.text(args.get("echostr", ""), content_type="text/plain; charset=utf-8")

    def check_post_query(self, request: Request) -> None:
        if request.args.get("encrypt_type", "") != "aes":
            raise Rejected(400, "only safe-mode (encrypt_type=aes) callbacks are accepted")

    async def staff_for(self, platform_user: str) -> StaffMember | None:
        return await identity.staff_for_wechat_openid(platform_user)

    def unknown_user_reply(self, platform_user: str) -> str:
        return replies.WECHAT_NOT_BOUND.format(openid=platform_user)

    def text_for_rasa(self, message: InboundMessage) -> tuple[str | None, str | None]:
        if message.msg_type == "text":
            return message.content, None
        if message.msg_type == "voice":
            if message.recognition.strip():
                return message.recognition, None
            return None, replies.WECHAT_VOICE_NOT_RECOGNISED
        return None, replies.TEXT_ONLY

    def get_output_channel_for(self, platform_user: str, reply_id: str) -> WeChatOutput:
        return WeChatOutput(self.api, platform_user, reply_id)
