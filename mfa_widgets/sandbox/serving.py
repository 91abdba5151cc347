"""Serving a WSGI app from a background thread, quietly: the sandbox's and the classroom's way.

Two servers, both with their request and error logs off (their lines quote request values, which
can be secrets): :func:`quiet_server`, werkzeug's threaded server (a thread and a connection per
request: werkzeug closes every connection after its answer), for the sandbox; and
:func:`pooled_server`, waitress (a fixed pool of threads, connections kept alive), for the
classroom, where thirty learners' calls arrive at once and a thread start plus a TCP handshake
per call on both sides was a large share of the machine's CPU. Import this module only after
``require_extra("sandbox", ...)``: it imports the servers when called.
"""

from __future__ import annotations

import contextlib
import io
import threading
from typing import TYPE_CHECKING, Any

from mfa_widgets.core.errors import MfaWidgetsError
from mfa_widgets.sandbox.wire import MAX_BODY_BYTES

if TYPE_CHECKING:
    from mfa_widgets.sandbox.cognito.app import WsgiApp

__all__ = ["pooled_server", "quiet_server", "serve_in_background", "stop_serving"]

_CANNOT_BIND = (
    "cannot serve on {host} port {port}: it is in use or not allowed; stop the program using it, "
    "or choose another port with --port (0 picks a free one)"
)


def quiet_server(app: WsgiApp, host: str, port: int) -> Any:
    """A bound, not yet serving, threaded werkzeug server of ``app`` that logs nothing.

    Raises
    ------
    MfaWidgetsError
        When ``host``/``port`` cannot be bound (in use, or not allowed), saying what to do.
    """
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log(self, type: str, message: str, *args: Any) -> None:
            """Log nothing: werkzeug's lines can quote request values (secrets).

            Failures are logged by the fidelity layer, by type and place only.
            """

    try:
        # werkzeug prints two lines of its own to stderr before it exits on a taken port: the
        # user gets this module's one line instead.
        with contextlib.redirect_stderr(io.StringIO()):
            server: Any = make_server(host, port, app, threaded=True, request_handler=QuietHandler)
    except (OSError, SystemExit):  # werkzeug exits the process when the port is taken
        raise MfaWidgetsError(_CANNOT_BIND.format(host=host, port=port)) from None
    server.log = _log_nothing  # werkzeug's own error lines quote tracebacks
    return server


def pooled_server(
    app: WsgiApp, host: str, port: int, threads: int = 8, connections: int = 100
) -> Any:
    """A bound, not yet serving, waitress server of ``app`` with ``threads`` workers.

    waitress's defaults (1 GiB bodies, 1,000 connections) are far past what a classroom needs:
    a body announced over :data:`~mfa_widgets.sandbox.wire.MAX_BODY_BYTES` is answered 413
    before it is read, and at most ``connections`` connections are open at once (more wait in
    the listen backlog until one closes).

    The answer has the methods :func:`serve_in_background` and :func:`stop_serving` use
    (``server_port``, ``serve_forever``, ``shutdown``, ``server_close``).

    Raises
    ------
    MfaWidgetsError
        When ``host``/``port`` cannot be bound (in use, or not allowed), saying what to do.
    """
    import logging

    from waitress.server import create_server

    # waitress logs a failed request with its traceback (and so request values): the classroom
    # answers every failure itself, so its loggers say nothing.
    for name in ("waitress", "waitress.queue"):
        logging.getLogger(name).disabled = True
    try:
        server = create_server(
            app,
            host=host,
            port=port,
            threads=threads,
            connection_limit=connections,
            max_request_body_size=MAX_BODY_BYTES + 1,  # waitress refuses a body >= its value
            expose_tracebacks=False,
            log_socket_errors=False,
            ident="mfa-widgets",
        )
    except OSError:
        raise MfaWidgetsError(_CANNOT_BIND.format(host=host, port=port)) from None
    return _Waitress(server)


class _Waitress:
    """A waitress server with the start/stop methods of a werkzeug server."""

    def __init__(self, server: Any) -> None:
        self._server = server

    @property
    def server_port(self) -> int:
        """The TCP port bound."""
        return int(self._server.effective_port)

    def serve_forever(self) -> None:
        """Serve until :meth:`shutdown` (waitress's loop ends when it has no socket left)."""
        self._server.run()

    def shutdown(self) -> None:
        """Let requests in flight finish, then close the listening socket and every connection.

        The workers stop first: a worker that finishes a request wakes the loop through the
        trigger, and once the trigger is closed its descriptor number may be another file's.
        The closing runs on the serving loop's thread, as waitress requires.
        """
        self._server.task_dispatcher.shutdown()  # waits up to 5 s for requests in flight
        closed = threading.Event()

        def close_all() -> None:
            for channel in list(self._server._map.values()):
                channel.close()
            closed.set()

        try:
            self._server.trigger.pull_trigger(close_all)
        except OSError:
            self._close_without_the_loop()
        else:
            closed.wait(timeout=5)

    def _close_without_the_loop(self) -> None:
        """Close everything when the loop can no longer be woken (its trigger is closed).

        waitress closes its trigger itself when the listening socket's handler fails (it closes
        the server dispatcher, and with it the trigger; its log, which says why, is off). The
        loop may still be serving kept-alive connections: those are asked to close on the
        loop's next turn (at most ``asyncore_loop_timeout``, 1 s), and what is left of the
        listening side is closed here, so the port is free and the loop, with no socket left,
        ends.
        """
        server = self._server
        for channel in list(server._map.values()):
            if hasattr(channel, "will_close"):  # an HTTP connection: the loop closes it
                channel.will_close = True
        with contextlib.suppress(OSError):  # already closed: waitress's close is once only
            server.close()

    def server_close(self) -> None:
        """Nothing left to close after :meth:`shutdown`."""


def serve_in_background(server: Any, name: str) -> threading.Thread:
    """Start serving ``server`` on a daemon thread named ``name-PORT``; the thread."""
    thread = threading.Thread(
        target=server.serve_forever, name=f"{name}-{server.server_port}", daemon=True
    )
    thread.start()
    return thread


def stop_serving(server: Any, thread: threading.Thread | None) -> None:
    """Stop ``server``, close its socket and wait (up to 5 s) for its thread."""
    server.shutdown()
    server.server_close()
    if thread is not None:
        thread.join(timeout=5)


def _log_nothing(*args: Any, **kwargs: Any) -> None:
    """Stands in for werkzeug's server log (see :func:`quiet_server`)."""
