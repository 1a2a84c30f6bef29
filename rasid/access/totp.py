"""Time-based one-time passwords (RFC 6238, the codes authenticator apps show).

A secret is 20 random bytes, shown to the user once as base32 text and as an ``otpauth://``
address for a QR code. A code is six digits from HMAC-SHA1 over the number of 30-second
steps since 1970; a sign-in accepts the current step and one step either side (clock drift),
and never a step at or before the last one used, so a code seen once cannot be replayed.
"""

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1  # steps accepted either side of the current one


def new_secret() -> str:
    """A new secret: 160 random bits as base32 (32 characters, no padding)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    text = secret.replace(" ", "").upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def hotp(secret: str, counter: int, digits: int = DIGITS, digest: str = "sha1") -> str:
    """The HOTP code (RFC 4226) of ``counter``."""
    mac = hmac.new(_key(secret), struct.pack(">Q", counter), getattr(hashlib, digest)).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def step_at(when: float | None = None) -> int:
    """The 30-second step of a Unix time (now by default)."""
    return int((time.time() if when is None else when) // STEP_SECONDS)


def code_at(secret: str, when: float | None = None) -> str:
    """The code an authenticator shows at ``when`` (now by default)."""
    return hotp(secret, step_at(when))


def matching_step(secret: str, code: str, last_step: int, when: float | None = None) -> int | None:
    """The step whose code is ``code``, within the drift allowed and after ``last_step``;
    None when there is none (wrong, too old, or already used)."""
    digits = code.strip().replace(" ", "")
    if len(digits) != DIGITS or not digits.isdigit():
        return None
    now = step_at(when)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if step > last_step and hmac.compare_digest(hotp(secret, step), digits):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str = "Rasid") -> str:
    """The ``otpauth://`` address an authenticator app reads (usually from a QR code)."""
    label = quote(f"{issuer}:{account}")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "digits": DIGITS, "period": STEP_SECONDS}
    )
    return f"otpauth://totp/{label}?{query}"
