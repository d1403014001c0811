"""Rasa input channels staff actually use, and the protocol pieces behind them.

Channels (configured in credentials.yml by class path; see docs/channels.md):
- `bot.channels.wecom.WeComInput`     WeCom (企业微信) self-built app callback, replies via `message/send`.
- `bot.channels.wechat.WeChatInput`   WeChat official account in safe mode, replies via customer-service messages.
- `bot.channels.counter.CounterInput` the counter voice box: JWT-authenticated transcripts, synchronous reply.

`tencent_callback` holds what the two Tencent callbacks share (verify, decrypt, dedupe, acknowledge,
answer in the background). Protocol modules have no Rasa in them: `wx_crypto` (signature, AES-CBC
envelope), `wx_xml` (safe XML), `wecom_api` / `wechat_api` (token cache, retries, rate limit, splitting),
`dedupe` (seen-message stores). `identity` maps platform ids to staff, `replies` holds the channels'
own Chinese wording, `admin` the `bind-openid` command.
"""
