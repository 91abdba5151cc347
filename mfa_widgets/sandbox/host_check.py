"""Requests addressed to a loopback name only (DNS rebinding), unless remote access was asked for.

A page on ``http://attacker.example`` whose name is made to resolve to 127.0.0.1 (DNS rebinding)
talks to a loopback server as a same-origin page: CORS does not stop it, but the ``Host`` header
still carries the attacker's name. A server listening on loopback therefore answers only requests
addressed to a loopback name (``127.0.0.1``, ``localhost``, ``::1``, any port).

This answer is the sandbox's own (real Cognito is reached at its own name): HTTP 403 with a
Cognito-shaped JSON error, so botocore reports it as a ``ClientError`` naming the fix.
"""

from __future__ import annotations

from typing import Any

from mfa_widgets.core.loopback import is_loopback_host
from mfa_widgets.sandbox.errors import WireError

__all__ = ["check_host", "is_loopback_name", "loopback_host"]


def is_loopback_name(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (the toolkit's one rule: core.loopback)."""
    return is_loopback_host(host)


def loopback_host(environ: dict[str, Any]) -> bool:
    """True when the request's ``Host`` header names a loopback host (any port)."""
    # No Host header (HTTP/1.0, a WSGI call in-process): the address the server is bound to
    # decides, as PEP 3333 rebuilds a URL. A browser (the rebinding attack) always sends one.
    header = environ.get("HTTP_HOST")
    host = str(environ.get("SERVER_NAME", "") if header is None else header).strip()
    if host.startswith("["):  # [::1]:port
        name = host[1:].split("]", 1)[0]
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return bool(name) and is_loopback_name(name)


def check_host(environ: dict[str, Any]) -> None:
    """Raise a 403 ``WireError`` unless the request is addressed to a loopback name."""
    if not loopback_host(environ):
        raise WireError(
            "ForbiddenException",
            "the Host header does not name this computer (127.0.0.1, localhost or ::1): "
            "call the sandbox at its loopback address, or start it with remote access allowed",
            403,
        )
