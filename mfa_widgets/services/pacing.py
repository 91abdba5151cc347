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

How many threads: a job waits on the network most of the time, so reaching a quota takes as
many calls in flight as the rate times the time each item spends on the wire (Little's law).
:func:`workers_for` sizes the pool that way, for the slow end of real Cognito's round trips
(:data:`ASSUMED_LATENCY_S`) with some headroom; a waiting thread costs no CPU, so erring high is
cheap while erring low leaves the job below the quota. :class:`QuotaPacer` holds one limiter per
quota category, so every call a job makes (also set-up calls) is paced by the quota it counts
against.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from mfa_widgets.core.quotas import CATEGORY_RATES, category_of

__all__ = [
    "ASSUMED_LATENCY_S",
    "QUOTAS",
    "QuotaPacer",
    "RateLimiter",
    "as_limiter",
    "run_bounded",
    "workers_for",
]

#: Default request-rate quotas (requests per second, per account and Region) by category
#: (:data:`mfa_widgets.core.quotas.CATEGORY_RATES`; e.g. ``UserResourceUpdate`` 25 for
#: preference writes, ``UserRead`` 120 for ``AdminGetUser``, ``UserList`` 30 for ``ListUsers``).
QUOTAS: dict[str, float] = dict(CATEGORY_RATES)

#: The round trip worker counts are sized for: the slow end of real Cognito (20-100 ms away).
ASSUMED_LATENCY_S = 0.1
#: Spare threads over Little's law, for jitter and the client's own work between calls.
HEADROOM = 2.0
#: Threads used when the rate is unlimited (``0``): enough to keep a local sandbox busy.
UNLIMITED_WORKERS = 8


def workers_for(
    rate: float | RateLimiter,
    *,
    calls_per_item: float = 1.0,
    latency_s: float = ASSUMED_LATENCY_S,
    headroom: float = HEADROOM,
    most: int = 64,
) -> int:
    """Threads needed to keep ``rate`` items/s going when each item waits on the network.

    ``rate x calls_per_item x latency_s x headroom``, rounded up, between 1 and ``most``
    (Little's law: the calls in flight equal the rate times the time each call takes).

    Parameters
    ----------
    rate
        Items per second the job is paced at (a limiter's rate; ``0``: unlimited, which gives
        :data:`UNLIMITED_WORKERS`).
    calls_per_item
        Round trips one item makes one after another (e.g. 2 for a write and its read-back).
    latency_s
        One round trip's duration (default :data:`ASSUMED_LATENCY_S`).
    headroom
        Spare factor for jitter and client-side work.
    most
        The cap (each thread holds a connection).

    Examples
    --------
    >>> workers_for(120)  # AdminGetUser at the UserRead quota, 100 ms round trips
    24
    >>> workers_for(25, calls_per_item=2)  # a preference write and its read-back
    10
    """
    per_second = rate.rate if isinstance(rate, RateLimiter) else rate
    if per_second <= 0:
        return UNLIMITED_WORKERS
    wanted = math.ceil(per_second * calls_per_item * latency_s * headroom - 1e-9)
    return max(1, min(most, wanted))


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


class QuotaPacer:
    """One :class:`RateLimiter` per quota category: pace any call by the quota it counts against.

    Give it to :meth:`MfaClient.with_pacer <mfa_widgets.services.client.MfaClient.with_pacer>`
    and every call the client sends waits for a permit of its operation's category
    (operations outside :data:`~mfa_widgets.core.quotas.OPERATION_CATEGORY` are not paced).
    Share one pacer between the jobs of one account and Region.

    Parameters
    ----------
    rates
        Requests/s (or ready limiters) by category, over :data:`QUOTAS`; ``0`` means unlimited.
    """

    def __init__(self, rates: Mapping[str, float | RateLimiter] | None = None) -> None:
        merged: dict[str, float | RateLimiter] = {**QUOTAS, **(rates or {})}
        self.limiters = {category: as_limiter(rate) for category, rate in merged.items()}

    def limiter(self, category: str) -> RateLimiter:
        """The limiter of ``category`` (e.g. ``"UserResourceUpdate"``)."""
        return self.limiters[category]

    def __call__(self, operation: str) -> float:
        """Wait for a permit for one call of ``operation``; returns the seconds waited."""
        category = category_of(operation)
        limiter = self.limiters.get(category) if category else None
        return limiter.acquire() if limiter is not None else 0.0


def as_limiter(rate: float | RateLimiter) -> RateLimiter:
    """A limiter for ``rate`` requests/s, or ``rate`` itself when it is already one.

    Passing one :class:`RateLimiter` to several jobs makes them share one quota bucket (two
    audits of pools in the same account and Region share the UserRead quota).
    """
    return rate if isinstance(rate, RateLimiter) else RateLimiter(rate)
