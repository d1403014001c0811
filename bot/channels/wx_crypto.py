"""Signature and message encryption shared by WeCom callbacks and WeChat safe mode.

Tencent's scheme ("WXBizMsgCrypt"):
- signature = SHA-1 hex of the strings (token, timestamp, nonce[, encrypted]) sorted and concatenated;
- key = base64(EncodingAESKey + "="), 32 bytes; AES-256-CBC with IV = key[:16];
- plaintext = 16 random bytes + 4-byte big-endian length + message + receive id, PKCS#7-padded to a
  **32-byte** block (pad values run 1..32, so a 16-byte unpadder rejects about half of real messages);
- the receive id is the CorpID for WeCom and the AppID for a WeChat official account.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAD_BLOCK = 32


class WxCryptoError(ValueError):
    """The payload cannot be trusted or read; the caller answers 4xx."""


class ReceiveIdMismatch(WxCryptoError):
    """Decrypted fine, but the message was addressed to another corp or app."""


def sha1_signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def signature_matches(expected: str | None, *parts: str) -> bool:
    if not expected:
        return False
    return hmac.compare_digest(sha1_signature(*parts), expected.strip().lower())


def pkcs7_pad(data: bytes, block: int = PAD_BLOCK) -> bytes:
    count = block - len(data) % block
    return data + bytes([count]) * count


def pkcs7_unpad(data: bytes, block: int = PAD_BLOCK) -> bytes:
    if not data:
        raise WxCryptoError("empty plaintext")
    count = data[-1]
    if not 1 <= count <= block or count > len(data) or data[-count:] != bytes([count]) * count:
        raise WxCryptoError("bad padding")
    return data[:-count]


class WxCipher:
    """Encrypts and decrypts the `Encrypt` field / `echostr` for one app."""

    def __init__(self, encoding_aes_key: str, receive_id: str) -> None:
        if len(encoding_aes_key or "") != 43:
            raise ValueError("EncodingAESKey must be 43 characters")
        try:
            key = base64.b64decode(encoding_aes_key + "=", validate=True)
        except binascii.Error as exc:
            raise ValueError("EncodingAESKey is not base64") from exc
        if len(key) != 32:
            raise ValueError("EncodingAESKey must decode to 32 bytes")
        if not receive_id:
            raise ValueError("receive id (CorpID / AppID) is required")
        self._key = key
        self._receive_id = receive_id.encode("utf-8")

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16]))

    def encrypt(self, message: bytes | str, random_prefix: bytes | None = None) -> str:
        body = message.encode("utf-8") if isinstance(message, str) else message
        prefix = os.urandom(16) if random_prefix is None else random_prefix
        if len(prefix) != 16:
            raise ValueError("random prefix must be 16 bytes")
        plain = pkcs7_pad(prefix + struct.pack(">I", len(body)) + body + self._receive_id)
        enc = self._cipher().encryptor()
        return base64.b64encode(enc.update(plain) + enc.finalize()).decode("ascii")

    def decrypt(self, encrypted: str) -> bytes:
        """The message bytes; raises WxCryptoError on anything malformed or misaddressed."""
        try:
            raw = base64.b64decode((encrypted or "").strip(), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise WxCryptoError("not base64") from exc
        if not raw or len(raw) % 16:
            raise WxCryptoError("ciphertext is not a whole number of AES blocks")
        dec = self._cipher().decryptor()
        plain = pkcs7_unpad(dec.update(raw) + dec.finalize())
        if len(plain) < 20:
            raise WxCryptoError("plaintext too short")
        (length,) = struct.unpack(">I", plain[16:20])
        if 20 + length > len(plain):
            raise WxCryptoError("declared length exceeds plaintext")
        message, receive_id = plain[20 : 20 + length], plain[20 + length :]
        if not hmac.compare_digest(receive_id, self._receive_id):
            raise ReceiveIdMismatch("message is addressed to another corp or app")
        return message
