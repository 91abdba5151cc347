"""Keep secrets out of everything shown, logged or saved: one list of secret keys, one scrubber.

Every layer redacts with these names: the client (requests shown in results and the log), the
sandbox (messages moto would echo), the log (free text). A key is secret when it is in
:data:`SECRET_KEYS` or ends in ``_CODE`` (``SMS_MFA_CODE``, ``EMAIL_OTP_CODE``,
``SOFTWARE_TOKEN_MFA_CODE``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

__all__ = [
    "JWT_PATTERN",
    "MIN_SCRUB_LENGTH",
    "REDACTED",
    "SECRET_KEYS",
    "is_secret_key",
    "looks_like_secret",
    "redact_request",
    "redact_token",
    "scrub_param_values",
    "scrub_secrets",
    "secret_values",
    "secrets_by_key",
]

#: Request and response keys whose values are secret, anywhere in a document (also inside
#: ``AuthParameters`` and ``ChallengeResponses``).
SECRET_KEYS = frozenset(
    {
        "AccessToken",
        "IdToken",
        "RefreshToken",
        "Token",
        "Session",
        "Password",
        "TemporaryPassword",
        "PreviousPassword",
        "ProposedPassword",
        "PASSWORD",
        "NEW_PASSWORD",
        "REFRESH_TOKEN",
        "PASSWORD_CLAIM_SIGNATURE",
        "PasswordVerifier",
        "SECRET_HASH",
        "SecretHash",
        "SecretCode",
        "UserCode",
        "ConfirmationCode",
        "Code",
        "ClientSecret",
        "AuthenticationResult",
    }
)

#: What a redacted value is replaced by.
REDACTED = "<redacted>"

_SEGMENT = r"[A-Za-z0-9_-]"
#: A JWS has three base64url segments, a JWE (Cognito's refresh token) five. The header of every
#: JOSE object starts with '{"', which base64url-encodes to "eyJ"; without that prefix demand long
#: segments so host names such as cognito-idp.us-east-1.amazonaws.com are left alone.
JWT_PATTERN = re.compile(
    rf"(?<!{_SEGMENT})(?:eyJ{_SEGMENT}*(?:\.{_SEGMENT}*){{2,4}}"
    rf"|{_SEGMENT}{{16,}}(?:\.{_SEGMENT}{{16,}}){{2,4}})(?!{_SEGMENT})"
)


def is_secret_key(key: str) -> bool:
    """True when values under ``key`` are secret (a listed key, or one-time-code ``*_CODE``)."""
    return key in SECRET_KEYS or key.endswith("_CODE")


def _walk(document: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(document, Mapping):
        for k, v in document.items():
            yield from _walk(v, str(k))
    elif isinstance(document, (list, tuple)):
        for item in document:
            yield from _walk(item, key)
    elif isinstance(document, str) and document and is_secret_key(key):
        yield key, document


def secret_values(document: Any) -> list[str]:
    """Every secret string in ``document`` (nested mappings and lists included)."""
    return [value for _, value in _walk(document)]


def secrets_by_key(document: Any) -> dict[str, str]:
    """Secret values in ``document``, each mapped to the key it came from."""
    return {value: key for key, value in _walk(document)}


def redact_request(document: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` safe to show and log: values under secret keys replaced.

    Mappings nested in mappings and in lists are redacted too, whatever the secret's type (a
    password passed as a number is still a password).
    """
    safe: dict[str, Any] = {}
    for key, value in document.items():
        safe[key] = REDACTED if is_secret_key(str(key)) else _redact_value(value)
    return safe


def _redact_value(value: Any) -> Any:
    if isinstance(value, Mapping):
        return redact_request(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_redact_value(item) for item in value)
    return value


