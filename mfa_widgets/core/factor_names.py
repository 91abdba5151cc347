"""The one place sign-in factors get their names in plain words, for every panel.

``GetUserAuthFactors`` answers with API names (``PASSWORD``, ``EMAIL_OTP``, ``WEB_AUTHN``...);
every panel that lists them (preferences, passkeys, authenticator reset) shows the same words
with the API name beside them, so a presenter sees one name for one factor everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["AUTH_FACTOR_NAMES", "describe_auth_factors", "factor_name"]

#: ``GetUserAuthFactors``'s factor names in plain words.
AUTH_FACTOR_NAMES = {
    "PASSWORD": "password",
    "EMAIL_OTP": "email code",
    "SMS_OTP": "SMS code",
    "WEB_AUTHN": "passkey",
    "SOFTWARE_TOKEN": "authenticator app",
}


def factor_name(factor: object) -> str:
    """``"email code (EMAIL_OTP)"``: the plain words, then the API name (unknown: as given).

    Examples
    --------
    >>> factor_name("EMAIL_OTP")
    'email code (EMAIL_OTP)'
    >>> factor_name("NEW_FACTOR")
    'NEW_FACTOR'
    """
    api = str(factor)
    words = AUTH_FACTOR_NAMES.get(api)
    return f"{words} ({api})" if words else api


def describe_auth_factors(factors: Iterable[object], *, empty: str = "nothing") -> str:
    """The factors as one line of plain words, e.g. ``"password (PASSWORD), passkey (WEB_AUTHN)"``.

    Examples
    --------
    >>> describe_auth_factors(["PASSWORD", "WEB_AUTHN"])
    'password (PASSWORD), passkey (WEB_AUTHN)'
    >>> describe_auth_factors([])
    'nothing'
    """
    return ", ".join(factor_name(f) for f in factors) or empty
