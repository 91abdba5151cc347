"""The lockout rule on its own: Cognito's documented backoff, with a clock the test moves."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mfa_widgets.sandbox.store.clock import Clock
from mfa_widgets.sandbox.store.lockout import (
    ATTEMPTS_EXCEEDED,
    FREE_FAILURES,
    IDLE_RESET_SECONDS,
    MAX_LOCK_SECONDS,
    Lockout,
)
from mfa_widgets.sandbox.wire import WireError

KEY = ("us-east-1_pool", "sub-1")


def failed(times: int) -> tuple[Clock, Lockout]:
    clock = Clock()
    lockout = Lockout(clock)
    for _ in range(times):
        lockout.check(KEY)
        lockout.failure(KEY)
        clock.advance(lockout.locked_for(KEY))  # wait out each lockout, as a patient attacker
    return clock, lockout


@given(st.integers(min_value=0, max_value=FREE_FAILURES - 1))
def test_the_first_four_failures_do_not_lock(n):
    _, lockout = failed(n)
    assert lockout.locked_for(KEY) == 0
    lockout.check(KEY)


@given(st.integers(min_value=FREE_FAILURES, max_value=40))
def test_the_nth_failure_locks_for_two_to_the_n_minus_five_seconds(n):
    clock = Clock()
    lockout = Lockout(clock)
    for _ in range(n - 1):
        lockout.failure(KEY)
        clock.advance(lockout.locked_for(KEY))
    lockout.failure(KEY)
    expected = min(2.0 ** (n - FREE_FAILURES), MAX_LOCK_SECONDS)
    assert lockout.locked_for(KEY) == pytest.approx(expected, abs=0.05)
    with pytest.raises(WireError, match=ATTEMPTS_EXCEEDED):
        lockout.check(KEY)


def test_attempts_during_a_lockout_do_not_lengthen_it():
    _, lockout = failed(7)
    lockout.failure(KEY)  # the 8th failure: 8 s
    for _ in range(50):
        with pytest.raises(WireError):
            lockout.check(KEY)
    assert lockout.locked_for(KEY) == pytest.approx(8, abs=0.05)


def test_fifteen_idle_minutes_or_a_success_reset_the_count():
    clock, lockout = failed(9)
    clock.advance(IDLE_RESET_SECONDS)
    lockout.check(KEY)
    lockout.failure(KEY)
    assert lockout.locked_for(KEY) == 0  # counting from one again
    _, lockout = failed(9)
    lockout.success(KEY)
    assert len(lockout) == 0


def test_users_are_counted_apart():
    _, lockout = failed(12)
    lockout.check(("us-east-1_pool", "another-sub"))
