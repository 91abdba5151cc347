"""Stale or doubtful state: each decision with a test (reasons in docs/ and the sandbox's code).

* The same passkey credential id cannot register to two users of a pool (refused; Cognito
  documents no answer, refusing is the safe choice).
* A SELECT_CHALLENGE offered before SMS MFA was turned on and answered EMAIL_OTP afterwards is
  decided at answer time: the user then has MFA to pass.
* A user on a temporary password who signs in with an email code still gets
  NEW_PASSWORD_REQUIRED (or is refused), never tokens.
* A code typed in the choice sign-in panel before any challenge is not kept in widget state.
"""

from __future__ import annotations

import itertools
import json
import types
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mfa_widgets import MfaClient, MfaLog
from mfa_widgets.sandbox import Sandbox, SandboxPool
from mfa_widgets.services import passkey_authenticator
from mfa_widgets.services.passkey_authenticator import SoftwareAuthenticator
from mfa_widgets.widgets._common import iter_widgets
from mfa_widgets.widgets.probe import SignInProbe
from tests.widgets.test_probe_choice_flow import choice_pool as choice_pool  # the fixture

_names = itertools.count()


def _start_email(cognito: Any, pool: SandboxPool, username: str) -> dict[str, Any]:
    return dict(
        cognito.initiate_auth(
            ClientId=pool.client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": username}
        )
    )


def test_one_passkey_credential_cannot_register_to_two_users(
    sandbox: Sandbox, choice_pool: SandboxPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixed = bytes(range(32))
    monkeypatch.setattr(
        passkey_authenticator, "secrets", types.SimpleNamespace(token_bytes=lambda n: fixed)
    )
    client = MfaClient.for_sandbox(sandbox, in_process=True)
    results = []
    for _ in range(2):
        name = f"pk{next(_names)}"
        sandbox.create_user(choice_pool, name, email=f"{name}@example.com")
        token = sandbox.issue_token(choice_pool, name)
        results.append(
            client.register_passkey(token, SoftwareAuthenticator("http://localhost:8888"))
        )
    assert results[0].ok, results[0]
    assert not results[1].ok
    assert results[1].error is not None
    assert results[1].error.code == "InvalidParameterException"


def test_select_challenge_is_decided_when_it_is_answered(
    sandbox: Sandbox, choice_pool: SandboxPool
) -> None:
    """Offered while the user had no MFA, answered after SMS MFA was turned on: MFA is asked."""
    cognito = sandbox.in_process_client()
    name = f"stale{next(_names)}"
    sandbox.create_user(choice_pool, name, phone="+15555550100", email=f"{name}@example.com")
    offered = _start_email(cognito, choice_pool, name)
    assert offered["ChallengeName"] == "SELECT_CHALLENGE"
    cognito.admin_set_user_mfa_preference(
        UserPoolId=choice_pool.pool_id,
        Username=name,
        SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    # With MFA configured, an OPTIONAL pool offers only the password options (MFA guide table):
    # decided again at answer time, the stale EMAIL_OTP choice is refused, not signed in.
    with pytest.raises(ClientError) as refused:
        cognito.respond_to_auth_challenge(
            ClientId=choice_pool.client_id,
            ChallengeName="SELECT_CHALLENGE",
            Session=offered["Session"],
            ChallengeResponses={"USERNAME": name, "ANSWER": "EMAIL_OTP"},
        )
    assert refused.value.response["Error"]["Code"] == "InvalidParameterException"
    assert "no longer available" in refused.value.response["Error"]["Message"]
    with pytest.raises(LookupError):  # and no code was sent
        sandbox.latest_code(name, "EMAIL", choice_pool)


def test_a_temporary_password_user_signing_in_by_email_code_must_change_it(
    sandbox: Sandbox, choice_pool: SandboxPool
) -> None:
    cognito = sandbox.in_process_client()
    name = f"temp{next(_names)}"
    cognito.admin_create_user(
        UserPoolId=choice_pool.pool_id,
        Username=name,
        TemporaryPassword="Temp-Passw0rd!",
        UserAttributes=[
            {"Name": "email", "Value": f"{name}@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )
    # Real Cognito offers such a user only the password factors (conformance case
    # choice.select-challenge-temporary-password): asked for an email code, the sandbox offers
    # those or refuses; it never sends a code, and the password path asks for the new password.
    refusal, started = None, {}
    try:
        started = cognito.initiate_auth(
            ClientId=choice_pool.client_id,
            AuthFlow="USER_AUTH",
            AuthParameters={"USERNAME": name, "PREFERRED_CHALLENGE": "EMAIL_OTP"},
        )
    except ClientError as refused:
        refusal = refused.response["Error"]["Code"]
    if refusal is not None:
        assert refusal == "NotAuthorizedException"
    else:
        assert "AuthenticationResult" not in started
        assert started["ChallengeName"] == "SELECT_CHALLENGE"
        assert set(started["AvailableChallenges"]) <= {"PASSWORD", "PASSWORD_SRP"}
    with pytest.raises(LookupError):
        sandbox.latest_code(name, "EMAIL", choice_pool)
    by_password = cognito.initiate_auth(
        ClientId=choice_pool.client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={
            "USERNAME": name,
            "PREFERRED_CHALLENGE": "PASSWORD",
            "PASSWORD": "Temp-Passw0rd!",
        },
    )
    assert by_password["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def synced_state(root: Any) -> str:
    """Everything a front end (and so a saved notebook) can hold for a widget tree."""
    return json.dumps([w.get_state() for w in iter_widgets(root)], default=repr)


def test_a_code_typed_before_any_challenge_is_not_kept(
    sandbox: Sandbox, choice_pool: SandboxPool
) -> None:
    name = f"early{next(_names)}"
    sandbox.create_user(choice_pool, name, email=f"{name}@example.com")
    panel = SignInProbe(
        MfaClient.for_sandbox(sandbox, log=MfaLog(), in_process=True),
        choice_pool.pool_id,
        choice_pool.client_id,
        flow="choice",
        codes=lambda who, channel: sandbox.latest_code(who, channel, choice_pool),
    )
    try:
        panel.username.value = name
        panel.code.value = "123456"  # typed before any challenge
        assert "123456" not in synced_state(panel.widget)
        assert "123456" not in json.dumps(panel.code.get_state())
    finally:
        panel.close()
