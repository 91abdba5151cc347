"""Lockout: per user, across sessions, for passwords and MFA codes; single-use codes.

Every test creates its own user, so the lockouts of one never touch another.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mfa_widgets.sandbox.store.lockout import ATTEMPTS_EXCEEDED


def password_auth(cognito, pool, username: str, password: str) -> dict[str, Any]:
    return cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )


def outcome(call: Callable[[], Any]) -> str:
    try:
        call()
    except ClientError as error:
        return f"{error.response['Error']['Code']}: {error.response['Error']['Message']}"
    return "ok"


def key_of(cognito, pool, username: str) -> tuple[str, str]:
    """The user's key in the sandbox's lockout: pool id and ``sub``."""
    user = cognito.admin_get_user(UserPoolId=pool.pool_id, Username=username)
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    return (pool.pool_id, attributes["sub"])


def patient_failures(sandbox, cognito, pool, username: str, times: int) -> set[str]:
    """``times`` wrong passwords, each after the previous lockout ran out (the clock is moved)."""
    key = key_of(cognito, pool, username)
    seen = set()
    wrong = lambda: password_auth(cognito, pool, username, "Wrong-1!")  # noqa: E731
    for _ in range(times - 1):
        seen.add(outcome(wrong))
        sandbox.state.clock.advance(sandbox.state.lockout.locked_for(key))
    seen.add(outcome(wrong))  # the last failure's lockout is left running...
    seen.add(outcome(wrong))  # ...and refuses this one
    return seen


def test_thirty_wrong_passwords_lock_the_user_out(sandbox, cognito, pool, make_user):
    user = make_user(pool, phone=None, email=None)
    seen = patient_failures(sandbox, cognito, pool, user.username, 30)
    assert f"NotAuthorizedException: {ATTEMPTS_EXCEEDED}" in seen
    assert sandbox.state.lockout.locked_for(key_of(cognito, pool, user.username)) > 14 * 60
    # Even the right password is refused while the lockout lasts...
    assert outcome(lambda: password_auth(cognito, pool, user.username, user.password)) == (
        f"NotAuthorizedException: {ATTEMPTS_EXCEEDED}"
    )
    # ...and works once it is over; a success resets the count.
    sandbox.state.clock.advance(16 * 60)
    assert "AuthenticationResult" in password_auth(cognito, pool, user.username, user.password)
    assert outcome(lambda: password_auth(cognito, pool, user.username, "Wrong-1!")) == (
        "NotAuthorizedException: Incorrect username or password."
    )


def test_wrong_mfa_codes_over_fresh_sessions_lock_the_user_out(
    sandbox, cognito, make_pool, make_user
):
    pool = make_pool(mfa="ON", factors=("SMS",))
    user = make_user(pool, email=None)
    key = key_of(cognito, pool, user.username)

    def answer(started: dict, code: str) -> str:
        return outcome(
            lambda: cognito.respond_to_auth_challenge(
                ClientId=pool.client_id,
                ChallengeName="SMS_MFA",
                Session=started["Session"],
                ChallengeResponses={"USERNAME": user.username, "SMS_MFA_CODE": code},
            )
        )

    def wrong_code() -> str:
        sent = sandbox.latest_code(user.username, "SMS", pool)
        return "000000" if sent != "000000" else "111111"

    for _ in range(40):  # a fresh session each time, waiting out every lockout
        started = password_auth(cognito, pool, user.username, user.password)
        assert answer(started, wrong_code()).startswith("CodeMismatchException")
        sandbox.state.clock.advance(sandbox.state.lockout.locked_for(key))
    started = password_auth(cognito, pool, user.username, user.password)
    code = sandbox.latest_code(user.username, "SMS", pool)
    assert answer(started, wrong_code()).startswith("CodeMismatchException")
    # Locked out now (~15 minutes): the right code does not sign in, nor does a new session.
    assert answer(started, code) == f"NotAuthorizedException: {ATTEMPTS_EXCEEDED}"
    assert outcome(lambda: password_auth(cognito, pool, user.username, user.password)) == (
        f"NotAuthorizedException: {ATTEMPTS_EXCEEDED}"
    )


def test_a_totp_code_is_single_use(sandbox, cognito, make_pool, make_user):
    pool = make_pool(mfa="ON", factors=("TOTP",))
    user = make_user(pool, phone=None, email=None, totp=True)
    code = sandbox.totp_code(pool, user.username)

    def answer() -> str:
        started = password_auth(cognito, pool, user.username, user.password)
        return outcome(
            lambda: cognito.respond_to_auth_challenge(
                ClientId=pool.client_id,
                ChallengeName="SOFTWARE_TOKEN_MFA",
                Session=started["Session"],
                ChallengeResponses={"USERNAME": user.username, "SOFTWARE_TOKEN_MFA_CODE": code},
            )
        )

    assert answer() == "ok"
    # refused as reused, not as wrong (conformance case totp.reused-code-at-sign-in)
    assert answer() == "ExpiredCodeException: Your software token has already been used once."


@pytest.mark.wire  # concurrent requests on the server's threads, one connection each
def test_a_totp_code_is_single_use_even_concurrently(sandbox, make_pool, make_user):
    pool = make_pool(mfa="ON", factors=("TOTP",))
    user = make_user(pool, phone=None, email=None, totp=True)
    clients = [sandbox.client()] + [_fresh_client(sandbox) for _ in range(7)]
    sessions = [password_auth(c, pool, user.username, user.password)["Session"] for c in clients]
    code = sandbox.totp_code(pool, user.username)
    results = _race(
        [
            lambda c=c, s=s: c.respond_to_auth_challenge(
                ClientId=pool.client_id,
                ChallengeName="SOFTWARE_TOKEN_MFA",
                Session=s,
                ChallengeResponses={"USERNAME": user.username, "SOFTWARE_TOKEN_MFA_CODE": code},
            )
            for c, s in zip(clients, sessions, strict=True)
        ]
    )
    assert results.count("ok") == 1, results


@pytest.mark.wire  # concurrent requests on the server's threads, one connection each
def test_an_sms_code_is_consumed_once_even_concurrently(sandbox, make_pool, make_user):
    pool = make_pool(mfa="ON", factors=("SMS",))
    user = make_user(pool, email=None)
    clients = [_fresh_client(sandbox) for _ in range(8)]
    started = password_auth(clients[0], pool, user.username, user.password)
    code = sandbox.latest_code(user.username, "SMS", pool)
    results = _race(
        [
            lambda c=c: c.respond_to_auth_challenge(
                ClientId=pool.client_id,
                ChallengeName="SMS_MFA",
                Session=started["Session"],
                ChallengeResponses={"USERNAME": user.username, "SMS_MFA_CODE": code},
            )
            for c in clients
        ]
    )
    assert results.count("ok") == 1, results


def _fresh_client(sandbox) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "cognito-idp",
        region_name=sandbox.region,
        endpoint_url=sandbox.endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


def _race(calls: list[Callable[[], Any]]) -> list[str]:
    """Run ``calls`` on threads released together; each call's outcome."""
    barrier = threading.Barrier(len(calls))
    results: list[str] = [""] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = outcome(calls[index])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_a_locked_out_user_cannot_sign_in_by_srp_either(sandbox, cognito, pool, make_user):
    user = make_user(pool, phone=None, email=None)
    patient_failures(sandbox, cognito, pool, user.username, 15)
    started = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_SRP_AUTH",
        AuthParameters={"USERNAME": user.username, "SRP_A": "a" * 64},
    )
    claim = {
        "USERNAME": user.username,
        "PASSWORD_CLAIM_SIGNATURE": "c2ln",
        "PASSWORD_CLAIM_SECRET_BLOCK": started["ChallengeParameters"]["SECRET_BLOCK"],
        "TIMESTAMP": "Mon Nov 30 07:00:00 UTC 2026",
    }
    assert (
        outcome(
            lambda: cognito.respond_to_auth_challenge(
                ClientId=pool.client_id,
                ChallengeName="PASSWORD_VERIFIER",
                Session=started["Session"],
                ChallengeResponses=claim,
            )
        )
        == f"NotAuthorizedException: {ATTEMPTS_EXCEEDED}"
    )


def test_one_session_signs_in_once_even_with_two_valid_codes_at_once(sandbox, make_pool, make_user):
    from mfa_widgets.core.totp import STEP_SECONDS, totp_code

    pool = make_pool(mfa="ON", factors=("TOTP",))
    user = make_user(pool, phone=None, email=None, totp=True)
    client = _fresh_client(sandbox)
    started = password_auth(client, pool, user.username, user.password)
    secret = sandbox.state.user(pool.pool_id, key_of(client, pool, user.username)[1]).totp_secret
    now = time.time()
    codes = [totp_code(secret, now + delta * STEP_SECONDS) for delta in (0, 1)] * 3
    results = _race(
        [
            lambda c=c, code=code: c.respond_to_auth_challenge(
                ClientId=pool.client_id,
                ChallengeName="SOFTWARE_TOKEN_MFA",
                Session=started["Session"],
                ChallengeResponses={"USERNAME": user.username, "SOFTWARE_TOKEN_MFA_CODE": code},
            )
            for c, code in zip([_fresh_client(sandbox) for _ in codes], codes, strict=True)
        ]
    )
    assert results.count("ok") == 1, results
