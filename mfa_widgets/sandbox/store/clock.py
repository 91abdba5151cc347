"""The sandbox's clock: wall time plus an offset that tests and demos can move forward."""

from __future__ import annotations

import threading
import time

__all__ = ["Clock"]


class Clock:
    """``time.time()`` plus whatever :meth:`advance` added (simulate waiting without waiting)."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        """The current time in seconds since the epoch, as the sandbox sees it."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the clock ``seconds`` forward."""
        if seconds < 0:
            raise ValueError("the sandbox clock only moves forward: pass seconds >= 0")
        with self._lock:
            self._offset += seconds


class Every:
    """Says when a periodic chore (dropping expired records) is due again.

    Parameters
    ----------
    seconds
        The period, in the clock's seconds.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._next = 0.0

    def due(self, now: float) -> bool:
        """True at most once per period (call it under the caller's lock)."""
        if now < self._next:
            return False
        self._next = now + self.seconds
        return True
