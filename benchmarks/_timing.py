"""Shared timing helpers for the ratio benchmarks: medians, interleaving, result rows."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def interleaved_medians(
    candidates: dict[str, Callable[[int], object]], calls: int, warmup: int = 20
) -> dict[str, float]:
    """Median milliseconds per call of each candidate, alternating them call by call.

    Interleaving makes a shared, noisy machine slow every candidate alike, so the ratio of the
    medians stays meaningful. Each candidate gets the call index (to vary its input).
    """
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    for i in range(warmup + calls):
        for name, fn in candidates.items():
            started = time.perf_counter()
            fn(i)
            if i >= warmup:
                samples[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


def row(
    name: str,
    value: float,
    unit: str,
    target: str,
    baseline: str,
    meets_target: bool,
    **extra: Any,
) -> dict[str, Any]:
    """One result row in the shape ``benchmarks/__main__.py`` prints."""
    return {
        "name": name,
        "value": round(value, 4),
        "unit": unit,
        "target": target,
        "baseline": baseline,
        "meets_target": bool(meets_target),
        **extra,
    }
