"""WeCom (企业微信) self-built app: callback in, `message/send` out.

credentials.yml:

    bot.channels.wecom.WeComInput:
      token: ${WECOM_TOKEN}
      encoding_aes_key: ${WECOM_ENCODING_AES_KEY}
      corp_id: ${WECOM_CORP_ID}
      corp_secret: ${WECOM_APP_SECRET}
      agent_id: ${WECOM_AGENT_ID}
      # optional: api_base_url, msgtype (text|markdown), dedupe_redis_url, dedupe_ttl_seconds,
      # max_age_seconds, identity_cache_seconds, api_timeout_seconds, api_attempts,
      # api_backoff_seconds, per_member_per_minute  (see docs/channels.md)

Callback URL to enter in the WeCom admin console: https://<host>/webhooks/wecom/webhook
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
from bot.channels.wecom_api import WECOM_BASE_URL, WeComApi
from bot.channels.wx_crypto import ReceiveIdMismatch, WxCipher, WxCryptoError, signature_matches
from bot.store.staff_directory import StaffMember


class WeComOutput(ApiReplyOutput):
    @classmethod
    def name(cls) -> str:
        return "wecom"


class WeComInput(TencentCallbackInput):
    """Staff message the bank's WeCom app; FromUserName is their WeCom userid."""

    @classmethod
    def name(cls) -> str:
        return "wecom"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WeComInput:
        if not credentials:
            cls.raise_missing_credentials_exception()
        assert credentials is not None  # the call above raised
        cfg = required_credentials(
            "wecom", credentials, "token", "encoding_aes_key", "corp_id", "corp_secret", "agent_id"
        )
        options = CallbackOptions.from_credentials(credentials)
        api = WeComApi(
            cfg["corp_id"],
            cfg["corp_secret"],
            int(cfg["agent_id"]),
            base_url=credentials.get("api_base_url") or WECOM_BASE_URL,
            msgtype=credentials.get("msgtype") or "text",
            **options.api,
        )
        return cls(cfg["token"], WxCipher(cfg["encoding_aes_key"], cfg["corp_id"]), api, **options.channel)

    def verify_url(self, request: Request) -> HTTPResponse:
        """Echo the decrypted echostr, bare, when the signature and CorpID check out."""
        args = request.args
        # Base64 never contains spaces: a "+" sent without URL-encoding arrives as one.
        echostr = args.get("echostr", "").replace(" ", "+")
        timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
        if not echostr or not signature_matches(args.get("msg_signature"), self.token, timestamp, nonce, echostr):
            raise Rejected(403, "bad signature")
        self.check_fresh(timestamp)  # the replay window of POSTs: a captured verification is not echoed later
        try:
            plain = self.cipher.decrypt(echostr)
        except ReceiveIdMismatch as exc:
            raise Rejected(403, str(exc)) from exc
        except WxCryptoError as exc:
            raise Rejected(400, str(exc)) from exc
        return response.text(plain.decode("utf-8", "replace"), content_type="text/plain; charset=utf-8")

    async def staff_for(self, platform_user: str) -> StaffMember | None:
        return await identity.staff_for_wecom_userid(platform_user)

    def text_for_rasa(self, message: InboundMessage) -> tuple[str | None, str | None]:
        if message.msg_type == "text":
            return message.content, None
        if message.msg_type == "voice":
            # WeCom sends only a MediaId for voice; there is no transcript to read.
            return None, replies.WECOM_VOICE_NOT_READ
        return None, replies.TEXT_ONLY

    def get_output_channel_for(self, platform_user: str, reply_id: str) -> WeComOutput:
        return WeComOutput(self.api, platform_user, reply_id)
