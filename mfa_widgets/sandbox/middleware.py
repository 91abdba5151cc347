"""The fidelity layer: a WSGI app in front of moto's own.

For each cognito-idp call it reads ``X-Amz-Target`` and the JSON body, asks the fault seam, checks
the access token of every token-authorized operation, answers the MFA-relevant operations itself
(see ``HANDLERS``) and forwards everything else to moto, scrubbing secrets out of moto's error
messages. Each request is tagged with the sandbox's moto account id, which keeps sandboxes in one
process apart.
"""

from __future__ import annotations

import io
import logging
import socket
import struct
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from mfa_widgets.sandbox import (
    pool_ops,
    preference_ops,
    respond_ops,
    signin_ops,
    software_token_ops,
)
from mfa_widgets.sandbox.access import authorize
from mfa_widgets.sandbox.context import MotoResponse, RequestContext
from mfa_widgets.sandbox.faults import Fault, Faults
from mfa_widgets.sandbox.moto_bridge import MotoBridge
from mfa_widgets.sandbox.outbox import Outbox
from mfa_widgets.sandbox.redaction import safe_message
from mfa_widgets.sandbox.state import SandboxState
from mfa_widgets.sandbox.wire import TARGET_PREFIX, CognitoError, json_body, to_wire, wire_headers

__all__ = ["HANDLERS", "FidelityApp"]

logger = logging.getLogger(__name__)

Handler = Callable[[RequestContext], "dict[str, Any] | MotoResponse"]

