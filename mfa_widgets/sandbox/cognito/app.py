"""The fidelity layer: a WSGI app in front of moto's own.

For each cognito-idp call it reads ``X-Amz-Target`` and the JSON body, asks the fault seam, looks
the operation up in the table of :mod:`~.operations` (refusing what is not
served), checks the body against botocore's model, checks the access token of every
token-authorized operation once (its owner goes on the request context), answers the
MFA-relevant operations itself (``HANDLERS``: one handler per operation) and
forwards the reviewed rest to moto, scrubbing secrets out of moto's error
messages. Each request is tagged with the sandbox's moto account id, which keeps sandboxes in one
process apart.
"""

from __future__ import annotations

import contextlib
import io
import logging
import socket
import struct
import traceback
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from typing import Any

from mfa_widgets.sandbox.bridge.moto_bridge import MotoBridge
from mfa_widgets.sandbox.cognito.access import authorize
from mfa_widgets.sandbox.cognito.context import Handler, MotoResponse, RequestContext
from mfa_widgets.sandbox.cognito.operations import Treatment, refusal, register, treatment
from mfa_widgets.sandbox.cognito.ops import attributes as attribute_ops
from mfa_widgets.sandbox.cognito.ops import auth_factors as auth_factor_ops
from mfa_widgets.sandbox.cognito.ops import passkeys as passkey_ops
from mfa_widgets.sandbox.cognito.ops import pool as pool_ops
from mfa_widgets.sandbox.cognito.ops import preferences as preference_ops
from mfa_widgets.sandbox.cognito.ops import recovery as recovery_ops
from mfa_widgets.sandbox.cognito.ops import software_token as software_token_ops
from mfa_widgets.sandbox.cognito.ops import users as user_ops
from mfa_widgets.sandbox.cognito.redaction import safe_message
from mfa_widgets.sandbox.cognito.service_model import (
    check_request,
    documented_errors,
    token_authorized,
)
from mfa_widgets.sandbox.cognito.signature import require_signature
from mfa_widgets.sandbox.cognito.signin import devices as device_ops
from mfa_widgets.sandbox.cognito.signin import events as signin_events
from mfa_widgets.sandbox.cognito.signin import machine as signin_machine
from mfa_widgets.sandbox.cors import CorsPolicy
from mfa_widgets.sandbox.faults import Fault, Faults
from mfa_widgets.sandbox.host_check import check_host, loopback_host
from mfa_widgets.sandbox.store.outbox import Outbox
from mfa_widgets.sandbox.store.state import SandboxState
from mfa_widgets.sandbox.wire import (
    MAX_BODY_BYTES,
    TARGET_PREFIX,
    WireError,
    json_body,
    parse_body,
    to_wire,
    too_large,
    wire_headers,
)

__all__ = ["HANDLERS", "FidelityApp"]

logger = logging.getLogger(__name__)

#: Operations the sandbox answers itself (or forwards and patches): one handler each.
HANDLERS: Mapping[str, Handler] = register(
    attribute_ops.HANDLERS,
    auth_factor_ops.HANDLERS,
    passkey_ops.HANDLERS,
    pool_ops.HANDLERS,
    preference_ops.HANDLERS,
    recovery_ops.HANDLERS,
    software_token_ops.HANDLERS,
    user_ops.HANDLERS,
    device_ops.HANDLERS,
    signin_machine.HANDLERS,
    signin_events.HANDLERS,
)

