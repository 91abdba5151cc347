"""Serving a WSGI app from a background thread, quietly: the sandbox's and the classroom's way.

werkzeug's threaded server (a thread per connection, connections kept alive), with its request
log and its error log switched off: both quote request values, which can be secrets. Import this
module only after ``require_extra("sandbox", ...)``: it imports werkzeug when called.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from mfa_widgets.core.errors import MfaWidgetsError

if TYPE_CHECKING:
    from mfa_widgets.sandbox.middleware import WsgiApp

__all__ = ["quiet_server", "serve_in_background", "stop_serving"]


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
        server: Any = make_server(host, port, app, threaded=True, request_handler=QuietHandler)
    except (OSError, SystemExit):  # werkzeug exits the process when the port is taken
        raise MfaWidgetsError(
            f"cannot serve on {host} port {port}: it is in use or not allowed; stop the program "
            "using it, or choose another port (0 picks a free one)"
        ) from None
    server.log = _log_nothing  # werkzeug's own error lines quote tracebacks
    return server


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
