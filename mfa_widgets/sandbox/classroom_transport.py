"""Calls the classroom makes on a learner's behalf, answered in-process by its own front door.

The lab's helpers (create a user, sign in, read an authenticator code) run on the classroom
server and call Cognito with boto3. Sending those calls over HTTP to the server's own port cost
a socket, a request thread and two HTTP parses per call: under a full class that was a fifth of
the classroom's CPU. Here boto3's ``before-send`` event hands the prepared request to the
classroom's WSGI front door directly (the same key check, world routing and lock as a learner's
call over the network) and returns its answer as botocore's response; nothing is sent.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from mfa_widgets.sandbox.middleware import WsgiApp

__all__ = ["answer_in_process"]


class _Raw(io.BytesIO):
    """The body of an in-process answer, in the shape botocore reads (``stream()``)."""

    def stream(self, **_: Any) -> Iterator[bytes]:
        """Yield the whole body at once."""
        yield self.getvalue()


def answer_in_process(client: Any, app: WsgiApp) -> Any:
    """Make ``client`` (boto3) send every call to the WSGI ``app`` in this process; ``client``.

    Register this after any ``before-send`` handler that adds headers (the key): botocore runs
    the handlers in order and sends nothing once one returns a response.
    """

    def send(request: Any, **_: Any) -> Any:
        from botocore.awsrequest import AWSResponse
        from werkzeug.test import EnvironBuilder, run_wsgi_app

        url = urlsplit(request.url)
        body = request.body or b""
        if hasattr(body, "read"):
            body = body.read()
        headers = [
            (name, value.decode("latin-1") if isinstance(value, bytes) else str(value))
            for name, value in request.headers.items()
        ]
        builder = EnvironBuilder(
            path=url.path or "/",
            query_string=url.query,
            method=request.method,
            headers=headers,
            data=body.encode() if isinstance(body, str) else body,
            base_url=f"{url.scheme}://{url.netloc}",
        )
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        answer, status, answer_headers = run_wsgi_app(app, environ, buffered=True)  # and closed
        payload = b"".join(answer)
        return AWSResponse(
            request.url, int(status.split(" ", 1)[0]), dict(answer_headers), _Raw(payload)
        )

    client.meta.events.register("before-send.cognito-idp", send)
    return client