#: Operations the sandbox answers itself (or forwards and patches).
HANDLERS: dict[str, Handler] = {
    **preference_ops.HANDLERS,
    **pool_ops.HANDLERS,
    **software_token_ops.HANDLERS,
    **signin_ops.HANDLERS,
    **respond_ops.HANDLERS,
}

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class FidelityApp:
    """WSGI middleware making moto's Cognito answer MFA calls as Amazon documents them.

    Parameters
    ----------
    moto_app
        moto's WSGI application (``DomainDispatcherApplication``).
    bridge, state, outbox, faults
        The owning sandbox's parts.
    region
        Region for unsigned requests (token-authorized operations are unsigned).
    """

    def __init__(
        self,
        moto_app: WsgiApp,
        bridge: MotoBridge,
        state: SandboxState,
        outbox: Outbox,
        faults: Faults,
        region: str,
    ) -> None:
        self.moto_app = moto_app
        # Every forwarded request is cognito-idp: call moto's Cognito app directly. moto's
        # dispatcher would look the service up under a global lock, listing moto's modules on
        # disk for every request (a third of the sandbox's CPU per call).
        self._cognito_app: WsgiApp = getattr(moto_app, "app_instances", {}).get(
            "cognito-idp", moto_app
        )
        self.bridge = bridge
        self.state = state
        self.outbox = outbox
        self.faults = faults
        self.region = region

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer one HTTP request (WSGI)."""
        environ["HTTP_X_MOTO_ACCOUNT_ID"] = self.bridge.account_id
        if self.faults.killed:
            _read_body(environ)  # so the server does not read the body as a next request
            _drop_connection(environ)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if not target.startswith(TARGET_PREFIX):
            return self.moto_app(environ, start_response)
        raw = _read_body(environ)
        operation = target[len(TARGET_PREFIX) :]
        body = json_body(raw)
        context = RequestContext(
            operation=operation,
            body=body,
            region=_signed_region(environ) or self.region,
            bridge=self.bridge,
            state=self.state,
            outbox=self.outbox,
            forward=lambda: self._forward(environ, raw),
        )
        fault = self.faults.check(operation, body)
        self.faults.delay(operation)  # the latency model, if any: a sleep, not CPU
        if fault is not None and fault.kind != "error":
            early = _apply(fault, environ, self.faults)
            if early is not None:
                start_response(f"{early[0]} {HTTPStatus(early[0]).phrase}", early[2])
                return [early[1]]
        status, payload, headers = self._answer(context, fault)
        start_response(f"{status} {'OK' if status < 300 else 'ERROR'}", headers)
        return [payload]

    def _answer(
        self, context: RequestContext, fault: Fault | None = None
    ) -> tuple[int, bytes, list[tuple[str, str]]]:
        try:
            if fault is not None and fault.error is not None:
                raise fault.error
            handler = HANDLERS.get(context.operation)
            if handler is None and "AccessToken" in context.body:
                authorize(self.bridge, context.body["AccessToken"])
            result = handler(context) if handler is not None else context.forward()
        except CognitoError as error:
            return _error(error)
        except Exception as error:  # moto's own errors raised inside our handlers
            error_type = getattr(error, "error_type", None)
            if error_type:
                message = safe_message(str(getattr(error, "message", "")), context.body)
                return _error(CognitoError(error_type, message, int(getattr(error, "code", 400))))
            logger.exception("sandbox failed answering %s", context.operation)
            return _error(
                CognitoError(
                    "InternalErrorException", f"sandbox error: {type(error).__name__}", 500
                )
            )
        if isinstance(result, MotoResponse):
            return self._checked(result, context)
        payload = to_wire(result)
        return 200, payload, wire_headers(len(payload))

    def _checked(
        self, answer: MotoResponse, context: RequestContext
    ) -> tuple[int, bytes, list[tuple[str, str]]]:
        """Moto's answer, with any secret removed from an error message."""
        if answer.ok:
            return answer.status, answer.body, answer.headers
        try:
            document = answer.json()
        except ValueError:
            return answer.status, answer.body, answer.headers
        message = str(document.get("message", document.get("Message", "")))
        safe = safe_message(message, context.body)
        if safe == message:
            return answer.status, answer.body, answer.headers
        code = str(document.get("__type", "InternalErrorException")).split("#")[-1]
        return _error(CognitoError(code, safe, answer.status))

    def _forward(self, environ: dict[str, Any], raw: bytes) -> MotoResponse:
        """Run the request through moto and buffer the answer."""
        environ["wsgi.input"] = io.BytesIO(raw)
        captured: dict[str, Any] = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        chunks = self._cognito_app(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
        return MotoResponse(int(captured["status"].split()[0]), headers, body)


def _error(error: CognitoError) -> tuple[int, bytes, list[tuple[str, str]]]:
    payload = to_wire(error.body())
    return error.status, payload, wire_headers(len(payload), [("x-amzn-ErrorType", error.code)])


def _apply(
    fault: Fault, environ: dict[str, Any], faults: Faults
) -> tuple[int, bytes, list[tuple[str, str]]] | None:
    """Carry out a non-error fault: the raw answer to send, or ``None`` to answer normally."""
    if fault.kind == "reset":
        _drop_connection(environ)
    if fault.kind == "stall":
        faults.wait(fault.seconds)
        return None
    headers = [("Content-Type", fault.content_type), ("Content-Length", str(len(fault.body)))]
    return fault.status, fault.body, headers


def _drop_connection(environ: dict[str, Any]) -> None:
    """Reset the client's connection (no HTTP answer at all) and abort this request.

    werkzeug treats a ``ConnectionError`` from the app as a dropped connection: nothing logged.
    """
    connection = environ.get("werkzeug.socket")
    if connection is not None:
        try:  # linger 0: the kernel answers the client with RST rather than FIN
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    raise ConnectionResetError("fault injection: connection dropped")


def _read_body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    raw: bytes = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(raw)
    return raw


def _signed_region(environ: dict[str, Any]) -> str | None:
    """The region of a SigV4 ``Authorization`` header's credential scope, if any."""
    auth = str(environ.get("HTTP_AUTHORIZATION", ""))
    try:
        scope = auth.split("Credential=", 1)[1].split(",", 1)[0]
        return str(scope.split("/")[2])
    except IndexError:
        return None
