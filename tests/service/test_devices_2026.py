"""Device tracking on the sandbox: confirm, remember, and skip MFA with the device's key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from tests.service.shapes_2026 import assert_valid_output, respond

CLAIMS = {
    "PASSWORD_CLAIM_SIGNATURE": "c2ln",
    "PASSWORD_CLAIM_SECRET_BLOCK": "YmxvY2s=",
    "TIMESTAMP": "Mon Nov 30 06:00:00 UTC 2026",
}
VERIFIER = {"PasswordVerifier": "dmVyaWZpZXI=", "Salt": "c2FsdA=="}


@pytest.fixture
def tracked_pool(sandbox: Sandbox, make_pool: Callable[..., SandboxPool]) -> Callable[..., Any]:
    def make(on_prompt: bool = False) -> SandboxPool:
        pool = make_pool(mfa="ON", factors=("SMS", "TOTP"))
        sandbox.client().update_user_pool(
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


def _new_device(sandbox: Sandbox, pool: SandboxPool, user: SandboxUser) -> tuple[str, str]:
    tokens = sandbox.sign_in(pool, user.username, user.password)
    return tokens["AccessToken"], tokens["NewDeviceMetadata"]["DeviceKey"]


def _device_sign_in(cognito: Any, pool: SandboxPool, user: SandboxUser, key: str) -> Any:
    first = _password(cognito, pool, user, DEVICE_KEY=key)
    assert first["ChallengeName"] == "DEVICE_SRP_AUTH"
    verifier = respond(
        cognito, pool, first, USERNAME=user.username, DEVICE_KEY=key, SRP_A="ab" * 64
    )
    assert verifier["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER"
    assert verifier["ChallengeParameters"]["DEVICE_KEY"] == key
    return respond(cognito, pool, verifier, USERNAME=user.username, DEVICE_KEY=key, **CLAIMS)


def test_a_remembered_device_skips_mfa(
    sandbox: Sandbox, cognito: Any, tracked_pool: Any, make_user: Callable[..., SandboxUser]
) -> None:
    pool = tracked_pool()
    user = make_user(pool)
    token, key = _new_device(sandbox, pool, user)
    confirmed = cognito.confirm_device(
        AccessToken=token, DeviceKey=key, DeviceSecretVerifierConfig=VERIFIER, DeviceName="lab"
    )
    assert_valid_output("ConfirmDevice", confirmed)
    assert confirmed["UserConfirmationNecessary"] is False
    done = _device_sign_in(cognito, pool, user, key)
    assert "NewDeviceMetadata" not in done["AuthenticationResult"]
    # Without the key, the same user is asked for MFA.
    assert _password(cognito, pool, user)["ChallengeName"] == "SMS_MFA"


def test_remembering_on_user_prompt_and_forgetting(
    sandbox: Sandbox, cognito: Any, tracked_pool: Any, make_user: Callable[..., SandboxUser]
) -> None:
    pool = tracked_pool(on_prompt=True)
    user = make_user(pool)
    token, key = _new_device(sandbox, pool, user)
    confirmed = cognito.confirm_device(
        AccessToken=token, DeviceKey=key, DeviceSecretVerifierConfig=VERIFIER
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
    _device_sign_in(cognito, pool, user, key)
    cognito.admin_forget_device(UserPoolId=pool.pool_id, Username=user.username, DeviceKey=key)
    assert _password(cognito, pool, user, DEVICE_KEY=key)["ChallengeName"] == "SMS_MFA"


def test_srp_sign_in_with_a_remembered_device(
    sandbox: Sandbox, cognito: Any, tracked_pool: Any, make_user: Callable[..., SandboxUser]
) -> None:
    pool = tracked_pool()
    user = make_user(pool)
    token, key = _new_device(sandbox, pool, user)
    cognito.confirm_device(AccessToken=token, DeviceKey=key, DeviceSecretVerifierConfig=VERIFIER)
    first = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_SRP_AUTH",
        AuthParameters={"USERNAME": user.username, "SRP_A": "ab" * 64},
    )
    assert first["ChallengeName"] == "PASSWORD_VERIFIER"
    device = respond(cognito, pool, first, USERNAME=user.username, DEVICE_KEY=key, **CLAIMS)
    assert device["ChallengeName"] == "DEVICE_SRP_AUTH"


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
