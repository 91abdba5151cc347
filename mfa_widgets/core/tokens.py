"""Read a Cognito token's claims offline, explain why it cannot be used, and keep it out of text.

Everything here is pure Python: the signature is **not** verified and nothing is fetched. That is
enough for what the toolkit needs before calling ``SetUserMFAPreference``: catching the common
mistakes (an ID token, a TOTP secret or a refresh token pasted instead of the access token, an
expired token, an OAuth token without the ``aws.cognito.signin.user.admin`` scope) with a message
that says how to fix them, before Cognito answers with a terse ``NotAuthorizedException``.

Tokens never appear in a repr, a message or a log: :func:`redact_token` gives a short fingerprint
to show instead, and :func:`scrub_secrets` cleans server messages (moto echoes the token in its
``NotAuthorizedException``).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

from mfa_widgets.core.errors import ArgumentTypeError, InvalidArgumentError, TokenError
from mfa_widgets.core.redaction import redact_token

__all__ = [
    "ADMIN_SCOPE",
    "TokenInfo",
    "TokenProblem",
    "check_access_token",
    "inspect_token",
]

#: The scope an access token needs for SetUserMFAPreference, GetUser and the other public ops.
ADMIN_SCOPE = "aws.cognito.signin.user.admin"
# The ``token_use`` claim values of Cognito's access and ID tokens.
_ACCESS = "access"
_ID = "id"

_SEGMENT = r"[A-Za-z0-9_-]"
_BASE32_SECRET = re.compile(r"[A-Z2-7]{16,128}={0,6}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_COGNITO_HOST = re.compile(r"cognito-idp(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?")
_POOL_ID = re.compile(r"([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9A-Za-z]+")


@dataclass(frozen=True)
class TokenProblem:
    """One reason a token cannot authorize ``SetUserMFAPreference``.

    Parameters
    ----------
    code
        ``"empty"``, ``"malformed"``, ``"id_token"``, ``"not_access_token"``, ``"expired"`` or
        ``"missing_scope"`` (the same tags as :class:`~mfa_widgets.core.errors.TokenError.problem`).
    message
        What is wrong and how to fix it; never contains the token.
    """

    code: str
    message: str


@dataclass(frozen=True)
class TokenInfo:
    """The claims of a token that matter for MFA calls; the token itself is not kept.

    Attributes
    ----------
    fingerprint
        :func:`redact_token` of the token: safe to show and log.
    token_use
        ``"access"`` or ``"id"`` for Cognito tokens, ``None`` when absent or unreadable.
    scope
        The space-separated ``scope`` claim, split.
    exp, expires_at
        Expiry as a Unix time and as an aware UTC datetime.
    seconds_left
        Seconds from ``now`` (as given to :func:`inspect_token`) to expiry; negative once expired.
    iss, region, user_pool_id
        The issuer and what it names (``https://cognito-idp.<region>.amazonaws.com/<pool>``; for
        a local emulator's issuer the region comes from the pool id prefix).
    username, sub, client_id
        ``username`` (access) or ``cognito:username`` (ID token); ``client_id`` (access) or
        ``aud`` (ID token).
    problems
        Everything that stops this token from authorizing ``SetUserMFAPreference``, most
        fundamental first; empty when it looks usable.
    """

    fingerprint: str
    token_use: str | None = None
    scope: tuple[str, ...] = ()
    exp: int | None = None
    expires_at: datetime | None = None
    seconds_left: float | None = None
    iss: str | None = None
    region: str | None = None
    user_pool_id: str | None = None
    username: str | None = None
    sub: str | None = None
    client_id: str | None = None
    problems: tuple[TokenProblem, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """True when no problem was found (the signature is still unchecked)."""
        return not self.problems

    @property
    def is_access_token(self) -> bool:
        """True for a Cognito access token (``token_use`` is ``"access"``)."""
        return self.token_use == _ACCESS

    @property
    def has_admin_scope(self) -> bool:
        """True when the token carries ``aws.cognito.signin.user.admin``."""
        return ADMIN_SCOPE in self.scope


def inspect_token(token: str, now: datetime | float | None = None) -> TokenInfo:
    """Decode a token's claims without verifying it, and list what stops it being used.

    Never raises for bad input: a string that is not a JWT gives a :class:`TokenInfo` with
    empty claims and a ``"malformed"`` (or ``"empty"``) problem.

    Parameters
    ----------
    token
        The token text; surrounding whitespace is ignored.
    now
        The time to judge expiry against (aware datetime or Unix seconds); the current time
        when ``None``.

    Returns
    -------
    TokenInfo
        The claims, and ``problems`` in the order :func:`check_access_token` reports them.
    """
    if token is not None and not isinstance(token, str):
        raise ArgumentTypeError(
            f"the token must be text, not a {type(token).__name__}: pass "
            "AuthenticationResult['AccessToken'] (a JWT string)"
        )
    at = _as_timestamp(now)  # checked first: a bad ``now`` is a mistake whatever the token
    token = (token or "").strip()
    fingerprint = redact_token(token)
    shape_problem = _shape_problem(token)
    if shape_problem is not None:
        return TokenInfo(fingerprint=fingerprint, problems=(shape_problem,))
    claims = _decode_claims(token)
    if isinstance(claims, TokenProblem):
        return TokenInfo(fingerprint=fingerprint, problems=(claims,))
    return _info_from_claims(fingerprint, claims, at)


def check_access_token(token: str, now: datetime | float | None = None) -> TokenInfo:
    """Return the token's :class:`TokenInfo`, or raise if it cannot authorize MFA calls.

    Parameters
    ----------
    token
        What the user passed as the access token.
    now
        As for :func:`inspect_token`.

    Raises
    ------
    TokenError
        For the first (most fundamental) problem: ``empty``, ``malformed``, ``id_token``,
        ``not_access_token``, ``expired`` or ``missing_scope``. The message says how to fix it
        and never contains the token.
    """
    info = inspect_token(token, now)
    if info.problems:
        first = info.problems[0]
        raise TokenError(first.message, first.code)
    return info


# -- shape: is it a JWT at all? -------------------------------------------------------------------


def _shape_problem(token: str) -> TokenProblem | None:
    """Explain why ``token`` is not a three-segment JWT, or ``None`` when it is shaped like one."""
    if not token:
        return TokenProblem(
            "empty",
            "the access token is empty: sign in (InitiateAuth) and pass "
            "AuthenticationResult['AccessToken']",
        )
    if token.lower().startswith("bearer "):
        return TokenProblem(
            "malformed",
            "the access token starts with 'Bearer ' (an Authorization header value): pass "
            "the token without that prefix",
        )
    found = _what_it_looks_like(token)
    if found is None:
        return None
    return TokenProblem(
        "malformed",
        f"this is not an access token: {found}. Pass AuthenticationResult['AccessToken'] "
        "from InitiateAuth or RespondToAuthChallenge (a JWT of three dot-separated parts "
        "starting with 'eyJ')",
    )


def _what_it_looks_like(token: str) -> str | None:
    """A plain description of a non-JWT string, or ``None`` for a three-segment JWT."""
    segments = token.split(".")
    if len(segments) == 5:
        return "it has 5 segments, like Cognito's encrypted refresh token"
    if len(segments) == 3 and all(re.fullmatch(f"{_SEGMENT}*", s) for s in segments):
        return None
    if _BASE32_SECRET.fullmatch(token):
        return "it looks like a TOTP secret (base32 text from AssociateSoftwareToken)"
    if token.isdigit() and len(token) <= 8:
        return "it looks like a one-time code"
    if _UUID.fullmatch(token):
        return "it looks like a UUID (an emulator's refresh token or session id)"
    if len(segments) == 3:
        return "it has 3 segments but characters outside base64url"
    plural = "" if len(segments) == 1 else "s"
    return f"it has {len(segments)} segment{plural}, a JWT has 3"


def _decode_claims(token: str) -> dict[str, Any] | TokenProblem:
    """The payload of a three-segment JWT as a dict, or the problem that stops decoding."""
    header_text, payload_text, _signature = token.split(".")
    header, payload = _decode_segment(header_text), _decode_segment(payload_text)
    for name, decoded in (("header", header), ("payload", payload)):
        if not isinstance(decoded, dict):
            return TokenProblem(
                "malformed",
                f"this is not an access token: its {name} is not base64url-encoded JSON. "
                "Copy the whole AuthenticationResult['AccessToken'] value",
            )
    assert isinstance(payload, dict)
    return payload


def _decode_segment(text: str) -> object:
    """Decode one base64url JSON segment; ``None`` when it is not that."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        return json.loads(raw)
    except (binascii.Error, ValueError):
        return None


# -- claims ---------------------------------------------------------------------------------------


def _info_from_claims(fingerprint: str, claims: Mapping[str, Any], now: float) -> TokenInfo:
    """Build :class:`TokenInfo` from decoded claims and judge them against ``now``."""
    token_use = _text_claim(claims, "token_use")
    scope = tuple(str(claims.get("scope") or "").split())
    exp = _expiry(claims.get("exp"))
    iss = _text_claim(claims, "iss")
    region, user_pool_id = _parse_issuer(iss)
    info = TokenInfo(
        fingerprint=fingerprint,
        token_use=token_use,
        scope=scope,
        exp=exp,
        expires_at=datetime.fromtimestamp(exp, tz=timezone.utc) if exp is not None else None,
        seconds_left=(exp - now) if exp is not None else None,
        iss=iss,
        region=region,
        user_pool_id=user_pool_id,
        username=_text_claim(claims, "username") or _text_claim(claims, "cognito:username"),
        sub=_text_claim(claims, "sub"),
        client_id=_text_claim(claims, "client_id") or _audience(claims),
    )
    checked = _with_problems(info)
    if exp is None and claims.get("exp") is not None:
        bad_exp = TokenProblem(
            "malformed",
            "the token's exp claim is not a date (not a number, or far outside years 1-9999), "
            "so Cognito did not issue it: sign in again and pass the new "
            "AuthenticationResult['AccessToken']",
        )
        checked = replace(checked, problems=(bad_exp, *checked.problems))
    return checked


def _with_problems(info: TokenInfo) -> TokenInfo:
    """Return ``info`` with its claim problems listed, most fundamental first."""
    problems: list[TokenProblem] = []
    if info.token_use == _ID:
        problems.append(
            TokenProblem(
                "id_token",
                "this is an ID token (token_use=id); SetUserMFAPreference needs the access "
                "token: use AuthenticationResult['AccessToken']",
            )
        )
    elif info.token_use != _ACCESS:
        found = f"token_use={info.token_use}" if info.token_use else "no token_use claim"
        problems.append(
            TokenProblem(
                "not_access_token",
                f"this JWT is not a Cognito access token ({found}); use "
                "AuthenticationResult['AccessToken'] from InitiateAuth",
            )
        )
    if info.seconds_left is not None and info.seconds_left <= 0:
        assert info.expires_at is not None
        ago = _human_duration(-info.seconds_left)
        problems.append(
            TokenProblem(
                "expired",
                f"the token expired {ago} ago (at {info.expires_at:%Y-%m-%d %H:%M:%S} "
                "UTC): sign in again, or refresh it with InitiateAuth REFRESH_TOKEN_AUTH",
            )
        )
    if info.token_use == _ACCESS and not info.has_admin_scope:
        has = " ".join(info.scope) or "none"
        problems.append(
            TokenProblem(
                "missing_scope",
                f"the access token lacks the scope {ADMIN_SCOPE} (it has: {has}), so Cognito "
                "answers 'Access Token does not have required scopes'. Sign in with "
                f"InitiateAuth (its tokens carry the scope), or request {ADMIN_SCOPE} in the "
                "OAuth authorize call and allow it on the app client",
            )
        )
    return replace(info, problems=tuple(problems))


#: The Unix times a datetime can hold (years 1 to 9999): an ``exp`` outside is not a time.
_FIRST_TIME = -62135596800
_LAST_TIME = 253402300799


def _expiry(value: object) -> int | None:
    """The ``exp`` claim as Unix seconds; ``None`` when absent, not a number, or not a date."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if not _FIRST_TIME <= value <= _LAST_TIME:  # int comparison: no float overflow
        return None
    return int(value)


def _text_claim(claims: Mapping[str, Any], name: str) -> str | None:
    value = claims.get(name)
    return value if isinstance(value, str) and value else None


def _audience(claims: Mapping[str, Any]) -> str | None:
    """The ID token's ``aud``: a string, or the first of a list."""
    aud = claims.get("aud")
    if isinstance(aud, list) and aud and isinstance(aud[0], str):
        return aud[0]
    return aud if isinstance(aud, str) and aud else None


def _parse_issuer(iss: str | None) -> tuple[str | None, str | None]:
    """``(region, user_pool_id)`` from an issuer URL; ``(None, None)`` when it names no pool.

    Real Cognito: ``https://cognito-idp.<region>.amazonaws.com/<pool>``. A local emulator may
    issue ``http://127.0.0.1:<port>/<pool>``; there the region is the pool id's prefix
    (``us-east-1_AbC`` is in ``us-east-1``).
    """
    if not iss:
        return None, None
    parts = urlsplit(iss)
    pool = parts.path.rstrip("/").rsplit("/", 1)[-1] or None
    pool_match = _POOL_ID.fullmatch(pool) if pool else None
    host_match = _COGNITO_HOST.fullmatch(parts.hostname or "")
    if host_match:
        return host_match.group(1), pool
    if pool_match:
        return pool_match.group(1), pool
    return None, None


def _as_timestamp(now: datetime | float | None) -> float:
    if now is None:
        return datetime.now(tz=timezone.utc).timestamp()
    if isinstance(now, datetime):
        if now.tzinfo is None:
            raise InvalidArgumentError(
                "now must be timezone-aware (e.g. datetime.now(timezone.utc))"
            )
        return now.timestamp()
    if isinstance(now, bool) or not isinstance(now, (int, float)) or not math.isfinite(now):
        raise InvalidArgumentError(
            f"now must be an aware datetime or finite Unix seconds, not {now!r:.40}: "
            "pass datetime.now(timezone.utc), time.time(), or None for the current time"
        )
    return float(now)


def _human_duration(seconds: float) -> str:
    """``"1 second"``, ``"42 seconds"``, ``"3 minutes"``, ``"2 hours"``, ``"5 days"``."""
    whole = int(seconds)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if whole >= size:
            count = whole // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{whole} second{'' if whole == 1 else 's'}"
