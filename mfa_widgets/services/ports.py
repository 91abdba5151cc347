"""The port a server will listen on, checked before anything is printed about it.

JupyterLab and Voila move to the next port when theirs is taken (``port_retries``), so a URL
printed before they start could name a port nobody serves. ``mfa-widgets lab`` and
``dashboard`` (and so ``make demo`` and ``make dashboard``) therefore settle the port first with
:func:`settle_port` and start the server with port retries off: the URL printed is the one served,
or the command stops with one line saying how to choose another port.
"""

from __future__ import annotations

import errno
import socket

from mfa_widgets.services.errors import PortInUseError

__all__ = ["PortInUseError", "settle_port"]


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def settle_port(host: str, port: int) -> int:
    """The port to serve on: ``port`` if it is free on ``host``, a free one when ``port`` is 0.

    The check binds the address as the server will (``SO_REUSEADDR``, as Tornado does), so a
    port held only by connections closing (TIME_WAIT) counts as free and a listening one does not.

    Raises
    ------
    PortInUseError
        When another program listens on ``host:port``.
    OSError
        When ``host`` cannot be bound at all (not an address of this machine, a privileged port).
    """
    with socket.socket(_family(host), socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise PortInUseError(host, port) from None
            raise
        return int(probe.getsockname()[1])
