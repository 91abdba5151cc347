"""Error translation: any botocore or boto3 failure becomes a redacted :class:`CognitoError`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import botocore.exceptions as bce

from mfa_widgets.core.connection_hints import CONNECTION_CODES
from mfa_widgets.core.errors import (
    HINTS,
    CognitoError,
)
from mfa_widgets.core.redaction import (
    scrub_param_values,
    scrub_secrets,
)


def _to_cognito_error(error: Exception, operation: str, secrets: Iterable[str]) -> CognitoError:
    """Turn any botocore/boto3 failure into a redacted :class:`CognitoError`."""
    if isinstance(error, CognitoError):
        return _scrubbed(error, secrets)
    status: int | None = None
    if isinstance(error, bce.ClientError):
        details = error.response.get("Error", {})
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        code = str(details.get("Code") or "UnknownError")
        message = str(details.get("Message") or "")
        if code.isdigit() or (status is not None and status >= 500 and code == "UnknownError"):
            code, message = "ServerError", message or f"HTTP {code}"
    else:
        code, message = _client_side_code(error), str(error)
    # botocore quotes parameter values; a secret one is hidden by its key, whatever its length.
    message = scrub_param_values(message)
    # A failure of this machine's own (a setting botocore rejects) was never Cognito's answer.
    known = code in HINTS or code in CONNECTION_CODES
    local = None if isinstance(error, bce.ClientError) or known else _NOT_SENT
    return CognitoError(code, scrub_secrets(message, secrets), operation, status, hint=local)


_NOT_SENT = (
    "The request was not sent: it failed on this machine before reaching Cognito (read the "
    "message above for the setting or value to fix); nothing was changed."
)


def _client_side_code(error: Exception) -> str:
    """The code for failures that never reached Cognito (connection, timeout, config)."""
    kinds: tuple[tuple[type[Exception], str], ...] = (
        (bce.ConnectTimeoutError, "ConnectTimeout"),
        (bce.ReadTimeoutError, "ReadTimeout"),
        (bce.EndpointConnectionError, "EndpointConnectionError"),
        (bce.ConnectionClosedError, "ConnectionClosedError"),
        (bce.ProxyConnectionError, "ProxyConnectionError"),
        (bce.SSLError, "SSLError"),
        (bce.ConnectionError, "ConnectionError"),  # the kinds above are its subclasses
        (bce.HTTPClientError, "HTTPClientError"),
        (bce.NoCredentialsError, "NoCredentials"),
        (bce.NoRegionError, "NoRegion"),
        (bce.ParamValidationError, "ParamValidation"),
        (bce.ProfileNotFound, "ProfileNotFound"),
    )
    for kind, code in kinds:
        if isinstance(error, kind):
            return code
    return type(error).__name__


def _scrubbed(error: CognitoError, secrets: Iterable[str]) -> CognitoError:
    return CognitoError(
        error.code,
        scrub_secrets(error.message, secrets),
        error.operation,
        error.status,
        hint=error.hint,  # written by the toolkit: it names no value
    )


def _note(error: CognitoError | None, warnings: tuple[str, ...]) -> str | None:
    """The log's note: the error's hint and any warning (e.g. a failed read-back)."""
    return "; ".join([*([error.hint] if error else []), *warnings]) or None


def _error_fields(error: CognitoError | None) -> dict[str, Any]:
    if error is None:
        return {"error_code": None, "error_message": None, "note": None}
    return {"error_code": error.code, "error_message": error.message, "note": error.hint}
