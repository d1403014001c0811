"""Settings shared by the production drills: where PostgreSQL and Redis are, the test bank, channel secrets."""

from __future__ import annotations

import os

PG_URL = os.environ.get("BOT_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TODAY = "2026-11-18"
CUSTOMERS = 600  # 3 branches, 12 RMs: enough books to cross
SEED = 20261122
WECHAT_OPENID = "oProdTestRm01OpenId0000000001"  # bound to rm01 for the WeChat drills

# The channel settings the stack runs with; the tests play WeCom, WeChat and the counter terminals with them.
SECRETS = {
    "WECOM_CORP_ID": "wwprodtest000001",
    "WECOM_AGENT_ID": "1000002",
    "WECOM_APP_SECRET": "prodtest-wecom-secret",
    "WECOM_TOKEN": "prodtestWecomToken",
    "WECOM_ENCODING_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    "WECHAT_APP_ID": "wxprodtest000001",
    "WECHAT_APP_SECRET": "prodtest-wechat-secret",
    "WECHAT_TOKEN": "prodtestWechatToken",
    "WECHAT_ENCODING_AES_KEY": "GFEDCBA9876543210zyxwvutsrqponmlkjihgfedcba",
    "BOT_COUNTER_JWT_SECRET": "prodtest-counter-secret-0123456789abcdef",
}
