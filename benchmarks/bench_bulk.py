"""A bulk preference change at Cognito's write quota, with real-Region latency.

The sandbox runs in its own process (:class:`benchmarks._sandbox_process.SandboxProcess`); its
pools are filled straight into its backend, every user with a phone number. An unpaced audit
(no latency yet; not measured) gives the plan: make SMS the preferred factor of every user.
Then the sandbox answers like a nearby Region (40 ms median latency, 10 ms jitter) and
throttles like Cognito, and :func:`~mfa_widgets.services.bulk.apply_bulk_change` sends the plan
with its defaults (paced at 25 writes/s, threads sized from the quota and the write + read-back
round trips). Measured:

* users changed per second of wall time over the 25/s UserResourceUpdate quota, for 1,000
  users, the median of two runs. Target: at least 0.9.
* time per user, 1,000 users over 100. Target: flat (at most 1.1).
* requests the sandbox throttled. Target: none.

``python -m benchmarks --quick`` changes 200 users.
"""

from __future__ import annotations

from typing import Any

from benchmarks._sandbox_process import SandboxProcess, toolkit_client
from benchmarks._timing import flat_row, quick, spread_row, throttled_row
from mfa_widgets.services.pacing import QUOTAS

LATENCY_MS, JITTER_MS = 40.0, 10.0
USERS = 200 if quick() else 1000
SMALL = 50 if quick() else 100
RUNS = 2
QUOTA = QUOTAS["UserResourceUpdate"]


def run() -> list[dict[str, Any]]:
    """Bulk changes at the write quota (see the module docstring)."""
    import time

    from mfa_widgets.services.audit import audit_pool
    from mfa_widgets.services.bulk import apply_bulk_change, plan_bulk_change

    ratios, seconds_per_user = [], {}
    by_category: dict[str, int] = {}
    with SandboxProcess() as sandbox:
        client = toolkit_client(sandbox.endpoint)
        plans = {}
        for size in (SMALL, USERS):
            pool_id = sandbox.populate(size, phone_every=1)
            audit = audit_pool(client, pool_id, read_rate=0, list_rate=0)
            names = [user.username for user in audit.users]
            plans[size] = plan_bulk_change(audit, names, {"sms": "preferred"})
        sandbox.latency(LATENCY_MS, JITTER_MS)
        for size, runs in ((SMALL, 1), (USERS, RUNS)):
            for _ in range(runs):
                sandbox.quotas(True)
                started = time.perf_counter()
                report = apply_bulk_change(client, plans[size], confirm=True)
                wall = time.perf_counter() - started
                assert all(o.outcome == "applied" for o in report.outcomes), report.frame()
                for category, count in sandbox.stats()["throttled"].items():
                    by_category[category] = by_category.get(category, 0) + count
                seconds_per_user[size] = wall / size
                if size == USERS:
                    ratios.append(size / wall / QUOTA)
    return [
        spread_row(
            f"bulk change of {USERS:,} users at {LATENCY_MS:.0f} ms latency: users/s / "
            "UserResourceUpdate quota",
            ratios,
            "ratio",
            ">= 0.9",
            f"UserResourceUpdate quota {QUOTA:.0f}/s (one write and a read-back per user)",
        ),
        flat_row("bulk change", seconds_per_user),
        throttled_row("the bulk changes", by_category),
    ]


if __name__ == "__main__":
    for result in run():
        print(result)
