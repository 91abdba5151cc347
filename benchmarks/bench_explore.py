"""The default challenge sweep (40 scenarios) at Cognito's write quota, with real-Region latency.

The sandbox runs in its own process (:class:`benchmarks._sandbox_process.SandboxProcess`),
answers like a nearby Region (40 ms median latency, 10 ms jitter) and throttles like Cognito
(its quota guard refuses what exceeds the default quotas). The
:class:`~mfa_widgets.services.explore.Explorer` runs with its defaults: every call paced by its
quota category, scenarios in flight sized from the write quota and the round trips a scenario
makes. Per scenario it creates a user, sets a password, registers an authenticator where the
scenario enables TOTP (two UserResourceUpdate calls), adds phone and email, writes the
preference (one more), reads it back and signs in. Measured, over several runs:

* the UserResourceUpdate requests per second the sandbox let through, between the first and
  the last, over the 25/s quota. Target: at least 0.9.
* the sweep's wall time over the floor the quota sets (all its UserResourceUpdate requests at
  25/s); the difference is the round trips before the first write and after the last.
  Target: at most 1.3.
* requests the sandbox throttled. Target: none.
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks._sandbox_process import SandboxProcess, toolkit_client
from benchmarks._timing import quick, spread_row, throttled_row
from mfa_widgets.services.pacing import QUOTAS

LATENCY_MS, JITTER_MS = 40.0, 10.0
RUNS = 2 if quick() else 3
QUOTA = QUOTAS["UserResourceUpdate"]
CATEGORY = "UserResourceUpdate"


def run() -> list[dict[str, Any]]:
    """Sweeps at the write quota (see the module docstring)."""
    from mfa_widgets.services.explore import Explorer, default_scenarios

    scenarios = default_scenarios()
    rates, walls, writes, agreeing = [], [], 0, 0
    throttled: dict[str, int] = {}
    with SandboxProcess() as sandbox:
        sandbox.latency(LATENCY_MS, JITTER_MS)
        client = toolkit_client(sandbox.endpoint)
        Explorer(client).run(scenarios[:2])  # warm up (imports, connections)
        for _ in range(RUNS):
            sandbox.quotas(True)  # a fresh guard: counts this run only
            started = time.perf_counter()
            outcomes = Explorer(client).run(scenarios)
            wall = time.perf_counter() - started
            stats = sandbox.stats()
            writes = stats["admitted"][CATEGORY]
            rates.append(stats["rates"][CATEGORY] / QUOTA)
            walls.append(wall / (writes / QUOTA))
            for category, count in stats["throttled"].items():
                throttled[category] = throttled.get(category, 0) + count
            agreeing = sum(o.agrees for o in outcomes)
    return [
        spread_row(
            f"default sweep ({len(scenarios)} scenarios) at {LATENCY_MS:.0f} ms latency: "
            "UserResourceUpdate requests/s / quota",
            rates,
            "ratio",
            ">= 0.9",
            f"UserResourceUpdate quota {QUOTA:.0f}/s ({writes} such requests per sweep)",
            agreeing=agreeing,
        ),
        spread_row(
            "default sweep wall time / the quota floor",
            walls,
            "ratio",
            "<= 1.3",
            f"{writes} UserResourceUpdate requests at {QUOTA:.0f}/s: {writes / QUOTA:.2f} s",
        ),
        throttled_row("the sweeps", throttled),
    ]


if __name__ == "__main__":
    for result in run():
        print(result)
