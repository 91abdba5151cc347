"""RFC 6238 time-based one-time passwords (SHA1, 30-second steps, 6 digits), core and pure.

Authenticator apps compute these codes from the secret ``AssociateSoftwareToken`` returns. The
sandbox gives every user their own random 160-bit secret (moto shares one fixed 60-bit secret
between all users) and accepts the code of the current step and of one step either side, as
authenticator apps drift by a few seconds; the sweep provisioner uses the same functions to
register authenticators over the wire.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time

__all__ = ["STEP_SECONDS", "new_secret", "normalise_code", "totp_code", "verify_totp"]

STEP_SECONDS = 30
DIGITS = 6


def new_secret() -> str:
    """A fresh random 160-bit secret, base32 without padding (what authenticator apps expect)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _hotp(secret: str, counter: int) -> str:
    """RFC 4226 HOTP of ``counter`` under the base32 ``secret``."""
    padded = secret.upper() + "=" * (-len(secret) % 8)
    digest = hmac.new(base64.b32decode(padded), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**DIGITS).zfill(DIGITS)


def totp_code(secret: str, at: float | None = None) -> str:
    """The 6-digit code for ``secret`` at Unix time ``at`` (default: now)."""
    moment = time.time() if at is None else at
    return _hotp(secret, int(moment // STEP_SECONDS))


def verify_totp(secret: str, code: str, at: float | None = None, window: int = 1) -> bool:
    """True when ``code`` matches the step at ``at`` or up to ``window`` steps before/after it."""
    if not (isinstance(code, str) and len(code) == DIGITS and code.isdigit()):
        return False
    moment = time.time() if at is None else at
    step = int(moment // STEP_SECONDS)
    return any(
        hmac.compare_digest(_hotp(secret, step + delta), code)
        for delta in range(-window, window + 1)
    )


def normalise_code(typed: str) -> str:
    """A one-time code as typed -> as Cognito wants it: digit groups joined (``"123 456"``).

    People copy codes as ``123 456`` or ``123-456`` (how apps and emails show them); only spaces
    and hyphens between digits are dropped, so anything else still reaches Cognito unchanged and
    is refused there with its own message.

    Examples
    --------
    >>> normalise_code(" 123 456 ")
    '123456'
    >>> normalise_code("12a 456")
    '12a 456'
    """
    stripped = typed.strip()
    joined = stripped.replace(" ", "").replace("-", "").replace("\u00a0", "")
    return joined if joined.isdigit() else stripped
