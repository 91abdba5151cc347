"""A real boto3 client whose requests the sandbox answers in this process: no socket.

botocore serialises, signs and parses as for any endpoint; only the send is replaced. Its
``before-send`` event (documented in botocore's event system: a handler that returns a response
stops the request from going out) hands the prepared HTTP request to the sandbox's WSGI app with
werkzeug's test utilities and returns the app's answer. Tests whose subject is not HTTP use it
(:meth:`~mfa_widgets.sandbox.server.Sandbox.in_process_client`); the wire keeps its own tests
over a real socket.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

__all__ = ["answer_in_process"]


class _Body:
    """The raw body botocore reads a response from (``stream()``)."""

    def __init__(self, payload: bytes) -> None:
        self._payload = payload

    def stream(self, **_options: Any) -> Iterator[bytes]:
        yield self._payload


def answer_in_process(client: Any, app: Any) -> Any:
    """Make ``client`` (boto3 ``cognito-idp``) send every request to the WSGI ``app`` in-process.

    Returns ``client``.
    """
    from botocore.awsrequest import AWSResponse
    from werkzeug.test import EnvironBuilder, run_wsgi_app

    def send(request: Any, **_event: Any) -> AWSResponse:
        url = urlsplit(request.url)
        body = request.body
        data = body if isinstance(body, bytes) else (body or "").encode()
        builder = EnvironBuilder(
            path=url.path or "/",
            query_string=url.query,
            method=request.method,
            base_url=f"{url.scheme}://{url.netloc}/",
            headers=[
                (str(k), v.decode() if isinstance(v, bytes) else str(v))
                for k, v in request.headers.items()
            ],
            data=data,
        )
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        answer, status, headers = run_wsgi_app(app, environ, buffered=True)
        payload = b"".join(answer)
        return AWSResponse(request.url, int(status.split(" ", 1)[0]), dict(headers), _Body(payload))

    client.meta.events.register("before-send.cognito-idp", send)
    return client
