"""MfaClient's auth-factor, passkey and event methods on the sandbox: results, hints, log rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import botocore.session
import pytest

from mfa_widgets.core.errors import HINTS, InvalidArgumentError
from mfa_widgets.core.preferences import MfaPreference
from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.log import MfaLog
from mfa_widgets.services.passkey_authenticator import SoftwareAuthenticator
from tests.service.shapes import JOURNEY_OPERATIONS, enable_choice_sign_in


@pytest.fixture
def choice_pool(sandbox: Sandbox, make_pool: Callable[..., SandboxPool]) -> SandboxPool:
    pool = make_pool()
    enable_choice_sign_in(sandbox.in_process_client(), pool, ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"])
    return pool


def test_every_error_of_the_new_operations_has_a_hint() -> None:
    model = botocore.session.get_session().get_service_model("cognito-idp")
    codes = {e.name for op in JOURNEY_OPERATIONS for e in model.operation_model(op).error_shapes}
    assert codes - set(HINTS) == set()


def test_auth_factors_and_totp_reset(
    client: MfaClient,
    log: MfaLog,
    pool: SandboxPool,
    make_user: Callable[..., SandboxUser],
    signed_in: Any,
) -> None:
    user = make_user(pool, totp=True)
    read = client.admin_get_auth_factors(pool.pool_id, user.username)
    assert read.ok
    assert read.data["totp_registered"] is True
    public = client.get_auth_factors(signed_in(pool, user))
    assert public.data["factors"] == read.data["factors"]
    reset = client.admin_reset_totp(pool.pool_id, user.username)
    assert reset.ok
    assert reset.data["totp_registered"] is False
    assert "SOFTWARE_TOKEN" not in reset.data["factors"]
    missing = client.admin_reset_totp(pool.pool_id, "nobody")
    assert missing.error is not None
    assert missing.error.code == "UserNotFoundException"
    assert missing.error.hint == HINTS["UserNotFoundException"]
    frame = log.frame
    assert list(frame["operation"].astype(str))[-2:] == ["AdminDeleteSoftwareToken"] * 2
    assert list(frame["outcome"].astype(str))[-2:] == ["ok", "error"]


def test_choice_based_sign_in_is_logged_with_flow_and_first_factor(
    sandbox: Sandbox,
    client: MfaClient,
    log: MfaLog,
    choice_pool: SandboxPool,
    make_user: Callable[..., SandboxUser],
) -> None:
    user = make_user(choice_pool)
    first = client.sign_in(choice_pool.client_id, user.username, flow="choice")
    assert first.challenge == "SELECT_CHALLENGE"
    assert first.options == ("PASSWORD", "PASSWORD_SRP", "EMAIL_OTP")
    done = first.choose("PASSWORD", password=user.password)
    assert done.signed_in
    emailed = client.sign_in(
        choice_pool.client_id, user.username, flow="choice", preferred="email_otp"
    )
    assert emailed.challenge == "EMAIL_OTP"
    code = sandbox.latest_code(user.username, "EMAIL", choice_pool)
    assert emailed.answer(code).signed_in
    rows = log.frame[["operation", "flow", "first_factor", "observed_challenge"]].astype(object)
    assert rows.where(rows.notna(), None).values.tolist() == [
        ["InitiateAuth", "USER_AUTH", None, "SELECT_CHALLENGE"],
        ["RespondToAuthChallenge", None, "PASSWORD", "NONE"],
        ["InitiateAuth", "USER_AUTH", "EMAIL_OTP", "EMAIL_OTP"],
        ["RespondToAuthChallenge", None, None, "NONE"],
    ]
    for secret in (user.password, code):
        assert secret not in log.frame.to_csv()


def test_password_sign_in_logs_its_flow(
    client: MfaClient, log: MfaLog, pool: SandboxPool, make_user: Callable[..., SandboxUser]
) -> None:
    user = make_user(pool, phone=None, email=None)
    assert client.sign_in(pool.client_id, user.username, user.password).signed_in
    assert log.frame["flow"].astype(str).tolist() == ["USER_PASSWORD_AUTH"]
    assert log.frame["first_factor"].astype(str).tolist() == ["PASSWORD"]


def test_passkeys_through_the_client(
    sandbox: Sandbox,
    client: MfaClient,
    log: MfaLog,
    choice_pool: SandboxPool,
    make_user: Callable[..., SandboxUser],
) -> None:
    user = make_user(choice_pool)
    token = sandbox.issue_token(choice_pool, user.username)
    authenticator = SoftwareAuthenticator("http://localhost:8888")
    assert client.register_passkey(token, authenticator).ok
    listed = client.list_passkeys(token)
    assert [p["CredentialId"] for p in listed.data["passkeys"]] == authenticator.credential_ids
    asked = client.sign_in(
        choice_pool.client_id, user.username, flow="choice", preferred="WEB_AUTHN"
    )
    assert asked.challenge == "WEB_AUTHN"
    assert asked.passkey_options
    assert asked.answer(authenticator).signed_in
    assert log.frame["first_factor"].astype(str).tolist()[-2:] == ["WEB_AUTHN", "WEB_AUTHN"]
    stranger = SoftwareAuthenticator("http://localhost:8888")
    again = client.sign_in(
        choice_pool.client_id, user.username, flow="choice", preferred="WEB_AUTHN"
    )
    refused = again.answer(stranger)
    assert refused.error is not None
    assert refused.error.code == "NoPasskey"
    assert client.delete_passkey(token, authenticator.credential_ids[0]).ok
    assert client.list_passkeys(token).data["passkeys"] == []


def test_passkey_mfa_preference_is_written_and_its_errors_are_results(
    sandbox: Sandbox,
    client: MfaClient,
    log: MfaLog,
    choice_pool: SandboxPool,
    pool: SandboxPool,
    make_user: Callable[..., SandboxUser],
) -> None:
    user = make_user(choice_pool)
    token = sandbox.issue_token(choice_pool, user.username)
    written = client.set_preference(token, MfaPreference(sms="preferred", webauthn=True))
    assert written.ok
    assert written.state is not None
    assert written.state.preferred is not None
    plain = make_user(pool)  # a pool without passkey MFA
    refused = client.set_preference(
        sandbox.issue_token(pool, plain.username), MfaPreference(sms="enabled", webauthn=True)
    )
    assert refused.error is not None
    assert refused.error.code == "OperationNotEnabledException"
    assert list(log.frame["outcome"].astype(str)) == ["ok", "error"]


def test_auth_events_through_the_client(
    sandbox: Sandbox,
    client: MfaClient,
    make_pool: Callable[..., SandboxPool],
    make_user: Callable[..., SandboxUser],
) -> None:
    pool = make_pool(mfa="ON", factors=("SMS",))
    user = make_user(pool)
    sandbox.sign_in(pool, user.username, user.password)
    events = client.admin_list_auth_events(pool.pool_id, user.username)
    assert events.ok
    assert [(e["response"], e["password"], e["mfa"]) for e in events.data["events"]] == [
        ("Pass", "Success", "Success")
    ]


@pytest.mark.parametrize(
    ("call", "said"),
    [
        (lambda c: c.sign_in("", "bob", flow="choice"), "client_id"),
        (lambda c: c.sign_in("app", "bob", flow="choice", preferred=7), "preferred"),
        (lambda c: c.select_challenge("not an attempt", "PASSWORD"), "attempt"),
        (lambda c: c.admin_reset_totp(7, "bob"), "user_pool_id"),
        (lambda c: c.delete_passkey(None, "x"), "access_token"),
        (lambda c: c.delete_passkey("token", ""), "credential_id"),
        (lambda c: c.admin_list_auth_events("us-east-1_AbC", "bob", max_results=0), "max_results"),
    ],
)
def test_bad_arguments_are_refused_naming_the_argument_and_logged(
    client: MfaClient, log: MfaLog, call: Any, said: str
) -> None:
    with pytest.raises(InvalidArgumentError, match=said):
        call(client)
    assert list(log.frame["outcome"].astype(str)) == ["error"]
