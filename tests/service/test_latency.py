"""The sandbox's latency model: answers are delayed, concurrent calls wait in parallel, it
switches off, and waiting costs no CPU."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mfa_widgets.commands.main import build_parser
from mfa_widgets.sandbox import Sandbox
from mfa_widgets.sandbox.faults import Faults, Latency

pytestmark = pytest.mark.wire  # the latency model: answers delayed on the serving threads


@pytest.fixture
def faults(sandbox: Sandbox) -> Iterator[Faults]:
    """The session sandbox's fault switches, cleared afterwards whatever the test did."""
    yield sandbox.faults
    sandbox.faults.clear()


def _timed_call(client: Any, pool_id: str) -> float:
    started = time.perf_counter()
    client.get_user_pool_mfa_config(UserPoolId=pool_id)
    return time.perf_counter() - started


def test_every_answer_waits_at_least_the_delay(sandbox: Sandbox, faults: Faults, pool: Any) -> None:
    client = sandbox.client()
    model = faults.latency(median_ms=150, jitter_ms=0)
    assert model is not None
    times = [_timed_call(client, pool.pool_id) for _ in range(3)]
    assert min(times) >= 0.150
    assert model.delayed == 3
    assert model.total_seconds == pytest.approx(0.45)


def test_only_the_named_operations_wait(sandbox: Sandbox, faults: Faults, pool: Any) -> None:
    client = sandbox.client()
    model = faults.latency(median_ms=5000, operations="AdminGetUser")
    assert _timed_call(client, pool.pool_id) < 2.5  # GetUserPoolMfaConfig is not delayed
    assert model is not None
    assert model.delayed == 0


def test_concurrent_calls_wait_in_parallel_without_cpu(
    sandbox: Sandbox, faults: Faults, pool: Any
) -> None:
    delay, calls = 0.4, 8
    faults.latency(median_ms=delay * 1000)
    clients = [sandbox.client(max_attempts=attempt) for attempt in range(2, 2 + calls)]
    cpu_started, started = time.process_time(), time.perf_counter()
    with ThreadPoolExecutor(max_workers=calls) as pool_of_threads:
        list(pool_of_threads.map(lambda c: _timed_call(c, pool.pool_id), clients))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    assert wall >= delay
    assert wall < calls * delay / 2, f"{calls} calls of {delay}s took {wall:.2f}s: not overlapped"
    # waiting is a sleep: the process (client and server) used far less CPU than wall time
    assert cpu < calls * delay / 4, f"{cpu:.2f}s of CPU while waiting {wall:.2f}s"


@pytest.mark.parametrize("switch_off", ["zero", "none", "clear"])
def test_latency_switches_off(sandbox: Sandbox, faults: Faults, pool: Any, switch_off: str) -> None:
    client = sandbox.client()
    model = faults.latency(median_ms=3000)
    if switch_off == "clear":
        faults.clear()
    else:
        assert faults.latency(0 if switch_off == "zero" else None) is None
    assert faults.current_latency is None
    assert _timed_call(client, pool.pool_id) < 1.5
    assert model is not None
    assert model.delayed == 0


def test_clear_cuts_a_wait_short(sandbox: Sandbox, faults: Faults, pool: Any) -> None:
    client = sandbox.client()
    faults.latency(median_ms=20_000)
    with ThreadPoolExecutor(max_workers=1) as worker:
        waiting = worker.submit(_timed_call, client, pool.pool_id)
        time.sleep(0.3)
        faults.clear()
        assert waiting.result(timeout=10) < 10


@settings(max_examples=20, deadline=None)
@given(
    median=st.floats(min_value=1, max_value=500),
    relative_jitter=st.one_of(st.just(0.0), st.floats(min_value=0.01, max_value=1)),
    seed=st.integers(0, 2**32),
)
def test_delays_follow_the_median_and_jitter(
    median: float, relative_jitter: float, seed: int
) -> None:
    model = Latency(median, median * relative_jitter, seed=seed)
    draws = [model.draw("AdminGetUser") * 1000 for _ in range(2001)]
    assert statistics.median(draws) == pytest.approx(median, rel=0.1)
    assert max(draws) <= 10 * median
    if relative_jitter == 0:
        assert draws == pytest.approx([median] * len(draws))
    else:  # about two thirds within median ×/÷ (1 + jitter/median)
        inside = sum(abs(math.log(d / median)) <= math.log1p(relative_jitter) for d in draws)
        assert inside / len(draws) == pytest.approx(0.683, abs=0.04)
    again = Latency(median, median * relative_jitter, seed=seed)
    assert [again.draw("AdminGetUser") * 1000 for _ in range(10)] == draws[:10]


@pytest.mark.parametrize(
    ("median", "jitter", "named"),
    [(-1, 0, "median_ms"), (float("nan"), 0, "median_ms"), (40, -1, "jitter_ms")],
)
def test_bad_settings_are_refused_with_the_name(median: float, jitter: float, named: str) -> None:
    with pytest.raises(ValueError, match=named):
        Faults().latency(median, jitter)


@pytest.mark.parametrize("text", ["-5", "abc", "inf", "nan"])
def test_the_command_refuses_a_bad_latency(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["sandbox", "--latency-ms", text]
    with pytest.raises(SystemExit):
        build_parser(argv).parse_args(argv)
    assert "milliseconds" in capsys.readouterr().err


def test_the_command_takes_latency_and_quota_options() -> None:
    argv = ["sandbox", "--latency-ms", "40", "--jitter-ms", "10", "--latency-seed", "3"]
    args = build_parser(argv).parse_args(argv)
    assert (args.latency_ms, args.jitter_ms, args.latency_seed) == (40.0, 10.0, 3)
    assert not args.quotas
    assert build_parser(["sandbox", "--quotas"]).parse_args(["sandbox", "--quotas"]).quotas


def test_the_command_serves_with_latency(tmp_path: Any) -> None:
    """``mfa-widgets sandbox --latency-ms 300``, run as a person would: answers wait."""
    import json
    import subprocess
    import sys

    import boto3

    command = [sys.executable, "-m", "mfa_widgets", "sandbox", "--json", "--latency-ms", "300"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        assert process.stdout is not None
        facts = json.loads(process.stdout.readline())
        assert facts["latency_ms"] == 300
        client = boto3.client(
            "cognito-idp",
            region_name=facts["region"],
            endpoint_url=facts["endpoint_url"],
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        assert _timed_call(client, facts["user_pool_id"]) >= 0.3
    finally:
        process.terminate()
        process.wait(timeout=15)
