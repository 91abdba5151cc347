"""The JSON wire format of cognito-idp (``application/x-amz-json-1.1``) and its errors."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["CONTENT_TYPE", "TARGET_PREFIX", "CognitoError", "json_body", "to_wire"]

CONTENT_TYPE = "application/x-amz-json-1.1"
TARGET_PREFIX = "AWSCognitoIdentityProviderService."


class CognitoError(Exception):
    """An error the sandbox answers with, as Cognito would: a code, a message and a status.

    Parameters
    ----------
    code
        The exception name botocore reports as ``Error.Code``, e.g. ``"NotAuthorizedException"``.
    message
        The ``Error.Message`` text. Never a token, password or code.
    status
        The HTTP status (400 for every client error Cognito raises).
    """

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status

    def body(self) -> dict[str, str]:
        """The JSON error document botocore parses."""
        return {"__type": self.code, "message": self.message}


def not_authorized(message: str) -> CognitoError:
    """``NotAuthorizedException`` with ``message``."""
    return CognitoError("NotAuthorizedException", message)


def invalid_parameter(message: str) -> CognitoError:
    """``InvalidParameterException`` with ``message``."""
    return CognitoError("InvalidParameterException", message)


def to_wire(document: Mapping[str, Any]) -> bytes:
    """Serialise a response document."""
    return json.dumps(document, default=str).encode("utf-8")


def json_body(raw: bytes) -> dict[str, Any]:
    """Parse a request body; an empty or non-object body reads as ``{}``."""
    if not raw:
        return {}
    try:
        parsed = json.loads(raw)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def wire_headers(length: int, extra: Iterable[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """Response headers for a JSON body of ``length`` bytes."""
    return [("Content-Type", CONTENT_TYPE), ("Content-Length", str(length)), *extra]
