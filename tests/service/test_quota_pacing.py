"""Running at the quota without being throttled: the sandbox's quota guard, the client's
per-category pacer, and thread counts sized from the rate and the round trip."""

from __future__ import annotations

import math
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st

from mfa_widgets import MfaClient
from mfa_widgets.core.quotas import CATEGORY_RATES, OPERATION_CATEGORY, category_of
from mfa_widgets.core.signin import PoolMfaMode
from mfa_widgets.sandbox import Sandbox
from mfa_widgets.sandbox.faults import Faults, QuotaGuard
from mfa_widgets.services.audit import audit_pool
from mfa_widgets.services.explore import Explorer, default_scenarios
from mfa_widgets.services.pacing import HEADROOM, QUOTAS, QuotaPacer, RateLimiter, workers_for
from tests.unit.test_ratelimit import FakeClock


@pytest.fixture
def faults(sandbox: Sandbox) -> Iterator[Faults]:
    yield sandbox.faults
    sandbox.faults.clear()


# -- the one quota table ----------------------------------------------------------------------


def test_pacing_and_sandbox_share_one_table_from_the_reference() -> None:
    assert dict(CATEGORY_RATES) == QUOTAS
    # section 3.5 of the Cognito reference
    assert category_of("AdminSetUserMFAPreference") == "UserResourceUpdate"
    assert category_of("VerifySoftwareToken") == "UserResourceUpdate"
    assert category_of("AdminGetUser") == "UserRead"
    assert category_of("RespondToAuthChallenge") == "UserAuthentication"
    assert (CATEGORY_RATES["UserResourceUpdate"], CATEGORY_RATES["UserRead"]) == (25, 120)
    assert category_of("AdminCreateUser") is None
    assert set(OPERATION_CATEGORY.values()) <= set(CATEGORY_RATES)


def test_every_paced_operation_is_a_cognito_operation() -> None:
    import botocore.session

    model = botocore.session.get_session().get_service_model("cognito-idp")
    assert set(OPERATION_CATEGORY) <= set(model.operation_names)


# -- the sandbox's guard ----------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    rate=st.floats(min_value=1, max_value=200),
    burst_seconds=st.floats(min_value=0.01, max_value=1),
    gaps=st.lists(st.floats(min_value=0, max_value=0.05), min_size=1, max_size=300),
)
def test_the_guard_admits_no_more_than_rate_and_burst(
    rate: float, burst_seconds: float, gaps: list[float]
) -> None:
    clock = FakeClock()
    guard = QuotaGuard({"UserRead": rate}, burst_seconds, clock=clock)
    admitted_at = []
    for gap in gaps:
        clock.now += gap
        if guard.admit("AdminGetUser"):
            admitted_at.append(clock.now)
    capacity = max(1.0, rate * burst_seconds)
    # any stretch of time admits at most what the rate refills plus a full bucket
    for i, start in enumerate(admitted_at):
        for j in range(i, len(admitted_at)):
            assert j - i + 1 <= capacity + (admitted_at[j] - start) * rate + 1e-6
    assert guard.admitted["UserRead"] == len(admitted_at)
    assert guard.admitted["UserRead"] + guard.throttled["UserRead"] == len(gaps)
    assert guard.admit("AdminCreateUser")  # outside every category: never throttled


def test_requests_evenly_spaced_at_the_rate_are_never_throttled() -> None:
    clock = FakeClock()
    guard = QuotaGuard(clock=clock)
    for _ in range(1000):
        assert guard.admit("AdminSetUserMFAPreference")
        clock.now += 1 / 25
    assert guard.total_throttled == 0


def test_bad_quota_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="must be positive"):
        QuotaGuard({"UserRead": 0})
    with pytest.raises(ValueError, match="burst_seconds"):
        QuotaGuard(burst_seconds=0)


def test_the_sandbox_throttles_above_the_quota(sandbox: Sandbox, faults: Faults, pool: Any) -> None:
    guard = faults.enforce_quotas({"UserPoolResourceRead": 2.0}, burst_seconds=0.5)
    client = sandbox.in_process_client()

    def read(_: int) -> str:
        try:
            client.get_user_pool_mfa_config(UserPoolId=pool.pool_id)
        except ClientError as error:
            return str(error.response["Error"]["Code"])
        return "ok"

    with ThreadPoolExecutor(max_workers=4) as threads:
        answers = list(threads.map(read, range(8)))
    assert answers.count("TooManyRequestsException") == guard.throttled["UserPoolResourceRead"]
    assert guard.throttled["UserPoolResourceRead"] >= 4  # a bucket of 1, 2/s: most refused
    faults.clear()
    assert read(0) == "ok"


