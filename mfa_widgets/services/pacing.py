"""Pacing many Cognito calls: a rate limiter under the quotas, and a bounded thread pool.

Cognito's request quotas are per account and Region and some cannot be raised (preference writes
share 25 requests/s in the UserResourceUpdate category). Spacing requests on the client is
cheaper than being throttled and retried, so sweeps, audits and bulk changes pace themselves with
:class:`RateLimiter` and use botocore's retries only for what still gets throttled.

:func:`run_bounded` runs the calls of such a job on a few threads: enough requests in flight to
reach the quota, with what every such job needs:

* items are pulled lazily, so a generator that lists pages as it goes feeds the pool without
  waiting at page boundaries, and at most ``queue_depth`` items are queued at once (bounded
  memory however large the pool);
* a ``stop`` event ends the run early: nothing new starts, what is running finishes and is
  reported, so a checkpoint written from the callback stays consistent;
* results reach ``on_done`` one at a time (under a lock), so the callback may write a file or
  update a counter without its own locking.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["QUOTAS", "RateLimiter", "as_limiter", "run_bounded"]

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


T = TypeVar("T")
R = TypeVar("R")

_POLL_SECONDS = 0.1  # how often a blocked producer looks at the stop event


def run_bounded(
    work: Callable[[T], R],
    items: Iterable[T],
    *,
    workers: int = 4,
    on_done: Callable[[T, R], None] | None = None,
    stop: threading.Event | None = None,
    queue_depth: int | None = None,
) -> int:
    """Call ``work(item)`` for every item on up to ``workers`` threads; return how many ran.

    Parameters
    ----------
    work
        The call to make for one item (runs in a worker thread).
    items
        The items, pulled lazily in the calling thread (a generator may make calls itself).
    workers
        Threads making calls at once.
    on_done
        ``on_done(item, result)`` after each finished item, in the worker thread, serialised.
    stop
        Set it (from any thread, e.g. from ``on_done``) to end the run early: no further item
        starts; running items finish and reach ``on_done``.
    queue_depth
        Items submitted but not yet finished, at most (default ``2 * workers``).

    Raises
    ------
    BaseException
        The first exception raised by ``work``, ``on_done`` or the item iterator, after the
        running items finished (``KeyboardInterrupt`` included).
    """
    stop = stop if stop is not None else threading.Event()
    slots = threading.BoundedSemaphore(queue_depth or 2 * max(1, workers))
    lock = threading.Lock()
    failures: list[BaseException] = []
    ran = 0

    def task(item: T) -> None:
        nonlocal ran
        try:
            if stop.is_set():
                return
            result = work(item)
            with lock:
                ran += 1
                if on_done is not None:
                    on_done(item, result)
        except BaseException as error:  # reported to the caller's thread below
            failures.append(error)
            stop.set()
        finally:
            slots.release()

    executor = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="mfa-paced")
    try:
        for item in items:
            if not _wait_for_slot(slots, stop):
                break
            executor.submit(task, item)
    except BaseException:
        stop.set()
        raise
    finally:
        # queued items run unless the run was stopped (then they would only return at once)
        executor.shutdown(wait=True, cancel_futures=stop.is_set())
    if failures:
        raise failures[0]
    return ran


def _wait_for_slot(slots: threading.BoundedSemaphore, stop: threading.Event) -> bool:
    """Take a queue slot; ``False`` when the run was stopped while waiting (slot not taken)."""
    while not slots.acquire(timeout=_POLL_SECONDS):
        if stop.is_set():
            return False
    if stop.is_set():
        slots.release()
        return False
    return True


def as_limiter(rate: float | RateLimiter) -> RateLimiter:
    """A limiter for ``rate`` requests/s, or ``rate`` itself when it is already one.

    Passing one :class:`RateLimiter` to several jobs makes them share one quota bucket (two
    audits of pools in the same account and Region share the UserRead quota).
    """
    return rate if isinstance(rate, RateLimiter) else RateLimiter(rate)
