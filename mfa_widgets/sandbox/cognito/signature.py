"""The sandbox's front door for IAM-authorized operations: a SigV4 signature must be present.

Cognito serves two kinds of operation. Those the service model marks ``smithy.api#noAuth``
(``InitiateAuth``, ``RespondToAuthChallenge``, the ``AccessToken`` calls, ``SignUp``, ...) are
called unsigned; every other one (``AdminGetUser``, ``ListUsers``, ``AdminDeleteSoftwareToken``,
``CreateUserPoolClient``, ...) is authorized by IAM and refused without a signature. Real Cognito
answers such a request ``MissingAuthenticationTokenException`` / "Missing Authentication Token"
(reported for ``ListUsers`` without credentials in aws/aws-sdk-net-extensions-cognito#95; the
error document ``{"__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
"message": "Request is missing Authentication Token"}`` is the AWS JSON services' answer recorded
in awslabs/aws-sdk-ios-samples#111). The HTTP status 400 is our guess: neither report shows it.

Any key may sign (this is a sandbox): the header must be a SigV4 ``Authorization`` with a
``Credential=`` scope, or a presigned query (``X-Amz-Credential``). The signature itself is not
checked. Requiring it also stops a web page from driving the sandbox's admin API with a simple
cross-origin ``POST``: a browser cannot add an ``Authorization`` header without a CORS preflight.
"""

from __future__ import annotations

import functools
from typing import Any

from mfa_widgets.sandbox.cognito.service_model import service_model
from mfa_widgets.sandbox.errors import WireError

__all__ = ["MISSING_TOKEN", "needs_signature", "require_signature", "signed"]

#: What Cognito answers an unsigned IAM-authorized request (sources in the module docstring).
MISSING_TOKEN = WireError(
    "MissingAuthenticationTokenException", "Request is missing Authentication Token", 400
)


@functools.cache
def needs_signature(operation: str) -> bool:
    """True when ``operation`` is IAM-authorized (the model does not mark it ``noAuth``)."""
    model = service_model().operation_model(operation)
    return bool(model.auth_type != "none")


def signed(environ: dict[str, Any]) -> bool:
    """True when the request carries a SigV4 signature (header or presigned query)."""
    auth = str(environ.get("HTTP_AUTHORIZATION", ""))
    if auth.startswith("AWS4-HMAC-SHA256 ") and "Credential=" in auth:
        return True
    return "X-Amz-Credential=" in str(environ.get("QUERY_STRING", ""))


def require_signature(operation: str, environ: dict[str, Any]) -> None:
    """Raise :data:`MISSING_TOKEN` for an unsigned request to an IAM-authorized operation."""
    if needs_signature(operation) and not signed(environ):
        raise MISSING_TOKEN
