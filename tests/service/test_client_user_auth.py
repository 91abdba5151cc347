"""USER_AUTH choice-based sign-in, passkeys and auth events on the sandbox, over HTTP.

Passkeys are real: the toolkit's software authenticator makes ES256 credentials and the sandbox
verifies them with the ``webauthn`` library. Every answer is checked against botocore's output
shape, and the sandbox's first step is compared with the predictor's (one copy of the rules).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest

from mfa_widgets.core.preferences import FactorState, MfaPreference
from mfa_widgets.core.signin import (
    FIRST_FACTORS,
    ChoicePool,
    ChoiceUser,
    Outcome,
    PoolMfaConfig,
    UserMfaFacts,
    predict_user_auth,
)
from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from mfa_widgets.services.passkey_authenticator import SoftwareAuthenticator
from tests.service.shapes import (
    LOCALHOST_PASSKEYS,
    assert_valid_output,
    enable_choice_sign_in,
    respond,
)

ALL_FIRST = ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"]
MULTI = LOCALHOST_PASSKEYS
ORIGIN = "http://localhost:8888"
D, E = FactorState.DISABLED, FactorState.ENABLED


@pytest.fixture
def choice_pool(sandbox: Sandbox, make_pool: Callable[..., SandboxPool]) -> Callable[..., Any]:
    """A pool with a SignInPolicy, an app client allowing USER_AUTH and a WebAuthn config."""

    def make(
        first: list[str] = ALL_FIRST, webauthn: dict[str, Any] | None = MULTI, **options: Any
    ) -> SandboxPool:
        pool = make_pool(**options)
        enable_choice_sign_in(sandbox.in_process_client(), pool, first, webauthn)
        return pool

    return make


def _start(cognito: Any, pool: SandboxPool, user: SandboxUser, **extra: str) -> dict[str, Any]:
    answer = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": user.username, **extra},
    )
    assert_valid_output("InitiateAuth", answer)
    return dict(answer)


def _register(
    sandbox: Sandbox, cognito: Any, pool: SandboxPool, user: SandboxUser
) -> tuple[SoftwareAuthenticator, str]:
    token = sandbox.issue_token(pool, user.username)
    authenticator = SoftwareAuthenticator(ORIGIN)
    start = cognito.start_web_authn_registration(AccessToken=token)
    assert_valid_output("StartWebAuthnRegistration", start)
    credential = authenticator.create(start["CredentialCreationOptions"])
    done = cognito.complete_web_authn_registration(AccessToken=token, Credential=credential)
    assert_valid_output("CompleteWebAuthnRegistration", done)
    return authenticator, token


# -- choice-based sign-in ------------------------------------------------------------------------


def test_select_challenge_then_password(
    cognito: Any, choice_pool: Any, make_user: Callable[..., SandboxUser]
) -> None:
    pool = choice_pool()
    user = make_user(pool)
    first = _start(cognito, pool, user)
    assert first["ChallengeName"] == "SELECT_CHALLENGE"
    assert first["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]
    done = respond(
        cognito, pool, first, USERNAME=user.username, ANSWER="PASSWORD", PASSWORD=user.password
    )
    assert "AccessToken" in done["AuthenticationResult"]


@pytest.mark.parametrize(("factor", "channel"), [("EMAIL_OTP", "EMAIL"), ("SMS_OTP", "SMS")])
def test_passwordless_codes(
    sandbox: Sandbox,
    cognito: Any,
    choice_pool: Any,
    make_user: Callable[..., SandboxUser],
    error_of: Any,
    factor: str,
    channel: str,
) -> None:
    pool = choice_pool()
    user = make_user(pool)
    asked = _start(cognito, pool, user, PREFERRED_CHALLENGE=factor)
    assert asked["ChallengeName"] == factor
    assert asked["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == channel
    code = sandbox.latest_code(user.username, channel, pool)
    wrong = str((int(code) + 1) % 10**6).zfill(6)
    assert (
        error_of(
            cognito.respond_to_auth_challenge,
            ClientId=pool.client_id,
            ChallengeName=factor,
            Session=asked["Session"],
            ChallengeResponses={"USERNAME": user.username, f"{factor}_CODE": wrong},
        )[0]
        == "CodeMismatchException"
    )
    done = respond(cognito, pool, asked, USERNAME=user.username, **{f"{factor}_CODE": code})
    assert "AccessToken" in done["AuthenticationResult"]
    events = cognito.admin_list_user_auth_events(UserPoolId=pool.pool_id, Username=user.username)
    newest = events["AuthEvents"][0]  # a passwordless sign-in: no password, no MFA step
    assert (newest["EventResponse"], newest["ChallengeResponses"]) == ("Pass", [])


def test_select_challenge_answer_must_be_offered(
    cognito: Any, choice_pool: Any, make_user: Callable[..., SandboxUser], error_of: Any
) -> None:
    pool = choice_pool(first=["PASSWORD"])
    user = make_user(pool)
    first = _start(cognito, pool, user)
    code, message = error_of(
        cognito.respond_to_auth_challenge,
        ClientId=pool.client_id,
        ChallengeName="SELECT_CHALLENGE",
        Session=first["Session"],
        ChallengeResponses={"USERNAME": user.username, "ANSWER": "EMAIL_OTP"},
    )
    assert code == "InvalidParameterException"
    assert "PASSWORD" in message


def test_user_auth_must_be_allowed_for_the_client(
    cognito: Any,
    make_pool: Callable[..., SandboxPool],
    make_user: Callable[..., SandboxUser],
    error_of: Any,
) -> None:
    pool = make_pool()
    user = make_user(pool)
    code, _ = error_of(
        cognito.initiate_auth,
        ClientId=pool.client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": user.username},
    )
    assert code == "InvalidParameterException"


@pytest.mark.parametrize(
    ("mode", "sms"), list(itertools.product(["OFF", "OPTIONAL", "ON"], [0, 1]))
)
def test_the_sandbox_decides_as_the_predictor(
    sandbox: Sandbox,
    cognito: Any,
    choice_pool: Any,
    make_user: Callable[..., SandboxUser],
    mode: str,
    sms: int,
) -> None:
    pool = choice_pool(mfa=mode, factors=("SMS", "TOTP"))
    user = make_user(pool)
    if sms and mode != "OFF":
        cognito.admin_set_user_mfa_preference(
            UserPoolId=pool.pool_id, Username=user.username, SMSMfaSettings={"Enabled": True}
        )
    # The configuration the sandbox was given, as the predictor's inputs.
    facts = (
        ChoicePool(PoolMfaConfig(mode=mode, factors="SMS,TOTP"), ALL_FIRST, passkey_mfa=True),
        ChoiceUser(
            UserMfaFacts(
                MfaPreference(sms=E if sms and mode != "OFF" else D, totp=D, email=D),
                has_phone=True,
                has_email=True,
            )
        ),
    )
    for preferred in (None, *FIRST_FACTORS):
        expected = predict_user_auth(*facts, preferred).initiate
        extra = {} if preferred is None else {"PREFERRED_CHALLENGE": preferred}
        if preferred == "PASSWORD":
            extra["PASSWORD"] = user.password
        if preferred == "PASSWORD_SRP":
            extra["SRP_A"] = "ab" * 64
        assert expected.outcome is not Outcome.ERROR  # PASSWORD is always allowed here
        got = _start(cognito, pool, user, **extra)
        assert got.get("ChallengeName") == expected.challenge, (preferred, expected.rule)
        if expected.challenge == "SELECT_CHALLENGE":
            assert tuple(got["AvailableChallenges"]) == expected.options


# -- passkeys ------------------------------------------------------------------------------------


def test_register_list_sign_in_and_delete_a_passkey(
    sandbox: Sandbox,
    cognito: Any,
    choice_pool: Any,
    make_user: Callable[..., SandboxUser],
    error_of: Any,
) -> None:
    pool = choice_pool()
    user = make_user(pool)
    authenticator, token = _register(sandbox, cognito, pool, user)
    listed = cognito.list_web_authn_credentials(AccessToken=token)
    assert_valid_output("ListWebAuthnCredentials", listed)
    assert [c["CredentialId"] for c in listed["Credentials"]] == authenticator.credential_ids
    assert listed["Credentials"][0]["RelyingPartyId"] == "localhost"
    factors = cognito.get_user_auth_factors(AccessToken=token)["ConfiguredUserAuthFactors"]
    assert "WEB_AUTHN" in factors

    asked = _start(cognito, pool, user, PREFERRED_CHALLENGE="WEB_AUTHN")
    assert asked["ChallengeName"] == "WEB_AUTHN"
    options = json.loads(asked["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    assert options["rpId"] == "localhost"
    assertion = authenticator.get(options)
    done = respond(cognito, pool, asked, USERNAME=user.username, CREDENTIAL=json.dumps(assertion))
    assert "AccessToken" in done["AuthenticationResult"]
    # The same assertion cannot be replayed on a new challenge.
    again = _start(cognito, pool, user, PREFERRED_CHALLENGE="WEB_AUTHN")
    code, _ = error_of(
        cognito.respond_to_auth_challenge,
        ClientId=pool.client_id,
        ChallengeName="WEB_AUTHN",
        Session=again["Session"],
        ChallengeResponses={"USERNAME": user.username, "CREDENTIAL": json.dumps(assertion)},
    )
    assert code == "NotAuthorizedException"

    credential_id = authenticator.credential_ids[0]
    assert_valid_output(
        "DeleteWebAuthnCredential",
        cognito.delete_web_authn_credential(AccessToken=token, CredentialId=credential_id),
    )
    assert cognito.list_web_authn_credentials(AccessToken=token)["Credentials"] == []
    assert error_of(
        cognito.delete_web_authn_credential, AccessToken=token, CredentialId=credential_id
    )[0] == ("ResourceNotFoundException")


def test_passkey_mfa_lets_a_passkey_sign_in_when_mfa_is_required(
    sandbox: Sandbox, cognito: Any, choice_pool: Any, make_user: Callable[..., SandboxUser]
) -> None:
    pool = choice_pool(mfa="ON", factors=("SMS", "TOTP"))
    user = make_user(pool)
    authenticator, token = _register(sandbox, cognito, pool, user)
    assert _start(cognito, pool, user)["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]
    cognito.set_user_mfa_preference(
        AccessToken=token,
        SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
        WebAuthnMfaSettings={"Enabled": True},
    )
    first = _start(cognito, pool, user)
    assert first["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "WEB_AUTHN"]
    asked = respond(cognito, pool, first, USERNAME=user.username, ANSWER="WEB_AUTHN")
    assert asked["ChallengeName"] == "WEB_AUTHN"
    options = asked["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]
    done = respond(
        cognito,
        pool,
        asked,
        USERNAME=user.username,
        CREDENTIAL=json.dumps(authenticator.get(options)),
    )
    assert "AccessToken" in done["AuthenticationResult"]  # the passkey satisfied MFA
    # Passkey MFA applies only to passkey sign-in: the password still leads to SMS MFA.
    password = _start(cognito, pool, user, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=user.password)
    assert password["ChallengeName"] == "SMS_MFA"


def test_passkey_registration_errors(
    sandbox: Sandbox,
    cognito: Any,
    choice_pool: Any,
    make_user: Callable[..., SandboxUser],
    error_of: Any,
) -> None:
    pool = choice_pool()
    user = make_user(pool)
    token = sandbox.issue_token(pool, user.username)
    stray = SoftwareAuthenticator(ORIGIN).create(
        {"challenge": "AAAA", "rp": {"id": "localhost"}, "user": {"id": "dXNlcg"}}
    )
    assert error_of(cognito.complete_web_authn_registration, AccessToken=token, Credential=stray)[
        0
    ] == ("WebAuthnChallengeNotFoundException")
    start = cognito.start_web_authn_registration(AccessToken=token)
    evil = SoftwareAuthenticator("https://evil.example").create(start["CredentialCreationOptions"])
    assert error_of(cognito.complete_web_authn_registration, AccessToken=token, Credential=evil)[
        0
    ] == ("WebAuthnOriginNotAllowedException")
    other_rp = dict(start["CredentialCreationOptions"], rp={"id": "sub.localhost", "name": "x"})
    moved = SoftwareAuthenticator("http://localhost").create(other_rp)
    assert error_of(cognito.complete_web_authn_registration, AccessToken=token, Credential=moved)[
        0
    ] == ("WebAuthnRelyingPartyMismatchException")
    bare = choice_pool(webauthn=None)
    bare_user = make_user(bare)
    bare_token = sandbox.issue_token(bare, bare_user.username)
    assert error_of(cognito.start_web_authn_registration, AccessToken=bare_token)[0] == (
        "WebAuthnConfigurationMissingException"
    )
    no_passkeys = choice_pool(first=["PASSWORD"])
    np_user = make_user(no_passkeys)
    assert error_of(
        cognito.start_web_authn_registration,
        AccessToken=sandbox.issue_token(no_passkeys, np_user.username),
    )[0] == ("WebAuthnNotEnabledException")


def test_credentials_are_listed_in_pages(
    sandbox: Sandbox, cognito: Any, choice_pool: Any, make_user: Callable[..., SandboxUser]
) -> None:
    pool = choice_pool()
    user = make_user(pool)
    token = sandbox.issue_token(pool, user.username)
    authenticator = SoftwareAuthenticator(ORIGIN)
    for _ in range(3):
        start = cognito.start_web_authn_registration(AccessToken=token)
        credential = authenticator.create(start["CredentialCreationOptions"])
        cognito.complete_web_authn_registration(AccessToken=token, Credential=credential)
    first = cognito.list_web_authn_credentials(AccessToken=token, MaxResults=2)
    second = cognito.list_web_authn_credentials(
        AccessToken=token, MaxResults=2, NextToken=first["NextToken"]
    )
    assert "NextToken" not in second
    ids = [c["CredentialId"] for page in (first, second) for c in page["Credentials"]]
    assert ids == authenticator.credential_ids


# -- auth events ---------------------------------------------------------------------------------


def test_auth_events_record_password_and_mfa_outcomes(
    sandbox: Sandbox,
    cognito: Any,
    make_pool: Callable[..., SandboxPool],
    make_user: Callable[..., SandboxUser],
    error_of: Any,
) -> None:
    pool = make_pool(mfa="ON", factors=("SMS",))
    user = make_user(pool)
    error_of(
        cognito.initiate_auth,
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user.username, "PASSWORD": user.password + "x"},
    )
    sandbox.sign_in(pool, user.username, user.password)
    events = cognito.admin_list_user_auth_events(UserPoolId=pool.pool_id, Username=user.username)
    assert_valid_output("AdminListUserAuthEvents", events)
    summary = [
        (
            e["EventResponse"],
            [(c["ChallengeName"], c["ChallengeResponse"]) for c in e["ChallengeResponses"]],
        )
        for e in events["AuthEvents"]
    ]
    assert summary == [
        ("Pass", [("Password", "Success"), ("Mfa", "Success")]),  # newest first
        ("Fail", [("Password", "Failure")]),
    ]
