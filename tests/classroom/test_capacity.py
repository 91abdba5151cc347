"""A small load test: learners in separate processes work against one classroom process at once.

The figures (p99 latency, memory) are the benchmark's to judge (``benchmarks/bench_classroom.py``);
this test requires only that nothing fails and that every figure was measured.
"""

from __future__ import annotations

import math

import pytest

from benchmarks.bench_classroom import measure


@pytest.mark.slow
def test_three_learner_processes_finish_every_exercise_without_an_error() -> None:
    found = measure(3, pause=0.0)
    assert found["errors"] == []
    assert found["calls"] >= 3 * 40  # each learner makes dozens of calls
    assert not math.isnan(found["p99_ms"])
    assert found["memory_mib"] > 0


@pytest.mark.slow
def test_a_class_joining_at_once_in_lockstep_finishes_without_an_error() -> None:
    found = measure(3, pause=0.0, spread=0.0, join_at_go=True)
    assert found["errors"] == []
    assert found["join_at_go"] is True
    assert found["calls"] >= 3 * 40  # the joining calls are timed with the rest
    assert not math.isnan(found["p99_ms"])
