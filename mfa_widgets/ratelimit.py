"""A thread-safe client-side rate limiter, so sweeps and audits stay under Cognito's quotas.

Cognito's request quotas are per account and Region and some cannot be raised (preference writes
share 25 requests/s in the UserResourceUpdate category). Spacing requests on the client is
cheaper than being throttled and retried, so sweeps and audits pace themselves with
:class:`RateLimiter` and use botocore's adaptive retries only for what still gets throttled.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["QUOTAS", "RateLimiter"]

#: Default request-rate quotas (requests per second, per account and Region) by category.
QUOTAS: dict[str, float] = {
    "UserResourceUpdate": 25.0,  # (Admin)SetUserMFAPreference, Associate/VerifySoftwareToken
    "UserAuthentication": 120.0,  # (Admin)InitiateAuth, (Admin)RespondToAuthChallenge
    "UserRead": 120.0,  # (Admin)GetUser
    "UserList": 30.0,  # ListUsers
}


class RateLimiter:
    """Hand out at most ``rate`` permits per second, with bursts of up to ``burst``.

    A token bucket: :meth:`acquire` blocks until a permit is free. Safe to share between
    threads.

    Parameters
    ----------
    rate
        Permits per second; ``0`` or less means unlimited.
    burst
        How many permits may be taken at once after an idle period (default 1: evenly spaced).
    clock, sleep
        Injectable time functions (tests use a fake clock).
    """

    def __init__(
        self,
        rate: float,
        burst: int = 1,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(self.burst)
        self._updated = clock()
        self.acquired = 0

    def acquire(self) -> float:
        """Take one permit, waiting as long as needed; returns the seconds waited."""
        if self.rate <= 0:
            self.acquired += 1
            return 0.0
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            self._tokens -= 1
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
            self.acquired += 1
        if wait > 0:
            self._sleep(wait)
        return wait

    def __enter__(self) -> RateLimiter:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        return None
