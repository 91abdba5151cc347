"""MfaClient against a real sandbox over HTTP: reads, writes, sign-in, TOTP, errors, logging."""

from __future__ import annotations

from collections.abc import Callable

import boto3
import pytest

from mfa_widgets import Factor, FactorState, MfaClient, MfaLog, MfaPreference
from mfa_widgets.core.signin import PoolMfaMode
from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser

SMS_PREFERRED = MfaPreference(sms="preferred")


@pytest.fixture
def user(pool: SandboxPool, make_user: Callable[..., SandboxUser]) -> SandboxUser:
    return make_user(pool)


@pytest.fixture
def token(pool: SandboxPool, user: SandboxUser, signed_in: Callable[..., str]) -> str:
    return signed_in(pool, user)


def test_set_preference_writes_then_reads_back(client: MfaClient, token: str) -> None:
    result = client.set_preference(token, MfaPreference(sms="preferred", email="enabled"))
    assert result.ok, result.error
    assert result.state == MfaPreference(sms="preferred", totp="disabled", email="enabled")
    assert client.get_preference(token).state == result.state


def test_write_sends_only_changed_factors(client: MfaClient, token: str) -> None:
    current = client.set_preference(token, MfaPreference(sms="enabled", email="enabled")).state
    assert current is not None
    wanted = current.with_preferred(Factor.EMAIL)
    result = client.set_preference(token, wanted, current=current)
    assert result.data["sent"] == MfaPreference(email="preferred")
    assert "SMSMfaSettings" not in result.request
    assert result.state is not None
    assert result.state.preferred is Factor.EMAIL


def test_unchanged_preference_skips_the_write(client: MfaClient, token: str, log: MfaLog) -> None:
    current = client.get_preference(token).state
    assert current is not None
    result = client.set_preference(token, current, current=current)
    assert result.ok
    assert result.data["skipped"] is True
    assert result.state == current
    assert log.events[-1].requested == {"sms": None, "totp": None, "email": None}


def test_admin_variant_reads_attributes(
    client: MfaClient, pool: SandboxPool, user: SandboxUser
) -> None:
    result = client.admin_set_preference(pool.pool_id, user.username, SMS_PREFERRED)
    assert result.ok
    assert result.state is not None
    assert result.state.preferred is Factor.SMS
    read = client.admin_get_preference(pool.pool_id, user.username)
    assert read.data["has_phone"]
    assert read.data["has_email"]
    assert read.data["status"] == "CONFIRMED"


def test_totp_before_registration_is_a_clear_logged_error(
    client: MfaClient, token: str, log: MfaLog
) -> None:
    result = client.set_preference(token, MfaPreference(totp="preferred"))
    assert result.error is not None
    assert result.error.code == "InvalidParameterException"
    assert "software token" in result.error.message
    assert "No authenticator app is registered" in result.error.hint
    assert token not in str(result.error)
    assert token not in repr(result)
    row = log.frame.iloc[-1]
    assert row["outcome"] == "error"
    assert row["error_code"] == "InvalidParameterException"
    # the client still works after the error
    assert client.set_preference(token, SMS_PREFERRED).ok


def test_expired_token_fails_fast_without_network(
    sandbox: Sandbox, pool: SandboxPool, closed_port: int
) -> None:
    user = sandbox.create_user(pool, "expired-user", phone="+15555550100")
    expired = sandbox.issue_token(pool, user.username, expires_in=-120)
    offline = MfaClient(
        region="us-east-1", endpoint_url=f"http://127.0.0.1:{closed_port}", max_attempts=1
    )
    result = offline.get_preference(expired)
    assert result.error is not None
    assert result.error.code == "ExpiredToken"
    assert "ago" in result.error.message
    assert expired not in str(result.error)


