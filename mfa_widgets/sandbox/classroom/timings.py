"""How long the classroom itself takes per request, as the server sees it (for the trainer).

A learner's notebook sees the time of a call end to end: their own process's work (boto3, the
lab), the network, the server's queue and the server's work. On a small machine shared with
the learners' own kernels the first of those can dominate. :class:`CallTimings` keeps what the
classroom alone spends: from the moment a request reaches the classroom's front door to its
answer (the shared lock's wait included), and the wait for that lock on its own. The figures
hold numbers only (never a request value) and the most recent :data:`KEPT` requests.
"""

from __future__ import annotations

import collections
import threading
from typing import Any

__all__ = ["KEPT", "CallTimings"]

#: How many of the latest requests are kept (two floats each: well under a megabyte).
KEPT = 50_000


class CallTimings:
    """The server-side milliseconds of the latest requests, and of their wait for the lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._total: collections.deque[float] = collections.deque(maxlen=KEPT)
        self._wait: collections.deque[float] = collections.deque(maxlen=KEPT)
        self.count = 0

    def record(self, total_ms: float, wait_ms: float) -> None:
        """One request: ``total_ms`` at the front door, ``wait_ms`` of it waiting for the lock."""
        with self._lock:
            self._total.append(total_ms)
            self._wait.append(wait_ms)
            self.count += 1

    def summary(self) -> dict[str, Any]:
        """Count and p50, p95, p99 and max (ms) of the kept requests, total and lock wait."""
        with self._lock:
            total, wait = sorted(self._total), sorted(self._wait)
        return {
            "requests": self.count,
            "kept": len(total),
            "total_ms": _percentiles(total),
            "lock_wait_ms": _percentiles(wait),
        }


def _percentiles(ordered: list[float]) -> dict[str, float | None]:
    def at(fraction: float) -> float | None:
        if not ordered:
            return None
        return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 2)

    return {"p50": at(0.5), "p95": at(0.95), "p99": at(0.99), "max": at(1.0)}
