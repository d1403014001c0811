"""WeChat official account: customer-service text messages (`message/custom/send`).

The token comes from `stable_token`, which hands every caller the same token until it expires, so
several Rasa instances do not invalidate each other's token (plain `cgi-bin/token` would).
"""

from __future__ import annotations

from typing import Any

from bot.channels.wecom_api import ApiError, TencentMessageApi

WECHAT_BASE_URL = "https://api.weixin.qq.com"


class WeChatApi(TencentMessageApi):
    # 40001 is how the official account reports an invalid or superseded access token.
    token_error_codes = frozenset({40001, 40014, 42001})

    def __init__(self, app_id: str, app_secret: str, base_url: str = WECHAT_BASE_URL, **kwargs: Any) -> None:
        super().__init__(base_url, **kwargs)
        self.app_id = app_id
        self._app_secret = app_secret

    async def _fetch_token(self) -> tuple[str, float]:
        body = {"grant_type": "client_credential", "appid": self.app_id, "secret": self._app_secret}
        result = await self._call("POST", "/cgi-bin/stable_token", {}, body)
        if int(result.get("errcode") or 0) != 0 or not result.get("access_token"):
            raise ApiError(int(result.get("errcode") or -2), str(result.get("errmsg", "no access_token")))
        return str(result["access_token"]), float(result.get("expires_in") or 7200)

    def _send_request(self, recipient: str, content: str) -> tuple[str, dict[str, Any]]:
        return "/cgi-bin/message/custom/send", {"touser": recipient, "msgtype": "text", "text": {"content": content}}
