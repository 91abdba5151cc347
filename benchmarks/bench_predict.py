"""Challenge prediction throughput over the whole input space (target: 100,000 per second).

Every combination of pool (mode, offered factors, tier, recovery channel, device remembering),
user (preference, TOTP registered, phone, email) and sign-in (remembered device, adaptive
decision) is predicted once: 432 x 160 x 10 = 691,200 inputs. Throughput is counted in CPU time
of this process, so other work on a shared machine does not distort it. The baseline is the
fastest conceivable alternative, a dict lookup of precomputed predictions (keyed by the same
three frozen objects), measured in the same run on a slice of the space. The sweep runs a few
times; the row reports the median rate with the spread.
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks._timing import quick, spread_row
from mfa_widgets.core.signin import (
    PoolMfaConfig,
    Prediction,
    SignInContext,
    UserMfaFacts,
    input_space,
    predict_challenge,
)

TARGET = 100_000.0
RUNS = 1 if quick() else 3


def _sweep(
    pools: list[PoolMfaConfig], users: list[UserMfaFacts], contexts: list[SignInContext]
) -> tuple[int, float]:
    count = 0
    start = time.process_time()
    for pool in pools:
        for user in users:
            for context in contexts:
                predict_challenge(pool, user, context)
            count += len(contexts)
    return count, time.process_time() - start


def _lookup_rate(
    pools: list[PoolMfaConfig], users: list[UserMfaFacts], contexts: list[SignInContext]
) -> float:
    table: dict[tuple[PoolMfaConfig, UserMfaFacts, SignInContext], Prediction] = {
        (p, u, c): predict_challenge(p, u, c) for p in pools for u in users for c in contexts
    }
    keys = list(table)
    start = time.process_time()
    for key in keys:
        table[key]
    elapsed = time.process_time() - start
    return len(keys) / elapsed


def run() -> list[dict[str, Any]]:
    """Measure predictions per CPU-second over the whole input space."""
    pools, users, contexts = input_space()
    sweeps = [_sweep(pools, users, contexts) for _ in range(RUNS)]
    count = sweeps[0][0]
    lookup = _lookup_rate(pools[::24], users, contexts)
    return [
        spread_row(
            f"predict_challenge over the whole input space ({count:,} inputs)",
            [done / elapsed for done, elapsed in sweeps],
            "predictions/s (CPU time)",
            f">= {TARGET:,.0f}",
            f"dict lookup of precomputed predictions: {lookup:,.0f}/s",
        )
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
