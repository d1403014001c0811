"""wx_crypto against Tencent's published vectors and against wechatpy, an independent implementation."""

from __future__ import annotations

import base64

import pytest
from Crypto.Cipher import AES  # pycryptodome: a third implementation, for raw ciphertext surgery
from wx_fakes import (
    AES_KEY,
    APP_ID,
    CORP_ID,
    MESSAGE_SAMPLE,
    SAMPLE_AES_KEY,
    SAMPLE_CORP_ID,
    SAMPLE_TOKEN,
    TOKEN,
    VERIFY_URL_SAMPLE,
    Platform,
)

from bot.channels.wx_crypto import (
    ReceiveIdMismatch,
    WxCipher,
    WxCryptoError,
    pkcs7_pad,
    pkcs7_unpad,
    sha1_signature,
    signature_matches,
)


def test_published_verify_url_vector_signature_checks_out():
    s = VERIFY_URL_SAMPLE
    assert signature_matches(s["msg_signature"], SAMPLE_TOKEN, s["timestamp"], s["nonce"], s["echostr"])


def test_published_verify_url_vector_decrypts_to_the_sample_echo():
    plain = WxCipher(SAMPLE_AES_KEY, SAMPLE_CORP_ID).decrypt(VERIFY_URL_SAMPLE["echostr"])
    assert plain == b"1616140317555161061"


def test_published_message_vector_signature_checks_out():
    s = MESSAGE_SAMPLE
    assert sha1_signature(SAMPLE_TOKEN, s["timestamp"], s["nonce"], s["encrypt"]) == s["msg_signature"]


def test_published_message_vector_decrypts_to_the_sample_text_message():
    plain = WxCipher(SAMPLE_AES_KEY, SAMPLE_CORP_ID).decrypt(MESSAGE_SAMPLE["encrypt"]).decode()
    assert "<FromUserName><![CDATA[mycreate]]></FromUserName>" in plain
    assert "<Content><![CDATA[hello]]></Content>" in plain
    assert "<MsgId>4561255354251345929</MsgId>" in plain


def test_published_message_vector_uses_padding_longer_than_an_aes_block():
    # The reason a 16-byte PKCS#7 unpadder fails on real traffic: this sample is padded with 30 bytes.
    key = base64.b64decode(SAMPLE_AES_KEY + "=")
    raw = AES.new(key, AES.MODE_CBC, key[:16]).decrypt(base64.b64decode(MESSAGE_SAMPLE["encrypt"]))
    assert raw[-1] == 30
    assert WxCipher(SAMPLE_AES_KEY, SAMPLE_CORP_ID).decrypt(MESSAGE_SAMPLE["encrypt"]).startswith(b"<xml>")


@pytest.mark.parametrize("length", range(0, 70))
def test_wechatpy_encrypted_messages_of_every_padding_length_decrypt(length):
    text = "存" * (length // 3) + "x" * (length % 3)
    encrypted = Platform().encrypt(text)
    assert WxCipher(AES_KEY, CORP_ID).decrypt(encrypted).decode() == text


@pytest.mark.parametrize("text", ["a", "本周哪些客户理财到期？", "x" * 31, "y" * 32, "z" * 1000])
def test_our_encryption_is_read_by_wechatpy(text):
    encrypted = WxCipher(AES_KEY, CORP_ID).encrypt(text)
    assert Platform().decrypt(encrypted) == text


def test_wechat_app_id_is_the_receive_id_for_official_accounts():
    encrypted = Platform(receive_id=APP_ID, wecom=False).encrypt("<xml/>")
    assert WxCipher(AES_KEY, APP_ID).decrypt(encrypted) == b"<xml/>"


def test_message_for_another_corp_is_refused():
    encrypted = Platform(receive_id="ww_other_corp").encrypt("<xml/>")
    with pytest.raises(ReceiveIdMismatch):
        WxCipher(AES_KEY, CORP_ID).decrypt(encrypted)


@pytest.mark.parametrize(
    "garbage",
    ["", "not base64 at all!!", "QUJD", "QUJDRA==" * 3, "@@@@", "AAAA" * 4 + "="],
    ids=["empty", "not-base64", "short", "not-block-multiple", "symbols", "bad-base64-tail"],
)
def test_malformed_ciphertext_raises_crypto_error(garbage):
    with pytest.raises(WxCryptoError):
        WxCipher(AES_KEY, CORP_ID).decrypt(garbage)


def test_truncated_ciphertext_raises_crypto_error():
    encrypted = Platform().encrypt("<xml><Content>hello</Content></xml>")
    raw = base64.b64decode(encrypted)
    with pytest.raises(WxCryptoError):
        WxCipher(AES_KEY, CORP_ID).decrypt(base64.b64encode(raw[:-16]).decode())


def test_ciphertext_under_the_wrong_key_raises_crypto_error():
    encrypted = Platform(aes_key="Z" * 43).encrypt("<xml/>")
    with pytest.raises(WxCryptoError):
        WxCipher(AES_KEY, CORP_ID).decrypt(encrypted)


def test_declared_length_beyond_plaintext_is_refused():
    key = base64.b64decode(AES_KEY + "=")
    plain = pkcs7_pad(b"R" * 16 + (5000).to_bytes(4, "big") + b"<xml/>" + CORP_ID.encode())
    encrypted = base64.b64encode(AES.new(key, AES.MODE_CBC, key[:16]).encrypt(plain)).decode()
    with pytest.raises(WxCryptoError):
        WxCipher(AES_KEY, CORP_ID).decrypt(encrypted)


@pytest.mark.parametrize("length", [0, 1, 31, 32, 33])
def test_padding_is_to_32_byte_blocks(length):
    padded = pkcs7_pad(b"a" * length)
    assert len(padded) % 32 == 0 and len(padded) > length
    assert pkcs7_unpad(padded) == b"a" * length


@pytest.mark.parametrize("tail", [b"\x00", b"\x21", b"\x03\x03\x02"], ids=["zero", "above-32", "inconsistent"])
def test_bad_padding_is_refused(tail):
    with pytest.raises(WxCryptoError):
        pkcs7_unpad(b"x" * 29 + tail)


def test_signature_is_order_independent_and_rejects_a_changed_part():
    assert sha1_signature(TOKEN, "1", "2", "abc") == sha1_signature("abc", "2", TOKEN, "1")
    good = sha1_signature(TOKEN, "1", "2", "abc")
    assert signature_matches(good, TOKEN, "1", "2", "abc")
    assert not signature_matches(good, TOKEN, "1", "2", "abd")
    assert not signature_matches(None, TOKEN, "1", "2", "abc")


@pytest.mark.parametrize("key", ["short", "a" * 44, "!" * 43])
def test_invalid_encoding_aes_key_is_refused_at_startup(key):
    with pytest.raises(ValueError):
        WxCipher(key, CORP_ID)
