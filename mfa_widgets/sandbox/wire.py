"""The JSON wire format of cognito-idp (``application/x-amz-json-1.1``) and its errors."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "CONTENT_TYPE",
    "MAX_BODY_BYTES",
    "MAX_DEPTH",
    "TARGET_PREFIX",
    "CognitoError",
    "json_body",
    "parse_body",
    "to_wire",
]

CONTENT_TYPE = "application/x-amz-json-1.1"
TARGET_PREFIX = "AWSCognitoIdentityProviderService."
#: Deepest JSON nesting accepted. cognito-idp's deepest input shape nests 6 levels; the limit is
#: ours (Cognito documents none) and keeps a hostile body from exhausting the parser's stack.
MAX_DEPTH = 32
#: Largest request body read, in bytes. Ours (Cognito documents none): the largest cognito-idp
#: input (a user pool's configuration with its message templates) is a few tens of KiB. A body
#: announced over it is refused with HTTP 413 before a byte of it is read.
MAX_BODY_BYTES = 1024 * 1024


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


def too_large(length: int) -> CognitoError:
    """HTTP 413 for a body of ``length`` bytes over :data:`MAX_BODY_BYTES` (not read)."""
    return CognitoError(
        "RequestEntityTooLargeException",
        f"the request body ({length} bytes) is over the sandbox's limit of {MAX_BODY_BYTES} bytes",
        413,
    )


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
    except (ValueError, RecursionError):
        return {}
    return parsed if isinstance(parsed, dict) else {}


def parse_body(raw: bytes) -> dict[str, Any]:
    """Parse a request body strictly, as Cognito does; an empty body reads as ``{}``.

    Raises
    ------
    CognitoError
        ``SerializationException`` for a body that is not UTF-8 JSON, not a JSON object, or
        nested deeper than :data:`MAX_DEPTH`.
    """
    if not raw.strip():
        return {}
    try:
        parsed = json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise _serialization(f"the request body is nested deeper than {MAX_DEPTH} levels") from None
    except ValueError:
        raise _serialization("the request body is not valid UTF-8 JSON") from None
    if not isinstance(parsed, dict):
        raise _serialization("the request body must be a JSON object")
    if _depth(parsed) > MAX_DEPTH:
        raise _serialization(f"the request body is nested deeper than {MAX_DEPTH} levels")
    return parsed


def _serialization(message: str) -> CognitoError:
    return CognitoError("SerializationException", message)


def _depth(document: Any) -> int:
    """Nesting depth of a parsed JSON document, without recursion."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, (dict, list)):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                return level
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, level + 1) for item in items)
    return deepest


def wire_headers(length: int, extra: Iterable[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """Response headers for a JSON body of ``length`` bytes."""
    return [("Content-Type", CONTENT_TYPE), ("Content-Length", str(length)), *extra]
