"""Stand-ins for the outside world in channel tests: the platforms' callbacks, Rasa (Tencent's API is
tools.fake_tencent.FakeTencentApi).

The platforms are played by wechatpy, an implementation independent of bot.channels.wx_crypto.
"""

from __future__ import annotations

import base64
import socket
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import xmltodict
from sanic import Sanic
from wechatpy.crypto import PrpCrypto as WeChatPrp
from wechatpy.enterprise.crypto import PrpCrypto as WeComPrp
from wechatpy.utils import WeChatSigner

# Tencent's published sample app (WeCom callback documentation).
SAMPLE_TOKEN = "QDG6eK"
SAMPLE_CORP_ID = "wx5823bf96d3bd56c7"
SAMPLE_AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
VERIFY_URL_SAMPLE = {
    "msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
    "timestamp": "1409659589",
    "nonce": "263014780",
    "echostr": "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
}
MESSAGE_SAMPLE = {
    "msg_signature": "477715d11cdb4164915debcba66cb864d751f3e6",
    "timestamp": "1409659813",
    "nonce": "1372623149",
    "encrypt": (
        "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/s"
        "YYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJ"
        "YuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGU"
        "callcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KD"
        "YA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q=="
    ),
}

# Staff in the `staff_db` fixture (each test gets its own SQLite file).
RM_ID, RM_WECOM, RM_OPENID = "rm_zhang", "zhangwei", "oZhangWei_openid_000000000001"
COUNTER_ID = "counter_li"
LEFT_ID, LEFT_WECOM = "rm_left", "wangqiang"  # left the bank: inactive

# The classic entity expansion attack ("billion laughs"): about 3 GB once expanded.
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<xml><Content>&lol9;</Content></xml>"""

# A second, made-up app for the tests' own traffic.
TOKEN = "tEsTtOkEn2024"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
CORP_ID = "ww0a1b2c3d4e5f6789"
APP_ID = "wx1234567890abcdef"
AGENT_ID = 1000002
CORP_SECRET = "corp-app-secret"
APP_SECRET = "oa-app-secret"


def _key(aes_key: str) -> bytes:
    return base64.b64decode(aes_key + "=")


class Platform:
    """Signs and encrypts callbacks the way WeCom / WeChat do, using wechatpy."""

    def __init__(self, token: str = TOKEN, aes_key: str = AES_KEY, receive_id: str = CORP_ID, wecom: bool = True):
        self.token = token
        self.receive_id = receive_id
        self.prp = (WeComPrp if wecom else WeChatPrp)(_key(aes_key))

    def encrypt(self, plain: str) -> str:
        encrypted = self.prp.encrypt(plain, self.receive_id)
        return encrypted.decode() if isinstance(encrypted, bytes) else encrypted

    def decrypt(self, encrypted: str) -> str:
        return self.prp.decrypt(encrypted, self.receive_id)

    def sign(self, timestamp: str, nonce: str, *more: str) -> str:
        signer = WeChatSigner()
        signer.add_data(self.token, timestamp, nonce, *more)
        return signer.signature

    def envelope(self, encrypted: str) -> bytes:
        return (
            f"<xml><ToUserName><![CDATA[{self.receive_id}]]></ToUserName>"
            f"<Encrypt><![CDATA[{encrypted}]]></Encrypt>"
            f"<AgentID><![CDATA[{AGENT_ID}]]></AgentID></xml>"
        ).encode()

    def signed_post(self, encrypted: str, timestamp: str | None = None, nonce: str | None = None) -> tuple[dict, bytes]:
        """Query and body of a callback carrying `encrypted` as its Encrypt field, correctly signed."""
        timestamp = timestamp or str(int(time.time()))
        nonce = nonce or uuid.uuid4().hex[:10]
        query = {"msg_signature": self.sign(timestamp, nonce, encrypted), "timestamp": timestamp, "nonce": nonce}
        return query, self.envelope(encrypted)

    def callback(self, inner_xml: str, **kw: Any) -> tuple[dict, bytes]:
        return self.signed_post(self.encrypt(inner_xml), **kw)


class OfficialAccountPlatform(Platform):
    """WeChat in safe mode: AppID as receive id, plain `signature` as well as `msg_signature`."""

    def __init__(self, token: str = TOKEN, aes_key: str = AES_KEY, receive_id: str = APP_ID):
        super().__init__(token, aes_key, receive_id, wecom=False)

    def envelope(self, encrypted: str) -> bytes:
        return (
            f"<xml><ToUserName><![CDATA[gh_bank]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
        ).encode()

    def signed_post(self, encrypted: str, timestamp: str | None = None, nonce: str | None = None) -> tuple[dict, bytes]:
        query, body = super().signed_post(encrypted, timestamp, nonce)
        query.update(signature=self.sign(query["timestamp"], query["nonce"]), encrypt_type="aes")
        return query, body


def message_xml(user: str, msg_type: str = "text", msg_id: str | None = None, to: str = CORP_ID, **fields: str) -> str:
    body = {
        "ToUserName": to,
        "FromUserName": user,
        "CreateTime": str(int(time.time())),
        "MsgType": msg_type,
        **fields,
    }
    if msg_id is not None:
        body["MsgId"] = msg_id
    body["AgentID"] = str(AGENT_ID)
    return xmltodict.unparse({"xml": body}, full_document=False)


class StubRasa:
    """Plays `on_new_message`: records each UserMessage and answers deterministically."""

    def __init__(self, answer=None):
        self.messages: list = []
        self.answer = answer or (lambda text: f"收到：{text}")

    async def __call__(self, message) -> None:
        self.messages.append(message)
        await message.output_channel.send_text_message(message.sender_id, self.answer(message.text))


class ChannelServer:
    """A real Sanic app on a random loopback port with one channel's blueprint under /webhooks/<name>."""

    def __init__(self, channel, on_new_message):
        self.channel = channel
        self.on_new_message = on_new_message
        self._server = None
        self.url = ""

    async def start(self) -> str:
        # Sanic rewrites its protocol methods when an app starts; test mode keeps the originals so
        # many apps can start in one process.
        Sanic.test_mode = True
        app = Sanic(f"channel_test_{uuid.uuid4().hex}", configure_logging=False)
        app.blueprint(self.channel.blueprint(self.on_new_message), url_prefix=f"/webhooks/{self.channel.name()}")
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        port = sock.getsockname()[1]
        self._server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
        await self._server.startup()
        await self._server.start_serving()
        self.url = f"http://127.0.0.1:{port}/webhooks/{self.channel.name()}"
        return self.url

    async def stop(self) -> None:
        if self._server is not None:
            await self._server.before_stop()
            self._server.close()
            await self._server.wait_closed()
            await self._server.after_stop()


@dataclass
class Harness:
    channel: Any
    rasa: StubRasa
    url: str
    http: aiohttp.ClientSession
    platform: Platform

    async def post(self, query: dict, body: bytes) -> tuple[int, str]:
        async with self.http.post(self.url + "/webhook", params=query, data=body) as resp:
            status, text = resp.status, await resp.text()
        await self.channel.drain(timeout=5)
        return status, text

    async def send(self, inner_xml: str) -> tuple[int, str]:
        return await self.post(*self.platform.callback(inner_xml))


@asynccontextmanager
async def served(channel, rasa, platform: Platform | None = None) -> AsyncIterator[Harness]:
    """The channel served on loopback, with an HTTP client to talk to it."""
    server = ChannelServer(channel, rasa)
    await server.start()
    http = aiohttp.ClientSession()
    try:
        yield Harness(channel, rasa, server.url, http, platform or Platform())
    finally:
        await http.close()
        await server.stop()