#: The answer to anything that is not a cognito-idp call (S3, IAM, a browser, a scanner).
NOT_COGNITO = WireError(
    "UnknownOperationException",
    "This endpoint serves only Amazon Cognito user pools (cognito-idp, JSON protocol with "
    "X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>); other AWS services are "
    "not served.",
)

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class FidelityApp:
    """WSGI middleware making moto's Cognito answer MFA calls as Amazon documents them.

    Parameters
    ----------
    moto_app
        moto's cognito-idp WSGI application (``moto_bridge.moto_wsgi_app``).
    bridge, state, outbox, faults
        The owning sandbox's parts.
    region
        Region for unsigned requests (token-authorized operations are unsigned).
    cors
        Which browser origins get CORS headers (none by default).
    loopback_only
        Answer only requests whose ``Host`` is a loopback name (:mod:`~..host_check`); the
        sandbox on 127.0.0.1 sets it, the classroom checks at its own front door.
    guard
        Held around the part of a call that reads or changes moto's backends and the store
        (the token check and the operation itself), and nothing else: reading the body, the
        fault seam's waits, checking the request against the model and writing the answer run
        outside it. A classroom passes its one lock shared by every world (moto finds some
        operations' backend by walking every account); a sandbox alone needs none.
    """

    def __init__(
        self,
        moto_app: WsgiApp,
        bridge: MotoBridge,
        state: SandboxState,
        outbox: Outbox,
        faults: Faults,
        region: str,
        cors: CorsPolicy | None = None,
        loopback_only: bool = False,
        guard: Callable[[], contextlib.AbstractContextManager[Any]] | None = None,
    ) -> None:
        self.moto_app = moto_app
        self.guard = guard or contextlib.nullcontext
        self.cors = cors or CorsPolicy()
        self.bridge = bridge
        self.state = state
        self.outbox = outbox
        self.faults = faults
        self.region = region
        self.loopback_only = loopback_only

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer one HTTP request (WSGI); never an unhandled exception, never a traceback."""
        try:
            return self._serve(environ, start_response)
        except ConnectionError:  # fault injection dropped the connection on purpose
            raise
        except Exception as error:
            return self._send(start_response, *_error(_internal("the request", error)))

    def _serve(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        environ["HTTP_X_MOTO_ACCOUNT_ID"] = self.bridge.account_id
        announced = _content_length(environ)
        if announced > MAX_BODY_BYTES:  # refused unread; the connection closes after the answer
            status, payload, headers = _error(too_large(announced))
            return self._send(start_response, status, payload, [*headers, ("Connection", "close")])
        raw = _read_body(environ)  # always, so the server never reads a body as a next request
        if self.faults.killed:
            _drop_connection(environ)
        if environ.get("REQUEST_METHOD") == "OPTIONS":
            status, payload, headers = self.cors.preflight(environ)
            start_response(f"{status} {HTTPStatus(status).phrase}", headers)
            return [payload]
        if self.loopback_only and not loopback_host(environ):
            try:
                check_host(environ)
            except WireError as wrong_host:
                return self._send(start_response, *_error(wrong_host))
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        if not target.startswith(TARGET_PREFIX):
            return self._send(start_response, *_error(NOT_COGNITO), origin=environ)
        operation = target[len(TARGET_PREFIX) :]
        fault = self.faults.check(operation, json_body(raw)) if self.faults.active else None
        self.faults.delay(operation)  # the latency model, if any: a sleep, not CPU
        if fault is not None and fault.kind != "error":
            early = _apply(fault, environ, self.faults)
            if early is not None:
                start_response(f"{early[0]} {HTTPStatus(early[0]).phrase}", early[2])
                return [early[1]]
        return self._send(
            start_response, *self._answer(operation, raw, environ, fault), origin=environ
        )

    def _send(
        self,
        start_response: StartResponse,
        status: int,
        payload: bytes,
        headers: list[tuple[str, str]],
        origin: dict[str, Any] | None = None,
    ) -> Iterable[bytes]:
        """Send one answer; moto's CORS headers are dropped, the sandbox's own added if asked."""
        headers = [(k, v) for k, v in headers if not k.lower().startswith("access-control-")]
        if origin is not None:
            headers.extend(self.cors.headers_for(origin))
        start_response(f"{status} {'OK' if status < 300 else 'ERROR'}", headers)
        return [payload]

    def _answer(
        self, operation: str, raw: bytes, environ: dict[str, Any], fault: Fault | None = None
    ) -> tuple[int, bytes, list[tuple[str, str]]]:
        body: dict[str, Any] = {}
        region = _signed_region(environ) or self.region
        try:
            if fault is not None and fault.error is not None:
                raise fault.error
            row = treatment(operation, HANDLERS)
            if row.treatment is Treatment.REFUSED:
                raise refusal(operation)
            require_signature(operation, environ)
            body = parse_body(raw)
            check_request(operation, body)
            with self.guard():
                owner = None
                if token_authorized(operation) and "AccessToken" in body:
                    owner = authorize(self.bridge, body["AccessToken"])  # the one check
                context = RequestContext(
                    operation=operation,
                    body=body,
                    region=region,
                    bridge=self.bridge,
                    state=self.state,
                    outbox=self.outbox,
                    forward=lambda: self._forward(environ, raw),
                    owner=owner,
                )
                handler = HANDLERS.get(operation)
                result = handler(context) if handler is not None else context.forward()
        except WireError as error:
            return _error(error)
        except Exception as error:  # moto's own errors raised inside our handlers
            error_type = getattr(error, "error_type", None)
            if error_type:
                message = safe_message(str(getattr(error, "message", "")), body)
                status = int(getattr(error, "code", 400))
                return _error(_documented(operation, str(error_type), message, status))
            return _error(_internal(operation, error))
        if isinstance(result, MotoResponse):
            return self._checked(result, operation, body)
        payload = to_wire(result)
        return 200, payload, wire_headers(len(payload))

    def _checked(
        self, answer: MotoResponse, operation: str, body: dict[str, Any]
    ) -> tuple[int, bytes, list[tuple[str, str]]]:
        """Moto's answer, with any secret removed from an error message; never a moto 500."""
        if answer.ok:
            return answer.status, answer.body, answer.headers
        try:
            document = answer.json()
        except ValueError:
            document = {}
        if answer.status >= 500 or not document:
            return _error(_internal(operation, None))
        message = str(document.get("message", document.get("Message", "")))
        code = str(document.get("__type", "InternalErrorException")).split("#")[-1]
        safe = safe_message(message, body)
        if safe == message and code in documented_errors(operation):
            return answer.status, answer.body, answer.headers
        return _error(_documented(operation, code, safe, answer.status))

    def _forward(self, environ: dict[str, Any], raw: bytes) -> MotoResponse:
        """Run the request through moto and buffer the answer."""
        environ["wsgi.input"] = io.BytesIO(raw)
        captured: dict[str, Any] = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        chunks = self.moto_app(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
        return MotoResponse(int(captured["status"].split()[0]), headers, body)


def _documented(operation: str, code: str, message: str, status: int) -> WireError:
    """Moto's error as one the model documents for ``operation``.

    A code the model does not list (moto's ``InvalidToken`` for a bad ``NextToken``) becomes
    ``InvalidParameterException``, its text kept after the original code.
    """
    if code in documented_errors(operation):
        return WireError(code, message, status)
    return WireError("InvalidParameterException", f"{code}: {message}", 400)


def _internal(operation: str, error: BaseException | None) -> WireError:
    """An ``InternalErrorException``, logged by type and place only (messages may hold secrets)."""
    if error is not None:
        frame = traceback.extract_tb(error.__traceback__)[-1:]
        where = f"{frame[0].filename}:{frame[0].lineno}" if frame else "?"
        logger.error(
            "sandbox failed answering %s: %s at %s", operation, type(error).__name__, where
        )
    return WireError("InternalErrorException", f"the sandbox failed answering {operation}", 500)


def _error(error: WireError) -> tuple[int, bytes, list[tuple[str, str]]]:
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


def _content_length(environ: dict[str, Any]) -> int:
    try:
        return max(0, int(environ.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def _read_body(environ: dict[str, Any]) -> bytes:
    length = _content_length(environ)
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
