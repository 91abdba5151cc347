"""A pool audit at Cognito's UserRead quota, with real-Region latency, from 100 to 10,000 users.

``run()`` starts a sandbox in its own process (:class:`benchmarks._sandbox_process.SandboxProcess`),
fills pools straight into its backend (provisioning is not what is measured), then makes it
answer like a nearby Region (40 ms median latency, 10 ms jitter) and throttle like Cognito (its
quota guard refuses what exceeds the default quotas). It measures:

* audit at the quota: :func:`~mfa_widgets.services.audit.audit_pool` with its defaults (paced at
  120 reads/s, threads sized from the quota and the latency) on a 2,000-user pool; users per
  second of wall time (pool reads and listing included) over the 120/s quota, the median of
  several runs. Target: at least 0.9. A naive loop (one ``AdminGetUser`` after another) is
  timed on a sample of users for comparison: latency, not the quota, bounds it (~25 reads/s).
  The CPU time each read costs the client and the sandbox is reported beside it: at the quota
  the two need that many cores, which a busy machine may not have to give.
* throttling: requests the sandbox refused in all those runs. Target: none.
* peak window: the most permits the limiter handed out in any 1-second window, over 120 (it must
  not burst). Target: at most 1.05.
* scaling: one audit each of 100, 1,000 and 10,000 users; time per user at the largest over the
  smallest. Target: flat (at most 1.1; the smallest pays the set-up reads over fewer users).
* memory: how much the process's peak resident memory grew during the 10,000-user audit and
  the building of its frame. Target: at most 100 MB.

``python -m benchmarks --quick`` uses 300 users, runs twice, and scales 50 to 1,000.
"""

from __future__ import annotations

import bisect
import resource
import time
from pathlib import Path
from typing import Any

from benchmarks._sandbox_process import SandboxProcess, raw_client, toolkit_client
from benchmarks._timing import flat_row, quick, row, spread_row, throttled_row
from mfa_widgets.services.pacing import QUOTAS, RateLimiter

LATENCY_MS, JITTER_MS = 40.0, 10.0
USERS = 300 if quick() else 2000
RUNS = 2 if quick() else 3
SIZES = (50, 1000) if quick() else (100, 1000, 10_000)
NAIVE_SAMPLE = 40 if quick() else 150
QUOTA = QUOTAS["UserRead"]


class _StampedLimiter(RateLimiter):
    """A limiter that notes when it hands out each permit."""

    def __init__(self, rate: float) -> None:
        super().__init__(rate)
        self.stamps: list[float] = []

    def acquire(self) -> float:
        waited = super().acquire()
        self.stamps.append(time.perf_counter())
        return waited


def _peak_per_second(stamps: list[float]) -> int:
    return max(bisect.bisect_left(stamps, t + 1.0) - i for i, t in enumerate(stamps))


def _naive_reads_per_second(endpoint: str, pool_id: str) -> float:
    """What one writes without the toolkit: list a page, read its users one by one."""
    client = raw_client(endpoint)
    started = time.perf_counter()
    read, token = 0, None
    while read < NAIVE_SAMPLE:
        page = client.list_users(
            UserPoolId=pool_id, Limit=60, **({"PaginationToken": token} if token else {})
        )
        for user in page["Users"][: NAIVE_SAMPLE - read]:
            client.admin_get_user(UserPoolId=pool_id, Username=user["Username"])
            read += 1
        token = page.get("PaginationToken")
    return read / (time.perf_counter() - started)


def _resident_kib() -> int:
    """The process's resident memory now, in KiB (Linux ``/proc``)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() // 1024


def run() -> list[dict[str, Any]]:
    """Audits at the quota, their throttling, scaling and memory (see the module docstring)."""
    from mfa_widgets.services.audit import audit_pool

    with SandboxProcess() as sandbox:
        pools = {size: sandbox.populate(size) for size in sorted({USERS, *SIZES})}
        sandbox.latency(LATENCY_MS, JITTER_MS)
        sandbox.quotas(True)
        client = toolkit_client(sandbox.endpoint)
        naive = _naive_reads_per_second(sandbox.endpoint, pools[USERS])

        ratios, limiter = [], _StampedLimiter(QUOTA)
        server_cpu, client_cpu = sandbox.stats()["cpu_seconds"], time.process_time()
        for _ in range(RUNS):
            limiter = _StampedLimiter(QUOTA)
            audit = audit_pool(client, pools[USERS], read_rate=limiter)
            if len(audit.users) != USERS or not audit.complete:
                raise AssertionError(f"the audit read {len(audit.users)} of {USERS} users")
            ratios.append(USERS / audit.seconds / QUOTA)

        reads = RUNS * USERS
        client_ms = (time.process_time() - client_cpu) / reads * 1e3
        server_ms = (sandbox.stats()["cpu_seconds"] - server_cpu) / reads * 1e3
        per_user: dict[int, float] = {}
        grown_mib = 0.0
        for size in SIZES:
            before = _resident_kib()
            audit = audit_pool(client, pools[size])
            if len(audit.users) != size or len(audit.frame) != size:
                raise AssertionError(f"the audit read {len(audit.users)} of {size} users")
            per_user[size] = audit.seconds / size
            if size == max(SIZES):  # Linux reports the peak in KiB
                grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
            del audit
        throttled = sandbox.stats()["throttled"]
    largest = max(SIZES)
    quota_text = f"UserRead quota {QUOTA:.0f}/s, {LATENCY_MS:.0f} ms latency"
    return [
        spread_row(
            f"audit of a {USERS:,}-user pool at {LATENCY_MS:.0f} ms latency: users/s / "
            f"UserRead quota",
            ratios,
            "ratio",
            ">= 0.9",
            f"{quota_text}; a naive boto3 loop reads {naive:.0f} users/s; at the quota the "
            f"reads need {QUOTA * (client_ms + server_ms) / 1e3:.2f} CPU cores (client "
            f"{client_ms:.1f} + sandbox {server_ms:.1f} ms per read)",
            naive_reads_per_second=round(naive, 1),
            cpu_ms_per_read={"client": round(client_ms, 2), "sandbox": round(server_ms, 2)},
        ),
        throttled_row("the audits", throttled),
        row(
            "audit's rate limiter: most permits in any 1-second window / quota",
            _peak_per_second(limiter.stamps) / QUOTA,
            "ratio",
            "<= 1.05",
            f"UserRead quota {QUOTA:.0f}/s",
        ),
        flat_row("audit", per_user),
        row(
            f"memory of a {largest:,}-user audit and its frame (peak resident growth)",
            grown_mib,
            "MiB",
            "<= 100",
            f"{grown_mib * 1024 / largest:.1f} KiB per user",
        ),
    ]


if __name__ == "__main__":
    for result in run():
        print(result)