# -- the client's pacer -----------------------------------------------------------------------


def test_the_pacer_paces_each_operation_by_its_category() -> None:
    clock = FakeClock()
    limiters = {
        name: RateLimiter(rate, clock=clock, sleep=clock.sleep) for name, rate in QUOTAS.items()
    }
    pacer = QuotaPacer(limiters)
    for _ in range(11):
        pacer("AdminSetUserMFAPreference")
    assert clock.now == pytest.approx(10 / 25)
    pacer("AdminCreateUser")  # not in a modelled category: no wait
    assert clock.now == pytest.approx(10 / 25)
    assert pacer.limiter("UserResourceUpdate").acquired == 11
    assert pacer.limiter("UserRead").acquired == 0


def test_a_paced_client_waits_before_each_call(sandbox: Sandbox, pool: Any) -> None:
    seen: list[str] = []
    client = MfaClient.for_sandbox(sandbox, in_process=True).with_pacer(seen.append)
    client.get_pool_config(pool.pool_id)
    client.admin_get_preference(pool.pool_id, "nobody")
    assert seen == ["GetUserPoolMfaConfig", "DescribeUserPool", "AdminGetUser"]


# -- thread counts from the rate and the round trip --------------------------------------------


@given(
    rate=st.floats(min_value=0.1, max_value=500),
    calls=st.floats(min_value=1, max_value=10),
    latency=st.floats(min_value=0.001, max_value=0.5),
)
def test_workers_cover_the_calls_in_flight(rate: float, calls: float, latency: float) -> None:
    workers = workers_for(rate, calls_per_item=calls, latency_s=latency, most=10_000)
    in_flight = rate * calls * latency  # Little's law
    assert workers >= in_flight
    assert workers <= math.ceil(in_flight * HEADROOM) + 1
    assert workers_for(rate * 2, calls_per_item=calls, latency_s=latency) >= min(workers, 64)


def test_workers_for_an_unlimited_rate_and_a_cap() -> None:
    assert workers_for(0) >= 1
    assert workers_for(RateLimiter(120)) == workers_for(120)
    assert workers_for(10_000) == 64


# -- jobs at a (scaled-down) quota are not throttled -------------------------------------------


def test_a_paced_audit_is_never_throttled(sandbox: Sandbox, faults: Faults, make_pool: Any) -> None:
    pool = make_pool()
    cognito = sandbox.in_process_client()
    for i in range(40):
        cognito.admin_create_user(
            UserPoolId=pool.pool_id, Username=f"quota-{i:03d}", MessageAction="SUPPRESS"
        )
    rates = {**QUOTAS, "UserRead": 30.0, "UserList": 5.0}
    guard = faults.enforce_quotas(rates)
    faults.latency(median_ms=20, jitter_ms=5)
    audit = audit_pool(
        MfaClient.for_sandbox(sandbox, in_process=True),
        pool.pool_id,
        read_rate=rates["UserRead"],
        list_rate=rates["UserList"],
        page_size=10,
    )
    assert len(audit.users) == 40
    assert guard.admitted["UserRead"] == 2 * 40  # AdminGetUser + AdminGetUserAuthFactors
    assert guard.total_throttled == 0


def test_a_sweep_paces_its_authenticator_registrations_too(
    sandbox: Sandbox, faults: Faults
) -> None:
    scenarios = [s for s in default_scenarios(modes=(PoolMfaMode.OPTIONAL,)) if s.totp_registered]
    scenarios = scenarios[:6]
    guard = faults.enforce_quotas({**QUOTAS, "UserResourceUpdate": 8.0}, burst_seconds=0.25)
    faults.latency(median_ms=10)
    explorer = Explorer(MfaClient.for_sandbox(sandbox, in_process=True), write_rate=8.0)
    outcomes = explorer.run(scenarios)
    assert all(o.agrees for o in outcomes), [o.error for o in outcomes]
    # a write, an association and a verification per scenario, none throttled
    assert guard.admitted["UserResourceUpdate"] >= 3 * len(scenarios)
    assert guard.total_throttled == 0
