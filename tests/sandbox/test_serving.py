"""Stopping the classroom's waitress server, also when waitress has closed parts of it itself."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from mfa_widgets.sandbox.serving import pooled_server, serve_in_background, stop_serving


def _hello(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


def _kept_alive(port: int) -> http.client.HTTPConnection:
    """A connection that has had one answer and stays open (HTTP/1.1 keep-alive)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/")
    assert connection.getresponse().read() == b"ok"
    return connection


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        # as servers do (waitress too): the closed connection's TIME_WAIT does not hold the port
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _close_trigger(server: Any) -> None:
    server._server.trigger.close()


def _close_listener(server: Any) -> None:
    server._server.close()  # what waitress's handle_error does when the listener's handler fails


@pytest.mark.parametrize("breakage", [None, _close_trigger, _close_listener])
def test_stopping_frees_the_port_and_ends_the_thread(
    breakage: Callable[[Any], None] | None,
) -> None:
    server = pooled_server(_hello, "127.0.0.1", 0)
    port = server.server_port
    thread = serve_in_background(server, "test-serving")
    connection = _kept_alive(port)
    if breakage is not None:
        breakage(server)
    stop_serving(server, thread)  # no error, whatever waitress closed before
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert _port_is_free(port)
    # the kept-alive connection was closed by the server, not left open
    with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
        _ask_again(connection)
    connection.close()


def _ask_again(connection: http.client.HTTPConnection) -> bytes:
    connection.request("GET", "/")
    return connection.getresponse().read()


def test_a_request_in_flight_when_the_server_stops_gets_its_whole_answer() -> None:
    started = threading.Event()

    def slow(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started.set()
        time.sleep(0.5)
        return _hello(environ, start_response)

    server = pooled_server(slow, "127.0.0.1", 0)
    thread = serve_in_background(server, "test-serving")
    answers: list[bytes | BaseException] = []

    def ask() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=5)
        try:
            answers.append(_ask_again(connection))
        except (OSError, http.client.HTTPException) as error:
            answers.append(error)
        finally:
            connection.close()

    asker = threading.Thread(target=ask)
    asker.start()
    assert started.wait(timeout=5)
    stop_serving(server, thread)
    asker.join(timeout=10)
    assert answers == [b"ok"]
    assert not thread.is_alive()