def test_token_problems_have_codes(sandbox: Sandbox, client: MfaClient, pool: SandboxPool) -> None:
    user = sandbox.create_user(pool, "scopeless-user")
    scopeless = sandbox.issue_token(pool, user.username, scope=None)
    assert client.get_preference(scopeless).error.code == "MissingScope"  # type: ignore[union-attr]
    assert client.get_preference("not-a-token").error.code == "MalformedToken"  # type: ignore[union-attr]


def test_unreachable_endpoint_is_reported_and_logged(log: MfaLog, closed_port: int) -> None:
    client = MfaClient(
        session=boto3.Session("key", "secret", region_name="us-east-1"),
        endpoint_url=f"http://127.0.0.1:{closed_port}",
        max_attempts=1,
        log=log,
        backend="sandbox",
    )
    result = client.admin_get_preference("us-east-1_nothing", "nobody")
    assert result.error is not None
    assert result.error.code == "EndpointConnectionError"
    assert "sandbox" in result.error.hint
    assert result.error.retryable
    assert log.frame.iloc[-1]["error_code"] == "EndpointConnectionError"


@pytest.mark.usefixtures("no_aws_config")
def test_token_calls_need_no_credentials_and_infer_region(
    sandbox: Sandbox, token: str, pool: SandboxPool, user: SandboxUser
) -> None:
    client = MfaClient(endpoint_url=sandbox.endpoint_url)
    assert client.region is None
    result = client.set_preference(token, SMS_PREFERRED)
    assert result.ok, result.error
    assert result.state is not None
    assert result.state.preferred is Factor.SMS
    admin = client.admin_get_preference(pool.pool_id, user.username)
    assert admin.error is not None
    assert admin.error.code in {"NoCredentials", "NoRegion"}


def test_pool_config(client: MfaClient, make_pool: Callable[..., SandboxPool]) -> None:
    pool = make_pool(mfa="ON", factors=("SMS", "EMAIL"), tier="PLUS")
    config = client.get_pool_config(pool.pool_id).raise_for_error().data["pool"]
    assert config.mode is PoolMfaMode.ON
    assert config.factors == frozenset({Factor.SMS, Factor.EMAIL})
    assert config.tier.value == "PLUS"


def test_list_users(
    client: MfaClient, pool: SandboxPool, make_user: Callable[..., SandboxUser]
) -> None:
    names = {make_user(pool).username for _ in range(3)}
    listed = client.list_users(pool.pool_id).raise_for_error().data["users"]
    assert {u["username"] for u in listed} == names
    assert all(u["has_phone"] for u in listed)


def test_sign_in_sms_challenge_then_code(
    sandbox: Sandbox, client: MfaClient, pool: SandboxPool, user: SandboxUser, log: MfaLog
) -> None:
    client.admin_set_preference(pool.pool_id, user.username, SMS_PREFERRED).raise_for_error()
    attempt = client.sign_in(pool.client_id, user.username, user.password, predicted="SMS_MFA")
    assert attempt.challenge == "SMS_MFA"
    assert attempt.delivery["medium"] == "SMS"
    assert user.password not in repr(attempt)
    assert attempt.session not in repr(attempt)
    wrong = attempt.answer("000000" if sandbox.latest_code(user.username) != "000000" else "111111")
    assert wrong.error is not None
    assert wrong.error.code == "CodeMismatchException"
    fresh = client.sign_in(pool.client_id, user.username, user.password)
    done = fresh.answer(sandbox.latest_code(user.username, "SMS"))
    assert done.signed_in
    assert done.tokens is not None
    assert done.tokens.access_token not in repr(done)
    frame = log.frame
    first = frame[frame["operation"] == "InitiateAuth"].iloc[0]
    assert first["observed_challenge"] == "SMS_MFA"
    assert bool(first["agrees"])
    text = frame.astype("string").fillna("").to_csv()
    assert user.password not in text
    assert done.tokens.access_token not in text


