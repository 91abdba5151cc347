"""Calls the classroom makes on a learner's behalf, answered in-process by its own front door.

The lab's helpers (create a user, sign in, read an authenticator code) run on the classroom
server and call Cognito. Sending those calls through boto3 over HTTP to the server's own port
cost a socket, a request thread, two HTTP parses, a SigV4 signature and botocore's serialising
and parsing per call: under a full class, close to half of the classroom's CPU.
:class:`InProcessCognito` stands where that boto3 client stood (the same method names,
parameters, answers and ``ClientError``) and hands each call, as the JSON request of Cognito's
wire protocol, to the classroom's WSGI front door directly: the same key check, world routing,
lock and fidelity layer as a learner's call over the network. Nothing is sent.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mfa_widgets.core.classroom_link import KEY_HEADER
from mfa_widgets.sandbox.cognito.service_model import service_model
from mfa_widgets.sandbox.wire import TARGET_PREFIX

if TYPE_CHECKING:
    from mfa_widgets.sandbox.cognito.app import WsgiApp

__all__ = ["InProcessCognito", "operations"]

_CONTENT_TYPE = "application/x-amz-json-1.1"


@functools.cache
def operations() -> dict[str, str]:
    """boto3's method names (``admin_create_user``) to Cognito operations (``AdminCreateUser``).

    From the fidelity layer's own copy of botocore's model (loaded once for both). The classroom
    calls this before it serves: made by many request threads at once, each would load the
    model itself (a cache fills only when the first load ends).
    """
    from botocore import xform_name

    return {xform_name(name): name for name in service_model().operation_names}


class InProcessCognito:
    """A ``cognito-idp`` client whose calls the WSGI ``app`` answers in this process.

    Parameters
    ----------
    app
        The classroom's front door.
    key
        The learner's join key, sent in :data:`~mfa_widgets.core.classroom_link.KEY_HEADER`.
    region
        The region named in the request's credential scope (where moto and the fidelity layer
        read it from), as a signed boto3 request names it.
    """

    def __init__(self, app: WsgiApp, key: str, region: str) -> None:
        self._app = app
        self._key = key
        self._region = region

    def __repr__(self) -> str:
        return f"InProcessCognito(region={self._region!r})"

    def __getattr__(self, name: str) -> Callable[..., dict[str, Any]]:
        operation = operations().get(name)
        if operation is None:
            raise AttributeError(f"cognito-idp has no operation {name!r}")
        return functools.partial(self.call, operation)

    def call(self, operation: str, **params: Any) -> dict[str, Any]:
        """Call ``operation`` with ``params``; the answer, or botocore's ``ClientError``."""
        from botocore.exceptions import ClientError
        from werkzeug.test import EnvironBuilder, run_wsgi_app

        scope = f"classroom/20260101/{self._region}/cognito-idp/aws4_request"
        builder = EnvironBuilder(
            path="/",
            method="POST",
            base_url="http://127.0.0.1/",
            headers=[
                ("X-Amz-Target", TARGET_PREFIX + operation),
                ("Authorization", f"AWS4-HMAC-SHA256 Credential={scope}"),
                (KEY_HEADER, self._key),
            ],
            content_type=_CONTENT_TYPE,
            data=json.dumps(params).encode(),
        )
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        answer, status, headers = run_wsgi_app(self._app, environ, buffered=True)  # and closed
        payload = b"".join(answer)
        document: dict[str, Any] = json.loads(payload) if payload else {}
        code = int(status.split(" ", 1)[0])
        if code < 300:
            document["ResponseMetadata"] = {"HTTPStatusCode": code}
            return document
        kind = headers.get("x-amzn-ErrorType") or str(document.get("__type", "Unknown"))
        error = {
            "Code": kind.split(":", 1)[0].rsplit("#", 1)[-1],
            "Message": str(document.get("message", document.get("Message", ""))),
        }
        raise ClientError({"Error": error, "ResponseMetadata": {"HTTPStatusCode": code}}, operation)
