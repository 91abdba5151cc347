"""Keep request secrets out of error messages that come back from moto.

moto puts the offending value into some messages (``NotAuthorizedException: <the token>``,
``ResourceNotFoundException: <session id>``). Such a message is replaced by the text Cognito uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mfa_widgets.core.redaction import scrub_secrets, secrets_by_key

__all__ = ["safe_message"]

#: Which message replaces a scrubbed one, by the secret that leaked.
_REPLACEMENTS = {
    "AccessToken": "Invalid Access Token",
    "RefreshToken": "Invalid Refresh Token",
    "Token": "Invalid token",
    "Session": "Invalid session for the user.",
}


def safe_message(message: str, request: Mapping[str, Any]) -> str:
    """``message`` unless it contains a secret of ``request`` (or any JWT); else a safe text."""
    secrets = secrets_by_key(request)
    scrubbed = scrub_secrets(message, secrets)
    if scrubbed == message:
        return message
    leaked = [field for value, field in secrets.items() if value in message]
    for field in leaked:
        if field in _REPLACEMENTS:
            return _REPLACEMENTS[field]
    return scrubbed
