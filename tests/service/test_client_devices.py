"""Device tracking on the sandbox: confirm, remember, and skip MFA with the device's key.

The device's SRP is real on both sides: the client's values are pycognito's
(:mod:`mfa_widgets.services.srp`), and the sandbox checks the claim against the verifier sent
with ``ConfirmDevice`` (:mod:`mfa_widgets.sandbox.cognito.signin.srp`), so a wrong device
password fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from mfa_widgets.services.srp import DeviceSecret, SrpProof, new_device_secret
from tests.service.shapes import assert_valid_output, respond

CLAIMS = {
    "PASSWORD_CLAIM_SIGNATURE": "c2ln",
    "PASSWORD_CLAIM_SECRET_BLOCK": "YmxvY2s=",
    "TIMESTAMP": "Mon Nov 30 06:00:00 UTC 2026",
}
VERIFIER = {"PasswordVerifier": "dmVyaWZpZXI=", "Salt": "c2FsdA=="}


@dataclass(frozen=True)
class NewDevice:
    token: str
    secret: DeviceSecret

    @property
    def key(self) -> str:
        return self.secret.device_key


@pytest.fixture
def tracked_pool(sandbox: Sandbox, make_pool: Callable[..., SandboxPool]) -> Callable[..., Any]:
    def make(on_prompt: bool = False) -> SandboxPool:
        pool = make_pool(mfa="ON", factors=("SMS", "TOTP"))
        sandbox.in_process_client().update_user_pool(
            UserPoolId=pool.pool_id,
            UserPoolTier=pool.config.tier.value,
            MfaConfiguration="ON",
            DeviceConfiguration={
                "ChallengeRequiredOnNewDevice": True,
                "DeviceOnlyRememberedOnUserPrompt": on_prompt,
            },
        )
        return pool

    return make


def _password(cognito: Any, pool: SandboxPool, user: SandboxUser, **extra: str) -> Any:
    answer = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user.username, "PASSWORD": user.password, **extra},
    )
    assert_valid_output("InitiateAuth", answer)
    return answer


def _new_device(sandbox: Sandbox, pool: SandboxPool, user: SandboxUser) -> NewDevice:
    tokens = sandbox.sign_in(pool, user.username, user.password)
    issued = tokens["NewDeviceMetadata"]
    secret = new_device_secret(issued["DeviceKey"], issued["DeviceGroupKey"])
    return NewDevice(tokens["AccessToken"], secret)


def _device_sign_in(
    cognito: Any, pool: SandboxPool, user: SandboxUser, device: DeviceSecret
) -> Any:
    srp = SrpProof(pool.pool_id, pool.client_id, user.username, device=device)
    key = device.device_key
    first = _password(cognito, pool, user, DEVICE_KEY=key)
    assert first["ChallengeName"] == "DEVICE_SRP_AUTH"
    answer = srp.answer("DEVICE_SRP_AUTH", first["ChallengeParameters"])
    verifier = respond(cognito, pool, first, USERNAME=user.username, **answer)
    assert_valid_output("RespondToAuthChallenge", verifier)
    assert verifier["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER"
    parameters = verifier["ChallengeParameters"]
    assert parameters["DEVICE_KEY"] == key
    answer = srp.answer("DEVICE_PASSWORD_VERIFIER", parameters)
    return respond(cognito, pool, verifier, **answer)


def test_a_remembered_device_skips_mfa(
    sandbox: Sandbox, cognito: Any, tracked_pool: Any, make_user: Callable[..., SandboxUser]
) -> None:
    pool = tracked_pool()
    user = make_user(pool)
    device = _new_device(sandbox, pool, user)
    confirmed = cognito.confirm_device(
        AccessToken=device.token,
        DeviceKey=device.key,
        DeviceSecretVerifierConfig=dict(device.secret.verifier),
        DeviceName="lab",
    )
    assert_valid_output("ConfirmDevice", confirmed)
    assert confirmed["UserConfirmationNecessary"] is False
    done = _device_sign_in(cognito, pool, user, device.secret)
    assert_valid_output("RespondToAuthChallenge", done)
    assert "NewDeviceMetadata" not in done["AuthenticationResult"]
    # Without the key, the same user is asked for MFA.
    assert _password(cognito, pool, user)["ChallengeName"] == "SMS_MFA"


def test_remembering_on_user_prompt_and_forgetting(
    sandbox: Sandbox, cognito: Any, tracked_pool: Any, make_user: Callable[..., SandboxUser]
) -> None:
    pool = tracked_pool(on_prompt=True)
    user = make_user(pool)
    device = _new_device(sandbox, pool, user)
    token, key = device.token, device.key
    confirmed = cognito.confirm_device(
        AccessToken=token, DeviceKey=key, DeviceSecretVerifierConfig=dict(device.secret.verifier)
    )
    assert confirmed["UserConfirmationNecessary"] is True
    assert _password(cognito, pool, user, DEVICE_KEY=key)["ChallengeName"] == "SMS_MFA"
    assert_valid_output(
        "UpdateDeviceStatus",
        cognito.update_device_status(
            AccessToken=token, DeviceKey=key, DeviceRememberedStatus="remembered"
        ),
    )
    listed = cognito.admin_list_devices(UserPoolId=pool.pool_id, Username=user.username)
    assert_valid_output("AdminListDevices", listed)
    assert [d["DeviceKey"] for d in listed["Devices"]] == [key]
    assert_valid_output("ListDevices", cognito.list_devices(AccessToken=token))
    assert_valid_output("GetDevice", cognito.get_device(AccessToken=token, DeviceKey=key))
    _device_sign_in(cognito, pool, user, device.secret)
    cognito.admin_forget_device(UserPoolId=pool.pool_id, Username=user.username, DeviceKey=key)
    assert _password(cognito, pool, user, DEVICE_KEY=key)["ChallengeName"] == "SMS_MFA"


def test_srp_sign_in_with_a_remembered_device(
    sandbox: Sandbox,
    cognito: Any,
    tracked_pool: Any,
    make_user: Callable[..., SandboxUser],
    error_of: Any,
) -> None:
    pool = tracked_pool()
    user = make_user(pool)
    device = _new_device(sandbox, pool, user)
    key = device.key
    cognito.confirm_device(
        AccessToken=device.token,
        DeviceKey=key,
        DeviceSecretVerifierConfig=dict(device.secret.verifier),
    )
    srp = SrpProof(pool.pool_id, pool.client_id, user.username, user.password)
    first = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_SRP_AUTH",
        AuthParameters={"USERNAME": user.username, "SRP_A": srp.srp_a},
    )
    assert first["ChallengeName"] == "PASSWORD_VERIFIER"
    claim = srp.answer("PASSWORD_VERIFIER", first["ChallengeParameters"])
    device = respond(cognito, pool, first, DEVICE_KEY=key, **claim)
    assert device["ChallengeName"] == "DEVICE_SRP_AUTH"
    # The password proof is checked before the device is: a dummy claim is refused.
    again = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_SRP_AUTH",
        AuthParameters={"USERNAME": user.username, "SRP_A": srp.srp_a},
    )
    code, _ = error_of(
        cognito.respond_to_auth_challenge,
        ClientId=pool.client_id,
        ChallengeName="PASSWORD_VERIFIER",
        Session=again["Session"],
        ChallengeResponses={"USERNAME": user.username, "DEVICE_KEY": key, **CLAIMS},
    )
    assert code == "NotAuthorizedException"


def test_unknown_devices_and_untracked_pools(
    sandbox: Sandbox,
    cognito: Any,
    make_pool: Callable[..., SandboxPool],
    make_user: Callable[..., SandboxUser],
    error_of: Any,
) -> None:
    pool = make_pool(mfa="OFF")
    user = make_user(pool)
    tokens = sandbox.sign_in(pool, user.username, user.password)
    assert "NewDeviceMetadata" not in tokens
    code, _ = error_of(
        cognito.confirm_device,
        AccessToken=tokens["AccessToken"],
        DeviceKey="us-east-1_00000000-0000-4000-8000-000000000000",  # well formed, unknown
        DeviceSecretVerifierConfig=VERIFIER,
    )
    assert code == "ResourceNotFoundException"


_TAMPER = ["device password", "signature", "secret block", "timestamp", "verifier"]


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tamper=st.sampled_from(_TAMPER), flip=st.integers(min_value=0, max_value=31))
def test_a_wrong_device_proof_is_refused_and_the_right_one_still_works(
    sandbox: Sandbox,
    cognito: Any,
    tracked_pool: Any,
    make_user: Callable[..., SandboxUser],
    error_of: Any,
    tamper: str,
    flip: int,
) -> None:
    pool = tracked_pool()
    user = make_user(pool)
    device = _new_device(sandbox, pool, user)
    confirmed_with = dict(device.secret.verifier)
    if tamper == "verifier":  # the server holds another device's verifier
        confirmed_with = dict(new_device_secret(device.key, device.secret.group_key).verifier)
    cognito.confirm_device(
        AccessToken=device.token, DeviceKey=device.key, DeviceSecretVerifierConfig=confirmed_with
    )
    secret = device.secret
    if tamper == "device password":
        other = ("y" if secret.password[0] == "x" else "x") + secret.password[1:]
        secret = DeviceSecret(secret.device_key, secret.group_key, other, {})
    srp = SrpProof(pool.pool_id, pool.client_id, user.username, device=secret)
    first = _password(cognito, pool, user, DEVICE_KEY=device.key)
    verifier = respond(
        cognito, pool, first, USERNAME=user.username, **srp.answer("DEVICE_SRP_AUTH", {})
    )
    answer = srp.answer("DEVICE_PASSWORD_VERIFIER", verifier["ChallengeParameters"])
    field = {
        "signature": "PASSWORD_CLAIM_SIGNATURE",
        "secret block": "PASSWORD_CLAIM_SECRET_BLOCK",
        "timestamp": "TIMESTAMP",
    }.get(tamper)
    if field is not None:
        text = answer[field]
        index = flip % len(text)
        answer[field] = text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1 :]
    code, _ = error_of(
        cognito.respond_to_auth_challenge,
        ClientId=pool.client_id,
        ChallengeName="DEVICE_PASSWORD_VERIFIER",
        Session=verifier["Session"],
        ChallengeResponses={"USERNAME": user.username, **answer},
    )
    assert code == "NotAuthorizedException"
    if tamper != "verifier":
        assert "AuthenticationResult" in _device_sign_in(cognito, pool, user, device.secret)