def redact_token(token: str) -> str:
    """A short, stable fingerprint of a secret that is safe to show, e.g. ``eyJraWQi…#3fa2c1``.

    For JWTs the first eight characters (the start of the public header) are kept so people can
    tell tokens apart; for anything else only the hash is shown, because the start of a TOTP
    secret or a one-time code *is* secret.

    Parameters
    ----------
    token
        Any secret string.

    Returns
    -------
    str
        ``"<empty>"`` for an empty string, else a prefix (JWTs only) and six hex digits of the
        SHA-256 of the text.
    """
    if not token:
        return "<empty>"
    # surrogatepass: text from undecodable bytes (a lone surrogate) still gets a fingerprint
    digest = hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    prefix = token[:8] if token.startswith("eyJ") and len(token) > 16 else ""
    return f"{prefix}…#{digest}"


#: Secrets shorter than this are not searched for in free text: replacing "a" or "x1" everywhere
#: would mangle every message while protecting nothing (Cognito passwords and one-time codes are
#: at least 6 characters). Short secrets are kept out by key instead (:func:`redact_request`).
MIN_SCRUB_LENGTH = 6


def scrub_secrets(text: str, secrets: Iterable[str] = ()) -> str:
    """Remove every JWT-shaped string and each given secret from ``text``.

    Used on server error messages before they are shown or logged.

    Parameters
    ----------
    text
        Any text, e.g. ``"Invalid token eyJ...signature"``.
    secrets
        Exact strings to remove as well (passwords, TOTP secrets, one-time codes). Strings
        shorter than :data:`MIN_SCRUB_LENGTH` are ignored, so a message is never mangled letter
        by letter; longer secrets are replaced first so one secret inside another cannot leak.

    Returns
    -------
    str
        The text with each JWT replaced by ``[token <fingerprint>]`` and each secret by
        ``[redacted]``.
    """
    wanted = {s for s in secrets if isinstance(s, str) and len(s) >= MIN_SCRUB_LENGTH}
    for secret in sorted(wanted, key=len, reverse=True):
        text = text.replace(secret, "[redacted]")
    return JWT_PATTERN.sub(lambda m: f"[token {redact_token(m.group(0))}]", text)


#: botocore's parameter-validation messages quote the value: ``parameter X, value: V, ...``.
_PARAM_VALUE = re.compile(r"(parameter ([\w.\[\]]+), value: )(.*?)(?=, (?:type|valid)|$)", re.M)


def scrub_param_values(text: str) -> str:
    """Hide the value botocore quotes for a parameter whose key is secret (any length, any type).

    ``Invalid type for parameter AuthParameters.PASSWORD, value: 12, type: <class 'int'>``
    becomes ``... PASSWORD, value: <redacted>, type: ...``; other parameters are left alone.
    """

    def hide(match: re.Match[str]) -> str:
        key = re.split(r"[.\[\]]", match.group(2).rstrip("]"))[-1]
        return match.group(1) + REDACTED if is_secret_key(key) else match.group(0)

    return _PARAM_VALUE.sub(hide, text)


_PASSWORD_SYMBOLS = set("^$*[]{}()?\"!@#%&/\\,><':;|~`=+-_.")
_EASY_SYMBOLS = set("@._-+ ")
_LONG_RANDOM = re.compile(r"[A-Za-z0-9+/=_-]{32,}")


def looks_like_secret(text: str) -> bool:
    """True when a whole free-text value (a username, a label) is shaped like a secret.

    Catches what people paste into the wrong box: a JWT, a password that meets Cognito's default
    policy (upper and lower case, a digit, and a symbol other than ``@ . _ - +``, no spaces,
    8-256 characters), a TOTP secret (16+ characters of base32), or 32+ characters of base64.
    Ordinary names (``alice``, ``j.smith-2``, ``alice@example.com``) do not match.
    """
    value = text.strip()
    if JWT_PATTERN.search(value):
        return True
    if len(value) >= 16 and re.fullmatch(r"[A-Z2-7]+=*", value):
        return True
    if _LONG_RANDOM.fullmatch(value) and any(c.isdigit() for c in value):
        return True
    if not 8 <= len(value) <= 256 or any(c.isspace() for c in value):
        return False
    kinds = (
        any(c.isupper() for c in value),
        any(c.islower() for c in value),
        any(c.isdigit() for c in value),
        any(c in _PASSWORD_SYMBOLS and c not in _EASY_SYMBOLS for c in value),
    )
    return all(kinds)
