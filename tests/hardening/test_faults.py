"""Fault injection on the sandbox, and sweeps and audits that must survive it.

The sandbox's ``Faults`` throttle, fail with 5xx (JSON or an HTML page), stall, or drop the
connection for a share of requests, and can be stopped mid-run. Under such faults a sweep and an
audit finish with every scenario (user) done or reported failed, and a sweep killed with
``SIGKILL`` resumes from its JSON Lines log with nothing lost and nothing logged twice.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError

from mfa_widgets import MfaClient, MfaLog
from mfa_widgets.sandbox import Sandbox, SandboxPool
from mfa_widgets.services.audit import audit_pool
from mfa_widgets.services.explore import Explorer, ScenarioOutcome
from mfa_widgets.services.log import LogEvent, LogRecoveryWarning
from tests.hardening._sweep_child import small_scenarios

pytestmark = pytest.mark.wire  # faults that stall or drop connections, and killed processes

ROOT = Path(__file__).resolve().parents[2]
FINAL_OPERATIONS = {"InitiateAuth", "AdminInitiateAuth"}


@pytest.fixture
def raw(sandbox: Sandbox) -> object:
    """A boto3 client without retries, to see each injected fault as it is."""
    return boto3.client(
        "cognito-idp",
        region_name=sandbox.region,
        endpoint_url=sandbox.endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1}, read_timeout=2),
    )


def _outcome(raw: object, pool: SandboxPool) -> str:
    """``"ok"`` or the error code of one ``DescribeUserPool`` call."""
    try:
        raw.describe_user_pool(UserPoolId=pool.pool_id)  # type: ignore[attr-defined]
    except ClientError as error:
        return str(error.response["Error"]["Code"])
    except ConnectionClosedError:
        return "closed"
    return "ok"


# -- the fault switch itself --------------------------------------------------------------------


def test_every_kth_request_and_only_the_named_operations(
    sandbox: Sandbox, raw: object, make_pool: object
) -> None:
    pool = make_pool()  # type: ignore[operator]
    rule = sandbox.faults.throttle("DescribeUserPool", every=3)
    seen = [_outcome(raw, pool) for _ in range(9)]
    assert seen == ["ok", "ok", "TooManyRequestsException"] * 3
    raw.list_user_pools(MaxResults=1)  # type: ignore[attr-defined]  # another operation: untouched
    assert (rule.seen, rule.fired) == (9, 3)


def test_bad_fault_settings_are_refused(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        sandbox.faults.throttle(share=1.5)
    with pytest.raises(ValueError, match="1 or more"):
        sandbox.faults.reset(every=0)
    assert not sandbox.faults.active


def test_a_seeded_share_is_repeatable(sandbox: Sandbox, raw: object, make_pool: object) -> None:
    pool = make_pool()  # type: ignore[operator]
    runs = []
    for _ in range(2):
        sandbox.faults.server_error(share=0.3, seed=42)
        runs.append([_outcome(raw, pool) for _ in range(40)])
        sandbox.faults.clear()
    assert runs[0] == runs[1]
    failures = runs[0].count("InternalErrorException")
    assert 4 <= failures <= 20
    assert runs[0].count("ok") == 40 - failures


def test_html_5xx_and_reset_kinds(sandbox: Sandbox, raw: object, make_pool: object) -> None:
    pool = make_pool()  # type: ignore[operator]
    sandbox.faults.server_error(status=503, html=True, times=1)
    sandbox.faults.reset(times=1)
    assert [_outcome(raw, pool) for _ in range(3)] == ["503", "closed", "ok"]
    assert not sandbox.faults.active


def test_clear_from_another_thread_wakes_a_stalled_request(
    sandbox: Sandbox, raw: object, make_pool: object
) -> None:
    pool = make_pool()  # type: ignore[operator]
    sandbox.faults.stall(30)
    threading.Timer(0.3, sandbox.faults.clear).start()
    started = time.monotonic()
    assert _outcome(raw, pool) == "ok"
    assert time.monotonic() - started < 1.5


def test_kill_switch_refuses_everything_until_revived(
    sandbox: Sandbox, raw: object, make_pool: object
) -> None:
    pool = make_pool()  # type: ignore[operator]
    sandbox.faults.kill()
    assert _outcome(raw, pool) == "closed"
    with pytest.raises(ConnectionClosedError):
        raw.list_user_pools(MaxResults=1)  # type: ignore[attr-defined]
    sandbox.faults.revive()
    assert _outcome(raw, pool) == "ok"


# -- a sweep and an audit under faults ----------------------------------------------------------


def _arm_mixed_faults(sandbox: Sandbox) -> None:
    """A bad day: throttling, 5xx (JSON and HTML), dropped connections and slow answers."""
    faults = sandbox.faults
    faults.throttle(share=0.12, seed=1)
    faults.server_error(share=0.05, seed=2)
    faults.server_error(status=502, html=True, share=0.05, seed=3)
    faults.reset(share=0.05, seed=4)
    faults.stall(0.05, share=0.1, seed=5)


def _final_rows(log: MfaLog) -> collections.Counter[str]:
    return collections.Counter(
        e.scenario for e in log.events if e.scenario and e.operation in FINAL_OPERATIONS
    )


def _check_sweep(outcomes: list[ScenarioOutcome], log: MfaLog, keys: list[str]) -> None:
    """Every scenario is done (agrees with the prediction) or reported failed, logged once."""
    assert sorted(o.scenario.key for o in outcomes) == sorted(keys)
    assert _final_rows(log) == collections.Counter(keys)
    finals = {e.scenario: e for e in log.events if e.operation in FINAL_OPERATIONS}
    for outcome in outcomes:
        assert outcome.error is not None or outcome.agrees, outcome
        # the log tells the same story: a failed scenario's last row is an error
        assert (finals[outcome.scenario.key].outcome == "error") == (outcome.error is not None)


def test_sweep_under_faults_finishes_with_every_scenario_accounted_for(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    scenarios = small_scenarios()
    _arm_mixed_faults(sandbox)
    path = tmp_path / "sweep.jsonl"
    with MfaLog(autosave=path) as log:
        outcomes = Explorer(MfaClient.for_sandbox(sandbox), log=log, workers=3).run(scenarios)
    assert sandbox.faults.fired > 0
    _check_sweep(outcomes, log, [s.key for s in scenarios])
    assert len(path.read_text().splitlines()) == len(log)  # every row reached the file


def test_a_refused_preference_write_fails_the_scenario(sandbox: Sandbox) -> None:
    scenarios = small_scenarios()[:4]
    sandbox.faults.server_error("AdminSetUserMFAPreference")
    log = MfaLog()
    outcomes = Explorer(MfaClient.for_sandbox(sandbox), log=log, workers=2).run(scenarios)
    _check_sweep(outcomes, log, [s.key for s in scenarios])
    for outcome in outcomes:
        assert outcome.observed is None  # no sign-in with a preference that was never applied
        assert outcome.error is not None
        assert outcome.error.startswith("could not apply the preference: InternalErrorException")


def test_sweep_stopped_mid_run_by_clearing_or_the_kill_switch(sandbox: Sandbox) -> None:
    scenarios = small_scenarios()
    sandbox.faults.throttle()  # everything throttled ...
    threading.Timer(0.5, sandbox.faults.clear).start()  # ... until cleared mid-run
    log = MfaLog()
    outcomes = Explorer(MfaClient.for_sandbox(sandbox), log=log, workers=3).run(scenarios)
    _check_sweep(outcomes, log, [s.key for s in scenarios])
    assert any(o.error is None for o in outcomes), "clearing the faults let scenarios finish"

    threading.Timer(0.2, sandbox.faults.kill).start()  # now the server goes away mid-run
    log = MfaLog()
    outcomes = Explorer(MfaClient.for_sandbox(sandbox), log=log, workers=3).run(scenarios)
    sandbox.faults.clear()
    _check_sweep(outcomes, log, [s.key for s in scenarios])
    assert any(o.error is not None for o in outcomes), "the kill switch failed scenarios"


def test_audit_under_faults_reads_every_user_once_or_reports_it(
    sandbox: Sandbox, make_pool: object
) -> None:
    pool = make_pool(mfa="ON", factors=("SMS", "TOTP"))  # type: ignore[operator]
    client = sandbox.client()
    names = [f"audited{i:03d}" for i in range(40)]
    for name in names:
        client.admin_create_user(UserPoolId=pool.pool_id, Username=name, MessageAction="SUPPRESS")
    faults = sandbox.faults
    faults.throttle("AdminGetUser", share=0.15, seed=6)
    faults.server_error("AdminGetUser", status=503, html=True, share=0.1, seed=7)
    faults.reset("AdminGetUser", share=0.1, seed=8)
    mfa = MfaClient.for_sandbox(sandbox, log=MfaLog())
    audit = audit_pool(mfa, pool.pool_id, workers=4, read_rate=0, list_rate=0, page_size=7)
    assert faults.fired > 0
    assert audit.complete
    assert sorted(u.username for u in audit.users) == names
    failed = [u for u in audit.users if u.read_error]
    assert all(u.status is None for u in failed)
    assert all(u.status for u in audit.users if not u.read_error)
    assert mfa.log is not None
    assert len(mfa.log) >= len(names)


# -- killed mid-run, then resumed ---------------------------------------------------------------


@pytest.fixture
def child_sweep(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    path = tmp_path / "killed.jsonl"
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.hardening._sweep_child", str(path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield child, path
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=10)
        if child.stderr is not None:
            child.stderr.close()


def _final_lines(path: Path) -> int:
    if not path.exists():
        return 0
    lines = path.read_text(encoding="utf-8").splitlines()
    return sum('"InitiateAuth"' in line or '"AdminInitiateAuth"' in line for line in lines)


def test_sweep_killed_mid_run_resumes_with_nothing_lost_and_no_duplicates(
    sandbox: Sandbox, child_sweep: tuple[subprocess.Popen[bytes], Path]
) -> None:
    child, path = child_sweep
    deadline = time.monotonic() + 60
    while _final_lines(path) < 4:
        assert child.poll() is None, child.stderr.read() if child.stderr else child.returncode
        assert time.monotonic() < deadline, "the child sweep made no progress"
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    before = path.read_bytes()
    scenarios = small_scenarios()
    assert 4 <= _final_lines(path) < len(scenarios), "killed half way"

    cut = not before.endswith(b"\n")
    with pytest.warns(LogRecoveryWarning) if cut else contextlib.nullcontext():
        log = MfaLog.load(path, resume=True)
    kept = before[: before.rfind(b"\n") + 1]  # a line cut by the kill is the only loss allowed
    done_before = set(_final_rows(log))
    with log:
        outcomes = Explorer(MfaClient.for_sandbox(sandbox), log=log, workers=3).run(scenarios)

    after = path.read_bytes()
    assert after.startswith(kept), "rows written before the kill were changed or lost"
    assert {o.scenario.key for o in outcomes} == {s.key for s in scenarios} - done_before
    reloaded = MfaLog.load(path)
    assert _final_rows(reloaded) == collections.Counter(s.key for s in scenarios)
    assert [e.to_json() for e in reloaded.events] == [e.to_json() for e in log.events]
    for line in after.decode().splitlines():
        LogEvent.from_json(json.loads(line))  # every line is a whole event
