"""Click handlers that run one at a time: a click arriving while the last one runs is dropped.

A double click sends two click messages. Disabling the button while busy does not stop the
second: it was sent before the button turned grey, and the kernel may handle it while the first
call is still running. :func:`one_at_a_time` makes the second a no-op, so a double-clicked
"Register a passkey" registers once instead of racing its own ceremony.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

__all__ = ["one_at_a_time"]

F = TypeVar("F", bound=Callable[..., None])


def one_at_a_time(method: F) -> F:
    """Run ``method`` only when no other decorated call of the same panel is running.

    The lock is per panel object (shared by all its decorated methods): a click on another
    button of the same panel during a call is dropped too, as a disabled button would.
    """

    @functools.wraps(method)
    def run(self: Any, *args: Any, **kwargs: Any) -> None:
        lock = self.__dict__.setdefault("_one_at_a_time", threading.Lock())
        if not lock.acquire(blocking=False):
            return  # a click while the panel is busy: the running call shows its result
        try:
            method(self, *args, **kwargs)
        finally:
            lock.release()

    return cast(F, run)
