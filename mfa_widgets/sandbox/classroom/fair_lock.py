"""A lock that lets its waiters in in the order they came: no learner's call is passed over.

Python's :class:`threading.Lock` promises no order: a thread that releases it and asks again at
once (a request thread picking up its next call) usually gets it back ahead of threads that have
been waiting, so under a full class one call can wait through many others' and make the slowest
1 % far slower than the rest. :class:`FairLock` hands the lock straight to the longest waiter
on release, so a call waits for at most the calls that were already waiting when it came.
"""

from __future__ import annotations

import collections
import threading
from types import TracebackType

__all__ = ["FairLock"]


class FairLock:
    """A first-come-first-served lock (not re-entrant), usable as a context manager.

    Examples
    --------
    >>> lock = FairLock()
    >>> with lock:
    ...     lock.held
    True
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()  # held only for a few lines, never while waiting
        self._waiters: collections.deque[threading.Lock] = collections.deque()
        self._held = False

    def acquire(self) -> None:
        """Wait for the lock; the waiters ahead of this one get it first."""
        with self._guard:
            if not self._held:
                self._held = True
                return
            gate = threading.Lock()
            gate.acquire()
            self._waiters.append(gate)
        gate.acquire()  # opened by release(), which hands the lock over (still held)

    def release(self) -> None:
        """Hand the lock to the longest waiter, or free it when nobody waits."""
        with self._guard:
            if not self._held:
                raise RuntimeError("release of a FairLock that is not held")
            if self._waiters:
                self._waiters.popleft().release()
            else:
                self._held = False

    @property
    def held(self) -> bool:
        """Whether some thread holds the lock."""
        return self._held

    @property
    def waiting(self) -> int:
        """How many threads wait for the lock."""
        return len(self._waiters)

    def __enter__(self) -> FairLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.release()
