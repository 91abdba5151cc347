"""Browser access to the sandbox: none unless the caller names the origins that may call it.

moto answers every origin's CORS preflight, so any web page open in the same browser could drive
a sandbox on 127.0.0.1. The sandbox sends no ``Access-Control-*`` header unless
``Sandbox(cors_origins=[...])`` lists the page's origin (``"*"`` allows any, on purpose only).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["CorsPolicy"]

_ALLOWED_HEADERS = "content-type, x-amz-target, x-amz-user-agent, authorization, x-amz-date"


class CorsPolicy:
    """Which origins get CORS headers.

    Parameters
    ----------
    origins
        Allowed ``Origin`` values, e.g. ``["http://localhost:8888"]``; empty allows none.
    """

    def __init__(self, origins: Iterable[str] = ()) -> None:
        self.origins = frozenset(origins)

    def _allowed(self, environ: dict[str, Any]) -> str | None:
        origin = str(environ.get("HTTP_ORIGIN", ""))
        if origin and (origin in self.origins or "*" in self.origins):
            return origin
        return None

    def headers_for(self, environ: dict[str, Any]) -> list[tuple[str, str]]:
        """CORS headers for an ordinary answer (none for an origin not allowed)."""
        origin = self._allowed(environ)
        return (
            [] if origin is None else [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
        )

    def preflight(self, environ: dict[str, Any]) -> tuple[int, bytes, list[tuple[str, str]]]:
        """The answer to an ``OPTIONS`` preflight: 204 with CORS headers, or 403 without."""
        origin = self._allowed(environ)
        if origin is None:
            return 403, b"", [("Content-Length", "0")]
        return (
            204,
            b"",
            [
                ("Content-Length", "0"),
                ("Access-Control-Allow-Origin", origin),
                ("Access-Control-Allow-Methods", "POST"),
                ("Access-Control-Allow-Headers", _ALLOWED_HEADERS),
                ("Access-Control-Max-Age", "600"),
                ("Vary", "Origin"),
            ],
        )
