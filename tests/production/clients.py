"""Staff talking to the stack the way their platforms do: WeCom and WeChat callbacks signed and encrypted
with wechatpy (an implementation independent of bot.channels), counter transcripts with an HS256 JWT."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

import jwt
import requests

from tests.channels.wx_fakes import OfficialAccountPlatform, Platform, message_xml
from tests.production.constants import SECRETS
from tools.fake_tencent import FakeTencentApi

TIMEOUT_S = 60


@dataclass
class Turn:
    status: int
    replies: list[str] = field(default_factory=list)
    seconds: float = 0.0
    body: str = ""  # the response body when the status is not 200


class StackClients:
    def __init__(self, url: str, tencent: FakeTencentApi) -> None:
        self.url = url.rstrip("/")
        self.tencent = tencent
        self.http = requests.Session()
        self.wecom = Platform(SECRETS["WECOM_TOKEN"], SECRETS["WECOM_ENCODING_AES_KEY"], SECRETS["WECOM_CORP_ID"])
        self.wechat = OfficialAccountPlatform(
            SECRETS["WECHAT_TOKEN"], SECRETS["WECHAT_ENCODING_AES_KEY"], SECRETS["WECHAT_APP_ID"]
        )

    # -- raw requests -------------------------------------------------------------------------
    def post(self, path: str, **kwargs) -> requests.Response:
        return self.http.post(self.url + path, timeout=TIMEOUT_S, **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.url + path, timeout=TIMEOUT_S, **kwargs)

    def wecom_post(self, query: dict, body: bytes) -> requests.Response:
        return self.post("/webhooks/wecom/webhook", params=query, data=body, headers={"Content-Type": "text/xml"})

    def wechat_post(self, query: dict, body: bytes) -> requests.Response:
        return self.post("/webhooks/wechat/webhook", params=query, data=body, headers={"Content-Type": "text/xml"})

    # -- conversations ------------------------------------------------------------------------
    def wecom_callback(self, userid: str, text: str, msg_id: str | None = None) -> tuple[dict, bytes]:
        inner = message_xml(userid, "text", msg_id=msg_id or _msg_id(), to=SECRETS["WECOM_CORP_ID"], Content=text)
        return self.wecom.callback(inner)

    def wecom_say(self, userid: str, text: str, wait_s: float = TIMEOUT_S) -> Turn:
        """Post a text message as WeCom would; the replies are what reached the fake `message/send`."""
        started = time.monotonic()
        resp = self.wecom_post(*self.wecom_callback(userid, text))
        if resp.status_code != 200:
            return Turn(resp.status_code, [], time.monotonic() - started, resp.text[:200])
        replies = self.tencent.wait_for(userid, started, wait_s)
        return Turn(200, replies, time.monotonic() - started)

    def wechat_say(self, openid: str, text: str, wait_s: float = TIMEOUT_S) -> Turn:
        started = time.monotonic()
        inner = message_xml(openid, "text", msg_id=_msg_id(), to="gh_bank", Content=text)
        resp = self.wechat_post(*self.wechat.callback(inner))
        if resp.status_code != 200:
            return Turn(resp.status_code, [], time.monotonic() - started, resp.text[:200])
        return Turn(200, self.tencent.wait_for(openid, started, wait_s), time.monotonic() - started)

    def counter_token(self, staff_id: str, secret: str | None = None, **claims) -> str:
        now = int(time.time())
        payload = {"sub": staff_id, "iat": now, "exp": now + 300, **claims}
        return jwt.encode(payload, secret or SECRETS["BOT_COUNTER_JWT_SECRET"], algorithm="HS256")

    def counter_say(self, staff_id: str, text: str) -> Turn:
        started = time.monotonic()
        resp = self.post(
            "/webhooks/counter/webhook",
            json={"text": text},
            headers={"Authorization": f"Bearer {self.counter_token(staff_id)}"},
        )
        if resp.status_code != 200:
            return Turn(resp.status_code, [], time.monotonic() - started, resp.text[:200])
        replies = [m["text"] for m in resp.json() if isinstance(m, dict) and m.get("text")]
        return Turn(200, replies, time.monotonic() - started)


def _msg_id() -> str:
    return str(uuid.uuid4().int % 10**19)
