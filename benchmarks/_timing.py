"""Shared helpers for the ratio benchmarks: timing, fresh-process timing, and result rows.

Every benchmark row follows one convention (see ``benchmarks/__main__.py``): ``target`` is a
string ``"<= N"`` or ``">= N"`` (``N`` may use thousands separators), ``baseline`` a string saying
what the value was compared with (measured in the same run), and ``meets_target`` is computed
from the two by :func:`row`, so no module can disagree with its own target.

Figures that survive a busy machine: a figure measured several times is reported with
:func:`spread_row`: its value is the median of the runs, ``spread`` holds the lowest and
highest, and it meets its target unless *every* run missed it (the machine is shared; a run
that met the target shows the code can). Ratios against a measured baseline come from
:func:`paired_ratios`, which runs the baseline and ours back to back, alternating which goes
first, so load that comes and goes slows both sides of each pair alike.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

_TARGET = re.compile(r"(<=|>=)\s*([0-9][0-9,]*(?:\.[0-9]+)?)")


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


def best_of(action: Callable[[], object], repeats: int = 3) -> float:
    """The fastest of ``repeats`` timings of ``action``, in seconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def fresh_process_samples(code: str, runs: int = 3) -> list[float]:
    """Wall times of ``python -c code`` in fresh interpreters, as the code reports them.

    ``code`` must print one number: the seconds it measured (so interpreter start-up, which
    no user of the toolkit waits for twice, can be left out or included as the code chooses).
    """
    samples = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
        )
        samples.append(float(done.stdout.strip().splitlines()[-1]))
    return samples


def fresh_process_seconds(code: str, runs: int = 3) -> float:
    """The median of :func:`fresh_process_samples`."""
    return statistics.median(fresh_process_samples(code, runs))


def meets(value: float, target: str) -> bool:
    """Whether ``value`` meets a target written ``"<= N"`` or ``">= N"``.

    Raises
    ------
    ValueError
        When the target is not in that form.
    """
    found = _TARGET.fullmatch(target.strip())
    if found is None:
        raise ValueError(f"target {target!r} must read '<= N' or '>= N', e.g. '<= 1.05'")
    bound = float(found.group(2).replace(",", ""))
    return value <= bound if found.group(1) == "<=" else value >= bound


def meets_spread(low: float, high: float, target: str) -> bool:
    """Whether a figure measured between ``low`` and ``high`` meets ``target`` in some run."""
    return meets(low, target) or meets(high, target)


def spread_row(
    name: str,
    samples: list[float],
    unit: str,
    target: str,
    baseline: str,
    **extra: Any,
) -> dict[str, Any]:
    """A row for a figure measured in several runs: the median, with the spread kept.

    It meets its target when any run did (the whole spread past the target fails).
    """
    if not samples:
        raise ValueError(f"{name}: no runs to report")
    low, high = min(samples), max(samples)
    return {
        **row(name, statistics.median(samples), unit, target, baseline, **extra),
        "meets_target": meets_spread(low, high, target),
        "spread": [low, high],
        "runs": len(samples),
    }


def paired_runs(
    baseline: Callable[[], float], ours: Callable[[], float], runs: int = 5
) -> list[tuple[float, float]]:
    """``(baseline(), ours())`` for ``runs`` pairs, alternating which of the two runs first.

    Each callable returns the figure it measured (e.g. seconds).
    """
    pairs = []
    for index in range(runs):
        if index % 2:
            mine, theirs = ours(), baseline()
        else:
            theirs, mine = baseline(), ours()
        pairs.append((theirs, mine))
    return pairs


def paired_ratios(
    baseline: Callable[[], float], ours: Callable[[], float], runs: int = 5
) -> list[float]:
    """``ours() / baseline()`` for each of :func:`paired_runs`' pairs."""
    return [mine / theirs for theirs, mine in paired_runs(baseline, ours, runs)]


def seconds(action: Callable[[], object]) -> float:
    """Wall seconds one call of ``action`` takes."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def quick() -> bool:
    """True when ``python -m benchmarks --quick`` asked for small sizes (a fast check)."""
    return os.environ.get("MFA_BENCH_QUICK") == "1"


def row(
    name: str,
    value: float,
    unit: str,
    target: str,
    baseline: str,
    **extra: Any,
) -> dict[str, Any]:
    """One result row in the shape ``benchmarks/__main__.py`` prints (``meets_target`` computed)."""
    return {
        "name": name,
        "value": round(value, 4),
        "unit": unit,
        "target": target,
        "baseline": baseline,
        "meets_target": meets(value, target),
        **extra,
    }


def throttled_row(job: str, by_category: dict[str, int]) -> dict[str, Any]:
    """The row saying how many requests the sandbox's quota guard refused during ``job``."""
    return row(
        f"requests throttled by the sandbox's quota guard during {job}",
        float(sum(by_category.values())),
        "requests",
        "<= 0",
        "Cognito's default quotas enforced by the sandbox",
        by_category={k: v for k, v in by_category.items() if v},
    )


def flat_row(job: str, seconds_per_item: dict[int, float], unit: str = "users") -> dict[str, Any]:
    """The row comparing time per item at the largest size with the smallest (flat: <= 1.1)."""
    smallest, largest = min(seconds_per_item), max(seconds_per_item)
    return row(
        f"{job} time per {unit[:-1]}, {largest:,} {unit} / {smallest:,} {unit}",
        seconds_per_item[largest] / seconds_per_item[smallest],
        "ratio",
        "<= 1.1",
        ", ".join(f"{n:,} {unit}: {s * 1e3:.2f} ms each" for n, s in seconds_per_item.items()),
        ms_per_item={n: round(s * 1e3, 3) for n, s in seconds_per_item.items()},
    )
