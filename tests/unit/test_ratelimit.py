"""RateLimiter paces permits at its rate, with a fake clock (no real sleeping)."""

from __future__ import annotations

import threading

import pytest

from mfa_widgets.services.pacing import QUOTAS, RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.mark.parametrize("rate", [1.0, 25.0, 120.0])
def test_permits_are_spaced_by_the_rate(rate: float) -> None:
    clock = FakeClock()
    limiter = RateLimiter(rate, clock=clock, sleep=clock.sleep)
    for _ in range(100):
        limiter.acquire()
    # the first permit is free, the next 99 wait 1/rate each
    assert clock.now == pytest.approx(99 / rate)
    assert limiter.acquired == 100


def test_burst_allows_a_head_start() -> None:
    clock = FakeClock()
    limiter = RateLimiter(10.0, burst=5, clock=clock, sleep=clock.sleep)
    waits = [limiter.acquire() for _ in range(5)]
    assert waits == [0.0] * 5
    assert limiter.acquire() == pytest.approx(0.1)


def test_idle_time_refills_but_not_beyond_burst() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2.0, burst=2, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    limiter.acquire()
    clock.now += 100
    assert [limiter.acquire() for _ in range(2)] == [0.0, 0.0]
    assert limiter.acquire() == pytest.approx(0.5)


def test_unlimited_rate_never_waits() -> None:
    limiter = RateLimiter(0)
    assert all(limiter.acquire() == 0.0 for _ in range(1000))


def test_threads_share_the_budget() -> None:
    clock = FakeClock()  # frozen: every permit is reserved at time 0, sleeping does nothing
    limiter = RateLimiter(50.0, clock=clock, sleep=lambda seconds: None)
    waits: list[float] = []

    def take() -> None:
        for _ in range(25):
            waits.append(limiter.acquire())

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 100 permits reserved at time 0: the last one is 99 steps of 1/50 s away
    assert max(waits) == pytest.approx(99 / 50)
    assert len(waits) == 100


def test_quotas_match_cognito_documentation() -> None:
    assert QUOTAS["UserResourceUpdate"] == 25
    assert QUOTAS["UserAuthentication"] == 120
