"""RFC 6238 time-based one-time passwords (SHA1, 30-second steps, 6 digits), core and pure.

Authenticator apps compute these codes from the secret ``AssociateSoftwareToken`` returns. The
sandbox gives every user their own random 160-bit secret (moto shares one fixed 60-bit secret
between all users) and accepts the code of the current step and of one step either side, as
authenticator apps drift by a few seconds; the sweep provisioner uses the same functions to
register authenticators over the wire.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import secrets
import struct
import time

from mfa_widgets.core.errors import InvalidArgumentError
from mfa_widgets.core.validation import need_count, need_text

__all__ = ["STEP_SECONDS", "new_secret", "normalise_code", "totp_code", "verify_totp"]

STEP_SECONDS = 30
DIGITS = 6


def new_secret() -> str:
    """A fresh random 160-bit secret, base32 without padding (what authenticator apps expect)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    """The key bytes of a base32 secret (any case, padding optional)."""
    fix = "pass the base32 SecretCode from AssociateSoftwareToken (letters A-Z and digits 2-7)"
    need_text(secret, "secret", fix, secret=True, max_length=1024)
    text = secret.strip().upper().rstrip("=")
    try:
        return base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        raise InvalidArgumentError(f"the TOTP secret is not base32 text: {fix}") from None


def _step(at: float | None) -> int:
    """The 30-second step of Unix time ``at`` (default: now)."""
    if at is None:
        return int(time.time() // STEP_SECONDS)
    if isinstance(at, bool) or not isinstance(at, (int, float)) or not math.isfinite(at):
        raise InvalidArgumentError(
            f"at must be Unix seconds (a finite number) or None for now, not {at!r:.40}"
        )
    step = int(at // STEP_SECONDS)
    if not 0 <= step < 2**63:  # the counter is an unsigned 64-bit number
        raise InvalidArgumentError(f"at={at!r:.40} is outside the times a TOTP counter can hold")
    return step


def _hotp(secret: str, counter: int) -> str:
    """RFC 4226 HOTP of ``counter`` under the base32 ``secret``."""
    digest = hmac.new(_key(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**DIGITS).zfill(DIGITS)


def totp_code(secret: str, at: float | None = None) -> str:
    """The 6-digit code for ``secret`` at Unix time ``at`` (default: now)."""
    return _hotp(secret, _step(at))


def verify_totp(secret: str, code: str, at: float | None = None, window: int = 1) -> bool:
    """True when ``code`` matches the step at ``at`` or up to ``window`` steps before/after it."""
    _key(secret)  # a bad secret is a mistake, not a wrong code
    step = _step(at)
    need_count(window, "window", minimum=0, maximum=10)
    if not (isinstance(code, str) and len(code) == DIGITS and code.isdigit()):
        return False
    return any(
        hmac.compare_digest(_hotp(secret, step + delta), code)
        for delta in range(-window, window + 1)
        if 0 <= step + delta < 2**63
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
