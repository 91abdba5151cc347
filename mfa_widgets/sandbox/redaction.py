"""Keep request secrets out of error messages that come back from moto.

moto puts the offending value into some messages (``NotAuthorizedException: <the token>``,
``ResourceNotFoundException: <session id>``). Such a message is replaced by the text Cognito uses.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from mfa_widgets.tokens import scrub_secrets

__all__ = ["request_secrets", "safe_message"]

#: Request keys whose values are secret (anywhere in the document, e.g. inside AuthParameters).
SECRET_KEYS = frozenset(
    {
        "AccessToken",
        "RefreshToken",
        "Token",
        "Session",
        "Password",
        "TemporaryPassword",
        "PreviousPassword",
        "ProposedPassword",
        "PASSWORD",
        "NEW_PASSWORD",
        "SECRET_HASH",
        "SecretHash",
        "UserCode",
        "ConfirmationCode",
        "Code",
        "ClientSecret",
    }
)

#: Which message replaces a scrubbed one, by the secret that leaked.
_REPLACEMENTS = {
    "AccessToken": "Invalid Access Token",
    "RefreshToken": "Invalid Refresh Token",
    "Token": "Invalid token",
    "Session": "Invalid session for the user.",
}


def _walk(document: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(document, Mapping):
        for k, v in document.items():
            yield from _walk(v, str(k))
    elif isinstance(document, list):
        for item in document:
            yield from _walk(item, key)
    elif isinstance(document, str) and (key in SECRET_KEYS or key.endswith("_CODE")):
        yield key, document


def request_secrets(request: Mapping[str, Any]) -> dict[str, str]:
    """Secret values in ``request``, keyed by the field they came from."""
    return {value: key for key, value in _walk(request) if value}


def safe_message(message: str, request: Mapping[str, Any]) -> str:
    """``message`` unless it contains a secret of ``request`` (or any JWT); else a safe text."""
    secrets = request_secrets(request)
    scrubbed = scrub_secrets(message, secrets)
    if scrubbed == message:
        return message
    leaked = [field for value, field in secrets.items() if value in message]
    for field in leaked:
        if field in _REPLACEMENTS:
            return _REPLACEMENTS[field]
    return scrubbed
