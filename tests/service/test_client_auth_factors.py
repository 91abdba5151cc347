"""GetUserAuthFactors, AdminDeleteSoftwareToken, passkey MFA, WebAuthnConfiguration: the wire."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mfa_widgets.sandbox import Sandbox, SandboxPool, SandboxUser
from tests.service.shapes import assert_valid_output

MULTI = {
    "RelyingPartyId": "localhost",
    "FactorConfiguration": "MULTI_FACTOR_WITH_USER_VERIFICATION",
}


def _mfa_config(cognito: Any, pool: SandboxPool) -> dict[str, Any]:
    config = cognito.get_user_pool_mfa_config(UserPoolId=pool.pool_id)
    return {k: v for k, v in config.items() if k != "ResponseMetadata"}


def _set_webauthn(cognito: Any, pool: SandboxPool, block: dict[str, Any] | None) -> dict[str, Any]:
    current = _mfa_config(cognito, pool)
    current.pop("WebAuthnConfiguration", None)
    if block is not None:
        current["WebAuthnConfiguration"] = block
    answer = cognito.set_user_pool_mfa_config(UserPoolId=pool.pool_id, **current)
    assert_valid_output("SetUserPoolMfaConfig", answer)
    return answer


def test_auth_factors_say_whether_an_authenticator_is_registered(
    cognito: Any, pool: SandboxPool, make_user: Callable[..., SandboxUser], signed_in: Any
) -> None:
    without = make_user(pool, email=None)
    with_app = make_user(pool, totp=True)
    for user, expected in (
        (without, ["PASSWORD", "SMS_OTP"]),
        (with_app, ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "SOFTWARE_TOKEN"]),
    ):
        admin = cognito.admin_get_user_auth_factors(UserPoolId=pool.pool_id, Username=user.username)
        assert_valid_output("AdminGetUserAuthFactors", admin)
        assert admin["ConfiguredUserAuthFactors"] == expected
        assert admin["Username"] == user.username
        public = cognito.get_user_auth_factors(AccessToken=signed_in(pool, user))
        assert_valid_output("GetUserAuthFactors", public)
        assert {k: v for k, v in public.items() if k != "ResponseMetadata"} == {
            k: v for k, v in admin.items() if k != "ResponseMetadata"
        }


def test_get_user_auth_factors_checks_the_token(cognito: Any, error_of: Any) -> None:
    code, message = error_of(cognito.get_user_auth_factors, AccessToken="not-a-token")
    assert (code, message) == ("NotAuthorizedException", "Invalid Access Token")


def test_admin_delete_software_token_resets_a_lost_authenticator(
    sandbox: Sandbox,
    cognito: Any,
    make_pool: Callable[..., SandboxPool],
    make_user: Callable[..., SandboxUser],
) -> None:
    pool = make_pool(mfa="ON", factors=("SMS", "TOTP"))
    user = make_user(pool, totp=True)
    cognito.admin_set_user_mfa_preference(
        UserPoolId=pool.pool_id,
        Username=user.username,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
        SMSMfaSettings={"Enabled": True, "PreferredMfa": False},
    )
    before = cognito.admin_get_user(UserPoolId=pool.pool_id, Username=user.username)
    assert before["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    answer = cognito.admin_delete_software_token(UserPoolId=pool.pool_id, Username=user.username)
    assert_valid_output("AdminDeleteSoftwareToken", answer)
    after = cognito.admin_get_user_auth_factors(UserPoolId=pool.pool_id, Username=user.username)
    assert "SOFTWARE_TOKEN" not in after["ConfiguredUserAuthFactors"]
    assert after["UserMFASettingList"] == ["SMS_MFA"]  # other factors untouched
    assert "PreferredMfaSetting" not in after
    # The next sign-in uses the factor that is left.
    first = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user.username, "PASSWORD": user.password},
    )
    assert first["ChallengeName"] == "SMS_MFA"
    # And the user can register again.
    token = sandbox.issue_token(pool, user.username)
    cognito.associate_software_token(AccessToken=token)
    cognito.verify_software_token(
        AccessToken=token, UserCode=sandbox.totp_code(pool, user.username)
    )
    again = cognito.admin_get_user_auth_factors(UserPoolId=pool.pool_id, Username=user.username)
    assert "SOFTWARE_TOKEN" in again["ConfiguredUserAuthFactors"]


def test_admin_delete_software_token_with_nothing_left_asks_for_setup(
    cognito: Any, make_pool: Callable[..., SandboxPool], make_user: Callable[..., SandboxUser]
) -> None:
    pool = make_pool(mfa="ON", factors=("TOTP",))
    user = make_user(pool, phone=None, email=None, totp=True)
    cognito.admin_delete_software_token(UserPoolId=pool.pool_id, Username=user.username)
    first = cognito.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user.username, "PASSWORD": user.password},
    )
    assert first["ChallengeName"] == "MFA_SETUP"


def test_admin_delete_software_token_errors(cognito: Any, pool: SandboxPool, error_of: Any) -> None:
    assert error_of(
        cognito.admin_delete_software_token, UserPoolId=pool.pool_id, Username="nobody"
    ) == ("UserNotFoundException", "User does not exist.")
    code, _ = error_of(
        cognito.admin_delete_software_token, UserPoolId="us-east-1_Nope0000", Username="x"
    )
    assert code == "ResourceNotFoundException"


def test_webauthn_configuration_is_kept_and_validated(
    cognito: Any, make_pool: Callable[..., SandboxPool], error_of: Any
) -> None:
    pool = make_pool()
    answer = _set_webauthn(cognito, pool, MULTI)
    assert answer["WebAuthnConfiguration"]["FactorConfiguration"] == MULTI["FactorConfiguration"]
    read = cognito.get_user_pool_mfa_config(UserPoolId=pool.pool_id)
    assert_valid_output("GetUserPoolMfaConfig", read)
    assert read["WebAuthnConfiguration"]["RelyingPartyId"] == "localhost"
    _set_webauthn(cognito, pool, None)  # the whole configuration is set: absent = removed
    assert "WebAuthnConfiguration" not in _mfa_config(cognito, pool)
    lite = make_pool(tier="LITE", factors=("SMS", "TOTP"))
    current = _mfa_config(cognito, lite)
    code, _ = error_of(
        cognito.set_user_pool_mfa_config,
        UserPoolId=lite.pool_id,
        WebAuthnConfiguration=MULTI,
        **current,
    )
    assert code == "FeatureUnavailableInTierException"


@pytest.mark.parametrize(
    ("pool_block", "factors", "code"),
    [
        (None, {"SMSMfaSettings": {"Enabled": True}}, "OperationNotEnabledException"),
        ({**MULTI, "FactorConfiguration": "SINGLE_FACTOR"}, {}, "OperationNotEnabledException"),
        (MULTI, {}, "InvalidParameterException"),  # no other MFA method
        (MULTI, {"SMSMfaSettings": {"Enabled": True}}, None),
    ],
)
def test_passkey_mfa_needs_pool_config_and_another_method(
    cognito: Any,
    make_pool: Callable[..., SandboxPool],
    make_user: Callable[..., SandboxUser],
    signed_in: Any,
    error_of: Any,
    pool_block: dict[str, Any] | None,
    factors: dict[str, Any],
    code: str | None,
) -> None:
    pool = make_pool()
    _set_webauthn(cognito, pool, pool_block)
    user = make_user(pool)
    request = {"AccessToken": signed_in(pool, user), **factors}
    request["WebAuthnMfaSettings"] = {"Enabled": True}
    if code is None:
        assert_valid_output("SetUserMFAPreference", cognito.set_user_mfa_preference(**request))
        # ... and the last other method cannot then be turned off (lockout).
        refused, _ = error_of(
            cognito.admin_set_user_mfa_preference,
            UserPoolId=pool.pool_id,
            Username=user.username,
            SMSMfaSettings={"Enabled": False},
        )
        assert refused == "InvalidParameterException"
        cognito.admin_set_user_mfa_preference(
            UserPoolId=pool.pool_id,
            Username=user.username,
            SMSMfaSettings={"Enabled": False},
            WebAuthnMfaSettings={"Enabled": False},
        )
    else:
        assert error_of(cognito.set_user_mfa_preference, **request)[0] == code


def test_passkey_mfa_is_refused_on_lite(
    cognito: Any,
    make_pool: Callable[..., SandboxPool],
    make_user: Callable[..., SandboxUser],
    error_of: Any,
) -> None:
    pool = make_pool(tier="LITE", factors=("SMS", "TOTP"))
    user = make_user(pool)
    code, _ = error_of(
        cognito.admin_set_user_mfa_preference,
        UserPoolId=pool.pool_id,
        Username=user.username,
        SMSMfaSettings={"Enabled": True},
        WebAuthnMfaSettings={"Enabled": True},
    )
    assert code == "FeatureUnavailableInTierException"
