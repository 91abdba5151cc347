"""Sandbox lifecycle, isolation, the moto pin, TOTP maths, the AWS CLI and the command."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from mfa_widgets.core.totp import totp_code, verify_totp
from mfa_widgets.sandbox import Sandbox
from tests.processes import interruptible

VENV_BIN = Path(sys.executable).parent


def test_importing_the_sandbox_does_not_import_moto():
    code = (
        "import sys, mfa_widgets.sandbox as s; s.Sandbox(); "
        "assert 'moto' not in sys.modules, 'moto was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_moto_internals_the_layer_relies_on_still_exist():
    from mfa_widgets.sandbox.bridge.moto_bridge import check_moto_internals

    missing = check_moto_internals()
    assert not missing, (
        "moto changed internals the sandbox fidelity layer relies on: "
        f"{missing}. Adapt mfa_widgets/sandbox/bridge/moto_bridge.py or pin moto to 5.2.x."
    )


def test_rfc6238_reference_vectors():
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # "12345678901234567890"
    assert totp_code(secret, at=59) == "287082"
    assert totp_code(secret, at=1111111109) == "081804"
    assert verify_totp(secret, "287082", at=59 + 30)  # one step late
    assert not verify_totp(secret, "287082", at=59 + 90)
    assert not verify_totp(secret, "28708", at=59)


@pytest.mark.wire  # a second server
def test_two_sandboxes_are_isolated(sandbox, pool):
    with Sandbox() as other:
        assert other.account_id != sandbox.account_id
        pools = other.client().list_user_pools(MaxResults=60)["UserPools"]
        assert pool.pool_id not in {p["Id"] for p in pools}


@pytest.mark.wire  # start and stop
def test_stop_discards_the_data():
    first = Sandbox().start()
    account = first.account_id
    pool = first.create_pool()
    first.stop()
    with Sandbox(account_id=account) as again:
        pools = again.client().list_user_pools(MaxResults=60)["UserPools"]
        assert pool.pool_id not in {p["Id"] for p in pools}


def test_reassociating_replaces_the_authenticator(sandbox, cognito, pool, make_user, error_of):
    user = make_user(pool, totp=True)
    token = sandbox.issue_token(pool, user.username)
    old_code = sandbox.totp_code(pool, user.username)
    second = cognito.associate_software_token(AccessToken=token)["SecretCode"]
    # The helper's code is the new authenticator's (this or the next step: steps are single-use).
    assert verify_totp(second, sandbox.totp_code(pool, user.username))
    assert error_of(
        cognito.set_user_mfa_preference,
        AccessToken=token,
        SoftwareTokenMfaSettings={"Enabled": True},
    ) == ("InvalidParameterException", "User has not verified software token mfa")
    # The old authenticator's code no longer verifies (a 1-in-a-million clash aside).
    assert error_of(cognito.verify_software_token, AccessToken=token, UserCode=old_code) == (
        "EnableSoftwareTokenMFAException",
        "Code mismatch and fail enable Software Token MFA",
    )
    cognito.verify_software_token(AccessToken=token, UserCode=totp_code(second))
    cognito.set_user_mfa_preference(
        AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )


def test_fault_seam_answers_with_the_injected_error(sandbox, cognito, pool, make_user, error_of):
    user = make_user(pool)
    sandbox.faults.inject("AdminGetUser", "TooManyRequestsException", "Rate exceeded")
    assert error_of(cognito.admin_get_user, UserPoolId=pool.pool_id, Username=user.username) == (
        "TooManyRequestsException",
        "Rate exceeded",
    )
    assert cognito.admin_get_user(UserPoolId=pool.pool_id, Username=user.username)
    assert not sandbox.faults.active


@pytest.mark.wire  # the AWS CLI calls the endpoint
def test_aws_cli_sets_and_reads_the_preference(sandbox, cognito, pool, make_user, signed_in):
    user = make_user(pool)
    token = signed_in(pool, user)
    env = {**os.environ, **sandbox.environment(), "AWS_CONFIG_FILE": os.devnull}
    base = [str(VENV_BIN / "aws"), "--endpoint-url", sandbox.endpoint_url, "cognito-idp"]
    subprocess.run(
        [
            *base,
            "set-user-mfa-preference",
            "--access-token",
            token,
            "--sms-mfa-settings",
            "Enabled=true,PreferredMfa=true",
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    got = subprocess.run(
        [*base, "get-user", "--access-token", token, "--output", "json"],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    document = json.loads(got.stdout)
    assert document["UserMFASettingList"] == ["SMS_MFA"]
    assert document["PreferredMfaSetting"] == "SMS_MFA"


@pytest.mark.wire  # the command serves and stops
@pytest.mark.slow
def test_sandbox_command_prints_setup_and_stops_on_interrupt():
    process = interruptible(
        [str(VENV_BIN / "mfa-widgets"), "sandbox", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        facts = json.loads(process.stdout.readline())
        assert facts["endpoint_url"].startswith("http://127.0.0.1:")
        assert {u["username"] for u in facts["users"]} == {"alice", "bob", "carol"}
        client = boto3.client(
            "cognito-idp",
            region_name=facts["region"],
            endpoint_url=facts["endpoint_url"],
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        alice = next(u for u in facts["users"] if u["username"] == "alice")
        signed = client.initiate_auth(
            ClientId=facts["client_id"],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": alice["password"]},
        )
        assert "AuthenticationResult" in signed
        endpoint = facts["environment"]["AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"]
        assert endpoint == facts["endpoint_url"]
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
