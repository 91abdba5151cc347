"""The benchmark rows' spread rule: a figure measured several times fails only when every run
missed its target; the table shows the spread; the runner checks rows follow the rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.__main__ import _checked, _markdown
from benchmarks._timing import meets, paired_runs, spread_row

samples = st.lists(st.floats(min_value=0.01, max_value=100), min_size=1, max_size=9)
targets = st.builds(
    lambda op, bound: f"{op} {bound:g}", st.sampled_from(["<=", ">="]), st.floats(0.1, 50)
)


@given(values=samples, target=targets)
def test_a_spread_meets_its_target_unless_every_run_missed(
    values: list[float], target: str
) -> None:
    found = spread_row("figure", values, "ratio", target, "baseline")
    assert found["meets_target"] == any(meets(v, target) for v in values)
    assert found["spread"] == [min(values), max(values)]
    assert found["runs"] == len(values)
    assert min(values) - 1e-4 <= found["value"] <= max(values) + 1e-4
    assert _checked("bench_x", found) is found
    assert f"({len(values)})" in _markdown([found], "a machine", "today")


def test_the_runner_refuses_a_row_that_breaks_the_rule() -> None:
    found = spread_row("figure", [2.0, 3.0], "ratio", "<= 1.0", "baseline")
    with pytest.raises(ValueError, match="meets_target disagrees"):
        _checked("bench_x", {**found, "meets_target": True})
    with pytest.raises(ValueError, match="no runs"):
        spread_row("figure", [], "ratio", "<= 1.0", "baseline")


def test_paired_runs_alternate_which_side_goes_first() -> None:
    order: list[str] = []

    def side(name: str, value: float) -> float:
        order.append(name)
        return value

    pairs = paired_runs(lambda: side("base", 2.0), lambda: side("ours", 1.0), runs=4)
    assert pairs == [(2.0, 1.0)] * 4
    assert order == ["base", "ours", "ours", "base", "base", "ours", "ours", "base"]
