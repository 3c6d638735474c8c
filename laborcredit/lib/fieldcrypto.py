"""Personal information encrypted at rest (DT4): ID and phone numbers.

AES-256-GCM with a key from the environment (`LABORCREDIT_FIELD_KEY`, 32
bytes in URL-safe base64); where it is not set (development, tests) a key is
made once in the data folder, outside the database. A keyed hash (HMAC) of
the normalised value, the "blind index", lets an exact number be found
without storing it in the clear.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models

PREFIX = "v1:"


class FieldKeyError(RuntimeError):
    pass


@cache
def _key() -> bytes:
    configured = os.environ.get("LABORCREDIT_FIELD_KEY", "")
    if configured:
        raw = base64.urlsafe_b64decode(configured.encode() + b"=" * (-len(configured) % 4))
    else:
        if getattr(settings, "PRODUCTION", False):
            raise FieldKeyError(
                "生产环境必须通过环境变量 LABORCREDIT_FIELD_KEY 提供个人信息加密密钥"
            )
        path = Path(settings.DATA_DIR) / "keys" / "field-key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(base64.urlsafe_b64encode(AESGCM.generate_key(256)).decode())
        raw = base64.urlsafe_b64decode(path.read_text().strip())
    if len(raw) != 32:
        raise FieldKeyError("个人信息加密密钥应为32字节（URL安全的Base64编码）")
    return raw


def encrypt(plaintext: str) -> str:
    if not plaintext:
        return ""
    nonce = os.urandom(12)
    sealed = AESGCM(_key()).encrypt(nonce, plaintext.encode(), PREFIX.encode())
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    if not token.startswith(PREFIX):
        raise FieldKeyError("密文格式无法识别")
    blob = base64.urlsafe_b64decode(token[len(PREFIX) :].encode())
    return AESGCM(_key()).decrypt(blob[:12], blob[12:], PREFIX.encode()).decode()


def blind_index(value: str) -> str:
    """A keyed hash of the normalised value, to find an exact number without decrypting."""
    if not value:
        return ""
    normalised = value.strip().upper().replace(" ", "")
    return hmac.new(_key(), b"index:" + normalised.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column whose database value is AES-GCM ciphertext; Python sees plaintext."""

    def from_db_value(self, value, expression, connection):  # type: ignore[no-untyped-def]
        return decrypt(value) if value else value

    def get_prep_value(self, value):  # type: ignore[no-untyped-def]
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
