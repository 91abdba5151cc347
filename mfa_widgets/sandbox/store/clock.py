"""The sandbox's clock: wall time plus an offset that tests and demos can move forward."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

__all__ = ["Clock"]


class Clock:
    """``time.time()`` plus whatever :meth:`advance` added (simulate waiting without waiting)."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._held: float | None = None
        self._lock = threading.Lock()

    def __call__(self) -> float:
        """The current time in seconds since the epoch, as the sandbox sees it."""
        held = self._held
        return (time.time() if held is None else held) + self._offset

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Stop the clock while the ``with`` block runs (a demo or test that must not race it)."""
        with self._lock:
            self._held = time.time()
        try:
            yield
        finally:
            with self._lock:
                self._held = None

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
