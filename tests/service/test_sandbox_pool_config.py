"""SetUserPoolMfaConfig / GetUserPoolMfaConfig / DescribeUserPool through the sandbox."""

from __future__ import annotations

EMAIL = {"Subject": "Code", "Message": "Your code is {####}"}


def test_email_mfa_configuration_round_trips(cognito, make_pool):
    pool = make_pool(factors=("TOTP",))
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool.pool_id,
        MfaConfiguration="ON",
        EmailMfaConfiguration=EMAIL,
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    got = cognito.get_user_pool_mfa_config(UserPoolId=pool.pool_id)
    assert got["EmailMfaConfiguration"] == EMAIL
    assert got["MfaConfiguration"] == "ON"
    assert got["SoftwareTokenMfaConfiguration"] == {"Enabled": True}


def test_email_only_pool_is_accepted(cognito, make_pool):
    pool = make_pool(factors=("TOTP",))
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool.pool_id, MfaConfiguration="ON", EmailMfaConfiguration=EMAIL
    )
    assert "EmailMfaConfiguration" in cognito.get_user_pool_mfa_config(UserPoolId=pool.pool_id)


def test_email_mfa_on_lite_is_unavailable_in_tier(cognito, make_pool, error_of):
    pool = make_pool(tier="LITE", factors=("TOTP",))
    code, message = error_of(
        cognito.set_user_pool_mfa_config,
        UserPoolId=pool.pool_id,
        MfaConfiguration="OPTIONAL",
        EmailMfaConfiguration=EMAIL,
    )
    assert code == "FeatureUnavailableInTierException"
    assert "LITE" in message
    assert "EmailMfaConfiguration" not in cognito.get_user_pool_mfa_config(UserPoolId=pool.pool_id)


def test_on_without_any_factor_is_rejected(cognito, make_pool, error_of):
    pool = make_pool(factors=("TOTP",))
    code, _ = error_of(
        cognito.set_user_pool_mfa_config,
        UserPoolId=pool.pool_id,
        MfaConfiguration="ON",
        SoftwareTokenMfaConfiguration={"Enabled": False},
    )
    assert code == "InvalidParameterException"


def test_describe_user_pool_follows_the_mfa_config(cognito):
    pool_id = cognito.create_user_pool(PoolName="stale-check", MfaConfiguration="OFF")["UserPool"][
        "Id"
    ]
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="ON",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    described = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["MfaConfiguration"] == "ON"


def test_tier_is_kept(cognito, make_pool):
    pool = make_pool(tier="PLUS")
    assert cognito.describe_user_pool(UserPoolId=pool.pool_id)["UserPool"]["UserPoolTier"] == (
        "PLUS"
    )
