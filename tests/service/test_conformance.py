"""``mfa-widgets conformance``: the corpus against the sandbox (asserted), plain moto (recorded),
and the real-Cognito target driven against the sandbox standing in for AWS (created, all deleted,
Ctrl-C included, by a real subprocess sent SIGINT)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest

from mfa_widgets import conformance
from mfa_widgets.services.conformance import POOL_PREFIX, CreatedResources, load_corpus
from tests.processes import interruptible

if TYPE_CHECKING:
    from mfa_widgets.sandbox import Sandbox

CORPUS = {case.id: case for case in load_corpus()}


def _marked_pools(sandbox: Sandbox) -> list[str]:
    # every page: the session's sandbox holds more pools than one page by the time this runs
    pages = sandbox.in_process_client().get_paginator("list_user_pools").paginate(MaxResults=60)
    pools = [pool for page in pages for pool in page["UserPools"]]
    return [p["Id"] for p in pools if p["Name"].startswith(POOL_PREFIX)]


def test_every_case_passes_on_the_sandbox_or_is_a_listed_known_difference() -> None:
    table = conformance.run("sandbox")
    assert len(table) == len(CORPUS)
    unexplained = table[(table["status"] != "pass") & ~table["known"]]
    assert unexplained.empty, "\n" + unexplained[["case", "status", "diff", "reason"]].to_string()
    # a known difference that no longer differs must leave the list
    fixed = table[(table["status"] == "pass") & table["known"]]
    assert fixed.empty, f"now passing, remove from known_differences: {list(fixed['case'])}"


def test_plain_moto_is_scored_for_comparison(record_property: Any) -> None:
    table = conformance.run("moto")
    assert len(table) == len(CORPUS)
    assert set(table["status"]) <= {"pass", "differs", "skipped"}
    record_property("moto_conformance", conformance.score(table))  # recorded, not asserted
    print(f"plain moto: {conformance.score(table)}")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        PYTHONUNBUFFERED="1",
    )
    env.pop("AWS_PROFILE", None)
    return env


@pytest.mark.wire  # the cognito target calls the sandbox's endpoint as it would AWS
def test_the_cognito_target_creates_marked_pools_and_deletes_them_all(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in _env().items():
        monkeypatch.setenv(key, value)
    chosen = [
        CORPUS[name]
        for name in (
            "pref.admin-get-user-without-mfa",  # the pool offers SMS: skipped without --allow-sms
            "pref.get-user-without-mfa",
            "error.wrong-password",
            "challenge.email-otp-delivery",  # email MFA needs SES: skipped
            "challenge.mfa-setup-totp-only",
        )
    ]
    created = CreatedResources()
    table = conformance.run(
        "cognito",
        region="us-east-1",
        endpoint_url=sandbox.endpoint_url,
        cases=chosen,
        created=created,
    )
    assert created.pools
    assert created.left == []
    assert created.failures == []
    assert sorted(created.deleted) == sorted(created.pools)
    assert _marked_pools(sandbox) == []
    status = dict(zip(table["case"], table["status"], strict=True))
    assert status["pref.admin-get-user-without-mfa"] == "skipped"
    assert status["challenge.email-otp-delivery"] == "skipped"
    reasons = " ".join(table["reason"])
    assert "--allow-sms" in reasons
    assert "SES" in reasons


@pytest.mark.wire  # another process calls the endpoint
def test_ctrl_c_deletes_what_the_cognito_target_created(sandbox: Sandbox) -> None:
    # Two cases that wait for a fresh TOTP step (real Cognito refuses a code used twice): the run
    # lasts at least one 30-second step, time enough to interrupt it with a pool in place.
    case = "totp.sign-in-with-current-code"
    command = [
        sys.executable, "-m", "mfa_widgets", "conformance", "--target", "cognito",
        "--region", "us-east-1", "--endpoint-url", sandbox.endpoint_url, "--yes",
        "--case", case, "--case", case,
    ]  # fmt: skip
    process = interruptible(
        command, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while not _marked_pools(sandbox):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "no pool was created"
            time.sleep(0.1)
        time.sleep(0.5)  # into the case: the user exists, the sign-in waits for the next step
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err
    assert "NOT deleted" not in err
    assert "deleted 1 of 1 pools created" in err
    assert _marked_pools(sandbox) == []


@pytest.mark.wire  # another process calls the endpoint
def test_the_command_asks_first_and_creates_nothing_on_no(sandbox: Sandbox) -> None:
    command = [
        sys.executable, "-m", "mfa_widgets", "conformance", "--target", "cognito",
        "--region", "us-east-1", "--endpoint-url", sandbox.endpoint_url,
    ]  # fmt: skip
    done = subprocess.run(
        command, env=_env(), input="n\n", capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert POOL_PREFIX in done.stderr
    assert "nothing created" in done.stderr
    assert _marked_pools(sandbox) == []


def test_the_command_prints_the_table_and_writes_csv_and_json(tmp_path: Path) -> None:
    from mfa_widgets.commands.main import main

    for name in ("report.csv", "report.json"):
        out = tmp_path / name
        code = main(
            ["conformance", "--target", "moto", "--case", "error.wrong-password", "--out", str(out)]
        )
        assert code == 0
        frame = pd.read_csv(out) if name.endswith("csv") else pd.read_json(out)
        assert list(frame["case"]) == ["error.wrong-password"]
        assert frame["status"][0] == "pass"


def test_bad_arguments_get_one_line_naming_the_fix(capsys: pytest.CaptureFixture[str]) -> None:
    from mfa_widgets.commands.main import main

    assert main(["conformance", "--out", "report.txt"]) == 2
    assert main(["conformance", "--case", "no.such-case"]) == 2
    assert main(["conformance", "--target", "cognito"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 3
    assert ".csv or .json" in lines[0]
    assert "lists the case ids" in lines[1]
    assert "--region" in lines[2]
