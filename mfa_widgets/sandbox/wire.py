"""The JSON wire format of cognito-idp (``application/x-amz-json-1.1``) and its errors."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from mfa_widgets.sandbox.errors import WireError

__all__ = [
    "CONTENT_TYPE",
    "MAX_BODY_BYTES",
    "MAX_DEPTH",
    "TARGET_PREFIX",
    "WireError",
    "json_body",
    "parse_body",
    "required",
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


def too_large(length: int) -> WireError:
    """HTTP 413 for a body of ``length`` bytes over :data:`MAX_BODY_BYTES` (not read)."""
    return WireError(
        "RequestEntityTooLargeException",
        f"the request body ({length} bytes) is over the sandbox's limit of {MAX_BODY_BYTES} bytes",
        413,
    )


def not_authorized(message: str) -> WireError:
    """``NotAuthorizedException`` with ``message``."""
    return WireError("NotAuthorizedException", message)


def invalid_parameter(message: str) -> WireError:
    """``InvalidParameterException`` with ``message``."""
    return WireError("InvalidParameterException", message)


def code_already_used() -> WireError:
    """A TOTP code whose time step the user already used: ``ExpiredCodeException``.

    Source: moto's Cognito tests (``tests/test_cognitoidp/test_cognitoidp.py``, comments on
    AWS's behaviour: "AWS needs a new user code, otherwise they will throw an exception
    ExpiredCodeException"; the message "Your software token has already been used once" is the
    one they quote). Recorded since: conformance case ``totp.reused-code-at-sign-in`` (an
    integration test against a real pool waits 30 s to avoid exactly this answer).
    """
    return WireError("ExpiredCodeException", "Your software token has already been used once.")


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
    WireError
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


def _serialization(message: str) -> WireError:
    return WireError("SerializationException", message)


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


def required(parameters: dict[str, Any], name: str) -> str:
    """``parameters[name]`` as a non-empty string, else Cognito's "Missing required parameter"."""
    value = parameters.get(name)
    if not isinstance(value, str) or not value:
        raise invalid_parameter(f"Missing required parameter {name}")
    return value