def test_select_mfa_type_then_choose(
    sandbox: Sandbox, client: MfaClient, pool: SandboxPool, user: SandboxUser
) -> None:
    both = MfaPreference(sms="enabled", email="enabled")
    client.admin_set_preference(pool.pool_id, user.username, both).raise_for_error()
    attempt = client.sign_in(pool.client_id, user.username, user.password)
    assert attempt.challenge == "SELECT_MFA_TYPE"
    assert set(attempt.options) == {"SMS_MFA", "EMAIL_OTP"}
    chosen = attempt.choose("email")
    assert chosen.challenge == "EMAIL_OTP"
    done = chosen.answer(sandbox.latest_code(user.username, "EMAIL"))
    assert done.signed_in


def test_totp_enrollment_then_preferred(
    sandbox: Sandbox, client: MfaClient, pool: SandboxPool, user: SandboxUser, token: str
) -> None:
    started = client.associate_totp(access_token=token, username=user.username)
    enrollment = started.raise_for_error().data["enrollment"]
    assert enrollment.uri.startswith("otpauth://totp/")
    assert enrollment.secret not in repr(enrollment)
    assert enrollment.secret not in repr(started)
    code = sandbox.totp_code(pool, user.username)
    verified = client.verify_totp(code, access_token=token)
    assert verified.raise_for_error().data["status"] == "SUCCESS"
    result = client.set_preference(token, MfaPreference(totp="preferred"))
    assert result.ok
    assert result.state is not None
    assert result.state.state(Factor.TOTP) is FactorState.PREFERRED
    attempt = client.sign_in(pool.client_id, user.username, user.password)
    assert attempt.challenge == "SOFTWARE_TOKEN_MFA"
    done = attempt.answer(sandbox.totp_code(pool, user.username))
    assert done.signed_in


def test_mfa_setup_completes_with_totp(
    sandbox: Sandbox, client: MfaClient, make_pool: Callable[..., SandboxPool]
) -> None:
    pool = make_pool(mfa="ON", factors=("TOTP",))
    user = sandbox.create_user(pool, "setup-user", phone=None, email=None)
    attempt = client.sign_in(pool.client_id, user.username, user.password)
    assert attempt.challenge == "MFA_SETUP"
    assert attempt.options == ("SOFTWARE_TOKEN_MFA",)
    started = client.associate_totp(session=attempt.session, username=user.username)
    assert started.ok, started.error
    enrollment = started.data["enrollment"]
    code = sandbox.totp_code(pool, user.username)
    verified = client.verify_totp(code, session=enrollment.session)
    assert verified.ok, verified.error
    done = attempt.set_up(verified.data["session"])
    assert done.signed_in, done.error


def test_admin_sign_in_flow(client: MfaClient, pool: SandboxPool, user: SandboxUser) -> None:
    attempt = client.sign_in(
        pool.client_id, user.username, user.password, user_pool_id=pool.pool_id
    )
    assert attempt.operation == "AdminInitiateAuth"
    assert attempt.signed_in


def test_wrong_password_does_not_echo_it(
    client: MfaClient, pool: SandboxPool, user: SandboxUser
) -> None:
    attempt = client.sign_in(pool.client_id, user.username, "Wrong-Passw0rd!")
    assert attempt.error is not None
    assert attempt.error.code == "NotAuthorizedException"
    assert "Wrong-Passw0rd!" not in str(attempt.error)


@pytest.mark.usefixtures("no_aws_config")
@pytest.mark.parametrize(
    "endpoint_variable",
    ["AWS_ENDPOINT_URL_COGNITO_IDP", "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"],
)
def test_standard_environment_configures_the_client(
    sandbox: Sandbox,
    token: str,
    monkeypatch: pytest.MonkeyPatch,
    endpoint_variable: str,
) -> None:
    monkeypatch.setenv(endpoint_variable, sandbox.endpoint_url)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    client = MfaClient()
    assert client.region == "us-east-1"
    assert client.get_preference(token).ok
