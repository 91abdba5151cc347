"""The classroom's shared lock never lets a waiter starve behind threads that came after it."""

from __future__ import annotations

import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mfa_widgets.sandbox.classroom.fair_lock import PATIENCE, FairLock


def _wait_for(condition: object, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.001)


@settings(max_examples=15, deadline=None)
@given(waiters=st.integers(min_value=1, max_value=12))
def test_with_no_patience_waiters_get_the_lock_in_the_order_they_came(waiters: int) -> None:
    lock, order = FairLock(patience=0.0), []

    def waiter(number: int) -> None:
        with lock:
            order.append(number)

    lock.acquire()
    threads = []
    for number in range(waiters):  # each one is waiting before the next one comes
        thread = threading.Thread(target=waiter, args=(number,))
        thread.start()
        threads.append(thread)
        _wait_for(lambda number=number: lock.waiting == number + 1)
    lock.release()
    for thread in threads:
        thread.join(timeout=5)
    assert order == list(range(waiters))
    assert not lock.held


def test_a_thread_asking_again_at_once_goes_behind_one_that_waited_too_long() -> None:
    """What a request thread does when it picks up its next call: with a plain Lock it usually
    wins the lock back from a thread that has waited all along."""
    lock, order = FairLock(), []
    lock.acquire()
    waiting = threading.Thread(
        target=lambda: (lock.acquire(), order.append("waited"), lock.release())
    )
    waiting.start()
    _wait_for(lambda: lock.waiting == 1)
    time.sleep(PATIENCE * 2)
    lock.release()
    with lock:  # asks again at once
        order.append("asked again")
    waiting.join(timeout=5)
    assert order == ["waited", "asked again"]


def test_many_threads_never_hold_it_together() -> None:
    lock, inside, most = FairLock(), [0], [0]

    def work() -> None:
        for _ in range(200):
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
                inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert most[0] == 1
    assert not lock.held
    assert lock.waiting == 0


def test_releasing_a_lock_nobody_holds_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="not held"):
        FairLock().release()
