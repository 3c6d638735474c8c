"""Verification codes of credit reports: a random serial plus a keyed check, in groups of four.

The check (an HMAC of the serial under a key derived from SECRET_KEY) rejects a
mistyped or invented code before the database is asked; only a code the system
issued carries a check that matches. A code printed under an earlier key still
verifies while that key is listed in SECRET_KEY_FALLBACKS (Django's key rotation).
Crockford's base-32 alphabet: no I, L, O, U, and a reader's O, I and L are taken
as 0, 1 and 1.
"""

from __future__ import annotations

import hmac
import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SERIAL_LENGTH = 16  # 80 random bits
CHECK_LENGTH = 4  # 20 bits: one invented code in about a million passes the check
_SALT = "laborcredit.reports.verification-code"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _check(serial: str, secret: str | None = None) -> str:
    digest = salted_hmac(_SALT, serial, secret=secret, algorithm="sha256").digest()
    number = int.from_bytes(digest[:4], "big") >> (32 - 5 * CHECK_LENGTH)
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(CHECK_LENGTH)))


def new_serial() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(SERIAL_LENGTH))


def code_for(serial: str) -> str:
    """The printed code of a serial: serial and check, groups of four joined by hyphens."""
    plain = serial + _check(serial)
    return "-".join(plain[i : i + 4] for i in range(0, len(plain), 4))


def serial_of(code: str) -> str | None:
    """The serial a typed code stands for, or None when it is malformed or its check fails."""
    plain = "".join(ch for ch in (code or "").upper() if ch not in " -\t").translate(_READ_AS)
    if len(plain) != SERIAL_LENGTH + CHECK_LENGTH or any(ch not in ALPHABET for ch in plain):
        return None
    serial, check = plain[:SERIAL_LENGTH], plain[SERIAL_LENGTH:]
    for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS):
        if hmac.compare_digest(check, _check(serial, secret)):
            return serial
    return None
