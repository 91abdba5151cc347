"""Serving in the foreground until Ctrl-C: the run loop of ``sandbox`` and ``classroom``."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["serve_until_interrupted"]


def serve_until_interrupted(server: Any, announce: Callable[[], None]) -> int:
    """Start ``server``, run ``announce`` (print what it serves), wait for Ctrl-C; exit code 0.

    ``kill`` (SIGTERM) stops as cleanly as Ctrl-C; ``server.stop()`` runs whatever happens,
    ``announce`` failing included.
    """

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    server.start()
    try:
        announce()
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
