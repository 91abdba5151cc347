"""How long the classroom itself takes per request, as the server sees it (for the trainer).

A learner's notebook sees the time of a call end to end: their own process's work (boto3, the
lab), the network, the server's queue and the server's work. On a small machine shared with
the learners' own kernels the first of those can dominate. :class:`CallTimings` keeps what the
classroom alone spends: from the moment a request reaches the classroom's front door to its
answer (the shared lock's wait included), and the wait for that lock on its own. The figures
hold numbers and operation names only (never a request value) for the most recent :data:`KEPT`
requests.
"""

from __future__ import annotations

import collections
import heapq
import re
import threading
from typing import Any

__all__ = ["KEPT", "SLOWEST", "CallTimings"]

#: How many of the latest requests are kept (a few megabytes at most).
KEPT = 50_000
#: How many of the slowest requests are named (what they were, never a value they carried).
SLOWEST = 5
_NAME = re.compile(r"[^A-Za-z0-9_:]")


class CallTimings:
    """The server-side milliseconds of the latest requests, and of their wait for the lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: collections.deque[tuple[float, float, str]] = collections.deque(maxlen=KEPT)
        self.count = 0

    def record(self, total_ms: float, wait_ms: float, what: str = "") -> None:
        """One request: ``total_ms`` at the front door, ``wait_ms`` of it waiting for the lock.

        ``what`` names it (a Cognito operation, ``api:ROUTE``): letters, digits, ``_`` and ``:``
        only, at most 60 characters, so a made-up header cannot put text in the figures.
        """
        entry = (total_ms, wait_ms, _NAME.sub("", what)[:60])
        with self._lock:
            self._kept.append(entry)
            self.count += 1

    def summary(self, since: int = 0) -> dict[str, Any]:
        """Count and p50, p95, p99 and max (ms), total and lock wait, and the slowest requests.

        ``since`` leaves out the first ``since`` requests ever recorded (a count read before, to
        time one stretch of a class).
        """
        with self._lock:
            fresh = max(0, min(len(self._kept), self.count - since))
            kept = list(self._kept)[len(self._kept) - fresh :]
            count = self.count
        return {
            "requests": count,
            "kept": len(kept),
            "total_ms": _percentiles(sorted(total for total, _, _ in kept)),
            "lock_wait_ms": _percentiles(sorted(wait for _, wait, _ in kept)),
            "slowest": [
                {"what": what, "total_ms": round(total, 2), "lock_wait_ms": round(wait, 2)}
                for total, wait, what in heapq.nlargest(SLOWEST, kept)
            ],
        }


def _percentiles(ordered: list[float]) -> dict[str, float | None]:
    def at(fraction: float) -> float | None:
        if not ordered:
            return None
        return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 2)

    return {"p50": at(0.5), "p95": at(0.95), "p99": at(0.99), "max": at(1.0)}
