"""Pool audit throughput against a naive loop, and the rate limiter's achieved rate.

``run()`` builds a 2,000-user pool on a sandbox running in its own process (as a shared training
endpoint would; provisioning is not what is measured) and measures:

* audit / naive loop: :func:`mfa_widgets.services.audit.audit_pool` (8 threads, no client-side
limit)
  against a sequential boto3 loop making the same reads (the pool configuration, every
  ``ListUsers`` page, one ``AdminGetUser`` per user), as a wall-time ratio. Target: not slower.
  The sandbox's CPU bounds both; the audit's threads overlap the client's work with the
  server's. Against real Cognito, with ~50 ms per call, the threads are what lets the audit
  approach the 120 requests/s quota.
* achieved / configured rate: an audit paced by a limit set at half the sandbox's measured
  throughput (capped at the UserRead quota, 120/s), stopped after 120 reads: reads finished per
  second between the first and the last, over the limit. Target: at least 0.9.
* peak 1-second window / configured rate: the most permits the limiter handed out in any
  1-second window, over the limit (it must not burst; finishing times would add the server's
  jitter). Target: at most 1.05.
"""

from __future__ import annotations

import bisect
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from benchmarks._sandbox_process import raw_client, sandbox_process, toolkit_client
from benchmarks._timing import row
from mfa_widgets.core.challenges import PoolMfaConfig, PoolMfaMode
from mfa_widgets.core.preferences import Factor
from mfa_widgets.core.requests import mfa_config_request
from mfa_widgets.services.pacing import RateLimiter

USERS = 2000
PACED_READS = 120


def _provision(endpoint: str) -> str:
    """A pool with MFA required and USERS users (half with a phone, two thirds with an email)."""
    raw = raw_client(endpoint)
    pool_id: str = raw.create_user_pool(PoolName="bench-audit")["UserPool"]["Id"]
    required = PoolMfaConfig(mode=PoolMfaMode.ON, factors=frozenset({Factor.SMS, Factor.TOTP}))
    raw.set_user_pool_mfa_config(**mfa_config_request(pool_id, required))

    def create(i: int) -> None:
        attributes = []
        if i % 2 == 0:
            attributes.append({"Name": "phone_number", "Value": "+15555550100"})
        if i % 3:
            attributes.append({"Name": "email", "Value": f"user-{i}@example.com"})
        clients[threading.get_ident() % 4].admin_create_user(
            UserPoolId=pool_id,
            Username=f"user-{i:05d}",
            MessageAction="SUPPRESS",
            UserAttributes=attributes,
        )

    clients = [raw_client(endpoint) for _ in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(create, range(USERS)))
    return pool_id


def _naive(client: Any, pool_id: str) -> int:
    """What one writes without the toolkit: pool reads, then list and read users one by one."""
    client.get_user_pool_mfa_config(UserPoolId=pool_id)
    client.describe_user_pool(UserPoolId=pool_id)
    read, token = 0, None
    while True:
        page = client.list_users(
            UserPoolId=pool_id, Limit=60, **({"PaginationToken": token} if token else {})
        )
        for user in page["Users"]:
            client.admin_get_user(UserPoolId=pool_id, Username=user["Username"])
            read += 1
        token = page.get("PaginationToken")
        if not token:
            return read


class _StampedLimiter(RateLimiter):
    """A limiter that notes when it hands out each permit."""

    def __init__(self, rate: float) -> None:
        super().__init__(rate)
        self.stamps: list[float] = []

    def acquire(self) -> float:
        waited = super().acquire()
        self.stamps.append(time.perf_counter())
        return waited


def _paced(client: Any, pool_id: str, limit: float) -> tuple[list[float], list[float]]:
    """Permit and completion times of the first reads of an audit paced at ``limit`` reads/s."""
    from mfa_widgets.services.audit import audit_pool

    limiter = _StampedLimiter(limit)
    finished: list[float] = []
    stop = threading.Event()

    def progress(done: int, _total: int | None) -> None:
        if done:
            finished.append(time.perf_counter())
        if done >= PACED_READS:
            stop.set()

    audit_pool(client, pool_id, read_rate=limiter, list_rate=0, progress=progress, stop=stop)
    return limiter.stamps, finished


def _peak_per_second(stamps: list[float]) -> int:
    return max(bisect.bisect_left(stamps, t + 1.0) - i for i, t in enumerate(stamps))


def run() -> list[dict[str, Any]]:
    """Audit vs naive loop, and the limiter's achieved and peak rates (see the module docstring)."""
    from mfa_widgets.services.audit import audit_pool
    from mfa_widgets.services.pacing import QUOTAS

    with sandbox_process() as endpoint:
        pool_id = _provision(endpoint)
        raw = raw_client(endpoint)
        client = toolkit_client(endpoint)

        started = time.perf_counter()
        naive_reads = _naive(raw, pool_id)
        naive_s = time.perf_counter() - started

        started = time.perf_counter()
        audit = audit_pool(client, pool_id, read_rate=0, list_rate=0, workers=8)
        audit_s = time.perf_counter() - started
        assert naive_reads == len(audit.users) == USERS

        limit = round(min(QUOTAS["UserRead"], 0.5 * USERS / audit_s), 1)
        permits, finished = _paced(client, pool_id, limit)
    achieved = (len(finished) - 1) / (finished[-1] - finished[0])
    return [
        row(
            f"audit of a {USERS}-user sandbox pool, wall time / naive sequential boto3 loop",
            audit_s / naive_s,
            "ratio",
            "<= 1.0",
            f"naive loop {naive_s:.1f} s ({USERS / naive_s:.0f} reads/s)",
            audit_s=round(audit_s, 2),
        ),
        row(
            f"rate limiter: achieved reads/s / configured limit ({limit}/s, {len(finished)} reads)",
            achieved / limit,
            "ratio",
            ">= 0.9",
            f"configured {limit} reads/s (half the unpaced audit's throughput, at most 120)",
            achieved=round(achieved, 2),
        ),
        row(
            "rate limiter: most permits in any 1-second window / configured limit",
            _peak_per_second(permits) / limit,
            "ratio",
            "<= 1.05",
            f"configured {limit} reads/s",
        ),
    ]


if __name__ == "__main__":
    for result in run():
        print(result)
